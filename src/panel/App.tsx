/**
 * The WA Calls panel: toolbar (Pause, Clear, Preserve log, cap and dropped counter),
 * filter bar, a sortable call list, and the ladder of the selected call(s) with the
 * inspector docked beside it; or the flat, virtualised stanza table of the whole session.
 * Keyboard: `/` focuses the filter, Esc clears it (or closes the inspector), Enter /
 * Shift+Enter step through filter matches; arrows move through rows and ladder arrows.
 * The parts: Toolbar, FilterBar, HealthBar, CallsView, StanzaTable, EvidenceView, and the
 * hooks in `hooks/` (selection, pseudonyms, shown rows, findings, shortcuts).
 */
import { useCallback, useMemo, useRef, useState } from "preact/hooks";
import { type CallColumn, type CallSort, sortCalls } from "../shared/view/callColumns";
import { DEFAULT_FILTER, type StanzaFilter, stepMatch } from "../shared/view/filter";
import { emptyReason } from "../shared/view/health";
import { timerPrecisionMs } from "../shared/view/precision";
import type { StanzaRow } from "../shared/view/rows";
import { clockText, offerTime, type TimeMode, tableTime } from "../shared/view/time";
import type { PanelActions } from "./actions";
import { CallsView } from "./CallsView";
import { EvidenceView } from "./Evidence";
import { FilterBar } from "./FilterBar";
import { hintText } from "./format";
import { HealthBar } from "./HealthBar";
import { useCallSelection } from "./hooks/useCallSelection";
import { useFindings, useFindingsQueue } from "./hooks/useFindings";
import { usePseudonyms } from "./hooks/usePseudonyms";
import { useShortcuts } from "./hooks/useShortcuts";
import { useShownRows } from "./hooks/useShownRows";
import { useSnapshot } from "./hooks/useSnapshot";
import { Inspector } from "./Inspector";
import { StanzaTable } from "./StanzaTable";
import type { PanelStore } from "./state";
import { type PanelView, Toolbar } from "./Toolbar";

export type { PanelActions } from "./actions";

/** Props of {@link App}. */
export interface AppProps {
  store: PanelStore;
  actions: PanelActions;
  /** Current DevTools theme (`dark` or `default`). */
  theme?: string;
  /** File name of the saved trace shown instead of the live tab, if any. */
  viewing?: string;
}

/** The stanza table's call column: the call-id's first 8 characters. */
const callLabel = (r: StanzaRow) => (r.callId ? r.callId.slice(0, 8) : "");

/** The whole panel. */
export function App({ store, actions, theme, viewing }: AppProps) {
  const s = useSnapshot(store);
  const index = s.index;
  const [view, setView] = useState<PanelView>("calls");
  const [filter, setFilter] = useState<StanzaFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<CallSort>({ column: "start", descending: false });
  const [selectedSeq, setSelectedSeq] = useState<number | undefined>(undefined);
  const [inspecting, setInspecting] = useState(false);
  const [timeMode, setTimeMode] = useState<TimeMode>("offer");
  const [pseudonymise, setPseudonymise] = useState(false);
  const filterInput = useRef<HTMLInputElement | null>(null);
  const closeInspector = useCallback(() => setInspecting(false), []);
  useShortcuts(filterInput, closeInspector);

  const calls = index.calls(); // the same array until a call changes
  // Pseudonyms are per session: a new table after a clear.
  const names = usePseudonyms(calls, `${s.lastClear}|${index.rows.length === 0}`, pseudonymise);
  const shown = useShownRows(index, calls, filter, view === "calls");
  const findings = useFindings();
  const sortedCalls = useMemo(
    () =>
      sort.column === "start" && !sort.descending
        ? shown.calls
        : sortCalls(shown.calls, sort, { peerLabel: names.peerLabel, findings: findings.count }),
    [shown.calls, sort, names.peerLabel, findings.count],
  );
  const selection = useCallSelection(calls, sortedCalls);
  const onVisible = useFindingsQueue(findings.work, calls, selection.ladderCalls);

  const selectedRow = selectedSeq === undefined ? undefined : index.row(selectedSeq);
  const selectedCall = selectedRow?.callId ? index.call(selectedRow.callId) : undefined;
  // Computed only while the evidence view is open (it walks the whole session).
  const evidenceStanzas = useMemo(
    () => (view === "evidence" ? s.index.rows.map((r) => r.stanza) : []),
    [view, s],
  );
  const selectStanza = (seq: number, inspect: boolean) => {
    setSelectedSeq(seq);
    if (inspect) setInspecting(true);
    const row = index.row(seq);
    if (view === "calls" && row?.callId && !selection.ids.includes(row.callId))
      selection.selectOnly(row.callId);
  };
  const gotoMatch = (back: boolean) => {
    const seq = stepMatch(shown.matchSeqs, selectedSeq, back);
    if (seq === undefined) return;
    const row = index.row(seq);
    setSelectedSeq(seq);
    if (view === "calls") {
      if (row?.callId) selection.selectOnly(row.callId);
      else setView("stanzas");
    }
  };
  const onSort = (column: CallColumn) => {
    setSort((prev) =>
      prev.column === column ? { column, descending: !prev.descending } : { column, descending: false },
    );
  };
  // Stanza table time cells, computed for visible rows only.
  const timeContext = {
    offerT(callId: string): number | undefined {
      const c = index.call(callId);
      return c ? offerTime(c) : undefined;
    },
    selectedT: selectedRow?.t,
    // The browser's timer precision, read from the first capture times (precision.ts).
    precisionMs: timerPrecisionMs(index.rows.slice(0, 256).map((r) => r.t)),
  };
  const empty = calls.length === 0 && (view === "calls" || index.rows.length === 0);
  const inspector = inspecting && selectedRow && (
    <Inspector stanza={selectedRow.stanza} call={selectedCall} onClose={closeInspector} />
  );
  const dark = theme === "dark" ? "dark" : "light";

  return (
    <div class={`app theme-${dark}`} data-theme={dark}>
      <Toolbar
        s={s}
        actions={actions}
        onPause={(paused) => store.setPaused(paused)}
        viewing={viewing}
        callId={selection.ids[0]}
        pseudonymise={pseudonymise}
        onPseudonymise={setPseudonymise}
        timeMode={timeMode}
        onTimeMode={setTimeMode}
        view={view}
        onView={setView}
      />
      <FilterBar
        s={s}
        filter={filter}
        onFilter={setFilter}
        compiled={shown.compiled}
        matchSeqs={shown.matchSeqs}
        selectedSeq={selectedSeq}
        onStep={gotoMatch}
        inputRef={filterInput}
      />
      <HealthBar s={s} actions={actions} />
      {empty ? (
        <div class="empty" data-testid="empty" role="status">
          {hintText(emptyReason(s))}
        </div>
      ) : view === "calls" ? (
        <CallsView
          calls={sortedCalls}
          sort={sort}
          onSort={onSort}
          selection={selection}
          peerLabel={names.peerLabel}
          findings={findings.count}
          onVisible={onVisible}
          ladderLabel={names.ladderLabel}
          timeMode={timeMode}
          selectedSeq={selectedSeq}
          isMatch={shown.isMatch}
          onSelectStanza={selectStanza}
          onEscape={closeInspector}
          inspector={inspector}
        />
      ) : view === "evidence" ? (
        <EvidenceView
          stanzas={evidenceStanzas}
          health={s.health}
          onInspect={(seq) => {
            setView("stanzas");
            selectStanza(seq, true);
          }}
        />
      ) : (
        <div class="stanzas-view detail">
          <StanzaTable
            rows={shown.rows}
            time={(i) => tableTime(shown.rows, i, timeMode, timeContext)}
            selectedSeq={selectedSeq}
            callLabel={callLabel}
            jidLabel={names.jidLabel}
            onSelect={selectStanza}
            onEscape={closeInspector}
          />
          {inspector}
        </div>
      )}
      {s.marks.length > 0 && (
        <div class="marks muted" data-testid="marks">
          Preserved across {s.marks.length} page load{s.marks.length > 1 ? "s" : ""} (last at{" "}
          {clockText(s.marks[s.marks.length - 1].t)}, from #{s.marks[s.marks.length - 1].seq})
        </div>
      )}
    </div>
  );
}
