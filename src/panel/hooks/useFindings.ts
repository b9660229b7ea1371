/**
 * The call list's findings column: rule-check findings counted per call in idle time (see
 * {@link IdleWork}), the calls in the ladder and on screen first.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { CallSummary } from "../../shared/trace/calls";
import { IdleWork } from "../idle";

/** A call's findings count, `undefined` while not counted yet. */
export type FindingsCount = (c: CallSummary) => number | undefined;

/**
 * The findings counts, counted in idle time by `work` (queue calls with {@link useFindingsQueue}).
 * `count` is a new function whenever counts were added, so lists and sorts that show them update.
 */
export function useFindings(): { count: FindingsCount; work: IdleWork } {
  const [count, setCount] = useState<FindingsCount>(() => () => undefined);
  const [work] = useState(() => {
    const w: IdleWork = new IdleWork(() => setCount(() => (c: CallSummary) => w.findings(c)));
    return w;
  });
  useEffect(() => () => work.dispose(), [work]);
  return { count, work };
}

/**
 * Queues the session's calls for counting, the ladder's first, then those the call list shows.
 * @returns the call list's `onVisible`: it tells which calls are on screen.
 */
export function useFindingsQueue(
  work: IdleWork,
  calls: readonly CallSummary[],
  ladderCalls: readonly CallSummary[],
): (shown: CallSummary[]) => void {
  const visible = useRef<CallSummary[]>([]);
  // The ladder's calls of the last render, read when the list reports what it shows.
  const ladder = useRef(ladderCalls);
  ladder.current = ladderCalls;
  const onVisible = useCallback(
    (shown: CallSummary[]) => {
      visible.current = shown;
      work.update(calls, [...ladder.current, ...shown]);
    },
    [work, calls],
  );
  useEffect(() => work.update(calls, [...ladderCalls, ...visible.current]), [work, calls, ladderCalls]);
  return onVisible;
}
