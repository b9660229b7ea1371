/**
 * End to end, the WA Calls panel (opened as a tab) against the simulator: filter chips,
 * direction, text and regex with match navigation, Pause/Resume, keyboard navigation,
 * the inspector, themes, and the screenshots in docs/screens/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, launch } from "./harness";
import { shoot } from "./screens/shoot";

type SimWindow = {
  __sim: {
    ready: Promise<unknown>;
    run(name: string): Promise<{ name: string; callId: string }>;
    runAll(): Promise<{ name: string; callId: string }[]>;
  };
};

let h: Harness;
let results: { name: string; callId: string }[];

beforeAll(async () => {
  h = await launch({ sim: { ackDelayMs: 80, ringMs: 900, talkMs: 600, chatterMs: 400 } });
  await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
  results = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.runAll());
});

afterAll(async () => {
  await h?.close();
});

function callIdOf(name: string): string {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`scenario ${name} did not run`);
  return r.callId;
}

async function openPanel(theme: "light" | "dark"): Promise<Page> {
  const id = await h.tabId();
  const panel = await h.context.newPage();
  await panel.setViewportSize({ width: 1400, height: 820 });
  await panel.goto(`chrome-extension://${h.extensionId}/src/panel/panel.html?tabId=${id}&theme=${theme}`);
  await expect
    .poll(() => panel.locator("[data-testid=call-list] tbody tr").count(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(results.length);
  return panel;
}

/** The `data-testid` of the element that has the keyboard focus. */
const focused = (p: Page) => p.evaluate(() => document.activeElement?.getAttribute("data-testid"));
const rowCount = (p: Page) => p.locator("[data-testid=call-list] tbody tr").count();
const selectedCallId = (p: Page) =>
  p.locator("[data-testid=call-list] tbody tr.primary").getAttribute("data-call-id");

describe("WA Calls panel", () => {
  it("filters by action chip, direction, text and regex, and steps through matches", async () => {
    const panel = await openPanel("light");
    expect(await rowCount(panel)).toBe(4);

    await panel.getByTestId("chip-reject").click();
    await expect.poll(() => rowCount(panel)).toBe(1);
    expect(await panel.locator("[data-testid=call-list] tbody tr").getAttribute("data-call-id")).toBe(
      callIdOf("incoming-rejected-busy"),
    );
    await panel.getByTestId("chip-reject").click();
    await expect.poll(() => rowCount(panel)).toBe(4);

    // Sent transports exist only in the answered call.
    await panel.getByTestId("chip-transport").click();
    await panel.getByTestId("dir-out").click();
    await expect.poll(() => rowCount(panel)).toBe(1);
    expect(await panel.locator("[data-testid=call-list] tbody tr").getAttribute("data-call-id")).toBe(
      callIdOf("incoming-answered"),
    );
    await panel.getByTestId("dir-all").click();
    await panel.getByTestId("chip-transport").click();

    // "/" focuses the filter; Enter / Shift+Enter step through matches; Esc clears.
    await panel.locator("body").click({ position: { x: 5, y: 300 } });
    await panel.keyboard.press("/");
    await expect.poll(() => focused(panel)).toBe("filter-text");
    await panel.keyboard.type("terminate");
    await expect.poll(() => panel.getByTestId("match-count").textContent()).toMatch(/^\d+ matches/);
    await panel.keyboard.press("Enter");
    await expect.poll(() => panel.getByTestId("match-count").textContent()).toMatch(/^1 \/ (\d+)/);
    const total = Number((await panel.getByTestId("match-count").textContent())?.match(/\/ (\d+)/)?.[1]);
    expect(total).toBeGreaterThanOrEqual(3);
    const first = await selectedCallId(panel);
    await panel.keyboard.press("Enter");
    await expect.poll(() => panel.getByTestId("match-count").textContent()).toMatch(/^2 \//);
    await panel.keyboard.press("Shift+Enter");
    await panel.keyboard.press("Shift+Enter");
    await expect
      .poll(() => panel.getByTestId("match-count").textContent())
      .toMatch(new RegExp(`^${total} /`));
    await expect.poll(() => selectedCallId(panel)).not.toBe(first);
    // The selected match is selected and highlighted in the ladder (a terminate or its ack).
    const sel = panel.locator("[data-testid=ladder] g.arrow.selected.match");
    await expect.poll(() => sel.getAttribute("data-action")).toMatch(/^(terminate|ack)$/);
    await panel.keyboard.press("Escape");
    await expect.poll(() => panel.getByTestId("filter-text").inputValue()).toBe("");

    // Regex, including an invalid one that is reported and does not filter.
    await panel.getByTestId("filter-regex").check();
    await panel.getByTestId("filter-text").fill('reason="(busy|timeout)"');
    await expect.poll(() => rowCount(panel)).toBe(2);
    await panel.getByTestId("filter-text").fill("reason=(");
    await expect.poll(() => panel.getByTestId("filter-error").count()).toBe(1);
    await expect.poll(() => rowCount(panel)).toBe(4);
    await panel.getByTestId("filter-text").fill("");
    await panel.getByTestId("filter-regex").uncheck();
    await panel.close();
  });

  it("navigates rows and ladder arrows with the keyboard and inspects with Enter", async () => {
    const panel = await openPanel("light");
    const list = panel.getByTestId("call-list");
    await list.focus();
    await panel.keyboard.press("Home");
    await expect.poll(() => selectedCallId(panel)).toBe(callIdOf("outgoing-missed"));
    await panel.keyboard.press("ArrowDown");
    await expect.poll(() => selectedCallId(panel)).toBe(callIdOf("incoming-rejected-busy"));
    await panel.keyboard.press("ArrowUp");
    await expect.poll(() => selectedCallId(panel)).toBe(callIdOf("outgoing-missed"));
    await panel.keyboard.press("Enter"); // into the ladder
    await expect.poll(() => focused(panel)).toBe("ladder");
    // Each key's effect is rendered in a later frame: poll it before the next key.
    const selected = panel.locator("[data-testid=ladder] g.arrow.selected");
    await panel.keyboard.press("ArrowDown");
    await expect.poll(() => selected.getAttribute("data-action")).toBe("offer");
    await panel.keyboard.press("ArrowDown");
    await expect.poll(() => selected.getAttribute("data-action")).toBe("ack");
    // ← jumps from the ack to the stanza it answers.
    await panel.keyboard.press("ArrowLeft");
    await expect.poll(() => selected.getAttribute("data-action")).toBe("offer");
    await panel.keyboard.press("Enter");
    await panel.getByTestId("inspector").waitFor();
    await expect.poll(() => panel.getByTestId("inspector-xml").textContent()).toMatch(/^<call /);
    await expect
      .poll(() =>
        panel.locator('[data-testid=attributes] tr[data-attr="call-id"]').first().getAttribute("data-known"),
      )
      .toBe("true");
    // Copy as XML and as JSON (the async clipboard API, observed through a stand-in: headless
    // Chromium cannot grant clipboard permissions to an extension origin).
    await panel.evaluate(() => {
      const w = window as unknown as { __copied: string[] };
      w.__copied = [];
      Object.defineProperty(navigator, "clipboard", {
        value: { writeText: async (t: string) => void w.__copied.push(t) },
        configurable: true,
      });
    });
    const copied = () => panel.evaluate(() => (window as unknown as { __copied: string[] }).__copied);
    await panel.getByTestId("copy-xml").click();
    await expect.poll(async () => (await copied())[0]).toMatch(/^<call [^>]*>\n {2}<offer /);
    await panel.getByTestId("copy-json").click();
    await expect.poll(async () => (await copied()).length).toBe(2);
    expect(JSON.parse((await copied())[1]).node.content[0].tag).toBe("offer");
    expect(await panel.getByTestId("copied").textContent()).toMatch(/copied as JSON/);
    await panel.getByTestId("ladder").focus();
    await panel.keyboard.press("Escape");
    await expect.poll(() => panel.getByTestId("inspector").count()).toBe(0);
    await panel.close();
  });

  it("pauses without losing what arrives, and applies it on resume", async () => {
    const panel = await openPanel("light");
    await panel.getByTestId("pause").click();
    const live = await h.page.evaluate(() =>
      (window as unknown as SimWindow).__sim.run("incoming-rejected-busy"),
    );
    await expect
      .poll(async () => Number((await panel.getByTestId("held").textContent())?.match(/\d+/)?.[0]))
      .toBeGreaterThan(0);
    expect(await panel.locator(`tr[data-call-id="${live.callId}"]`).count()).toBe(0);
    await panel.getByTestId("pause").click();
    await panel.locator(`tr[data-call-id="${live.callId}"]`).waitFor();
    await expect
      .poll(() => panel.locator(`tr[data-call-id="${live.callId}"]`).getAttribute("data-state"))
      .toBe("busy");
    results.push({ name: "incoming-rejected-busy#2", callId: live.callId });
    await panel.close();
  });

  it("saves screenshots of the call list, the ladder with the inspector, and the empty state, in both themes", async () => {
    for (const theme of ["light", "dark"] as const) {
      const panel = await openPanel(theme);
      expect(await panel.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      const bg = await panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe(theme === "dark" ? "rgb(32, 33, 36)" : "rgb(255, 255, 255)");
      await panel.getByTestId("pseudonyms").check();
      await panel.locator(`tr[data-call-id="${callIdOf("incoming-answered")}"]`).click();
      // Rule-check findings are counted in idle time: wait for every row's count.
      await expect
        .poll(() =>
          panel.locator("[data-testid=findings-count]").evaluateAll((els) => els.map((e) => e.textContent)),
        )
        .not.toContain("…");
      await shoot(panel, `call-list-${theme}`);
      await panel.locator("[data-testid=ladder] g[data-action=relaylatency]").first().click();
      await panel.getByTestId("inspector").waitFor();
      await shoot(panel, `ladder-inspector-${theme}`);
      await panel.locator(`tr[data-call-id="${callIdOf("outgoing-missed")}"]`).click();
      await panel.locator("[data-testid=ladder] g[data-action=terminate]").click();
      await expect
        .poll(() =>
          panel
            .locator("[data-testid=ladder] g[data-action=terminate] [data-testid=arrow-reason]")
            .textContent(),
        )
        .toMatch(/reason=timeout — missed: rang until the ring timeout \(probable/);
      await shoot(panel, `ladder-missed-${theme}`);
      await panel.close();
    }
    // The empty state, after a Clear: it says why it is empty.
    const panel = await openPanel("light");
    await panel.getByTestId("clear").click();
    await panel.getByTestId("empty").waitFor();
    expect(await panel.getByTestId("empty").textContent()).toMatch(
      /stanzas seen, none were call stanzas|no stanza seen|call/,
    );
    await shoot(panel, "empty-light");
    await panel.evaluate(() => {
      document.documentElement.classList.add("dark");
      document.documentElement.dataset.theme = "dark";
    });
    await shoot(panel, "empty-dark");
    await panel.close();
  });
});
