import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_TABLES, encodeFrame, tablesFromWAWapDict } from "../../src/shared/codec/index";
import { wrapCodec } from "../../src/tap/codecTap";
import { faults, isTapWrapper, unwrap } from "../../src/tap/guard";
import { CALL_ACK, MESSAGE, OFFER, permutedTables } from "../shared/capture/support";
import { observedPromise, recordingCapture, sleep } from "./support";

function codecSink(capture: ReturnType<typeof recordingCapture>["capture"]) {
  return {
    onDecodeBytes: (b: Uint8Array, t: number, truncatedFrom?: number) =>
      capture.observeFrame(b, "in", "codec", t, { kind: "codec" }, truncatedFrom),
    onEncodeNode: (n: unknown, t: number) => capture.observeNode(n, "out", "codec", t),
    wantsEncodeResult: () => false,
    onEncodeResult: () => undefined,
  };
}

/** A WAWap-shaped namespace whose functions record how they were called. */
function fakeWAWap() {
  const calls: { self: unknown; args: unknown[] }[] = [];
  const results: unknown[] = [];
  const thenCounters: (() => number)[] = [];
  const ns: Record<string, unknown> = {
    decodeStanza(this: unknown, ...args: unknown[]) {
      calls.push({ self: this, args });
      const bytes = args[0] as Uint8Array;
      if (bytes.length === 0) throw new RangeError("decodeStanza: empty frame");
      const { promise, thenCalls } = observedPromise({ decoded: bytes.length });
      results.push(promise);
      thenCounters.push(thenCalls);
      return promise;
    },
    encodeStanza(this: unknown, ...args: unknown[]) {
      calls.push({ self: this, args });
      const node = args[0] as { tag?: unknown };
      if (typeof node?.tag !== "string") throw new TypeError("Invalid payload type: number");
      const out = encodeFrame(node as never);
      results.push(out);
      return out;
    },
    WapNode: class {},
  };
  return { ns, calls, results, thenCounters };
}

afterEach(() => {
  faults.on = false;
});

describe("codec tap: never harms the page", () => {
  it("returns WA's own Promise, keeps this and arguments, never calls then on it", async () => {
    const { capture } = recordingCapture();
    const { ns, calls, results, thenCounters } = fakeWAWap();
    const original = ns.decodeStanza as (...a: unknown[]) => Promise<unknown>;
    expect(wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock)).toEqual([
      "decodeStanza",
      "encodeStanza",
    ]);
    expect(isTapWrapper(ns.decodeStanza)).toBe(true);
    expect(unwrap(ns.decodeStanza)).toBe(original);
    expect((ns.decodeStanza as { name: string }).name).toBe("decodeStanza");
    const self = { owner: "WAComms" };
    const frame = encodeFrame(OFFER);
    const inflate = (x: Uint8Array) => x;
    const p = (ns.decodeStanza as (...a: unknown[]) => Promise<unknown>).call(self, frame, inflate, "extra");
    expect(p).toBe(results[0]);
    expect(calls[0].self).toBe(self);
    expect(calls[0].args).toEqual([frame, inflate, "extra"]);
    expect(calls[0].args[0]).toBe(frame);
    await sleep(5);
    capture.pump(true);
    expect(thenCounters[0]()).toBe(0);
  });

  it("adds no microtask before WA's reaction: all tap work runs in a later timer task", async () => {
    const order: string[] = [];
    const timers: string[] = [];
    const { capture, stanzas } = recordingCapture({
      setTimer: (fn, ms) =>
        setTimeout(() => {
          timers.push("tap-timer");
          order.push("tap");
          fn();
        }, ms),
    });
    const { ns } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    capture.dictionary.addHeaderVersion(3);
    const p = (ns.decodeStanza as (...a: unknown[]) => Promise<unknown>)(encodeFrame(OFFER), null);
    p.then(() => order.push("wa-reaction"));
    queueMicrotask(() => order.push("wa-microtask"));
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(["wa-reaction", "wa-microtask"]);
    expect(stanzas).toHaveLength(0);
    await sleep(20);
    expect(order.slice(0, 3)).toEqual(["wa-reaction", "wa-microtask", "tap"]);
    expect(stanzas.map((s) => s.node?.tag)).toEqual(["call"]);
  });

  it("rethrows WA's synchronous errors unchanged (same object) and returns encode's own bytes", () => {
    const { capture, stanzas } = recordingCapture();
    const { ns, results } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    let thrown: unknown;
    try {
      (ns.decodeStanza as (b: Uint8Array) => unknown)(new Uint8Array(0));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    let encodeError: unknown;
    try {
      (ns.encodeStanza as (n: unknown) => unknown)(42);
    } catch (e) {
      encodeError = e;
    }
    expect(encodeError).toBeInstanceOf(TypeError);
    expect((encodeError as Error).message).toBe("Invalid payload type: number");
    const out = (ns.encodeStanza as (n: unknown) => unknown)(OFFER);
    expect(out).toBe(results[results.length - 1]);
    capture.pump(true);
    expect(stanzas.map((s) => [s.direction, s.tap, s.node?.tag])).toEqual([["out", "codec", "call"]]);
  });

  it("copies the bytes at call time (later changes to WA's buffer do not matter)", () => {
    const { capture, stanzas } = recordingCapture();
    const { ns } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    const frame = encodeFrame(CALL_ACK);
    (ns.decodeStanza as (b: Uint8Array) => unknown)(frame);
    frame.fill(0);
    capture.dictionary.addHeaderVersion(3);
    capture.pump(true);
    expect(stanzas[0].node).toMatchObject({ tag: "ack", attrs: { class: "call", id: "123.456-7" } });
  });

  it("switches itself off on its first internal error, reports it, and keeps WA's results", () => {
    const { capture } = recordingCapture();
    const { ns, results } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    faults.on = true;
    const p = (ns.decodeStanza as (b: Uint8Array) => unknown)(encodeFrame(OFFER));
    expect(p).toBe(results[0]);
    const out = (ns.encodeStanza as (n: unknown) => unknown)(OFFER);
    expect(out).toBe(results[1]);
    expect(capture.guard("codec").enabled).toBe(false);
    const h = capture.snapshot();
    expect(h.taps.find((t) => t.name === "codec")).toMatchObject({ disabled: true });
    expect(h.lastError).toMatchObject({ tap: "codec", message: "injected fault at codec.decodeStanza" });
    expect(h.limitations?.map((l) => l.code)).toContain("tap-disabled");
  });

  it("is idempotent and ignores modules of other shapes", () => {
    const { capture } = recordingCapture();
    const { ns } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    const first = ns.decodeStanza;
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    expect(ns.decodeStanza).toBe(first);
    expect(
      wrapCodec({ decodeStanza: () => 1 }, codecSink(capture), capture.guard("codec"), capture.clock),
    ).toEqual([]);
  });
});

describe("codec tap: what it captures", () => {
  it("decodes codec bytes with the page's tables, counts non-call stanzas and codec payloads", () => {
    const { capture, stanzas } = recordingCapture();
    const { ns } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    const v4 = permutedTables();
    capture.dictionary.setPageTables(
      tablesFromWAWapDict({
        DICT_VERSION: 4,
        SINGLE_BYTE_TOKEN: v4.single.slice(1),
        DICTIONARIES: v4.double,
      }) ?? DEFAULT_TABLES,
    );
    const decode = ns.decodeStanza as (b: Uint8Array, i?: unknown) => unknown;
    decode(encodeFrame(OFFER, { tables: v4 }));
    decode(encodeFrame(MESSAGE, { tables: v4 }));
    // The VoIP engine's payload round trip: not a wire stanza.
    decode(encodeFrame((OFFER.content as never[])[0], { tables: v4 }), (x: unknown) => x);
    capture.pump(true);
    expect(stanzas.map((s) => s.node?.tag)).toEqual(["call"]);
    const h = capture.snapshot();
    expect(h.seenByTag).toEqual({ call: 1, message: 1 });
    expect(h.codecPayloads).toEqual({ offer: 1 });
    expect(h.dictionary).toMatchObject({ source: "page", version: 4, diffFromBundled: { single: 235 } });
  });

  it("never decodes codec bytes while the page's dictionary is unknown, and sends no hex", () => {
    const { capture, stanzas } = recordingCapture();
    const { ns } = fakeWAWap();
    wrapCodec(ns, codecSink(capture), capture.guard("codec"), capture.clock);
    capture.dictionary.addHeaderVersion(9);
    (ns.decodeStanza as (b: Uint8Array) => unknown)(encodeFrame(OFFER, { tables: permutedTables(9) }));
    capture.pump(true);
    expect(stanzas).toHaveLength(0);
    const h = capture.snapshot();
    expect(h.undecodable).toBe(1);
    expect(h.undecodableByReason).toEqual({ "unknown dictionary v9": 1 });
    expect(JSON.stringify(h)).not.toMatch(/hex/);
  });
});
