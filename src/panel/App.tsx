/**
 * The WA Calls panel: a call list (one row per call-id) and the selected call's
 * timeline with ack latencies and the terminate/reject reason with its meaning.
 */
import { useMemo, useState } from "preact/hooks";
import { describeReason, reasonInfo } from "../shared/stanza/reasons";
import { buildCalls, CALL_STATE_LABEL, type CallSummary, type TimelineEntry } from "../shared/trace/calls";
import type { CaptureHealth } from "../shared/trace/types";
import { formatClock, formatMs, formatRel } from "./format";
import type { PanelState } from "./state";

/** Props of {@link App}. */
export interface AppProps {
  state: PanelState;
  onClear: () => void;
}

function emptyReason(state: PanelState): string {
  const h = state.health;
  if (!state.connected) return "Connecting to the extension's background…";
  const seen = Object.values(h.seenByTag).reduce((a, b) => a + b, 0);
  const tap = h.taps.find((t) => t.name === "comms-config");
  if (!tap)
    return "No tap has reported from this tab yet. Is this web.whatsapp.com? Reload the page to install the tap.";
  if (!tap.installed) return `Tap not installed: ${tap.note ?? "no comms module found"}.`;
  if (h.commsMode === "worker") return "Comms run in a worker: the page tap cannot see stanzas in this mode.";
  if (seen === 0) return "Tap installed; no stanza seen yet. Make or receive a call.";
  return `${seen} stanzas seen, none were call stanzas. Make or receive a call.`;
}

function HealthBar({ health, stanzaCount }: { health: CaptureHealth; stanzaCount: number }) {
  const taps = health.taps.map(
    (t) => `${t.name}: ${t.installed ? (t.live ? "live" : "installed") : "not installed"}`,
  );
  const seen = Object.values(health.seenByTag).reduce((a, b) => a + b, 0);
  return (
    <div class="health" data-testid="health">
      <span>{health.build ? `WhatsApp Web ${health.build}` : "WhatsApp Web build unknown"}</span>
      <span>{taps.join(" · ") || "no tap"}</span>
      <span data-testid="health-counts">
        seen {seen} · forwarded {health.forwarded} · kept in page {health.filtered} · captured {stanzaCount}
      </span>
      {health.errors > 0 && (
        <span class="error">
          {health.errors} errors{health.lastError ? `: ${health.lastError.message}` : ""}
        </span>
      )}
    </div>
  );
}

function ReasonCell({ call }: { call: CallSummary }) {
  if (call.reason === undefined) return <td>{call.reasonAction ? "(none)" : ""}</td>;
  const info = reasonInfo(call.reason);
  return (
    <td
      title={`${describeReason(call.reason)}${info ? ` (${info.confidence}, ${info.parts.join(", ")})` : ""}`}
    >
      <code>{call.reason}</code>
    </td>
  );
}

function CallList(props: { calls: CallSummary[]; selected?: string; onSelect: (id: string) => void }) {
  return (
    <table class="calls" data-testid="call-list">
      <thead>
        <tr>
          <th>Start</th>
          <th>Dir</th>
          <th>Peer</th>
          <th>Media</th>
          <th>Duration</th>
          <th>State</th>
          <th>Reason</th>
          <th>Offer ack</th>
          <th>Stanzas</th>
        </tr>
      </thead>
      <tbody>
        {props.calls.map((c) => (
          <tr
            key={c.callId}
            class={c.callId === props.selected ? "selected" : ""}
            data-call-id={c.callId}
            data-state={c.state}
            data-reason={c.reason ?? ""}
            onClick={() => props.onSelect(c.callId)}
          >
            <td>{formatClock(c.startT)}</td>
            <td>{c.direction === "out" ? "↗ out" : c.direction === "in" ? "↙ in" : "?"}</td>
            <td class="jid">{c.peer ?? c.callCreator ?? "?"}</td>
            <td>{c.media ?? ""}</td>
            <td>{formatMs(c.durationMs)}</td>
            <td class={`state state-${c.state}`}>{CALL_STATE_LABEL[c.state]}</td>
            <ReasonCell call={c} />
            <td data-testid="offer-ack">{formatMs(c.offerAckLatencyMs)}</td>
            <td>{c.entries.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function entryDetail(e: TimelineEntry): string {
  const v = e.view;
  if (v.kind === "call") {
    const parts: string[] = [];
    if (v.reason !== undefined) parts.push(`reason=${v.reason} — ${describeReason(v.reason)}`);
    if (v.media && v.action === "offer") parts.push(v.media);
    if (v.durationS !== undefined) parts.push(`duration ${v.durationS} s`);
    if (v.relayRttMs !== undefined) parts.push(`relay rtt ${v.relayRttMs} ms`);
    if (v.muteState !== undefined) parts.push(`mute-state=${v.muteState}`);
    if (!v.known) parts.push("unknown action (kept)");
    return parts.join(" · ");
  }
  if (v.kind === "ack") return `${v.error ? `error=${v.error} · ` : ""}answers #${e.answersSeq ?? "?"}`;
  if (v.kind === "receipt") return `answers #${e.answersSeq ?? "?"}`;
  return "";
}

function Timeline({ call }: { call: CallSummary }) {
  return (
    <div class="timeline">
      <h2>
        Call <code>{call.callId}</code> · {CALL_STATE_LABEL[call.state]}
        {call.reason !== undefined && (
          <span data-testid="call-reason">
            {" "}
            · {call.reasonAction} reason <code>{call.reason}</code>: {describeReason(call.reason)}
          </span>
        )}
      </h2>
      <table data-testid="timeline">
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Dir</th>
            <th>Stanza</th>
            <th>Id</th>
            <th>Ack latency</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {call.entries.map((e) => {
            const v = e.view;
            const action = v.kind === "call" ? v.action : v.kind === "other" ? v.tag : v.kind;
            const label =
              v.kind === "ack"
                ? `ack${v.type ? ` (${v.type})` : ""}`
                : v.kind === "receipt"
                  ? `receipt (${v.child ?? "?"})`
                  : action;
            const id = v.kind === "other" ? undefined : v.id;
            return (
              <tr
                key={e.stanza.seq}
                data-seq={e.stanza.seq}
                data-kind={v.kind}
                data-action={action}
                data-direction={e.stanza.direction}
                data-ack-latency={e.ackLatencyMs === undefined ? "" : e.ackLatencyMs.toFixed(3)}
                class={e.negative ? "anomaly" : ""}
              >
                <td>{e.stanza.seq}</td>
                <td title={formatClock(e.stanza.t)}>{formatRel(e.relMs)}</td>
                <td>{e.stanza.direction === "out" ? "→ sent" : "← recv"}</td>
                <td>
                  <code>{label}</code>
                </td>
                <td class="jid">{id ?? ""}</td>
                <td>
                  {e.ackLatencyMs !== undefined
                    ? formatMs(e.ackLatencyMs)
                    : v.kind === "call" && id
                      ? "no ack"
                      : ""}
                </td>
                <td>{entryDetail(e)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The whole panel. */
export function App({ state, onClear }: AppProps) {
  const index = useMemo(() => buildCalls(state.stanzas), [state.stanzas]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const current = index.calls.find((c) => c.callId === selected) ?? index.calls[index.calls.length - 1];
  return (
    <div class="app">
      <div class="toolbar">
        <strong>WA Calls</strong>
        <span data-testid="summary">
          {index.calls.length} calls · {state.stanzas.length} stanzas
          {index.errors.length > 0 ? ` · ${index.errors.length} unreadable` : ""}
        </span>
        <button type="button" onClick={onClear}>
          Clear
        </button>
      </div>
      <HealthBar health={state.health} stanzaCount={state.stanzas.length} />
      {index.calls.length === 0 ? (
        <div class="empty" data-testid="empty">
          {emptyReason(state)}
        </div>
      ) : (
        <div class="main">
          <CallList calls={index.calls} selected={current?.callId} onSelect={setSelected} />
          {current && <Timeline call={current} />}
        </div>
      )}
      {index.errors.length > 0 && (
        <ul class="errors" data-testid="errors">
          {index.errors.map((s) => (
            <li key={s.seq}>
              #{s.seq} {s.direction}: {s.error?.message}
              {s.error?.offset !== undefined ? ` at byte ${s.error.offset}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
