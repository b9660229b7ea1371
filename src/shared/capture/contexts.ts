/**
 * One stream from two capture contexts. With deep capture on, WhatsApp's page and its comms
 * worker each run their own taps (wa-web-capture.md §6): the worker's see every stanza on the
 * wire, the page's see those the worker hands over (inbound bytes decoded with
 * `WAWap.decodeStanza`, outbound nodes encoded with `encodeStanza`). The same stanza thus
 * reaches the background twice, by two routes and a few ms to ~150 ms apart. This module marks
 * the worker's drafts (`worker:` tap names) and merges the two copies of a stanza into one
 * entry, keyed like the in-context dedupe (direction, tag, id, content hash), with every tap
 * that saw it and the time nearest the wire. Pure; no timers (the caller drains).
 */
import { fromPortable } from "../codec/node";
import type { BaseTapName, CapturedStanzaDraft, Direction, TapName } from "../trace/types";
import { dedupeKey, errorDedupeKey } from "./dedupe";

/** Where a draft was captured: the page's main thread or a worker (deep capture). */
export type CaptureContext = "page" | "worker";

/** A worker tap's name as the merged stream shows it: `transport` → `worker:transport`. */
export function workerTapName(tap: TapName): TapName {
  return tap.startsWith("worker:") ? tap : (`worker:${tap as BaseTapName}` as TapName);
}

/**
 * A worker tap's draft with its tap names marked `worker:` (`tap`, `seenBy`, `seenAt` keys).
 * @returns a new draft; `draft` is not changed.
 */
export function asWorkerDraft(draft: CapturedStanzaDraft): CapturedStanzaDraft {
  const out: CapturedStanzaDraft = { ...draft, tap: workerTapName(draft.tap) };
  if (draft.seenBy) out.seenBy = draft.seenBy.map(workerTapName);
  if (draft.seenAt) {
    const seenAt: Partial<Record<TapName, number>> = {};
    for (const [tap, t] of Object.entries(draft.seenAt)) seenAt[workerTapName(tap as TapName)] = t;
    out.seenAt = seenAt;
  }
  return out;
}

/**
 * The merge key of a draft: `direction|tag|id|hash` of its node (as the in-context dedupe),
 * or of its error's hex for a stanza that could not be read.
 */
export function draftKey(draft: CapturedStanzaDraft): string {
  if (draft.node) return dedupeKey(draft.direction, fromPortable(draft.node));
  const e = draft.error;
  return errorDedupeKey(draft.direction, "(error)", undefined, `${e?.message ?? ""}|${e?.hex ?? ""}`);
}

/**
 * Merges two copies of one stanza seen in different contexts. `t` is the time nearest the
 * wire, as in one context (trace/types.ts `CapturedStanza.t`): for `in` the earlier copy's, for
 * `out` the later one's; `tap` is the earliest observer; `seenBy` lists every tap by time.
 */
export function mergeDrafts(a: CapturedStanzaDraft, b: CapturedStanzaDraft): CapturedStanzaDraft {
  const seenAt: Partial<Record<TapName, number>> = {};
  for (const d of [a, b]) {
    if (d.seenAt) Object.assign(seenAt, d.seenAt);
    for (const tap of d.seenBy ?? [d.tap]) seenAt[tap] ??= d.t;
    seenAt[d.tap] ??= d.t;
  }
  const seenBy = (Object.keys(seenAt) as TapName[]).sort(
    (x, y) => (seenAt[x] as number) - (seenAt[y] as number),
  );
  const t = nearestWire(a.direction, a.t, b.t);
  const out: CapturedStanzaDraft = { direction: a.direction, t, tap: seenBy[0], seenBy, seenAt };
  const node = a.node ?? b.node;
  if (node) out.node = node;
  else if (a.error ?? b.error) out.error = a.error ?? b.error;
  return out;
}

const nearestWire = (direction: Direction, x: number, y: number): number =>
  direction === "in" ? Math.min(x, y) : Math.max(x, y);

/** Options of {@link ContextMerger}. */
export interface ContextMergerOptions {
  /**
   * How long a draft waits for its copy from the other context, ms (default 300), as long as the
   * other context's stream has caught up with it (see {@link ContextMerger}).
   */
  holdMs?: number;
  /** How long a draft waits at most while the other context's stream lags behind it, ms (default 3000). */
  maxHoldMs?: number;
  /** How long after release a late copy is still recognised (and dropped), ms (default 5000). */
  lateWindowMs?: number;
  /** Most released keys remembered for late copies (default 4096). */
  maxRemembered?: number;
}

interface Pending {
  key: string;
  draft: CapturedStanzaDraft;
  contexts: Set<CaptureContext>;
  arrived: number;
  /** Caller's numbers of the offers merged into this entry (e.g. relay message numbers). */
  marks?: number[];
}

/** Counts of what the merger did. */
export interface MergeCounts {
  /** Stanzas seen in both contexts and merged into one entry before release. */
  merged: number;
  /** Copies that arrived after their stanza was released, and were dropped. */
  late: number;
}

/**
 * Holds drafts from the page and from workers so that the two copies of a stanza become one
 * entry; a draft is released as soon as both contexts have seen it. A second draft with the same
 * key from the SAME context is a real repeat (WA re-sends a pending `<call>` after a reconnect)
 * and gets its own entry. Release keeps arrival order.
 *
 * A draft seen by one context waits `holdMs`; a page draft waits longer while the worker's stream
 * lags behind it: until the worker has sent a draft captured at or after this one's capture time
 * (its copy, if any, would have come first: each context emits in capture order), at most
 * `maxHoldMs`. On a loaded machine the worker's batches (CDP binding events) can arrive hundreds
 * of ms after the page's; a fixed hold dropped their copies as late, leaving rows with only the
 * page's times (which include the page↔worker hops).
 */
export class ContextMerger {
  readonly counts: MergeCounts = { merged: 0, late: 0 };
  private readonly holdMs: number;
  private readonly maxHoldMs: number;
  private readonly lateWindowMs: number;
  /** The latest capture time each context has sent (its stream's watermark), ms. */
  private readonly latest = new Map<CaptureContext, number>();
  private readonly maxRemembered: number;
  private pending: Pending[] = [];
  /** Released keys → contexts that saw them and when, for late copies. */
  private readonly released = new Map<string, { contexts: Set<CaptureContext>; at: number }>();

  constructor(options: ContextMergerOptions = {}) {
    this.holdMs = options.holdMs ?? 300;
    this.maxHoldMs = Math.max(this.holdMs, options.maxHoldMs ?? 3000);
    this.lateWindowMs = options.lateWindowMs ?? 5000;
    this.maxRemembered = options.maxRemembered ?? 4096;
  }

  /** Drafts waiting for their copy. */
  get waiting(): number {
    return this.pending.length;
  }

  /** The smallest mark of a draft still waiting (see {@link offer}), or `undefined`. */
  get minHeldMark(): number | undefined {
    let min: number | undefined;
    for (const p of this.pending) for (const m of p.marks ?? []) if (min === undefined || m < min) min = m;
    return min;
  }

  /** When the oldest waiting draft is due (arrival clock, ms), or `undefined` when none waits. */
  get nextDue(): number | undefined {
    const p = this.pending[0];
    if (!p) return undefined;
    return p.arrived + (this.caughtUp(p) ? this.holdMs : this.maxHoldMs);
  }

  /**
   * Whether a page draft may stop waiting for the worker: the worker's stream has passed its
   * capture time. Only page drafts wait so: the worker sees every wire stanza and the page a
   * subset, so a worker draft often has no page copy, and a late page copy loses nothing (the
   * worker's time is the one nearest the wire).
   */
  private caughtUp(p: Pending): boolean {
    if (!p.contexts.has("page")) return true;
    const worker = this.latest.get("worker");
    return worker === undefined || worker >= p.draft.t;
  }

  /**
   * Offers one draft.
   * @param now arrival time, ms (any monotonic clock, the same for every call).
   * @param mark the caller's number for this offer (e.g. its relay message number), reported
   *   by {@link minHeldMark} while the draft waits.
   * @returns `new`, `merged` (joined its copy from the other context), or `late` (its copy was
   *   already released: dropped, counted in {@link counts}).
   */
  offer(
    draft: CapturedStanzaDraft,
    context: CaptureContext,
    now: number,
    mark?: number,
  ): "new" | "merged" | "late" {
    const key = draftKey(draft);
    const latest = this.latest.get(context);
    if (latest === undefined || draft.t > latest) this.latest.set(context, draft.t);
    for (const p of this.pending) {
      if (p.key !== key || p.contexts.has(context)) continue;
      p.draft = mergeDrafts(p.draft, draft);
      p.contexts.add(context);
      if (mark !== undefined) p.marks = [...(p.marks ?? []), mark];
      this.counts.merged++;
      return "merged";
    }
    const done = this.released.get(key);
    if (done && !done.contexts.has(context) && now - done.at <= this.lateWindowMs) {
      done.contexts.add(context);
      this.counts.late++;
      return "late";
    }
    this.pending.push({
      key,
      draft,
      contexts: new Set([context]),
      arrived: now,
      ...(mark !== undefined ? { marks: [mark] } : {}),
    });
    return "new";
  }

  /**
   * Releases, in arrival order, every draft seen by both contexts or held long enough (see the
   * class comment; every waiting draft with `all`), up to the first one that must still wait.
   */
  drain(now: number, all = false): CapturedStanzaDraft[] {
    let n = 0;
    while (n < this.pending.length) {
      const p = this.pending[n];
      const age = now - p.arrived;
      const due = age >= this.maxHoldMs || (age >= this.holdMs && this.caughtUp(p));
      if (!all && p.contexts.size < 2 && !due) break;
      n++;
    }
    if (n === 0) return [];
    const out = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    for (const p of out) {
      this.released.delete(p.key);
      this.released.set(p.key, { contexts: p.contexts, at: now });
    }
    this.forget(now);
    return out.map((p) => p.draft);
  }

  private forget(now: number): void {
    for (const [key, r] of this.released) {
      if (now - r.at <= this.lateWindowMs && this.released.size <= this.maxRemembered) break;
      this.released.delete(key);
    }
  }
}
