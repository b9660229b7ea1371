/**
 * What the filter lets through: the stanza table's rows, the matches Enter steps through, the
 * ladder's highlighting and the calls the call list keeps. Appended rows are filtered
 * incrementally; a new filter or epoch rescans (see {@link IncrementalFilter}).
 */
import { useCallback, useMemo, useState } from "preact/hooks";
import type { CallSummary } from "../../shared/trace/calls";
import {
  type CompiledFilter,
  compileFilter,
  IncrementalFilter,
  type StanzaFilter,
} from "../../shared/view/filter";
import type { StanzaRow } from "../../shared/view/rows";
import type { SessionIndex } from "../../shared/view/sessionIndex";

/** The match list when no text filter is set. */
const NO_MATCHES: readonly number[] = [];

/** What {@link useShownRows} returns. */
export interface ShownRows {
  compiled: CompiledFilter;
  /** The rows that pass, in capture order (one array grown in place while the session grows). */
  rows: readonly StanzaRow[];
  /** `seq`s of the rows matching the filter text, ascending; empty without text. */
  matchSeqs: readonly number[];
  /** Whether a stanza matches the filter text (asked per ladder arrow, never for every row). */
  isMatch(seq: number): boolean;
  /** The calls to list: those with a row that passes a narrowing filter, else every call. */
  calls: readonly CallSummary[];
}

/**
 * The filter's result for the current session.
 * @param calls the session's calls in start order.
 * @param narrowCalls whether a narrowing filter also narrows the calls (the calls view).
 */
export function useShownRows(
  index: SessionIndex,
  calls: readonly CallSummary[],
  filter: StanzaFilter,
  narrowCalls: boolean,
): ShownRows {
  const [incremental] = useState(() => new IncrementalFilter());
  const compiled = useMemo(() => compileFilter(filter), [filter]);
  const filterKey = useMemo(() => JSON.stringify(filter), [filter]);
  // A new object whenever rows were added: no 100,000-entry copy per live frame.
  const shown = incremental.result(index.rows, compiled, index.epoch, filterKey);
  const isMatch = useCallback(
    (seq: number) => {
      if (!filter.text) return false;
      const row = index.row(seq);
      return row !== undefined && compiled.test(row);
    },
    [filter.text, compiled, index],
  );
  const narrowing = compiled.narrowing && narrowCalls;
  const shownCalls = useMemo(
    () => (narrowing ? calls.filter((c) => shown.callIds.has(c.callId)) : calls),
    [calls, narrowing, shown],
  );
  return {
    compiled,
    rows: shown.rows,
    matchSeqs: filter.text ? shown.seqs : NO_MATCHES,
    isMatch,
    calls: shownCalls,
  };
}
