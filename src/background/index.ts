/**
 * The background service worker, wired from modules with one job each (as React DevTools
 * keeps its ports apart from its message handlers):
 * - store.ts: one session per tab; every batch is written through to IndexedDB (idb.ts)
 *   before panels see it, so sessions survive a worker restart;
 * - sessionMirror.ts: a bounded copy of each session in `chrome.storage.session`;
 * - ports.ts and panelRequests.ts: tap messages from each tab's relay into its session, and
 *   sessions streamed to DevTools panels (backlog first, then live) with their requests;
 * - deepCapture.ts with debuggerAdapter.ts: deep capture (opt-in, optional `debugger`
 *   permission) feeds the same sessions from the taps it installs in WhatsApp's comms worker.
 */

import workerTapSource from "virtual:worker-tap-source";
import browser from "webextension-polyfill";
import { ChromeDebugger, DeepCaptureMarks } from "./debuggerAdapter";
import { DeepCapture } from "./deepCapture";
import { idbPersistence } from "./idb";
import { PortRouter } from "./ports";
import { memoryPersistence, type SessionPersistence } from "./session";
import { withMirror } from "./sessionMirror";
import { SessionStore } from "./store";

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

const debuggerApi = new ChromeDebugger();
const marks = new DeepCaptureMarks(browser.storage.session);
const deep = new DeepCapture(
  debuggerApi,
  {
    message: (tabId, message) => void store.receive(tabId, message, "worker"),
    state: (tabId, state) => {
      void store.setDeepCapture(tabId, state);
      marks.record(tabId, state.state === "on" || state.state === "attaching");
    },
  },
  { tapSource: workerTapSource },
);

const listenToDebugger = () => debuggerApi.listen(deep);
listenToDebugger();
browser.permissions.onAdded.addListener(listenToDebugger);
// A restarted service worker lost its debugger sessions: attach again where deep capture was on.
marks.restore((tabId) => {
  if (debuggerApi.available) void deep.enable(tabId);
});

const ports = new PortRouter({
  store,
  deep,
  listenToDebugger,
  saveDefaultCap: (cap) => {
    browser.storage.local.set({ [DEFAULT_CAP_KEY]: cap }).catch(() => undefined);
  },
  reloadTab: (tabId) => {
    browser.tabs.reload(tabId).catch(() => undefined);
  },
});
store.onDurable = (tabId, mark) => ports.acknowledge(tabId, mark);
browser.runtime.onConnect.addListener((port) => ports.connect(port));

browser.tabs.onRemoved.addListener((tabId) => {
  deep.forget(tabId);
  store.forget(tabId);
  marks.forget(tabId);
});
