/**
 * End to end, no lost data: the service worker is stopped (CDP `ServiceWorker.stopAllWorkers`)
 * in the middle of a call, and the panel is closed and reopened mid-call; afterwards the panel
 * shows every call stanza the simulator's page log (`__sim.log`) has for the call. Also:
 * Preserve log keeps the session across a page reload, and a reload without it clears it.
 */
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCalls } from "../src/shared/trace/calls";
import { type Harness, launch } from "./harness";

interface SimLogEntry {
  dir: "in" | "out";
  tag: string;
  id?: string;
  callId?: string;
  action?: string;
  class?: string;
}

type SimWindow = {
  __sim: {
    ready: Promise<unknown>;
    run(name: string): Promise<{ name: string; callId: string }>;
    log: SimLogEntry[];
  };
};

let h: Harness;
let cdp: CDPSession;

beforeAll(async () => {
  // A long ring, so the worker can be stopped while the call is still ringing.
  h = await launch({ sim: { ackDelayMs: 60, ringMs: 6000, talkMs: 800, chatterMs: 300 } });
  await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
  cdp = await h.context.newCDPSession(h.page);
});

afterAll(async () => {
  await h?.close();
});

async function openPanel(): Promise<Page> {
  const id = await h.tabId();
  const panel = await h.context.newPage();
  await panel.goto(`chrome-extension://${h.extensionId}/src/panel/panel.html?tabId=${id}`);
  return panel;
}

/** Stops every service worker, and waits until the extension's worker really went away. */
async function stopWorker(): Promise<void> {
  const sw = () => h.context.serviceWorkers().find((w) => w.url().includes(h.extensionId));
  await sw()
    ?.evaluate(() => {
      (globalThis as { __beforeStop?: boolean }).__beforeStop = true;
    })
    .catch(() => undefined);
  await cdp.send("ServiceWorker.enable").catch(() => undefined);
  await cdp.send("ServiceWorker.stopAllWorkers");
  // A stopped worker has lost its globals (toolchain.md §6 gotcha 8).
  await expect
    .poll(
      async () =>
        sw()
          ?.evaluate(() => (globalThis as { __beforeStop?: boolean }).__beforeStop === true)
          .catch(() => false) ?? false,
      { timeout: 10_000 },
    )
    .toBe(false);
}

/** The call stanzas of `callId` in the page's own log, as `dir|label|id` keys. */
async function simKeys(callId: string): Promise<string[]> {
  const log = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.log);
  const ids = new Set(log.filter((e) => e.tag === "call" && e.callId === callId).map((e) => e.id));
  return log
    .filter(
      (e) =>
        (e.tag === "call" && e.callId === callId) ||
        (e.tag === "ack" && e.class === "call" && ids.has(e.id)) ||
        (e.tag === "receipt" && (e.callId === callId || ids.has(e.id))),
    )
    .map((e) => `${e.dir}|${e.tag === "call" ? e.action : e.tag}|${e.id}`)
    .sort();
}

/** The same keys from the panel's ladder of `callId`. */
async function panelKeys(panel: Page, callId: string): Promise<string[]> {
  await panel.locator(`tr[data-call-id="${callId}"]`).click();
  const arrows = panel.locator(`[data-testid=ladder] g[data-call-id="${callId}"]`);
  const keys = await arrows.evaluateAll((els) =>
    els.map(
      (e) =>
        `${e.getAttribute("data-direction")}|${e.getAttribute("data-action")}|${e.getAttribute("data-stanza-id")}`,
    ),
  );
  return keys.sort();
}

/** The same keys from the background's session (its `chrome.storage.session` mirror), duplicates kept. */
async function sessionKeys(callId: string): Promise<string[]> {
  const session = await h.session();
  const stanzas = session?.stanzas ?? [];
  const callOf = (n: { content?: unknown }) =>
    Array.isArray(n.content) ? (n.content[0] as { tag: string; attrs: Record<string, string> }) : undefined;
  const ids = new Set(
    stanzas
      .filter((x) => x.node?.tag === "call" && callOf(x.node)?.attrs["call-id"] === callId)
      .map((x) => x.node?.attrs.id),
  );
  return stanzas
    .filter((x) => x.node && ids.has(x.node.attrs.id))
    .map((x) => {
      const n = x.node as NonNullable<typeof x.node>;
      return `${x.direction}|${n.tag === "call" ? callOf(n)?.tag : n.tag}|${n.attrs.id}`;
    })
    .sort();
}

describe("no lost data", () => {
  it("shows the whole call after a worker stop mid-call and a panel closed and reopened mid-call", async () => {
    let panel = await openPanel();
    const done = h.page.evaluate(() => (window as unknown as SimWindow).__sim.run("outgoing-missed"));
    // Wait until the offer (and its ack) are on screen: the call is ringing.
    await panel.locator("[data-testid=ladder] g[data-action=ack]").first().waitFor({ timeout: 15_000 });
    const callId =
      (await panel.locator("[data-testid=call-list] tbody tr").first().getAttribute("data-call-id")) ?? "";
    expect(callId).not.toBe("");

    await stopWorker();
    await panel.close();
    panel = await openPanel();
    await panel.locator(`tr[data-call-id="${callId}"]`).waitFor({ timeout: 15_000 });
    // Still ringing: the reopened panel has what was captured before the stop (it renders the
    // backlog in frames, so poll what it shows).
    await expect
      .poll(() =>
        panel.locator(`[data-testid=ladder] g[data-call-id="${callId}"][data-action=offer]`).count(),
      )
      .toBe(1);

    await stopWorker();
    await done;
    await expect
      .poll(() => panel.locator(`tr[data-call-id="${callId}"]`).getAttribute("data-state"), {
        timeout: 20_000,
      })
      .toBe("missed");
    const expected = await simKeys(callId);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    await expect.poll(() => panelKeys(panel, callId), { timeout: 10_000 }).toEqual(expected);

    // A panel opened afresh (backlog only, from IndexedDB after the restarts) agrees.
    await panel.close();
    panel = await openPanel();
    await panel.locator(`tr[data-call-id="${callId}"]`).waitFor({ timeout: 15_000 });
    await expect.poll(() => panelKeys(panel, callId), { timeout: 10_000 }).toEqual(expected);
    await panel.close();
  });

  it("loses and duplicates nothing when the worker is stopped again and again while stanzas flow", async () => {
    const run = h.page.evaluate(() => (window as unknown as SimWindow).__sim.run("incoming-answered"));
    // Stop the worker every 250 ms through the whole call, without waiting for it to restart:
    // stanzas in flight, in the relay's port, or not yet written must all arrive, once.
    let stops = 0;
    let running = true;
    const stopper = (async () => {
      while (running) {
        await cdp.send("ServiceWorker.stopAllWorkers").catch(() => undefined);
        stops++;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const { callId } = await run;
    running = false;
    await stopper;
    expect(stops).toBeGreaterThanOrEqual(4);
    const expected = await simKeys(callId);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    await expect.poll(() => sessionKeys(callId), { timeout: 20_000 }).toEqual(expected);
  });

  it("clears on reload by default, and keeps the session across reloads with Preserve log", async () => {
    const panel = await openPanel();
    // Every call of the session is listed (the first row alone may be a backlog still loading).
    const session = await h.session();
    const before = buildCalls(session?.stanzas ?? []).calls.length;
    expect(before).toBeGreaterThanOrEqual(1);
    const rows = () => panel.locator("[data-testid=call-list] tbody tr").count();
    await expect.poll(rows, { timeout: 15_000 }).toBe(before);

    await panel.getByTestId("preserve-log").check();
    await expect.poll(() => h.session().then((s) => s?.settings?.preserveLog)).toBe(true);
    await h.page.reload();
    await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
    await panel.getByTestId("marks").waitFor({ timeout: 15_000 });
    await expect.poll(rows).toBe(before);

    await panel.getByTestId("preserve-log").uncheck();
    await expect.poll(() => h.session().then((s) => s?.settings?.preserveLog)).toBe(false);
    await h.page.reload();
    await panel.getByTestId("empty").waitFor({ timeout: 15_000 });
    expect(await rows()).toBe(0);
    await panel.close();
  });
});
