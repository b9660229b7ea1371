/**
 * End to end: the built extension in Debian Chromium against the simulator. The four
 * scripted flows appear in the WA Calls panel with their states, reasons and ack
 * latencies, and nothing but call stanzas reaches the extension.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TabSession } from "../src/background/store";
import { buildCalls } from "../src/shared/trace/calls";
import {
  type Harness,
  launch,
  pageAckLatency,
  pageLog,
  type ScenarioResult,
  type SimLogEntry,
  waitFor,
  wireAckLatency,
} from "./harness";
import { expectOnlyCallStanzas } from "./privacy";

const ACK_DELAY_MS = 150;

let h: Harness;
let results: ScenarioResult[];

/**
 * Waits until every call of the scenarios is in the background session and every outbound
 * `<call>` of them has its ack there, two reads in a row with the same stanzas (nothing of the
 * calls still in flight), instead of assuming it happened by the time `runAll` resolved.
 */
async function settledSession(): Promise<TabSession> {
  let count = -1;
  return waitFor("the four calls complete in the session", async () => {
    const s = await h.session();
    if (!s) return undefined;
    const same = s.stanzas.length === count;
    count = s.stanzas.length;
    const calls = buildCalls(s.stanzas).calls.filter((c) => results.some((r) => r.callId === c.callId));
    const acked = calls.every((c) =>
      c.entries
        .filter((e) => e.stanza.direction === "out" && e.view.kind === "call")
        .every((e) => e.ackLatencyMs !== undefined),
    );
    return same && acked && calls.length === results.length ? s : undefined;
  });
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
    const session = await settledSession();
    const calls = buildCalls(session.stanzas).calls;
    expect(calls.find((c) => c.callId === callIdOf("outgoing-missed"))?.state).toBe("missed");
    expect(calls.find((c) => c.callId === callIdOf("incoming-answered"))?.state).toBe("answered");
  });

  it("shows the missed call with reason timeout and the offer ack latency of the simulator's delay", async () => {
    const panel = await h.openPanel();
    const rows = panel.locator("[data-testid=call-list] tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);

    const missed = panel.locator(`tr[data-call-id="${callIdOf("outgoing-missed")}"]`);
    // The panel renders the backlog in frames: poll what it shows rather than read it once.
    await expect.poll(() => missed.getAttribute("data-state"), { timeout: 15_000 }).toBe("missed");
    expect(await missed.getAttribute("data-reason")).toBe("timeout");
    await missed.click();
    await expect.poll(() => panel.getByTestId("call-reason").textContent()).toMatch(/timeout: missed/);
    // The offer's and the terminate's ack latencies: the panel shows the stored figure, which lies
    // where physics puts it, under any load (as in capture-modes.test.ts): never below the
    // server's own figure − 2 ms (the call left before the server got it, the ack arrived after
    // it sent it), never above the page's own figure (`__sim.log`, logged at WA's handlers) + 20 ms
    // plus the lag between the socket send and the handler that the comms-config tap measured for
    // the call (unloaded ~0; under load the page logs later than the wire). And the comms-config
    // tap, which times both stanzas at the page's own points, agrees with the page ±20 ms.
    const log = await pageLog(h.page);
    const sim = h.sim as unknown as { sync?: () => Promise<void>; log: SimLogEntry[] };
    await sim.sync?.();
    const stanzas = (await settledSession()).stanzas;
    for (const action of ["offer", "terminate"]) {
      const arrow = panel.locator(`[data-testid=ladder] g[data-action=${action}]`);
      await expect.poll(() => arrow.getAttribute("data-ack-latency"), { message: action }).toMatch(/^\d/);
      const latency = Number(await arrow.getAttribute("data-ack-latency"));
      const id = await arrow.getAttribute("data-stanza-id");
      const call = stanzas.find(
        (x) => x.direction === "out" && x.node?.tag === "call" && x.node.attrs.id === id,
      );
      const ack = stanzas.find(
        (x) => x.direction === "in" && x.node?.tag === "ack" && x.node.attrs.id === id,
      );
      expect(call && ack, `${action} and its ack stored`).toBeTruthy();
      if (!call || !ack) continue;
      expect(latency, `${action}: shown vs stored`).toBeCloseTo(ack.t - call.t, 2);
      const own = pageAckLatency(log, id);
      const wire = wireAckLatency(sim.log, id);
      expect(own, `the page's own ack latency of the ${action}`).toBeDefined();
      expect(wire, `the server's record of the ${action} and its ack`).toBeDefined();
      const what = `${action}: ${latency.toFixed(1)} ms, wire ${wire?.toFixed(1)} ms, page ${own?.toFixed(1)} ms`;
      expect(latency, what).toBeGreaterThanOrEqual((wire ?? 0) - 2);
      const callAt = call.seenAt?.["comms-config"];
      const ackAt = ack.seenAt?.["comms-config"];
      expect(callAt !== undefined && ackAt !== undefined, `${action}: comms-config saw both`).toBe(true);
      const lag = Math.max(0, (callAt ?? call.t) - call.t);
      expect(latency, `${what}, handler lag ${lag.toFixed(1)} ms`).toBeLessThanOrEqual((own ?? 0) + lag + 20);
      expect(
        Math.abs((ackAt ?? 0) - (callAt ?? 0) - (own ?? 0)),
        `${what} (at comms-config)`,
      ).toBeLessThanOrEqual(20);
    }
    await panel.close();
  });

  it("shows the rejected (busy) and accepted-elsewhere calls with their reasons", async () => {
    const panel = await h.openPanel();
    const busy = panel.locator(`tr[data-call-id="${callIdOf("incoming-rejected-busy")}"]`);
    await expect.poll(() => busy.getAttribute("data-state"), { timeout: 15_000 }).toBe("busy");
    expect(await busy.getAttribute("data-reason")).toBe("busy");
    const elsewhere = panel.locator(`tr[data-call-id="${callIdOf("incoming-accepted-elsewhere")}"]`);
    await expect.poll(() => elsewhere.getAttribute("data-state")).toBe("accepted-elsewhere");
    expect(await elsewhere.getAttribute("data-reason")).toBe("accepted_elsewhere");
    await elsewhere.click();
    await expect
      .poll(() => panel.getByTestId("call-reason").textContent())
      .toMatch(/answered on another of the user's devices/);
    await panel.close();
  });

  it("lets no non-call stanza reach the extension, while the page's other traffic flowed", async () => {
    const session = await settledSession();
    const stanzas = session.stanzas;
    expectOnlyCallStanzas(stanzas);
    // The simulator's chatter really went through the tap: counted, not copied.
    const health = session.health;
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
