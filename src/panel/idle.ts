/**
 * Background work of the panel in idle slices, so that it never makes a long task: rule-check
 * findings are counted per call, stanza by stanza (the checks cost milliseconds per call;
 * the call list shows "…" until a call is counted). Calls on screen are counted first.
 */
import type { CallSummary } from "../shared/trace/calls";
import { callFindings, stanzaFindings } from "../shared/view/inspect";

/** Longest slice of idle work, ms. */
const SLICE_MS = 8;

type IdleHandle = { cancel(): void };

function onIdle(fn: (remaining: () => number) => void): IdleHandle {
  const ric = (globalThis as { requestIdleCallback?: typeof requestIdleCallback }).requestIdleCallback;
  if (ric) {
    const id = ric((d) => fn(() => Math.min(SLICE_MS, d.timeRemaining())), { timeout: 300 });
    return { cancel: () => cancelIdleCallback(id) };
  }
  const id = setTimeout(() => fn(() => SLICE_MS), 30);
  return { cancel: () => clearTimeout(id) };
}

/** Counts findings in idle time; tells `onUpdate` when counts changed. */
export class IdleWork {
  private readonly counts = new WeakMap<CallSummary, number>();
  private pending: CallSummary[] = [];
  /** Next entry of `pending[0]` whose stanza checks are still to run. */
  private entry = 0;
  private handle?: IdleHandle;
  private lastNotify = 0;
  private dirty = false;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private lastCount = 0;
  private deferred?: [readonly CallSummary[], readonly CallSummary[]];
  private deferredTimer?: ReturnType<typeof setTimeout>;

  /** @param onUpdate called (at most every 250 ms) when new findings counts are known. */
  constructor(private readonly onUpdate: () => void) {}

  /** The findings count of a call, when already known. */
  findings(call: CallSummary): number | undefined {
    return this.counts.get(call);
  }

  /**
   * Queues counting: `priority` calls (on screen) first, then the rest. Rebuilding the queue
   * costs O(calls), so while live updates pour in it happens at most every 500 ms.
   */
  update(calls: readonly CallSummary[], priority: readonly CallSummary[]): void {
    const now = performance.now();
    const grew = calls.length !== this.lastCount;
    this.lastCount = calls.length;
    if (now - this.lastUpdate < 500 && !(grew && this.pending.length === 0)) {
      this.deferred = [calls, priority];
      this.deferredTimer ??= setTimeout(() => {
        this.deferredTimer = undefined;
        const d = this.deferred;
        this.deferred = undefined;
        if (d) this.update(d[0], d[1]);
      }, 500);
      return;
    }
    this.lastUpdate = now;
    const missing = (c: CallSummary) => !this.counts.has(c);
    const head = this.pending[0];
    const next = [...new Set([...priority.filter(missing), ...calls.filter(missing)])];
    if (next[0] !== head) this.entry = 0;
    this.pending = next;
    this.schedule();
  }

  /** Stops all idle work. */
  dispose(): void {
    if (this.deferredTimer !== undefined) clearTimeout(this.deferredTimer);
    this.handle?.cancel();
    this.handle = undefined;
  }

  private step(): void {
    const c = this.pending[0];
    if (this.counts.has(c)) {
      this.pending.shift();
      this.entry = 0;
      return;
    }
    if (this.entry < c.entries.length) {
      stanzaFindings(c.entries[this.entry++].stanza);
      return;
    }
    this.counts.set(c, callFindings(c).length);
    this.pending.shift();
    this.entry = 0;
    this.dirty = true;
  }

  private schedule(): void {
    if (this.handle || this.pending.length === 0) return;
    this.handle = onIdle((remaining) => {
      this.handle = undefined;
      const end = performance.now() + Math.max(2, remaining());
      while (this.pending.length && performance.now() < end) this.step();
      const more = this.pending.length > 0;
      if (this.dirty && (performance.now() - this.lastNotify > 250 || !more)) {
        this.dirty = false;
        this.lastNotify = performance.now();
        this.onUpdate();
      }
      if (more) this.schedule();
    });
  }
}
