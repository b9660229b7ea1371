/** Formatting helpers for the panel (pure). */
import { withoutDeepCapture } from "../shared/capture/health";
import { durationText } from "../shared/view/precision";

/**
 * A capture-health hint as this build shows it: in the Firefox build, which has no deep
 * capture, its "enable deep capture" remedy says what would be needed instead.
 */
export function hintText(message: string): string {
  return import.meta.env.MODE === "firefox" ? withoutDeepCapture(message) : message;
}

/**
 * `12.3 ms`, `1.24 s`; `—` when undefined. With `precisionMs` (the timer precision of the
 * times it came from: shared/view/precision.ts), no more digits than the browser gave, e.g.
 * `12 ms` at Firefox's 1 ms.
 */
export function formatMs(ms: number | undefined, precisionMs?: number): string {
  return durationText(ms, precisionMs);
}
