import { describe, expect, it } from "vitest";
import { handlePanelRequest, type PanelRequestTargets } from "../../src/background/panelRequests";
import { memoryPersistence } from "../../src/background/session";
import { SessionStore } from "../../src/background/store";
import { isPanelRequest, type PanelMessage, type PanelRequest } from "../../src/shared/protocol/messages";
import { draft } from "./support";

/** Targets that record what the browser side would have done. */
function targets() {
  const calls: string[] = [];
  const store = new SessionStore(memoryPersistence());
  const t: PanelRequestTargets = {
    store,
    deep: {
      enable: async (tabId) => {
        calls.push(`enable ${tabId}`);
        return { state: "on", workers: [] };
      },
      disable: async (tabId) => {
        calls.push(`disable ${tabId}`);
      },
    },
    listenToDebugger: () => calls.push("listen"),
    saveDefaultCap: (cap) => calls.push(`save cap ${cap}`),
    reloadTab: (tabId) => calls.push(`reload ${tabId}`),
  };
  return { t, store, calls };
}

describe("isPanelRequest", () => {
  it("accepts an object whose type is a request's, and nothing else", () => {
    expect(isPanelRequest({ type: "clear" })).toBe(true);
    expect(isPanelRequest({ type: "set-cap", cap: 5 })).toBe(true);
    for (const x of [null, undefined, "clear", 3, {}, { type: "nope" }, { type: "toString" }, { type: 1 }])
      expect(isPanelRequest(x)).toBe(false);
  });
});

describe("handlePanelRequest", () => {
  it("switches deep capture on (listening to the debugger first) and off, and reloads the tab", () => {
    const { t, calls } = targets();
    const sub = () => undefined;
    handlePanelRequest({ type: "set-deep-capture", enabled: true }, 4, sub, t);
    handlePanelRequest({ type: "set-deep-capture", enabled: false }, 4, sub, t);
    handlePanelRequest({ type: "reload-page" }, 4, sub, t);
    expect(calls).toEqual(["listen", "enable 4", "disable 4", "reload 4"]);
  });

  it("clamps a new cap, keeps it as the default, and applies it to the tab", async () => {
    const { t, store, calls } = targets();
    handlePanelRequest({ type: "set-cap", cap: 5 }, 2, () => undefined, t);
    await store.settled(2);
    expect(calls).toEqual(["save cap 100"]);
    expect((await store.get(2)).settings?.cap).toBe(100);
    expect((await store.get(3)).settings?.cap).toBe(100);
  });

  it("sets Preserve log only for a literal true, and clears the session for the user", async () => {
    const { t, store } = targets();
    const got: PanelMessage[] = [];
    const sub = (m: PanelMessage) => got.push(m);
    await store.subscribe(1, sub);
    await store.addStanza(1, draft(1));
    handlePanelRequest(
      { type: "set-preserve-log", preserveLog: "yes" } as unknown as PanelRequest,
      1,
      sub,
      t,
    );
    handlePanelRequest({ type: "clear" }, 1, sub, t);
    await store.settled(1);
    const s = await store.get(1);
    expect(s.settings?.preserveLog).toBe(false);
    expect(s.stanzas).toEqual([]);
    expect(got.at(-1)).toEqual({ type: "cleared", reason: "user" });
  });
});
