/**
 * The isolated-world relay: receives the tap's batches (a `CustomEvent` on `document`
 * whose detail is a JSON string) and forwards each message to the background over a
 * runtime port, reconnecting when the service worker restarts. Every message is kept until
 * the background says it is durable, and sent again after a reconnect (relayQueue.ts), so a
 * stopped worker loses nothing. It reads nothing from the page itself. Modelled on React
 * DevTools' proxy (facebook/react packages/react-devtools-extensions/src/contentScripts/proxy.js).
 */
import browser, { type Runtime } from "webextension-polyfill";
import { RELAY_PORT, type RelayAck, type TapMessage } from "../shared/protocol/messages";
import { TAP_EVENT } from "../tap/emit";
import { RelayQueue } from "./relayQueue";

/** Delay before reconnecting when unacknowledged messages wait, ms. */
const RECONNECT_MS = 100;

const queue = new RelayQueue(crypto.randomUUID());
let port: Runtime.Port | undefined;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

function connect(): Runtime.Port {
  const p = browser.runtime.connect({ name: RELAY_PORT });
  p.onMessage.addListener((m: unknown) => {
    const ack = m as Partial<RelayAck> | null;
    if (ack?.type === "ack" && typeof ack.seq === "number") queue.acknowledge(ack as RelayAck);
  });
  p.onDisconnect.addListener(() => {
    if (port !== p) return;
    port = undefined;
    // Messages the stopped worker had not made durable go again on a new connection.
    if (queue.pending > 0 && reconnectTimer === undefined)
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        ensurePort();
      }, RECONNECT_MS);
  });
  return p;
}

/** The open port, connecting (and sending what is unacknowledged) when there is none. */
function ensurePort(): Runtime.Port | undefined {
  if (port) return port;
  try {
    const p = connect();
    port = p;
    queue.resend(p);
    return p;
  } catch {
    port = undefined;
    return undefined;
  }
}

function forward(message: TapMessage): void {
  const p = port;
  try {
    queue.send(message, p ?? ensurePort());
  } catch {
    // The worker went away between messages: the message is queued; reconnect and resend.
    port = undefined;
    ensurePort();
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
