/**
 * Which calls the ladder shows: the calls selected in the call list that still exist, else the
 * latest shown call. Selected calls that were cleared or trimmed away are dropped silently.
 */
import { useCallback, useMemo, useRef, useState } from "preact/hooks";
import type { CallSummary } from "../../shared/trace/calls";
import { nextSelection, type SelectMode } from "../../shared/view/selection";

/** Most calls merged into one ladder (more would be unreadable). */
const MAX_MERGED = 20;

/** What {@link useCallSelection} returns. */
export interface CallSelection {
  /** The calls the ladder shows (the last {@link MAX_MERGED} selected ones, else the latest shown call). */
  ladderCalls: CallSummary[];
  /** Their call-ids. */
  ids: string[];
  /** The call list's click (keeps its identity). */
  select(callId: string, mode: SelectMode): void;
  /** Selects one call only. */
  selectOnly(callId: string): void;
}

/**
 * The call selection.
 * @param calls every call of the session.
 * @param listed the calls as the call list shows them (filtered and sorted).
 */
export function useCallSelection(
  calls: readonly CallSummary[],
  listed: readonly CallSummary[],
): CallSelection {
  const [chosen, setChosen] = useState<string[]>([]);
  const byId = useMemo(() => new Map(calls.map((c) => [c.callId, c])), [calls]);
  const latest = listed.length ? listed[listed.length - 1] : undefined;
  const ladderCalls = useMemo(() => {
    const selected = chosen.filter((id) => byId.has(id));
    if (selected.length) return selected.slice(-MAX_MERGED).map((id) => byId.get(id) as CallSummary);
    return latest ? [latest] : [];
  }, [chosen, byId, latest]);
  const ids = useMemo(() => ladderCalls.map((c) => c.callId), [ladderCalls]);
  // What a click needs of the last render, without changing the callback's identity.
  const now = useRef({ byId, listed, ids });
  now.current = { byId, listed, ids };
  const select = useCallback(
    (callId: string, mode: SelectMode) =>
      setChosen((prev) => {
        const cur = now.current;
        const order = mode === "range" ? cur.listed.map((c) => c.callId) : [];
        return nextSelection(
          prev.filter((id) => cur.byId.has(id)),
          callId,
          mode,
          order,
          cur.ids[0],
        );
      }),
    [],
  );
  const selectOnly = useCallback((callId: string) => setChosen([callId]), []);
  return { ladderCalls, ids, select, selectOnly };
}
