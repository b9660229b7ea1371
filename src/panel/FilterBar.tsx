/**
 * The filter bar: free text or regex (Enter / Shift+Enter step through the matches, Esc
 * clears), direction, action chips with their counts, and the scope switch ("All captured").
 */
import type { Ref } from "preact";
import { useMemo } from "preact/hooks";
import { type CompiledFilter, type StanzaFilter, sortedIndexOf } from "../shared/view/filter";
import type { PanelSnapshot } from "./state";

/** Props of {@link FilterBar}. */
export interface FilterBarProps {
  /** The session (the chips count its actions). */
  s: PanelSnapshot;
  filter: StanzaFilter;
  onFilter(filter: StanzaFilter): void;
  compiled: CompiledFilter;
  /** `seq`s of the rows matching the text, ascending. */
  matchSeqs: readonly number[];
  /** The selected stanza, shown as "3 / 12" when it is a match. */
  selectedSeq?: number;
  /** Goes to the next (or, with `back`, the previous) match. */
  onStep(back: boolean): void;
  /** The text box ("/" and Ctrl+F focus it). */
  inputRef: Ref<HTMLInputElement>;
}

const DIRECTIONS = [
  ["all", "All"],
  ["out", "Sent"],
  ["in", "Received"],
] as const;

/** The filter bar. */
export function FilterBar({ s, filter, onFilter, compiled, matchSeqs, ...props }: FilterBarProps) {
  const chips = useMemo(() => s.index.actionCounts(filter.scope), [s, filter.scope]);
  const matchPos = props.selectedSeq === undefined ? -1 : sortedIndexOf(matchSeqs, props.selectedSeq);
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      props.onStep(ev.shiftKey);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      if (filter.text) onFilter({ ...filter, text: "" });
      else (ev.target as HTMLInputElement).blur();
    }
  };
  const toggleChip = (action: string) => {
    const has = filter.actions.includes(action);
    onFilter({
      ...filter,
      actions: has ? filter.actions.filter((a) => a !== action) : [...filter.actions, action],
    });
  };
  return (
    <search class="filterbar">
      <input
        ref={props.inputRef}
        type="search"
        class={`filter-text${compiled.error ? " invalid" : ""}`}
        data-testid="filter-text"
        placeholder={
          filter.regex
            ? "Regex filter  (/ to focus, Enter next, Shift+Enter previous)"
            : "Filter  (/ to focus, Enter next, Shift+Enter previous)"
        }
        value={filter.text}
        onInput={(ev) => onFilter({ ...filter, text: (ev.target as HTMLInputElement).value })}
        onKeyDown={onKey}
        aria-label="Filter stanzas"
      />
      <label title="Treat the filter text as a regular expression">
        <input
          type="checkbox"
          data-testid="filter-regex"
          checked={filter.regex}
          onChange={(ev) => onFilter({ ...filter, regex: (ev.target as HTMLInputElement).checked })}
        />{" "}
        .*
      </label>
      {compiled.error && (
        <span class="error" data-testid="filter-error">
          {compiled.error}
        </span>
      )}
      {filter.text && (
        <span class="matches" data-testid="match-count">
          {matchPos >= 0 ? `${matchPos + 1} / ${matchSeqs.length}` : `${matchSeqs.length} matches`}
          <button type="button" title="Previous match (Shift+Enter)" onClick={() => props.onStep(true)}>
            ↑
          </button>
          <button type="button" title="Next match (Enter)" onClick={() => props.onStep(false)}>
            ↓
          </button>
        </span>
      )}
      <fieldset class="seg" aria-label="Direction">
        {DIRECTIONS.map(([d, label]) => (
          <button
            key={d}
            type="button"
            data-testid={`dir-${d}`}
            aria-pressed={filter.direction === d}
            onClick={() => onFilter({ ...filter, direction: d })}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <fieldset class="chips" aria-label="Actions">
        {chips.map(({ action, count }) => (
          <button
            key={action}
            type="button"
            class="chip"
            data-testid={`chip-${action}`}
            aria-pressed={filter.actions.includes(action)}
            onClick={() => toggleChip(action)}
          >
            {action} <span class="count">{count}</span>
          </button>
        ))}
      </fieldset>
      <label title="Show every captured stanza, also acks/receipts without a call and unreadable ones">
        <input
          type="checkbox"
          data-testid="filter-scope"
          checked={filter.scope === "all"}
          onChange={(ev) =>
            onFilter({ ...filter, scope: (ev.target as HTMLInputElement).checked ? "all" : "calls" })
          }
        />{" "}
        All captured
      </label>
    </search>
  );
}
