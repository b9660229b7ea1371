/**
 * Fixed-height row virtualisation for the panel's tables, on `@tanstack/virtual-core`:
 * only the rows in view (plus overscan) are in the DOM, so 100,000 rows scroll smoothly.
 */
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
  Virtualizer,
} from "@tanstack/virtual-core";
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";

/** What {@link useVirtualRows} gives a table. */
export interface VirtualRows {
  /** Attach to the scrolling element. */
  scrollRef: { current: HTMLDivElement | null };
  /** Index range to render. */
  items: { index: number; start: number }[];
  /** Height of all rows, px. */
  totalSize: number;
  /** Scrolls so that a row is visible. */
  scrollToIndex(index: number): void;
}

/** Rows rendered when the scroll element has no size yet (tests, hidden panels). */
const FALLBACK_ROWS = 60;

/**
 * Virtualises `count` rows of `rowHeight` px inside a scrolling div.
 * @param overscan extra rows rendered above and below the viewport.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 12): VirtualRows {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The instance lives as long as the component; options are updated below.
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, Element>({
        count,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => rowHeight,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        overscan,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({
    ...virtualizer.options,
    count,
    estimateSize: () => rowHeight,
    overscan,
  });
  useEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  const height = virtualizer.scrollRect?.height ?? 0;
  let items: { index: number; start: number }[];
  if (height > 0) {
    items = virtualizer.getVirtualItems().map((v: VirtualItem) => ({ index: v.index, start: v.start }));
  } else {
    items = [];
    for (let i = 0; i < Math.min(count, FALLBACK_ROWS); i++) items.push({ index: i, start: i * rowHeight });
  }
  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el || index < 0) return;
      const top = index * rowHeight;
      const header = rowHeight; // sticky header row
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight + header > el.scrollTop + el.clientHeight)
        el.scrollTop = top + rowHeight + header - el.clientHeight;
    },
    [rowHeight],
  );
  return { scrollRef, items, totalSize: count * rowHeight, scrollToIndex };
}
