/**
 * The trace model: what a tap captured, as it flows page → relay → background → panel.
 * Every field is JSON-safe so that it survives extension messaging and storage.
 */

/** `in` = received by this device (inbound), `out` = sent by this device. */
export type Direction = "in" | "out";

/** Which tap saw the stanza first. */
export type TapName = "comms-config" | "codec" | "transport";

/**
 * A node in JSON-safe form: binary content is `{ b64 }` (base64 of the bytes),
 * with `truncated` set when the tap copied only the first bytes.
 */
export interface PortableNode {
  tag: string;
  attrs: Record<string, string>;
  content?: PortableNode[] | string | PortableBytes;
}

/** Binary content in JSON-safe form. */
export interface PortableBytes {
  /** Base64 (standard alphabet, padded) of the bytes. */
  b64: string;
  /** Original length in bytes, when larger than what `b64` holds. */
  truncatedFrom?: number;
}

/** One captured call-related stanza. */
export interface CapturedStanza {
  /** Sequence number in the tab's session, assigned by the background (0-based). */
  seq: number;
  direction: Direction;
  /** Capture time at the tap, epoch milliseconds with sub-millisecond precision. */
  t: number;
  tap: TapName;
  /** The stanza, or absent when it could not be read (then `error` says why). */
  node?: PortableNode;
  /** Why the stanza could not be read, with the hex of its bytes when the tap had them. */
  error?: { message: string; offset?: number; hex?: string };
}

/** A stanza as the tap emits it, before the background numbers it. */
export type CapturedStanzaDraft = Omit<CapturedStanza, "seq">;

/** One tap's state, for capture health. */
export interface TapHealth {
  name: TapName;
  /** The hook is in place. */
  installed: boolean;
  /** The hook has seen at least one stanza. */
  live: boolean;
  /** Why it is not installed, or its last error. */
  note?: string;
}

/**
 * Capture health, kept beside the session (counts only, never contents).
 */
export interface CaptureHealth {
  /** WhatsApp Web build (`window.Debug.VERSION`), when known. */
  build?: string;
  /** Where the comms layer runs, when known. */
  commsMode?: "main-thread" | "worker" | "unknown";
  taps: TapHealth[];
  /** Stanzas seen by tag (every stanza, call-related or not). */
  seenByTag: Record<string, number>;
  /** Stanzas forwarded to the extension. */
  forwarded: number;
  /** Stanzas seen and kept in the page (not call-related). */
  filtered: number;
  /** Stanzas or frames that failed to decode or normalize. */
  errors: number;
  /** The last error inside the tap, with its time (epoch ms). */
  lastError?: { message: string; t: number };
}

/** An empty health record. */
export function emptyHealth(): CaptureHealth {
  return { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 };
}
