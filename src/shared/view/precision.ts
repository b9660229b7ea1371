/**
 * The precision of the browser's timers, as the capture times show it, and durations written
 * with no more digits than that precision. Browsers coarsen `performance.now()` against timing
 * attacks: Chromium (Chrome, Edge) to 100 µs on a page that is not cross-origin isolated, Firefox
 * to 1 ms (`privacy.reduceTimerPrecision`). A tap's capture times are `timeOrigin + now()`
 * (tap/capture.ts), so their differences (latencies, durations) are whole multiples of that
 * step, and the trace itself tells the precision: no tap field needed, and imported traces
 * keep theirs. Pure.
 */

/** The steps told apart, coarsest first, ms: Firefox's 1 ms, Chromium's 100 µs. */
const STEPS = [1, 0.1] as const;

/**
 * Fewest distinct differences before a step is believed: with fewer, a finer clock could match
 * a coarse step by chance (all of 4 differences whole ms under a 100 µs clock: 1 in 10⁴).
 */
export const MIN_PRECISION_SAMPLES = 4;

/**
 * Slack for float error, ms: epoch-ms times near 1.7·10¹² carry about 2.4·10⁻⁴ ms of rounding,
 * far below the 0.1 ms step.
 */
const SLACK_MS = 0.01;

/**
 * The timer precision of capture times `times` (epoch ms, any order), ms: `1` when every
 * difference from the first time is a whole millisecond (Firefox), `0.1` when a whole number of
 * 100 µs (Chromium), `undefined` when finer (a cross-origin-isolated page, or times from several
 * clocks, e.g. page and worker) or when fewer than {@link MIN_PRECISION_SAMPLES} times differ
 * from the first.
 */
export function timerPrecisionMs(times: readonly number[]): number | undefined {
  if (times.length === 0) return undefined;
  const t0 = times[0];
  const diffs: number[] = [];
  for (const t of times) if (Math.abs(t - t0) > SLACK_MS) diffs.push(Math.abs(t - t0));
  if (diffs.length < MIN_PRECISION_SAMPLES) return undefined;
  return STEPS.find((step) =>
    diffs.every((d) => {
      const r = d / step;
      return Math.abs(r - Math.round(r)) * step <= SLACK_MS;
    }),
  );
}

/**
 * Digits after the decimal point of a millisecond value at timer precision `precisionMs`: 0 for
 * 1 ms, 1 for 100 µs or an unknown precision (the panel's finest display step).
 */
export function msDecimals(precisionMs: number | undefined): number {
  return precisionMs !== undefined && precisionMs >= 1 ? 0 : 1;
}

/**
 * A duration for the panel (latency, delay, call length): `12.3 ms`, or `12 ms` at a 1 ms
 * precision; `1.24 s` from 1 s up and `12.3 s` from 10 s up (coarser than any timer); `—`
 * when undefined or NaN.
 * @param precisionMs the timer precision of the times it was computed from ({@link timerPrecisionMs}).
 */
export function durationText(ms: number | undefined, precisionMs?: number): string {
  if (ms === undefined || Number.isNaN(ms)) return "—";
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(msDecimals(precisionMs))} ms`;
}
