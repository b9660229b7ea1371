/**
 * The tap core: wires the capture sink, the module taps (comms config, codec, dictionary,
 * build, VoIP modules) and the transport tap into one stream, for one global scope. It assumes no
 * `window` or `document`: the page entry (`main.ts`) passes `window` and a DOM emitter; deep
 * capture installs the same core in WhatsApp's comms worker with `self` and a CDP binding as
 * emitter (`src/worker/tap.ts`).
 *
 * Layers (wa-web-capture.md §10): (a) module taps found by export shape through the module
 * runtime's `__onAfterModuleFactory` hook plus a registry poll; (b) the transport tap on
 * WebCrypto/WebSocket, with no module knowledge; (c) dedupe in the capture sink, so a stanza
 * seen by several taps is emitted once, marked with the tap that saw it first.
 */

import { nodeHash } from "../shared/capture/hash";
import { decodeFrame } from "../shared/codec/decoder";
import { isCodecError } from "../shared/codec/errors";
import { DEFAULT_TABLES, tablesFromWAWapDict } from "../shared/codec/tokens";
import type { TapMessage } from "../shared/protocol/messages";
import { isNormalizeError, normalizeNode } from "../shared/stanza/normalize";
import type { CaptureHealth } from "../shared/trace/types";
import { Capture, type Clock, highResClock } from "./capture";
import { wrapCodec } from "./codecTap";
import { CommsTap } from "./commsTap";
import { type Deliver, Emitter } from "./emit";
import { type ModuleDefinitionLike, scanRegistry, trapAfterModuleFactory } from "./moduleHook";
import { type TransportScope, TransportTap } from "./transportTap";

/** What the core reads from its global scope (a window or a worker's `self`). */
export interface TapScope extends TransportScope {
  __onAfterModuleFactory?: unknown;
  require?: unknown;
  Debug?: { VERSION?: unknown };
}

/** Options of {@link installTapCore}. */
export interface TapCoreOptions {
  /** Where message batches go. */
  deliver: Deliver;
  /** Messages sent before anything else (e.g. the page's `hello`). */
  first?: TapMessage[];
  clock?: Clock;
  /** Timer for all deferred work (default `setTimeout`). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  /** Install the transport tap (default true). */
  transport?: boolean;
  /** Registry poll cadence, ms (default 250, slowed ×8 after a minute). */
  pollMs?: number;
  /**
   * Where the core runs: `page` (default) or `worker` (installed in a worker by deep capture;
   * a chat socket seen there means comms run in that worker).
   */
  context?: "page" | "worker";
}

/** A running tap core. */
export interface TapCore {
  capture: Capture;
  emitter: Emitter;
  transport?: TransportTap;
  /** Visits one module definition (what the factory hook and the poll call). */
  visit(def: ModuleDefinitionLike): void;
  /** Runs one poll step now (registry scan, running comms, build). */
  poll(): void;
}

/** How long stanzas may be seen on the codec path with no chat socket here before "worker" is inferred, ms. */
const WORKER_INFERENCE_MS = 10_000;
/** Encode round trips checked at most (dictionary calibration without `WAWapDict`). */
const MAX_ROUND_TRIPS = 8;

/**
 * Why the codec tap stays off in a worker: the comms worker also encodes every inbound stanza to
 * hand it to the page and decodes every outbound one the page hands it (the page↔worker
 * bridge, wa-web-capture.md §6), so `encodeStanza`/`decodeStanza` there do not tell the
 * direction. The worker's transport and comms-config taps see the wire and the handlers.
 */
const WORKER_CODEC_NOTE =
  "not used in a worker: its encodeStanza/decodeStanza also carry the page↔worker bridge, so they do not tell a stanza's direction";

/**
 * Whether a module's exports are WhatsApp's VoIP signalling modules, by export names that the
 * 2026 code uses for them (`WAWebVoipSendSignalingXmpp.sendWAWebVoipSignalingXmpp`, the stack
 * interface's `handleIncomingSignaling*`; wa-web-2026.md §1). Reads own keys only: no getter
 * of WhatsApp's is called, no function is.
 */
function isVoipModule(ns: Record<string, unknown>): boolean {
  for (const key of Object.keys(ns)) {
    if (key === "sendWAWebVoipSignalingXmpp" || key.startsWith("handleIncomingSignaling")) return true;
  }
  return false;
}

/** Installs the taps on `scope`. Never throws (each part reports its own failure in health). */
export function installTapCore(scope: TapScope, options: TapCoreOptions): TapCore {
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const inWorker = options.context === "worker";
  const clock = options.clock ?? highResClock;
  const emitter = new Emitter(options.deliver, setTimer);
  for (const m of options.first ?? []) emitter.send(m);

  const evidence = {
    socket: false,
    keys: false,
    proxy: false,
    codecOnlySince: undefined as number | undefined,
  };
  let transport: TransportTap | undefined;
  /** Which of WhatsApp's modules were recognised by shape so far (they keep arriving: wa-web-2026.md §2). */
  const modules = { visited: 0, codec: false, comms: false, dictionary: false, voip: false };

  const decorate = (h: CaptureHealth): void => {
    const notes: string[] = [];
    if (evidence.socket) notes.push("a chat socket sent its header on this page");
    if (evidence.keys) notes.push("Noise transport keys were imported on this page");
    if (evidence.proxy) notes.push("the running comms object has no config (worker proxy)");
    const codecSeen = h.taps.find((t) => t.name === "codec")?.seen ?? 0;
    let inferredWorker = false;
    if (codecSeen > 0 && !evidence.socket && !evidence.keys) {
      evidence.codecOnlySince ??= clock();
      if (clock() - evidence.codecOnlySince > WORKER_INFERENCE_MS) {
        inferredWorker = true;
        notes.push("stanzas were decoded on this page but no chat socket was opened here");
      }
    }
    if (inWorker) {
      notes.push("taps installed in this worker by deep capture");
      h.commsMode = evidence.socket || evidence.keys || codecSeen > 0 ? "worker" : "unknown";
    } else if (evidence.socket || evidence.keys) h.commsMode = "main-thread";
    else if (evidence.proxy || inferredWorker) h.commsMode = "worker";
    else h.commsMode = "unknown";
    h.commsEvidence = notes;
    if (transport) h.transport = { ...transport.stats };
    if (modules.visited > 0) {
      h.modules = {
        codec: modules.codec,
        comms: modules.comms,
        dictionary: modules.dictionary,
        voip: modules.voip,
      };
    }
  };

  const capture = new Capture({
    output: {
      stanza: (stanza) => emitter.send({ type: "stanza", stanza }),
      health: (h) => emitter.send({ type: "health", health: h }),
    },
    clock,
    setTimer,
    decorate,
  });
  capture.health.commsMode = "unknown";
  capture.setTap("comms-config", false, "waiting for WhatsApp's comms config module");
  capture.setTap(
    "codec",
    false,
    inWorker ? WORKER_CODEC_NOTE : "waiting for WhatsApp's codec module (encodeStanza + decodeStanza)",
  );

  // (b) transport tap: installed first and synchronously, before any of WA's code runs.
  if (options.transport !== false) {
    try {
      transport = new TransportTap(
        capture,
        capture.guard("transport"),
        {
          onChatSocket: () => {
            evidence.socket = true;
          },
          onTransportKey: () => {
            evidence.keys = true;
          },
        },
        setTimer,
      );
      const note = transport.install(scope);
      capture.setTap("transport", note.startsWith("wrapped"), note);
    } catch (e) {
      capture.reportError(e, "transport");
    }
  }

  // (a) module taps.
  const comms = new CommsTap(
    {
      onStanza: (node, direction) => capture.observeNode(node, direction, "comms-config"),
      onError: (e) => capture.reportError(e, "comms-config"),
      onFound: (what) => {
        if (what === "comms-proxy") evidence.proxy = true;
        else
          capture.setTap(
            "comms-config",
            true,
            `hooked ${what === "comms" ? "running comms handlers" : "getCommsConfig"}`,
          );
        capture.scheduleHealth();
      },
    },
    capture.guard("comms-config"),
  );

  let roundTrips = 0;
  const codecSink = {
    onDecodeBytes: (bytes: Uint8Array, t: number, truncatedFrom?: number) =>
      capture.observeFrame(bytes, "in", "codec", t, { kind: "codec" }, truncatedFrom),
    onEncodeNode: (node: unknown, t: number) => capture.observeNode(node, "out", "codec", t),
    wantsEncodeResult: () => roundTrips < MAX_ROUND_TRIPS && capture.dictionary.wantsRoundTrip,
    onEncodeResult: (node: unknown, bytes: Uint8Array) => {
      roundTrips++;
      const expected = normalizeNode(node);
      if (isNormalizeError(expected)) return;
      setTimer(() => {
        try {
          const got = decodeFrame(bytes, { tables: DEFAULT_TABLES });
          const match = !isCodecError(got) && nodeHash(got) === nodeHash(expected);
          capture.dictionary.setRoundTrip(match ? "match" : "mismatch");
          capture.scheduleHealth();
        } catch (e) {
          capture.guard("codec").disable(e);
        }
      }, 0);
    },
  };

  const visit = (def: ModuleDefinitionLike): void => {
    const ex = def?.exports;
    if (!ex || typeof ex !== "object") return;
    const ns = ex as Record<string, unknown>;
    modules.visited++;
    comms.visit(def);
    if (typeof ns.getComms === "function" || typeof ns.getCommsConfig === "function") modules.comms = true;
    if (!modules.voip && isVoipModule(ns)) {
      modules.voip = true;
      capture.scheduleHealth();
    }
    if (!inWorker && typeof ns.encodeStanza === "function" && typeof ns.decodeStanza === "function") {
      modules.codec = true;
      const wrapped = wrapCodec(ns, codecSink, capture.guard("codec"), clock);
      capture.setTap(
        "codec",
        wrapped.length === 2,
        wrapped.length === 2 ? `wrapped ${def.id ?? "codec"}` : "codec module exports could not be replaced",
      );
    }
    if (typeof ns.DICT_VERSION === "number" && Array.isArray(ns.SINGLE_BYTE_TOKEN)) {
      modules.dictionary = true;
      const tables = tablesFromWAWapDict(ns);
      if (tables) capture.dictionary.setPageTables(tables);
      else capture.reportError(new Error(`dictionary module ${def.id ?? ""} has an unexpected shape`));
      capture.scheduleHealth();
    }
    if (typeof ns.VERSION_STR === "string") {
      capture.health.build = ns.VERSION_STR;
      capture.scheduleHealth();
    }
  };

  const seen = new WeakSet<object>();
  const guardedVisit = (def: ModuleDefinitionLike): void => {
    if (def && typeof def === "object") seen.add(def);
    try {
      visit(def);
    } catch (e) {
      capture.reportError(e);
    }
  };
  trapAfterModuleFactory(scope, guardedVisit, (e) => capture.reportError(e));

  const poll = (): void => {
    try {
      scanRegistry(scope, seen, guardedVisit);
      comms.patchRunningComms();
      const version = scope.Debug?.VERSION;
      if (typeof version === "string" && capture.health.build !== version) {
        capture.health.build = version;
        capture.scheduleHealth();
      }
    } catch (e) {
      capture.reportError(e);
    }
  };
  const pollMs = options.pollMs ?? 250;
  const started = clock();
  const loop = (): void => {
    poll();
    setTimer(loop, clock() - started < 60_000 ? pollMs : pollMs * 8);
  };
  setTimer(loop, 0);
  capture.scheduleHealth();

  return { capture, emitter, transport, visit: guardedVisit, poll };
}
