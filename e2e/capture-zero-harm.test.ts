/**
 * Zero harm, end to end: with a tap that throws at every capture entry point (the
 * fault-injection build `vite.faulty.config.ts` → `.tmp/dist-faulty/`, never shipped), WhatsApp's
 * own message flow is unchanged compared with a run without the extension: the same scenario
 * results, the same call stanzas in the page's own log (`__sim.log`) and in the server's log,
 * background chatter still flowing, and no error in the page's console. The extension's health
 * reports every tap as switched off, and nothing is captured.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TabSession } from "../src/background/store";
import {
  type Harness,
  launch,
  pageLog,
  runScenarios,
  type ScenarioResult,
  type SimLogEntry,
  waitFor,
} from "./harness";

const ROOT = resolve(import.meta.dirname, "..");
/** Where vite.faulty.config.ts writes the fault-injection build. */
const FAULTY_DIST = resolve(ROOT, ".tmp/dist-faulty");

interface Run {
  results: ScenarioResult[];
  log: SimLogEntry[];
  serverLog: SimLogEntry[];
  consoleErrors: string[];
  session?: TabSession;
}

/** Newest modification time of the files under `dir`, ms. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the fault-injection extension (`vite.faulty.config.ts`) unless it is newer than `src/`. */
async function ensureFaultyBuild(): Promise<void> {
  const manifest = resolve(FAULTY_DIST, "manifest.json");
  if (existsSync(manifest) && statSync(manifest).mtimeMs > newest(resolve(ROOT, "src"))) return;
  await build({ configFile: resolve(ROOT, "vite.faulty.config.ts"), root: ROOT, logLevel: "warn" });
}

async function run(dist: string | null): Promise<Run> {
  const consoleErrors: string[] = [];
  let h: Harness | undefined;
  try {
    h = await launch({
      dist,
      beforeGoto: (page) => {
        page.on("console", (m) => {
          if (m.type() === "error") consoleErrors.push(m.text());
        });
        page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      },
    });
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
        return x?.health.taps.some((t) => t.disabled) ? x : undefined;
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
  await ensureFaultyBuild();
  clean = await run(null);
  faulty = await run(FAULTY_DIST);
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
