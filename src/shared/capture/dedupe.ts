/**
 * Dedupe of stanzas seen by several taps. The comms-config, codec and transport taps see the
 * same wire stanza at different moments (an inbound frame at `decrypt`, then at
 * `decodeStanza`, then at `onHandleStanza`), some of them only after deferred decoding. Each
 * observation is offered here under a key (direction, tag, id, content hash); observations
 * by DIFFERENT taps with the same key merge into one entry, which keeps the earliest capture
 * time and the tap that saw it first. A repeat by the SAME tap is a real second stanza (e.g.
 * WA re-sends a pending `<call>` after a reconnect) and gets its own entry.
 *
 * Entries are held for `holdMs` before they are released, so that a tap whose decoding is
 * deferred can still claim "first", unless every live tap has already seen them. Memory is bounded by `maxEntries` and `mergeWindowMs`.
 * Pure; no timers (the caller drains).
 */
import type { WANode } from "../codec/node";
import type { Direction, TapName } from "../trace/types";
import { nodeHash } from "./hash";

/** The dedupe key of a decoded stanza: `direction|tag|id|content hash`. */
export function dedupeKey(direction: Direction, node: WANode): string {
  return `${direction}|${node.tag}|${node.attrs.id ?? ""}|${nodeHash(node)}`;
}

/** The dedupe key of a call-related stanza that could not be decoded (hash of its bytes). */
export function errorDedupeKey(
  direction: Direction,
  tag: string,
  id: string | undefined,
  hash: string,
): string {
  return `${direction}|${tag}|${id ?? ""}|!${hash}`;
}

/** Options of {@link Deduper}. */
export interface DeduperOptions {
  /** How long an entry waits for other taps before release, ms (default 300). */
  holdMs?: number;
  /** How long after its first observation an entry can still absorb other taps, ms (default 5000). */
  mergeWindowMs?: number;
  /** Most entries remembered; the oldest released ones are forgotten first (default 4096). */
  maxEntries?: number;
}

/** A released entry: the earliest observation's payload, time and tap, and every tap that saw it. */
export interface Released<T> {
  payload: T;
  tap: TapName;
  t: number;
  seenBy: TapName[];
  /** Each tap's capture time (epoch ms). */
  seenAt: Partial<Record<TapName, number>>;
}

interface Entry<T> {
  key: string;
  payload: T;
  tap: TapName;
  t: number;
  seenBy: TapName[];
  seenAt: Partial<Record<TapName, number>>;
  /** Tie-breaker of the lead observation (lower wins when times are equal). */
  rank: number;
  /** Arrival time (same clock as `t`), for hold and merge windows. */
  arrived: number;
  released: boolean;
}

/** Outcome of {@link Deduper.offer}. */
export type OfferResult = "new" | "merged" | "merged-late";

/** The dedupe stage. See the module comment. */
export class Deduper<T> {
  private readonly holdMs: number;
  private readonly mergeWindowMs: number;
  private readonly maxEntries: number;
  /** Insertion order (oldest first) for eviction; entries before `head` are forgotten. */
  private order: Entry<T>[] = [];
  private head = 0;
  private readonly byKey = new Map<string, Entry<T>[]>();
  /** Entries not yet released, in arrival order. */
  private pendingList: Entry<T>[] = [];

  constructor(options: DeduperOptions = {}) {
    this.holdMs = options.holdMs ?? 300;
    this.mergeWindowMs = options.mergeWindowMs ?? 5000;
    this.maxEntries = options.maxEntries ?? 4096;
  }

  /** Entries not yet released. */
  get pending(): number {
    return this.pendingList.length;
  }

  /** Entries remembered (released or not). */
  get size(): number {
    return this.order.length - this.head;
  }

  /**
   * Offers one observation.
   * @param key from {@link dedupeKey}.
   * @param t capture time at the tap (epoch ms).
   * @param now arrival time, same clock.
   * @param rank tie-breaker when two taps report the same time (browsers coarsen
   *   `performance.now()` to 100 µs): the lower rank leads, e.g. the tap earlier in WA's pipeline.
   * @returns `new` (a new entry), `merged` (absorbed before release; the earlier of the two
   *   observations now leads), or `merged-late` (absorbed after release: already sent).
   */
  offer(key: string, tap: TapName, t: number, payload: T, now: number, rank = 0): OfferResult {
    const list = this.byKey.get(key);
    if (list) {
      for (const e of list) {
        if (e.seenBy.includes(tap) || now - e.arrived > this.mergeWindowMs) continue;
        e.seenAt[tap] = t;
        if (e.released) {
          e.seenBy.push(tap);
          return "merged-late";
        }
        if (t < e.t || (t === e.t && rank < e.rank)) {
          e.t = t;
          e.tap = tap;
          e.rank = rank;
          e.payload = payload;
          e.seenBy.unshift(tap);
        } else {
          e.seenBy.push(tap);
        }
        return "merged";
      }
    }
    const entry: Entry<T> = {
      key,
      payload,
      tap,
      t,
      seenBy: [tap],
      seenAt: { [tap]: t },
      rank,
      arrived: now,
      released: false,
    };
    if (list) list.push(entry);
    else this.byKey.set(key, [entry]);
    this.order.push(entry);
    this.pendingList.push(entry);
    this.evict(now);
    return "new";
  }

  /**
   * Releases the entries whose hold expired (all pending ones with `all`), earliest `t` first.
   * With `complete`, an entry is also released before its hold expires once every tap that can
   * still report has seen it (`complete(seenBy)` is true): no later tap can claim "first", so
   * waiting would only delay it. Release stays in arrival order (a prefix of the pending list).
   * @param complete whether an entry's observers are all the taps there are (optional).
   */
  drain(now: number, all = false, complete?: (seenBy: readonly TapName[]) => boolean): Released<T>[] {
    let n = 0;
    if (all) n = this.pendingList.length;
    else
      while (n < this.pendingList.length) {
        const e = this.pendingList[n];
        if (now - e.arrived < this.holdMs && !complete?.(e.seenBy)) break;
        n++;
      }
    if (n === 0) return [];
    const out = this.pendingList.slice(0, n);
    this.pendingList = this.pendingList.slice(n);
    for (const e of out) e.released = true;
    out.sort((a, b) => a.t - b.t);
    this.evict(now);
    return out.map((e) => ({
      payload: e.payload,
      tap: e.tap,
      t: e.t,
      seenBy: [...e.seenBy],
      seenAt: { ...e.seenAt },
    }));
  }

  private evict(now: number): void {
    while (this.head < this.order.length) {
      const e = this.order[this.head];
      const expired = e.released && now - e.arrived > this.mergeWindowMs;
      const over = this.order.length - this.head > this.maxEntries;
      // Pending entries are never forgotten here: the caller's next drain releases them.
      if (!expired && !(over && e.released)) break;
      const list = this.byKey.get(e.key);
      if (list) {
        const i = list.indexOf(e);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.byKey.delete(e.key);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
