import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { noiseIv } from "../../src/shared/capture/noise";
import { DEFAULT_TABLES, decodeFrame, encodeFrame } from "../../src/shared/codec/index";
import type { WANode } from "../../src/shared/codec/node";
import type { TapMessage } from "../../src/shared/protocol/messages";
import type { CapturedStanzaDraft, CaptureHealth } from "../../src/shared/trace/types";
import { installTapCore } from "../../src/tap/core";
import { CALL_ACK, MESSAGE, OFFER } from "../shared/capture/support";
import { sleep } from "./support";

const real = webcrypto.subtle;

/** A scope with WebCrypto, a WebSocket class and a Meta-like module runtime hook. */
function fakePage() {
  class FakeSubtle {}
  for (const name of ["importKey", "encrypt", "decrypt"] as const) {
    (FakeSubtle.prototype as Record<string, unknown>)[name] = (...a: unknown[]) =>
      (real[name] as (...x: unknown[]) => unknown).apply(real, a);
  }
  class FakeWebSocket {
    send(_d: unknown) {}
  }
  const scope: Record<string, unknown> = {
    SubtleCrypto: FakeSubtle,
    WebSocket: FakeWebSocket,
    crypto: { subtle: new FakeSubtle() },
  };
  const subtle = (scope.crypto as { subtle: SubtleCrypto }).subtle;
  return { scope, subtle, FakeWebSocket };
}

function collector() {
  const messages: TapMessage[] = [];
  return {
    deliver: (json: string) => messages.push(...(JSON.parse(json) as TapMessage[])),
    stanzas: () =>
      messages.filter((m) => m.type === "stanza").map((m) => (m as { stanza: CapturedStanzaDraft }).stanza),
    health: () =>
      messages
        .filter((m) => m.type === "health")
        .map((m) => (m as { health: CaptureHealth }).health)
        .pop(),
    messages,
  };
}

describe("tap core: one stream from every layer", () => {
  it("installs all taps on a main-thread page and emits each stanza once, from the tap that saw it first", async () => {
    const { scope, subtle, FakeWebSocket } = fakePage();
    const out = collector();
    const core = installTapCore(scope, {
      deliver: out.deliver,
      first: [{ type: "hello", url: "https://web.whatsapp.com/", t: 0 }],
    });
    // WA's runtime boots: it nulls the hook, then calls it after each factory.
    scope.__onAfterModuleFactory = null;
    const hook = scope.__onAfterModuleFactory as unknown as (def: unknown) => void;
    expect(typeof hook).toBe("function");
    const handlers = {
      onHandleStanza: (_n: unknown) => undefined,
      onCastStanza: (_n: unknown) => undefined,
    };
    const wawap: Record<string, unknown> = {
      encodeStanza: (n: WANode) => encodeFrame(n),
      decodeStanza: (b: Uint8Array) => Promise.resolve(decodeFrame(b)),
    };
    let gateCalls = 0;
    const modules = [
      { id: "WAWebBuildConstants", exports: { VERSION_STR: "2.3000.1" } },
      { id: "WAWebCommsGating", exports: { isCommsInWorker: () => gateCalls++ > 0 } },
      {
        id: "WAWapDict",
        exports: {
          DICT_VERSION: 3,
          SINGLE_BYTE_TOKEN: DEFAULT_TABLES.single.slice(1),
          DICTIONARIES: DEFAULT_TABLES.double,
        },
      },
      { id: "WAWap", exports: wawap },
      { id: "WAWebCommsConfig", exports: { getCommsConfig: () => ({ handlers }) } },
    ];
    for (const def of modules) hook(def);
    const config = (modules[4].exports.getCommsConfig as () => { handlers: typeof handlers })();

    // WA's socket: header, keys, then one frame each way plus chatter.
    const ws = new FakeWebSocket() as { send(d: unknown): void };
    ws.send(Uint8Array.of(0x57, 0x41, 6, 3, 0, 0, 0));
    const writeKey = await subtle.importKey("raw", new Uint8Array(32).fill(1), "AES-GCM", false, ["encrypt"]);
    const readRaw = new Uint8Array(32).fill(2);
    const readKey = await subtle.importKey("raw", readRaw, "AES-GCM", false, ["decrypt"]);
    const server = await real.importKey("raw", readRaw, "AES-GCM", false, ["encrypt"]);
    const aes = (n: number) => ({ name: "AES-GCM", iv: noiseIv(n), additionalData: new Uint8Array(0) });
    let outN = 0;
    let inN = 0;
    const send = async (node: WANode) => {
      const bytes = (wawap.encodeStanza as (n: WANode) => Uint8Array<ArrayBuffer>)(node);
      // As WA's frame socket does: the ciphertext goes out behind its u24 length.
      const ct = new Uint8Array((await subtle.encrypt(aes(outN++), writeKey, bytes)) as ArrayBuffer);
      ws.send(Uint8Array.of(ct.length >> 16, (ct.length >> 8) & 255, ct.length & 255, ...ct));
      config.handlers.onCastStanza(node);
    };
    const receive = async (node: WANode) => {
      const ct = await real.encrypt(aes(inN), server, encodeFrame(node) as Uint8Array<ArrayBuffer>);
      const plain = await subtle.decrypt(aes(inN++), readKey, ct);
      const decoded = await (wawap.decodeStanza as (b: ArrayBuffer) => Promise<WANode>)(plain);
      config.handlers.onHandleStanza(decoded);
    };
    await send(OFFER);
    await send(MESSAGE);
    await receive(MESSAGE);
    await receive(CALL_ACK);
    await sleep(50);
    core.capture.pump(true);
    await sleep(700);

    expect(out.messages[0].type).toBe("hello");
    const stanzas = out.stanzas();
    expect(stanzas.map((s) => [s.direction, s.node?.tag, s.tap])).toEqual([
      ["out", "call", "codec"],
      ["in", "ack", "transport"],
    ]);
    expect([...(stanzas[0].seenBy ?? [])].sort()).toEqual(["codec", "comms-config", "transport"]);
    expect([...(stanzas[1].seenBy ?? [])].sort()).toEqual(["codec", "comms-config", "transport"]);
    const h = out.health();
    expect(h).toMatchObject({
      build: "2.3000.1",
      commsMode: "main-thread",
      forwarded: 2,
      deduped: 4,
      seenByTag: { call: 1, message: 2, ack: 1 },
      dictionary: { source: "page", version: 3, headerVersions: [3], diffFromBundled: { total: 0 } },
      transport: { sockets: 1, keys: 2, framesIn: 2, framesOut: 2 },
    });
    expect(h?.taps.map((t) => [t.name, t.installed, t.live])).toEqual([
      ["comms-config", true, true],
      ["codec", true, true],
      ["transport", true, true],
    ]);
    // The mode comes from behaviour (a chat socket here), never from calling WhatsApp's gate,
    // whose body keeps changing and may log an experiment exposure (wa-web-2026.md §3).
    expect(h?.commsEvidence).toContain("a chat socket sent its header on this page");
    expect(gateCalls).toBe(0);
    expect(h?.emptyReason).toBeUndefined();
    expect(JSON.stringify(out.messages)).not.toContain("3EB0AABBCCDDEEFF001122");
  });

  it("reports a page whose comms run in a worker", async () => {
    const { scope } = fakePage();
    const out = collector();
    installTapCore(scope, { deliver: out.deliver });
    const hook = scope.__onAfterModuleFactory as unknown as (def: unknown) => void;
    let gateCalls = 0;
    hook({ id: "WAWebCommsGating", exports: { isCommsInWorker: () => ++gateCalls > 0 } });
    // The worker proxy: the running comms object has no config (wa-web-2026.md §3).
    hook({
      id: "WAComms",
      exports: { startComms: () => undefined, getComms: () => ({ castStanza: () => undefined }) },
    });
    await sleep(600);
    const h = out.health();
    expect(h?.commsMode).toBe("worker");
    expect(h?.commsEvidence).toContain("the running comms object has no config (worker proxy)");
    expect(gateCalls).toBe(0);
    expect(h?.emptyReason?.message).toMatch(/^comms run in a worker: enable deep capture/);
    expect(h?.limitations?.map((l) => l.code)).toContain("worker-acks-hidden");
  });

  it("reports a page with no findable modules", async () => {
    const out = collector();
    installTapCore({}, { deliver: out.deliver, transport: false });
    await sleep(600);
    expect(out.health()?.emptyReason).toEqual({
      code: "no-tap",
      message: "tap not installed: no stanza codec module found",
    });
  });

  it("in a worker (deep capture) leaves the codec alone and calls the mode worker", async () => {
    const { scope } = fakePage();
    const out = collector();
    installTapCore(scope, { deliver: out.deliver, context: "worker" });
    const hook = scope.__onAfterModuleFactory as unknown as (def: unknown) => void;
    const encodeStanza = () => new Uint8Array([0]);
    const decodeStanza = () => Promise.resolve(null);
    const codec = { id: "WAWap", exports: { encodeStanza, decodeStanza } };
    hook(codec);
    // The worker's codec also carries the page<->worker bridge: it is not wrapped there.
    expect(codec.exports.encodeStanza).toBe(encodeStanza);
    expect(codec.exports.decodeStanza).toBe(decodeStanza);
    await sleep(600);
    const h = out.health();
    const tap = h?.taps.find((t) => t.name === "codec");
    expect(tap?.installed).toBe(false);
    expect(tap?.note).toMatch(/^not used in a worker/);
    expect(h?.commsEvidence).toContain("taps installed in this worker by deep capture");
  });
});
