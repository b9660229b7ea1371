/**
 * The call list: one virtualised row per call with its measures; click a header to sort,
 * Ctrl/⌘-click or Shift-click rows to merge several calls into one ladder. Keyboard: ↑/↓
 * move (Shift extends), Enter moves focus into the ladder.
 */
import { useEffect } from "preact/hooks";
import { describeReason, reasonInfo } from "../shared/stanza/reasons";
import { type CallSummary, callReasonText, callStateText } from "../shared/trace/calls";
import { CALL_COLUMNS, type CallColumn, type CallSort, callMetrics } from "../shared/view/callColumns";
import { clockText } from "../shared/view/time";
import { formatMs } from "./format";
import { memo } from "./memo";
import { useVirtualRows } from "./virtual";

const ROW_HEIGHT = 22;

/** Props of {@link CallList}. */
export interface CallListProps {
  calls: readonly CallSummary[];
  selected: readonly string[];
  sort: CallSort;
  peerLabel(call: CallSummary): string;
  /** Findings count, or `undefined` while still being counted. */
  findings(call: CallSummary): number | undefined;
  onSort(column: CallColumn): void;
  /** `mode`: replace the selection, toggle one call, or extend the range to it. */
  onSelect(callId: string, mode: "replace" | "toggle" | "range"): void;
  onEnter(): void;
  /** Told which calls are rendered (to count their findings first). */
  onVisible?(calls: CallSummary[]): void;
}

/** A measure at the call's timer precision (`precisionMs`), `⚠` when `negative`; empty when undefined. */
function ms(v: number | undefined, precisionMs: number | undefined, negative = false): string {
  return v === undefined ? "" : `${formatMs(v, precisionMs)}${negative ? " ⚠" : ""}`;
}

/** Props of one call row. */
interface CallRowProps {
  call: CallSummary;
  start: number;
  selected: boolean;
  primary: boolean;
  findings: number | undefined;
  peer: string;
  onSelect: CallListProps["onSelect"];
}

/** One call row; re-rendered only when one of its props changes. */
const CallRow = memo(function CallRow({
  call: c,
  start,
  selected: isSel,
  primary: isPrimary,
  findings,
  peer,
  onSelect,
}: CallRowProps) {
  const m = callMetrics(c);
  const info = c.reason === undefined ? undefined : reasonInfo(c.reason);
  return (
    <tr
      style={{ transform: `translateY(${start}px)` }}
      class={`${isSel ? "selected" : ""}${isPrimary ? " primary" : ""}`}
      aria-selected={isSel}
      data-call-id={c.callId}
      data-state={c.state}
      data-reason={c.reason ?? ""}
      onClick={(ev: MouseEvent) =>
        onSelect(c.callId, ev.shiftKey ? "range" : ev.ctrlKey || ev.metaKey ? "toggle" : "replace")
      }
    >
      <td title={`epoch ms ${c.startT}`}>{clockText(c.startT)}</td>
      <td>{formatMs(c.durationMs, m.precisionMs)}</td>
      <td>{c.direction === "out" ? "↗ out" : c.direction === "in" ? "↙ in" : "?"}</td>
      <td class="jid" title={peer}>
        {peer}
      </td>
      <td>{c.media ?? ""}</td>
      <td
        class={`state state-${c.state}${c.stateInferred ? " inferred" : ""}`}
        data-testid="call-state"
        data-inferred={c.stateInferred ? "true" : undefined}
        title={c.stateInferred ? `Inferred from the flow, not stated by a reason: ${c.stateInferred}` : ""}
      >
        {callStateText(c)}
      </td>
      <td
        data-testid="call-reason-cell"
        title={
          c.reason === undefined
            ? c.reasonAction
              ? `the <${c.reasonAction}> carried no reason attribute`
              : ""
            : `${describeReason(c.reason)}${info ? ` (${info.confidence}, ${info.parts.join(", ")})` : ""}`
        }
      >
        {c.reason === undefined ? (callReasonText(c) ?? "") : <code>{c.reason}</code>}
      </td>
      <td>{ms(m.setupMs, m.precisionMs)}</td>
      <td>{ms(m.ringMs, m.precisionMs)}</td>
      <td data-testid="offer-ack">{ms(c.offerAckLatencyMs, m.precisionMs)}</td>
      <td>{ms(m.ackMin, m.precisionMs, m.negativeAck)}</td>
      <td>{ms(m.ackMedian, m.precisionMs)}</td>
      <td>{ms(m.ackMax, m.precisionMs)}</td>
      <td>{c.entries.length}</td>
      <td
        class={findings !== undefined && findings > 0 ? "has-findings" : ""}
        data-testid="findings-count"
        title={findings === undefined ? "counting…" : ""}
      >
        {findings ?? "…"}
      </td>
    </tr>
  );
});

/** The call list. */
export function CallList(props: CallListProps) {
  const { calls, selected } = props;
  const v = useVirtualRows(calls.length, ROW_HEIGHT);
  const primary = selected[selected.length - 1];
  const primaryIndex = calls.findIndex((c) => c.callId === primary);
  const first = v.items[0]?.index ?? 0;
  const last = v.items[v.items.length - 1]?.index ?? -1;
  const { onVisible } = props;
  useEffect(() => onVisible?.(calls.slice(first, last + 1)), [calls, first, last, onVisible]);

  const onKeyDown = (ev: KeyboardEvent) => {
    let next: number | undefined;
    if (ev.key === "ArrowDown") next = Math.min(calls.length - 1, primaryIndex + 1);
    else if (ev.key === "ArrowUp") next = Math.max(0, primaryIndex - 1);
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = calls.length - 1;
    else if (ev.key === "PageDown") next = Math.min(calls.length - 1, primaryIndex + 10);
    else if (ev.key === "PageUp") next = Math.max(0, primaryIndex - 10);
    else if (ev.key === "Enter") {
      ev.preventDefault();
      props.onEnter();
      return;
    }
    if (next === undefined || !calls[next]) return;
    ev.preventDefault();
    props.onSelect(calls[next].callId, ev.shiftKey ? "range" : "replace");
    v.scrollToIndex(next);
  };

  return (
    <div class="table-scroll calls-scroll" ref={v.scrollRef} data-testid="call-list-scroll">
      <table
        class="calls vtable"
        data-testid="call-list"
        aria-label="Calls"
        aria-rowcount={calls.length}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a virtualised, keyboard-driven data grid
        role="grid"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            {CALL_COLUMNS.map((c) => (
              <th
                key={c.key}
                title={c.title}
                data-column={c.key}
                aria-sort={
                  props.sort.column === c.key ? (props.sort.descending ? "descending" : "ascending") : "none"
                }
                onClick={() => props.onSort(c.key)}
              >
                {c.label}
                {props.sort.column === c.key ? (props.sort.descending ? " ▾" : " ▴") : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: `${v.totalSize}px` }}>
          {v.items.map(({ index, start }) => {
            const c = calls[index];
            if (!c) return null;
            return (
              <CallRow
                key={c.callId}
                call={c}
                start={start}
                selected={selected.includes(c.callId)}
                primary={c.callId === primary}
                findings={props.findings(c)}
                peer={props.peerLabel(c)}
                onSelect={props.onSelect}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
