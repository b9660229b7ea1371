/**
 * End to end: the built extension in Debian Chromium against the simulator. The four
 * scripted flows appear in the WA Calls panel with their states, reasons and ack
 * latencies, and nothing but call stanzas reaches the extension.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCalls } from "../src/shared/trace/calls";
import type { CapturedStanza } from "../src/shared/trace/types";
import { type Harness, launch } from "./harness";

const ACK_DELAY_MS = 150;

interface ScenarioResult {
  name: string;
  callId: string;
}

let h: Harness;
let results: ScenarioResult[];

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  h = await launch({ sim: { ackDelayMs: ACK_DELAY_MS } });
  await h.page.waitForFunction(() => (window as unknown as { __sim?: unknown }).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as { __sim: { ready: Promise<unknown> } }).__sim.ready);
  results = await h.page.evaluate(() =>
    (window as unknown as { __sim: { runAll(): Promise<ScenarioResult[]> } }).__sim.runAll(),
  );
});

afterAll(async () => {
  await h?.close();
});

function callIdOf(name: string): string {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`scenario ${name} did not run; got ${results.map((x) => x.name).join(", ")}`);
  return r.callId;
}

describe("first slice, end to end", () => {
  it("captures the four flows into the background session", async () => {
    const session = await waitFor("four calls in the session", async () => {
      const s = await h.session();
      if (!s) return undefined;
      const ids = new Set(buildCalls(s.stanzas).calls.map((c) => c.callId));
      return results.every((r) => ids.has(r.callId)) ? s : undefined;
    });
    const calls = buildCalls(session.stanzas).calls;
    expect(calls.find((c) => c.callId === callIdOf("outgoing-missed"))?.state).toBe("missed");
    expect(calls.find((c) => c.callId === callIdOf("incoming-answered"))?.state).toBe("answered");
  });

  it("shows the missed call with reason timeout and the offer ack latency of the simulator's delay", async () => {
    const panel = await h.openPanel();
    const rows = panel.locator("[data-testid=call-list] tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);

    const missed = panel.locator(`tr[data-call-id="${callIdOf("outgoing-missed")}"]`);
    expect(await missed.getAttribute("data-state")).toBe("missed");
    expect(await missed.getAttribute("data-reason")).toBe("timeout");
    await missed.click();
    const offer = panel.locator("[data-testid=ladder] g[data-action=offer]");
    const latency = Number(await offer.getAttribute("data-ack-latency"));
    expect(latency).toBeGreaterThanOrEqual(ACK_DELAY_MS - 20);
    expect(latency).toBeLessThanOrEqual(ACK_DELAY_MS + 20);
    expect(await panel.getByTestId("call-reason").textContent()).toMatch(/timeout: missed/);
    // The terminate was acked too, and its latency is shown.
    const terminate = panel.locator("[data-testid=ladder] g[data-action=terminate]");
    expect(Number(await terminate.getAttribute("data-ack-latency"))).toBeGreaterThanOrEqual(
      ACK_DELAY_MS - 20,
    );
    await panel.close();
  });

  it("shows the rejected (busy) and accepted-elsewhere calls with their reasons", async () => {
    const panel = await h.openPanel();
    const busy = panel.locator(`tr[data-call-id="${callIdOf("incoming-rejected-busy")}"]`);
    await busy.waitFor();
    expect(await busy.getAttribute("data-reason")).toBe("busy");
    expect(await busy.getAttribute("data-state")).toBe("busy");
    const elsewhere = panel.locator(`tr[data-call-id="${callIdOf("incoming-accepted-elsewhere")}"]`);
    expect(await elsewhere.getAttribute("data-reason")).toBe("accepted_elsewhere");
    expect(await elsewhere.getAttribute("data-state")).toBe("accepted-elsewhere");
    await elsewhere.click();
    expect(await panel.getByTestId("call-reason").textContent()).toMatch(
      /answered on another of the user's devices/,
    );
    await panel.close();
  });

  it("lets no non-call stanza reach the extension, while the page's other traffic flowed", async () => {
    const session = await h.session();
    expect(session).toBeDefined();
    const stanzas = session?.stanzas ?? [];
    const callStanzaIds = new Set(
      stanzas
        .filter((s: CapturedStanza) => s.node?.tag === "call")
        .map((s: CapturedStanza) => s.node?.attrs.id),
    );
    for (const s of stanzas) {
      const n = s.node;
      expect(n, `stanza #${s.seq} unreadable: ${s.error?.message}`).toBeDefined();
      if (!n) continue;
      const ok =
        n.tag === "call" ||
        (n.tag === "ack" && n.attrs.class === "call") ||
        (n.tag === "receipt" &&
          ((Array.isArray(n.content) && n.content[0]?.tag === "offer") || callStanzaIds.has(n.attrs.id)));
      expect(ok, `non-call stanza reached the extension: <${n.tag} ${JSON.stringify(n.attrs)}>`).toBe(true);
    }
    // The simulator's chatter really went through the tap: counted, not copied.
    const health = session?.health;
    expect(health?.seenByTag.message ?? 0).toBeGreaterThan(0);
    expect(health?.seenByTag.iq ?? 0).toBeGreaterThan(0);
    expect(health?.seenByTag.presence ?? 0).toBeGreaterThan(0);
    expect(health?.filtered ?? 0).toBeGreaterThan(0);
    // And the page saw more stanzas than the extension got.
    const pageLog = await h.page.evaluate(
      () => (window as unknown as { __sim: { log: unknown[] } }).__sim.log.length,
    );
    expect(pageLog).toBeGreaterThan(stanzas.length);
  });
});
