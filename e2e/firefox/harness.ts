/**
 * Drives the Firefox build (`dist-firefox/`, `npm run build:firefox`) in Debian's headless
 * `firefox-esr` against the WhatsApp Web simulator, with puppeteer-core 24 over WebDriver BiDi
 * (Firefox has no CDP, and Debian has no geckodriver). The add-on is installed as a temporary
 * add-on (`webExtension.install`), `web.whatsapp.com` resolves to loopback and its port 443 is
 * forwarded to the simulator's (`network.dns.localDomains`, `network.socket.forcePort`), and
 * every other host goes to a closed proxy port, so nothing leaves the machine.
 *
 * The browser's privileged (chrome) context is reached with `-remote-allow-system-access` and
 * BiDi's `moz:scope: "chrome"`: from there the harness stops the event-page background as
 * about:debugging's "Terminate background script" does, and opens the real DevTools toolbox on
 * the WA Calls panel, whose DOM it reads through a frame script (the panel's `<browser>` lives
 * in the extension process and is no BiDi browsing context).
 *
 * The extension's data are read as e2e/harness.ts reads them in Chromium: the background's
 * session mirror in `storage.session` (`session:<tabId>`), here from one of the extension's own
 * pages (the panel page with no tab, which only says "No inspected tab").
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startSimulator } from "../../sim/server.mjs";
import type { TabSession } from "../../src/background/store";
import { buildCalls } from "../../src/shared/trace/calls";
import { type ScenarioResult, type SimLogEntry, waitFor } from "../harness";

const ROOT = resolve(import.meta.dirname, "../..");

/** The Firefox build the harness installs (`npm run build:firefox`). */
export const FIREFOX_DIST = resolve(ROOT, "dist-firefox");

/**
 * The add-on's internal UUID (its `moz-extension://` host), fixed through the
 * `extensions.webextensions.uuids` preference so that its pages have a known address.
 */
const EXTENSION_UUID = "6a7c1f0e-3b2d-4c5e-9f80-a1b2c3d4e5f6";

/** The Firefox binary: `FIREFOX_PATH`, else Debian's `/usr/bin/firefox-esr`. Never a downloaded browser. */
export function firefoxPath(): string {
  return process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
}

/**
 * Why the Firefox tests cannot run here, or `undefined` when they can: no `dist-firefox/`
 * build, or no Firefox binary.
 */
export function firefoxUnavailable(): string | undefined {
  if (!existsSync(resolve(FIREFOX_DIST, "manifest.json")))
    return `no Firefox build in ${FIREFOX_DIST}: run \`npm run build:firefox\``;
  if (!existsSync(firefoxPath()))
    return `no Firefox at ${firefoxPath()}: \`apt-get install firefox-esr\` (or set FIREFOX_PATH)`;
  return undefined;
}

/** The add-on id of a Firefox build (`browser_specific_settings.gecko.id` of its manifest). */
function geckoId(dist: string): string {
  const manifest = JSON.parse(readFileSync(resolve(dist, "manifest.json"), "utf8")) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${dist}/manifest.json has no browser_specific_settings.gecko.id`);
  return id;
}

/** Options of {@link launchFirefox}. */
export interface FirefoxLaunchOptions {
  /**
   * Run Firefox headless (default true); headed needs a display, and the caller closes the
   * harness on SIGINT.
   */
  headless?: boolean;
  /** Simulator options, e.g. `{ ackDelayMs: 150 }`. */
  sim?: Record<string, unknown>;
  /** Query string of the simulated page, e.g. `"?wa=legacy"` (default none). */
  query?: string;
  /** The Firefox build to install (default {@link FIREFOX_DIST}). */
  dist?: string;
}

/** An element of the DevTools panel, as {@link DevToolsPanel.select} reads it. */
export interface PanelElement {
  text: string;
  attrs: Record<string, string | null>;
}

/** The WA Calls panel inside the real DevTools toolbox. */
export interface DevToolsPanel {
  /** The panel document's address (`moz-extension://<uuid>/src/panel/panel.html`). */
  url: string;
  /**
   * The panel's elements that match `selector` (`querySelectorAll` on its document), each with
   * its text and the values of `attributes` (`null` when absent), read through a frame script
   * (declarative: the panel's CSP forbids evaluating code there). @throws on a bad selector.
   */
  select(selector: string, attributes?: readonly string[]): Promise<PanelElement[]>;
}

/** A running Firefox with the add-on, and the simulator. */
export interface FirefoxHarness {
  browser: Browser;
  /** The simulated web.whatsapp.com tab. */
  page: Page;
  sim: { port: number; close(): Promise<void> | void; log: unknown[]; sync?: () => Promise<void> };
  /** The add-on id (gecko id). */
  extensionId: string;
  /** `moz-extension://<uuid>`, the add-on's origin. */
  origin: string;
  /** The inspected tab's id, as the extension sees it. */
  tabId(): Promise<number>;
  /** The background's persisted session of the inspected tab (its `storage.session` mirror). */
  session(): Promise<TabSession | undefined>;
  /** Opens the panel page as a tab for the inspected tab; it is loaded when this resolves. */
  openPanel(): Promise<Page>;
  /**
   * Evaluates `expression` (may be a promise) in the browser's privileged context.
   * @returns its value through JSON. @throws its exception.
   */
  privileged<T>(expression: string): Promise<T>;
  /** The event page's state: `"starting"`, `"running"`, `"suspending"` or `"stopped"`. */
  backgroundState(): Promise<string>;
  /**
   * Stops the event page if it runs, as about:debugging's "Terminate background script" does
   * (open ports and DevTools do not keep it alive). @returns whether it was running and is now stopped.
   */
  stopBackground(): Promise<boolean>;
  /** Opens the DevTools toolbox on the WhatsApp tab and selects the WA Calls panel. */
  openDevToolsPanel(): Promise<DevToolsPanel>;
  close(): Promise<void>;
}

/** BiDi's answer to `script.evaluate`. */
interface EvaluateResult {
  type: "success" | "exception";
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

/** The raw BiDi connection behind a puppeteer Browser (not in its public typings). */
interface BidiConnection {
  send(method: string, params: Record<string, unknown>): Promise<{ result: unknown }>;
}

function bidi(browser: Browser): BidiConnection {
  const connection = (browser as unknown as { connection?: BidiConnection }).connection;
  if (!connection) throw new Error("puppeteer did not connect over WebDriver BiDi");
  return connection;
}

/** The BiDi browsing context id of a page (puppeteer's frame id). */
function contextOf(page: Page): string {
  return (page.mainFrame() as unknown as { _id: string })._id;
}

/**
 * Loads `url` in `page` and waits until its document is complete. puppeteer's `goto` never
 * settles on `moz-extension:` pages, so this navigates over BiDi and polls the document.
 */
async function openExtensionPage(browser: Browser, page: Page, url: string): Promise<void> {
  await bidi(browser).send("browsingContext.navigate", { context: contextOf(page), url, wait: "none" });
  await waitFor(`${url} loaded`, async () => {
    const href = await page
      .evaluate(() => (document.readyState === "complete" ? location.href : ""))
      .catch(() => "");
    return href === url ? true : undefined;
  });
}

/**
 * Starts the simulator and headless Firefox ESR, installs the Firefox build as a temporary
 * add-on and opens the simulated page.
 * @throws when the build or Firefox is missing ({@link firefoxUnavailable}) or Firefox does not start.
 */
export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<FirefoxHarness> {
  const dist = options.dist ?? FIREFOX_DIST;
  const missing = options.dist === undefined ? firefoxUnavailable() : undefined;
  if (missing) throw new Error(missing);
  const extensionId = geckoId(dist);
  const origin = `moz-extension://${EXTENSION_UUID}`;
  const headless = options.headless ?? true;
  const sim = await startSimulator({ ...(options.sim ?? {}) });
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: firefoxPath(),
      headless,
      acceptInsecureCerts: true,
      // Headless pages get Chromium's harness size; a headed window keeps its own.
      defaultViewport: headless ? { width: 1280, height: 800 } : null,
      // Headed (npm start), the caller closes on Ctrl+C, so that the temporary profile is removed.
      handleSIGINT: headless,
      // The privileged context over BiDi (`moz:scope: "chrome"`).
      args: ["-remote-allow-system-access"],
      extraPrefsFirefox: {
        "network.dns.localDomains": "web.whatsapp.com",
        "network.socket.forcePort": `443=${sim.port}`,
        // Every other host goes to a closed local port: nothing leaves the machine.
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": 9,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": 9,
        "network.proxy.no_proxies_on": "web.whatsapp.com",
        "extensions.webextensions.uuids": JSON.stringify({ [extensionId]: EXTENSION_UUID }),
        "devtools.chrome.enabled": true,
        // WhatsApp's tab runs its timers unthrottled even when another tab is selected (as in
        // headless Chromium), so that the scripted calls keep their timing.
        "dom.min_background_timeout_value": 4,
        "dom.timeout.enable_budget_timer_throttling": false,
        // The DevTools toolbox opens in the browser window, not in a separate one.
        "devtools.toolbox.host": "bottom",
      },
    });
    const installed = await browser.installExtension(dist);
    if (installed !== extensionId) throw new Error(`installed ${installed}, expected ${extensionId}`);
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await sim.close();
    throw e;
  }
  const b = browser;
  const connection = bidi(b);
  const page = (await b.pages())[0] ?? (await b.newPage());
  await page.goto(`https://web.whatsapp.com/${options.query ?? ""}`);

  let chromeContext: string | undefined;
  const privileged = async <T>(expression: string): Promise<T> => {
    if (chromeContext === undefined) {
      const tree = (await connection.send("browsingContext.getTree", { "moz:scope": "chrome" })).result as {
        contexts: Array<{ context: string; url: string }>;
      };
      chromeContext = tree.contexts.find((c) => c.url === "chrome://browser/content/browser.xhtml")?.context;
      if (!chromeContext) throw new Error("no browser window in the privileged context");
    }
    const r = (
      await connection.send("script.evaluate", {
        expression: `(async () => JSON.stringify(await (${expression})))()`,
        target: { context: chromeContext },
        awaitPromise: true,
        resultOwnership: "none",
      })
    ).result as EvaluateResult;
    if (r.type !== "success") throw new Error(`privileged evaluation failed: ${r.exceptionDetails?.text}`);
    const json = r.result?.value;
    return (typeof json === "string" ? JSON.parse(json) : undefined) as T;
  };
  const extension = `WebExtensionPolicy.getByID(${JSON.stringify(extensionId)}).extension`;
  const backgroundState = () => privileged<string>(`${extension}.backgroundState`);

  let reader: Page | undefined;
  const readSessions = async (): Promise<Record<string, unknown>> => {
    if (!reader) {
      reader = await b.newPage();
      await openExtensionPage(b, reader, `${origin}/src/panel/panel.html`);
      // A background tab's timers are throttled: WhatsApp's tab stays the selected one.
      await page.bringToFront();
    }
    return reader.evaluate(async () => {
      const ext = (globalThis as unknown as { browser: typeof chrome }).browser;
      return (await ext.storage.session.get(null)) as Record<string, unknown>;
    });
  };
  let cachedTab: number | undefined;
  const tabId = async () => {
    if (cachedTab !== undefined) return cachedTab;
    cachedTab = await waitFor("a session for the simulator tab (tap or relay not running?)", async () => {
      const key = Object.keys(await readSessions()).find((k) => k.startsWith("session:"));
      return key === undefined ? undefined : Number(key.slice("session:".length));
    });
    return cachedTab;
  };

  return {
    browser: b,
    page,
    sim,
    extensionId,
    origin,
    tabId,
    async session() {
      const id = await tabId();
      return (await readSessions())[`session:${id}`] as TabSession | undefined;
    },
    async openPanel() {
      const id = await tabId();
      const panel = await b.newPage();
      await openExtensionPage(b, panel, `${origin}/src/panel/panel.html?tabId=${id}`);
      return panel;
    },
    privileged,
    backgroundState,
    async stopBackground() {
      if ((await backgroundState()) !== "running") return false;
      await privileged(
        `${extension}.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true })`,
      );
      return (await backgroundState()) === "stopped";
    },
    async openDevToolsPanel() {
      const url = await privileged<string>(`(async () => {
        const { require } = ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
        const { gDevTools } = require("devtools/client/framework/devtools");
        const win = Services.wm.getMostRecentWindow("navigator:browser");
        const sleep = (ms) => new Promise((r) => win.setTimeout(r, ms));
        const tab = win.gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith("https://web.whatsapp.com/"));
        if (!tab) throw new Error("no WhatsApp tab");
        win.gBrowser.selectedTab = tab;
        const toolbox = await gDevTools.showToolboxForTab(tab);
        if (!toolbox) throw new Error("DevTools did not open a toolbox for the WhatsApp tab");
        // The extension adds its panel once its devtools_page has run.
        let id;
        for (let i = 0; i < 300 && !id; i++) {
          id = [...toolbox.additionalToolDefinitions.keys()].find((k) => k.startsWith("webext-devtools-panel-"));
          if (!id) await sleep(50);
        }
        if (!id) throw new Error("DevTools has no WA Calls panel");
        await toolbox.selectTool(id);
        let browser;
        for (let i = 0; i < 300; i++) {
          const frame = toolbox.doc.getElementById("toolbox-panel-iframe-" + id);
          browser = frame?.contentDocument?.querySelector("browser");
          if (browser?.currentURI?.spec.startsWith("moz-extension:")) break;
          await sleep(50);
        }
        if (!browser) throw new Error("the WA Calls panel has no browser element");
        // A frame script in the panel's process answers queries on its document.
        const mm = browser.messageManager;
        const pending = new Map();
        let next = 0;
        mm.addMessageListener("waci:result", (m) => {
          pending.get(m.data.id)?.(m.data);
          pending.delete(m.data.id);
        });
        mm.loadFrameScript("data:," + encodeURIComponent(
          'addMessageListener("waci:select", (m) => {' +
          '  let out;' +
          '  try {' +
          '    out = { value: [...content.document.querySelectorAll(m.data.selector)].map((el) => ({' +
          '      text: el.textContent,' +
          '      attrs: Object.fromEntries(m.data.attributes.map((a) => [a, el.getAttribute(a)])),' +
          '    })) };' +
          '  } catch (e) { out = { error: String(e) }; }' +
          '  sendAsyncMessage("waci:result", { id: m.data.id, ...out });' +
          '});'), false);
        win.__waciPanel = (selector, attributes) => new Promise((resolve) => {
          const qid = ++next;
          pending.set(qid, resolve);
          mm.sendAsyncMessage("waci:select", { id: qid, selector, attributes });
        });
        return browser.currentURI.spec;
      })()`);
      return {
        url,
        async select(selector, attributes = []) {
          const r = await privileged<{ value?: PanelElement[]; error?: string }>(
            `Services.wm.getMostRecentWindow("navigator:browser").__waciPanel(${JSON.stringify(selector)}, ${JSON.stringify(attributes)})`,
          );
          if (r.error !== undefined) throw new Error(`in the DevTools panel: ${r.error}`);
          return r.value ?? [];
        },
      };
    },
    async close() {
      await b.close().catch(() => undefined);
      await sim.close();
    },
  };
}

/** The `__sim` API of the simulated page that these tests use (sim/README.md). */
interface SimWindow {
  __sim?: {
    ready: Promise<unknown>;
    runAll(which?: string): Promise<ScenarioResult[]>;
    log: SimLogEntry[];
  };
}

/**
 * Waits for the simulated page to be connected and runs its scenarios (e2e/harness.ts'
 * `runScenarios`, for a puppeteer page).
 * @param which `undefined` = the four core scenarios, `"all"` = every scenario of the page's mode.
 */
export async function runFirefoxScenarios(page: Page, which?: "all"): Promise<ScenarioResult[]> {
  await page.waitForFunction(() => (window as unknown as SimWindow).__sim !== undefined);
  await page.evaluate(() => (window as unknown as Required<SimWindow>).__sim.ready.then(() => undefined));
  return page.evaluate((w) => (window as unknown as Required<SimWindow>).__sim.runAll(w), which);
}

/** The page's own stanza log (`__sim.log`). */
export function firefoxPageLog(page: Page): Promise<SimLogEntry[]> {
  return page.evaluate(() => (window as unknown as Required<SimWindow>).__sim.log.slice());
}

/** Background stops forced by {@link whileStoppingBackground}. */
export interface StopCount {
  /** Stops that found the background running and left it stopped. */
  forced: number;
  /** Tries, including those that found it already stopped (waiting for its next event). */
  attempts: number;
}

/**
 * Runs `work` while stopping the background every `everyMs` whenever it runs again (a relay
 * message or a panel's port wakes it).
 * @returns what `work` returned, and the stops.
 */
export async function whileStoppingBackground<T>(
  h: FirefoxHarness,
  everyMs: number,
  work: () => Promise<T>,
): Promise<{ value: T; stops: StopCount }> {
  const stops: StopCount = { forced: 0, attempts: 0 };
  let running = true;
  const stopper = (async () => {
    while (running) {
      stops.attempts++;
      if (await h.stopBackground()) stops.forced++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    return { value: await work(), stops };
  } finally {
    running = false;
    await stopper;
  }
}

/**
 * Waits until every call of `results` is in the session with the reason the wire carried
 * (the simulator server's log), and the session holds still for two reads (nothing in flight).
 * @throws after `timeoutMs`.
 */
export async function settledFirefoxSession(
  h: FirefoxHarness,
  results: readonly ScenarioResult[],
  timeoutMs = 60_000,
): Promise<TabSession> {
  let count = -1;
  return waitFor(
    "every call in the session, with the wire's reason, and the session settled",
    async () => {
      const s = await h.session();
      if (!s) return undefined;
      const stable = s.stanzas.length === count;
      count = s.stanzas.length;
      const calls = new Map(buildCalls(s.stanzas).calls.map((c) => [c.callId, c]));
      const wire = h.sim.log as SimLogEntry[];
      const complete = results.every(({ callId }) => {
        const c = calls.get(callId);
        const reason = wire.find((e) => e.callId === callId && e.tag === "call" && e.reason != null)?.reason;
        return c !== undefined && (reason === undefined || c.reason === reason);
      });
      return complete && stable ? s : undefined;
    },
    timeoutMs,
  );
}
