/**
 * The WA Calls panel: toolbar (Pause, Clear, Preserve log, cap and dropped counter),
 * filter bar, a sortable call list, and the ladder of the selected call(s) with the
 * inspector docked beside it; or the flat, virtualised stanza table of the whole session.
 * Keyboard: `/` focuses the filter, Esc clears it (or closes the inspector), Enter /
 * Shift+Enter step through filter matches; arrows move through rows and ladder arrows.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { CallSummary } from "../shared/trace/calls";
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import { type CallColumn, type CallSort, sortCalls } from "../shared/view/callColumns";
import {
  compileFilter,
  DEFAULT_FILTER,
  IncrementalFilter,
  type StanzaFilter,
  stepMatch,
} from "../shared/view/filter";
import { layoutLadder } from "../shared/view/ladder";
import { Pseudonyms } from "../shared/view/pseudonym";
import type { StanzaRow } from "../shared/view/rows";
import {
  clockText,
  signedMs,
  signedSeconds,
  TIME_MODE_LABEL,
  type TimeCell,
  type TimeMode,
} from "../shared/view/time";
import { CallList } from "./CallList";
import { type DeepCaptureActions, DeepCaptureControl, showDeepCapture } from "./DeepCapture";
import { EvidenceView } from "./Evidence";
import { Inspector } from "./Inspector";
import { IdleWork } from "./idle";
import { Ladder } from "./Ladder";
import { StanzaTable } from "./StanzaTable";
import type { PanelSnapshot, PanelStore } from "./state";
import { TraceControls } from "./TraceControls";

/** What the panel asks of the background. */
export interface PanelActions extends DeepCaptureActions {
  clear(): void;
  setPreserveLog(preserve: boolean): void;
  setCap(cap: number): void;
  /** Shows a saved trace instead of the live tab. */
  openTrace(trace: { stanzas: CapturedStanza[]; health?: CaptureHealth }, name: string): void;
  /** Returns from a saved trace to the live tab. */
  backToLive(): void;
}

/** Props of {@link App}. */
export interface AppProps {
  store: PanelStore;
  actions: PanelActions;
  /** Current DevTools theme (`dark` or `default`). */
  theme?: string;
  /** File name of the saved trace shown instead of the live tab, if any. */
  viewing?: string;
}

/** The panel's views, in tab order, with their tab labels. */
type PanelView = "calls" | "stanzas" | "evidence";
const VIEWS: readonly (readonly [PanelView, string])[] = [
  ["calls", "Calls"],
  ["stanzas", "Stanzas"],
  ["evidence", "Evidence"],
];

/** The match list when no text filter is set. */
const NO_MATCHES: readonly number[] = [];

/** Most calls merged into one ladder (more would be unreadable). */
const MAX_MERGED = 20;

/** Why the panel shows no call: from the tap's own diagnosis when it has one. */
export function emptyReason(s: PanelSnapshot): string {
  const h = s.health;
  if (!s.connected) return "Connecting to the extension's background…";
  const rows = s.index.rows.length;
  if (rows > 0)
    return `${rows} stanzas captured, none belongs to a call yet (acks or receipts whose call was not seen). Switch on "All captured" to see them.`;
  const seen = Object.values(h.seenByTag).reduce((a, b) => a + b, 0);
  if (s.lastClear === "user" && h.forwarded > 0)
    return `Cleared. The tap is live (${seen} stanzas seen since the page loaded, ${h.forwarded} forwarded); new call stanzas will appear here.`;
  if (h.emptyReason?.message) {
    const why = h.emptyReason.message;
    return s.lastClear === "reload" && seen === 0 ? `Page reloaded, log cleared. ${why}` : why;
  }
  const tap = h.taps.find((t) => t.name === "comms-config") ?? h.taps[0];
  if (!tap)
    return "No tap has reported from this tab yet. Is this web.whatsapp.com? Reload the page to install the tap.";
  if (!tap.installed) return `Tap not installed: ${tap.note ?? "no comms module found"}.`;
  if (h.commsMode === "worker") return "Comms run in a worker: the page tap cannot see stanzas in this mode.";
  if (seen === 0) return "Tap installed; no stanza seen yet. Make or receive a call.";
  return `${seen} stanzas seen, none were call stanzas. Make or receive a call.`;
}

function useSnapshot(store: PanelStore): PanelSnapshot {
  const [snap, setSnap] = useState(() => store.snapshot());
  useEffect(() => {
    setSnap(store.snapshot());
    return store.subscribe(() => setSnap(store.snapshot()));
  }, [store]);
  return snap;
}

function HealthBar({ s, actions }: { s: PanelSnapshot; actions: DeepCaptureActions }) {
  const health = s.health;
  const taps = health.taps.map(
    (t) =>
      `${t.name}: ${t.disabled ? "disabled" : t.installed ? (t.live ? "live" : "installed") : "not installed"}`,
  );
  const seen = Object.values(health.seenByTag).reduce((a, b) => a + b, 0);
  return (
    <div class="health" data-testid="health">
      <span>{health.build ? `WhatsApp Web ${health.build}` : "WhatsApp Web build unknown"}</span>
      <span>{taps.join(" · ") || "no tap"}</span>
      <span data-testid="health-counts">
        seen {seen} · forwarded {health.forwarded} · kept in page {health.filtered} · captured{" "}
        {s.index.rows.length}
      </span>
      {health.limitations?.map((l) => (
        <span key={`${l.code}:${l.message}`} class="warn" title={l.code}>
          ⚠ {l.message}
        </span>
      ))}
      {showDeepCapture(health) && <DeepCaptureControl health={health} actions={actions} />}
      {health.errors > 0 && (
        <span class="error">
          {health.errors} errors{health.lastError ? `: ${health.lastError.message}` : ""}
        </span>
      )}
    </div>
  );
}

/** The whole panel. */
export function App({ store, actions, theme, viewing }: AppProps) {
  const s = useSnapshot(store);
  const index = s.index;
  const [view, setView] = useState<PanelView>("calls");
  const [filter, setFilter] = useState<StanzaFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<CallSort>({ column: "start", descending: false });
  const [selectedCalls, setSelectedCalls] = useState<string[]>([]);
  const [selectedSeq, setSelectedSeq] = useState<number | undefined>(undefined);
  const [inspecting, setInspecting] = useState(false);
  const [timeMode, setTimeMode] = useState<TimeMode>("offer");
  const [pseudonymise, setPseudonymise] = useState(false);
  const [capDraft, setCapDraft] = useState<string | undefined>(undefined);
  const filterInput = useRef<HTMLInputElement | null>(null);
  const ladderFocus = useRef<() => void>(() => undefined);
  const [findingsTick, setFindingsTick] = useState(0);
  const idle = useMemo(() => new IdleWork(() => setFindingsTick((n) => n + 1)), []);
  useEffect(() => () => idle.dispose(), [idle]);
  const incremental = useMemo(() => new IncrementalFilter(), []);

  // Pseudonyms are per session: a new table after a clear.
  const pseudonyms = useMemo(() => new Pseudonyms(), [s.lastClear, index.rows.length === 0]);
  const pseudonymCursor = useRef(0);
  const pseudonymTable = useRef(pseudonyms);
  if (pseudonymTable.current !== pseudonyms) {
    pseudonymTable.current = pseudonyms;
    pseudonymCursor.current = 0;
  }

  const version = s.version;
  const calls = useMemo(() => index.calls(), [index, version]);
  // Stable pseudonyms: assigned in call start order.
  for (const c of calls.slice(pseudonymCursor.current)) {
    const p = c.peer ?? c.callCreator;
    if (p) pseudonyms.user(p);
  }
  pseudonymCursor.current = calls.length;
  const compiled = useMemo(() => compileFilter(filter), [filter]);
  // Appended rows are filtered incrementally; a new filter or epoch rescans.
  const filterKey = useMemo(() => JSON.stringify(filter), [filter]);
  const shownRows = incremental.rows(index.rows, compiled, index.epoch, filterKey);
  const shownCount = shownRows.length;
  // Both grow in place with the filtered rows: no 100,000-entry copy per live frame.
  const matchSeqs = filter.text ? incremental.seqs(filterKey) : NO_MATCHES;
  // Ladder highlighting asks per arrow (at most a few hundred), not through a 100,000-entry set.
  const isMatch = useCallback(
    (seq: number) => {
      if (!filter.text) return false;
      const row = index.row(seq);
      return row !== undefined && compiled.test(row);
    },
    [filter.text, compiled, index],
  );
  const shownCalls = useMemo(() => {
    if (!compiled.narrowing || view !== "calls") return calls;
    const ids = incremental.callIds(filterKey);
    return calls.filter((c) => ids.has(c.callId));
  }, [calls, shownCount, compiled, view, incremental, filterKey]);

  const peerLabel = useCallback(
    (c: CallSummary) => {
      const p = c.peer ?? c.callCreator;
      if (!p) return "?";
      return pseudonymise ? pseudonyms.label(p) : p;
    },
    [pseudonymise, pseudonyms],
  );
  const jidLabel = useCallback(
    (jid: string | undefined) => (jid === undefined ? "" : pseudonymise ? pseudonyms.label(jid) : jid),
    [pseudonymise, pseudonyms],
  );
  const findingsCount = useCallback((c: CallSummary) => idle.findings(c), [idle, findingsTick]);
  const sortedCalls = useMemo(
    () =>
      sort.column === "start" && !sort.descending
        ? shownCalls
        : sortCalls(shownCalls, sort, { peerLabel, findings: findingsCount }),
    [shownCalls, sort, peerLabel, findingsCount],
  );

  // Selection: explicit, else the latest call.
  const byId = { has: (id: string) => index.call(id) !== undefined, get: (id: string) => index.call(id) };
  const selected = selectedCalls.filter((id) => byId.has(id));
  const ladderCalls: CallSummary[] = selected.length
    ? selected.slice(-MAX_MERGED).map((id) => byId.get(id) as CallSummary)
    : sortedCalls.length
      ? [sortedCalls[sortedCalls.length - 1]]
      : [];
  const effectiveSelection = ladderCalls.map((c) => c.callId);
  const layout = useMemo(
    () =>
      layoutLadder(ladderCalls, {
        label: pseudonymise ? (j) => pseudonyms.label(j) : undefined,
        timeMode,
        selectedSeq,
      }),
    [effectiveSelection.join(","), calls, pseudonymise, timeMode, selectedSeq],
  );

  const selectedRow = selectedSeq === undefined ? undefined : index.row(selectedSeq);
  // Findings are counted in idle time, the calls in the ladder first.
  const visibleCalls = useRef<CallSummary[]>([]);
  const onVisible = useCallback(
    (shown: CallSummary[]) => {
      visibleCalls.current = shown;
      idle.update(calls, [...ladderCalls, ...shown]);
    },
    [idle, calls, effectiveSelection.join(",")],
  );
  useEffect(
    () => idle.update(calls, [...ladderCalls, ...visibleCalls.current]),
    [calls, effectiveSelection.join(",")],
  );
  const selectedCall = selectedRow?.callId ? byId.get(selectedRow.callId) : undefined;

  const selectCall = (callId: string, mode: "replace" | "toggle" | "range") => {
    setSelectedCalls((prev) => {
      const cur = prev.filter((id) => byId.has(id));
      if (mode === "replace") return [callId];
      if (mode === "toggle") return cur.includes(callId) ? cur.filter((x) => x !== callId) : [...cur, callId];
      const anchor = cur[cur.length - 1] ?? effectiveSelection[0];
      const a = sortedCalls.findIndex((c) => c.callId === anchor);
      const b = sortedCalls.findIndex((c) => c.callId === callId);
      if (a < 0 || b < 0) return [callId];
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const range = sortedCalls.slice(lo, hi + 1).map((c) => c.callId);
      return b < a ? range.reverse() : range;
    });
  };

  const selectCallRef = useRef(selectCall);
  selectCallRef.current = selectCall;
  const onSelectCall = useCallback(
    (callId: string, mode: "replace" | "toggle" | "range") => selectCallRef.current(callId, mode),
    [],
  );

  // Computed only while the evidence view is open (it walks the whole session).
  const evidenceStanzas = useMemo(
    () => (view === "evidence" ? index.rows.map((r) => r.stanza) : []),
    [view, s.version],
  );
  const selectStanza = (seq: number, inspect: boolean) => {
    setSelectedSeq(seq);
    if (inspect) setInspecting(true);
    const row = index.row(seq);
    if (view === "calls" && row?.callId && !effectiveSelection.includes(row.callId))
      setSelectedCalls([row.callId]);
  };

  const gotoMatch = (back: boolean) => {
    const seq = stepMatch(matchSeqs, selectedSeq, back);
    if (seq === undefined) return;
    const row = index.row(seq);
    setSelectedSeq(seq);
    if (view === "calls") {
      if (row?.callId) setSelectedCalls([row.callId]);
      else setView("stanzas");
    }
  };

  // Global keys: "/" focuses the filter, Esc closes the inspector.
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const target = ev.target as HTMLElement | null;
      const typing =
        target?.tagName === "INPUT" || target?.tagName === "SELECT" || target?.tagName === "TEXTAREA";
      if (ev.key === "/" && !typing) {
        ev.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      } else if ((ev.key === "f" || ev.key === "F") && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        filterInput.current?.focus();
      } else if (ev.key === "Escape" && !typing) {
        setInspecting(false);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const onFilterKey = (ev: KeyboardEvent) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      gotoMatch(ev.shiftKey);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      if (filter.text) setFilter({ ...filter, text: "" });
      else (ev.target as HTMLInputElement).blur();
    }
  };
  const chips = useMemo(() => index.actionCounts(filter.scope), [index, version, filter.scope]);
  const toggleChip = (action: string) => {
    const has = filter.actions.includes(action);
    setFilter({
      ...filter,
      actions: has ? filter.actions.filter((a) => a !== action) : [...filter.actions, action],
    });
  };

  const onSort = (column: CallColumn) => {
    setSort((prev) =>
      prev.column === column ? { column, descending: !prev.descending } : { column, descending: false },
    );
  };
  // Stanza table time cells, computed for visible rows only.
  const offerOfCall = {
    get(callId: string): number | undefined {
      const c = index.call(callId);
      if (!c) return undefined;
      const o = c.entries.find((e) => e.view.kind === "call" && e.view.action === "offer");
      return (o ?? c.entries[0]).stanza.t;
    },
  };
  const selectedT = selectedRow?.t;
  const tableTime = (i: number): TimeCell => {
    const r = shownRows[i];
    const prev = i > 0 ? shownRows[i - 1] : undefined;
    const backwards = prev !== undefined && r.t < prev.t;
    switch (timeMode) {
      case "absolute":
        return { text: clockText(r.t), backwards, negative: false };
      case "offer": {
        const base = (r.callId ? offerOfCall.get(r.callId) : undefined) ?? shownRows[0].t;
        return { text: signedSeconds(r.t - base), backwards, negative: r.t < base };
      }
      case "delta":
        return { text: signedMs(prev ? r.t - prev.t : 0), backwards, negative: backwards };
      default:
        return selectedT === undefined
          ? { text: clockText(r.t), backwards, negative: false }
          : { text: signedMs(r.t - selectedT), backwards, negative: false };
    }
  };

  const matchPos = selectedSeq === undefined ? -1 : sortedIndexOf(matchSeqs, selectedSeq);
  const cap = s.settings?.cap;
  const empty = calls.length === 0 && (view === "calls" || index.rows.length === 0);
  const inspectorStanza = inspecting && selectedRow ? selectedRow.stanza : undefined;

  return (
    <div
      class={`app theme-${theme === "dark" ? "dark" : "light"}`}
      data-theme={theme === "dark" ? "dark" : "light"}
    >
      <div class="toolbar" role="toolbar" aria-label="Capture">
        <strong>WA Calls</strong>
        <button
          type="button"
          data-testid="pause"
          aria-pressed={s.paused}
          title={
            s.paused ? "Resume: apply what arrived while paused" : "Pause: freeze the view (nothing is lost)"
          }
          onClick={() => store.setPaused(!s.paused)}
        >
          {s.paused ? "Resume" : "Pause"}
        </button>
        {s.paused && (
          <span class="held" data-testid="held">
            {s.held} new while paused
          </span>
        )}
        <button type="button" data-testid="clear" title="Clear the session" onClick={actions.clear}>
          Clear
        </button>
        <label title="Keep the session when the page reloads (like the Network panel)">
          <input
            type="checkbox"
            data-testid="preserve-log"
            checked={s.settings?.preserveLog ?? false}
            onChange={(ev) => actions.setPreserveLog((ev.target as HTMLInputElement).checked)}
          />{" "}
          Preserve log
        </label>
        <TraceControls
          stanzas={() => index.rows.map((r) => r.stanza)}
          health={s.health}
          callId={effectiveSelection[0]}
          viewing={viewing}
          onOpen={(t, name) => actions.openTrace(t, name)}
          onBackToLive={actions.backToLive}
        />
        <span class="sep" />
        <span data-testid="summary">
          {calls.length} calls · {index.rows.length} stanzas
          {index.errorCount > 0 ? ` · ${index.errorCount} unreadable` : ""}
        </span>
        <span
          class={`dropped${s.dropped > 0 ? " warn" : ""}`}
          data-testid="dropped"
          title="Dropped by the cap (oldest first)"
        >
          {s.dropped} dropped
        </span>
        <label title="Ring-buffer cap: the oldest stanzas beyond it are dropped and counted">
          cap{" "}
          <input
            type="number"
            class="cap"
            data-testid="cap"
            min={100}
            step={1000}
            value={capDraft ?? (cap === undefined ? "" : String(cap))}
            onInput={(ev) => setCapDraft((ev.target as HTMLInputElement).value)}
            onChange={(ev) => {
              const n = Number((ev.target as HTMLInputElement).value);
              setCapDraft(undefined);
              if (Number.isFinite(n) && n > 0) actions.setCap(n);
            }}
          />
        </label>
        {s.loading > 0 && <span class="muted">loading backlog… {s.loading} parts left</span>}
        {!s.connected && s.version > 0 && <span class="warn">reconnecting…</span>}
        <span class="spacer" />
        <label title="Show peers as A, B, … (stable for this session)">
          <input
            type="checkbox"
            data-testid="pseudonyms"
            checked={pseudonymise}
            onChange={(ev) => setPseudonymise((ev.target as HTMLInputElement).checked)}
          />{" "}
          Pseudonyms
        </label>
        <label>
          Time{" "}
          <select
            data-testid="time-mode"
            value={timeMode}
            onChange={(ev) => setTimeMode((ev.target as HTMLSelectElement).value as TimeMode)}
          >
            {(Object.keys(TIME_MODE_LABEL) as TimeMode[]).map((m) => (
              <option key={m} value={m}>
                {TIME_MODE_LABEL[m]}
              </option>
            ))}
          </select>
        </label>
        <div class="tabs" role="tablist">
          {VIEWS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={view === id}
              data-testid={`view-${id}`}
              onClick={() => setView(id)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <search class="filterbar">
        <input
          ref={filterInput}
          type="search"
          class={`filter-text${compiled.error ? " invalid" : ""}`}
          data-testid="filter-text"
          placeholder={
            filter.regex
              ? "Regex filter  (/ to focus, Enter next, Shift+Enter previous)"
              : "Filter  (/ to focus, Enter next, Shift+Enter previous)"
          }
          value={filter.text}
          onInput={(ev) => setFilter({ ...filter, text: (ev.target as HTMLInputElement).value })}
          onKeyDown={onFilterKey}
          aria-label="Filter stanzas"
        />
        <label title="Treat the filter text as a regular expression">
          <input
            type="checkbox"
            data-testid="filter-regex"
            checked={filter.regex}
            onChange={(ev) => setFilter({ ...filter, regex: (ev.target as HTMLInputElement).checked })}
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
            <button type="button" title="Previous match (Shift+Enter)" onClick={() => gotoMatch(true)}>
              ↑
            </button>
            <button type="button" title="Next match (Enter)" onClick={() => gotoMatch(false)}>
              ↓
            </button>
          </span>
        )}
        <fieldset class="seg" aria-label="Direction">
          {(["all", "out", "in"] as const).map((d) => (
            <button
              key={d}
              type="button"
              data-testid={`dir-${d}`}
              aria-pressed={filter.direction === d}
              onClick={() => setFilter({ ...filter, direction: d })}
            >
              {d === "all" ? "All" : d === "out" ? "Sent" : "Received"}
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
              setFilter({ ...filter, scope: (ev.target as HTMLInputElement).checked ? "all" : "calls" })
            }
          />{" "}
          All captured
        </label>
      </search>
      <HealthBar s={s} actions={actions} />
      {empty ? (
        <div class="empty" data-testid="empty" role="status">
          {emptyReason(s)}
        </div>
      ) : view === "calls" ? (
        <div class="calls-view">
          <CallList
            calls={sortedCalls}
            selected={effectiveSelection}
            sort={sort}
            peerLabel={peerLabel}
            findings={findingsCount}
            onSort={onSort}
            onSelect={onSelectCall}
            onVisible={onVisible}
            onEnter={() => ladderFocus.current()}
          />
          <div class="detail">
            {ladderCalls.length > 0 ? (
              <LadderFocus focusRef={ladderFocus}>
                <Ladder
                  calls={ladderCalls}
                  layout={layout}
                  selectedSeq={selectedSeq}
                  isMatch={isMatch}
                  onSelect={selectStanza}
                  onEscape={() => setInspecting(false)}
                />
              </LadderFocus>
            ) : (
              <div class="empty">No call matches the filter.</div>
            )}
            {inspectorStanza && (
              <Inspector stanza={inspectorStanza} call={selectedCall} onClose={() => setInspecting(false)} />
            )}
          </div>
        </div>
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
            rows={shownRows}
            time={tableTime}
            selectedSeq={selectedSeq}
            callLabel={(r: StanzaRow) => (r.callId ? r.callId.slice(0, 8) : "")}
            jidLabel={jidLabel}
            onSelect={selectStanza}
            onEscape={() => setInspecting(false)}
          />
          {inspectorStanza && (
            <Inspector stanza={inspectorStanza} call={selectedCall} onClose={() => setInspecting(false)} />
          )}
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

/** Index of `value` in an ascending array, or -1 (binary search). */
function sortedIndexOf(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return mid;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Wraps the ladder so the call list's Enter can move focus into it. */
function LadderFocus(props: { focusRef: { current: () => void }; children: preact.ComponentChildren }) {
  const ref = useRef<HTMLDivElement | null>(null);
  props.focusRef.current = () => {
    const el = ref.current?.querySelector<HTMLElement>("[data-testid=ladder]");
    el?.focus();
  };
  return (
    <div class="ladder-wrap" ref={ref}>
      {props.children}
    </div>
  );
}
