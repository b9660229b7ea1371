import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  exportIssueBody,
  exportJsonTrace,
  exportLadder,
  exportMermaid,
  exportWacrg,
  mermaidText,
} from "../../../src/shared/export/index";
import { sanitizeTrace } from "../../../src/shared/sanitize/index";
import { INFERRED_BY_CALLEE, INFERRED_BY_CALLER } from "../../../src/shared/trace/calls";
import type { PortableNode } from "../../../src/shared/trace/types";
import { analyzeTrace } from "../../../src/shared/tracefile/analyze";
import { el, ME, PEER, PEER_DEVICE, Session } from "../tracefile/fixtures";

// Two calls that end the way real terminates do, without a reason (research real-captures.md),
// and one that states its reason. Ids and numbers are invented for this test.
const GIVEN_UP = "11112222333344445555666677778888";
const UNANSWERED = "9999AAAABBBBCCCCDDDDEEEEFFFF0000";
const TIMED_OUT = "0123012301230123ABCDABCDABCDABCD";

const call = (attrs: Record<string, string>, action: PortableNode) => el("call", attrs, [action]);
const act = (tag: string, callId: string, creator: string, extra: Record<string, string> = {}) =>
  el(tag, { "call-id": callId, "call-creator": creator, ...extra });

function trace() {
  const s = new Session();
  const t0 = 1_790_000_000_000;
  // Incoming: the caller gives up; its terminate has no reason.
  s.add(
    "in",
    t0,
    call({ from: PEER, to: ME, id: "5001.1-1", t: "1790000000" }, act("offer", GIVEN_UP, PEER)),
  );
  s.add("out", t0 + 3, el("ack", { to: PEER, id: "5001.1-1", class: "call", type: "offer" }));
  s.add(
    "in",
    t0 + 20_000,
    call({ from: PEER, to: ME, id: "5001.1-2", t: "1790000020" }, act("terminate", GIVEN_UP, PEER)),
  );
  // Outgoing: the callee's device ends it unanswered, no reason.
  const t1 = t0 + 60_000;
  s.add("out", t1, call({ to: PEER, id: "5001.1-3" }, act("offer", UNANSWERED, ME)));
  s.add("in", t1 + 140, el("ack", { from: "s.whatsapp.net", id: "5001.1-3", class: "call", type: "offer" }));
  s.add(
    "in",
    t1 + 30_000,
    call({ from: PEER_DEVICE, to: ME, id: "5001.1-4", t: "1790000090" }, act("terminate", UNANSWERED, ME)),
  );
  // Outgoing with a stated reason: nothing inferred.
  const t2 = t0 + 120_000;
  s.add("out", t2, call({ to: PEER, id: "5001.1-5" }, act("offer", TIMED_OUT, ME)));
  s.add("out", t2 + 45_000, call({ to: PEER }, act("terminate", TIMED_OUT, ME, { reason: "timeout" })));
  return sanitizeTrace(s.trace()).trace;
}

const st = trace();
const calls = analyzeTrace(st).index.calls;
const [given, unanswered, timedOut] = calls;
const ok = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(`export failed: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe("exports mark a state inferred from the flow", () => {
  it("the fixture has the two inferred calls and one stated", () => {
    expect(calls.map((c) => [c.state, c.stateInferred])).toEqual([
      ["cancelled", INFERRED_BY_CALLER],
      ["missed", INFERRED_BY_CALLEE],
      ["missed", undefined],
    ]);
  });

  it("ladder: the header says '(inferred)', the basis, and 'no reason given'", () => {
    const text = ok(exportLadder(st, given.callId)).output.text;
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/ · cancelled \(inferred\)$/);
    expect(lines).toContain("  terminate: no reason given");
    expect(lines).toContain(`  state inferred from the flow: ${INFERRED_BY_CALLER}`);
    const stated = ok(exportLadder(st, timedOut.callId)).output.text;
    expect(stated.split("\n")[0]).toMatch(/ · missed$/);
    expect(stated).not.toContain("inferred");
    expect(stated).toContain("terminate reason: timeout — missed: rang until the ring timeout");
    // Every call at once carries each call's own mark.
    const all = ok(exportLadder(st)).output.text;
    expect(all.match(/\(inferred\)/g)).toHaveLength(2);
  });

  it("Mermaid: the title's state is marked and a note gives the basis", () => {
    const text = ok(exportMermaid(st, unanswered.callId)).output.text;
    expect(text).toMatch(/^ {2}title Call \S+ · outgoing · audio · missed \(inferred\)$/m);
    expect(text).toContain("  Note over Me,Server: terminate: no reason given\n");
    expect(text).toContain(
      `  Note over Me,Server: ${mermaidText(`missed (inferred): state inferred from the flow: ${INFERRED_BY_CALLEE}`)}`,
    );
    const stated = ok(exportMermaid(st, timedOut.callId)).output.text;
    expect(stated).not.toContain("inferred");
    expect(stated).toContain("terminate: reason timeout (missed: rang until the ring timeout)");
  });

  it("wacrg per-call records: title, state.inferred attribute with the basis, reason absent said plainly", () => {
    const docs = parseAllDocuments(ok(exportWacrg(st, { per: "call" })).output.text).map((d) => d.toJS());
    expect(docs).toHaveLength(3);
    const rec = docs.find((d) => d.title.startsWith("Incoming"));
    expect(rec.title).toBe("Incoming audio call, cancelled (inferred) (sanitized capture)");
    const attr = (name: string) => rec.attributes.find((a: { name: string }) => a.name === name);
    expect(attr("state")).toMatchObject({ value: "cancelled" });
    expect(attr("state").note).toContain("inferred from the flow");
    expect(attr("state.inferred")).toEqual({
      name: "state.inferred",
      value: "true",
      note: `basis: ${INFERRED_BY_CALLER}`,
    });
    expect(attr("terminate.reason")).toEqual({
      name: "terminate.reason",
      value: "(absent)",
      note: "no reason given",
    });
    expect(rec.decoded).toContain("cancelled (inferred)");
    const stated = docs.find((d) => d.attributes.some((a: { value: string }) => a.value === "timeout"));
    expect(stated.title).toBe("Outgoing audio call, missed (sanitized capture)");
    expect(stated.attributes.some((a: { name: string }) => a.name === "state.inferred")).toBe(false);
  });

  it("wacrg per-stanza records name the call's inferred state and basis", () => {
    const docs = parseAllDocuments(ok(exportWacrg(st, { callId: unanswered.callId })).output.text).map((d) =>
      d.toJS(),
    );
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs)
      expect(d.decoded).toContain(
        `Part of call ${unanswered.callId} (missed (inferred): ${INFERRED_BY_CALLEE}).`,
      );
  });

  it("issue body: the decoded ladder and the observed attributes carry the mark", () => {
    const body = ok(exportIssueBody(st, { callId: given.callId })).output.text;
    expect(body).toContain("cancelled (inferred)");
    expect(body).toContain(`state.inferred = true — basis: ${INFERRED_BY_CALLER}`);
    expect(body).toContain("terminate.reason = (absent) — no reason given");
    const stanza = ok(exportIssueBody(st, { seq: 2 })).output.text;
    expect(stanza).toContain(`(cancelled (inferred): ${INFERRED_BY_CALLER})`);
  });

  it("the JSON trace states no derived call state, so it needs no mark", () => {
    const json = ok(exportJsonTrace(st)).output.text;
    const loaded = parse(json);
    expect(JSON.stringify(loaded)).not.toMatch(/"state"|inferred|cancelled|"missed"/);
  });
});
