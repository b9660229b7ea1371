/**
 * The call list's columns: per-call measures derived from a `CallSummary` (setup time, ring
 * time, ack latency statistics, …), and sorting by any column. Pure.
 */
import type { CallSummary } from "../trace/calls";
import { timerPrecisionMs } from "./precision";

/** The measured values of one call, as the call list shows them. */
export interface CallMetrics {
  /** Offer → first accept, ms (answered calls only). */
  setupMs?: number;
  /**
   * How long the callee's device rang, ms: from its first ringing signal (the first
   * `preaccept` or offer receipt) to the first `accept`, `reject` or `terminate`.
   */
  ringMs?: number;
  /** Ack latency over the call's stanzas: min, median, max, ms. */
  ackMin?: number;
  ackMedian?: number;
  ackMax?: number;
  /** How many stanzas had an ack latency. */
  ackCount: number;
  /** Some ack came before the stanza it answers. */
  negativeAck: boolean;
  /** The timer precision of the call's capture times, ms (precision.ts; absent when finer or unknown). */
  precisionMs?: number;
}

/** The median of a non-empty sorted list. */
export function median(sorted: readonly number[]): number | undefined {
  if (!sorted.length) return undefined;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

const metricsCache = new WeakMap<CallSummary, CallMetrics>();

/** The measures of one call (cached per summary object). */
export function callMetrics(call: CallSummary): CallMetrics {
  const hit = metricsCache.get(call);
  if (hit) return hit;
  let offerT: number | undefined;
  let acceptT: number | undefined;
  let ringStart: number | undefined;
  let endOfRing: number | undefined;
  const acks: number[] = [];
  let negativeAck = false;
  for (const e of call.entries) {
    const v = e.view;
    const t = e.stanza.t;
    if (e.ackLatencyMs !== undefined) acks.push(e.ackLatencyMs);
    if (e.negative) negativeAck = true;
    if (v.kind === "receipt" && v.child === "offer" && ringStart === undefined) ringStart = t;
    if (v.kind !== "call") continue;
    if ((v.action === "offer" || v.action === "offer_notice") && offerT === undefined) offerT = t;
    else if (v.action === "preaccept" && (ringStart === undefined || t < ringStart)) ringStart = t;
    else if (v.action === "accept" && acceptT === undefined) acceptT = t;
    if (
      endOfRing === undefined &&
      (v.action === "accept" || v.action === "reject" || v.action === "terminate")
    )
      endOfRing = t;
  }
  acks.sort((a, b) => a - b);
  const m: CallMetrics = { ackCount: acks.length, negativeAck };
  if (offerT !== undefined && acceptT !== undefined) m.setupMs = acceptT - offerT;
  if (ringStart !== undefined && endOfRing !== undefined && endOfRing >= ringStart)
    m.ringMs = endOfRing - ringStart;
  if (acks.length) {
    m.ackMin = acks[0];
    m.ackMax = acks[acks.length - 1];
    m.ackMedian = median(acks);
  }
  const precision = timerPrecisionMs(call.entries.map((e) => e.stanza.t));
  if (precision !== undefined) m.precisionMs = precision;
  metricsCache.set(call, m);
  return m;
}

/** Sortable call-list columns. */
export type CallColumn =
  | "start"
  | "duration"
  | "direction"
  | "peer"
  | "media"
  | "state"
  | "reason"
  | "setup"
  | "ring"
  | "offerAck"
  | "ackMin"
  | "ackMedian"
  | "ackMax"
  | "stanzas"
  | "findings";

/** Header text and tooltip of each column, in display order. */
export const CALL_COLUMNS: readonly { key: CallColumn; label: string; title: string }[] = [
  { key: "start", label: "Start", title: "Capture time of the call's first stanza" },
  { key: "duration", label: "Duration", title: "First to last captured stanza" },
  { key: "direction", label: "Dir", title: "Outgoing (this device sent the offer) or incoming" },
  { key: "peer", label: "Peer", title: "The other party (pseudonymised when the switch is on)" },
  { key: "media", label: "Media", title: "Audio or video, from the offer" },
  { key: "state", label: "State", title: "Final state as this device saw it" },
  { key: "reason", label: "Reason", title: "terminate/reject reason" },
  { key: "setup", label: "Setup", title: "Offer → accept" },
  {
    key: "ring",
    label: "Ring",
    title: "Callee's first ringing signal (preaccept or offer receipt) → accept, reject or terminate",
  },
  { key: "offerAck", label: "Offer ack", title: "Ack latency of the offer" },
  { key: "ackMin", label: "Ack min", title: "Smallest ack latency of the call" },
  { key: "ackMedian", label: "Ack med", title: "Median ack latency of the call" },
  { key: "ackMax", label: "Ack max", title: "Largest ack latency of the call" },
  { key: "stanzas", label: "Stanzas", title: "Captured stanzas of the call, acks and receipts included" },
  { key: "findings", label: "Findings", title: "Rule-check findings (stanza and whole-call checks)" },
];

/** Sort order of the call list. */
export interface CallSort {
  column: CallColumn;
  descending: boolean;
}

/** What sorting needs besides the summary: the peer label and the findings count (when known). */
export interface SortContext {
  peerLabel(call: CallSummary): string;
  findings(call: CallSummary): number | undefined;
}

function sortValue(call: CallSummary, column: CallColumn, ctx: SortContext): number | string | undefined {
  switch (column) {
    case "start":
      return call.startT;
    case "duration":
      return call.durationMs;
    case "direction":
      return call.direction;
    case "peer":
      return ctx.peerLabel(call);
    case "media":
      return call.media;
    case "state":
      return call.state;
    case "reason":
      return call.reason;
    case "setup":
      return callMetrics(call).setupMs;
    case "ring":
      return callMetrics(call).ringMs;
    case "offerAck":
      return call.offerAckLatencyMs;
    case "ackMin":
      return callMetrics(call).ackMin;
    case "ackMedian":
      return callMetrics(call).ackMedian;
    case "ackMax":
      return callMetrics(call).ackMax;
    case "stanzas":
      return call.entries.length;
    case "findings":
      return ctx.findings(call);
  }
}

/**
 * Sorts calls by a column (a stable sort; ties keep start order). Calls without a value go
 * last in both directions, as in DevTools' Network panel.
 * @returns a new array.
 */
export function sortCalls(calls: readonly CallSummary[], sort: CallSort, ctx: SortContext): CallSummary[] {
  const keyed = calls.map((c, i) => ({ c, i, v: sortValue(c, sort.column, ctx) }));
  const dir = sort.descending ? -1 : 1;
  keyed.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    if (av === undefined || bv === undefined) {
      if (av === bv) return a.i - b.i;
      return av === undefined ? 1 : -1;
    }
    const cmp =
      typeof av === "number" && typeof bv === "number" ? av - bv : String(av).localeCompare(String(bv));
    return cmp * dir || a.i - b.i;
  });
  return keyed.map((k) => k.c);
}
