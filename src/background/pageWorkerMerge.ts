/**
 * The page/worker merge of the background: while deep capture is on, a tab's stanzas reach the
 * background twice (from the page's taps and from the comms worker's), so each one first waits
 * up to `holdMs` for its copy from the other context and is stored once
 * (shared/capture/contexts.ts `ContextMerger`, which is pure; this module owns its timers).
 * The lowest relay number still held is the watermark below which the store may acknowledge
 * the relay ({@link PageWorkerMerges.heldFrom}). Pure TypeScript; clock and timers are injected.
 */
import { type CaptureContext, ContextMerger } from "../shared/capture/contexts";
import type { CapturedStanzaDraft, DeepCaptureHealth } from "../shared/trace/types";
import { type Clock, clockOf } from "./clock";

/** Clock, timers and hold time of the merge (injected so that tests run on a manual clock). */
export interface MergeOptions {
  /** Monotonic ms clock (default `performance.now`). */
  now?: () => number;
  setTimer?: Clock["setTimer"];
  clearTimer?: Clock["clearTimer"];
  /** How long a stanza waits for its copy from the other context with deep capture on, ms (default 300). */
  mergeHoldMs?: number;
}

/** A tab's merge, with the timer armed for its next due stanza. */
interface MergeState {
  merger: ContextMerger;
  timer?: ReturnType<typeof setTimeout>;
  due?: number;
}

/** Stores drafts the merge released, in order; settles once they are durable. */
export type ReleaseSink = (tabId: number, drafts: CapturedStanzaDraft[]) => Promise<void>;

/** The page/worker merges of the tabs with deep capture on (or just switched off). */
export class PageWorkerMerges {
  private readonly merges = new Map<number, MergeState>();
  private readonly clock: Clock;
  private readonly holdMs: number;

  /**
   * @param release where released drafts go (the store's ordered writes).
   * @param options clock, timers and hold time.
   */
  constructor(
    private readonly release: ReleaseSink,
    options: MergeOptions = {},
  ) {
    this.clock = clockOf(options, () => performance.now());
    this.holdMs = options.mergeHoldMs ?? 300;
  }

  /** Whether the tab's stanzas go through a merge. */
  has(tabId: number): boolean {
    return this.merges.has(tabId);
  }

  /** Starts the tab's merge (deep capture on or switching on); a running one is kept. */
  start(tabId: number): void {
    if (!this.merges.has(tabId))
      this.merges.set(tabId, { merger: new ContextMerger({ holdMs: this.holdMs }) });
  }

  /** Ends the tab's merge (deep capture off): what it holds is released at once. */
  stop(tabId: number): void {
    void this.flush(tabId, true);
    this.merges.delete(tabId);
  }

  /**
   * Offers one stanza draft of `context` to the tab's merge (started if there is none: a worker
   * stanza after deep capture went off, its last batch, is merged anyway).
   * @param seq the page stanza's relay number, held back from acknowledgement while it waits.
   * @returns a promise that settles once what this offer released is durable.
   */
  offer(tabId: number, draft: CapturedStanzaDraft, context: CaptureContext, seq?: number): Promise<void> {
    this.start(tabId);
    this.merges.get(tabId)?.merger.offer(draft, context, this.clock.now(), seq);
    return this.flush(tabId, false);
  }

  /**
   * Releases what is due in the tab's merge (`all`: everything it holds) to the sink, and arms
   * its timer for the next due stanza.
   */
  flush(tabId: number, all: boolean): Promise<void> {
    const m = this.merges.get(tabId);
    if (!m) return Promise.resolve();
    const out = m.merger.drain(this.clock.now(), all);
    const due = m.merger.nextDue;
    if (due !== m.due) {
      if (m.timer !== undefined) this.clock.clearTimer(m.timer);
      m.timer = undefined;
      m.due = due;
      if (due !== undefined)
        m.timer = this.clock.setTimer(
          () => {
            m.timer = undefined;
            m.due = undefined;
            void this.flush(tabId, false);
          },
          Math.max(0, due - this.clock.now()),
        );
    }
    return out.length ? this.release(tabId, out) : Promise.resolve();
  }

  /** The lowest relay number of a page stanza the tab's merge still holds (the ack watermark). */
  heldFrom(tabId: number): number | undefined {
    return this.merges.get(tabId)?.merger.minHeldMark;
  }

  /** `deep` with the tab's merge counts (`merged`, `lateCopies`), when it has a merge. */
  withCounts(tabId: number, deep: DeepCaptureHealth | undefined): DeepCaptureHealth | undefined {
    const counts = this.merges.get(tabId)?.merger.counts;
    if (!deep || !counts) return deep;
    return { ...deep, merged: counts.merged, lateCopies: counts.late };
  }
}
