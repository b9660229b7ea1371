/**
 * Keys for lists whose items have no id: each item's key is made of what it shows, and items
 * that show the same get `#2`, `#3`, … in order. Unlike array indices, such keys stay with their
 * item when items are added or removed before it.
 */

/**
 * The items with unique keys.
 * @param keyOf what identifies an item's content (e.g. rule, seq and message of a finding).
 * @returns `{ key, item }` per item, in order; the first of equal keys keeps the bare key.
 */
export function keyed<T>(items: readonly T[], keyOf: (item: T) => string): { key: string; item: T }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = keyOf(item);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base}#${n}`, item };
  });
}
