/**
 * Port routing: the background's runtime ports. A tab's relay port carries numbered tap
 * messages into the tab's session (each acknowledged once its effect is durable); a panel's
 * port (`${PANEL_PORT_PREFIX}${tabId}`) gets the tab's session streamed (backlog, then live)
 * and carries the panel's requests, which panelRequests.ts carries out. Like React DevTools'
 * background, which keeps its ports apart from its message handlers.
 */
import type { Runtime } from "webextension-polyfill";
import {
  isPanelRequest,
  isRelayEnvelope,
  PANEL_PORT_PREFIX,
  type PanelMessage,
  RELAY_PORT,
  type RelayAck,
} from "../shared/protocol/messages";
import type { CaptureHealth } from "../shared/trace/types";
import type { DeepCapture } from "./deepCapture";
import type { HostAccessState } from "./hostAccess";
import { handlePanelRequest, type PanelRequestTargets } from "./panelRequests";
import type { RelayMark } from "./session";

/** What the ports feed: the panel requests' targets, and deep capture's page-load hook. */
export interface PortTargets extends PanelRequestTargets {
  deep: Pick<DeepCapture, "enable" | "disable" | "pageLoaded">;
}

/** Routes every runtime port of the background (relays and panels). */
export class PortRouter {
  /** Open relay ports per tab, with the relay instance each one speaks for (for acks). */
  private readonly relayPorts = new Map<number, Map<Runtime.Port, string | undefined>>();
  /** Access to web.whatsapp.com (hostAccess.ts); `granted` until the background learns otherwise. */
  private hostAccess: HostAccessState = "granted";
  /** Each open panel's subscriber, with the last session health it was sent (for host-access changes). */
  private readonly panels = new Map<(message: PanelMessage) => void, CaptureHealth | undefined>();

  constructor(private readonly targets: PortTargets) {}

  /** Takes a newly connected port: a relay's, a panel's, or (ignored) another. */
  connect(port: Runtime.Port): void {
    if (port.name === RELAY_PORT) this.relay(port);
    else if (port.name.startsWith(PANEL_PORT_PREFIX)) {
      const tabId = Number(port.name.slice(PANEL_PORT_PREFIX.length));
      if (Number.isInteger(tabId)) this.panel(port, tabId);
    }
  }

  /**
   * Acknowledges to the tab's relay ports of relay instance `mark.id` that every message up to
   * `mark.seq` is durable (the store's `onDurable`).
   */
  acknowledge(tabId: number, mark: RelayMark): void {
    for (const [port, relay] of this.relayPorts.get(tabId) ?? []) {
      if (relay !== mark.id) continue;
      try {
        port.postMessage({ type: "ack", seq: mark.seq } satisfies RelayAck);
      } catch {
        // the relay went away; it sends again on its next connection
      }
    }
  }

  /**
   * Sets the extension's access to web.whatsapp.com: every open panel gets its session's last
   * health again, with `hostAccess: "revoked"` while access is revoked (and on every later health).
   */
  setHostAccess(state: HostAccessState): void {
    if (state === this.hostAccess) return;
    this.hostAccess = state;
    for (const [send, health] of this.panels) if (health) send({ type: "health", health });
  }

  /** `health` as panels see it: with the host-access state of the background. */
  private withHostAccess(health: CaptureHealth): CaptureHealth {
    if (this.hostAccess === "revoked") return { ...health, hostAccess: "revoked" };
    if (health.hostAccess === undefined) return health;
    const { hostAccess: _stale, ...rest } = health;
    return rest;
  }

  private relay(port: Runtime.Port): void {
    const { store, deep } = this.targets;
    const tabId = port.sender?.tab?.id;
    if (tabId === undefined) {
      port.disconnect();
      return;
    }
    let ports = this.relayPorts.get(tabId);
    if (!ports) {
      ports = new Map();
      this.relayPorts.set(tabId, ports);
    }
    ports.set(port, undefined);
    port.onDisconnect.addListener(() => {
      ports?.delete(port);
      if (ports?.size === 0) this.relayPorts.delete(tabId);
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

  private panel(port: Runtime.Port, tabId: number): void {
    const { store } = this.targets;
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    const send = (message: PanelMessage) => {
      if (closed) return;
      if (message.type === "health" || message.type === "backlog") {
        this.panels.set(send, message.health);
        message = { ...message, health: this.withHostAccess(message.health) };
      }
      try {
        port.postMessage(message);
      } catch {
        unsubscribe?.();
      }
    };
    this.panels.set(send, undefined);
    port.onDisconnect.addListener(() => {
      closed = true;
      this.panels.delete(send);
      unsubscribe?.();
    });
    port.onMessage.addListener((raw: unknown) => {
      if (isPanelRequest(raw)) handlePanelRequest(raw, tabId, send, this.targets);
    });
    void store.subscribe(tabId, send, true).then((u) => {
      if (closed) u();
      else unsubscribe = u;
    });
  }
}
