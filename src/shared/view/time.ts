/**
 * The ladder's and the stanza table's time column: absolute clock time, time relative to
 * the offer, delta from the previous row, or delta from the selected row. Rows stay in
 * capture order; a time that goes backwards is flagged, never hidden or re-sorted.
 */
import type { CallSummary } from "../trace/calls";
import { msDecimals } from "./precision";

/** Time column modes. */
export type TimeMode = "absolute" | "offer" | "delta" | "selected";

/** Labels of the modes, for the switch. */
export const TIME_MODE_LABEL: Record<TimeMode, string> = {
  absolute: "Absolute",
  offer: "Since offer",
  delta: "Δ previous",
  selected: "Δ selected",
};

/** What one time cell shows. */
export interface TimeCell {
  text: string;
  /** The row's capture time is earlier than the previous row's (clock or capture-order anomaly). */
  backwards: boolean;
  /** The shown value is negative (e.g. a row before the selected one is not flagged; a negative delta from the previous row is). */
  negative: boolean;
}

/** Wall-clock time with milliseconds, `HH:MM:SS.mmm`, from epoch ms (local time). */
export function clockText(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A signed duration in seconds with ms precision: `+1.234 s`, `−0.002 s`. */
export function signedSeconds(ms: number): string {
  return `${ms < 0 ? "−" : "+"}${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

/**
 * A signed duration in ms: `+12.3 ms`, `−4.0 ms` (seconds from 10 s up); `+12 ms` at a 1 ms
 * timer precision (`precisionMs`, precision.ts).
 */
export function signedMs(ms: number, precisionMs?: number): string {
  const sign = ms < 0 ? "−" : "+";
  const a = Math.abs(ms);
  return a >= 10_000
    ? `${sign}${(a / 1000).toFixed(3)} s`
    : `${sign}${a.toFixed(msDecimals(precisionMs))} ms`;
}

/** The reference times a column needs. */
export interface TimeContext {
  /** Time of the (first) offer, else of the first row. */
  offerT: number;
  /** Time of the selected row, when one is selected. */
  selectedT?: number;
  /** The timer precision of the times, ms (precision.ts): deltas get no more digits than it. */
  precisionMs?: number;
}

/**
 * The time cell of one row.
 * @param t the row's capture time, epoch ms.
 * @param prev the capture time of the row before it, if any.
 */
export function timeCell(t: number, prev: number | undefined, mode: TimeMode, ctx: TimeContext): TimeCell {
  const backwards = prev !== undefined && t < prev;
  switch (mode) {
    case "absolute":
      return { text: clockText(t), backwards, negative: false };
    case "offer":
      return { text: signedSeconds(t - ctx.offerT), backwards, negative: t - ctx.offerT < 0 };
    case "delta":
      return {
        text: signedMs(prev === undefined ? 0 : t - prev, ctx.precisionMs),
        backwards,
        negative: backwards,
      };
    default:
      return {
        text: ctx.selectedT === undefined ? clockText(t) : signedMs(t - ctx.selectedT, ctx.precisionMs),
        backwards,
        negative: false,
      };
  }
}

/**
 * Computes the time cells of rows in capture order.
 * @param times capture times of the rows, in capture (`seq`) order.
 */
export function timeCells(times: readonly number[], mode: TimeMode, ctx: TimeContext): TimeCell[] {
  return times.map((t, i) => timeCell(t, i > 0 ? times[i - 1] : undefined, mode, ctx));
}

/** What {@link tableTime} needs of the session besides the rows. */
export interface TableTimeContext {
  /** The time "since offer" counts from for a call, epoch ms (see {@link offerTime}); `undefined` for an unknown call. */
  offerT(callId: string): number | undefined;
  /** Time of the selected row, when one is selected. */
  selectedT?: number;
  /** The timer precision of the rows' times, ms (precision.ts): deltas get no more digits than it. */
  precisionMs?: number;
}

/** The time a call's "since offer" column counts from: its first `offer`, else its first stanza (epoch ms). */
export function offerTime(call: Pick<CallSummary, "entries">): number {
  const o = call.entries.find((e) => e.view.kind === "call" && e.view.action === "offer");
  return (o ?? call.entries[0]).stanza.t;
}

/**
 * The stanza table's time cell of row `i` (computed for visible rows only). Unlike the ladder,
 * the table mixes calls: "since offer" counts from the row's own call's offer, and rows without a
 * call count from the first shown row.
 * @param rows the shown rows, in capture order; `i` must be an index into them.
 */
export function tableTime(
  rows: readonly { t: number; callId?: string }[],
  i: number,
  mode: TimeMode,
  ctx: TableTimeContext,
): TimeCell {
  const r = rows[i];
  const prev = i > 0 ? rows[i - 1].t : undefined;
  // Only "since offer" needs the call's offer (a lookup): the other modes skip it.
  const offerT = mode === "offer" ? ((r.callId ? ctx.offerT(r.callId) : undefined) ?? rows[0].t) : 0;
  return timeCell(r.t, prev, mode, { offerT, selectedT: ctx.selectedT, precisionMs: ctx.precisionMs });
}
