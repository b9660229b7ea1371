/**
 * An incremental `buildCalls`: stanzas are added as they arrive and routed to their call
 * (by `call-id`; acks and receipts by the stanza `id` they answer, per call-signalling.md §5),
 * and only the calls that changed are summarised again, with `buildCalls` on that call's
 * own stanzas. Adding N live stanzas therefore costs O(N + size of the touched calls), not
 * O(session). The result equals `buildCalls(allStanzas)` (tested).
 */

import type { StanzaView } from "../stanza/view";
import { buildCalls, type CallSummary } from "../trace/calls";
import type { CapturedStanza } from "../trace/types";
import { type StanzaRow, searchText, toRowAndView } from "./rows";

interface Group {
  callId: string;
  stanzas: CapturedStanza[];
  summary?: CallSummary;
}

function idKey(direction: string, id: string): string {
  return `${direction}|${id}`;
}

/** The live index of one session: rows in capture order and calls, updated incrementally. */
export class SessionIndex {
  /** Every stanza as a row, in `seq` order. */
  readonly rows: StanzaRow[] = [];
  /** Changes every time the content changes (for memoisation). */
  version = 0;
  /**
   * Changes whenever rows already in the index change: reset, trim, or an earlier ack or
   * receipt joining its call late (incremental consumers must start over).
   */
  epoch = 0;
  /** How many rows could not be read. */
  errorCount = 0;
  private readonly actionsAll = new Map<string, number>();
  private readonly actionsInCalls = new Map<string, number>();
  private readonly groups = new Map<string, Group>();
  /** `direction|stanza id` of call stanzas → their call-id. */
  private readonly byStanzaId = new Map<string, string>();
  /** Acks/receipts waiting for the stanza they answer: key of that stanza → rows. */
  private readonly waiting = new Map<string, StanzaRow[]>();
  private readonly dirty = new Set<string>();
  private sorted: CallSummary[] = [];
  private orderDirty = false;
  private readonly bySeq = new Map<number, StanzaRow>();

  /** The highest `seq` added, or -1. */
  get lastSeq(): number {
    return this.rows.length ? this.rows[this.rows.length - 1].seq : -1;
  }

  /** The row of a stanza, by `seq`. */
  row(seq: number): StanzaRow | undefined {
    return this.bySeq.get(seq);
  }

  /**
   * Adds stanzas in `seq` order; stanzas at or below {@link lastSeq} are ignored (a live
   * message that the backlog already had).
   * @returns how many were added.
   */
  add(stanzas: readonly CapturedStanza[]): number {
    let n = 0;
    for (const s of stanzas) {
      if (s.seq <= this.lastSeq) continue;
      const { row, view } = toRowAndView(s);
      searchText(row); // built at ingest (a few µs), so the first text filter is a plain scan
      this.rows.push(row);
      this.bySeq.set(row.seq, row);
      this.actionsAll.set(row.action, (this.actionsAll.get(row.action) ?? 0) + 1);
      if (row.kind === "unreadable") this.errorCount++;
      row.callId = undefined;
      this.route(row, view);
      n++;
    }
    if (n) this.version++;
    return n;
  }

  /** Drops every row with `seq` below `seq` (the background's cap) and rebuilds the calls. */
  dropBelow(seq: number): void {
    if (!this.rows.length || this.rows[0].seq >= seq) return;
    const keep = this.rows.filter((r) => r.seq >= seq).map((r) => r.stanza);
    this.reset();
    this.add(keep);
  }

  /** Empties the index. */
  reset(): void {
    this.rows.length = 0;
    this.bySeq.clear();
    this.groups.clear();
    this.byStanzaId.clear();
    this.waiting.clear();
    this.dirty.clear();
    this.sorted = [];
    this.orderDirty = false;
    this.actionsAll.clear();
    this.actionsInCalls.clear();
    this.errorCount = 0;
    this.version++;
    this.epoch++;
  }

  /** Action counts for the filter chips: over every row, or only rows that belong to a call. */
  actionCounts(scope: "calls" | "all"): { action: string; count: number }[] {
    const m = scope === "all" ? this.actionsAll : this.actionsInCalls;
    return [...m].map(([action, count]) => ({ action, count })).sort((a, b) => b.count - a.count);
  }

  private route(row: StanzaRow, v: StanzaView | undefined): void {
    if (!v) return;
    if (v.kind === "call") {
      if (v.callId === undefined) return;
      this.join(v.callId, row);
      if (v.id) {
        const key = idKey(row.direction, v.id);
        if (!this.byStanzaId.has(key)) this.byStanzaId.set(key, v.callId);
        const waiters = this.waiting.get(key);
        if (waiters) {
          this.waiting.delete(key);
          for (const w of waiters) this.join(v.callId, w);
          this.epoch++;
        }
      }
      return;
    }
    if (v.kind === "ack" && v.ackClass !== "call") return;
    if (v.kind !== "ack" && v.kind !== "receipt") return;
    if (v.kind === "receipt" && v.callId) {
      this.join(v.callId, row);
      return;
    }
    if (!v.id) return;
    const target = idKey(row.direction === "in" ? "out" : "in", v.id);
    const callId = this.byStanzaId.get(target);
    if (callId !== undefined) {
      this.join(callId, row);
    } else {
      const list = this.waiting.get(target);
      if (list) list.push(row);
      else this.waiting.set(target, [row]);
    }
  }

  private join(callId: string, row: StanzaRow): void {
    row.callId = callId;
    this.actionsInCalls.set(row.action, (this.actionsInCalls.get(row.action) ?? 0) + 1);
    let g = this.groups.get(callId);
    if (!g) {
      g = { callId, stanzas: [] };
      this.groups.set(callId, g);
      this.orderDirty = true;
    }
    const list = g.stanzas;
    // Late answers (an ack captured before its stanza) are inserted in seq order.
    if (list.length && list[list.length - 1].seq > row.seq) {
      let i = list.length;
      while (i > 0 && list[i - 1].seq > row.seq) i--;
      list.splice(i, 0, row.stanza);
      this.orderDirty = true;
    } else {
      list.push(row.stanza);
    }
    this.dirty.add(callId);
  }

  /** The calls, sorted by start time, each summarised by `buildCalls` (recomputed only when changed). */
  calls(): CallSummary[] {
    if (this.dirty.size === 0 && !this.orderDirty) return this.sorted;
    for (const id of this.dirty) {
      const g = this.groups.get(id);
      if (!g) continue;
      const built = buildCalls(g.stanzas).calls.find((c) => c.callId === id);
      if (g.summary && built && g.summary.startT !== built.startT) this.orderDirty = true;
      g.summary = built;
    }
    this.dirty.clear();
    let next: CallSummary[];
    if (this.orderDirty) {
      next = [];
      for (const g of this.groups.values()) if (g.summary) next.push(g.summary);
      next.sort((a, b) => a.startT - b.startT);
      this.orderDirty = false;
    } else {
      // Same calls in the same order: swap in the fresh summaries.
      next = this.sorted.map((c) => this.groups.get(c.callId)?.summary ?? c);
    }
    this.sorted = next;
    return next;
  }

  /** The call summary of one call-id. */
  call(callId: string): CallSummary | undefined {
    if (this.dirty.has(callId)) this.calls();
    return this.groups.get(callId)?.summary;
  }

  /** Readable call-related stanzas that belong to no call (yet). */
  unpaired(): StanzaRow[] {
    return this.rows.filter((r) => r.kind !== "unreadable" && r.callId === undefined);
  }

  /** Stanzas that could not be read (a scan; use {@link errorCount} for the count). */
  errors(): StanzaRow[] {
    return this.rows.filter((r) => r.kind === "unreadable");
  }
}
