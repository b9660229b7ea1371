/**
 * The filter bar's logic: action chips, direction, free text or regex, and the scope switch
 * (call stanzas only, or everything captured). Pure; the compiled predicate is what the
 * stanza table, the call list and match navigation share.
 */
import { type StanzaRow, searchText } from "./rows";

/** The filter bar's state. */
export interface StanzaFilter {
  /** Actions to show (`offer`, `ack`, …); empty = every action. */
  actions: readonly string[];
  direction: "all" | "out" | "in";
  /** Free text (case-insensitive substring) or, with `regex`, a regular expression. */
  text: string;
  regex: boolean;
  /** `calls`: only stanzas that belong to a call (default); `all`: everything captured. */
  scope: "calls" | "all";
}

/** The default filter: call stanzas only, nothing else narrowed. */
export const DEFAULT_FILTER: StanzaFilter = {
  actions: [],
  direction: "all",
  text: "",
  regex: false,
  scope: "calls",
};

/** A compiled filter. */
export interface CompiledFilter {
  /** Whether a row passes every part of the filter. */
  test(row: StanzaRow): boolean;
  /** Whether a row matches the text part (for highlighting); true when there is no text. */
  matchesText(row: StanzaRow): boolean;
  /** Whether anything narrows beyond the scope. */
  narrowing: boolean;
  /** Why the regex could not be used (then the text part matches everything). */
  error?: string;
}

/** Compiles a filter into predicates. Never throws: a bad regex is reported in `error`. */
export function compileFilter(f: StanzaFilter): CompiledFilter {
  const actions = f.actions.length ? new Set(f.actions) : undefined;
  let textTest: ((s: string) => boolean) | undefined;
  let error: string | undefined;
  if (f.text !== "") {
    if (f.regex) {
      try {
        const re = new RegExp(f.text, "i");
        textTest = (s) => re.test(s);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    } else {
      const needle = f.text.toLowerCase();
      textTest = (s) => s.includes(needle);
    }
  }
  const matchesText = (row: StanzaRow) => (textTest ? textTest(searchText(row)) : true);
  return {
    test(row) {
      if (f.scope === "calls" && row.callId === undefined) return false;
      if (f.direction !== "all" && row.direction !== f.direction) return false;
      if (actions && !actions.has(row.action)) return false;
      return matchesText(row);
    },
    matchesText,
    narrowing: actions !== undefined || f.direction !== "all" || textTest !== undefined,
    error,
  };
}

/** Rows that pass a compiled filter, in order. */
export function filterRows(rows: readonly StanzaRow[], filter: CompiledFilter): StanzaRow[] {
  const out: StanzaRow[] = [];
  for (const r of rows) if (filter.test(r)) out.push(r);
  return out;
}

interface FilterState {
  epoch: number;
  scanned: number;
  result: StanzaRow[];
  /** `seq` of every row of `result`, ascending (match navigation). */
  seqs: number[];
  /** Call-ids of the rows of `result` (the calls a narrowing filter keeps). */
  callIds: Set<string>;
  /** What {@link IncrementalFilter.result} last returned (replaced when `result` grows). */
  last?: FilterResult;
}

/**
 * One filter's result at one moment. The arrays and the set grow in place (no copy of a
 * 100,000-row result per live batch), but the object itself is new whenever rows were added or
 * the filter started over: it is what memos depend on.
 */
export interface FilterResult {
  /** The rows that pass, in capture order. */
  readonly rows: readonly StanzaRow[];
  /** `seq` of every row, ascending (match navigation). */
  readonly seqs: readonly number[];
  /** Call-ids of the rows (the calls a narrowing filter keeps). */
  readonly callIds: ReadonlySet<string>;
  /** How many rows passed when this object was made. */
  readonly count: number;
}

const NO_SEQS: readonly number[] = [];
const NO_CALL_IDS: ReadonlySet<string> = new Set();

/**
 * Keeps the filtered rows of a growing session without rescanning it: while the filter and
 * the index's epoch are unchanged, only rows added since the last call are tested. The
 * results of the last few filters are kept, so going back (a chip off, the text cleared)
 * only tests the rows added since that filter was last shown.
 */
export class IncrementalFilter {
  private readonly states = new Map<string, FilterState>();

  /** @param keep how many filters' results are kept. */
  constructor(private readonly keep = 4) {}

  /**
   * The rows of `rows` that pass `filter`.
   * @param key identifies the filter (e.g. the JSON of its {@link StanzaFilter}).
   * @param epoch changes whenever earlier rows may have changed (reset, trim, late joins).
   * @returns the result array: the same object (grown in place) while the filter and epoch
   *   stay the same, a new one otherwise.
   */
  rows(rows: readonly StanzaRow[], filter: CompiledFilter, epoch: number, key: string): StanzaRow[] {
    return this.scan(rows, filter, epoch, key).result;
  }

  /**
   * Like {@link rows}, with the match `seq`s and call-ids beside them.
   * @returns the same object while nothing was added and the filter and epoch stay the same,
   *   a new one otherwise (the arrays inside are still grown in place).
   */
  result(rows: readonly StanzaRow[], filter: CompiledFilter, epoch: number, key: string): FilterResult {
    const st = this.scan(rows, filter, epoch, key);
    if (st.last?.count !== st.result.length)
      st.last = { rows: st.result, seqs: st.seqs, callIds: st.callIds, count: st.result.length };
    return st.last;
  }

  private scan(rows: readonly StanzaRow[], filter: CompiledFilter, epoch: number, key: string): FilterState {
    let st = this.states.get(key);
    if (st) this.states.delete(key); // re-inserted below: most recent last
    if (!st || st.epoch !== epoch || rows.length < st.scanned)
      st = { epoch, scanned: 0, result: [], seqs: [], callIds: new Set() };
    // Appends in place (no copy of a 100,000-row result per live batch): the array object
    // stays the same while the session only grows, so callers memoise on its length too.
    for (let i = st.scanned; i < rows.length; i++) {
      const row = rows[i];
      if (!filter.test(row)) continue;
      st.result.push(row);
      st.seqs.push(row.seq);
      if (row.callId !== undefined) st.callIds.add(row.callId);
    }
    st.scanned = rows.length;
    this.states.set(key, st);
    while (this.states.size > this.keep) this.states.delete(this.states.keys().next().value as string);
    return st;
  }

  /**
   * The `seq`s of the rows {@link rows} last returned for `key`, ascending; grown in place
   * like the rows (empty before the first call).
   */
  seqs(key: string): readonly number[] {
    return this.states.get(key)?.seqs ?? NO_SEQS;
  }

  /** The call-ids of the rows {@link rows} last returned for `key` (grown in place). */
  callIds(key: string): ReadonlySet<string> {
    return this.states.get(key)?.callIds ?? NO_CALL_IDS;
  }
}

/** Index of the first element of an ascending array greater than `value` (its length if none). */
function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of `value` in an ascending array, or -1 (binary search); the filter bar's "3 / 12".
 * @param sorted e.g. the `seq`s of the matching rows, ascending.
 */
export function sortedIndexOf(sorted: readonly number[], value: number): number {
  const i = firstAbove(sorted, value) - 1;
  return i >= 0 && sorted[i] === value ? i : -1;
}

/**
 * Match navigation (Enter / Shift+Enter): the next or previous match after the current one,
 * wrapping around.
 * @param matches `seq`s of the matching rows, ascending.
 * @param current the `seq` of the current match or selection, if any.
 * @returns the `seq` to go to, or `undefined` when there are no matches.
 */
export function stepMatch(
  matches: readonly number[],
  current: number | undefined,
  back: boolean,
): number | undefined {
  if (!matches.length) return undefined;
  if (current === undefined) return back ? matches[matches.length - 1] : matches[0];
  const lo = firstAbove(matches, current);
  if (back) {
    let i = lo - 1;
    if (i >= 0 && matches[i] === current) i--;
    return i >= 0 ? matches[i] : matches[matches.length - 1];
  }
  return lo < matches.length ? matches[lo] : matches[0];
}
