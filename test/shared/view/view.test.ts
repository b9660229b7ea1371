import { beforeEach, describe, expect, it } from "vitest";
import { buildCalls } from "../../../src/shared/trace/calls";
import { callMetrics, median, sortCalls } from "../../../src/shared/view/callColumns";
import { compileFilter, DEFAULT_FILTER, filterRows, stepMatch } from "../../../src/shared/view/filter";
import { annotate, callFindings, hexDump, stanzaXml } from "../../../src/shared/view/inspect";
import { ladderGeometry, layoutLadder } from "../../../src/shared/view/ladder";
import { Pseudonyms, pseudonymLetters } from "../../../src/shared/view/pseudonym";
import { SessionIndex } from "../../../src/shared/view/sessionIndex";
import { timeCells } from "../../../src/shared/view/time";
import { incomingAnswered, outgoingMissed, PEER, resetSeq } from "./fixtures";

beforeEach(resetSeq);

describe("ladder layout", () => {
  it("puts acks on the server lane, receipts on per-device peer lanes, and brackets each answer", () => {
    const [call] = buildCalls(outgoingMissed("A", 1000)).calls;
    const l = layoutLadder([call]);
    expect(l.lanes.map((x) => x.kind)).toEqual(["self", "server", "peer", "peer"]);
    expect(l.lanes.slice(2).map((x) => x.key)).toEqual([PEER, "15550002222:7@s.whatsapp.net"]);
    const [offer, ack, r0, r7, term, termAck] = l.arrows;
    expect([offer.from, offer.to, offer.dashed]).toEqual([0, 2, false]);
    expect([ack.from, ack.to, ack.dashed, ack.answersIndex]).toEqual([1, 0, true, 0]);
    expect([r0.from, r7.from]).toEqual([2, 3]);
    expect(term.finalReason?.raw).toBe("timeout");
    expect(term.finalReason?.confidence).toBe("probable");
    expect(termAck.answersIndex).toBe(4);
    // Offer ack (100 ms), two receipts, terminate ack: four brackets; overlapping ones get own columns.
    expect(l.brackets.map((b) => [b.from, b.to, b.ms])).toEqual([
      [0, 1, 100],
      [0, 2, 120],
      [0, 3, 120],
      [4, 5, 100],
    ]);
    expect(new Set(l.brackets.slice(0, 3).map((b) => b.column)).size).toBe(3);
    expect(l.brackets[3].column).toBe(0);
    const g = ladderGeometry(l);
    expect(g.laneX(1)).toBeGreaterThan(g.laneX(0));
    expect(g.rowY(5) - g.rowY(4)).toBeGreaterThan(g.rowY(2) - g.rowY(1)); // reason line adds height
  });

  it("merges several calls in capture order and pseudonymises lanes", () => {
    const calls = buildCalls([...outgoingMissed("A", 1000), ...incomingAnswered("B", 1050)]).calls;
    const p = new Pseudonyms();
    const l = layoutLadder(calls, { label: (j) => p.label(j) });
    const seqs = l.arrows.map((a) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(l.lanes.slice(2).map((x) => x.label)).toEqual(["A", "A:7"]);
    expect(new Set(l.arrows.map((a) => a.callId))).toEqual(new Set(["A", "B"]));
  });

  it("flags time going backwards and negative deltas, never hiding them", () => {
    const cells = timeCells([1000, 1010, 1005, 1020], "delta", { offerT: 1000 });
    expect(cells.map((c) => c.text)).toEqual(["+0.0 ms", "+10.0 ms", "−5.0 ms", "+15.0 ms"]);
    expect(cells.map((c) => c.backwards)).toEqual([false, false, true, false]);
    expect(timeCells([1000, 1500], "offer", { offerT: 1200 }).map((c) => c.text)).toEqual([
      "−0.200 s",
      "+0.300 s",
    ]);
    expect(timeCells([1000, 1500], "selected", { offerT: 0, selectedT: 1500 })[0].text).toBe("−500.0 ms");
    expect(timeCells([0], "absolute", { offerT: 0 })[0].text).toMatch(/^\d\d:\d\d:\d\d\.000$/);
  });
});

describe("call list columns", () => {
  it("measures setup, ring and ack statistics, and sorts with missing values last", () => {
    const calls = buildCalls([...outgoingMissed("A", 1000), ...incomingAnswered("B", 5000)]).calls;
    const [a, b] = calls;
    const ma = callMetrics(a);
    expect(ma.setupMs).toBeUndefined();
    expect(ma.ringMs).toBe(1380); // first receipt (1120) → terminate (2500)
    expect([ma.ackMin, ma.ackMedian, ma.ackMax]).toEqual([100, 100, 100]);
    const mb = callMetrics(b);
    expect(mb.setupMs).toBe(400);
    expect(mb.ringMs).toBe(397); // receipt (5003) → accept (5400)
    expect([mb.ackMin, mb.ackMedian, mb.ackMax]).toEqual([1, 2, 80]);
    const ctx = { peerLabel: () => "", findings: () => 0 };
    expect(sortCalls(calls, { column: "setup", descending: false }, ctx).map((c) => c.callId)).toEqual([
      "B",
      "A",
    ]);
    expect(sortCalls(calls, { column: "setup", descending: true }, ctx).map((c) => c.callId)).toEqual([
      "B",
      "A",
    ]);
    expect(sortCalls(calls, { column: "duration", descending: true }, ctx).map((c) => c.callId)).toEqual([
      "B",
      "A",
    ]);
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });
});

describe("filter", () => {
  it("narrows by scope, chips, direction and text/regex, and steps through matches", () => {
    const index = new SessionIndex();
    index.add([...outgoingMissed("A", 1000), ...incomingAnswered("B", 5000)]);
    index.add([
      {
        seq: 99,
        direction: "in",
        t: 9,
        tap: "comms-config",
        node: { tag: "ack", attrs: { class: "call", id: "zzz" } },
      },
    ]);
    const n = (f: Partial<typeof DEFAULT_FILTER>) =>
      filterRows(index.rows, compileFilter({ ...DEFAULT_FILTER, ...f })).length;
    expect(n({})).toBe(14);
    expect(n({ scope: "all" })).toBe(15);
    expect(n({ actions: ["ack"] })).toBe(5);
    expect(n({ actions: ["ack"], direction: "out" })).toBe(2);
    expect(n({ text: "TIMEOUT" })).toBe(1);
    expect(n({ text: 'reason="(timeout|busy)"', regex: true })).toBe(1);
    const bad = compileFilter({ ...DEFAULT_FILTER, text: "(", regex: true });
    expect(bad.error).toBeDefined();
    expect(filterRows(index.rows, bad)).toHaveLength(14);
    expect(stepMatch([2, 5, 9], undefined, false)).toBe(2);
    expect(stepMatch([2, 5, 9], 5, false)).toBe(9);
    expect(stepMatch([2, 5, 9], 9, false)).toBe(2);
    expect(stepMatch([2, 5, 9], 5, true)).toBe(2);
    expect(stepMatch([2, 5, 9], 2, true)).toBe(9);
    expect(stepMatch([2, 5, 9], 6, true)).toBe(5);
    expect(stepMatch([], 1, false)).toBeUndefined();
  });
});

describe("pseudonyms", () => {
  it("letters in order of first sight, stable, with device suffixes", () => {
    expect([0, 25, 26, 27, 701, 702].map(pseudonymLetters)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
    const p = new Pseudonyms();
    expect(p.label("111@s.whatsapp.net")).toBe("A");
    expect(p.label("222:7@s.whatsapp.net")).toBe("B:7");
    expect(p.label("111:3@s.whatsapp.net")).toBe("A:3");
    expect(p.label("333@lid")).toBe("C (lid)");
    expect(p.label("s.whatsapp.net")).toBe("s.whatsapp.net");
  });
});

describe("inspector data", () => {
  it("annotates known attributes, flags unknown ones, and renders XML and hex", () => {
    const [offer] = outgoingMissed("A", 1000);
    const node = structuredClone(offer.node);
    if (!node) throw new Error("no node");
    node.attrs["x-mystery"] = "1";
    const rows = annotate(node);
    const call = rows[0];
    expect(call.tag).toBe("call");
    expect(call.attributes.find((a) => a.name === "id")?.known).toBe(true);
    expect(call.attributes.find((a) => a.name === "x-mystery")?.known).toBe(false);
    expect(
      rows.find((r) => r.tag === "offer")?.attributes.find((a) => a.name === "call-id")?.meaning,
    ).toBeTruthy();
    expect(stanzaXml(offer)).toMatch(/^<call id="A-1" to="15550002222@s.whatsapp.net">\n {2}<offer /);
    expect(hexDump("000102030405060708090a0b0c0d0e0f10")).toBe(
      "000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n000010  10",
    );
    const [c] = buildCalls(outgoingMissed("B", 1000)).calls;
    expect(Array.isArray(callFindings(c))).toBe(true);
    expect(callFindings(c)).toBe(callFindings(c)); // cached
  });
});

describe("incremental filter", () => {
  it("tests only appended rows, keeps recent filters, and rescans on a new epoch", async () => {
    const { IncrementalFilter } = await import("../../../src/shared/view/filter");
    const index = new SessionIndex();
    index.add(outgoingMissed("A", 1000));
    const inc = new IncrementalFilter(2);
    const all = compileFilter(DEFAULT_FILTER);
    const acks = compileFilter({ ...DEFAULT_FILTER, actions: ["ack"] });
    const r1 = inc.rows(index.rows, all, index.epoch, "all");
    expect(inc.rows(index.rows, all, index.epoch, "all")).toBe(r1);
    expect(r1).toHaveLength(6);
    expect(inc.rows(index.rows, acks, index.epoch, "acks")).toHaveLength(2);
    index.add(incomingAnswered("B", 5000));
    expect(inc.rows(index.rows, all, index.epoch, "all")).toHaveLength(14);
    expect(inc.rows(index.rows, acks, index.epoch, "acks")).toHaveLength(5);
    // Match seqs and call-ids grow with the rows, in place.
    const seqs = inc.seqs("acks");
    expect(seqs).toEqual(inc.rows(index.rows, acks, index.epoch, "acks").map((r) => r.seq));
    expect([...inc.callIds("acks")].sort()).toEqual(["A", "B"]);
    index.add(outgoingMissed("C", 9000));
    inc.rows(index.rows, acks, index.epoch, "acks");
    expect(inc.seqs("acks")).toBe(seqs);
    expect(seqs).toHaveLength(7);
    expect(inc.callIds("acks").has("C")).toBe(true);
    expect(inc.seqs("never-shown")).toEqual([]);
    index.dropBelow(6);
    expect(inc.rows(index.rows, all, index.epoch, "all")).toHaveLength(14);
    expect(inc.seqs("all")[0]).toBe(6);
  });
});
