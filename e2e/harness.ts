/**
 * Drives the built extension (`dist/`) in Debian Chromium against the WhatsApp Web
 * simulator: the production manifest unchanged, `web.whatsapp.com` mapped to the
 * simulator's loopback port. Used by the end-to-end tests and by `npm start`.
 * Recipe: ../shared/research/toolchain.md §3.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import { build } from "vite";
import { startSimulator } from "../sim/server.mjs";
import type { TabSession } from "../src/background/store";
import type { CaptureHealth, WorkerCaptureHealth } from "../src/shared/trace/types";

const ROOT = resolve(import.meta.dirname, "..");

/** The extension build the harness loads. */
export const DIST = resolve(ROOT, "dist");

/**
 * Test-only builds, never shipped, each in `.tmp/dist-<name>`:
 * - `faulty`: every capture entry point throws (vite.faulty.config.ts);
 * - `deep`: the `debugger` permission granted up front (`WACI_GRANT_DEBUGGER=1`, vite.config.ts),
 *   because automation cannot click Chrome's permission prompt;
 * - `faulty-deep`: both.
 */
export type TestBuild = "faulty" | "deep" | "faulty-deep";

/** Newest modification time of the files under `dir`, ms. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds a {@link TestBuild} unless it is newer than `src/` and the vite configs.
 * @returns its directory.
 */
export async function ensureTestBuild(name: TestBuild): Promise<string> {
  const outDir = resolve(ROOT, `.tmp/dist-${name}`);
  const manifest = join(outDir, "manifest.json");
  const sources = Math.max(
    newest(resolve(ROOT, "src")),
    statSync(resolve(ROOT, "vite.config.ts")).mtimeMs,
    statSync(resolve(ROOT, "manifest.json")).mtimeMs,
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs > sources) return outDir;
  const grant = name !== "faulty";
  const before = process.env.WACI_GRANT_DEBUGGER;
  if (grant) process.env.WACI_GRANT_DEBUGGER = "1";
  else delete process.env.WACI_GRANT_DEBUGGER;
  try {
    await build({
      configFile: resolve(ROOT, name.startsWith("faulty") ? "vite.faulty.config.ts" : "vite.config.ts"),
      root: ROOT,
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (before === undefined) delete process.env.WACI_GRANT_DEBUGGER;
    else process.env.WACI_GRANT_DEBUGGER = before;
  }
  return outDir;
}

/**
 * The simulator's comms worker as deep capture names it (sim/README.md, `?comms=worker`): the 2026
 * profile's `WebWorkerV4Resource` URL, module or classic (wa-web-2026.md §3).
 */
export const SIM_BACKEND_WORKER = {
  name: "WAWebBackendWorker-1",
  path: "/static_resources/webworker_v4/init_script/",
} as const;

/** The same worker in the simulator's `?wa=legacy` profile. */
export const SIM_LEGACY_BACKEND_WORKER = {
  name: "WAWebBackendWorker-1",
  path: "/worker/backend.js",
} as const;

/** The worker deep capture currently taps (not ended), if any. */
export function liveWorker(health: CaptureHealth | undefined): WorkerCaptureHealth | undefined {
  return health?.deepCapture?.workers.find((w) => !w.ended);
}

/**
 * Switches deep capture on from the panel, as a user does (Enable… → Allow and enable), then
 * reloads the page from the panel and waits until the new comms worker was tapped from its
 * start. Needs a `deep` build (the permission prompt cannot be clicked under automation).
 * @returns the panel page.
 */
export async function enableDeepCapture(h: Harness, panel?: Page): Promise<Page> {
  const p = panel ?? (await h.openPanel());
  await p.getByTestId("deep-capture-enable").click();
  await p.getByTestId("deep-capture-allow").click();
  await p.waitForSelector('[data-testid="deep-capture"][data-state="on"]', { timeout: 15_000 });
  await p.getByTestId("deep-capture-reload").click();
  await p.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="deep-capture-worker"]')].some((e) =>
        e.textContent?.includes("tapped from its start"),
      ),
    undefined,
    { timeout: 20_000 },
  );
  return p;
}

/** Options of {@link launch}. */
export interface LaunchOptions {
  /** Run Chromium headless (default true). */
  headless?: boolean;
  /** Open DevTools for the WhatsApp tab (headed demo). */
  devtools?: boolean;
  /** Simulator options, e.g. `{ ackDelayMs: 150 }`. */
  sim?: Record<string, unknown>;
  /** Query string of the simulated page, e.g. `"?comms=worker&dict=alt"` (default none). */
  query?: string;
  /** Extension build to load (default {@link DIST}); `null` runs Chromium without the extension. */
  dist?: string | null;
  /**
   * Called with the page and the simulator's loopback port before the page navigates to the
   * simulator (e.g. to listen to its console or route its requests).
   */
  beforeGoto?: (page: Page, sim: { port: number }) => void | Promise<void>;
}

/** A running browser + simulator. */
export interface Harness {
  context: BrowserContext;
  /** The extension's service worker (absent when launched with `dist: null`). */
  worker: Worker;
  extensionId: string;
  /** The simulated web.whatsapp.com page. */
  page: Page;
  sim: { port: number; close(): Promise<void> | void; log: unknown[] };
  /** The inspected tab's id, as the extension sees it. */
  tabId(): Promise<number>;
  /** Opens the panel as a tab for the inspected tab. */
  openPanel(): Promise<Page>;
  /** The background's persisted session of the inspected tab. */
  session(): Promise<TabSession | undefined>;
  close(): Promise<void>;
}

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. Never a downloaded browser. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

/**
 * Starts the simulator and Chromium with the extension, and opens the simulated page.
 * @throws when `dist/` is missing (run `vite build` first) or Chromium does not start.
 */
export async function launch(options: LaunchOptions = {}): Promise<Harness> {
  const dist = options.dist === undefined ? DIST : options.dist;
  if (dist !== null && !existsSync(join(dist, "manifest.json")))
    throw new Error(`no extension build in ${dist}: run \`npx vite build\``);
  const sim = await startSimulator({ ...(options.sim ?? {}) });
  const profile = mkdtempSync(join(tmpdir(), "wa-call-inspector-"));
  const headless = options.headless ?? true;
  const args = [
    ...(dist !== null ? [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`] : []),
    `--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:${sim.port}, MAP * ~NOTFOUND`,
    "--ignore-certificate-errors",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
  ];
  if (headless) args.push("--headless=new");
  if (options.devtools) args.push("--auto-open-devtools-for-tabs");
  // Extra Chromium switches for diagnosis, e.g. WACI_CHROMIUM_ARGS="--js-flags=--trace-gc".
  if (process.env.WACI_CHROMIUM_ARGS) args.push(...process.env.WACI_CHROMIUM_ARGS.split(" ").filter(Boolean));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: false,
    ignoreHTTPSErrors: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    viewport: { width: 1280, height: 800 },
    args,
  });
  const worker =
    dist === null
      ? (undefined as unknown as Worker)
      : (context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker")));
  const extensionId = dist === null ? "" : new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  await options.beforeGoto?.(page, { port: sim.port });
  await page.goto(`https://web.whatsapp.com/${options.query ?? ""}`);

  const getWorker = () => context.serviceWorkers().find((w) => w.url().includes(extensionId)) ?? worker;
  const readSessions = () =>
    getWorker().evaluate(async () => (await chrome.storage.session.get(null)) as Record<string, unknown>);
  let cachedTab: number | undefined;
  const tabId = async () => {
    if (cachedTab !== undefined) return cachedTab;
    for (let i = 0; i < 200; i++) {
      const keys = Object.keys(await readSessions()).filter((k) => k.startsWith("session:"));
      if (keys.length > 0) {
        cachedTab = Number(keys[0].slice("session:".length));
        return cachedTab;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the extension never stored a session for the simulator tab (tap or relay not running?)");
  };

  return {
    context,
    worker,
    extensionId,
    page,
    sim,
    tabId,
    async openPanel() {
      const id = await tabId();
      const panel = await context.newPage();
      await panel.goto(`chrome-extension://${extensionId}/src/panel/panel.html?tabId=${id}`);
      return panel;
    },
    async session() {
      const id = await tabId();
      return (await readSessions())[`session:${id}`] as TabSession | undefined;
    },
    async close() {
      await context.close().catch(() => undefined);
      await sim.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One scenario's outcome as `__sim.run` returns it. */
export interface ScenarioResult {
  name: string;
  callId: string;
}

/** An entry of the page's own log (`__sim.log`; sim/README.md). */
export interface SimLogEntry {
  t: number;
  dir: "in" | "out";
  tag: string;
  id?: string;
  callId?: string;
  action?: string;
  class?: string;
  type?: string;
  reason?: string;
  [k: string]: unknown;
}

/** Polls `read` every 100 ms until it returns a value; a read unsettled after 5 s is abandoned and made again. @throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    // A read that never settles (e.g. an evaluate in a service worker Chrome stopped meanwhile)
    // is abandoned after 5 s and read again, so it can never hang the wait past its timeout.
    const pending = read();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abandoned = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), Math.max(0, Math.min(5_000, end - Date.now())));
    });
    pending.catch(() => undefined); // a late rejection of an abandoned read is not an error
    const v = await Promise.race([pending, abandoned]).finally(() => clearTimeout(timer));
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Waits for the simulated page to be connected and runs its scenarios.
 * @param which `undefined` = the four core scenarios, `"all"` = every scenario of the page's mode
 *   (sim/README.md: `__sim.runAll(which)`).
 */
export async function runScenarios(page: Page, which?: "all"): Promise<ScenarioResult[]> {
  await page.waitForFunction(() => (window as unknown as { __sim?: unknown }).__sim !== undefined);
  await page.evaluate(() => (window as unknown as { __sim: { ready: Promise<unknown> } }).__sim.ready);
  return page.evaluate(
    (w) =>
      (window as unknown as { __sim: { runAll(w?: string): Promise<ScenarioResult[]> } }).__sim.runAll(w),
    which,
  );
}

/** The page's own stanza log (`__sim.log`). */
export function pageLog(page: Page): Promise<SimLogEntry[]> {
  return page.evaluate(() => (window as unknown as { __sim: { log: SimLogEntry[] } }).__sim.log.slice());
}

/** Stanzas forwarded by the page's and the workers' taps, as the health record counts them. */
export function forwardedTotal(health: CaptureHealth): number {
  const workers = health.deepCapture?.workers ?? [];
  return health.forwarded + workers.reduce((n, w) => n + (w.health?.forwarded ?? 0), 0);
}

/** The page's own ack latency of its `<call id>` (`__sim.log`: sent → ack received), ms. */
export function pageAckLatency(
  log: readonly SimLogEntry[],
  id: string | null | undefined,
): number | undefined {
  const sent = log.find((e) => e.dir === "out" && e.tag === "call" && e.id === id);
  const acked = log.find((e) => e.dir === "in" && e.tag === "ack" && e.id === id);
  return sent && acked ? acked.t - sent.t : undefined;
}

/**
 * The server's ack latency of the page's `<call id>` on its own clock (the last copy received
 * before the ack → the ack sent; a re-send after a reconnect is what it answers), ms.
 */
export function wireAckLatency(
  wire: readonly SimLogEntry[],
  id: string | null | undefined,
): number | undefined {
  const ack = wire.find((e) => e.dir === "out" && e.tag === "ack" && e.id === id);
  const call = wire
    .filter((e) => e.dir === "in" && e.tag === "call" && e.id === id && ack && e.t <= ack.t)
    .pop();
  return call && ack ? ack.t - call.t : undefined;
}
