/**
 * The ladder: an SVG sequence diagram of the selected call(s), drawn from the pure layout
 * of `shared/view/ladder.ts`. One arrow per stanza in capture order; acks and receipts
 * dashed, with latency brackets to the stanza they answer; the ending reason on the last
 * arrow. Keyboard: ↑/↓ move between arrows, ←/→ jump between a stanza and its answer,
 * Enter opens the inspector.
 */
import { useCallback, useEffect, useRef } from "preact/hooks";
import { describeReason } from "../shared/stanza/reasons";
import { type CallSummary, callReasonText, callStateText } from "../shared/trace/calls";
import { type LadderLayout, ladderGeometry } from "../shared/view/ladder";
import { formatMs } from "./format";
import { ArrowRow } from "./LadderArrow";

/** Props of {@link Ladder}. */
export interface LadderProps {
  calls: readonly CallSummary[];
  layout: LadderLayout;
  selectedSeq?: number;
  /** Whether a stanza matches the filter text (highlighted). */
  isMatch?(seq: number): boolean;
  onSelect(seq: number, inspect: boolean): void;
  onEscape(): void;
}

/** The ladder of the selected calls. */
export function Ladder(props: LadderProps) {
  const { layout, calls } = props;
  const g = ladderGeometry(layout);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const selectedIndex = layout.arrows.findIndex((a) => a.seq === props.selectedSeq);
  const onSelectRef = useRef(props.onSelect);
  onSelectRef.current = props.onSelect;
  const onArrowClick = useCallback((seq: number) => onSelectRef.current(seq, true), []);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selectedIndex < 0) return;
    const y = g.rowY(selectedIndex);
    if (y - g.rowHeight < el.scrollTop) el.scrollTop = y - g.rowHeight - g.headerHeight;
    else if (y + g.rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = y + g.rowHeight - el.clientHeight;
  }, [selectedIndex, g]);

  const onKeyDown = (ev: KeyboardEvent) => {
    const arrows = layout.arrows;
    if (!arrows.length) return;
    const cur = selectedIndex;
    let next: number | undefined;
    if (ev.key === "ArrowDown") next = Math.min(arrows.length - 1, cur + 1);
    else if (ev.key === "ArrowUp") next = Math.max(0, cur < 0 ? 0 : cur - 1);
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = arrows.length - 1;
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      const a = arrows[cur];
      if (a?.answersIndex !== undefined) next = a.answersIndex;
      else if (a) {
        const answer = arrows.find((x) => x.answersIndex === cur);
        if (answer) next = answer.index;
      }
    } else if (ev.key === "Enter") {
      if (cur >= 0) props.onSelect(arrows[cur].seq, true);
      ev.preventDefault();
      return;
    } else if (ev.key === "Escape") {
      props.onEscape();
      return;
    }
    if (next !== undefined) {
      ev.preventDefault();
      props.onSelect(arrows[next].seq, false);
    }
  };

  const single = calls.length === 1 ? calls[0] : undefined;
  const ender = single?.reasonAction;
  return (
    <div class="ladder-pane">
      <h2>
        {single ? (
          <>
            Call <code>{single.callId}</code> ·{" "}
            <span title={single.stateInferred}>{callStateText(single)}</span>
            {ender !== undefined && (
              <span data-testid="call-reason">
                {" "}
                · {ender} reason <code>{callReasonText(single)}</code>: {describeReason(single.reason)}
              </span>
            )}
          </>
        ) : (
          <>{calls.length} calls merged</>
        )}
      </h2>
      <div
        class="ladder-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="listbox"
        aria-label="Ladder"
        data-testid="ladder"
        onKeyDown={onKeyDown}
      >
        <svg width={g.width} height={g.height} class="ladder">
          <title>Sequence diagram of the selected call(s)</title>
          <defs>
            <marker
              id="head"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" class="head" />
            </marker>
          </defs>
          <text class="lane-head" x={6} y={18}>
            time
          </text>
          {layout.lanes.map((lane, i) => (
            <g key={lane.key} class={`lane lane-${lane.kind}`} data-lane={lane.key}>
              <text class="lane-head" x={g.laneX(i)} y={18} text-anchor="middle">
                {lane.label}
                {lane.title && <title>{lane.title}</title>}
              </text>
              <line x1={g.laneX(i)} x2={g.laneX(i)} y1={g.headerHeight} y2={g.height} class="lane-line" />
            </g>
          ))}
          {layout.arrows.map((a) => (
            <ArrowRow
              key={a.seq}
              a={a}
              y={g.rowY(a.index)}
              x1={g.laneX(a.from)}
              x2={g.laneX(a.to)}
              width={g.width}
              rowHeight={g.rowHeight}
              precisionMs={layout.precisionMs}
              selected={a.seq === props.selectedSeq}
              match={props.isMatch?.(a.seq) ?? false}
              onSelect={onArrowClick}
            />
          ))}
          {layout.brackets.map((b) => {
            const y1 = g.rowY(b.from);
            const y2 = g.rowY(b.to);
            const x = g.bracketX(b.column);
            return (
              <g
                key={`${b.from}-${b.to}`}
                class={`bracket ${b.kind}${b.negative ? " anomaly" : ""}`}
                data-testid="bracket"
              >
                <path d={`M ${x + 4} ${y1} h -4 V ${y2} h 4`} />
                <text x={x - 3} y={(y1 + y2) / 2 + 4} text-anchor="end">
                  {b.negative ? "−" : ""}
                  {formatMs(Math.abs(b.ms), layout.precisionMs)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
