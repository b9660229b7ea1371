/**
 * The background service worker: routes tap messages from each tab's relay into that
 * tab's session and streams sessions to DevTools panels (backlog first, then live).
 * Sessions survive a worker restart: every batch is written through to IndexedDB before
 * panels see it (see store.ts). A bounded copy of each session is also mirrored to
 * `chrome.storage.session` under `session:<tabId>` for tools and tests that read it.
 * Deep capture (opt-in, optional `debugger` permission; see deepCapture.ts) feeds the same
 * sessions from the taps it installs in WhatsApp's comms worker.
 */

import workerTapSource from "virtual:worker-tap-source";
import browser, { type Runtime } from "webextension-polyfill";
import {
  isRelayEnvelope,
  PANEL_PORT_PREFIX,
  type PanelMessage,
  type PanelRequest,
  RELAY_PORT,
  type RelayAck,
} from "../shared/protocol/messages";
import { type DebuggerApi, DeepCapture } from "./deepCapture";
import { idbPersistence } from "./idb";
import { clampCap, memoryPersistence, type SessionPersistence, SessionStore, type TabSession } from "./store";

/** How often the `chrome.storage.session` mirror is refreshed at most, ms. */
const MIRROR_DELAY_MS = 500;
/**
 * The mirror keeps at most this many (most recent) stanzas; IndexedDB keeps them all. Small on
 * purpose: each refresh serialises the copy on the worker's thread (2,000 stanzas cost ~60 ms
 * per refresh in bench:panel's live phase, 500 about a quarter of that).
 */
const MIRROR_MAX_STANZAS = 500;
/** `chrome.storage.local` key of the cap given to new sessions. */
const DEFAULT_CAP_KEY = "default-cap";

const mirrorPending = new Map<number, TabSession>();
let mirrorTimer: ReturnType<typeof setTimeout> | undefined;

function mirror(session: TabSession): void {
  mirrorPending.set(session.tabId, session);
  if (mirrorTimer !== undefined) return;
  mirrorTimer = setTimeout(() => {
    mirrorTimer = undefined;
    const items: Record<string, unknown> = {};
    for (const [tabId, s] of mirrorPending) {
      const truncated = s.stanzas.length > MIRROR_MAX_STANZAS;
      items[`session:${tabId}`] = {
        ...s,
        stanzas: truncated ? s.stanzas.slice(-MIRROR_MAX_STANZAS) : s.stanzas,
        mirrorTruncated: truncated,
      };
    }
    mirrorPending.clear();
    browser.storage.session.set(items).catch(() => undefined);
  }, MIRROR_DELAY_MS);
}

function withMirror(inner: SessionPersistence): SessionPersistence {
  return {
    load: (tabId) => inner.load(tabId),
    async commit(change) {
      await inner.commit(change);
      mirror(change.session);
    },
    remove(tabId) {
      inner.remove(tabId);
      mirrorPending.delete(tabId);
      browser.storage.session.remove(`session:${tabId}`).catch(() => undefined);
    },
  };
}

const base: SessionPersistence =
  typeof indexedDB === "undefined" ? memoryPersistence() : idbPersistence(browser.storage.session);
const store = new SessionStore(withMirror(base));
browser.storage.local
  .get(DEFAULT_CAP_KEY)
  .then((got) => {
    const cap = got[DEFAULT_CAP_KEY];
    if (typeof cap === "number") store.setDefaultCap(cap);
  })
  .catch(() => undefined);

/** `chrome.storage.session` key marking a tab whose deep capture is on (re-attached after a worker restart). */
const DEEP_KEY_PREFIX = "deep-capture:";

/** `chrome.debugger`, when the optional permission is granted (undefined otherwise). */
const chromeDebugger = (): typeof chrome.debugger | undefined =>
  (globalThis as { chrome?: { debugger?: typeof chrome.debugger } }).chrome?.debugger;

/** Tabs whose deep capture is on (mirrors the `deep-capture:` keys). */
const deepTabs = new Set<number>();

const debuggerApi: DebuggerApi = {
  async attach(tabId) {
    const d = chromeDebugger();
    if (!d) throw new Error('the optional "debugger" permission is not granted');
    await d.attach({ tabId }, "1.3");
  },
  async detach(tabId) {
    await chromeDebugger()?.detach({ tabId });
  },
  async send(target, method, params) {
    const d = chromeDebugger();
    if (!d) throw new Error('the optional "debugger" permission is not granted');
    return d.sendCommand(target as chrome.debugger.DebuggerSession, method, params);
  },
};

const deep = new DeepCapture(
  debuggerApi,
  {
    message: (tabId, message) => void store.receive(tabId, message, "worker"),
    state: (tabId, state) => {
      void store.setDeepCapture(tabId, state);
      const on = state.state === "on" || state.state === "attaching";
      if (on === deepTabs.has(tabId)) return;
      const key = `${DEEP_KEY_PREFIX}${tabId}`;
      if (on) deepTabs.add(tabId);
      else deepTabs.delete(tabId);
      (on ? browser.storage.session.set({ [key]: true }) : browser.storage.session.remove(key)).catch(
        () => undefined,
      );
    },
  },
  { tapSource: workerTapSource },
);

let debuggerListening = false;
/** Listens to `chrome.debugger` once it exists (the permission may be granted while running). */
function listenToDebugger(): void {
  const d = chromeDebugger();
  if (!d || debuggerListening) return;
  debuggerListening = true;
  d.onEvent.addListener((source, method, params) => {
    if (source.tabId !== undefined)
      deep.onEvent({ tabId: source.tabId, sessionId: source.sessionId }, method, params);
  });
  d.onDetach.addListener((source, reason) => {
    if (source.tabId !== undefined) deep.onDetach({ tabId: source.tabId }, String(reason));
  });
}
listenToDebugger();
browser.permissions.onAdded.addListener(listenToDebugger);

// A restarted service worker lost its debugger sessions: attach again where deep capture was on.
browser.storage.session
  .get(null)
  .then((items) => {
    for (const key of Object.keys(items)) {
      if (!key.startsWith(DEEP_KEY_PREFIX)) continue;
      const tabId = Number(key.slice(DEEP_KEY_PREFIX.length));
      if (Number.isInteger(tabId) && chromeDebugger()) void deep.enable(tabId);
    }
  })
  .catch(() => undefined);

/** Open relay ports per tab, with the relay instance each one speaks for (for acks). */
const relayPorts = new Map<number, Map<Runtime.Port, string | undefined>>();

store.onDurable = (tabId, mark) => {
  for (const [port, relay] of relayPorts.get(tabId) ?? []) {
    if (relay !== mark.id) continue;
    try {
      port.postMessage({ type: "ack", seq: mark.seq } satisfies RelayAck);
    } catch {
      // the relay went away; it sends again on its next connection
    }
  }
};

function onRelay(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) {
    port.disconnect();
    return;
  }
  let ports = relayPorts.get(tabId);
  if (!ports) {
    ports = new Map();
    relayPorts.set(tabId, ports);
  }
  ports.set(port, undefined);
  port.onDisconnect.addListener(() => {
    ports?.delete(port);
    if (ports?.size === 0) relayPorts.delete(tabId);
  });
  // Messages wait until the tab's session is loaded: after a worker restart, it knows which
  // relay numbers are already durable (a reconnecting relay sends its unacknowledged ones again).
  let ready = false;
  const waiting: unknown[] = [];
  const handle = (raw: unknown) => {
    if (!isRelayEnvelope(raw)) return;
    ports?.set(port, raw.relay);
    if (!store.acceptRelayed(tabId, raw.relay, raw.seq)) {
      const durable = store.durableMark(tabId);
      if (durable?.id === raw.relay) port.postMessage({ type: "ack", seq: durable.seq } satisfies RelayAck);
      return;
    }
    const message = raw.message;
    void store.receive(tabId, message, "page", { id: raw.relay, seq: raw.seq });
    if (message.type === "hello") deep.pageLoaded(tabId);
  };
  port.onMessage.addListener((raw: unknown) => {
    if (ready) handle(raw);
    else waiting.push(raw);
  });
  void store.get(tabId).then(() => {
    ready = true;
    for (const raw of waiting.splice(0)) handle(raw);
  });
}

function onPanel(port: Runtime.Port, tabId: number): void {
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  const subscriber = (message: PanelMessage) => {
    if (closed) return;
    try {
      port.postMessage(message);
    } catch {
      unsubscribe?.();
    }
  };
  port.onDisconnect.addListener(() => {
    closed = true;
    unsubscribe?.();
  });
  port.onMessage.addListener((raw: unknown) => {
    const request = raw as PanelRequest;
    if (request.type === "backlog-next") store.nextBacklog(subscriber);
    else if (request.type === "clear") void store.clear(tabId, "user");
    else if (request.type === "set-preserve-log")
      void store.setPreserveLog(tabId, request.preserveLog === true);
    else if (request.type === "set-cap") {
      const cap = clampCap(request.cap);
      store.setDefaultCap(cap);
      browser.storage.local.set({ [DEFAULT_CAP_KEY]: cap }).catch(() => undefined);
      void store.setCap(tabId, cap);
    } else if (request.type === "set-deep-capture") {
      if (request.enabled) {
        listenToDebugger();
        void deep.enable(tabId);
      } else void deep.disable(tabId);
    } else if (request.type === "reload-page") browser.tabs.reload(tabId).catch(() => undefined);
  });
  void store.subscribe(tabId, subscriber, true).then((u) => {
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

browser.tabs.onRemoved.addListener((tabId) => {
  deep.forget(tabId);
  store.forget(tabId);
  browser.storage.session.remove(`${DEEP_KEY_PREFIX}${tabId}`).catch(() => undefined);
});
