/**
 * End to end in Firefox with WhatsApp's comms in its backend worker (`?comms=worker`, the mode
 * where Chrome and Edge offer deep capture): Firefox has no debugger API, so the Firefox build
 * captures with the page's taps only, shows no phantom row, and its panel, in the real DevTools
 * and as a tab, says that deep capture needs Chrome's or Edge's debugger API instead of offering
 * a switch that cannot work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareRows, type WireEntry } from "../../scripts/wa-build/report";
import type { TabSession } from "../../src/background/store";
import { buildCalls } from "../../src/shared/trace/calls";
import { type ScenarioResult, waitFor } from "../harness";
import { type FirefoxHarness, launchFirefox, runFirefoxScenarios, settledFirefoxSession } from "./harness";

/** What the Firefox panel says in place of the deep-capture switch (src/panel/DeepCapture.tsx). */
const UNAVAILABLE = /Deep capture needs Chrome's or Edge's debugger API, which Firefox does not have/;

let h: FirefoxHarness;
let results: ScenarioResult[];
let session: TabSession;
let wire: WireEntry[];

beforeAll(async () => {
  h = await launchFirefox({ sim: { ackDelayMs: 150 }, query: "?comms=worker" });
  results = await runFirefoxScenarios(h.page);
  session = await settledFirefoxSession(h, results);
  await h.sim.sync?.();
  wire = [...(h.sim.log as WireEntry[])];
});

afterAll(async () => {
  await h?.close();
});

describe("Firefox ESR, comms in WhatsApp's backend worker", () => {
  it("captures every call from the page with the wire's reasons, and no phantom row", () => {
    expect(session.health.commsMode).toBe("worker");
    expect(compareRows(session.stanzas, wire).phantoms).toEqual([]);
    const calls = buildCalls(session.stanzas).calls;
    for (const r of results) {
      const call = calls.find((c) => c.callId === r.callId);
      expect(call, `call ${r.name}`).toBeDefined();
      const reason = wire.find((e) => e.callId === r.callId && e.tag === "call" && e.reason != null)?.reason;
      if (reason !== undefined) expect(call?.reason, `reason of ${r.name}`).toBe(reason);
    }
    expect(session.health.limitations?.map((l) => l.code)).toContain("worker-acks-hidden");
  });

  it("the real DevTools panel says deep capture needs Chrome's or Edge's debugger API, with no switch", async () => {
    const panel = await h.openDevToolsPanel();
    const deep = await waitFor(
      "the deep-capture notice in the DevTools panel",
      async () => (await panel.select("[data-testid=deep-capture]", ["data-state"]))[0],
      30_000,
    );
    expect(deep.attrs["data-state"]).toBe("unavailable");
    expect(deep.text).toMatch(UNAVAILABLE);
    expect(await panel.select("[data-testid=deep-capture-enable]")).toEqual([]);
    expect(await panel.select("[data-testid=deep-capture-allow]")).toEqual([]);
  });

  it("so does the panel opened as a tab", async () => {
    const tab = await h.openPanel();
    const deep = await waitFor("the deep-capture notice in the panel tab", () =>
      tab.evaluate(() => {
        const d = document.querySelector("[data-testid=deep-capture]");
        return d
          ? {
              state: d.getAttribute("data-state"),
              text: d.textContent ?? "",
              enable: document.querySelector("[data-testid=deep-capture-enable]") !== null,
            }
          : undefined;
      }),
    );
    expect(deep).toMatchObject({ state: "unavailable", enable: false });
    expect(deep.text).toMatch(UNAVAILABLE);
  });
});
