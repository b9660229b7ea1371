/**
 * End to end, in the real DevTools window: the WA Calls panel finds its tab through
 * `chrome.devtools.inspectedWindow.tabId`, shows the backlog of a call made before it was
 * opened, then a call made while it is open (live).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RemoteTarget, showWaCallsPanel } from "./devtools";
import { type Harness, launch } from "./harness";

type SimWindow = {
  __sim: { ready: Promise<unknown>; run(name: string): Promise<{ name: string; callId: string }> };
};

let h: Harness;

beforeAll(async () => {
  h = await launch({ devtools: true, sim: { ackDelayMs: 100 } });
  await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
});

afterAll(async () => {
  await h?.close();
});

async function rowState(panel: RemoteTarget, callId: string): Promise<string | null> {
  return panel.evaluate<string | null>(
    `document.querySelector('tr[data-call-id="${callId}"]')?.getAttribute("data-state") ?? null`,
  );
}

async function waitForState(panel: RemoteTarget, callId: string, state: string): Promise<void> {
  const end = Date.now() + 20_000;
  let last: string | null = null;
  while (Date.now() < end) {
    last = await rowState(panel, callId);
    if (last === state) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`call ${callId} is "${last}" in the DevTools panel, expected "${state}"`);
}

describe("WA Calls in the real DevTools window", () => {
  it("shows a call captured before the panel opened, then one made while it is open", async () => {
    const before = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.run("outgoing-missed"));
    const panel = await showWaCallsPanel(h.context, h.extensionId);
    const tabId = await panel.evaluate<number>("chrome.devtools.inspectedWindow.tabId");
    expect(tabId).toBe(await h.tabId());
    await waitForState(panel, before.callId, "missed");

    const live = await h.page.evaluate(() =>
      (window as unknown as SimWindow).__sim.run("incoming-rejected-busy"),
    );
    await waitForState(panel, live.callId, "busy");
    const rows = await panel.evaluate<number>(
      `document.querySelectorAll("[data-testid=call-list] tbody tr").length`,
    );
    expect(rows).toBe(2);
  });
});
