/**
 * End to end, per simulator mode (sim/README.md, sim/page/modes.js): the built extension in
 * Debian Chromium captures the same calls, with the same states and reasons as in main-thread
 * mode and the same ack latencies, or capture health says what the mode cannot see; and in
 * every mode no message, iq, presence or notification stanza reaches the extension, while they
 * were counted in the page.
 *
 * Ack latencies, each checked against what physics and the page's own instrumentation allow, on
 * a machine under any load (never against the configured delay alone, nor which tap came first):
 * - a comms-handler tap (`comms-config`, `worker:comms-config`) that saw both stanzas measures at
 *   the points where the page logs them (`__sim.log`: WAComms right before `onCastStanza` and
 *   `onHandleStanza`, on the page or in the worker): its own latency is within ±20 ms of the
 *   page's;
 * - the latency shown (timed nearest the wire: the socket send out, decryption in) is never below
 *   the server's own figure − 2 ms (`startSimulator().log`: the call left before the server got it,
 *   the ack arrived after the server sent it), and never above the page's own figure + 20 ms plus
 *   the lag between the socket send and the handler that the handler tap measured (the page logs
 *   later than the wire on both sides; unloaded these lags are ~0, under load ≈20–200 ms were
 *   seen, and only the wire-nearest time is true to the wire).
 *
 * Modes: main thread (baseline, with the reconnect scenario), `comms=worker`, `modules=hidden`
 * (only the transport tap can see), `dict=alt` (WAWapDict v4, permuted tables), `dict=unknown`
 * (header v9, no WAWapDict: bytes undecodable, the comms handlers still see nodes), and
 * `sockets=2` (two chat sockets, plus the reconnect and second-socket scenarios).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TabSession } from "../src/background/store";
import { buildCalls, type CallSummary } from "../src/shared/trace/calls";
import type { CapturedStanza, CaptureHealth, TapName } from "../src/shared/trace/types";
import { isUnconfirmed } from "../src/shared/view/rows";
import {
  enableDeepCapture,
  ensureTestBuild,
  forwardedTotal,
  type Harness,
  launch,
  liveWorker,
  pageAckLatency,
  pageLog,
  runScenarios,
  type ScenarioResult,
  SIM_BACKEND_WORKER,
  type SimLogEntry,
  waitFor,
  wireAckLatency,
} from "./harness";
import { expectOnlyCallStanzas } from "./privacy";

const ACK_DELAY_MS = 150;

interface ModeRun {
  results: ScenarioResult[];
  log: SimLogEntry[];
  session: TabSession;
  health: CaptureHealth;
  calls: CallSummary[];
  /** The server's record of the wire (`startSimulator().log`, its own clock; `dir` from its view). */
  wire: SimLogEntry[];
}

/**
 * Runs the scenarios of one mode and waits until every call is in the background session.
 * @param deep switch deep capture on from the panel first: `start` then reloads the page (the
 *   worker is tapped before its first script), `late` taps the running worker.
 */
async function runMode(query: string, which?: "all", deep?: "start" | "late"): Promise<ModeRun> {
  let h: Harness | undefined;
  try {
    const dist = deep ? await ensureTestBuild("deep") : undefined;
    h = await launch({ query, sim: { ackDelayMs: ACK_DELAY_MS }, dist });
    const harness = h;
    if (deep === "start") await enableDeepCapture(h);
    if (deep === "late") {
      await h.page.waitForFunction(() => (window as unknown as { __sim?: unknown }).__sim !== undefined);
      await h.page.evaluate(() => (window as unknown as { __sim: { ready: Promise<unknown> } }).__sim.ready);
      const panel = await h.openPanel();
      await panel.getByTestId("deep-capture-enable").click();
      await panel.getByTestId("deep-capture-allow").click();
      await panel.waitForFunction(
        () =>
          document.querySelector('[data-testid="deep-capture-worker"]')?.textContent?.includes("tapped late"),
        undefined,
        { timeout: 15_000 },
      );
    }
    const results = await runScenarios(h.page, which);
    await waitFor(`every call of ${query || "main-thread mode"} in the session`, async () => {
      const s = await harness.session();
      if (!s) return undefined;
      const ids = new Set(buildCalls(s.stanzas).calls.map((c) => c.callId));
      return results.every((r) => ids.has(r.callId)) ? s : undefined;
    });
    const final = await settled(h, results);
    const log = await pageLog(h.page);
    const sim = h.sim as unknown as { sync?: () => Promise<void>; log: SimLogEntry[] };
    await sim.sync?.();
    const wire = sim.log.slice();
    return {
      results,
      log,
      session: final,
      health: final.health,
      calls: buildCalls(final.stanzas).calls,
      wire,
    };
  } finally {
    await h?.close();
  }
}

/**
 * Waits (instead of a fixed pause) until the session has settled after the scenarios: every
 * `<call>` stanza of their calls in the page's own log (what crossed the wire) is stored, every
 * outbound one has its ack, the health record counts at least every stored stanza (so it was
 * published after the last one), and two polls in a row agree on the number of stanzas. Under
 * load this takes as long as it takes; the assertions then run on what is stored, so a mode that
 * never settles (a stanza or ack never captured) fails on the assertion that says what is
 * missing rather than on a timeout here.
 */
async function settled(h: Harness, results: ScenarioResult[]): Promise<TabSession> {
  const ids = new Set(results.map((r) => r.callId));
  let last: TabSession | undefined;
  let lastCount = -1;
  try {
    await waitFor("the session to settle (call stanzas, acks and a fresh health record)", async () => {
      const s = await h.session();
      if (!s) return undefined;
      const count = s.stanzas.length;
      const stable = count === lastCount;
      last = s;
      lastCount = count;
      const stored = new Set(
        s.stanzas.filter((x) => x.node?.tag === "call").map((x) => `${x.direction}|${x.node?.attrs.id}`),
      );
      const wire = (await pageLog(h.page)).filter(
        (e) => e.tag === "call" && e.callId !== undefined && ids.has(e.callId),
      );
      const allStored = wire.every((e) => stored.has(`${e.dir}|${e.id}`));
      const calls = buildCalls(s.stanzas).calls.filter((c) => ids.has(c.callId));
      const acked = calls.every((c) => outboundAckLatencies(c).every((x) => x.ms !== undefined));
      return stable && allStored && acked && forwardedTotal(s.health) >= count ? s : undefined;
    });
  } catch {
    // Not settled in 20 s: assert on what is there (see above).
  }
  const s = last ?? (await h.session());
  if (!s) throw new Error("no session");
  return s;
}

/** One stanza for a failure message: seq, direction, tag, id and each tap's time relative to `t`. */
function describeStanza(s: CapturedStanza | undefined): string {
  if (!s) return "(not captured)";
  const at = Object.entries(s.seenAt ?? { [s.tap]: s.t })
    .map(([tap, t]) => `${tap}${(t ?? 0) >= s.t ? "+" : ""}${((t ?? 0) - s.t).toFixed(1)}`)
    .join(" ");
  return `#${s.seq} ${s.direction} <${s.node?.tag} id=${s.node?.attrs.id}> seenBy [${(s.seenBy ?? [s.tap]).join(", ")}] at ${at} ms`;
}

/** The taps that capture at the same points as the page's own log (WA's comms handlers). */
const HANDLER_TAPS: TapName[] = ["comms-config", "worker:comms-config"];

/** The stored outbound `<call id>` and the first inbound ack of it after it, if both were stored. */
function storedPair(
  run: ModeRun,
  id: string | undefined,
): { call: CapturedStanza; ack: CapturedStanza } | undefined {
  const isCall = (s: CapturedStanza) =>
    s.direction === "out" && s.node?.tag === "call" && s.node.attrs.id === id;
  const call = run.session.stanzas.find(isCall);
  const ack =
    call &&
    run.session.stanzas.find(
      (s) => s.seq > call.seq && s.direction === "in" && s.node?.tag === "ack" && s.node.attrs.id === id,
    );
  return call && ack ? { call, ack } : undefined;
}

/** One tap's own time of a stored stanza (its `seenAt`, or `t` when it alone saw it), epoch ms. */
function tapTime(s: CapturedStanza, tap: TapName): number | undefined {
  const by = s.seenBy ?? [s.tap];
  if (!by.includes(tap)) return undefined;
  return s.seenAt?.[tap] ?? (by.length === 1 ? s.t : undefined);
}

/** A tap's own ack latency of a stored pair, ms, when it saw both stanzas. */
function tapLatency(call: CapturedStanza, ack: CapturedStanza, tap: TapName): number | undefined {
  const a = tapTime(call, tap);
  const b = tapTime(ack, tap);
  return a !== undefined && b !== undefined ? b - a : undefined;
}

function callOf(run: ModeRun, scenario: string): CallSummary {
  const r = run.results.find((x) => x.name === scenario);
  if (!r) throw new Error(`scenario ${scenario} did not run (${run.results.map((x) => x.name).join(", ")})`);
  const call = run.calls.find((c) => c.callId === r.callId);
  if (!call) throw new Error(`call of ${scenario} not captured`);
  return call;
}

/** Outbound `<call>` actions of a call with their ack latency (ms) and stanza id, in order. */
function outboundAckLatencies(call: CallSummary): { action: string; id?: string; ms?: number }[] {
  return call.entries
    .filter((e) => e.stanza.direction === "out" && e.view.kind === "call")
    .map((e) => {
      const v = e.view as { action: string; id?: string };
      return { action: v.action, id: v.id, ms: e.ackLatencyMs };
    });
}

/** The privacy check of e2e/slice.test.ts, plus: the chatter was counted in the page. */
function expectPrivacy(run: ModeRun, seenTags: string[]): void {
  const stanzas = run.session.stanzas;
  expectOnlyCallStanzas(stanzas);
  for (const tag of seenTags) expect(run.health.seenByTag[tag] ?? 0, `${tag} counted`).toBeGreaterThan(0);
  expect(run.health.filtered).toBeGreaterThan(0);
  // Nothing undecodable left the page as hex.
  for (const e of run.health.decodeErrors ?? []) expect(e.hex).toBeUndefined();
}

/** Each stanza appears once: no (direction, id, action) twice, except WA's own re-sends. */
function expectNoDuplicates(stanzas: CapturedStanza[]): void {
  const seen = new Map<string, number>();
  for (const s of stanzas) {
    const n = s.node;
    if (!n) continue;
    const child = Array.isArray(n.content) ? (n.content[0]?.tag ?? "") : "";
    const key = `${s.direction}|${n.tag}|${n.attrs.id}|${n.attrs.class ?? ""}|${child}|${n.attrs.from ?? ""}|${n.attrs.to ?? ""}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const dupes = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  expect(dupes, "stanzas captured twice").toEqual([]);
}

function tapsOf(run: ModeRun): Set<TapName> {
  return new Set(run.session.stanzas.map((s) => s.tap));
}

const CORE = [
  "outgoing-missed",
  "incoming-rejected-busy",
  "incoming-answered",
  "incoming-accepted-elsewhere",
];
const CHATTER = ["message", "iq", "presence", "notification"];

let main: ModeRun;

/**
 * Same calls, states, reasons and outbound call actions as main-thread mode; with `acks`, every
 * outbound call stanza's ack latency matches the page's own (see the module comment).
 */
function expectSameCalls(run: ModeRun, scenarios: string[], acks: boolean | "lower-bound"): void {
  for (const name of scenarios) {
    const want = callOf(main, name);
    const got = callOf(run, name);
    expect([name, got.state, got.reason, got.direction]).toEqual([
      name,
      want.state,
      want.reason,
      want.direction,
    ]);
    const lat = outboundAckLatencies(got);
    // The same outbound actions, each once (as a sorted list: two sends a few ms apart can be
    // stored in either order when one was timed in the worker and the other on the page).
    const actions = (c: CallSummary) =>
      outboundAckLatencies(c)
        .map((x) => x.action)
        .sort();
    expect(actions(got), `${name}: outbound call actions`).toEqual(actions(want));
    if (!acks) continue;
    for (const { action, id, ms } of lat) {
      // The call stanza and its ack as stored, with every tap's time, to tell a late merge from a
      // wrong pairing when a latency is off.
      const detail = () => {
        const call = run.session.stanzas.find(
          (s) => s.direction === "out" && s.node?.tag === "call" && s.node.attrs.id === id,
        );
        const ack = run.session.stanzas.find(
          (s) => s.direction === "in" && s.node?.tag === "ack" && s.node.attrs.id === id,
        );
        const t0 = call?.t ?? 0;
        const logged = run.log
          .filter((e) => e.id === id && (e.tag === "call" || e.tag === "ack"))
          .map(
            (e) =>
              `${e.dir} ${e.tag} ${e.ctx ?? "page"}${e.socketId !== undefined ? `#${e.socketId}` : ""} ${(e.t - t0).toFixed(1)}`,
          )
          .join(", ");
        return `call ${describeStanza(call)}; ack ${describeStanza(ack)}; page log (ms from the call's t): ${logged}; late copies dropped: ${
          run.health.deepCapture?.lateCopies ?? 0
        }`;
      };
      expect(ms, `${name}: ack latency of ${action} (${detail()})`).toBeDefined();
      const own = pageAckLatency(run.log, id);
      expect(own, `${name}: the page's own ack latency of ${action}`).toBeDefined();
      // Causal lower bound: the call left before the server got it and the ack arrived after the
      // server sent it, so no tap can see a shorter round trip than the server's own figure.
      const wire = wireAckLatency(run.wire, id);
      expect(wire, `${name}: the server's record of ${action} and its ack`).toBeDefined();
      expect(
        ms ?? 0,
        `${name}: ${action} ${ms} ms vs the wire's ${wire} ms (${detail()})`,
      ).toBeGreaterThanOrEqual((wire ?? 0) - 2);
      if (acks === "lower-bound") continue;
      // Upper bound: the ack is timed at or before WA's handler (where the page logs it); the call
      // at the socket send, which precedes the page's log entry by the handler's lag after the send
      // (measured by a handler tap that saw the call). Without a handler tap, a call timed at the
      // socket has no upper bound here; one timed elsewhere (codec: before a page→worker hop) must
      // not exceed the page's own figure.
      const pair = storedPair(run, id);
      const callAtHandler =
        pair && HANDLER_TAPS.map((tap) => tapTime(pair.call, tap)).find((t) => t !== undefined);
      const atSocket = pair?.call.seenBy?.some((t) => t === "transport" || t === "worker:transport") ?? false;
      // A pair only the page's codec saw (before a late deep capture reached the worker) is timed
      // across both page↔worker hops, which the product says (worker limitation, unconfirmed
      // rows): its only bound is the causal one above.
      const codecOnly = pair !== undefined && isUnconfirmed(pair.call) && isUnconfirmed(pair.ack);
      if (pair && !codecOnly && (callAtHandler !== undefined || !atSocket)) {
        const lag = callAtHandler !== undefined ? Math.max(0, callAtHandler - pair.call.t) : 0;
        expect(
          ms ?? 0,
          `${name}: ${action} ${ms} ms vs the page's ${own} ms + ${lag.toFixed(1)} ms handler lag (${detail()})`,
        ).toBeLessThanOrEqual((own ?? 0) + lag + 20);
      }
      for (const tap of HANDLER_TAPS) {
        const mine = pair && tapLatency(pair.call, pair.ack, tap);
        if (mine === undefined) continue;
        expect(
          Math.abs(mine - (own ?? 0)),
          `${name}: ${action} ${mine} ms at ${tap} vs the page's ${own} ms (${detail()})`,
        ).toBeLessThanOrEqual(20);
      }
    }
  }
}

beforeAll(async () => {
  main = await runMode("", "all");
});

describe("main-thread mode (baseline)", () => {
  it("sees every call through all three taps, each stanza once, with the simulator's ack delay", () => {
    expectSameCalls(main, [...CORE, "outgoing-reconnect"], true);
    expect(callOf(main, "outgoing-missed")).toMatchObject({ state: "missed", reason: "timeout" });
    expect(callOf(main, "outgoing-reconnect")).toMatchObject({ state: "missed", reason: "timeout" });
    expectNoDuplicates(main.session.stanzas);
    // Every tap saw every stanza; which of them reported first is a race, not a promise.
    for (const s of main.session.stanzas)
      expect([...(s.seenBy ?? [])].sort(), describeStanza(s)).toEqual(["codec", "comms-config", "transport"]);
    expect(main.health).toMatchObject({
      commsMode: "main-thread",
      dictionary: { source: "page", version: 3 },
    });
    expect(main.health.transport?.sockets).toBeGreaterThanOrEqual(2); // the reconnect opened a new socket
    expect(main.health.transport?.counterGaps).toBe(0);
    expect(main.health.emptyReason).toBeUndefined();
  });

  it("lets no non-call stanza reach the extension", () => {
    expectPrivacy(main, CHATTER);
  });
});

describe("comms=worker", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?comms=worker");
  });
  afterAll(() => undefined);

  it("captures the calls from the codec path and says what worker mode hides", () => {
    // Acks of the page's own call stanzas come back to the main thread as bytes (the VoIP send
    // waits for them there), so they are captured, but the main thread sees the call before it
    // crosses to the worker and the ack after it crossed back: the latency includes both hops,
    // which health states. Only the lower bound is exact.
    expectSameCalls(run, CORE, "lower-bound");
    expectNoDuplicates(run.session.stanzas);
    expect(tapsOf(run)).toEqual(new Set(["codec"]));
    expect(run.health.commsMode).toBe("worker");
    expect(run.health.limitations?.map((l) => l.code)).toContain("worker-acks-hidden");
    expect(run.health.limitations?.find((l) => l.code === "worker-acks-hidden")?.message).toMatch(
      /latenc.*enable deep capture/,
    );
    expect(run.health.taps.find((t) => t.name === "transport")?.live).toBe(false);
    expect(run.health.transport?.sockets).toBe(0);
  });

  it("lets no non-call stanza reach the extension", () => {
    expectPrivacy(run, CHATTER);
  });
});

/** Taps of the page (no prefix) and of the worker (`worker:`) that saw the stanza. */
function contextsOf(s: CapturedStanza): string[] {
  const taps = s.seenBy ?? [s.tap];
  return [...new Set(taps.map((t) => (t.startsWith("worker:") ? "worker" : "page")))].sort();
}

describe("comms=worker with deep capture from the worker's start", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?comms=worker", undefined, "start");
  });

  it("captures the same calls and ack latencies as main-thread mode, each stanza once", () => {
    expectSameCalls(run, CORE, true);
    expectNoDuplicates(run.session.stanzas);
    // Every call stanza on the wire went through the worker's transport tap; those the worker
    // handed to the page (or the page to the worker) were merged into the same entry.
    const calls = run.session.stanzas.filter((s) => s.node?.tag === "call");
    for (const s of calls) expect(s.seenBy, describeStanza(s)).toContain("worker:transport");
    expect(calls.filter((s) => contextsOf(s).join() === "page,worker").length).toBeGreaterThan(0);
    // Inbound acks of call stanzas reach the worker first: its transport tap saw each of them,
    // whichever tap reported first (the worker's comms handler and transport tap race, and the
    // page's codec may also see the ack when the worker hands it over). Each is stored once.
    const acks = run.session.stanzas.filter((s) => s.node?.tag === "ack" && s.direction === "in");
    expect(acks.length).toBeGreaterThan(0);
    for (const s of acks) expect(s.seenBy, describeStanza(s)).toContain("worker:transport");
    // An inbound stanza is timed at the worker's decryption, the nearest point to the wire.
    for (const s of run.session.stanzas.filter((x) => x.direction === "in"))
      expect(s.t, describeStanza(s)).toBe(Math.min(...Object.values(s.seenAt ?? { x: s.t })));
  });

  it("reports the worker as tapped from its start, and no worker-mode gap", () => {
    const deep = run.health.deepCapture;
    expect(deep?.state).toBe("on");
    const worker = liveWorker(run.health);
    expect(worker).toMatchObject({ ...SIM_BACKEND_WORKER, installed: "start" });
    expect(worker?.health?.commsMode).toBe("worker");
    expect(worker?.health?.transport?.sockets).toBeGreaterThanOrEqual(1);
    expect(worker?.health?.taps.find((t) => t.name === "codec")?.installed).toBe(false);
    expect(deep?.merged ?? 0).toBeGreaterThan(0);
    expect(run.health.emptyReason).toBeUndefined();
    const codes = run.health.limitations?.map((l) => l.code) ?? [];
    expect(codes).not.toContain("worker-acks-hidden");
    expect(codes).not.toContain("deep-capture-late");
  });

  it("lets no non-call stanza leave the page or the worker", () => {
    expectPrivacy(run, CHATTER);
    const worker = liveWorker(run.health)?.health;
    for (const tag of CHATTER)
      expect(worker?.seenByTag[tag] ?? 0, `${tag} counted in the worker`).toBeGreaterThan(0);
    expect(worker?.filtered ?? 0).toBeGreaterThan(0);
  });
});

describe("comms=worker with deep capture switched on in a running worker", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?comms=worker", undefined, "late");
  });

  it("still captures the calls and their acks through the worker's comms handlers, and says what it missed", () => {
    // The worker's comms handlers saw call stanzas (merged with the page's copy when the page saw
    // it too), whichever context reported first.
    const calls = run.session.stanzas.filter((x) => x.node?.tag === "call");
    expect(
      calls.filter((s) => s.seenBy?.includes("worker:comms-config")).length,
      calls.map(describeStanza).join("\n"),
    ).toBeGreaterThan(0);
    expectSameCalls(run, CORE, true);
    expectNoDuplicates(run.session.stanzas);
    const worker = liveWorker(run.health);
    expect(worker?.installed).toBe("late");
    expect(run.health.limitations?.map((l) => l.code)).toContain("deep-capture-late");
    expect(run.health.limitations?.map((l) => l.code)).not.toContain("worker-acks-hidden");
  });

  it("lets no non-call stanza leave the page or the worker", () => {
    expectPrivacy(run, CHATTER);
  });
});

describe("modules=hidden", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?modules=hidden");
  });

  it("captures the same calls through the transport tap alone", () => {
    expectSameCalls(run, CORE, true);
    expectNoDuplicates(run.session.stanzas);
    expect(tapsOf(run)).toEqual(new Set(["transport"]));
    expect(run.health.taps.find((t) => t.name === "codec")?.installed).toBe(false);
    expect(run.health).toMatchObject({
      commsMode: "main-thread",
      dictionary: { source: "bundled", version: 3, headerVersions: [3] },
    });
  });

  it("lets no non-call stanza reach the extension", () => {
    expectPrivacy(run, CHATTER);
  });
});

describe("dict=alt", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?dict=alt");
  });

  it("decodes with the page's v4 tables and reports how they differ from v3", () => {
    expectSameCalls(run, CORE, true);
    expectNoDuplicates(run.session.stanzas);
    expect(tapsOf(run).has("transport")).toBe(true);
    expect(run.health.dictionary).toMatchObject({ source: "page", version: 4, headerVersions: [4] });
    expect(run.health.dictionary?.diffFromBundled?.total ?? 0).toBeGreaterThan(0);
    expect(run.health.undecodable ?? 0).toBe(0);
  });

  it("lets no non-call stanza reach the extension", () => {
    expectPrivacy(run, CHATTER);
  });
});

describe("dict=unknown", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?dict=unknown");
  });

  it("never misdecodes frames of an unknown dictionary, and still captures the calls from WA's nodes", () => {
    expectSameCalls(run, CORE, true);
    expectNoDuplicates(run.session.stanzas);
    // Frames were counted, none decoded: nothing from the transport tap.
    expect(tapsOf(run).has("transport")).toBe(false);
    expect(run.health.undecodable ?? 0).toBeGreaterThan(0);
    expect(run.health.dictionary).toMatchObject({ headerVersions: [9], unknownVersions: [9] });
    expect(run.health.limitations?.map((l) => l.code)).toContain("dictionary-unknown");
    expect(run.session.stanzas.every((s) => s.node !== undefined && s.error === undefined)).toBe(true);
  });

  it("lets no non-call stanza (and no undecodable frame) reach the extension", () => {
    expectPrivacy(run, CHATTER);
  });
});

describe("sockets=2", () => {
  let run: ModeRun;
  beforeAll(async () => {
    run = await runMode("?sockets=2", "all");
  });

  it("captures the calls of both sockets and across a reconnect", () => {
    expectSameCalls(run, [...CORE, "outgoing-reconnect"], true);
    expectNoDuplicates(run.session.stanzas);
    const second = callOf(run, "incoming-second-socket");
    expect(second.direction).toBe("in");
    expect(second.reason).toBe("timeout");
    expect(run.health.transport?.sockets).toBeGreaterThanOrEqual(3);
    expect(run.health.transport?.undecryptable).toBe(0);
  });

  it("lets no non-call stanza reach the extension", () => {
    expectPrivacy(run, CHATTER);
  });
});

describe("comms=worker&modules=hidden", () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
  });

  it("sees nothing on the page and says why, without forwarding anything", async () => {
    h = await launch({ query: "?comms=worker&modules=hidden", sim: { ackDelayMs: ACK_DELAY_MS } });
    const harness = h;
    await runScenarios(h.page, undefined);
    const session = await waitFor("a health record", async () => {
      const s = await harness.session();
      return s?.health.emptyReason ? s : undefined;
    });
    expect(session.stanzas).toHaveLength(0);
    expect(session.health.emptyReason).toEqual({
      code: "no-tap",
      message:
        "tap not installed: no stanza codec module found; no chat-socket traffic on this page either (comms may run in a worker: enable deep capture)",
    });
    expect(session.health.transport?.sockets).toBe(0);
  });
});
