import { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { noiseIv } from "../../src/shared/capture/noise";
import { encodeFrame } from "../../src/shared/codec/index";
import type { WANode } from "../../src/shared/codec/node";
import { faults, isTapWrapper } from "../../src/tap/guard";
import { TransportTap } from "../../src/tap/transportTap";
import { CALL_ACK, MESSAGE, OFFER, permutedTables } from "../shared/capture/support";
import { recordingCapture, sleep } from "./support";

const real = webcrypto.subtle;

/** A SubtleCrypto-like class whose prototype methods forward to Node's WebCrypto. */
function fakeScope() {
  const log: string[] = [];
  class FakeSubtle {
    importKey(...a: unknown[]) {
      log.push("importKey");
      return (real.importKey as (...x: unknown[]) => unknown)(...a);
    }
    encrypt(...a: unknown[]) {
      log.push("encrypt");
      return (real.encrypt as (...x: unknown[]) => unknown)(...a);
    }
    decrypt(...a: unknown[]) {
      log.push("decrypt");
      if (!(this instanceof FakeSubtle)) throw new TypeError("Illegal invocation");
      return (real.decrypt as (...x: unknown[]) => unknown)(...a);
    }
    digest(...a: unknown[]) {
      return (real.digest as (...x: unknown[]) => unknown)(...a);
    }
  }
  class FakeWebSocket {
    sent: unknown[] = [];
    send(data: unknown) {
      this.sent.push(data);
      return "sent";
    }
  }
  const subtle = new FakeSubtle() as unknown as SubtleCrypto;
  return {
    scope: { SubtleCrypto: FakeSubtle, WebSocket: FakeWebSocket, crypto: { subtle } },
    subtle,
    log,
    FakeWebSocket,
  };
}

/** One side of a Noise transport as WA runs it (keys imported through the page's subtle). */
async function waSession(subtle: SubtleCrypto, seed: number, ws?: { send(d: unknown): unknown }) {
  const writeRaw = new Uint8Array(32).fill(seed);
  const readRaw = new Uint8Array(32).fill(seed + 1);
  const writeKey = await subtle.importKey("raw", writeRaw, "AES-GCM", false, ["encrypt"]);
  const readKey = await subtle.importKey("raw", readRaw, "AES-GCM", false, ["decrypt"]);
  const server = await real.importKey("raw", readRaw, "AES-GCM", false, ["encrypt"]);
  let out = 0;
  let inn = 0;
  let serverOut = 0;
  return {
    /**
     * WA sends a node: encrypt through the page's subtle, then (with `ws`) send the ciphertext
     * behind its u24 length, as WA's frame socket does.
     */
    send: async (node: WANode, tables?: Parameters<typeof encodeFrame>[1]) => {
      const ct = await subtle.encrypt(
        { name: "AES-GCM", iv: noiseIv(out++), additionalData: new Uint8Array(0) },
        writeKey,
        encodeFrame(node, tables) as Uint8Array<ArrayBuffer>,
      );
      const b = new Uint8Array(ct);
      ws?.send(Uint8Array.of(b.length >> 16, (b.length >> 8) & 255, b.length & 255, ...b));
      return ct;
    },
    /** The server encrypts a node for WA (not through the page). */
    serverFrame: async (node: WANode, tables?: Parameters<typeof encodeFrame>[1]) =>
      new Uint8Array(
        await real.encrypt(
          { name: "AES-GCM", iv: noiseIv(serverOut++), additionalData: new Uint8Array(0) },
          server,
          encodeFrame(node, tables),
        ),
      ),
    /** WA receives a frame: decrypt through the page's subtle; returns WA's promise. */
    receive: (ct: Uint8Array) =>
      subtle.decrypt(
        { name: "AES-GCM", iv: noiseIv(inn++), additionalData: new Uint8Array(0) },
        readKey,
        ct as Uint8Array<ArrayBuffer>,
      ),
  };
}

const header = (v: number) => Uint8Array.of(0x57, 0x41, 6, v, 0, 0, 1, 0);

afterEach(() => {
  faults.on = false;
});

describe("transport tap: never harms the page", () => {
  it("returns WA's own promises and values, keeps this/arguments, rethrows synchronous errors", async () => {
    const { capture } = recordingCapture();
    const { scope, subtle, FakeWebSocket } = fakeScope();
    const proto = scope.SubtleCrypto.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const originals = { decrypt: proto.decrypt };
    const tap = new TransportTap(capture, capture.guard("transport"));
    expect(tap.install(scope)).toBe("wrapped importKey, encrypt, decrypt, WebSocket.send");
    expect(isTapWrapper(proto.decrypt)).toBe(true);
    expect(proto.decrypt.name).toBe(originals.decrypt.name);
    const ws = new FakeWebSocket();
    const data = header(3);
    expect((ws as unknown as { send(d: unknown): unknown }).send(data)).toBe("sent");
    expect(ws.sent[0]).toBe(data);
    // Synchronous TypeError of a bad `this` is WA's own error, untouched; the tap stays on.
    expect(() => proto.decrypt.call({}, { name: "AES-GCM", iv: noiseIv(0) }, {}, new Uint8Array(1))).toThrow(
      "Illegal invocation",
    );
    const s = await waSession(subtle, 1);
    const ct = await s.serverFrame(CALL_ACK);
    const p = s.receive(ct);
    expect(p).toBeInstanceOf(Promise);
    const plain = new Uint8Array(await p);
    expect(plain).toEqual(encodeFrame(CALL_ACK));
    expect(capture.guard("transport").enabled).toBe(true);
  });

  it("keeps a failing tap away from WA: switched off, reported, WA's crypto unchanged", async () => {
    const { capture, stanzas } = recordingCapture();
    const { scope, subtle } = fakeScope();
    new TransportTap(capture, capture.guard("transport")).install(scope);
    faults.on = true;
    const s = await waSession(subtle, 3);
    faults.on = false;
    const ct = await s.send(OFFER);
    expect(new Uint8Array(ct).length).toBe(encodeFrame(OFFER).length + 16);
    await sleep(10);
    capture.pump(true);
    expect(stanzas).toHaveLength(0);
    const h = capture.snapshot();
    expect(h.taps.find((t) => t.name === "transport")).toMatchObject({ disabled: true });
    expect(h.lastError?.message).toBe("injected fault at transport.importKey");
  });
});

describe("transport tap: what it captures", () => {
  it("reads both directions of a Noise session, in order, with its own key copy", async () => {
    const { capture, stanzas } = recordingCapture();
    const { scope, subtle, log, FakeWebSocket } = fakeScope();
    const tap = new TransportTap(capture, capture.guard("transport"));
    tap.install(scope);
    const ws = new FakeWebSocket() as unknown as { send(d: unknown): unknown };
    ws.send(header(3));
    const s = await waSession(subtle, 5, ws);
    await s.send(OFFER);
    await s.send(MESSAGE);
    await s.receive(await s.serverFrame(CALL_ACK));
    await s.receive(await s.serverFrame(MESSAGE));
    await sleep(20);
    capture.pump(true);
    expect(stanzas.map((x) => [x.direction, x.tap, x.node?.tag])).toEqual([
      ["out", "transport", "call"],
      ["in", "transport", "ack"],
    ]);
    expect(stanzas[0].node?.attrs.to).toBe("15550002222@s.whatsapp.net");
    const h = capture.snapshot();
    expect(h.seenByTag).toEqual({ call: 1, message: 2, ack: 1 });
    expect(h.transport).toBeUndefined(); // filled in by the core's decorate
    expect(tap.stats).toMatchObject({ sockets: 1, keys: 2, framesIn: 2, framesOut: 2, counterGaps: 0 });
    // WA made 2 decrypt calls and the tap 2 of its own (through the original function, so
    // they were not captured again).
    expect(log.filter((x) => x === "decrypt")).toHaveLength(4);
  });

  it("times a sent frame at the WebSocket.send that carries it, not at its encrypt call", async () => {
    const { capture, stanzas } = recordingCapture({
      clock: () => performance.timeOrigin + performance.now(),
    });
    const { scope, subtle, FakeWebSocket } = fakeScope();
    new TransportTap(capture, capture.guard("transport")).install(scope);
    const ws = new FakeWebSocket() as unknown as { send(d: unknown): unknown };
    ws.send(header(3));
    const s = await waSession(subtle, 7);
    const before = performance.timeOrigin + performance.now();
    const ct = new Uint8Array(await s.send(OFFER));
    await sleep(60); // the socket is busy: the frame leaves later than it was encrypted
    const sentAt = performance.timeOrigin + performance.now();
    ws.send(
      Uint8Array.of(0, 0, 5, 1, 2, 3, 4, 5, ct.length >> 16, (ct.length >> 8) & 255, ct.length & 255, ...ct),
    );
    await sleep(20);
    capture.pump(true);
    expect(stanzas.map((x) => x.node?.tag)).toEqual(["call"]);
    expect(stanzas[0].t).toBeGreaterThanOrEqual(sentAt);
    expect(stanzas[0].t - before).toBeGreaterThanOrEqual(55);
  });

  it("keeps the encrypt call's time for a frame whose send never comes, after a bounded wait", async () => {
    const { capture, stanzas } = recordingCapture({
      clock: () => performance.timeOrigin + performance.now(),
    });
    const { scope, subtle, FakeWebSocket } = fakeScope();
    new TransportTap(capture, capture.guard("transport")).install(scope);
    (new FakeWebSocket() as unknown as { send(d: unknown): unknown }).send(header(3));
    const s = await waSession(subtle, 9);
    await s.send(OFFER);
    await sleep(20);
    capture.pump(true);
    expect(stanzas).toHaveLength(0); // still waiting for its send
    await sleep(1100);
    capture.pump(true);
    expect(stanzas.map((x) => x.node?.tag)).toEqual(["call"]);
  });

  it("follows a reconnect (new keys, counters from 0) and two sockets at once", async () => {
    const { capture, stanzas } = recordingCapture();
    const { scope, subtle, FakeWebSocket } = fakeScope();
    new TransportTap(capture, capture.guard("transport")).install(scope);
    (new FakeWebSocket() as unknown as { send(d: unknown): unknown }).send(header(3));
    const a = await waSession(subtle, 10);
    const b = await waSession(subtle, 20);
    await b.receive(await b.serverFrame(CALL_ACK));
    await a.receive(await a.serverFrame({ ...CALL_ACK, attrs: { ...CALL_ACK.attrs, id: "a-1" } }));
    const c = await waSession(subtle, 30); // reconnect
    await c.receive(await c.serverFrame({ ...CALL_ACK, attrs: { ...CALL_ACK.attrs, id: "c-1" } }));
    await sleep(30);
    capture.pump(true);
    expect(stanzas.map((x) => x.node?.attrs.id)).toEqual(["123.456-7", "a-1", "c-1"]);
  });

  it("decodes with the header's dictionary and never forwards frames of an unknown one", async () => {
    const { capture, stanzas } = recordingCapture();
    const { scope, subtle, FakeWebSocket } = fakeScope();
    capture.setTap("transport", true);
    new TransportTap(capture, capture.guard("transport")).install(scope);
    const ws = new FakeWebSocket() as unknown as { send(d: unknown): unknown };
    ws.send(header(9));
    const s = await waSession(subtle, 40, ws);
    const v9 = permutedTables(9);
    await s.send(OFFER, { tables: v9 });
    await s.receive(await s.serverFrame(MESSAGE, { tables: v9 }));
    // Our own decryption runs in later tasks: poll (a loaded machine may take a while).
    for (let i = 0; i < 100 && (capture.snapshot().undecodable ?? 0) < 2; i++) {
      await sleep(20);
      capture.pump(true);
    }
    expect(stanzas).toHaveLength(0);
    const h = capture.snapshot();
    expect(h.undecodable).toBe(2);
    expect(h.dictionary).toMatchObject({ headerVersions: [9], unknownVersions: [9], source: "none" });
    expect(h.emptyReason?.code).toBe("dictionary-unknown");
    expect(h.decodeErrors ?? []).toHaveLength(0);
  });
});

describe("transport tap: timing", () => {
  it("does nothing in microtasks: WA's decrypt reaction runs before any tap work, which is one timer task", async () => {
    const { capture } = recordingCapture();
    const { scope, subtle } = fakeScope();
    const timers: (() => void)[] = [];
    const tap = new TransportTap(capture, capture.guard("transport"), {}, (fn) => timers.push(fn));
    tap.install(scope);
    const s = await waSession(subtle, 50);
    const ct = await s.serverFrame(CALL_ACK);
    const order: string[] = [];
    const p = s.receive(ct);
    p.then(() => order.push("wa"));
    expect(timers).toHaveLength(1); // the tap scheduled one timer task, nothing else
    await p;
    await Promise.resolve();
    expect(order).toEqual(["wa"]);
    expect(tap.stats.framesIn).toBe(0);
    timers.shift()?.();
    await sleep(20);
    expect(tap.stats.framesIn).toBe(1);
  });
});
