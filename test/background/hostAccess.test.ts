import { describe, expect, it } from "vitest";
import type { Runtime } from "webextension-polyfill";
import {
  type HostAccessState,
  type PermissionsApi,
  WA_MATCH,
  watchHostAccess,
} from "../../src/background/hostAccess";
import { PortRouter } from "../../src/background/ports";
import { memoryPersistence } from "../../src/background/session";
import { SessionStore } from "../../src/background/store";
import { PANEL_PORT_PREFIX, type PanelMessage } from "../../src/shared/protocol/messages";

type Listener = (p: { origins?: string[] }) => void;

/** A fake `browser.permissions` whose host access is `granted`, with its listeners exposed. */
function fakePermissions(granted: boolean) {
  const added: Listener[] = [];
  const removed: Listener[] = [];
  const asked: string[][] = [];
  const api: PermissionsApi & { granted: boolean } = {
    granted,
    contains: async (p) => {
      asked.push(p.origins ?? []);
      return api.granted;
    },
    onAdded: { addListener: (l) => added.push(l) },
    onRemoved: { addListener: (l) => removed.push(l) },
  };
  return { api, added, removed, asked };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("watchHostAccess", () => {
  it("reports the state at start, for web.whatsapp.com's match pattern", async () => {
    const p = fakePermissions(true);
    const seen: HostAccessState[] = [];
    watchHostAccess(p.api, (s) => seen.push(s));
    await settle();
    expect(seen).toEqual(["granted"]);
    expect(p.asked).toEqual([[WA_MATCH]]);
    expect(WA_MATCH).toBe("https://web.whatsapp.com/*");
  });

  it("follows a revoke and a new grant", async () => {
    const p = fakePermissions(true);
    const seen: HostAccessState[] = [];
    watchHostAccess(p.api, (s) => seen.push(s));
    await settle();
    p.api.granted = false;
    for (const l of p.removed) l({ origins: [WA_MATCH] });
    await settle();
    p.api.granted = true;
    for (const l of p.added) l({ origins: [WA_MATCH] });
    await settle();
    // A change of API permissions only (no origin) is not a host-access change.
    for (const l of p.added) l({ origins: [] });
    await settle();
    expect(seen).toEqual(["granted", "revoked", "granted"]);
  });

  it("counts a missing API or a failing check as granted", async () => {
    const seen: HostAccessState[] = [];
    watchHostAccess(undefined, (s) => seen.push(s));
    const p = fakePermissions(false);
    p.api.contains = () => Promise.reject(new Error("no"));
    watchHostAccess(p.api, (s) => seen.push(s));
    await settle();
    expect(seen).toEqual(["granted", "granted"]);
  });
});

/** A fake panel port of tab 1 that records what it is sent. */
function panelPort() {
  const sent: PanelMessage[] = [];
  const port = {
    name: `${PANEL_PORT_PREFIX}1`,
    postMessage: (m: PanelMessage) => sent.push(m),
    onMessage: { addListener: () => undefined },
    onDisconnect: { addListener: () => undefined },
  } as unknown as Runtime.Port;
  return { port, sent };
}

describe("PortRouter host access", () => {
  const router = () =>
    new PortRouter({
      store: new SessionStore(memoryPersistence()),
      deep: {
        enable: async () => ({ state: "off", workers: [] }),
        disable: async () => undefined,
        pageLoaded: () => undefined,
      },
      listenToDebugger: () => undefined,
      saveDefaultCap: () => undefined,
      reloadTab: () => undefined,
    });
  const healthOf = (m: PanelMessage | undefined) =>
    m?.type === "health" || m?.type === "backlog" ? m.health : undefined;

  it("tells open panels when access is revoked and granted again, and panels that connect later", async () => {
    const r = router();
    const a = panelPort();
    r.connect(a.port);
    await settle();
    expect(a.sent[0]?.type).toBe("backlog");
    expect(healthOf(a.sent[0])?.hostAccess).toBeUndefined();

    r.setHostAccess("revoked");
    expect(a.sent.at(-1)?.type).toBe("health");
    expect(healthOf(a.sent.at(-1))?.hostAccess).toBe("revoked");

    const b = panelPort();
    r.connect(b.port);
    await settle();
    expect(healthOf(b.sent[0])?.hostAccess).toBe("revoked");

    r.setHostAccess("granted");
    expect(healthOf(a.sent.at(-1))).toBeDefined();
    expect(healthOf(a.sent.at(-1))?.hostAccess).toBeUndefined();
    const count = a.sent.length;
    r.setHostAccess("granted");
    expect(a.sent.length).toBe(count);
  });
});
