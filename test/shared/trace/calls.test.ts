import { describe, expect, it } from "vitest";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { CapturedStanza, Direction, PortableNode } from "../../../src/shared/trace/types";

const ME = "15550001111:12@s.whatsapp.net";
const PEER = "15550002222@s.whatsapp.net";

function session() {
  const stanzas: CapturedStanza[] = [];
  return {
    stanzas,
    add(direction: Direction, t: number, node: PortableNode) {
      stanzas.push({ seq: stanzas.length, direction, t, tap: "comms-config", node });
    },
  };
}

const call = (attrs: Record<string, string>, child: PortableNode): PortableNode => ({
  tag: "call",
  attrs,
  content: [child],
});
const action = (
  tag: string,
  callId: string,
  creator: string,
  extra: Record<string, string> = {},
): PortableNode => ({
  tag,
  attrs: { "call-id": callId, "call-creator": creator, ...extra },
});
const ack = (attrs: Record<string, string>): PortableNode => ({
  tag: "ack",
  attrs: { class: "call", ...attrs },
});

describe("buildCalls", () => {
  it("measures an outgoing missed call: offer ack latency, receipt, terminate timeout", () => {
    const s = session();
    s.add("out", 1000, call({ to: PEER, id: "o1" }, action("offer", "C1", ME)));
    s.add("in", 1150.5, ack({ id: "o1", from: PEER, type: "offer" }));
    s.add("in", 1300, {
      tag: "receipt",
      attrs: { from: `${PEER}`, id: "o1" },
      content: [action("offer", "C1", ME)],
    });
    s.add("out", 3000, call({ to: PEER, id: "o2" }, action("terminate", "C1", ME, { reason: "timeout" })));
    s.add("in", 3150, ack({ id: "o2", from: PEER, type: "terminate" }));
    const { calls, unpaired } = buildCalls(s.stanzas);
    expect(unpaired).toEqual([]);
    expect(calls).toHaveLength(1);
    const c = calls[0];
    expect(c.callId).toBe("C1");
    expect(c.direction).toBe("out");
    expect(c.peer).toBe(PEER);
    expect(c.state).toBe("missed");
    expect(c.reason).toBe("timeout");
    expect(c.offerAckLatencyMs).toBeCloseTo(150.5);
    expect(c.entries.map((e) => e.ackLatencyMs)).toEqual([150.5, undefined, undefined, 150, undefined]);
    expect(c.entries[1].answersSeq).toBe(0);
    expect(c.entries[2].answersSeq).toBe(0);
    expect(c.durationMs).toBe(2150);
  });

  it("pairs acks on the stanza id, never on call-id, and measures the local ack of inbound stanzas", () => {
    const s = session();
    s.add("in", 0, call({ from: PEER, id: "i1", t: "1" }, action("offer", "C2", PEER)));
    s.add("out", 4, ack({ id: "i1", to: PEER, type: "offer" }));
    s.add("out", 5, {
      tag: "receipt",
      attrs: { to: PEER, id: "i1" },
      content: [action("offer", "C2", PEER)],
    });
    // An ack whose id is the call-id must not pair with anything.
    s.add("in", 6, ack({ id: "C2" }));
    s.add(
      "out",
      50,
      call({ to: PEER, id: "r1" }, action("reject", "C2", PEER, { count: "0", reason: "busy" })),
    );
    s.add("in", 200, ack({ id: "r1", from: PEER, type: "reject" }));
    const { calls, unpaired } = buildCalls(s.stanzas);
    expect(calls[0].state).toBe("busy");
    expect(calls[0].direction).toBe("in");
    expect(calls[0].entries.find((e) => e.stanza.seq === 0)?.ackLatencyMs).toBe(4);
    expect(calls[0].entries.find((e) => e.stanza.seq === 0)?.receiptDelayMs).toBe(5);
    expect(calls[0].entries.find((e) => e.stanza.seq === 4)?.ackLatencyMs).toBe(150);
    expect(unpaired.map((u) => u.stanza.seq)).toEqual([3]);
  });

  it("derives the final state from accepts and reasons, accepting both elsewhere spellings", () => {
    const cases: [string, Direction, PortableNode[], string][] = [
      ["answered", "in", [action("accept", "X", PEER), action("terminate", "X", PEER)], "answered"],
      [
        "accept_elsewhere",
        "in",
        [action("terminate", "X", PEER, { reason: "accept_elsewhere" })],
        "accepted-elsewhere",
      ],
      [
        "accepted_elsewhere",
        "in",
        [action("terminate", "X", PEER, { reason: "accepted_elsewhere" })],
        "accepted-elsewhere",
      ],
      [
        "rejected_elsewhere",
        "in",
        [action("terminate", "X", PEER, { reason: "rejected_elsewhere" })],
        "rejected-elsewhere",
      ],
      ["declined reject", "out", [action("reject", "X", ME, { reason: "declined" })], "rejected"],
      ["cancel by caller", "out", [action("terminate", "X", ME)], "cancelled"],
      ["ringing", "out", [], "in-progress"],
    ];
    for (const [name, dir, actions, expected] of cases) {
      const s = session();
      s.add(
        dir,
        0,
        call(dir === "out" ? { to: PEER, id: "a" } : { from: PEER, id: "a" }, action("offer", "X", ME)),
      );
      actions.forEach((a, i) => {
        const d: Direction = name === "cancel by caller" ? "out" : a.tag === "accept" ? "out" : "in";
        s.add(d, 10 + i, call({ id: `s${i}` }, a));
      });
      expect(buildCalls(s.stanzas).calls[0].state, name).toBe(expected);
    }
  });

  it("keeps unknown actions and unreadable stanzas visible", () => {
    const s = session();
    s.add("in", 0, call({ from: PEER, id: "u1" }, action("future_action", "C9", PEER)));
    s.stanzas.push({
      seq: 1,
      direction: "in",
      t: 1,
      tap: "comms-config",
      error: { message: "truncated", offset: 7 },
    });
    const { calls, errors } = buildCalls(s.stanzas);
    expect(calls[0].entries[0].view).toMatchObject({ kind: "call", action: "future_action", known: false });
    expect(errors.map((e) => e.seq)).toEqual([1]);
  });

  it("flags an ack captured before the stanza it answers", () => {
    const s = session();
    s.add("in", 100, ack({ id: "o1" }));
    s.add("out", 110, call({ to: PEER, id: "o1" }, action("offer", "C1", ME)));
    const e = buildCalls(s.stanzas).calls[0].entries.find((x) => x.view.kind === "call");
    expect(e?.ackLatencyMs).toBe(-10);
    expect(e?.negative).toBe(true);
  });
});
