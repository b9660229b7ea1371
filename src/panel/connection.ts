/**
 * The panel's link to the background: a per-tab port that delivers the backlog, then
 * live messages, and reconnects (getting a fresh backlog) when the worker restarts.
 */
import browser, { type Runtime } from "webextension-polyfill";
import { PANEL_PORT_PREFIX, type PanelMessage, type PanelRequest } from "../shared/protocol/messages";

/** An open, self-healing connection to one tab's session. */
export interface PanelConnection {
  send(request: PanelRequest): void;
  close(): void;
}

/**
 * Connects to the background for `tabId`.
 * @param onMessage receives every message; a `backlog` after each (re)connect replaces the state.
 * @param onDisconnect called when the port drops (a reconnect follows by itself).
 */
export function connectPanel(
  tabId: number,
  onMessage: (m: PanelMessage) => void,
  onDisconnect?: () => void,
): PanelConnection {
  let port: Runtime.Port | undefined;
  let closed = false;
  const open = () => {
    if (closed) return;
    const p = browser.runtime.connect({ name: `${PANEL_PORT_PREFIX}${tabId}` });
    p.onMessage.addListener((m: unknown) => onMessage(m as PanelMessage));
    p.onDisconnect.addListener(() => {
      port = undefined;
      if (closed) return;
      onDisconnect?.();
      setTimeout(open, 200);
    });
    port = p;
  };
  open();
  return {
    send(request) {
      port?.postMessage(request);
    },
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}

/** The inspected tab: `?tabId=N` (panel opened as a tab, for tests) or DevTools' inspected window. */
export function inspectedTabId(): number | undefined {
  const fromQuery = new URLSearchParams(location.search).get("tabId");
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  return globalThis.chrome?.devtools?.inspectedWindow?.tabId;
}
