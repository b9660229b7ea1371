import { describe, expect, it } from "vitest";
import type { AnyNode } from "../../../src/shared/codec/node";
import { checkStanza, STANZA_CHECKS } from "../../../src/shared/rules/stanza";
import type { Direction, PortableNode } from "../../../src/shared/trace/types";
import {
  acceptIn,
  actionOf,
  b64Text,
  clone,
  filler,
  hex,
  incomingSteps,
  kids,
  ME,
  muteOut,
  n,
  offerAck,
  offerIn,
  offerOut,
  outgoingSteps,
  PEER,
  preacceptOut,
  receiptOut,
  rejectedSteps,
  rejectOut,
  relay,
  relayLatencyOut,
  terminateIn,
  terminateOut,
  transportOut,
} from "../spec/support";

/** Applies `edit` to a copy of `node`. */
function edit(node: PortableNode, change: (call: PortableNode, action: PortableNode) => void): PortableNode {
  const c = clone(node);
  change(c, Array.isArray(c.content) ? (c.content[0] as PortableNode) : c);
  return c;
}

/** As received: the server-stamped envelope of an inbound `<call>`. */
function inbound(node: PortableNode): PortableNode {
  const c = clone(node);
  Object.assign(c.attrs, { from: PEER, to: ME, id: c.attrs.id ?? "IN-1", t: "1700000300" });
  return c;
}

function move(list: AnyNode[], from: number, to: number) {
  const [x] = list.splice(from, 1);
  list.splice(to, 0, x);
}

interface Case {
  name: string;
  dir: Direction;
  node: PortableNode;
  rule: number;
  severity: "violation" | "warning" | "info";
}

const CASES: Case[] = [
  {
    name: "offer without call-creator",
    dir: "out",
    rule: 1,
    severity: "violation",
    node: edit(offerOut(), (_, a) => delete a.attrs["call-creator"]),
  },
  {
    name: "offer with encopt before capability",
    dir: "out",
    rule: 2,
    severity: "violation",
    node: edit(offerOut(), (_, a) => move(kids(a), 5, 3)),
  },
  {
    name: "inbound offer mis-ordered (as delivered)",
    dir: "in",
    rule: 2,
    severity: "warning",
    node: edit(offerIn(), (_, a) => move(kids(a), 2, 0)),
  },
  {
    name: "offer with <video> before <audio>",
    dir: "out",
    rule: 2,
    severity: "warning",
    node: edit(offerOut(), (_, a) => kids(a).unshift(n("video"))),
  },
  {
    name: "offer capability is the client-code blob",
    dir: "out",
    rule: 3,
    severity: "warning",
    node: edit(offerOut(), (_, a) => (kids(a)[3].content = hex("01 05 f7 09 e0 bb 13"))),
  },
  {
    name: "offer destination target without <enc>",
    dir: "out",
    rule: 4,
    severity: "violation",
    node: edit(offerOut(), (_, a) => (kids(kids(a)[4])[1].content = undefined)),
  },
  {
    name: "accept without `to`",
    dir: "out",
    rule: 8,
    severity: "violation",
    node: edit(acceptIn(), (c) => {
      c.attrs = { id: "A9" };
    }),
  },
  {
    name: "accept without call-id",
    dir: "in",
    rule: 9,
    severity: "violation",
    node: edit(acceptIn(), (_, a) => delete a.attrs["call-id"]),
  },
  {
    name: "accept voip_settings not last",
    dir: "in",
    rule: 10,
    severity: "warning",
    node: edit(acceptIn(), (_, a) => move(kids(a), 6, 5)),
  },
  {
    name: "accept net medium=3",
    dir: "out",
    rule: 10,
    severity: "violation",
    node: edit(acceptIn(), (_, a) => (kids(a)[2].attrs.medium = "3")),
  },
  {
    name: "accept te not after audio",
    dir: "in",
    rule: 10,
    severity: "warning",
    node: edit(acceptIn(), (_, a) => move(kids(a), 1, 2)),
  },
  {
    name: "preaccept without wrapper id",
    dir: "out",
    rule: 12,
    severity: "violation",
    node: edit(preacceptOut(), (c) => delete c.attrs.id),
  },
  {
    name: "preaccept capability before encopt",
    dir: "out",
    rule: 13,
    severity: "violation",
    node: edit(preacceptOut(), (_, a) => move(kids(a), 2, 1)),
  },
  {
    name: "preaccept with the offer capability blob",
    dir: "out",
    rule: 13,
    severity: "warning",
    node: edit(preacceptOut(), (_, a) => (kids(a)[2].content = hex("01 05 f7 09 e4 bb 13"))),
  },
  {
    name: "transport without call-creator",
    dir: "out",
    rule: 15,
    severity: "info",
    node: edit(transportOut(), (_, a) => delete a.attrs["call-creator"]),
  },
  {
    name: "transport te after net",
    dir: "out",
    rule: 16,
    severity: "violation",
    node: edit(transportOut(), (_, a) => move(kids(a), 0, 1)),
  },
  {
    name: "transport without net",
    dir: "in",
    rule: 16,
    severity: "warning",
    node: edit(inbound(transportOut()), (_, a) => kids(a).pop()),
  },
  {
    name: "transport type 9 with protocol",
    dir: "out",
    rule: 17,
    severity: "violation",
    node: edit(transportOut(), (_, a) => (a.attrs["transport-message-type"] = "9")),
  },
  {
    name: "transport net without protocol",
    dir: "out",
    rule: 17,
    severity: "violation",
    node: edit(transportOut(), (_, a) => delete kids(a)[1].attrs.protocol),
  },
  {
    name: "receipt offer echoes media",
    dir: "out",
    rule: 24,
    severity: "violation",
    node: edit(receiptOut(), (_, o) => {
      o.content = [n("audio", { enc: "opus", rate: "16000" })];
    }),
  },
  {
    name: "reject with a wrapper id",
    dir: "out",
    rule: 27,
    severity: "warning",
    node: edit(rejectOut(), (c) => (c.attrs.id = "R1")),
  },
  {
    name: "reject without `to`",
    dir: "out",
    rule: 27,
    severity: "violation",
    node: edit(rejectOut(), (c) => delete c.attrs.to),
  },
  {
    name: 'reject with count="0"',
    dir: "out",
    rule: 28,
    severity: "info",
    node: edit(rejectOut(), (_, a) => (a.attrs.count = "0")),
  },
  {
    name: "reject with a child",
    dir: "out",
    rule: 28,
    severity: "violation",
    node: edit(rejectOut(), (_, a) => (a.content = [n("audio")])),
  },
  {
    name: "reject without call-creator",
    dir: "in",
    rule: 28,
    severity: "violation",
    node: edit(inbound(rejectOut()), (_, a) => delete a.attrs["call-creator"]),
  },
  {
    name: "mute_v2 with a wrapper id",
    dir: "out",
    rule: 38,
    severity: "warning",
    node: edit(muteOut(), (c) => (c.attrs.id = "M1")),
  },
  {
    name: "mute_v2 with a child",
    dir: "out",
    rule: 40,
    severity: "violation",
    node: edit(muteOut(), (_, a) => (a.content = [n("x")])),
  },
  {
    name: "v1 <mute>",
    dir: "in",
    rule: 40,
    severity: "warning",
    node: n("call", { from: PEER, to: ME, id: "M2", t: "1" }, [
      n("mute", { "call-id": "C", media: "audio", value: "true" }),
    ]),
  },
  {
    name: "terminate with a wrapper id",
    dir: "out",
    rule: 42,
    severity: "warning",
    node: edit(terminateOut(), (c) => (c.attrs.id = "T9")),
  },
  {
    name: "terminate without call-creator",
    dir: "in",
    rule: 43,
    severity: "info",
    node: edit(terminateIn(), (_, a) => delete a.attrs["call-creator"]),
  },
  {
    name: 'terminate reason=""',
    dir: "out",
    rule: 44,
    severity: "violation",
    node: edit(terminateOut(), (_, a) => (a.attrs.reason = "")),
  },
  {
    name: "terminate with empty destination",
    dir: "out",
    rule: 45,
    severity: "violation",
    node: edit(terminateOut(), (_, a) => (a.content = [n("destination", {}, [])])),
  },
  {
    name: "terminate duration not u32",
    dir: "in",
    rule: 46,
    severity: "warning",
    node: edit(terminateIn(), (_, a) => (a.attrs.duration = "-3")),
  },
  {
    name: "relaylatency without call-creator",
    dir: "out",
    rule: 48,
    severity: "info",
    node: edit(relayLatencyOut(), (_, a) => delete a.attrs["call-creator"]),
  },
  {
    name: "relaylatency with a wrapper id",
    dir: "out",
    rule: 48,
    severity: "warning",
    node: edit(relayLatencyOut(), (c) => (c.attrs.id = "L1")),
  },
  {
    name: "relaylatency with two te",
    dir: "out",
    rule: 49,
    severity: "violation",
    node: edit(relayLatencyOut(), (_, a) => kids(a).push(clone(kids(a)[0]))),
  },
  {
    name: "relaylatency te without relay_name",
    dir: "out",
    rule: 49,
    severity: "violation",
    node: edit(relayLatencyOut(), (_, a) => delete kids(a)[0].attrs.relay_name),
  },
  {
    name: "relaylatency latency without offset",
    dir: "out",
    rule: 50,
    severity: "info",
    node: edit(relayLatencyOut(), (_, a) => (kids(a)[0].attrs.latency = "45")),
  },
  {
    name: "relaylatency latency implausible",
    dir: "out",
    rule: 50,
    severity: "warning",
    node: edit(relayLatencyOut(), (_, a) => (kids(a)[0].attrs.latency = String(0x02000000 + 120_000))),
  },
  {
    name: "relaylatency latency not decimal",
    dir: "in",
    rule: 50,
    severity: "warning",
    node: edit(inbound(relayLatencyOut()), (_, a) => (kids(a)[0].attrs.latency = "fast")),
  },
  {
    name: "relaylatency with empty destination",
    dir: "out",
    rule: 51,
    severity: "violation",
    node: edit(relayLatencyOut(), (_, a) => kids(a).push(n("destination", {}, []))),
  },
  {
    name: "relaylatency latency without offset, too large for a plain RTT",
    dir: "out",
    rule: 50,
    severity: "violation",
    node: edit(relayLatencyOut(), (_, a) => (kids(a)[0].attrs.latency = "900000")),
  },
  {
    name: "ack of an accept from the caller's LID",
    dir: "in",
    rule: 19,
    severity: "info",
    node: n("ack", { from: "70001234567890@lid", id: "ACC1", class: "call", type: "accept", error: "500" }, [
      n("error", { "call-creator": "70001234567890@lid", "call-id": "C-LID", jid: "70005555555555:4@lid" }),
    ]),
  },
  {
    name: "reject with an attribute nobody reported",
    dir: "out",
    rule: 28,
    severity: "violation",
    node: edit(rejectOut(), (_, a) => (a.attrs.mood = "grumpy")),
  },
  {
    name: "inbound call without t",
    dir: "in",
    rule: 54,
    severity: "violation",
    node: edit(terminateIn(), (c) => delete c.attrs.t),
  },
  {
    name: "inbound call with a non-decimal t",
    dir: "in",
    rule: 54,
    severity: "violation",
    node: edit(terminateIn(), (c) => (c.attrs.t = "soon")),
  },
  {
    name: "inbound transport without id",
    dir: "in",
    rule: 54,
    severity: "warning",
    node: edit(transportOut(), (c) => Object.assign(c.attrs, { from: PEER, t: "5" })),
  },
  {
    name: "offer audio without rate",
    dir: "in",
    rule: 56,
    severity: "warning",
    node: edit(offerIn(), (_, a) => delete kids(a)[1].attrs.rate),
  },
  {
    name: "ack relay hbh_key of 16 bytes",
    dir: "in",
    rule: 75,
    severity: "warning",
    node: edit(offerAck(), (ack) => (kids(kids(ack)[0])[1].content = b64Text(16))),
  },
  {
    name: "ack relay te2 of 5 bytes",
    dir: "in",
    rule: 75,
    severity: "info",
    node: edit(offerAck(), (ack) => kids(kids(ack)[0]).push(n("te2", { relay_id: "9" }, filler(5)))),
  },
];

describe("checkStanza: conforming stanzas", () => {
  const all = [...outgoingSteps(), ...incomingSteps(), ...rejectedSteps()];
  for (const [dir, node] of all) {
    const label = node.tag === "call" ? actionOf(node).tag : node.tag;
    it(`${dir} ${label} (${node.attrs.id ?? "no id"}) yields no finding`, () => {
      expect(checkStanza(node, dir)).toEqual([]);
    });
  }

  it("keeps a relay with its own fixture shape valid", () => {
    expect(checkStanza(n("ack", { id: "Z", class: "call" }, [relay()]), "in")).toEqual([]);
  });
});

describe("checkStanza: each violation yields exactly its rule", () => {
  for (const c of CASES) {
    it(`rule ${c.rule}: ${c.name}`, () => {
      const found = checkStanza(c.node, c.dir, 42);
      expect(found.map((f) => [f.rule, f.severity])).toEqual([[c.rule, c.severity]]);
      expect(found[0].seq).toBe(42);
      expect(found[0].message.length).toBeGreaterThan(10);
      expect(found[0].part).toMatch(/^(SIG|REL)-\d\d$/);
    });
  }

  it("covers every single-stanza check with at least one violating case", () => {
    const rules = new Set(CASES.map((c) => c.rule));
    for (const check of STANZA_CHECKS)
      expect(rules.has(check.rule), `${check.name} (rule ${check.rule})`).toBe(true);
  });

  it("mentions the corpus-vs-code contradiction on wrapper ids and reject count", () => {
    const id = checkStanza(
      edit(terminateOut(), (c) => (c.attrs.id = "T9")),
      "out",
    )[0];
    expect(id.message).toContain("§8");
    const count = checkStanza(
      edit(rejectOut(), (_, a) => (a.attrs.count = "0")),
      "out",
    )[0];
    expect(count.message).toContain("§8");
  });

  it("sets the call-id of the stanza on its findings", () => {
    const f = checkStanza(
      edit(terminateOut(), (_, a) => (a.attrs.reason = "")),
      "out",
    );
    expect(f[0]).toMatchObject({
      rule: 44,
      part: "SIG-14",
      callId: "CID-OUT-1",
      check: "terminate-reason-empty",
    });
  });
});

describe("checkStanza: draft rules real traffic breaks are findings, not faults (research real-captures.md)", () => {
  const LID = "70001234567890@lid";
  const real = (node: PortableNode, dir: Direction) => checkStanza(node, dir, 7);

  it("reports them as info, marked observed in real traffic, citing the research note", () => {
    const cases: [string, PortableNode, Direction][] = [
      ["reject count", edit(rejectOut(), (_, a) => (a.attrs.count = "0")), "out"],
      [
        "reject count and reason",
        edit(inbound(rejectOut()), (_, a) =>
          Object.assign(a.attrs, { count: "0", reason: "unsupported-audio-caps" }),
        ),
        "in",
      ],
      ["terminate without creator", edit(terminateIn(), (_, a) => delete a.attrs["call-creator"]), "in"],
      ["transport without creator", edit(transportOut(), (_, a) => delete a.attrs["call-creator"]), "out"],
      [
        "relaylatency without creator",
        edit(relayLatencyOut(), (_, a) => delete a.attrs["call-creator"]),
        "out",
      ],
      ["plain latency", edit(relayLatencyOut(), (_, a) => (kids(a)[0].attrs.latency = "641")), "out"],
      ["ack from a LID", n("ack", { from: LID, id: "Q", class: "call", type: "accept" }), "in"],
    ];
    for (const [name, node, dir] of cases) {
      const found = real(node, dir);
      expect(found, name).toHaveLength(1);
      expect(found[0], name).toMatchObject({
        severity: "info",
        observed: "real-traffic",
        cites: "research real-captures.md",
        seq: 7,
      });
      expect(found[0].message, name).toContain("(research real-captures.md)");
      expect(found[0].message, name).toContain("not a fault of the input");
    }
  });

  it("names what the draft says and what real traffic showed", () => {
    const rj = real(
      edit(rejectOut(), (_, a) => (a.attrs.count = "0")),
      "out",
    )[0];
    expect(rj.message).toMatch(/^<reject> carries count="0"; SIG-08 allows exactly call-id and call-creator/);
    expect(rj.message).toContain('real rejects carry count="0"');
    const tm = real(
      edit(terminateIn(), (_, a) => delete a.attrs["call-creator"]),
      "in",
    )[0];
    expect(tm).toMatchObject({ rule: 43, part: "SIG-14", check: "terminate-ids" });
    expect(tm.message).toContain("a real terminate had no call-creator either");
    const ack = real(
      n("ack", { from: `${LID.replace("@", ":4@")}`, id: "Q", class: "call", type: "accept" }),
      "in",
    )[0];
    expect(ack).toMatchObject({ rule: 19, check: "ack-sender" });
    expect(ack.message).toContain('ack of <accept> from="70001234567890:4@lid" is a LID, not s.whatsapp.net');
    const lat = real(
      edit(relayLatencyOut(), (_, a) => (kids(a)[0].attrs.latency = "590")),
      "out",
    )[0];
    expect(lat.message).toContain("read as 590 ms?");
  });

  it("keeps a missing call-id a violation beside the observed missing call-creator", () => {
    const both = real(
      edit(terminateIn(), (_, a) => {
        delete a.attrs["call-creator"];
        delete a.attrs["call-id"];
      }),
      "in",
    );
    expect(both.map((f) => [f.severity, f.observed ?? null])).toEqual([
      ["violation", null],
      ["info", "real-traffic"],
    ]);
    expect(both[0].message).toBe("<terminate> lacks call-id");
    const offer = real(
      edit(offerOut(), (_, a) => delete a.attrs["call-creator"]),
      "out",
    );
    expect(offer.map((f) => [f.severity, f.observed])).toEqual([["violation", undefined]]);
  });

  it("does not flag acks from the server, from a phone-number JID, or sent by this device", () => {
    expect(real(n("ack", { from: "s.whatsapp.net", id: "Q", class: "call", type: "offer" }), "in")).toEqual(
      [],
    );
    expect(real(n("ack", { from: PEER, id: "Q", class: "call", type: "offer" }), "in")).toEqual([]);
    expect(real(n("ack", { to: LID, id: "Q", class: "call", type: "terminate" }), "out")).toEqual([]);
    expect(real(n("ack", { from: LID, id: "Q", class: "message" }), "in")).toEqual([]);
  });
});
