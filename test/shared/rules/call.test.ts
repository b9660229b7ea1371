import { describe, expect, it } from "vitest";
import { CALL_CHECKS, checkCall } from "../../../src/shared/rules/call";
import { checkSession, ownJidsOf } from "../../../src/shared/rules/session";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { PortableNode } from "../../../src/shared/trace/types";
import {
  ackOut,
  actionOf,
  clone,
  FNA_ADDR,
  incomingSteps,
  ME,
  ME_BARE,
  muteOut,
  n,
  offerAck,
  offerIn,
  outgoingSteps,
  PEER,
  PEER_DEV,
  PEER_DEV2,
  preacceptOut,
  receiptOut,
  rejectedSteps,
  rejectOut,
  relayLatencyOut,
  type Step,
  session,
  terminateOut,
  transportOut,
} from "../spec/support";

/** Replaces the step at `i` (by direction and action) with `node`. */
function replace(steps: Step[], i: number, node: PortableNode): Step[] {
  const out = [...steps];
  out[i] = [out[i][0], node];
  return out;
}

function withAttr(node: PortableNode, onAction: boolean, attrs: Record<string, string>): PortableNode {
  const c = clone(node);
  Object.assign(onAction ? actionOf(c).attrs : c.attrs, attrs);
  return c;
}

/** Deep replace of a string in every attribute of every node. */
function rename(steps: Step[], from: string, to: string): Step[] {
  return steps.map(([d, node]) => [d, JSON.parse(JSON.stringify(node).split(from).join(to)) as PortableNode]);
}

const OTHER = "15559999999@s.whatsapp.net";

interface Case {
  name: string;
  steps: () => Step[];
  rule: number;
  severity: "violation" | "warning" | "info";
}

const out = outgoingSteps;
const inc = incomingSteps;
const rej = rejectedSteps;

const CASES: Case[] = [
  {
    name: "server refused the offer with 439",
    rule: 2,
    severity: "violation",
    steps: () => replace(out(), 1, withAttr(offerAck(), false, { error: "439" })),
  },
  {
    name: "accept call-creator differs from the offer's",
    rule: 9,
    severity: "warning",
    steps: () => replace(out(), 5, withAttr(out()[5][1], true, { "call-creator": OTHER })),
  },
  {
    name: "preaccept never followed by accept, reject or terminate",
    rule: 11,
    severity: "warning",
    steps: () => out().slice(0, 5),
  },
  {
    name: "transport call-creator differs",
    rule: 15,
    severity: "violation",
    steps: () => replace(out(), 7, withAttr(transportOut(), true, { "call-creator": OTHER })),
  },
  {
    name: "received terminate not acked",
    rule: 19,
    severity: "warning",
    steps: () => inc().slice(0, 6),
  },
  {
    name: "received offer got no receipt",
    rule: 20,
    severity: "warning",
    steps: () => inc().filter(([, node]) => node.tag !== "receipt"),
  },
  {
    name: "receipt to another JID than the caller",
    rule: 21,
    severity: "violation",
    steps: () => replace(inc(), 2, withAttr(receiptOut(), false, { to: OTHER })),
  },
  {
    name: "receipt id is the call-id",
    rule: 22,
    severity: "violation",
    steps: () => replace(inc(), 2, withAttr(receiptOut(), false, { id: "CID-IN-1" })),
  },
  {
    name: "receipt from in the PN space while the caller is a LID",
    rule: 23,
    severity: "warning",
    steps: () => {
      const lid = "8000001@lid";
      const s = inc();
      return rename(s, `from":"${PEER}`, `from":"${lid}`).map(([d, node], i) =>
        i === 2
          ? [d, withAttr(receiptOut(), false, { to: lid })]
          : i === 1 || i === 6
            ? [d, withAttr(node, false, { to: lid })]
            : [d, node],
      );
    },
  },
  {
    name: "receipt for a terminate",
    rule: 25,
    severity: "violation",
    steps: () => [...inc(), ["out", receiptOut("CID-IN-1", "T2")]],
  },
  {
    name: "receipt for an unknown action",
    rule: 26,
    severity: "violation",
    steps: () => [
      ["in", n("call", { from: PEER, to: ME, id: "X1", t: "1" }, [n("teleport", {})])],
      ["out", ackOut("X1", PEER, "teleport")],
      ["out", n("receipt", { to: PEER, id: "X1" }, [n("offer", { "call-id": "X", "call-creator": PEER })])],
    ],
  },
  {
    name: "error ack for an unknown action",
    rule: 26,
    severity: "violation",
    steps: () => [
      ["in", n("call", { from: PEER, to: ME, id: "X1", t: "1" }, [n("teleport", {})])],
      ["out", n("ack", { id: "X1", to: PEER, class: "call", error: "400" })],
    ],
  },
  {
    name: "reject to someone other than the caller",
    rule: 27,
    severity: "violation",
    steps: () => replace(rej(), 3, withAttr(rejectOut(), false, { to: OTHER })),
  },
  {
    name: "reject after own preaccept",
    rule: 29,
    severity: "violation",
    steps: () => [...rej().slice(0, 3), ["out", preacceptOut("CID-IN-2", "P9")], ["out", rejectOut()]],
  },
  {
    name: "receipt from PN while the offer came to a LID",
    rule: 32,
    severity: "violation",
    steps: () => replace(inc(), 0, withAttr(offerIn(), false, { to: "8000002:12@lid" })),
  },
  {
    name: "terminate call-creator differs",
    rule: 33,
    severity: "violation",
    steps: () => replace(out(), 10, terminateOut("CID-OUT-1", PEER_DEV, OTHER)),
  },
  {
    name: "mute_v2 call-creator differs",
    rule: 39,
    severity: "violation",
    steps: () => replace(out(), 9, withAttr(muteOut(), true, { "call-creator": OTHER })),
  },
  {
    name: "terminate carries a stanza id as call-id",
    rule: 43,
    severity: "violation",
    steps: () => [...out(), ["out", terminateOut("O1")]],
  },
  {
    name: "receipt after own preaccept",
    rule: 57,
    severity: "violation",
    steps: () => {
      const s = inc();
      return [s[0], s[1], s[3], s[2], ...s.slice(4)];
    },
  },
  {
    name: "preaccept call-creator differs",
    rule: 58,
    severity: "violation",
    steps: () => replace(inc(), 3, withAttr(preacceptOut(), true, { "call-creator": OTHER })),
  },
  {
    name: "transport with the call-id sent before the offer",
    rule: 59,
    severity: "violation",
    steps: () => [["out", transportOut("CID-OUT-1", PEER)], ...out()],
  },
  {
    name: "outgoing offer's call-creator is not this device",
    rule: 60,
    severity: "warning",
    steps: () => rename(out(), ME_BARE, OTHER),
  },
  {
    name: "relaylatency after accept goes to another device",
    rule: 65,
    severity: "violation",
    steps: () => replace(out(), 8, relayLatencyOut("CID-OUT-1", PEER_DEV2)),
  },
  {
    name: "relaylatency after accept goes to the account",
    rule: 65,
    severity: "warning",
    steps: () => replace(out(), 8, relayLatencyOut("CID-OUT-1", PEER)),
  },
  {
    name: "call-id reused by a new offer after terminate",
    rule: 68,
    severity: "violation",
    steps: () => [...out(), ["out", withAttr(out()[0][1], false, { id: "O9", to: PEER_DEV })]],
  },
  {
    name: "transport on a rejected call",
    rule: 72,
    severity: "violation",
    steps: () => [
      ...rej(),
      ["out", withAttr(transportOut("CID-IN-2", PEER), true, { "call-creator": PEER })],
    ],
  },
  {
    name: "terminate after own reject",
    rule: 73,
    severity: "violation",
    steps: () => [...rej(), ["out", terminateOut("CID-IN-2", PEER, PEER)]],
  },
  {
    name: "relaylatency probes the FNA relay",
    rule: 75,
    severity: "violation",
    steps: () => replace(out(), 8, relayLatencyOut("CID-OUT-1", PEER_DEV, FNA_ADDR)),
  },
];

describe("checkSession: conforming calls", () => {
  it("finds nothing in an answered outgoing call", () => {
    expect(checkSession(session(out()))).toEqual([]);
  });
  it("finds nothing in an answered incoming call", () => {
    expect(checkSession(session(inc()))).toEqual([]);
  });
  it("finds nothing in a rejected incoming call", () => {
    expect(checkSession(session(rej()))).toEqual([]);
  });
  it("finds nothing in the three calls captured together", () => {
    expect(checkSession(session([...out(), ...inc(), ...rej()]))).toEqual([]);
  });
});

describe("checkSession: each violation yields exactly its rule", () => {
  for (const c of CASES) {
    it(`rule ${c.rule}: ${c.name}`, () => {
      const found = checkSession(session(c.steps()));
      expect(found.map((f) => [f.rule, f.severity])).toEqual([[c.rule, c.severity]]);
      expect(found[0].seq).toBeTypeOf("number");
      expect(found[0].message.length).toBeGreaterThan(10);
    });
  }

  it("covers every whole-call check with at least one violating case", () => {
    const rules = new Set(CASES.map((c) => c.rule));
    for (const check of CALL_CHECKS)
      expect(rules.has(check.rule), `${check.name} (rule ${check.rule})`).toBe(true);
  });
});

describe("observability and context", () => {
  it("reports once, as info, when this device's acks are not observable at all", () => {
    const steps = inc().filter(
      ([d, node]) => !(d === "out" && (node.tag === "ack" || node.tag === "receipt")),
    );
    const found = checkSession(session(steps));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 19, severity: "info", part: "SIG-07" });
    expect(found[0].seq).toBeUndefined();
  });

  it("checkCall alone notes unobservable acks once per call", () => {
    const steps = inc().filter(
      ([d, node]) => !(d === "out" && (node.tag === "ack" || node.tag === "receipt")),
    );
    const { calls } = buildCalls(session(steps));
    expect(checkCall(calls[0]).map((f) => [f.rule, f.severity, f.callId])).toEqual([
      [19, "info", "CID-IN-1"],
    ]);
  });

  it("learns this device's own JIDs from the stream", () => {
    expect(ownJidsOf(session([...out(), ...inc()]))).toEqual([ME_BARE]);
  });

  it("does not count a sibling dismiss as addressing a non-answering device", () => {
    const dismiss = n("call", { to: PEER_DEV2 }, [
      n("terminate", { "call-id": "CID-OUT-1", "call-creator": ME_BARE, reason: "accepted_elsewhere" }),
    ]);
    const steps: Step[] = [...out().slice(0, 10), ["out", dismiss], out()[10]];
    expect(checkSession(session(steps))).toEqual([]);
  });
});
