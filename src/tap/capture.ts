/**
 * The capture sink shared by every tap. Taps hand it what they saw, synchronously inside
 * WhatsApp's call path, and it does the least possible there:
 * - a node (comms handlers, `encodeStanza`): read tag/id/class/first child; copy (normalize)
 *   only a possibly call-related node (`<call>`, `<ack class="call">`, `<receipt>`);
 * - frame bytes (`decodeStanza`, transport): the caller already copied them.
 * Everything else runs later in a timer task ("pump"), in arrival order: decoding frames
 * with the right token tables (peek first, full decode only if call-related), the privacy
 * filter, counting, dedupe across taps, and emission. Only call-related stanzas are emitted;
 * everything else is counted by tag. An undecodable frame whose call-relatedness is unknown
 * is only counted; hex leaves the page only for known call-related frames.
 *
 * No `window`/`document`: the same sink runs in a page or a worker (the emitter is injected).
 */

import { Deduper, dedupeKey, errorDedupeKey, type Released } from "../shared/capture/dedupe";
import { DictionaryState, type FrameOrigin } from "../shared/capture/dictionary";
import { EchoDetector, isAddressedFrom } from "../shared/capture/echo";
import { bytesHash } from "../shared/capture/hash";
import { withHints } from "../shared/capture/health";
import { isPeekError, peekFrame, WIRE_STANZA_TAGS } from "../shared/capture/peek";
import { bytesToHex } from "../shared/codec/bytetext";
import { decodeFrame } from "../shared/codec/decoder";
import { isCodecError } from "../shared/codec/errors";
import { toPortable, type WANode } from "../shared/codec/node";
import { CallIdMemory, classifyStanza, type FilterInput } from "../shared/stanza/filter";
import {
  attrValueToString,
  isNormalizeError,
  type NormalizeError,
  normalizeError,
  normalizeNode,
} from "../shared/stanza/normalize";
import type {
  CapturedStanzaDraft,
  CaptureHealth,
  DecodeErrorInfo,
  Direction,
  TapHealth,
  TapName,
  TransportHealth,
} from "../shared/trace/types";
import { emptyHealth } from "../shared/trace/types";
import { TapGuard } from "./guard";

/** Where captured messages go (the emitter to the relay). */
export interface CaptureOutput {
  stanza(draft: CapturedStanzaDraft): void;
  health(health: CaptureHealth): void;
}

/** A monotonic epoch-ms clock with sub-millisecond precision. */
export type Clock = () => number;

/**
 * The default clock: `performance.timeOrigin + performance.now()`, epoch ms. `timeOrigin` is
 * read once (it is constant, and each read is a binding call on WA's path).
 */
export const highResClock: Clock = (() => {
  const origin = typeof performance !== "undefined" ? performance.timeOrigin : 0;
  return () => origin + performance.now();
})();

/** Most bytes of hex kept for one decode error (call-related frames only). */
export const MAX_ERROR_HEX_BYTES = 4096;
/** Most observations waiting for the pump; beyond it frames are counted as dropped. */
export const MAX_QUEUE = 5000;
/** Frames kept while the dictionary is not yet established (then counted as undecodable). */
export const MAX_WAITING = 500;
/** How long a frame may wait for its dictionary to be established, ms. */
export const MAX_WAIT_MS = 30_000;
/** Distinct tags counted per tap; further tags are counted as `(other)` (a server cannot grow health without bound). */
export const MAX_TAGS = 256;
/** Decode errors kept in health. */
const MAX_DECODE_ERRORS = 10;

/** WA's order of taps for a received stanza: decrypt, then decodeStanza, then onHandleStanza. */
const IN_PIPELINE: TapName[] = ["transport", "codec", "comms-config"];
/** WA's order of taps for a sent stanza: encodeStanza, then encrypt, then onCastStanza. */
const OUT_PIPELINE: TapName[] = ["codec", "transport", "comms-config"];

/** Reads the filter's inputs from any node form. Cheap; never copies. */
export function readFilterInput(node: unknown): FilterInput {
  const n = node as { tag?: unknown; attrs?: Record<string, unknown>; content?: unknown } | null;
  const tag = typeof n?.tag === "string" ? n.tag : "(unreadable)";
  const attrs = n?.attrs && typeof n.attrs === "object" ? n.attrs : undefined;
  const content = n?.content;
  const first = Array.isArray(content) ? (content[0] as { tag?: unknown } | undefined) : undefined;
  return {
    tag,
    ackClass: attrs ? attrValueToString(attrs.class) : undefined,
    id: attrs ? attrValueToString(attrs.id) : undefined,
    firstChildTag: typeof first?.tag === "string" ? first.tag : undefined,
  };
}

/** Whether a stanza with these inputs might be call-related (so it is worth copying now). */
function maybeCallRelated(input: FilterInput): boolean {
  return (
    input.tag === "call" || input.tag === "receipt" || (input.tag === "ack" && input.ackClass === "call")
  );
}

type Observation =
  | {
      kind: "node";
      tap: TapName;
      direction: Direction;
      t: number;
      input: FilterInput;
      node?: WANode | NormalizeError;
      /** Codec encodes only: the node has `from` and no `to` (see shared/capture/echo.ts). */
      addressedFrom?: boolean;
    }
  | {
      kind: "frame";
      tap: TapName;
      direction: Direction;
      t: number;
      bytes: Uint8Array;
      origin: FrameOrigin;
      /** Original size when `bytes` holds only a prefix. */
      truncatedFrom?: number;
    };

type Payload = { node: WANode } | { error: { message: string; offset?: number; hex?: string } };

interface TapState {
  health: TapHealth;
  guard: TapGuard;
  /** A Map, not an object: tags come from the network (`__proto__` must stay a plain key). */
  byTag: Map<string, number>;
  filtered: number;
}

/** Options of {@link Capture}. */
export interface CaptureOptions {
  output: CaptureOutput;
  memory?: CallIdMemory;
  health?: CaptureHealth;
  clock?: Clock;
  dictionary?: DictionaryState;
  /**
   * Dedupe hold before a stanza is emitted, ms (default 120): long enough for the transport
   * tap's own decryption to claim "first"; a later observation is still merged, only its time
   * no longer leads.
   */
  holdMs?: number;
  /** Health is sent at most this often, ms (default 500). */
  healthMs?: number;
  /**
   * Deferred work is batched: the pump runs this long after the first queued observation, ms
   * (default 20). Larger batches cost less per stanza; the dedupe hold dominates latency anyway.
   */
  batchMs?: number;
  /** Timer used for all deferred work (default `setTimeout`). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  /** Monotonic ms clock for measuring our own deferred cost (default `performance.now`). */
  perfNow?: () => number;
  /** Extra health filled in before each send (transport counters, comms evidence). */
  decorate?: (h: CaptureHealth) => void;
}

/** Capture state of one page or worker. See the module comment. */
export class Capture {
  /** The live health record (counters merged and hints derived by {@link snapshot}). */
  readonly health: CaptureHealth;
  /** Ids of recent `<call>` stanzas, for receipts answering them (privacy filter). */
  readonly memory: CallIdMemory;
  /** Which token tables decode which bytes. */
  readonly dictionary: DictionaryState;
  /** Capture-time clock shared by every tap, epoch ms. */
  readonly clock: Clock;
  private readonly output: CaptureOutput;
  private readonly dedupe: Deduper<Payload & { direction: Direction }>;
  private readonly taps = new Map<TapName, TapState>();
  private readonly codecPayloads = new Map<string, number>();
  private readonly codecEchoes = new Map<string, number>();
  private readonly echoes = new EchoDetector();
  private queue: Observation[] = [];
  /** Frames waiting for the dictionary to be established, and the generation they last tried. */
  private waiting: Observation[] = [];
  private waitingGeneration = -1;
  private pumpTimer: unknown;
  private pumpDue = Number.POSITIVE_INFINITY;
  private healthTimer: unknown;
  private readonly holdMs: number;
  private readonly healthMs: number;
  private readonly batchMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly perfNow: () => number;
  private readonly decorate?: (h: CaptureHealth) => void;

  constructor(options: CaptureOptions) {
    this.output = options.output;
    this.memory = options.memory ?? new CallIdMemory();
    this.health = options.health ?? emptyHealth();
    this.clock = options.clock ?? highResClock;
    this.dictionary = options.dictionary ?? new DictionaryState();
    this.holdMs = options.holdMs ?? 120;
    this.healthMs = options.healthMs ?? 500;
    this.batchMs = options.batchMs ?? 20;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.perfNow = options.perfNow ?? (() => performance.now());
    this.decorate = options.decorate;
    this.dedupe = new Deduper({ holdMs: this.holdMs });
  }

  /** The guard of a tap (created with its health entry on first use). */
  guard(name: TapName): TapGuard {
    return this.tap(name).guard;
  }

  private tap(name: TapName): TapState {
    let s = this.taps.get(name);
    if (!s) {
      let entry = this.health.taps.find((x) => x.name === name);
      if (!entry) {
        entry = { name, installed: false, live: false };
        this.health.taps.push(entry);
      }
      const guard = new TapGuard(name, (n, e) => this.onTapDisabled(n, e));
      s = { health: entry, guard, byTag: new Map(), filtered: 0 };
      this.taps.set(name, s);
    }
    return s;
  }

  /** Sets one tap's installed state and note. */
  setTap(name: TapName, installed: boolean, note?: string): void {
    const s = this.tap(name);
    s.health.installed = installed;
    if (!s.health.disabled) s.health.note = note;
    this.scheduleHealth();
  }

  /**
   * A node seen by a tap, inside WA's call path. Synchronous and cheap; callers run it inside
   * their tap guard (it reads WA's object, whose getters could throw).
   * @param node WA's node object (or any supported node form); read now, copied only when it
   *   may be call-related.
   * @param t capture time (default: now).
   */
  observeNode(node: unknown, direction: Direction, tap: TapName, t = this.clock()): void {
    const input = readFilterInput(node);
    const o: Observation = { kind: "node", tap, direction, t, input };
    if (maybeCallRelated(input)) {
      o.node = normalizeNode(node);
      if (tap === "codec" && direction === "out") o.addressedFrom = isAddressedFrom(node);
    }
    this.enqueue(o);
  }

  /**
   * Frame bytes (flags byte + node) seen by a tap. `bytes` must be the tap's own copy.
   * Decoded later with the tables `origin` calls for.
   */
  observeFrame(
    bytes: Uint8Array,
    direction: Direction,
    tap: TapName,
    t: number,
    origin: FrameOrigin,
    truncatedFrom?: number,
  ): void {
    this.enqueue({ kind: "frame", tap, direction, t, bytes, origin, truncatedFrom });
  }

  /** Counts a frame that a tap could not turn into bytes at all (e.g. no key decrypted it). */
  countUndecodable(reason: string): void {
    const h = this.health;
    h.undecodable = (h.undecodable ?? 0) + 1;
    h.undecodableByReason ??= {};
    h.undecodableByReason[reason] = (h.undecodableByReason[reason] ?? 0) + 1;
    this.scheduleHealth();
  }

  /** Compatibility: {@link observeNode}. */
  onStanza(node: unknown, direction: Direction, tap: TapName): void {
    try {
      this.observeNode(node, direction, tap);
    } catch (e) {
      this.reportError(e, tap);
    }
  }

  private enqueue(o: Observation): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.countUndecodable("tap queue full");
      return;
    }
    this.queue.push(o);
    // On WA's path: one comparison once a pump is scheduled (no clock read).
    if (this.pumpTimer === undefined) this.schedulePump(this.batchMs);
  }

  private schedulePump(ms: number): void {
    const due = this.clock() + ms;
    if (this.pumpTimer !== undefined && this.pumpDue <= due) return;
    this.pumpDue = due;
    const timer = this.setTimer(() => {
      if (this.pumpTimer !== timer) return;
      this.pumpTimer = undefined;
      this.pumpDue = Number.POSITIVE_INFINITY;
      this.pump(false);
    }, ms);
    this.pumpTimer = timer;
  }

  /**
   * Runs the deferred work now: processes queued observations and emits the stanzas whose
   * dedupe hold expired (all of them with `all`). Called from a timer; tests call it directly.
   */
  pump(all = false): void {
    const start = this.perfNow();
    let batch = this.queue;
    this.queue = [];
    if (this.waiting.length && this.dictionary.generation !== this.waitingGeneration) {
      batch = [...this.waiting, ...batch];
      this.waiting = [];
    }
    for (const o of batch) {
      const state = this.tap(o.tap);
      if (!state.guard.enabled) continue;
      try {
        this.process(o);
      } catch (e) {
        state.guard.disable(e);
      }
    }
    // A stanza every live tap has reported needs no further hold (see Deduper.drain).
    const live: TapName[] = [];
    for (const t of this.taps.values()) if (t.health.live && t.guard.enabled) live.push(t.health.name);
    const complete = (seenBy: readonly TapName[]) => live.length > 0 && live.every((x) => seenBy.includes(x));
    for (const r of this.dedupe.drain(this.clock(), all, complete)) this.release(r);
    this.health.deferredCost ??= { ms: 0, tasks: 0 };
    const cost = this.health.deferredCost;
    cost.ms += this.perfNow() - start;
    cost.tasks++;
    this.expireWaiting();
    if (this.queue.length) this.schedulePump(this.batchMs);
    else if (this.dedupe.pending) this.schedulePump(Math.max(10, Math.round(this.holdMs / 2)));
    else if (this.waiting.length) this.schedulePump(1000);
    this.scheduleHealth();
  }

  private count(o: Observation, tag: string): TapState {
    const s = this.tap(o.tap);
    bump(s.byTag, tag);
    s.health.seen = (s.health.seen ?? 0) + 1;
    if (!s.health.live) s.health.live = true;
    return s;
  }

  private codecPayload(tag: string): void {
    bump(this.codecPayloads, tag);
  }

  /** Remembers a received call-related stanza, so that its re-encoding is known as an echo. */
  private noteReceived(input: FilterInput): void {
    if (maybeCallRelated(input)) this.echoes.noteReceived(input.tag, input.id, input.ackClass);
  }

  private process(o: Observation): void {
    if (o.kind === "node") {
      const { input } = o;
      if (o.tap === "codec" && !WIRE_STANZA_TAGS.has(input.tag)) {
        this.codecPayload(input.tag);
        return;
      }
      if (o.direction === "in") this.noteReceived(input);
      else if (
        o.tap === "codec" &&
        maybeCallRelated(input) &&
        this.echoes.classify(input.tag, input.id, input.ackClass, o.addressedFrom === true)
      ) {
        bump(this.codecEchoes, input.tag);
        return;
      }
      const s = this.count(o, input.tag);
      if (classifyStanza(input, this.memory) === "drop") {
        s.filtered++;
        return;
      }
      const n = o.node ?? normalizeError("not-copied", "stanza was not copied");
      if (isNormalizeError(n)) {
        this.health.errors++;
        this.pushDecodeError(o, n.message, n.offset);
        const key = errorDedupeKey(o.direction, input.tag, input.id, `n:${n.message}`);
        this.offer(key, o, { error: { message: n.message, offset: n.offset } });
      } else {
        this.offer(dedupeKey(o.direction, n), o, { node: n });
      }
      return;
    }
    const found = this.dictionary.tablesFor(o.origin);
    if (!("tables" in found)) {
      if (found.retry && this.waiting.length < MAX_WAITING) {
        this.waiting.push(o);
        this.waitingGeneration = this.dictionary.generation;
        return;
      }
      this.countUndecodable(found.reason);
      return;
    }
    const peek = peekFrame(o.bytes, found.tables);
    if (isPeekError(peek)) {
      this.countUndecodable("corrupt or unreadable frame");
      this.pushDecodeError(o, peek.message, peek.offset);
      return;
    }
    if (o.tap === "codec" && !WIRE_STANZA_TAGS.has(peek.tag)) {
      this.codecPayload(peek.tag);
      return;
    }
    if (o.direction === "in") this.noteReceived(peek);
    const s = this.count(o, peek.tag);
    if (classifyStanza(peek, this.memory) === "drop") {
      s.filtered++;
      return;
    }
    // Known call-related from here on: a failure may carry the frame's hex.
    let decoded: WANode | { message: string; offset?: number };
    if (o.truncatedFrom !== undefined) {
      decoded = { message: `frame of ${o.truncatedFrom} bytes too large to copy`, offset: o.bytes.length };
    } else if (peek.node) {
      decoded = peek.node;
    } else {
      const d = decodeFrame(o.bytes, { tables: found.tables });
      decoded = isCodecError(d) ? { message: d.message, offset: d.offset } : d;
    }
    if (!("tag" in decoded)) {
      this.health.errors++;
      const hex = bytesToHex(o.bytes.subarray(0, MAX_ERROR_HEX_BYTES));
      this.pushDecodeError(o, decoded.message, decoded.offset, hex);
      const key = errorDedupeKey(o.direction, peek.tag, peek.id, bytesHash(o.bytes));
      this.offer(key, o, { error: { message: decoded.message, offset: decoded.offset, hex } });
      return;
    }
    this.offer(dedupeKey(o.direction, decoded), o, { node: decoded });
  }

  /** Frames that waited too long for their dictionary are counted as undecodable. */
  private expireWaiting(): void {
    const now = this.clock();
    while (this.waiting.length && now - this.waiting[0].t > MAX_WAIT_MS) {
      const o = this.waiting.shift() as Observation;
      const found = this.dictionary.tablesFor((o as { origin: FrameOrigin }).origin);
      this.countUndecodable("reason" in found ? found.reason : "dictionary not established in time");
    }
  }

  private pushDecodeError(o: Observation, message: string, offset?: number, hex?: string): void {
    this.health.decodeErrors ??= [];
    const list = this.health.decodeErrors;
    const e: DecodeErrorInfo = { t: o.t, tap: o.tap, direction: o.direction, message };
    if (offset !== undefined) e.offset = offset;
    if (hex !== undefined) e.hex = hex.slice(0, 1024);
    list.push(e);
    if (list.length > MAX_DECODE_ERRORS) list.splice(0, list.length - MAX_DECODE_ERRORS);
  }

  private offer(key: string, o: Observation, payload: Payload): void {
    const rank = (o.direction === "in" ? IN_PIPELINE : OUT_PIPELINE).indexOf(o.tap);
    const r = this.dedupe.offer(key, o.tap, o.t, { ...payload, direction: o.direction }, this.clock(), rank);
    if (r !== "new") this.health.deduped = (this.health.deduped ?? 0) + 1;
  }

  private release(r: Released<Payload & { direction: Direction }>): void {
    const direction = r.payload.direction;
    const times = Object.values(r.seenAt) as number[];
    // Nearest the wire: received, the first tap (decryption); sent, the transport tap's socket
    // send when it saw one, else the last tap (onCastStanza fires once the send completed).
    const sentAt = direction === "out" ? r.seenAt.transport : undefined;
    const t =
      times.length > 1 ? (sentAt ?? (direction === "out" ? Math.max(...times) : Math.min(...times))) : r.t;
    const draft: CapturedStanzaDraft = { direction, t, tap: r.tap, seenBy: r.seenBy };
    if (r.seenBy.length === 1 && r.seenBy[0] === "codec")
      this.health.codecOnly = (this.health.codecOnly ?? 0) + 1;
    if (times.length > 1) draft.seenAt = r.seenAt;
    if ("node" in r.payload) draft.node = toPortable(r.payload.node);
    else draft.error = r.payload.error;
    this.health.forwarded++;
    try {
      this.output.stanza(draft);
    } catch {
      // the relay may be gone
    }
  }

  /** Records an error outside any tap's call path (discovery, polling). Never throws. */
  reportError(e: unknown, tap?: TapName): void {
    try {
      this.health.errors++;
      this.health.lastError = { message: errorMessage(e), t: this.clock() };
      if (tap) this.health.lastError.tap = tap;
      this.scheduleHealth();
    } catch {
      // nothing left to do safely
    }
  }

  private onTapDisabled(name: TapName, e: unknown): void {
    const s = this.taps.get(name);
    if (s) {
      s.health.disabled = true;
      s.health.note = `switched off after an internal error: ${errorMessage(e)}`;
    }
    this.reportError(e, name);
  }

  /** The health record as it is sent: counters merged over taps, hints derived. */
  snapshot(): CaptureHealth {
    const h = this.health;
    const seenByTap: NonNullable<CaptureHealth["seenByTap"]> = {};
    const seenByTag = new Map<string, number>();
    let filtered = 0;
    for (const [name, s] of this.taps) {
      if (s.health.seen === undefined) continue;
      seenByTap[name] = Object.fromEntries(s.byTag);
      for (const [tag, n] of s.byTag) seenByTag.set(tag, Math.max(seenByTag.get(tag) ?? 0, n));
      filtered = Math.max(filtered, s.filtered);
    }
    h.seenByTap = seenByTap;
    h.seenByTag = Object.fromEntries(seenByTag);
    if (this.codecPayloads.size) h.codecPayloads = Object.fromEntries(this.codecPayloads);
    if (this.codecEchoes.size) h.codecEchoes = Object.fromEntries(this.codecEchoes);
    h.filtered = filtered;
    h.dictionary = this.dictionary.health();
    this.decorate?.(h);
    return withHints(structuredClone(h));
  }

  /** Sends health at most every `healthMs`, from a timer (never inside WhatsApp's path). */
  scheduleHealth(): void {
    if (this.healthTimer !== undefined) return;
    this.healthTimer = this.setTimer(() => {
      this.healthTimer = undefined;
      try {
        this.output.health(this.snapshot());
      } catch {
        // the relay may be gone; nothing to do
      }
    }, this.healthMs);
  }
}

/** Increments a counter; past {@link MAX_TAGS} distinct keys, new keys count as `(other)`. */
function bump(counts: Map<string, number>, key: string): void {
  const k = counts.has(key) || counts.size < MAX_TAGS ? key : "(other)";
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

/** A short message for any thrown value. */
export function errorMessage(e: unknown): string {
  try {
    return String(e instanceof Error ? e.message : e);
  } catch {
    return "unprintable error";
  }
}

/** Transport counters as health shows them (zeros when the tap is absent). */
export function emptyTransportHealth(): TransportHealth {
  return { sockets: 0, keys: 0, sessions: 0, framesIn: 0, framesOut: 0, counterGaps: 0, undecryptable: 0 };
}
