/**
 * The ladder's and the stanza table's time column: absolute clock time, time relative to
 * the offer, delta from the previous row, or delta from the selected row. Rows stay in
 * capture order; a time that goes backwards is flagged, never hidden or re-sorted.
 */

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

/** A signed duration in ms: `+12.3 ms`, `−4.0 ms` (seconds from 10 s up). */
export function signedMs(ms: number): string {
  const sign = ms < 0 ? "−" : "+";
  const a = Math.abs(ms);
  return a >= 10_000 ? `${sign}${(a / 1000).toFixed(3)} s` : `${sign}${a.toFixed(1)} ms`;
}

/** The reference times a column needs. */
export interface TimeContext {
  /** Time of the (first) offer, else of the first row. */
  offerT: number;
  /** Time of the selected row, when one is selected. */
  selectedT?: number;
}

/**
 * Computes the time cells of rows in capture order.
 * @param times capture times of the rows, in capture (`seq`) order.
 */
export function timeCells(times: readonly number[], mode: TimeMode, ctx: TimeContext): TimeCell[] {
  const out: TimeCell[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const prev = i > 0 ? times[i - 1] : undefined;
    const backwards = prev !== undefined && t < prev;
    let text: string;
    let negative = false;
    switch (mode) {
      case "absolute":
        text = clockText(t);
        break;
      case "offer":
        negative = t - ctx.offerT < 0;
        text = signedSeconds(t - ctx.offerT);
        break;
      case "delta":
        negative = prev !== undefined && t - prev < 0;
        text = prev === undefined ? signedMs(0) : signedMs(t - prev);
        break;
      default:
        if (ctx.selectedT === undefined) text = clockText(t);
        else text = signedMs(t - ctx.selectedT);
        break;
    }
    out.push({ text, backwards, negative });
  }
  return out;
}
