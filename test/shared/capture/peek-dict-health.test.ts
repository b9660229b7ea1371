import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DictionaryState, diffTables, MISMATCHES_TO_REJECT } from "../../../src/shared/capture/dictionary";
import { emptyReasonFor, limitationsFor } from "../../../src/shared/capture/health";
import { isPeekError, peekFrame } from "../../../src/shared/capture/peek";
import { DEFAULT_TABLES, decodeFrame, encodeFrame } from "../../../src/shared/codec/index";
import type { WANode } from "../../../src/shared/codec/node";
import { emptyHealth } from "../../../src/shared/trace/types";
import { CALL_ACK, MESSAGE, OFFER, PRESENCE, permutedTables, tappedWorker } from "./support";

describe("peekFrame", () => {
  it("reads tag, id, class and first child without decoding the rest", () => {
    expect(peekFrame(encodeFrame(OFFER), DEFAULT_TABLES)).toEqual({
      tag: "call",
      id: "123.456-7",
      firstChildTag: "offer",
    });
    expect(peekFrame(encodeFrame(CALL_ACK), DEFAULT_TABLES)).toEqual({
      tag: "ack",
      id: "123.456-7",
      ackClass: "call",
    });
    expect(peekFrame(encodeFrame(MESSAGE), DEFAULT_TABLES)).toMatchObject({
      tag: "message",
      firstChildTag: "enc",
    });
    expect(peekFrame(encodeFrame(PRESENCE), DEFAULT_TABLES)).toEqual({ tag: "presence" });
  });

  it("agrees with the full decoder on ids of every string form", () => {
    for (const id of ["ABCDEF0123456789", "abcdef-lower", "1234-5678.9", `3EB0${"A".repeat(200)}`, ""]) {
      const f = encodeFrame({ tag: "receipt", attrs: { from: "1@lid", id, to: "2:3@s.whatsapp.net" } });
      const full = decodeFrame(f);
      expect(peekFrame(f, DEFAULT_TABLES)).toMatchObject({
        tag: "receipt",
        id: (full as WANode).attrs.id,
      });
    }
  });

  it("decodes compressed frames in full, and reports corrupt frames without throwing", () => {
    const plain = encodeFrame(OFFER);
    const body = plain.subarray(1);
    const z = deflateSync(body);
    const compressed = new Uint8Array([2, ...z]);
    expect(peekFrame(compressed, DEFAULT_TABLES)).toMatchObject({ tag: "call", node: { tag: "call" } });
    expect(isPeekError(peekFrame(plain.subarray(0, 6), DEFAULT_TABLES))).toBe(true);
    expect(isPeekError(peekFrame(Uint8Array.of(0, 0xf8, 1, 0xf1), DEFAULT_TABLES))).toBe(true);
    expect(isPeekError(peekFrame(new Uint8Array(1), DEFAULT_TABLES))).toBe(true);
  });

  it("reads frames of another dictionary only with that dictionary's tables", () => {
    const v4 = permutedTables();
    const f = encodeFrame(MESSAGE, { tables: v4 });
    expect(peekFrame(f, v4)).toMatchObject({ tag: "message" });
    const misread = peekFrame(f, DEFAULT_TABLES);
    expect(isPeekError(misread) || misread.tag !== "message").toBe(true);
  });
});

describe("DictionaryState", () => {
  it("uses the page's tables, reports their difference from v3, and refuses unknown versions", () => {
    const d = new DictionaryState();
    expect(d.tablesFor({ kind: "socket", dictVersion: 3 })).toEqual({ tables: DEFAULT_TABLES });
    expect(d.tablesFor({ kind: "socket", dictVersion: 9 })).toEqual({ reason: "unknown dictionary v9" });
    expect(d.tablesFor({ kind: "codec" })).toHaveProperty("reason");
    const v4 = permutedTables();
    d.setPageTables(v4);
    d.addHeaderVersion(4);
    expect(d.tablesFor({ kind: "socket", dictVersion: 4 })).toEqual({ tables: v4 });
    expect(d.tablesFor({ kind: "codec" })).toEqual({ tables: v4 });
    const h = d.health();
    expect(h).toMatchObject({ source: "page", version: 4, headerVersions: [4], unknownVersions: [9] });
    expect(h.diffFromBundled?.total).toBe(diffTables(v4, DEFAULT_TABLES).total);
    expect(h.diffFromBundled?.single).toBe(235);
  });

  it("trusts the bundled tables for codec bytes only on evidence (header v3 or an encode round trip)", () => {
    const d = new DictionaryState();
    expect(d.wantsRoundTrip).toBe(true);
    for (let i = 0; i < MISMATCHES_TO_REJECT - 1; i++) d.setRoundTrip("mismatch");
    expect(d.tablesFor({ kind: "codec" })).toHaveProperty("reason");
    d.setRoundTrip("match");
    expect(d.tablesFor({ kind: "codec" })).toEqual({ tables: DEFAULT_TABLES });
    expect(d.health()).toMatchObject({ source: "bundled", version: 3 });
    const e = new DictionaryState();
    for (let i = 0; i < MISMATCHES_TO_REJECT; i++) e.setRoundTrip("mismatch");
    e.addHeaderVersion(3);
    expect(e.tablesFor({ kind: "codec" })).toHaveProperty("reason");
  });
});

describe("health hints", () => {
  it("explain an empty capture, most specific first", () => {
    const h = emptyHealth();
    expect(emptyReasonFor(h)?.code).toBe("no-tap");
    expect(emptyReasonFor(h)?.message).toBe("tap not installed: no stanza codec module found");
    h.taps.push({ name: "codec", installed: true, live: false });
    expect(emptyReasonFor(h)?.code).toBe("nothing-seen");
    h.seenByTag = { message: 3, iq: 2 };
    expect(emptyReasonFor(h)?.message).toBe("5 stanzas seen, none were call stanzas");
    h.commsMode = "worker";
    expect(emptyReasonFor(h)?.message).toMatch(/^comms run in a worker: enable deep capture/);
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["worker-acks-hidden"]);
    h.taps[0].disabled = true;
    expect(emptyReasonFor(h)?.code).toBe("taps-disabled");
    h.forwarded = 1;
    expect(emptyReasonFor(h)).toBeUndefined();
  });

  it("name an unknown dictionary when nothing could be decoded", () => {
    const h = emptyHealth();
    h.taps.push({ name: "transport", installed: true, live: true });
    h.dictionary = { source: "none", headerVersions: [9], unknownVersions: [9] };
    h.undecodable = 12;
    expect(emptyReasonFor(h)).toEqual({
      code: "dictionary-unknown",
      message:
        "the connection uses token dictionary v9, which this version cannot decode (12 frames counted, none decoded)",
    });
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["dictionary-unknown"]);
  });

  it("take deep capture into account: waiting for a worker, covered, late, failed", () => {
    const h = emptyHealth();
    h.taps.push({ name: "codec", installed: true, live: true });
    h.seenByTag = { message: 3 };
    h.commsMode = "worker";
    h.deepCapture = { state: "on", workers: [] };
    expect(emptyReasonFor(h)?.message).toMatch(
      /deep capture is on, but no worker tap has reported yet: reload the page/,
    );
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["worker-acks-hidden"]);
    const worker = tappedWorker({ seenByTag: { iq: 4 } });
    h.deepCapture.workers.push(worker);
    // Covered by the worker: no worker-mode gap; page and worker counts add up.
    expect(limitationsFor(h)).toEqual([]);
    expect(emptyReasonFor(h)?.message).toBe("7 stanzas seen, none were call stanzas");
    worker.health.forwarded = 2;
    expect(emptyReasonFor(h)).toBeUndefined();
    worker.installed = "late";
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["deep-capture-late"]);
    worker.health.taps[0].disabled = true;
    worker.health.taps[0].note = "switched off after an internal error: boom";
    // A worker whose only tap is off covers nothing.
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["worker-acks-hidden"]);
    h.deepCapture = { state: "error", note: "the debugger was detached", workers: [] };
    expect(emptyReasonFor(h)?.message).toMatch(
      /enable deep capture .*\(deep capture failed: the debugger was detached\)$/,
    );
    expect(limitationsFor(h).map((l) => l.code)).toEqual(["worker-acks-hidden", "deep-capture-off"]);
  });
});
