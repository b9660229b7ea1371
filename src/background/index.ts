/**
 * The background service worker, wired from modules with one job each (as React DevTools
 * keeps its ports apart from its message handlers):
 * - store.ts: one session per tab; every batch is written through to IndexedDB (idb.ts)
 *   before panels see it, so sessions survive a worker restart;
 * - sessionMirror.ts: a bounded copy of each session in `chrome.storage.session`;
 * - ports.ts and panelRequests.ts: tap messages from each tab's relay into its session, and
 *   sessions streamed to DevTools panels (backlog first, then live) with their requests;
 * - deepCapture.ts with debuggerAdapter.ts, wired in deepWiring.ts: deep capture (opt-in,
 *   optional `debugger` permission; Chrome and Edge only) feeds the same sessions from the taps
 *   it installs in WhatsApp's comms worker;
 * - hostAccess.ts: whether the extension may run on web.whatsapp.com (Firefox lets the user
 *   revoke it), told to the panels.
 */

import browser from "webextension-polyfill";
import { type DeepCaptureWiring, wireDeepCapture } from "./deepWiring";
import { watchHostAccess } from "./hostAccess";
import { idbPersistence } from "./idb";
import { PortRouter } from "./ports";
import { memoryPersistence, type SessionPersistence } from "./session";
import { withMirror } from "./sessionMirror";
import { SessionStore } from "./store";

/** The Firefox build's stand-in: deep capture stays off, and panel requests for it do nothing. */
const NO_DEEP_CAPTURE: DeepCaptureWiring = {
  deep: {
    enable: async () => ({
      state: "off",
      note: "deep capture needs Chrome's or Edge's debugger API",
      workers: [],
    }),
    disable: async () => undefined,
    pageLoaded: () => undefined,
  },
  listenToDebugger: () => undefined,
  forget: () => undefined,
};

/** `chrome.storage.local` key of the cap given to new sessions. */
const DEFAULT_CAP_KEY = "default-cap";

const base: SessionPersistence =
  typeof indexedDB === "undefined" ? memoryPersistence() : idbPersistence(browser.storage.session);
const store = new SessionStore(withMirror(base, browser.storage.session));
browser.storage.local
  .get(DEFAULT_CAP_KEY)
  .then((got) => {
    const cap = got[DEFAULT_CAP_KEY];
    if (typeof cap === "number") store.setDefaultCap(cap);
  })
  .catch(() => undefined);

/**
 * Deep capture is in the Chrome (and Edge) build only: Firefox has no debugger API, so its build
 * (`vite build --mode firefox`) folds this constant to `false` and leaves deepWiring.ts, the
 * debugger adapter and the embedded worker tap out of dist-firefox.
 */
const deepCapture: DeepCaptureWiring =
  import.meta.env.MODE !== "firefox" ? wireDeepCapture(store) : NO_DEEP_CAPTURE;

const ports = new PortRouter({
  store,
  deep: deepCapture.deep,
  listenToDebugger: deepCapture.listenToDebugger,
  saveDefaultCap: (cap) => {
    browser.storage.local.set({ [DEFAULT_CAP_KEY]: cap }).catch(() => undefined);
  },
  reloadTab: (tabId) => {
    browser.tabs.reload(tabId).catch(() => undefined);
  },
});
store.onDurable = (tabId, mark) => ports.acknowledge(tabId, mark);
browser.runtime.onConnect.addListener((port) => ports.connect(port));
watchHostAccess(browser.permissions, (state) => ports.setHostAccess(state));

browser.tabs.onRemoved.addListener((tabId) => {
  deepCapture.forget(tabId);
  store.forget(tabId);
});
