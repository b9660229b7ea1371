/**
 * End to end: the panel saves the live session as a sanitized trace (a real download from
 * the extension page), the saved file carries none of the session's phone numbers, and
 * opening it shows the same call with the same state and reason.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, launch } from "./harness";

type SimWindow = {
  __sim: { ready: Promise<unknown>; run(name: string): Promise<{ name: string; callId: string }> };
};

let h: Harness;

beforeAll(async () => {
  h = await launch({ sim: { ackDelayMs: 100 } });
  await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
});

afterAll(async () => {
  await h?.close();
});

describe("traces in and out of the panel", () => {
  it("saves a sanitized trace and opens it back to the same call", async () => {
    await h.page.evaluate(() => (window as unknown as SimWindow).__sim.run("outgoing-missed"));
    const panel = await h.openPanel();
    const rows = panel.locator("[data-testid=call-list] tbody tr[data-call-id]");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    // The call's last stanzas (terminate, its ack) may still be on their way when `run` resolves:
    // wait for the missed state before saving, so the trace holds the whole call.
    await expect.poll(() => rows.first().getAttribute("data-state"), { timeout: 15_000 }).toBe("missed");

    const [download] = await Promise.all([
      panel.waitForEvent("download"),
      panel.getByTestId("save-trace").click(),
    ]);
    const path = await download.path();
    const text = readFileSync(path, "utf8");
    const trace = JSON.parse(text) as { format: string; stanzas: unknown[] };
    expect(trace.format).toBe("wa-call-inspector-trace");
    expect(trace.stanzas.length).toBeGreaterThan(3);
    // The simulator's phone numbers and LIDs never leave in a saved trace.
    for (const secret of ["15550001111", "15550002222", "100000000000001", "200000000000002"]) {
      expect(text).not.toContain(secret);
    }

    await panel.getByTestId("open-trace-file").setInputFiles(path);
    await expect.poll(() => panel.getByTestId("viewing").count()).toBe(1);
    const opened = panel.locator("[data-testid=call-list] tbody tr[data-call-id]");
    await expect.poll(() => opened.count()).toBe(1);
    expect(await opened.first().getAttribute("data-state")).toBe("missed");
    expect(await opened.first().getAttribute("data-reason")).toBe("timeout");
    await panel.getByTestId("back-to-live").click();
    await expect.poll(() => panel.getByTestId("viewing").count()).toBe(0);
    await panel.close();
  });

  it("lists the open questions with this session's evidence and links findings to stanzas", async () => {
    const panel = await h.openPanel();
    await expect
      .poll(() => panel.locator("[data-testid=call-list] tbody tr[data-call-id]").count())
      .toBeGreaterThan(0);
    await panel.getByTestId("view-evidence").click();
    const computed = panel.locator("[data-testid=evidence] tr[data-status=computed]");
    await expect.poll(() => computed.count()).toBeGreaterThan(3);
    // The missed call answers who ends a missed call and after how long (SIG-12a).
    const missed = panel.locator('[data-testid=evidence] tr[data-question="SIG-12a"]');
    await expect.poll(() => missed.getAttribute("data-status")).toBe("computed");
    // Rule findings and unknown attributes link to their stanza, which opens in the inspector.
    const links = panel.getByTestId("evidence-link");
    await expect.poll(() => links.count()).toBeGreaterThan(0);
    await links.first().click();
    await expect.poll(() => panel.getByTestId("inspector").count()).toBe(1);
    await panel.close();
  });
});
