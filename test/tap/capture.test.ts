import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_TABLES, encodeFrame } from "../../src/shared/codec/index";
import type { WANode } from "../../src/shared/codec/node";
import { CommsTap, wrapCommsHandlers } from "../../src/tap/commsTap";
import { Emitter } from "../../src/tap/emit";
import { faults } from "../../src/tap/guard";
import { CALL_ACK, MESSAGE, OFFER } from "../shared/capture/support";
import { recordingCapture } from "./support";

afterEach(() => {
  faults.on = false;
});

describe("capture pipeline", () => {
  it("dedupes one stanza seen as a node and as bytes, keeping the earliest tap and the wire-nearest time", () => {
    const { capture, stanzas } = recordingCapture();
    capture.dictionary.setPageTables(DEFAULT_TABLES);
    // Outbound: encodeStanza (t=10), encrypt (t=11), onCastStanza after the send (t=15).
    capture.observeNode(OFFER, "out", "codec", 10);
    capture.observeFrame(encodeFrame(OFFER), "out", "transport", 11, { kind: "socket", dictVersion: 3 });
    capture.observeNode(OFFER, "out", "comms-config", 15);
    // Inbound: decrypt (t=160), decodeStanza (t=161), onHandleStanza (t=162).
    capture.observeFrame(encodeFrame(CALL_ACK), "in", "transport", 160, { kind: "socket", dictVersion: 3 });
    capture.observeFrame(encodeFrame(CALL_ACK), "in", "codec", 161, { kind: "codec" });
    capture.observeNode(CALL_ACK, "in", "comms-config", 162);
    capture.pump(true);
    // Sent: the transport tap's time (the socket send) is the one nearest the wire.
    expect(stanzas.map((s) => [s.direction, s.tap, s.t, s.node?.tag])).toEqual([
      ["out", "codec", 11, "call"],
      ["in", "transport", 160, "ack"],
    ]);
    expect(stanzas[0].seenAt).toEqual({ codec: 10, transport: 11, "comms-config": 15 });
    const h = capture.snapshot();
    expect(h.forwarded).toBe(2);
    expect(h.deduped).toBe(4);
    expect(h.seenByTag).toEqual({ call: 1, ack: 1 });
  });

  it("holds codec bytes until the page's dictionary is established, then decodes them", () => {
    const { capture, stanzas } = recordingCapture();
    capture.observeFrame(encodeFrame(OFFER), "in", "codec", capture.clock(), { kind: "codec" });
    capture.pump(true);
    expect(stanzas).toHaveLength(0);
    expect(capture.snapshot().undecodable).toBeUndefined();
    capture.dictionary.setRoundTrip("match");
    capture.pump(true);
    expect(stanzas.map((s) => s.node?.tag)).toEqual(["call"]);
  });

  it("sends hex only for frames known to be call-related, and never frames it could not classify", () => {
    const { capture, stanzas } = recordingCapture();
    capture.dictionary.addHeaderVersion(3);
    const call = encodeFrame(OFFER);
    const broken = call.slice(0, call.length - 3); // header readable, body truncated
    capture.observeFrame(broken, "in", "transport", 1, { kind: "socket", dictVersion: 3 });
    const msg = encodeFrame(MESSAGE);
    capture.observeFrame(msg.slice(0, 4), "in", "transport", 2, { kind: "socket", dictVersion: 3 });
    capture.pump(true);
    expect(stanzas).toHaveLength(1);
    expect(stanzas[0].error?.hex).toBe(Buffer.from(broken).toString("hex"));
    const h = capture.snapshot();
    expect(h.undecodable).toBe(1);
    expect(h.decodeErrors?.map((e) => e.hex !== undefined)).toEqual([true, false]);
    expect(JSON.stringify(h)).not.toContain(Buffer.from(msg.slice(0, 4)).toString("hex"));
  });

  it("counts every stanza per tap and reports the per-tag maximum as seenByTag", () => {
    const { capture } = recordingCapture();
    capture.setTap("comms-config", true);
    for (let i = 0; i < 3; i++) capture.observeNode(MESSAGE, "in", "comms-config");
    capture.observeNode(MESSAGE, "in", "codec");
    capture.pump(true);
    const h = capture.snapshot();
    expect(h.seenByTap).toEqual({ "comms-config": { message: 3 }, codec: { message: 1 } });
    expect(h.seenByTag).toEqual({ message: 3 });
    expect(h.filtered).toBe(3);
    expect(h.emptyReason?.message).toBe("3 stanzas seen, none were call stanzas");
  });

  it("counts codec payloads (VoIP engine round trips) apart from wire stanzas", () => {
    const { capture, stanzas } = recordingCapture();
    capture.observeNode((OFFER.content as WANode[])[0], "out", "codec");
    capture.pump(true);
    expect(stanzas).toHaveLength(0);
    const h = capture.snapshot();
    expect(h.codecPayloads).toEqual({ offer: 1 });
    expect(h.seenByTag).toEqual({});
  });
});

describe("comms tap guard", () => {
  it("switches the tap off on its first error, reports it once, and keeps WA's handler behaviour", () => {
    const { capture } = recordingCapture();
    const guard = capture.guard("comms-config");
    let sinkCalls = 0;
    const handlers = {
      onHandleStanza: (n: unknown) => ({ handled: n }),
      onCastStanza: () => {
        throw new RangeError("WA's own error");
      },
    };
    wrapCommsHandlers(
      handlers,
      {
        onStanza: () => {
          sinkCalls++;
        },
        onError: () => undefined,
        onFound: () => undefined,
      },
      guard,
    );
    faults.on = true;
    expect(handlers.onHandleStanza(OFFER)).toEqual({ handled: OFFER });
    expect(() => handlers.onCastStanza()).toThrow(RangeError);
    faults.on = false;
    expect(handlers.onHandleStanza(OFFER)).toEqual({ handled: OFFER });
    expect(sinkCalls).toBe(0);
    expect(guard.enabled).toBe(false);
    const h = capture.snapshot();
    expect(h.taps.find((t) => t.name === "comms-config")?.disabled).toBe(true);
    expect(h.errors).toBe(1);
    expect(h.lastError).toMatchObject({
      tap: "comms-config",
      message: "injected fault at comms-config.onHandleStanza",
    });
  });

  it("reports the worker proxy (a running comms object without config)", () => {
    const found: string[] = [];
    const tap = new CommsTap({
      onStanza: () => undefined,
      onError: () => undefined,
      onFound: (w) => found.push(w),
    });
    tap.visit({ exports: { startComms: () => undefined, getComms: () => ({ sendIq: () => undefined }) } });
    expect(found).toEqual(["comms", "comms-proxy"]);
  });

  it("returns the very config object WA created", () => {
    const { capture } = recordingCapture();
    const config = { handlers: { onHandleStanza: () => undefined } };
    const ns = { getCommsConfig: () => config };
    new CommsTap(
      { onStanza: () => undefined, onError: () => undefined, onFound: () => undefined },
      capture.guard("comms-config"),
    ).visit({ exports: ns });
    expect(ns.getCommsConfig()).toBe(config);
  });
});

describe("emitter", () => {
  it("batches messages into one delivery from a timer, and survives a failing delivery", async () => {
    const batches: string[] = [];
    const timers: (() => void)[] = [];
    const e = new Emitter(
      (json) => batches.push(json),
      (fn) => timers.push(fn),
    );
    e.send({ type: "hello", url: "u", t: 1 });
    e.send({ type: "hello", url: "v", t: 2 });
    expect(batches).toHaveLength(0);
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(JSON.parse(batches[0])).toHaveLength(2);
    const failing = new Emitter(
      () => {
        throw new Error("relay gone");
      },
      (fn) => fn(),
    );
    expect(() => failing.send({ type: "hello", url: "u", t: 1 })).not.toThrow();
  });
});

describe("capture counters", () => {
  it("count hostile tags as plain keys and stay bounded", () => {
    const { capture } = recordingCapture();
    capture.observeNode({ tag: "__proto__", attrs: {} }, "in", "comms-config");
    capture.observeNode({ tag: "constructor", attrs: {} }, "in", "comms-config");
    for (let i = 0; i < 400; i++) capture.observeNode({ tag: `t${i}`, attrs: {} }, "in", "comms-config");
    capture.pump(true);
    const h = capture.snapshot();
    expect(Object.hasOwn(h.seenByTag, "__proto__")).toBe(true);
    expect(h.seenByTag.constructor).toBe(1);
    expect(Object.keys(h.seenByTag)).toHaveLength(257);
    expect(h.seenByTag["(other)"]).toBe(402 - 256);
  });
});
