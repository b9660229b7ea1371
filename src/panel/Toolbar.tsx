/**
 * The panel's toolbar: Pause/Resume, Clear, Preserve log, the trace controls (save, export,
 * open), the session summary, the dropped counter and the cap, pseudonyms, the time column's
 * mode, and the view tabs.
 */
import { useState } from "preact/hooks";
import { TIME_MODE_LABEL, type TimeMode } from "../shared/view/time";
import type { PanelActions } from "./actions";
import type { PanelSnapshot } from "./state";
import { TraceControls } from "./TraceControls";

/** The panel's views. */
export type PanelView = "calls" | "stanzas" | "evidence";

/** The views in tab order, with their tab labels. */
const VIEWS: readonly (readonly [PanelView, string])[] = [
  ["calls", "Calls"],
  ["stanzas", "Stanzas"],
  ["evidence", "Evidence"],
];

/** Props of {@link Toolbar}. */
export interface ToolbarProps {
  s: PanelSnapshot;
  actions: PanelActions;
  onPause(paused: boolean): void;
  /** File name of the saved trace shown instead of the live tab, if any. */
  viewing?: string;
  /** The call the per-call exports use. */
  callId?: string;
  pseudonymise: boolean;
  onPseudonymise(on: boolean): void;
  timeMode: TimeMode;
  onTimeMode(mode: TimeMode): void;
  view: PanelView;
  onView(view: PanelView): void;
}

/** The toolbar. */
export function Toolbar({ s, actions, ...props }: ToolbarProps) {
  const index = s.index;
  const cap = s.settings?.cap;
  // The cap being typed: sent on change (Enter or blur), not per keystroke.
  const [capDraft, setCapDraft] = useState<string | undefined>(undefined);
  return (
    <div class="toolbar" role="toolbar" aria-label="Capture">
      <strong>WA Calls</strong>
      <button
        type="button"
        data-testid="pause"
        aria-pressed={s.paused}
        title={
          s.paused ? "Resume: apply what arrived while paused" : "Pause: freeze the view (nothing is lost)"
        }
        onClick={() => props.onPause(!s.paused)}
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
        callId={props.callId}
        viewing={props.viewing}
        onOpen={(t, name) => actions.openTrace(t, name)}
        onBackToLive={actions.backToLive}
      />
      <span class="sep" />
      <span data-testid="summary">
        {index.calls().length} calls · {index.rows.length} stanzas
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
          checked={props.pseudonymise}
          onChange={(ev) => props.onPseudonymise((ev.target as HTMLInputElement).checked)}
        />{" "}
        Pseudonyms
      </label>
      <label>
        Time{" "}
        <select
          data-testid="time-mode"
          value={props.timeMode}
          onChange={(ev) => props.onTimeMode((ev.target as HTMLSelectElement).value as TimeMode)}
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
            aria-selected={props.view === id}
            data-testid={`view-${id}`}
            onClick={() => props.onView(id)}
          >
            {label}
          </button>
        ))}
      </div>
    </div>
  );
}
