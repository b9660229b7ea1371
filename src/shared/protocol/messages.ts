/**
 * Messages between the extension's parts: page tap → isolated relay → background → panel.
 * Plain JSON only (extension messaging serialises to JSON).
 */
import type { CapturedStanza, CapturedStanzaDraft, CaptureHealth } from "../trace/types";

/** The `source` marker on `window.postMessage` from the tap to the relay. */
export const TAP_SOURCE = "wa-call-inspector/tap";

/** Port name the relay opens to the background. */
export const RELAY_PORT = "wa-call-inspector/relay";

/** Prefix of the port name a panel opens to the background: `${PANEL_PORT_PREFIX}${tabId}`. */
export const PANEL_PORT_PREFIX = "wa-call-inspector/panel:";

/**
 * Name of the CDP binding (`Runtime.addBinding`) through which a worker tap of deep capture
 * hands its batches to the background (`Runtime.bindingCalled`). The worker tap removes the
 * global at once, so WhatsApp's worker code never sees it.
 */
export const WORKER_TAP_BINDING = "__waCallInspectorWorkerTap";

/** Tap → relay → background (and worker tap → CDP binding → background). */
export type TapMessage =
  | { type: "stanza"; stanza: CapturedStanzaDraft }
  | { type: "health"; health: CaptureHealth }
  /** The page (re)loaded: a new capture session begins. */
  | { type: "hello"; url: string; t: number };

/**
 * Relay → background: one tap message, numbered by the relay so that nothing is lost when the
 * service worker stops: the relay keeps every message until the background acknowledges it
 * ({@link RelayAck}, sent once the message's effect is durable) and sends the rest again on the
 * next connection; the background skips numbers it has already applied.
 */
export interface RelayEnvelope {
  /** The relay instance (one per page load), random. */
  relay: string;
  /** 1, 2, 3, … per relay instance. */
  seq: number;
  message: TapMessage;
}

/** Background → relay: every message of this relay up to `seq` is durable (or was skipped). */
export interface RelayAck {
  type: "ack";
  seq: number;
}

/** Whether a port message is a {@link RelayEnvelope}. */
export function isRelayEnvelope(x: unknown): x is RelayEnvelope {
  const e = x as Partial<RelayEnvelope> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.relay === "string" &&
    typeof e.seq === "number" &&
    typeof e.message?.type === "string"
  );
}

/** A tab's capture settings, kept by the background beside the session. */
export interface SessionSettings {
  /** Keep the session when the page reloads (DevTools' "Preserve log"); default off. */
  preserveLog: boolean;
  /** Ring-buffer cap: at most this many stanzas are kept; older ones are dropped and counted. */
  cap: number;
}

/** A page load seen while "Preserve log" kept the session: where the new page begins. */
export interface NavigationMark {
  /** `seq` of the first stanza captured after the reload (the session's `nextSeq` at the time). */
  seq: number;
  /** When the new page's tap said hello, epoch ms. */
  t: number;
  url: string;
}

/** Background → panel. */
export type PanelMessage =
  | {
      type: "backlog";
      tabId: number;
      /** The session's stanzas (or the first chunk of them when `more` is set). */
      stanzas: CapturedStanza[];
      health: CaptureHealth;
      /** Stanzas dropped by the cap so far. */
      dropped?: number;
      settings?: SessionSettings;
      marks?: NavigationMark[];
      /**
       * How many further `backlog-chunk` messages follow (large sessions are sent in chunks;
       * a panel that subscribed with flow control asks for each with `backlog-next`).
       */
      more?: number;
    }
  /** A further part of a chunked backlog, in `seq` order. */
  | { type: "backlog-chunk"; stanzas: CapturedStanza[]; more: number }
  | { type: "stanza"; stanza: CapturedStanza }
  /** Several stanzas stored in one batch, in `seq` order; `dropped` is the session's total. */
  | { type: "stanzas"; stanzas: CapturedStanza[]; dropped?: number }
  | { type: "health"; health: CaptureHealth }
  | { type: "cleared"; reason: "reload" | "user" }
  | { type: "settings"; settings: SessionSettings }
  /** The page reloaded and "Preserve log" kept the session. */
  | { type: "navigated"; mark: NavigationMark };

/** Panel → background, discriminated by `type` (the background switches over it exhaustively). */
export type PanelRequest =
  | { type: "clear" }
  /** Send the next part of the backlog (the panel asks after painting the previous one). */
  | { type: "backlog-next" }
  | { type: "set-preserve-log"; preserveLog: boolean }
  | { type: "set-cap"; cap: number }
  /**
   * Switch deep capture on or off for the tab. The panel asks for the optional `debugger`
   * permission first (it must, inside the click); the background then attaches.
   */
  | { type: "set-deep-capture"; enabled: boolean }
  /** Reload the inspected page (so that deep capture is in the comms worker from its start). */
  | { type: "reload-page" };

/** Every {@link PanelRequest} `type` (the compiler keeps this list complete). */
const PANEL_REQUEST_TYPES: Readonly<Record<PanelRequest["type"], true>> = {
  clear: true,
  "backlog-next": true,
  "set-preserve-log": true,
  "set-cap": true,
  "set-deep-capture": true,
  "reload-page": true,
};

/**
 * Whether a port message is a {@link PanelRequest}: an object whose `type` is one of the
 * requests'. Only the discriminant is checked; the background reads the other fields defensively.
 */
export function isPanelRequest(x: unknown): x is PanelRequest {
  const type = (x as { type?: unknown } | null)?.type;
  return typeof type === "string" && Object.hasOwn(PANEL_REQUEST_TYPES, type);
}
