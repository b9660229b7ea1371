/**
 * One arrow of the ladder: the stanza's time, its arrow between two lanes with label and key
 * attributes, the reason line of an ending stanza, and its tooltip. Rows re-render only when
 * what they show changed (arrows are rebuilt by every layout).
 */
import { type LadderArrow, REASON_LINE_HEIGHT } from "../shared/view/ladder";
import { formatMs } from "./format";
import { memo } from "./memo";

function arrowPath(x1: number, x2: number, y: number): string {
  if (x1 === x2) return `M ${x1} ${y - 8} h 24 v 16 h -22`;
  return `M ${x1} ${y} L ${x2} ${y}`;
}

/** Props of one arrow row (positions precomputed, so that unchanged rows can skip rendering). */
interface ArrowRowProps {
  a: LadderArrow;
  y: number;
  x1: number;
  x2: number;
  width: number;
  rowHeight: number;
  /** The ladder's timer precision, ms (shared/view/precision.ts): latencies get no more digits. */
  precisionMs: number | undefined;
  selected: boolean;
  match: boolean;
  onSelect(seq: number): void;
}

/**
 * Whether two arrows show the same (arrows are rebuilt by every layout). Field by field, not
 * through a joined string: this runs for every arrow on every live frame.
 */
function sameArrow(a: LadderArrow, b: LadderArrow): boolean {
  return (
    a.seq === b.seq &&
    a.index === b.index &&
    a.from === b.from &&
    a.to === b.to &&
    a.label === b.label &&
    a.detail === b.detail &&
    a.time.text === b.time.text &&
    a.time.backwards === b.time.backwards &&
    a.time.negative === b.time.negative &&
    a.negative === b.negative &&
    a.ackLatencyMs === b.ackLatencyMs &&
    a.receiptDelayMs === b.receiptDelayMs &&
    a.answersIndex === b.answersIndex &&
    a.finalReason?.raw === b.finalReason?.raw &&
    a.reason?.raw === b.reason?.raw
  );
}

function sameArrowRow(p: ArrowRowProps, n: ArrowRowProps): boolean {
  return (
    p.y === n.y &&
    p.x1 === n.x1 &&
    p.x2 === n.x2 &&
    p.width === n.width &&
    p.precisionMs === n.precisionMs &&
    p.selected === n.selected &&
    p.match === n.match &&
    p.onSelect === n.onSelect &&
    (p.a === n.a || sameArrow(p.a, n.a))
  );
}

/** One arrow row of the ladder. */
export const ArrowRow = memo(function ArrowRow(props: ArrowRowProps) {
  const { a, y, x1, x2 } = props;
  const g = { width: props.width, rowHeight: props.rowHeight };
  const left = Math.min(x1, x2);
  const mid = x1 === x2 ? x1 + 30 : (x1 + x2) / 2;
  const cls = [
    "arrow",
    a.dashed ? "dashed" : "",
    a.direction === "out" ? "out" : "in",
    props.selected ? "selected" : "",
    props.match ? "match" : "",
    a.negative || a.time.backwards ? "anomaly" : "",
    a.finalReason ? "final" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const reason = a.finalReason ?? a.reason;
  const reasonText = reason
    ? `${reason.raw === "" && !a.reason ? "no reason" : `reason=${reason.raw === "" ? '""' : reason.raw}`} — ${reason.meaning}${
        reason.confidence
          ? ` (${reason.confidence}${reason.parts?.length ? ` · ${reason.parts.join(", ")}` : ""})`
          : ""
      }`
    : "";
  const latency =
    a.ackLatencyMs !== undefined
      ? `ack ${formatMs(a.ackLatencyMs, props.precisionMs)}${a.negative ? " (negative!)" : ""}`
      : a.kind === "call" && a.stanzaId
        ? "no ack captured"
        : "";
  return (
    <g
      class={cls}
      role="option"
      aria-selected={props.selected}
      data-testid="arrow"
      data-seq={a.seq}
      data-call-id={a.callId}
      data-action={a.action}
      data-kind={a.kind}
      data-direction={a.direction}
      data-stanza-id={a.stanzaId ?? ""}
      data-ack-latency={a.ackLatencyMs === undefined ? "" : a.ackLatencyMs.toFixed(3)}
      data-answers={a.answersIndex === undefined ? "" : String(a.answersIndex)}
      data-negative={a.negative || a.time.backwards ? "true" : "false"}
      onClick={() => props.onSelect(a.seq)}
    >
      <rect
        class="hit"
        x={0}
        y={y - g.rowHeight / 2 - 4}
        width={g.width}
        height={g.rowHeight + (reasonText ? REASON_LINE_HEIGHT : 0)}
      />
      <text class={`time${a.time.negative || a.time.backwards ? " anomaly" : ""}`} x={6} y={y + 4}>
        {a.time.text}
        {a.time.backwards ? " ⚠" : ""}
        <title>
          {a.time.backwards
            ? "Captured after the previous stanza but timestamped earlier (clock or capture-order anomaly)"
            : `#${a.seq}`}
        </title>
      </text>
      <path class="line" d={arrowPath(x1, x2, y)} marker-end="url(#head)" />
      <text class="label" x={mid} y={y - 5} text-anchor="middle">
        {a.label}
        {a.detail && !a.reason ? ` ${a.detail}` : ""}
        {a.kind === "call" && a.ackLatencyMs === undefined && a.stanzaId ? " ·" : ""}
      </text>
      {reasonText && (
        <text
          class={`reason${a.finalReason ? " final" : ""}`}
          x={left + 4}
          y={y + 14}
          data-testid="arrow-reason"
        >
          {reasonText}
        </text>
      )}
      <title>
        #{a.seq} {a.direction === "out" ? "sent" : "received"} {a.label}
        {a.stanzaId ? ` id=${a.stanzaId}` : ""}
        {latency ? ` · ${latency}` : ""}
        {a.receiptDelayMs !== undefined ? ` · receipt ${formatMs(a.receiptDelayMs, props.precisionMs)}` : ""}
      </title>
    </g>
  );
}, sameArrowRow);
