/**
 * What the background does for each panel request (shared/protocol/messages.ts
 * `PanelRequest`): one exhaustive `switch` over the request's `type`. Port handling is
 * ports.ts; the browser side effects are injected, so this module has no browser globals.
 */
import type { PanelRequest } from "../shared/protocol/messages";
import type { Subscriber } from "./backlog";
import type { DeepCapture } from "./deepCapture";
import { clampCap } from "./session";
import type { SessionStore } from "./store";

/** What panel requests act on. */
export interface PanelRequestTargets {
  store: SessionStore;
  deep: Pick<DeepCapture, "enable" | "disable">;
  /** Starts forwarding the debugger's events, if its permission was granted since the last call. */
  listenToDebugger(): void;
  /** Keeps the cap given to new sessions across worker restarts (`chrome.storage.local`). */
  saveDefaultCap(cap: number): void;
  /** Reloads the tab (errors ignored). */
  reloadTab(tabId: number): void;
}

/**
 * Carries out one request of the panel of tab `tabId`.
 * @param subscriber the panel's subscriber to the tab's session (its backlog is streamed to it).
 */
export function handlePanelRequest(
  request: PanelRequest,
  tabId: number,
  subscriber: Subscriber,
  targets: PanelRequestTargets,
): void {
  const { store, deep } = targets;
  switch (request.type) {
    case "backlog-next":
      store.nextBacklog(subscriber);
      return;
    case "clear":
      void store.clear(tabId, "user");
      return;
    case "set-preserve-log":
      void store.setPreserveLog(tabId, request.preserveLog === true);
      return;
    case "set-cap": {
      const cap = clampCap(request.cap);
      store.setDefaultCap(cap);
      targets.saveDefaultCap(cap);
      void store.setCap(tabId, cap);
      return;
    }
    case "set-deep-capture":
      if (request.enabled) {
        targets.listenToDebugger();
        void deep.enable(tabId);
      } else void deep.disable(tabId);
      return;
    case "reload-page":
      targets.reloadTab(tabId);
      return;
    default:
      unknownRequest(request);
  }
}

/** Compile-time check that every request type is handled; at run time an unknown one is ignored. */
function unknownRequest(_request: never): void {}
