/**
 * End to end in Firefox: the Firefox build (`dist-firefox/`) in Debian's headless Firefox ESR
 * against the simulator (e2e/firefox/harness.ts). The four scripted calls run while the
 * background, an event page in Firefox, is stopped again and again; then the extension must
 * hold what the simulator server's record of the wire says: the same calls and reasons, every
 * call stanza of the wire once and nothing else, ack latencies in whole ms (Firefox's precision)
 * bounded by the wire's figures as in Chromium, ±20 ms of the page's own figures, and ±20 ms of
 * the wire's at the median; and the real DevTools panel must show the calls. The deep-capture
 * text is checked in worker.test.ts (the panel shows it where deep capture would matter).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareRows, type WireEntry } from "../../scripts/wa-build/report";
import type { TabSession } from "../../src/background/store";
import { buildCalls } from "../../src/shared/trace/calls";
import type { ScenarioResult, SimLogEntry } from "../harness";
import { waitFor } from "../harness";
import { expectOnlyCallStanzas } from "../privacy";
import {
  type FirefoxHarness,
  firefoxPageLog,
  launchFirefox,
  runFirefoxScenarios,
  type StopCount,
  settledFirefoxSession,
  whileStoppingBackground,
} from "./harness";

const ACK_DELAY_MS = 150;
/** How far an ack latency the extension shows may lie from the page's own figure (and, median, the wire's), ms. */
const LATENCY_TOLERANCE_MS = 20;
/** Pause between two tries to stop the background, ms. */
const STOP_EVERY_MS = 150;

let h: FirefoxHarness;
let results: ScenarioResult[];
let session: TabSession;
/** The server's record of the wire. */
let wire: WireEntry[];
/** The page's own stanza log (`__sim.log`). */
let pageLog: SimLogEntry[];
let stops: StopCount;

beforeAll(async () => {
  h = await launchFirefox({ sim: { ackDelayMs: ACK_DELAY_MS } });
  // The tap and relay run, and the background stored the tab's session, before the calls.
  await h.tabId();
  const run = await whileStoppingBackground(h, STOP_EVERY_MS, () => runFirefoxScenarios(h.page));
  results = run.value;
  stops = run.stops;
  session = await settledFirefoxSession(h, results);
  await h.sim.sync?.();
  wire = [...(h.sim.log as WireEntry[])];
  pageLog = await firefoxPageLog(h.page);
});

afterAll(async () => {
  await h?.close();
});

function callIdOf(name: string): string {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`scenario ${name} did not run; got ${results.map((x) => x.name).join(", ")}`);
  return r.callId;
}

/** Ack latencies on the server's clock, keyed by the acked `<call>`'s direction (device view) and id. */
function wireLatencies(): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of wire) {
    if (e.tag !== "call" || !e.id) continue;
    const ack = wire.find((a) => a.tag === "ack" && a.id === e.id && a.dir !== e.dir && a.t >= e.t);
    if (ack) out.set(`${e.dir === "in" ? "out" : "in"}|${e.id}`, ack.t - e.t);
  }
  return out;
}

/**
 * The page's own ack latency of a `<call>` (`__sim.log`, taken at WhatsApp's handlers): for the
 * page's own (`out`) call, sent → ack received; for an inbound one, received → ack sent. ms.
 */
function pageLatency(direction: string, id: string | undefined): number | undefined {
  const [callDir, ackDir] = direction === "out" ? ["out", "in"] : ["in", "out"];
  const call = pageLog.find((e) => e.dir === callDir && e.tag === "call" && e.id === id);
  const ack = pageLog.find((e) => e.dir === ackDir && e.tag === "ack" && e.id === id);
  return call && ack ? ack.t - call.t : undefined;
}

describe("Firefox ESR: the scripted calls, with the background stopped again and again", () => {
  it("the same calls, states and reasons as the wire", () => {
    const calls = buildCalls(session.stanzas).calls;
    for (const r of results) {
      const call = calls.find((c) => c.callId === r.callId);
      expect(call, `call ${r.name}`).toBeDefined();
      const wireReason = wire.find(
        (e) => e.callId === r.callId && e.tag === "call" && e.reason != null,
      )?.reason;
      if (wireReason !== undefined) expect(call?.reason, `reason of ${r.name}`).toBe(wireReason);
    }
    const state = (name: string) => calls.find((c) => c.callId === callIdOf(name))?.state;
    expect(state("outgoing-missed")).toBe("missed");
    expect(state("incoming-rejected-busy")).toBe("busy");
    expect(state("incoming-answered")).toBe("answered");
    expect(state("incoming-accepted-elsewhere")).toBe("accepted-elsewhere");
    const reason = (name: string) => calls.find((c) => c.callId === callIdOf(name))?.reason;
    expect(reason("outgoing-missed")).toBe("timeout");
    expect(reason("incoming-rejected-busy")).toBe("busy");
    expect(reason("incoming-accepted-elsewhere")).toBe("accepted_elsewhere");
  });

  it(`ack latencies where the wire puts them, as the page's own ±${LATENCY_TOLERANCE_MS} ms, in whole milliseconds`, () => {
    const byWire = wireLatencies();
    const stanzas = session.stanzas;
    const compared = { in: 0, out: 0, page: 0 };
    /** |extension − wire| of each compared ack latency, ms. */
    const fromWire: number[] = [];
    for (const c of buildCalls(stanzas).calls) {
      for (const e of c.entries) {
        const n = e.stanza.node;
        if (n?.tag !== "call" || e.ackLatencyMs === undefined) continue;
        const dir = e.stanza.direction;
        const id = n.attrs.id;
        const w = byWire.get(`${dir}|${id}`);
        const own = pageLatency(dir, id);
        const what = `ack latency of ${dir} ${id}: extension ${e.ackLatencyMs} ms, wire ${w?.toFixed(1)} ms, page ${own} ms`;
        expect(w, what).toBeDefined();
        if (w === undefined) continue;
        compared[dir === "in" ? "in" : "out"]++;
        fromWire.push(Math.abs(e.ackLatencyMs - w));
        // Firefox rounds the page's clock to 1 ms: the figure is a whole number of ms.
        expect(Number.isInteger(e.ackLatencyMs), what).toBe(true);
        // As in Chromium (wa2026.test.ts), where physics puts it on a machine of any load: the
        // page's own call is acked no sooner than the server answered it (the page's figure adds
        // both transits), an inbound call no later than the server saw the ack (the server's
        // figure adds them).
        if (dir === "out") expect(e.ackLatencyMs, what).toBeGreaterThanOrEqual(w - 2);
        else expect(e.ackLatencyMs, what).toBeLessThanOrEqual(w + 2);
        expect(e.ackLatencyMs, what).toBeLessThan(w + 1000);
        if (dir !== "out" || own === undefined) continue;
        // As in Chromium (slice.test.ts): no later than the page's own figure (taken at WhatsApp's
        // handlers) + 20 ms + the lag between the socket send and the handler that the
        // comms-config tap measured; and that tap, timing both stanzas at the page's own points,
        // agrees with the page ±20 ms.
        const call = stanzas.find(
          (x) => x.direction === "out" && x.node?.tag === "call" && x.node.attrs.id === id,
        );
        const ack = stanzas.find(
          (x) => x.direction === "in" && x.node?.tag === "ack" && x.node.attrs.id === id,
        );
        const callAt = call?.seenAt?.["comms-config"];
        const ackAt = ack?.seenAt?.["comms-config"];
        if (!call || callAt === undefined || ackAt === undefined) continue;
        compared.page++;
        const lag = Math.max(0, callAt - call.t);
        expect(e.ackLatencyMs, `${what}, handler lag ${lag} ms`).toBeLessThanOrEqual(
          own + lag + LATENCY_TOLERANCE_MS,
        );
        expect(Math.abs(ackAt - callAt - own), `${what} (at comms-config)`).toBeLessThanOrEqual(
          LATENCY_TOLERANCE_MS,
        );
      }
    }
    // The page's own calls (the server's ack delay) and inbound calls (this device's ack delay).
    expect(compared.out).toBeGreaterThan(0);
    expect(compared.in).toBeGreaterThan(0);
    expect(compared.page).toBeGreaterThan(0);
    // Typically within a few ms of the wire's figure; a single one can lie 20+ ms off on a
    // loaded machine (both transits), so the bound is on the median.
    const sorted = [...fromWire].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(
      median,
      `|extension − wire| per ack: ${sorted.map((d) => d.toFixed(1)).join(", ")} ms`,
    ).toBeLessThanOrEqual(LATENCY_TOLERANCE_MS);
  });

  it("nothing lost across the background stops: every call stanza of the wire once, no other row", () => {
    expect(stops.forced, `background stops (of ${stops.attempts} attempts)`).toBeGreaterThanOrEqual(3);
    const cmp = compareRows(session.stanzas, wire);
    expect(cmp.phantoms, "rows with no wire stanza behind them").toEqual([]);
    expect(cmp.missing, "wire call stanzas without a row").toEqual([]);
    expect(cmp.matched).toBe(cmp.wireCallStanzas);
    expect(cmp.matched).toBeGreaterThan(20);
    expect(new Set(session.stanzas.map((s) => s.seq)).size).toBe(session.stanzas.length);
  });

  it("lets no non-call stanza reach the extension, while the page's other traffic flowed", async () => {
    const stanzas = session.stanzas;
    expectOnlyCallStanzas(stanzas);
    // The simulator's chatter really went through the tap: counted, not copied.
    const health = session.health;
    expect(health.seenByTag.message ?? 0).toBeGreaterThan(0);
    expect(health.seenByTag.iq ?? 0).toBeGreaterThan(0);
    expect(health.seenByTag.presence ?? 0).toBeGreaterThan(0);
    expect(health.filtered ?? 0).toBeGreaterThan(0);
    expect(pageLog.length).toBeGreaterThan(stanzas.length);
  });

  it("the real DevTools panel shows the calls with their states and reasons", async () => {
    const panel = await h.openDevToolsPanel();
    expect(panel.url).toBe(`${h.origin}/src/panel/panel.html`);
    const shown = await waitFor(
      "the four calls in the DevTools panel",
      async () => {
        const rows = await panel.select("[data-testid=call-list] tbody tr[data-call-id]", [
          "data-call-id",
          "data-state",
          "data-reason",
        ]);
        const byId = new Map(rows.map((r) => [r.attrs["data-call-id"], r.attrs]));
        return results.every((r) => byId.get(r.callId)?.["data-state"]) ? byId : undefined;
      },
      30_000,
    );
    expect(shown.get(callIdOf("outgoing-missed"))).toMatchObject({
      "data-state": "missed",
      "data-reason": "timeout",
    });
    expect(shown.get(callIdOf("incoming-rejected-busy"))).toMatchObject({
      "data-state": "busy",
      "data-reason": "busy",
    });
    expect(shown.get(callIdOf("incoming-answered"))?.["data-state"]).toBe("answered");
    expect(shown.get(callIdOf("incoming-accepted-elsewhere"))).toMatchObject({
      "data-state": "accepted-elsewhere",
      "data-reason": "accepted_elsewhere",
    });
  });
});
