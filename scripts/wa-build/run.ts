/**
 * Drives one compatibility run: the simulator with WhatsApp's own stanza-path modules served in
 * place of its look-alikes, the built extension (`dist/`) in Debian Chromium (e2e/harness.ts), the
 * scripted calls, then what the extension stored and what the simulator's server saw on the wire.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launch, type ScenarioResult } from "../../e2e/harness";
import type { TabSession } from "../../src/background/store";
import { buildCalls } from "../../src/shared/trace/calls";
import type { CheckBundle } from "./bundle";
import type { WireEntry } from "./report";

/** The four scripted flows of the simulator (`__sim.scenarios`, sim/page/shared.js), in no particular order. */
export const SCRIPTED_FLOWS = [
  "outgoing-missed",
  "incoming-rejected-busy",
  "incoming-accepted-elsewhere",
  "incoming-answered",
] as const;

/** The simulator's early bundle: loaded through the page's `__d` stub, before the module runtime. */
export const EARLY_BUNDLE_URL = "https://web.whatsapp.com/bundles/early.js";

/** Options of {@link runCheck}. */
export interface RunOptions {
  /** Query string of the simulated page (e.g. `?wa=legacy`); default none (the simulator's default profile). */
  query?: string;
  /** The server's ack delay, ms (default 150). */
  ackDelayMs?: number;
  /** Extension build (default `dist/`); `null` runs without the extension. */
  dist?: string | null;
  /** Run Chromium headed. */
  headed?: boolean;
  /** How long to wait for the page to connect, and for the extension to store the calls, ms (default 30 000). */
  timeoutMs?: number;
}

/** A module of the loaded set as the page's registry shows it after the run. */
export interface PageModuleState {
  name: string;
  registered: boolean;
  /** Its factory ran (it was required). */
  ran: boolean;
}

/** Everything a run collected, before comparison. */
export interface RunData {
  query: string;
  /** How many times the early bundle was served with WhatsApp's modules in front (page, and worker if any). */
  served: number;
  /** The page connected (`__sim.ready` resolved). */
  connected: boolean;
  /** Why the run stopped early, if it did. */
  failure?: string;
  scenarios: ScenarioResult[];
  /** The page's simulator session (to pick its server log entries). */
  simSession?: string;
  session?: TabSession;
  /** The simulator server's record of the wire (sim/server.mjs `log`). */
  wire: WireEntry[];
  /** `__sim.footprint()`, when the page has it. */
  footprint?: Record<string, unknown>;
  /** The loaded modules in the page's registry. */
  modules: PageModuleState[];
  /** Look-alike definitions the runtime ignored (`__debug.getDupCount()`). */
  dupCount?: number;
  /** Probes that tell WhatsApp's modules from the look-alikes. */
  probes: Record<string, boolean>;
  /** Page errors and console errors/warnings (first 40). */
  pageErrors: string[];
  /** `window.Debug.VERSION` of the page. */
  build?: string;
}

type SimWindow = {
  __sim: {
    ready: Promise<unknown>;
    session: string;
    runAll(which?: unknown): Promise<ScenarioResult[]>;
    footprint?: () => unknown;
  };
  require?: (name: string) => unknown;
  Debug?: { VERSION?: string };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Serves the early bundle with the check's script in front of it. The original is fetched from the
 * simulator's loopback port (Playwright's own requests do not use Chromium's host mapping).
 */
async function routeEarlyBundle(
  page: Page,
  port: number,
  script: string,
  note: (s: string) => void,
  served: () => void,
) {
  await page.context().route(`${EARLY_BUNDLE_URL}*`, async (route) => {
    try {
      const url = new URL(route.request().url());
      const response = await route.fetch({ url: `https://127.0.0.1:${port}${url.pathname}${url.search}` });
      const body = await response.text();
      await route.fulfill({ response, body: `${script}\n${body}` });
      served();
    } catch (err) {
      note(`check: could not serve WhatsApp's modules with ${EARLY_BUNDLE_URL}: ${(err as Error).message}`);
      await route.continue().catch(() => undefined);
    }
  });
}

/**
 * Runs the scripted calls with WhatsApp's modules loaded and collects what the extension and the
 * server recorded. Never throws for a page that does not connect or a flow that fails: the failure
 * is in the result.
 */
export async function runCheck(bundle: CheckBundle, options: RunOptions = {}): Promise<RunData> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const query = options.query ?? "";
  const seen = new Map<string, number>();
  const note = (s: string) => {
    const text = s.length > 400 ? `${s.slice(0, 400)}…` : s;
    if (seen.has(text) || seen.size < 40) seen.set(text, (seen.get(text) ?? 0) + 1);
  };
  const pageErrors: string[] = [];
  const data: RunData = {
    query,
    served: 0,
    connected: false,
    scenarios: [],
    wire: [],
    modules: [],
    probes: {},
    pageErrors,
  };
  const h = await launch({
    query,
    dist: options.dist,
    headless: !options.headed,
    sim: { ackDelayMs: options.ackDelayMs ?? 150 },
    beforeGoto: async (page, sim) => {
      page.on("pageerror", (e) => note(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") note(`console.${m.type()}: ${m.text()}`);
      });
      await routeEarlyBundle(page, sim.port, bundle.script, note, () => {
        data.served++;
      });
    },
  });
  try {
    const page = h.page;
    try {
      await page.waitForFunction(() => (window as unknown as SimWindow).__sim !== undefined, undefined, {
        timeout: timeoutMs,
      });
      await withTimeout(
        page.evaluate(() => (window as unknown as SimWindow).__sim.ready.then(() => true)),
        timeoutMs,
        "the simulated page to connect",
      );
      data.connected = true;
    } catch (err) {
      data.failure = `the page did not connect: ${(err as Error).message}`;
    }
    data.simSession = await page
      .evaluate(() => (window as unknown as SimWindow).__sim?.session)
      .catch(() => undefined);
    if (data.connected) {
      try {
        data.scenarios = await withTimeout(
          page.evaluate(() => (window as unknown as SimWindow).__sim.runAll()),
          timeoutMs * 3,
          "the four scripted calls",
        );
      } catch (err) {
        data.failure = `the scripted calls failed: ${(err as Error).message}`;
      }
    }
    if (h.worker && data.scenarios.length > 0)
      data.session = await waitForCalls(h, data.scenarios, timeoutMs);
    else if (h.worker) data.session = await h.session().catch(() => undefined);
    await (h.sim as unknown as { sync?: () => Promise<void> }).sync?.();
    data.wire = (h.sim.log as WireEntry[]).filter((e) => !data.simSession || e.session === data.simSession);
    // The footprint first: the probes below read the registry themselves.
    data.footprint = await page
      .evaluate(() => {
        const f = (window as unknown as SimWindow).__sim?.footprint;
        return typeof f === "function"
          ? (JSON.parse(JSON.stringify(f())) as Record<string, unknown>)
          : undefined;
      })
      .catch(() => undefined);
    Object.assign(data, await probePage(page, bundle.plan.real.concat(bundle.plan.bridges)));
  } finally {
    await h.close();
    for (const [text, n] of seen) pageErrors.push(n > 1 ? `${text} (×${n})` : text);
  }
  return data;
}

/** Polls the extension's session until every scenario's call is in it (or the timeout). */
async function waitForCalls(
  h: Awaited<ReturnType<typeof launch>>,
  scenarios: ScenarioResult[],
  timeoutMs: number,
): Promise<TabSession | undefined> {
  const end = Date.now() + timeoutMs;
  let last: TabSession | undefined;
  while (Date.now() < end) {
    last = await h.session().catch(() => undefined);
    if (last) {
      const ids = new Set(buildCalls(last.stanzas).calls.map((c) => c.callId));
      if (scenarios.every((s) => ids.has(s.callId))) {
        // Let the last acks land.
        await sleep(500);
        return (await h.session().catch(() => undefined)) ?? last;
      }
    }
    await sleep(200);
  }
  return last;
}

/** Reads the page's registry for the loaded names, and tells WhatsApp's modules from the look-alikes. */
async function probePage(
  page: Page,
  names: string[],
): Promise<Pick<RunData, "modules" | "dupCount" | "probes" | "build">> {
  // A page-side file, evaluated as text: functions compiled by tsx carry helpers the page lacks.
  const probe = readFileSync(join(import.meta.dirname, "page", "probe.js"), "utf8");
  const body = probe.slice(probe.indexOf("(names) =>")).trim().replace(/;$/, "");
  return (await page
    .evaluate(`(${body})(${JSON.stringify(names)})`)
    .catch((err: Error) => ({ modules: [], probes: { [`probe failed: ${err.message}`]: false } }))) as Pick<
    RunData,
    "modules" | "dupCount" | "probes" | "build"
  >;
}
