/**
 * Simulator plumbing shared by the page (boot.js) and the backend worker (worker/backend.js):
 * the simulator-only modules `WASimConfig` and `WASimWapBackend`, the hand-over of the worker's
 * `WASimBus` events to the page (so that `__sim.log` records the stanzas of both contexts), and the
 * start of the second socket.
 * @module sim/page/sim-modules
 */
import { DEFAULT_TIMING } from "./shared.js";

/** Timing keys a page (or worker) URL may override. */
export const TIMING_KEYS = Object.freeze(Object.keys(DEFAULT_TIMING));

/**
 * Defines `WASimConfig` (exports ARE `config`, by reference, so later changes are seen) and
 * `WASimWapBackend` (the codec: bridge + token dictionary) with the given runtime's `__d`.
 * @param {(...args: any[]) => void} define the runtime's `__d`
 * @param {{codec: import("./dict.js").DictCodec, config: object}} p
 */
export function defineSimModules(define, { codec, config }) {
  define("WASimConfig", [], () => config, 66);
  define(
    "WASimWapBackend",
    [],
    (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
      exports.encodeNode = codec.encodeNode;
      exports.decodeNode = codec.decodeNode;
      exports.DICT_VERSION = codec.DICT_VERSION;
    },
    66,
  );
}

/** @param {string} session @returns {string} the BroadcastChannel that carries the worker's bus events */
export function busChannelName(session) {
  return `WASim:bus:${session}`;
}

/**
 * A structured-clone-safe copy of a node for the page log: attributes as strings, children one level
 * deep (enough for `describeNode`), no binary content.
 * @param {{tag: string, attrs?: object, content?: unknown}} node
 * @param {number} [depth]
 * @returns {{tag: string, attrs: Record<string, string>, content: any[]|null}}
 */
export function liteNode(node, depth = 1) {
  const attrs = {};
  for (const k of Object.keys(node.attrs ?? {})) attrs[k] = String(node.attrs[k]);
  const content = Array.isArray(node.content)
    ? depth > 0
      ? node.content.map((c) => liteNode(c, depth - 1))
      : []
    : null;
  return { tag: node.tag, attrs, content };
}

/**
 * Worker side: posts every `stanza`, `state` and `success` event of this context's `WASimBus` to the
 * page over a BroadcastChannel (simulator instrumentation, outside WA's own worker messages).
 * @param {{importNamespace: (name: string) => any}} rt
 * @param {string} session
 * @param {string} ctx the context name recorded in log entries ("worker")
 */
export function forwardBus(rt, session, ctx) {
  const channel = new BroadcastChannel(busChannelName(session));
  const bus = rt.importNamespace("WASimBus");
  bus.on("stanza", (d) => {
    channel.postMessage({
      type: "stanza",
      detail: {
        dir: d.dir,
        node: liteNode(d.node),
        socketId: d.socketId,
        role: d.role,
        byteLength: d.byteLength,
        t: d.t,
        ctx,
      },
    });
  });
  bus.on("state", (d) => channel.postMessage({ type: "state", detail: { ...d, ctx } }));
  bus.on("success", (d) => channel.postMessage({ type: "success", detail: { socketId: d.socketId, ctx } }));
  // 2026: the page's `__sim.workerFootprint()` asks for this context's detection counters.
  channel.onmessage = (e) => {
    if (e.data?.type !== "footprint-request") return;
    let footprint = null;
    try {
      footprint = rt.importNamespace("WASimFootprint").snapshot(rt.importNamespace("WASimRuntimeStats"));
    } catch {
      // legacy profile: no counters
    }
    channel.postMessage({ type: "footprint", detail: { requestId: e.data.detail?.requestId, footprint } });
  };
  return channel;
}

/**
 * Page side: re-emits the worker's bus events on the page's `WASimBus`.
 * @param {{importNamespace: (name: string) => any}} rt
 * @param {string} session
 */
export function receiveBus(rt, session) {
  const channel = new BroadcastChannel(busChannelName(session));
  const bus = rt.importNamespace("WASimBus");
  channel.onmessage = (e) => bus.emit(e.data.type, e.data.detail);
  return channel;
}

/**
 * Starts `WASimSecondBackend` once the primary connection of this context is CONNECTED.
 * @param {{importNamespace: (name: string) => any}} rt
 * @param {{chatterMs: number}} timing
 */
export function startSecondSocketAfterPrimary(rt, timing) {
  const bus = rt.importNamespace("WASimBus");
  let started = false;
  bus.on("state", ({ state, role }) => {
    if (started || role !== "primary" || state !== "CONNECTED") return;
    started = true;
    setTimeout(() => rt.importNamespace("WASimSecondBackend").start({ chatterMs: timing.chatterMs }), 50);
  });
}
