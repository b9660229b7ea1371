/**
 * End to end, in the real DevTools window: the WA Calls panel follows the DevTools theme
 * (`chrome.devtools.panels.themeName` at start, then the theme-change handler when the user
 * switches it in DevTools' settings).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteTarget, showWaCallsPanel } from "./devtools";
import { type Harness, launch } from "./harness";

type SimWindow = {
  __sim: { ready: Promise<unknown>; run(name: string): Promise<{ name: string; callId: string }> };
};

let h: Harness;

beforeAll(async () => {
  h = await launch({ devtools: true, sim: { ackDelayMs: 50, ringMs: 600 } });
  await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
  await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
});

afterAll(async () => {
  await h?.close();
});

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = Date.now() + 15_000;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Attaches to the DevTools front-end page (the `devtools://` target). */
async function devtoolsFront(): Promise<RemoteTarget> {
  const browser = h.context.browser();
  if (!browser) throw new Error("no browser object");
  const session = await browser.newBrowserCDPSession();
  const { targetInfos } = (await session.send("Target.getTargets")) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const t = targetInfos.find(
    (x) => x.type === "page" && x.url.startsWith("devtools://devtools/bundled/devtools_app.html"),
  );
  if (!t) throw new Error("no DevTools window");
  return RemoteTarget.attach(session, t.targetId);
}

/** Sets DevTools' own theme setting (`ui-theme`) in its front-end. */
async function setDevToolsTheme(front: RemoteTarget, theme: "dark" | "default"): Promise<void> {
  await front.evaluate(`(async () => {
    const common = await import("./core/common/common.js");
    common.Settings.Settings.instance().moduleSetting("ui-theme").set(${JSON.stringify(theme)});
    return true;
  })()`);
}

describe("WA Calls follows the DevTools theme", () => {
  it("starts with DevTools' theme and switches when DevTools switches", async () => {
    const call = await h.page.evaluate(() => (window as unknown as SimWindow).__sim.run("outgoing-missed"));
    const panel = await showWaCallsPanel(h.context, h.extensionId);
    const front = await devtoolsFront();
    await waitFor(
      "the call row",
      () => panel.evaluate<number>(`document.querySelectorAll('tr[data-call-id="${call.callId}"]').length`),
      (n) => n === 1,
    );
    const initial = await panel.evaluate<string>("chrome.devtools.panels.themeName");
    const shown = await panel.evaluate<string>("document.documentElement.dataset.theme");
    expect(shown).toBe(initial === "dark" ? "dark" : "light");

    const other = initial === "dark" ? "default" : "dark";
    await setDevToolsTheme(front, other);
    await waitFor(
      "the panel to follow the DevTools theme",
      () => panel.evaluate<string>("document.documentElement.dataset.theme"),
      (t) => t === (other === "dark" ? "dark" : "light"),
    );
    const bg = await panel.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(bg).toBe(other === "dark" ? "rgb(32, 33, 36)" : "rgb(255, 255, 255)");
    await setDevToolsTheme(front, initial === "dark" ? "dark" : "default");
    await waitFor(
      "the panel to switch back",
      () => panel.evaluate<string>("document.documentElement.dataset.theme"),
      (t) => t === (initial === "dark" ? "dark" : "light"),
    );
  });
});
