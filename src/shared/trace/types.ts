/**
 * The trace model: what a tap captured, as it flows page → relay → background → panel.
 * Every field is JSON-safe so that it survives extension messaging and storage.
 */
import type { PortableNode } from "../codec/node";

/** `in` = received by this device (inbound), `out` = sent by this device. */
export type Direction = "in" | "out";

/** A tap as it is installed in one context (the page's main thread or a worker). */
export type BaseTapName = "comms-config" | "codec" | "transport";

/**
 * Which tap saw the stanza: a page tap by its own name, a tap installed by deep capture in
 * WhatsApp's comms worker with the prefix `worker:` (e.g. `worker:transport`).
 */
export type TapName = BaseTapName | `worker:${BaseTapName}`;

/** Every tap name, page taps first. */
export const TAP_NAMES: readonly TapName[] = [
  "comms-config",
  "codec",
  "transport",
  "worker:comms-config",
  "worker:codec",
  "worker:transport",
];

/** The captured node, in JSON-safe form (the node model lives in `../codec/node`). */
export type { PortableBytes, PortableNode } from "../codec/node";

/** One captured call-related stanza. */
export interface CapturedStanza {
  /** Sequence number in the tab's session, assigned by the background (0-based). */
  seq: number;
  direction: Direction;
  /**
   * Capture time at the tap, epoch milliseconds with sub-millisecond precision. When several
   * taps saw the stanza (`seenAt`), the time nearest the wire: for `in` the first tap's
   * (decryption); for `out` the transport tap's (the `WebSocket.send` that carried the frame)
   * when it saw it, else the last tap's (WA's `onCastStanza` fires once the frame was handed to
   * the socket, while `encodeStanza` runs before encryption), so ack latencies measure wire
   * round trips.
   */
  t: number;
  /** The tap that saw the stanza first. */
  tap: TapName;
  /** The stanza, or absent when it could not be read (then `error` says why). */
  node?: PortableNode;
  /** Why the stanza could not be read, with the hex of its bytes when the tap had them. */
  error?: { message: string; offset?: number; hex?: string };
  /**
   * Every tap that saw this stanza (deduplicated into this one entry), `tap` first.
   * Absent from older taps; a single-element list when only `tap` saw it.
   */
  seenBy?: TapName[];
  /** Each tap's own capture time (epoch ms), when several taps saw the stanza. */
  seenAt?: Partial<Record<TapName, number>>;
  /**
   * Imports only: `call-wrapper` when the source had a bare action child (`<offer …>` without
   * `<call>`, real-captures.md) and the importer wrapped it in a `<call>` without attributes;
   * the direction of such a stanza is unknown (inferred).
   */
  synthetic?: "call-wrapper";
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
  /** The tap threw inside its own code and was switched off (it passes calls through untouched). */
  disabled?: boolean;
  /** Stanzas this tap saw (every tag, before dedupe). */
  seen?: number;
}

/** Machine-readable reason why the panel shows no call, with a human sentence. */
export type EmptyReasonCode =
  | "no-tap"
  | "taps-disabled"
  | "worker-comms"
  | "dictionary-unknown"
  | "nothing-seen"
  | "no-call-stanzas";

/** Why no call stanza was captured yet (absent once one was forwarded). */
export interface EmptyReason {
  code: EmptyReasonCode;
  /** e.g. "tap not installed: no stanza codec module found". */
  message: string;
}

/** A known capture gap in the current mode (shown even when calls were captured). */
export interface CaptureLimitation {
  code:
    | "worker-acks-hidden"
    | "dictionary-unknown"
    | "tap-disabled"
    | "deep-capture-late"
    | "deep-capture-off"
    | "codec-only"
    | "voip-modules-pending";
  message: string;
}

/** One frame or stanza that could not be decoded. `hex` only when it is known to be call-related. */
export interface DecodeErrorInfo {
  /** When the tap saw it, epoch ms. */
  t: number;
  tap: TapName;
  direction: Direction;
  message: string;
  offset?: number;
  /** Hex of the bytes (possibly truncated), only for call-related stanzas. */
  hex?: string;
}

/**
 * The token dictionary used to decode frames: where its tables came from, the versions the
 * connection headers announced (`57 41 06 <v>`), and how the page's tables differ from the
 * bundled dictionary-v3 tables.
 */
export interface DictionaryHealth {
  /** Version of the tables in use for the page's codec, when known. */
  version?: number;
  /** `page`: WhatsApp's own `WAWapDict`; `bundled`: our v3 tables; `none`: no usable tables. */
  source: "page" | "bundled" | "none";
  /** Dictionary versions announced by chat-socket headers on this page, in order of first sight. */
  headerVersions: number[];
  /** Header versions for which no tables are known (their frames are counted, never decoded). */
  unknownVersions?: number[];
  /** Slots of the page's tables that differ from the bundled v3 tables (single-byte 1..235, double 4×256). */
  diffFromBundled?: { single: number; double: number; total: number };
  /** How the version was established, e.g. "WAWapDict", "header", "encode round trip". */
  note?: string;
}

/** Counters of the transport tap (WebCrypto + WebSocket). */
export interface TransportHealth {
  /** Chat sockets whose connection header was seen on this page. */
  sockets: number;
  /** Noise transport keys seen at `importKey` (raw, 32 bytes, AES-GCM, one usage). */
  keys: number;
  /** WA key objects matched to a captured raw key (a Noise session's read or write side). */
  sessions: number;
  framesIn: number;
  framesOut: number;
  /** Frames whose Noise counter was not the next expected one (missed or reordered frames). */
  counterGaps: number;
  /** Inbound frames no captured key could decrypt. */
  undecryptable: number;
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
  /** The last error inside the tap, with its time (epoch ms) and the tap it came from. */
  lastError?: { message: string; t: number; tap?: TapName };
  /** How `commsMode` was established, e.g. ["isCommsInWorker() = false", "chat socket on the page"]. */
  commsEvidence?: string[];
  /** Stanzas seen per tap and tag (before dedupe). `seenByTag` is the per-tag maximum over taps. */
  seenByTap?: Partial<Record<TapName, Record<string, number>>>;
  /** Observations merged into a stanza another tap had already seen (dedupe). */
  deduped?: number;
  /** Frames that could not be decoded and whose call-relatedness is unknown: counted only, never sent. */
  undecodable?: number;
  /** `undecodable` by reason, e.g. `{"unknown dictionary v9": 12}`. */
  undecodableByReason?: Record<string, number>;
  /** Codec calls that were not wire stanzas (VoIP payload round trips), by root tag. Never sent. */
  codecPayloads?: Record<string, number>;
  /**
   * `encodeStanza` calls that re-encode a stanza this page received (the VoIP engine's echo of
   * inbound signalling, offer receipts and the server's acks of the page's `<call>`s;
   * wa-web-2026.md §1), by tag. Not wire traffic: never shown as sent. Never sent.
   */
  codecEchoes?: Record<string, number>;
  /**
   * Forwarded stanzas that only the page's codec tap saw (no transport or comms-config tap
   * confirmed them on the wire): what the panel marks as unconfirmed.
   */
  codecOnly?: number;
  /**
   * WhatsApp modules the tap recognised by shape, as loaded so far (the VoIP modules register only
   * when the first call starts; wa-web-2026.md §2). Absent where the registry cannot be seen.
   */
  modules?: { codec: boolean; comms: boolean; dictionary: boolean; voip: boolean };
  /** The last few decode errors (at most 10); hex only for call-related ones. */
  decodeErrors?: DecodeErrorInfo[];
  dictionary?: DictionaryHealth;
  transport?: TransportHealth;
  /** Why no call was captured yet, for the panel's empty state; absent once one was forwarded. */
  emptyReason?: EmptyReason;
  /** Known gaps of the current mode (e.g. acks hidden in worker mode). */
  limitations?: CaptureLimitation[];
  /** Main-thread time the tap spent off WhatsApp's call path (deferred decoding), ms, and in how many tasks. */
  deferredCost?: { ms: number; tasks: number };
  /** Deep capture: the taps installed in the page's workers through `chrome.debugger` (absent when never enabled). */
  deepCapture?: DeepCaptureHealth;
  /**
   * `revoked`: the user took away the extension's access to web.whatsapp.com (Firefox's
   * Extensions button or about:addons; Chrome's and Edge's site access), so no tap runs there.
   * Set by the background on the way to the panel (background/hostAccess.ts), never by a tap;
   * absent when access is granted.
   */
  hostAccess?: "revoked";
}

/**
 * State of deep capture for one tab: the opt-in `chrome.debugger` attachment that installs the
 * same taps inside the page's dedicated workers (WhatsApp's comms worker: wa-web-capture.md §6).
 */
export interface DeepCaptureHealth {
  /**
   * `off`: not enabled; `attaching`: asked for; `on`: the debugger is attached and every new
   * worker of the tab gets the taps before its first script runs; `error`: it could not attach
   * or was detached (e.g. the user pressed Cancel on Chrome's "started debugging" bar).
   */
  state: "off" | "attaching" | "on" | "error";
  /** Why it is off or in error, or what the user should do next (e.g. reload the page). */
  note?: string;
  /** When it was last switched on, epoch ms. */
  since?: number;
  /** The workers whose taps reported (most recent last; at most 8). */
  workers: WorkerCaptureHealth[];
  /** Stanzas seen both on the page and in a worker, stored once (background merge). */
  merged?: number;
  /** Copies that reached the background after their stanza was stored, and were dropped. */
  lateCopies?: number;
}

/** The taps of one worker, installed by deep capture. */
export interface WorkerCaptureHealth {
  /** The worker's name (`new Worker(url, {name})`, e.g. `WAWebBackendWorker-1`), else its script path. */
  name: string;
  /** The worker script's path, without query or origin (e.g. `/worker/backend.js`). */
  path: string;
  /**
   * `start`: installed before the worker's first script ran, so nothing was missed; `late`: put
   * into an already running worker (Noise keys imported before are unknown to the transport tap,
   * and stanzas before that moment were missed).
   */
  installed: "start" | "late";
  /** When the taps were installed, epoch ms. */
  t: number;
  /** The worker has ended (page reload or navigation). */
  ended?: boolean;
  /** Why the taps could not be installed (the worker was let run untouched). */
  error?: string;
  /** The worker taps' own health (counts only), as they last reported it. */
  health?: CaptureHealth;
}

/** An empty health record. */
export function emptyHealth(): CaptureHealth {
  return { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 };
}
