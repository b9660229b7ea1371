/**
 * The background service worker: routes tap messages from each tab's relay into that
 * tab's session and streams sessions to DevTools panels (backlog first, then live).
 * Sessions survive a worker restart through `chrome.storage.session`.
 */
import browser, { type Runtime } from "webextension-polyfill";
import {
  PANEL_PORT_PREFIX,
  type PanelMessage,
  type PanelRequest,
  RELAY_PORT,
  type TapMessage,
} from "../shared/protocol/messages";
import { type SessionPersistence, SessionStore, type TabSession } from "./store";

const SAVE_DELAY_MS = 250;
const pendingSaves = new Map<number, TabSession>();
let saveTimer: ReturnType<typeof setTimeout> | undefined;

const persistence: SessionPersistence = {
  async load(tabId) {
    const key = `session:${tabId}`;
    const got = await browser.storage.session.get(key);
    return got[key] as TabSession | undefined;
  },
  save(session) {
    pendingSaves.set(session.tabId, session);
    if (saveTimer !== undefined) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      const items: Record<string, TabSession> = {};
      for (const [tabId, s] of pendingSaves) items[`session:${tabId}`] = s;
      pendingSaves.clear();
      browser.storage.session.set(items).catch(() => undefined);
    }, SAVE_DELAY_MS);
  },
  remove(tabId) {
    browser.storage.session.remove(`session:${tabId}`).catch(() => undefined);
  },
};

const store = new SessionStore(persistence);

function onRelay(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) {
    port.disconnect();
    return;
  }
  port.onMessage.addListener((raw: unknown) => {
    const message = raw as TapMessage;
    if (message.type === "stanza") void store.addStanza(tabId, message.stanza);
    else if (message.type === "health") void store.setHealth(tabId, message.health);
    else if (message.type === "hello") void store.clear(tabId, "reload");
  });
}

function onPanel(port: Runtime.Port, tabId: number): void {
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  port.onDisconnect.addListener(() => {
    closed = true;
    unsubscribe?.();
  });
  port.onMessage.addListener((raw: unknown) => {
    const request = raw as PanelRequest;
    if (request.type === "clear") void store.clear(tabId, "user");
  });
  void store
    .subscribe(tabId, (message: PanelMessage) => {
      try {
        port.postMessage(message);
      } catch {
        unsubscribe?.();
      }
    })
    .then((u) => {
      if (closed) u();
      else unsubscribe = u;
    });
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT) onRelay(port);
  else if (port.name.startsWith(PANEL_PORT_PREFIX)) {
    const tabId = Number(port.name.slice(PANEL_PORT_PREFIX.length));
    if (Number.isInteger(tabId)) onPanel(port, tabId);
  }
});

browser.tabs.onRemoved.addListener((tabId) => store.forget(tabId));
