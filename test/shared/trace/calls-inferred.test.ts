import { describe, expect, it } from "vitest";
import { callList, formatCallText } from "../../../src/cli/format";
import { computeEvidence } from "../../../src/shared/evidence/index";
import { describeReason } from "../../../src/shared/stanza/reasons";
import {
  buildCalls,
  type CallSummary,
  callReasonText,
  callStateText,
  INFERRED_BY_CALLEE,
  INFERRED_BY_CALLER,
} from "../../../src/shared/trace/calls";
import { formatCall } from "../../../src/shared/trace/text";
import type { CapturedStanza, Direction, PortableNode } from "../../../src/shared/trace/types";
import { analyzeTrace } from "../../../src/shared/tracefile/analyze";
import { createTrace } from "../../../src/shared/tracefile/types";

// Invented parties and ids, in the 2026 LID shapes of research real-captures.md.
const ME = "70000000000001:2@lid";
const CALLER = "70000000000002@lid";
const CALLER_DEV = "70000000000002:5@lid";
const CID = "AB12CD34EF56AB12CD34EF56AB12CD34";

function session() {
  const stanzas: CapturedStanza[] = [];
  return {
    stanzas,
    add(direction: Direction, t: number, node: PortableNode, synthetic = false) {
      const s: CapturedStanza = { seq: stanzas.length, direction, t, tap: "comms-config", node };
      if (synthetic) s.synthetic = "call-wrapper";
      stanzas.push(s);
    },
  };
}

const wrap = (attrs: Record<string, string>, child: PortableNode): PortableNode => ({
  tag: "call",
  attrs,
  content: [child],
});
const act = (tag: string, creator: string | undefined, extra: Record<string, string> = {}): PortableNode => ({
  tag,
  attrs: { "call-id": CID, ...(creator ? { "call-creator": creator } : {}), ...extra },
});
/** The session as an imported trace with ms times. */
const traceOf = (s: ReturnType<typeof session>) =>
  createTrace(s.stanzas, {
    kind: "import",
    tool: "wa-call-inspector@0.1.0",
    importer: "xml",
    timestampPrecision: "ms",
    directionInferred: false,
  });
const only = (s: ReturnType<typeof session>): CallSummary => {
  const { calls } = buildCalls(s.stanzas);
  expect(calls).toHaveLength(1);
  return calls[0];
};

describe("inferred call state (no reason on the terminate)", () => {
  it("incoming, the caller ends it unanswered: cancelled, inferred, said why", () => {
    const s = session();
    s.add("in", 0, wrap({ from: CALLER, to: ME, id: "1.1-1", t: "1" }, act("offer", CALLER)));
    s.add("in", 25_000, wrap({ from: CALLER, to: ME, id: "1.1-2", t: "26" }, act("terminate", CALLER)));
    const c = only(s);
    expect(c).toMatchObject({
      state: "cancelled",
      stateInferred: INFERRED_BY_CALLER,
      reasonAction: "terminate",
    });
    expect(c.reason).toBeUndefined();
    expect(callStateText(c)).toBe("cancelled (inferred)");
    expect(callReasonText(c)).toBe("no reason given");
    expect(INFERRED_BY_CALLER).toMatch(/^no accept and no reason; the caller ended the call/);
  });

  it("incoming, this device (the callee) ends it unanswered: missed, inferred", () => {
    const s = session();
    s.add("in", 0, wrap({ from: CALLER, to: ME, id: "1.1-1", t: "1" }, act("offer", CALLER)));
    s.add("out", 40_000, wrap({ to: CALLER }, act("terminate", CALLER)));
    const c = only(s);
    expect(c).toMatchObject({ state: "missed", stateInferred: INFERRED_BY_CALLEE });
    expect(callStateText(c)).toBe("missed (inferred)");
  });

  it("outgoing, the callee's device ends it, even without call-creator: missed, inferred", () => {
    const s = session();
    s.add("out", 0, wrap({ to: CALLER, id: "2.2-1" }, act("offer", ME)));
    s.add(
      "in",
      30_000,
      wrap({ from: CALLER_DEV, to: ME, id: "2.2-2", t: "31" }, act("terminate", undefined)),
    );
    expect(only(s)).toMatchObject({ state: "missed", stateInferred: INFERRED_BY_CALLEE });
  });

  it("bare published offer (direction unknown): who ended it comes from the terminate's from and call-creator", () => {
    const byCaller = session();
    byCaller.add("in", 0, wrap({}, act("offer", CALLER)), true);
    byCaller.add("in", 1, wrap({ from: CALLER_DEV, id: "3.3-1", t: "9" }, act("terminate", CALLER)));
    const a = only(byCaller);
    expect(a.direction).toBeUndefined();
    expect(a.media).toBe("audio"); // the offer was read
    expect(a).toMatchObject({ state: "cancelled", stateInferred: INFERRED_BY_CALLER });

    const byOther = session();
    byOther.add("in", 0, wrap({}, act("offer", CALLER)), true);
    byOther.add("in", 1, wrap({ from: "70000000000003@lid", id: "3.3-2", t: "9" }, act("terminate", CALLER)));
    expect(only(byOther)).toMatchObject({ state: "missed", stateInferred: INFERRED_BY_CALLEE });
  });

  it("infers nothing when nothing tells who ended it, or when a reason or an answer says", () => {
    const bare = session();
    bare.add("in", 0, wrap({}, act("offer", CALLER)), true);
    bare.add("in", 1, wrap({}, act("terminate", CALLER)), true);
    const b = only(bare);
    expect(b.state).toBe("ended");
    expect(b.stateInferred).toBeUndefined();
    expect(callStateText(b)).toBe("ended");

    const stated = session();
    stated.add("out", 0, wrap({ to: CALLER, id: "4.4-1" }, act("offer", ME)));
    stated.add("out", 45_000, wrap({ to: CALLER }, act("terminate", ME, { reason: "timeout" })));
    expect(only(stated)).toMatchObject({ state: "missed", reason: "timeout" });
    expect(only(stated).stateInferred).toBeUndefined();
    expect(callReasonText(only(stated))).toBe("timeout");

    const answered = session();
    answered.add("out", 0, wrap({ to: CALLER, id: "4.4-2" }, act("offer", ME)));
    answered.add("in", 5, wrap({ from: CALLER_DEV, id: "4.4-3", t: "1" }, act("accept", ME)));
    answered.add("in", 60_000, wrap({ from: CALLER_DEV, id: "4.4-4", t: "61" }, act("terminate", ME)));
    expect(only(answered)).toMatchObject({ state: "answered" });
    expect(only(answered).stateInferred).toBeUndefined();

    const rejected = session();
    rejected.add("in", 0, wrap({ from: CALLER, id: "4.4-5", t: "1" }, act("offer", CALLER)));
    rejected.add("out", 3, wrap({ to: CALLER }, act("reject", CALLER, { count: "0" })));
    expect(only(rejected)).toMatchObject({ state: "rejected", reasonAction: "reject" });
    expect(only(rejected).stateInferred).toBeUndefined();
    expect(callReasonText(only(rejected))).toBe("no reason given");
  });

  it('writes an empty reason as "" and a call without an ending stanza has no reason text', () => {
    expect(callReasonText({ reasonAction: "terminate", reason: "" })).toBe('""');
    expect(callReasonText({})).toBeUndefined();
  });
});

describe("CLI call text (formatCallText)", () => {
  it("marks the inferred state, says 'no reason given' and gives the basis", () => {
    const s = session();
    s.add("in", 0, wrap({ from: CALLER, to: ME, id: "1.1-1", t: "1" }, act("offer", CALLER)));
    s.add("in", 25_000, wrap({ from: CALLER, to: ME, id: "1.1-2", t: "26" }, act("terminate", CALLER)));
    const trace = traceOf(s);
    const a = analyzeTrace(trace);
    const lines = formatCallText(a.index.calls[0], a).split("\n");
    expect(lines[0]).toBe(`Call ${CID} · incoming · peer ${CALLER} · audio · cancelled (inferred)`);
    expect(lines).toContain("  terminate: no reason given");
    expect(lines).toContain(`  state inferred from the flow: ${INFERRED_BY_CALLER}`);
  });

  it("shows a stated reason without any mark", () => {
    const s = session();
    s.add("out", 0, wrap({ to: CALLER, id: "4.4-1" }, act("offer", ME)));
    s.add("out", 45_000, wrap({ to: CALLER }, act("terminate", ME, { reason: "timeout" })));
    const trace = traceOf(s);
    const a = analyzeTrace(trace);
    const text = formatCallText(a.index.calls[0], a);
    expect(text.split("\n")[0]).toMatch(/ · missed$/);
    expect(text).toContain("  terminate reason: timeout — missed: rang until the ring timeout");
    expect(text).not.toContain("inferred");
  });

  it("marks the inference in the CLI call list, the text timeline and the evidence histogram", () => {
    const s = session();
    s.add("in", 0, wrap({ from: CALLER, to: ME, id: "5.5-1", t: "1" }, act("offer", CALLER)));
    s.add("in", 20_000, wrap({ from: CALLER, to: ME, id: "5.5-2", t: "21" }, act("terminate", CALLER)));
    const trace = traceOf(s);
    const a = analyzeTrace(trace);
    expect(callList(a)).toMatch(/cancelled \(inferred\)\s+terminate:no reason given/);
    const text = formatCall(a.index.calls[0]);
    expect(text.split("\n")[0]).toMatch(/ · cancelled \(inferred\)$/);
    expect(text).toContain("  terminate reason: no reason given — no reason given");
    const evidence = JSON.stringify(computeEvidence([trace]));
    expect(evidence).toContain("cancelled (inferred): terminate reason=");
  });
});

describe("reasons seen only in real traffic", () => {
  it("are described with their meaning and marked as not in the wacrg vocabulary", () => {
    expect(describeReason("uncallable")).toBe(
      "the callee's device cannot take calls (seen in real traffic; not in the wacrg vocabulary)",
    );
    expect(describeReason("made-up")).toBe("unknown reason (not in the wacrg vocabulary)");
  });
});
