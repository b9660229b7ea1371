/**
 * `npm start`: builds the extension, starts the WhatsApp Web simulator and opens Chromium
 * with the extension loaded and DevTools open on the simulated web.whatsapp.com.
 * `npm start -- --browser firefox`: the same in Firefox ESR (`dist-firefox/`, installed as a
 * temporary add-on; e2e/firefox/harness.ts), DevTools open on the WA Calls panel.
 * `npm start -- --headless`: runs every scripted flow headless, prints each call's
 * timeline (stanzas, ack latencies, reasons) as the extension captured it, and writes a
 * PNG of the panel (default `out/panel.png`, in Firefox `out/panel-firefox.png`, or `--png <path>`).
 * Options: `--ack-delay <ms>` (simulator's server ack delay, default 150); `--mode <query>`
 * (simulator mode, e.g. `comms=worker` to try deep capture; sim/README.md, Modes);
 * `--browser chromium|firefox` (default chromium); `--no-build`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { showWaCallsPanel } from "../e2e/devtools";
import { launchFirefox } from "../e2e/firefox/harness";
import { launch } from "../e2e/harness";
import type { TabSession } from "../src/background/store";
import { buildCalls } from "../src/shared/trace/calls";
import { formatCallIndex } from "../src/shared/trace/text";

const { values } = parseArgs({
  options: {
    headless: { type: "boolean", default: false },
    png: { type: "string" },
    browser: { type: "string", default: "chromium" },
    "ack-delay": { type: "string", default: "150" },
    "no-build": { type: "boolean", default: false },
    mode: { type: "string", default: "" },
  },
});

type SimWindow = {
  __sim: { ready: Promise<unknown>; runAll(): Promise<{ name: string; callId: string }[]> };
};

/** `--mode comms=worker` → `?comms=worker` (empty for the default page). */
function modeQuery(): string {
  const m = values.mode.replace(/^\?/, "");
  return m ? `?${m}` : "";
}

const firefox = values.browser === "firefox";
if (!firefox && values.browser !== "chromium") {
  console.error(`--browser ${values.browser}: use chromium or firefox`);
  process.exit(1);
}
const pngPath = resolve(values.png ?? (firefox ? "out/panel-firefox.png" : "out/panel.png"));

function build(): void {
  const mode = firefox ? ["--mode", "firefox"] : [];
  const r = spawnSync("node_modules/.bin/vite", ["build", ...mode, "--logLevel", "warn"], {
    stdio: "inherit",
  });
  if (r.status !== 0) {
    console.error("vite build failed");
    process.exit(1);
  }
}

async function waitForCalls(h: { session(): Promise<TabSession | undefined> }, callIds: string[]) {
  for (let i = 0; i < 200; i++) {
    const s = await h.session();
    if (s) {
      const index = buildCalls(s.stanzas);
      const have = new Set(index.calls.map((c) => c.callId));
      if (callIds.every((id) => have.has(id))) return { index, session: s };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the extension did not capture every call in time");
}

async function headless(): Promise<void> {
  const h = await launch({ sim: { ackDelayMs: Number(values["ack-delay"]) }, query: modeQuery() });
  try {
    await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
    const results = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.runAll());
    const { index, session } = await waitForCalls(
      h,
      results.map((r) => r.callId),
    );
    report(results, index, session);
    const panel = await h.openPanel();
    await panel.locator("[data-testid=call-list] tbody tr").first().waitFor();
    const missed = results.find((r) => r.name === "outgoing-missed");
    if (missed) await panel.locator(`tr[data-call-id="${missed.callId}"]`).click();
    const png = pngPath;
    mkdirSync(dirname(png), { recursive: true });
    await panel.screenshot({ path: png, fullPage: true });
    console.log(`panel screenshot: ${png}`);
  } finally {
    await h.close();
  }
}

async function headed(): Promise<void> {
  if (!process.env.DISPLAY) {
    console.error("No display: run `npm start -- --headless`, or under Xvfb: `xvfb-run -a npm start`.");
    process.exit(1);
  }
  const h = await launch({
    headless: false,
    devtools: true,
    sim: { ackDelayMs: Number(values["ack-delay"]) },
    query: modeQuery(),
  });
  console.log(`simulator on 127.0.0.1:${h.sim.port}, extension ${h.extensionId}`);
  try {
    await showWaCallsPanel(h.context, h.extensionId);
    console.log("DevTools is open on the WA Calls panel: use the simulator page's buttons to make calls.");
  } catch (e) {
    console.log(`Could not select the panel automatically (${String(e)}): pick “WA Calls” in DevTools.`);
  }
  console.log(
    `The panel is also at chrome-extension://${h.extensionId}/src/panel/panel.html?tabId=${await h.tabId()}`,
  );
  await new Promise<void>((resolveClosed) => {
    h.context.on("close", () => resolveClosed());
    process.on("SIGINT", () => resolveClosed());
  });
  await h.close();
}

/** Prints what the extension captured of `results` (each flow's call, the timeline, the counts). */
function report(
  results: { name: string; callId: string }[],
  index: ReturnType<typeof buildCalls>,
  session: TabSession,
) {
  for (const r of results) console.log(`flow ${r.name}: call-id ${r.callId}`);
  console.log("");
  console.log(formatCallIndex(index));
  const seen = Object.values(session.health.seenByTag).reduce((a, b) => a + b, 0);
  console.log(
    `\ncapture: ${seen} stanzas seen in the page, ${session.health.forwarded} call stanzas forwarded, ${session.health.filtered} kept in the page`,
  );
}

async function firefoxHeadless(): Promise<void> {
  const h = await launchFirefox({ sim: { ackDelayMs: Number(values["ack-delay"]) }, query: modeQuery() });
  try {
    await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready.then(() => undefined));
    const results = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.runAll());
    const { index, session } = await waitForCalls(
      h,
      results.map((r) => r.callId),
    );
    report(results, index, session);
    const panel = await h.openPanel();
    const missed = results.find((r) => r.name === "outgoing-missed")?.callId ?? "";
    for (let i = 0; i < 100; i++) {
      const clicked = await panel.evaluate((id) => {
        const rows = document.querySelectorAll<HTMLElement>("[data-testid=call-list] tbody tr");
        const row = document.querySelector<HTMLElement>(`tr[data-call-id="${id}"]`) ?? rows[0];
        row?.click();
        return row !== undefined && row !== null;
      }, missed);
      if (clicked) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    mkdirSync(dirname(pngPath), { recursive: true });
    await panel.screenshot({ path: pngPath as `${string}.png`, fullPage: true });
    console.log(`panel screenshot: ${pngPath}`);
  } finally {
    await h.close();
  }
}

async function firefoxHeaded(): Promise<void> {
  if (!process.env.DISPLAY) {
    console.error(
      "No display: run `npm start -- --browser firefox --headless`, or under Xvfb: `xvfb-run -a npm start -- --browser firefox`.",
    );
    process.exit(1);
  }
  const h = await launchFirefox({
    headless: false,
    sim: { ackDelayMs: Number(values["ack-delay"]) },
    query: modeQuery(),
  });
  console.log(`simulator on 127.0.0.1:${h.sim.port}, add-on ${h.extensionId} (temporary)`);
  try {
    await h.openDevToolsPanel();
    console.log("DevTools is open on the WA Calls panel: use the simulator page's buttons to make calls.");
  } catch (e) {
    console.log(`Could not open the panel automatically (${String(e)}): press F12 and pick “WA Calls”.`);
  }
  console.log(`The panel is also at ${h.origin}/src/panel/panel.html?tabId=${await h.tabId()}`);
  await new Promise<void>((resolveClosed) => {
    h.browser.on("disconnected", () => resolveClosed());
    process.on("SIGINT", () => resolveClosed());
  });
  await h.close();
}

if (!values["no-build"]) build();
if (firefox) await (values.headless ? firefoxHeadless() : firefoxHeaded());
else await (values.headless ? headless() : headed());
