/**
 * Zero harm, end to end: with a tap that throws at every capture entry point (the
 * fault-injection build `vite.faulty.config.ts` → `.tmp/dist-faulty/`, never shipped), WhatsApp's
 * own message flow is unchanged compared with a run without the extension: the same scenario
 * results, the same call stanzas in the page's own log (`__sim.log`) and in the server's log,
 * background chatter still flowing, and no error in the page's console. The extension's health
 * reports every tap as switched off, and nothing is captured. The same holds in the comms worker
 * with deep capture on (`faulty-deep` build: the worker tap throws too), against a run without
 * the extension in the same mode: the worker was paused, tapped and resumed without effect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TabSession } from "../src/background/store";
import {
  enableDeepCapture,
  ensureTestBuild,
  type Harness,
  launch,
  liveWorker,
  pageLog,
  runScenarios,
  type ScenarioResult,
  SIM_BACKEND_WORKER,
  type SimLogEntry,
  waitFor,
} from "./harness";

interface Run {
  results: ScenarioResult[];
  log: SimLogEntry[];
  serverLog: SimLogEntry[];
  consoleErrors: string[];
  session?: TabSession;
}

/**
 * One run of the core scenarios.
 * @param query the simulator mode.
 * @param deep switch deep capture on from the panel first (and reload), as a user does.
 */
async function run(dist: string | null, query = "", deep = false): Promise<Run> {
  const consoleErrors: string[] = [];
  let h: Harness | undefined;
  try {
    h = await launch({
      dist,
      query,
      beforeGoto: (page) => {
        page.on("console", (m) => {
          if (m.type() === "error") consoleErrors.push(m.text());
        });
        page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      },
    });
    if (deep) await enableDeepCapture(h);
    const results = await runScenarios(h.page);
    // Let the chatter run a little longer, then read both logs.
    await new Promise((r) => setTimeout(r, 1000));
    const log = await pageLog(h.page);
    const s = h.sim as unknown as { sync?: () => Promise<void>; log: SimLogEntry[] };
    await s.sync?.();
    const callIds = new Set(results.map((r) => r.callId));
    const serverLog = s.log.filter((e) => e.callId !== undefined && callIds.has(e.callId));
    let session: TabSession | undefined;
    if (dist !== null) {
      const harness = h;
      session = await waitFor("a health record with switched-off taps", async () => {
        const x = await harness.session();
        const workerTaps = x?.health.deepCapture?.workers.flatMap((w) => w.health?.taps ?? []) ?? [];
        const off = deep ? workerTaps.some((t) => t.disabled) : x?.health.taps.some((t) => t.disabled);
        return off ? x : undefined;
      });
      await new Promise((r) => setTimeout(r, 1000));
      session = (await h.session()) ?? session;
    }
    return { results, log, serverLog, consoleErrors, session };
  } finally {
    await h?.close();
  }
}

/** The call flow of each scenario as a sorted list of `dir tag action/class/type reason`. */
function flows(results: ScenarioResult[], log: SimLogEntry[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of results) {
    out[r.name] = log
      .filter((e) => e.callId === r.callId)
      .map((e) => `${e.dir} ${e.tag} ${e.action ?? e.class ?? e.type ?? ""} ${e.reason ?? ""}`.trim())
      .sort();
  }
  return out;
}

let clean: Run;
let faulty: Run;

beforeAll(async () => {
  const dist = await ensureTestBuild("faulty");
  clean = await run(null);
  faulty = await run(dist);
}, 300_000);

afterAll(() => undefined);

describe("a tap that throws on every call", () => {
  it("leaves the page's scenario results and call stanzas unchanged", () => {
    expect(faulty.results.map((r) => r.name)).toEqual(clean.results.map((r) => r.name));
    for (const r of faulty.results) expect(r.callId).toMatch(/^[0-9A-F]{32}$/);
    const want = flows(clean.results, clean.log);
    const got = flows(faulty.results, faulty.log);
    expect(got).toEqual(want);
    for (const name of Object.keys(want)) expect(want[name].length, name).toBeGreaterThan(3);
  });

  it("leaves the server's view unchanged", () => {
    expect(flows(faulty.results, faulty.serverLog)).toEqual(flows(clean.results, clean.serverLog));
  });

  it("keeps the background traffic flowing and puts no error in the page", () => {
    const chatter = (log: SimLogEntry[]) =>
      new Set(log.filter((e) => !e.callId).map((e) => `${e.dir} ${e.tag}`));
    for (const kind of ["out message", "in message", "out presence", "in notification", "out iq", "in iq"]) {
      expect(chatter(faulty.log).has(kind), kind).toBe(true);
    }
    expect(faulty.consoleErrors).toEqual(clean.consoleErrors);
  });

  it("is switched off and reported in capture health, and captures nothing", () => {
    const h = faulty.session?.health;
    expect(h).toBeDefined();
    for (const name of ["comms-config", "codec", "transport"]) {
      const tap = h?.taps.find((t) => t.name === name);
      expect(tap, name).toMatchObject({ installed: true, disabled: true });
      expect(tap?.note).toMatch(/^switched off after an internal error: injected fault at /);
    }
    expect(h?.lastError?.message).toMatch(/^injected fault at /);
    expect(h?.emptyReason?.code).toBe("taps-disabled");
    expect(h?.limitations?.filter((l) => l.code === "tap-disabled")).toHaveLength(3);
    expect(faulty.session?.stanzas ?? []).toHaveLength(0);
  });
});

describe("a worker tap (deep capture) that throws on every call", () => {
  let cleanWorker: Run;
  let faultyWorker: Run;
  beforeAll(async () => {
    const dist = await ensureTestBuild("faulty-deep");
    cleanWorker = await run(null, "?comms=worker");
    faultyWorker = await run(dist, "?comms=worker", true);
  }, 300_000);

  it("leaves the page's and the server's call stanzas and the chatter unchanged", () => {
    expect(faultyWorker.results.map((r) => r.name)).toEqual(cleanWorker.results.map((r) => r.name));
    expect(flows(faultyWorker.results, faultyWorker.log)).toEqual(
      flows(cleanWorker.results, cleanWorker.log),
    );
    expect(flows(faultyWorker.results, faultyWorker.serverLog)).toEqual(
      flows(cleanWorker.results, cleanWorker.serverLog),
    );
    const chatter = (log: SimLogEntry[]) =>
      new Set(log.filter((e) => !e.callId).map((e) => `${e.dir} ${e.tag}`));
    expect(chatter(faultyWorker.log)).toEqual(chatter(cleanWorker.log));
    expect(faultyWorker.consoleErrors).toEqual(cleanWorker.consoleErrors);
  });

  it("was installed in the worker before its first script, then switched off and reported", () => {
    const deep = faultyWorker.session?.health.deepCapture;
    expect(deep?.state).toBe("on");
    const worker = liveWorker(faultyWorker.session?.health);
    expect(worker).toMatchObject({ ...SIM_BACKEND_WORKER, installed: "start" });
    expect(worker?.error).toBeUndefined();
    for (const name of ["comms-config", "transport"]) {
      const tap = worker?.health?.taps.find((t) => t.name === name);
      expect(tap, name).toMatchObject({ installed: true, disabled: true });
    }
    expect(faultyWorker.session?.health.limitations?.map((l) => l.code)).toContain("tap-disabled");
    expect(faultyWorker.session?.stanzas ?? []).toHaveLength(0);
  });
});
