/**
 * The flat stanza table of the whole session, virtualised (only rows in view are in the
 * DOM), so 100,000 rows scroll and filter smoothly. Keyboard: ↑/↓/PageUp/PageDown/Home/End
 * move, Enter opens the inspector.
 */
import { useEffect } from "preact/hooks";
import type { StanzaRow } from "../shared/view/rows";
import type { TimeCell } from "../shared/view/time";
import { useVirtualRows } from "./virtual";

const ROW_HEIGHT = 20;

/** Props of {@link StanzaTable}. */
export interface StanzaTableProps {
  rows: readonly StanzaRow[];
  /** Time cell of a row (by index in `rows`). */
  time(index: number): TimeCell;
  selectedSeq?: number;
  callLabel(row: StanzaRow): string;
  jidLabel(jid: string | undefined): string;
  onSelect(seq: number, inspect: boolean): void;
  onEscape(): void;
}

/** The stanza table. */
export function StanzaTable(props: StanzaTableProps) {
  const { rows } = props;
  const v = useVirtualRows(rows.length, ROW_HEIGHT, 20);
  const selIndex = props.selectedSeq === undefined ? -1 : findIndexBySeq(rows, props.selectedSeq);
  const { scrollToIndex } = v;
  useEffect(() => {
    if (selIndex >= 0) scrollToIndex(selIndex);
  }, [selIndex, scrollToIndex]);

  const onKeyDown = (ev: KeyboardEvent) => {
    let next: number | undefined;
    const cur = selIndex;
    if (ev.key === "ArrowDown") next = Math.min(rows.length - 1, cur + 1);
    else if (ev.key === "ArrowUp") next = Math.max(0, cur - 1);
    else if (ev.key === "PageDown") next = Math.min(rows.length - 1, cur + 20);
    else if (ev.key === "PageUp") next = Math.max(0, cur - 20);
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = rows.length - 1;
    else if (ev.key === "Enter") {
      if (cur >= 0) props.onSelect(rows[cur].seq, true);
      ev.preventDefault();
      return;
    } else if (ev.key === "Escape") {
      props.onEscape();
      return;
    }
    if (next === undefined || !rows[next]) return;
    ev.preventDefault();
    props.onSelect(rows[next].seq, false);
  };

  return (
    <div class="table-scroll stanzas-scroll" ref={v.scrollRef} data-testid="stanza-table-scroll">
      <table
        class="stanzas vtable"
        data-testid="stanza-table"
        aria-label="Stanzas"
        aria-rowcount={rows.length}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a virtualised, keyboard-driven data grid
        role="grid"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Dir</th>
            <th>Stanza</th>
            <th>Detail</th>
            <th>Id</th>
            <th>Call</th>
            <th>From / to</th>
          </tr>
        </thead>
        <tbody style={{ height: `${v.totalSize}px` }}>
          {v.items.map(({ index, start }) => {
            const r = rows[index];
            if (!r) return null;
            const time = props.time(index);
            return (
              <tr
                // Keyed by slot, not by stanza: scrolling and filtering update rows in place.
                key={index - (v.items[0]?.index ?? 0)}
                style={{ transform: `translateY(${start}px)` }}
                class={`${r.seq === props.selectedSeq ? "selected" : ""}${r.kind === "unreadable" ? " unreadable" : ""}`}
                data-seq={r.seq}
                data-action={r.action}
                data-direction={r.direction}
                onClick={() => props.onSelect(r.seq, true)}
              >
                <td>{r.seq}</td>
                <td class={time.negative || time.backwards ? "anomaly" : ""}>
                  {time.text}
                  {time.backwards ? " ⚠" : ""}
                </td>
                <td>{r.direction === "out" ? "→ sent" : "← recv"}</td>
                <td>
                  <code>{r.label}</code>
                  {r.unconfirmed && (
                    <span class="unconfirmed" title={UNCONFIRMED_TITLE} data-testid="unconfirmed">
                      {" "}
                      unconfirmed
                    </span>
                  )}
                </td>
                <td>{r.detail}</td>
                <td class="jid">{r.stanzaId ?? ""}</td>
                <td class="jid">{props.callLabel(r)}</td>
                <td class="jid">{props.jidLabel(r.direction === "out" ? r.to : r.from)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function findIndexBySeq(rows: readonly StanzaRow[], seq: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = rows[mid].seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Why a row is marked unconfirmed (tooltip). */
export const UNCONFIRMED_TITLE =
  "Seen only by WhatsApp's codec on this page, not by a transport or comms tap: not confirmed on the wire (comms in a worker; deep capture confirms it)";
