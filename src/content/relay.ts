/**
 * The isolated-world relay: receives the tap's batches (a `CustomEvent` on `document`
 * whose detail is a JSON string) and forwards each message to the background over a
 * runtime port, reconnecting when the service worker restarts. It reads nothing from the
 * page itself. Modelled on React DevTools' proxy
 * (facebook/react packages/react-devtools-extensions/src/contentScripts/proxy.js).
 */
import browser, { type Runtime } from "webextension-polyfill";
import { TAP_EVENT } from "../page/emit";
import { RELAY_PORT, type TapMessage } from "../shared/protocol/messages";

let port: Runtime.Port | undefined;

function connect(): Runtime.Port {
  const p = browser.runtime.connect({ name: RELAY_PORT });
  p.onDisconnect.addListener(() => {
    if (port === p) port = undefined;
  });
  return p;
}

function forward(message: TapMessage): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      port ??= connect();
      port.postMessage(message);
      return;
    } catch {
      // The worker went away between messages: reconnect once.
      port = undefined;
    }
  }
}

document.addEventListener(TAP_EVENT, (event) => {
  const detail = (event as CustomEvent<unknown>).detail;
  if (typeof detail !== "string") return;
  let batch: unknown;
  try {
    batch = JSON.parse(detail);
  } catch {
    return;
  }
  if (!Array.isArray(batch)) return;
  for (const message of batch as TapMessage[]) {
    if (message && typeof message === "object" && typeof message.type === "string") forward(message);
  }
});
