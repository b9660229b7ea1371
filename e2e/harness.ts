/**
 * Drives the built extension (`dist/`) in Debian Chromium against the WhatsApp Web
 * simulator: the production manifest unchanged, `web.whatsapp.com` mapped to the
 * simulator's loopback port. Used by the end-to-end tests and by `npm start`.
 * Recipe: ../shared/research/toolchain.md §3.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import { startSimulator } from "../sim/server.mjs";
import type { TabSession } from "../src/background/store";

/** The extension build the harness loads. */
export const DIST = resolve(import.meta.dirname, "../dist");

/** Options of {@link launch}. */
export interface LaunchOptions {
  /** Run Chromium headless (default true). */
  headless?: boolean;
  /** Open DevTools for the WhatsApp tab (headed demo). */
  devtools?: boolean;
  /** Simulator options, e.g. `{ ackDelayMs: 150 }`. */
  sim?: Record<string, unknown>;
}

/** A running browser + simulator. */
export interface Harness {
  context: BrowserContext;
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
  if (!existsSync(join(DIST, "manifest.json")))
    throw new Error(`no extension build in ${DIST}: run \`npx vite build\``);
  const sim = await startSimulator({ ...(options.sim ?? {}) });
  const profile = mkdtempSync(join(tmpdir(), "wa-call-inspector-"));
  const headless = options.headless ?? true;
  const args = [
    `--disable-extensions-except=${DIST}`,
    `--load-extension=${DIST}`,
    `--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:${sim.port}, MAP * ~NOTFOUND`,
    "--ignore-certificate-errors",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
  ];
  if (headless) args.push("--headless=new");
  if (options.devtools) args.push("--auto-open-devtools-for-tabs");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: false,
    ignoreHTTPSErrors: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    viewport: { width: 1280, height: 800 },
    args,
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto("https://web.whatsapp.com/");

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
