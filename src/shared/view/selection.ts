/**
 * The call list's selection: click replaces, Ctrl/⌘+click toggles, Shift+click selects the
 * range from the anchor (the last call selected) in list order. Pure.
 */

/** How a click changes the selection. */
export type SelectMode = "replace" | "toggle" | "range";

/**
 * The selection after a click on `callId`.
 * @param prev the selected call-ids that still exist, in selection order (the last is the anchor).
 * @param order the call-ids in list order (a range runs along it).
 * @param anchor the anchor when nothing is selected (e.g. the call the ladder shows).
 * @returns the new selection; a range ends at `callId`, so that it becomes the next anchor.
 */
export function nextSelection(
  prev: readonly string[],
  callId: string,
  mode: SelectMode,
  order: readonly string[],
  anchor?: string,
): string[] {
  if (mode === "replace") return [callId];
  if (mode === "toggle") return prev.includes(callId) ? prev.filter((x) => x !== callId) : [...prev, callId];
  const from = prev[prev.length - 1] ?? anchor;
  const a = from === undefined ? -1 : order.indexOf(from);
  const b = order.indexOf(callId);
  if (a < 0 || b < 0) return [callId];
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const range = order.slice(lo, hi + 1);
  return b < a ? range.reverse() : range;
}
