/** Formatting helpers for the panel (pure). */
import { durationText } from "../shared/view/precision";

/**
 * `12.3 ms`, `1.24 s`; `—` when undefined. With `precisionMs` (the timer precision of the
 * times it came from: shared/view/precision.ts), no more digits than the browser gave, e.g.
 * `12 ms` at Firefox's 1 ms.
 */
export function formatMs(ms: number | undefined, precisionMs?: number): string {
  return durationText(ms, precisionMs);
}
