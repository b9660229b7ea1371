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

/** Tap → relay → background. */
export type TapMessage =
  | { type: "stanza"; stanza: CapturedStanzaDraft }
  | { type: "health"; health: CaptureHealth }
  /** The page (re)loaded: a new capture session begins. */
  | { type: "hello"; url: string; t: number };

/** A tap message as posted on the page's window. */
export type TapEnvelope = TapMessage & { source: typeof TAP_SOURCE };

/** Background → panel. */
export type PanelMessage =
  | { type: "backlog"; tabId: number; stanzas: CapturedStanza[]; health: CaptureHealth }
  | { type: "stanza"; stanza: CapturedStanza }
  | { type: "health"; health: CaptureHealth }
  | { type: "cleared"; reason: "reload" | "user" };

/** Panel → background. */
export type PanelRequest = { type: "clear" };

/** Whether `data` (from a `message` event) is a tap envelope. */
export function isTapEnvelope(data: unknown): data is TapEnvelope {
  return typeof data === "object" && data !== null && (data as { source?: unknown }).source === TAP_SOURCE;
}
