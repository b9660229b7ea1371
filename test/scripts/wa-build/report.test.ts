/**
 * The compatibility report (scripts/wa-build/report.ts): rows paired with the simulator server's
 * wire record, phantom counting, ack latencies beside the wire, the pass/fail rule, and the text.
 */
import { describe, expect, it } from "vitest";
import type { LoadPlan } from "../../../scripts/wa-build/plan";
import {
  buildReport,
  compareCalls,
  compareRows,
  footprintDiff,
  formatReport,
  isCallWire,
  latencyOutOfTolerance,
  type ReportInput,
  recognisedBy,
  type WireEntry,
  wireAckLatencies,
  wireKeyOfEntry,
  wireKeyOfRow,
} from "../../../scripts/wa-build/report";
import type { CapturedStanza, PortableNode, TapName } from "../../../src/shared/trace/types";

const PEER = "15550002222@s.whatsapp.net";
const CALL = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00";

let seq = 0;
function row(
  direction: "in" | "out",
  t: number,
  node: PortableNode,
  seenBy: TapName[] = ["comms-config", "codec", "transport"],
): CapturedStanza {
  return { seq: seq++, direction, t, tap: seenBy[0], node, seenBy };
}
const call = (id: string, action: string, attrs: Record<string, string> = {}): PortableNode => ({
  tag: "call",
  attrs: { id, to: PEER },
  content: [{ tag: action, attrs: { "call-id": CALL, "call-creator": PEER, ...attrs } }],
});
const ack = (id: string, type: string): PortableNode => ({
  tag: "ack",
  attrs: { id, class: "call", type, from: PEER },
});

/** Server log entries (the server's view: `in` = from the page). */
function wire(
  dir: "in" | "out",
  t: number,
  tag: string,
  id: string,
  more: Partial<WireEntry> = {},
): WireEntry {
  return { t, dir, session: "s1", role: "primary", tag, id, ...more };
}

/** An outgoing call: offer acked after 150 ms at the server, terminate (timeout) acked too, seen 8 ms later at the page. */
function outgoingMissed() {
  seq = 0;
  const rows = [
    row("out", 1000, call("A1", "offer")),
    row("in", 1158, ack("A1", "offer")),
    row("out", 2500, call("A2", "terminate", { reason: "timeout" })),
    row("in", 2660, ack("A2", "terminate")),
  ];
  const log = [
    wire("in", 5001, "call", "A1", { callId: CALL, action: "offer" }),
    wire("out", 5151, "ack", "A1", { callId: CALL, class: "call", action: "offer", type: "offer" }),
    wire("in", 6501, "call", "A2", { callId: CALL, action: "terminate", reason: "timeout" }),
    wire("out", 6651, "ack", "A2", { callId: CALL, class: "call", action: "terminate", type: "terminate" }),
    wire("out", 6700, "message", "M1"),
    wire("in", 6710, "ack", "M1", { class: "message" }),
  ];
  return { rows, log };
}

const PLAN: LoadPlan = {
  real: ["WAWap", "WAComms"],
  stubbed: ["WALogger", "cr:1"],
  simulator: ["WAAckParser"],
  missing: [],
  requiredBy: {},
  roots: ["WAWap", "WAComms"],
  bridges: ["WADeprecatedSendIq"],
  absentRoots: [],
  placeholders: [],
  conflicts: [],
};

function input(over: Partial<ReportInput> = {}): ReportInput {
  const { rows, log } = outgoingMissed();
  return {
    plan: PLAN,
    stubInfo: (n) => (n === "WALogger" ? { kind: "logger", why: "logs nothing" } : undefined),
    bridgeWhy: { WADeprecatedSendIq: { why: "API differs" } },
    babelHelpersMissing: [],
    query: "",
    connected: true,
    scenarios: [{ name: "outgoing-missed", callId: CALL }],
    rows,
    wire: log,
    modulesRan: ["WAWap", "WAComms"],
    probes: { "WAComms is WhatsApp's": true },
    pageErrors: [],
    expectedScenarios: ["outgoing-missed"],
    ...over,
  };
}

describe("wire keys", () => {
  it("turn the server's direction into the device's, and pair a row with its wire entry", () => {
    const { rows, log } = outgoingMissed();
    expect(wireKeyOfEntry(log[0])).toBe("out|call|A1|offer");
    expect(wireKeyOfRow(rows[0])).toBe("out|call|A1|offer");
    expect(wireKeyOfEntry(log[1])).toBe("in|ack|A1|call");
    expect(wireKeyOfRow(rows[1])).toBe("in|ack|A1|call");
  });

  it("count calls, call acks and call receipts as what the extension must show", () => {
    expect(isCallWire(wire("in", 0, "call", "x"))).toBe(true);
    expect(isCallWire(wire("out", 0, "ack", "x", { class: "call" }))).toBe(true);
    expect(isCallWire(wire("out", 0, "ack", "x", { class: "message" }))).toBe(false);
    expect(isCallWire(wire("out", 0, "receipt", "x", { callId: CALL }))).toBe(true);
    expect(isCallWire(wire("out", 0, "receipt", "x"))).toBe(false);
    expect(isCallWire(wire("out", 0, "message", "x"))).toBe(false);
  });
});

describe("compareRows", () => {
  it("matches every row of a clean capture, with no phantom and nothing missing", () => {
    const { rows, log } = outgoingMissed();
    const c = compareRows(rows, log);
    expect(c).toMatchObject({ rows: 4, wireCallStanzas: 4, matched: 4, phantoms: [], missing: [] });
    expect(c.byTaps).toEqual({ "codec+comms-config+transport": 4 });
  });

  it("calls a codec-only echo of a received ack a phantom, and a second row of one wire stanza too", () => {
    const { rows, log } = outgoingMissed();
    // The VoIP engine re-encodes the server's ack: the codec tap alone sees an "outgoing" ack.
    const echo = row("out", 1159, ack("A1", "offer"), ["codec"]);
    const twice = row("out", 1001, call("A1", "offer"), ["transport"]);
    const c = compareRows([...rows, echo, twice], log);
    expect(c.matched).toBe(4);
    expect(c.phantoms).toEqual([
      { seq: echo.seq, key: "out|ack|A1|call", seenBy: ["codec"], why: "no wire entry" },
      { seq: twice.seq, key: "out|call|A1|offer", seenBy: ["transport"], why: "more rows than wire entries" },
    ]);
    expect(c.byTaps).toMatchObject({ codec: 1, transport: 1 });
  });

  it("lists call stanzas of the wire that no row shows", () => {
    const { rows, log } = outgoingMissed();
    const c = compareRows(rows.slice(0, 2), log);
    expect(c.missing).toEqual([
      { key: "out|call|A2|terminate", callId: CALL },
      { key: "in|ack|A2|call", callId: CALL },
    ]);
  });
});

describe("calls beside the wire", () => {
  it("takes ack latencies from the server's record of each <call> and its ack", () => {
    const { log } = outgoingMissed();
    expect(wireAckLatencies(log, CALL)).toEqual([
      { action: "offer", direction: "out", id: "A1", wireMs: 150 },
      { action: "terminate", direction: "out", id: "A2", wireMs: 150 },
    ]);
  });

  it("puts the extension's state, reason and latencies beside the wire's", () => {
    const { rows, log } = outgoingMissed();
    const [c] = compareCalls([{ name: "outgoing-missed", callId: CALL }], rows, log);
    expect(c).toMatchObject({
      scenario: "outgoing-missed",
      captured: true,
      reason: "timeout",
      wireReason: "timeout",
    });
    expect(c.acks[0]).toMatchObject({ action: "offer", extensionMs: 158, wireMs: 150, deltaMs: 8 });
    expect(c.acks[1]).toMatchObject({ action: "terminate", extensionMs: 160, deltaMs: 10 });
    expect(latencyOutOfTolerance(c.acks[0])).toBe(false);
    expect(latencyOutOfTolerance({ ...c.acks[0], deltaMs: 25 })).toBe(true);
    expect(latencyOutOfTolerance({ ...c.acks[0], direction: "in", deltaMs: -40 })).toBe(false);
  });

  it("marks a scripted call the extension does not have", () => {
    const [c] = compareCalls([{ name: "x", callId: "NOPE" }], outgoingMissed().rows, outgoingMissed().log);
    expect(c.captured).toBe(false);
  });
});

describe("footprint against a run without the extension", () => {
  it("names the counters that differ, comparing lists by content", () => {
    const without = { honeypotReads: 0, moduleErrors: [], errorOverridden: false };
    expect(footprintDiff({ ...without }, without)).toEqual([]);
    expect(footprintDiff({ ...without, honeypotReads: 1, moduleErrors: ["X"] }, without)).toEqual([
      "honeypotReads",
      "moduleErrors",
    ]);
    expect(footprintDiff(undefined, without)).toEqual([]);
  });

  it("fails the report when they differ, and prints both", () => {
    const r = buildReport(
      input({
        footprint: { honeypotReads: 2 },
        baselineRun: true,
        baselineFootprint: { honeypotReads: 0 },
      }),
    );
    expect(r.failures).toEqual(["footprint differs from the run without the extension: honeypotReads"]);
    expect(formatReport(r)).toContain(
      'without the extension: {"honeypotReads":0} — differs in honeypotReads',
    );
    expect(
      buildReport(input({ footprint: { a: 0 }, baselineRun: true, baselineFootprint: { a: 0 } })).ok,
    ).toBe(true);
  });
});

describe("recognisedBy", () => {
  it("lists what each installed tap hooked, and tables read from the page", () => {
    expect(
      recognisedBy({
        taps: [
          { name: "codec", installed: true, live: true, note: "wrapped WAWap" },
          { name: "transport", installed: false, live: false, note: "no WebSocket" },
        ],
        seenByTag: {},
        forwarded: 0,
        filtered: 0,
        errors: 0,
        dictionary: { source: "page", headerVersions: [3], note: "tables from WAWapDict" },
      }),
    ).toEqual(["codec: wrapped WAWap", "dictionary: tables from WAWapDict"]);
    expect(recognisedBy(undefined)).toEqual([]);
  });
});

describe("buildReport", () => {
  it("passes with every flow captured and no phantom", () => {
    const r = buildReport(input());
    expect(r.ok).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.loaded.stubs).toEqual([
      { name: "WALogger", kind: "logger", why: "logs nothing" },
      { name: "cr:1", kind: "placeholder", why: "not in the dump: an empty module" },
    ]);
    expect(r.loaded.bridges).toEqual([{ name: "WADeprecatedSendIq", why: "API differs" }]);
    const text = formatReport(r);
    expect(text).toMatch(/^WA build compatibility check: PASS/);
    expect(text).toContain("4 matched, 0 phantom, 0 missing");
    expect(text).toContain("within ±20 ms of the server's delay: 2 of 2");
    expect(text).toContain("(the page has no __sim.footprint())");
  });

  it("fails when the modules were never served, or a probe finds a look-alike where WhatsApp's should be", () => {
    const r = buildReport(input({ served: 0, probes: { "WAComms is WhatsApp's": false } }));
    expect(r.failures).toEqual([
      "WhatsApp's modules were never served (no request for the early bundle)",
      "not WhatsApp's: WAComms is WhatsApp's",
    ]);
  });

  it("fails on a phantom row, a missing flow, an absent required module and a page that did not connect", () => {
    const base = outgoingMissed();
    const echo = row("out", 1159, ack("A1", "offer"), ["codec"]);
    const r = buildReport(
      input({
        rows: [...base.rows, echo],
        connected: false,
        expectedScenarios: ["outgoing-missed", "incoming-answered"],
        requiredRoots: ["WANoiseSocket"],
        plan: { ...PLAN, absentRoots: ["WANoiseSocket"] },
        probes: { "WANoiseSocket is WhatsApp's": false },
        footprint: { honeypotReads: 0 },
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      "the page did not connect with WhatsApp's modules",
      "flow incoming-answered did not run",
      "1 phantom row(s)",
      "WANoiseSocket is not in the dump",
    ]);
    const text = formatReport(r);
    expect(text).toMatch(/^WA build compatibility check: FAIL/);
    expect(text).toContain("phantom #4 out|ack|A1|call seen by codec: no wire entry");
    expect(text).toContain('Footprint: {"honeypotReads":0}');
  });
});
