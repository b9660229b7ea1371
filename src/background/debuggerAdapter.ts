/**
 * The debugger adapter: deep capture's Chrome side. It adapts `chrome.debugger` (present only
 * once the optional `debugger` permission is granted) to deep capture's {@link DebuggerApi},
 * forwards the debugger's events to it, and keeps in `chrome.storage.session` which tabs have
 * deep capture on, so that a restarted service worker, which lost its debugger sessions,
 * attaches again. Deep capture itself (deepCapture.ts) has no browser globals.
 */
import type { DebuggeeTarget, DebuggerApi, DeepCapture } from "./deepCapture";

/** `chrome.debugger`, when the optional permission is granted (undefined otherwise). */
const chromeDebugger = (): typeof chrome.debugger | undefined =>
  (globalThis as { chrome?: { debugger?: typeof chrome.debugger } }).chrome?.debugger;

/** `chrome.debugger`, or an error saying that the permission is missing. */
function requireDebugger(): typeof chrome.debugger {
  const d = chromeDebugger();
  if (!d) throw new Error('the optional "debugger" permission is not granted');
  return d;
}

/** What receives the debugger's events (deep capture). */
export type DebuggerEvents = Pick<DeepCapture, "onEvent" | "onDetach">;

/**
 * {@link DebuggerApi} over `chrome.debugger` (protocol 1.3). `attach` and `send` reject while
 * the permission is not granted; `detach` then does nothing.
 */
export class ChromeDebugger implements DebuggerApi {
  private listening = false;

  async attach(tabId: number): Promise<void> {
    await requireDebugger().attach({ tabId }, "1.3");
  }

  async detach(tabId: number): Promise<void> {
    await chromeDebugger()?.detach({ tabId });
  }

  async send(target: DebuggeeTarget, method: string, params?: Record<string, unknown>): Promise<unknown> {
    return requireDebugger().sendCommand(target as chrome.debugger.DebuggerSession, method, params);
  }

  /**
   * Forwards `chrome.debugger`'s events (of tabs) to `to`, once `chrome.debugger` exists: call
   * again when the permission may have been granted meanwhile. Listens only once.
   */
  listen(to: DebuggerEvents): void {
    const d = chromeDebugger();
    if (!d || this.listening) return;
    this.listening = true;
    d.onEvent.addListener((source, method, params) => {
      if (source.tabId !== undefined)
        to.onEvent({ tabId: source.tabId, sessionId: source.sessionId }, method, params);
    });
    d.onDetach.addListener((source, reason) => {
      if (source.tabId !== undefined) to.onDetach({ tabId: source.tabId }, String(reason));
    });
  }

  /** Whether `chrome.debugger` exists (the optional permission is granted). */
  get available(): boolean {
    return chromeDebugger() !== undefined;
  }
}

/** `chrome.storage.session` key prefix marking a tab whose deep capture is on. */
const DEEP_KEY_PREFIX = "deep-capture:";

/** Where the marks are kept (`chrome.storage.session`). Errors are ignored. */
export interface MarkArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Which tabs have deep capture on, kept across service-worker restarts (`deep-capture:<tabId>`). */
export class DeepCaptureMarks {
  /** Tabs whose deep capture is on (mirrors the stored keys). */
  private readonly on = new Set<number>();

  constructor(private readonly area: MarkArea) {}

  /** Records whether the tab's deep capture is on (`on` or `attaching`) or off. */
  record(tabId: number, on: boolean): void {
    if (on === this.on.has(tabId)) return;
    const key = `${DEEP_KEY_PREFIX}${tabId}`;
    if (on) this.on.add(tabId);
    else this.on.delete(tabId);
    (on ? this.area.set({ [key]: true }) : this.area.remove(key)).catch(() => undefined);
  }

  /** Calls `enable` for each tab marked on (by an earlier service worker). */
  restore(enable: (tabId: number) => void): void {
    this.area
      .get(null)
      .then((items) => {
        for (const key of Object.keys(items)) {
          if (!key.startsWith(DEEP_KEY_PREFIX)) continue;
          const tabId = Number(key.slice(DEEP_KEY_PREFIX.length));
          if (Number.isInteger(tabId)) enable(tabId);
        }
      })
      .catch(() => undefined);
  }

  /** Removes a closed tab's mark. */
  forget(tabId: number): void {
    this.area.remove(`${DEEP_KEY_PREFIX}${tabId}`).catch(() => undefined);
  }
}
