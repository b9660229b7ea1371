/**
 * Deep capture wired into the background (Chrome and Edge build only): the debugger adapter,
 * the deep-capture state machine with the embedded worker tap, the marks that re-attach after
 * a worker restart, and the permission listener. index.ts calls {@link wireDeepCapture} behind a
 * build-time constant, so the Firefox build (no debugger API) leaves all of it out.
 */
import workerTapSource from "virtual:worker-tap-source";
import browser from "webextension-polyfill";
import { ChromeDebugger, DeepCaptureMarks } from "./debuggerAdapter";
import { DeepCapture } from "./deepCapture";
import type { SessionStore } from "./store";

/** What the rest of the background uses of deep capture. */
export interface DeepCaptureWiring {
  deep: Pick<DeepCapture, "enable" | "disable" | "pageLoaded">;
  /** Starts forwarding the debugger's events, if its permission was granted since the last call. */
  listenToDebugger(): void;
  /** Forgets a closed tab's deep-capture state and mark. */
  forget(tabId: number): void;
}

/** Wires deep capture to `store`: worker stanzas and deep-capture states go into the tab's session. */
export function wireDeepCapture(store: SessionStore): DeepCaptureWiring {
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
  return {
    deep,
    listenToDebugger,
    forget: (tabId) => {
      deep.forget(tabId);
      marks.forget(tabId);
    },
  };
}
