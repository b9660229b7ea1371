/**
 * The calls view: the sortable call list and, beside it, the ladder of the selected call(s)
 * with the inspector docked next to it. Enter in the list moves focus into the ladder.
 */
import type { ComponentChildren } from "preact";
import { useMemo, useRef } from "preact/hooks";
import type { CallSummary } from "../shared/trace/calls";
import type { CallColumn, CallSort } from "../shared/view/callColumns";
import { layoutLadder } from "../shared/view/ladder";
import type { TimeMode } from "../shared/view/time";
import { CallList } from "./CallList";
import type { CallSelection } from "./hooks/useCallSelection";
import type { FindingsCount } from "./hooks/useFindings";
import { Ladder } from "./Ladder";

/** Props of {@link CallsView}. */
export interface CallsViewProps {
  /** The calls as listed (filtered and sorted). */
  calls: readonly CallSummary[];
  sort: CallSort;
  onSort(column: CallColumn): void;
  selection: CallSelection;
  peerLabel(c: CallSummary): string;
  findings: FindingsCount;
  onVisible(shown: CallSummary[]): void;
  /** The ladder's lane labels (pseudonyms), if not the JIDs themselves. */
  ladderLabel?: (jid: string) => string;
  timeMode: TimeMode;
  selectedSeq?: number;
  isMatch(seq: number): boolean;
  onSelectStanza(seq: number, inspect: boolean): void;
  onEscape(): void;
  /** The inspector, when open. */
  inspector?: ComponentChildren;
}

/** The calls view. */
export function CallsView({ selection, ladderLabel, timeMode, selectedSeq, ...props }: CallsViewProps) {
  const ladderFocus = useRef<() => void>(() => undefined);
  const ladderCalls = selection.ladderCalls;
  const layout = useMemo(
    () => layoutLadder(ladderCalls, { label: ladderLabel, timeMode, selectedSeq }),
    [ladderCalls, ladderLabel, timeMode, selectedSeq],
  );
  return (
    <div class="calls-view">
      <CallList
        calls={props.calls}
        selected={selection.ids}
        sort={props.sort}
        peerLabel={props.peerLabel}
        findings={props.findings}
        onSort={props.onSort}
        onSelect={selection.select}
        onVisible={props.onVisible}
        onEnter={() => ladderFocus.current()}
      />
      <div class="detail">
        {ladderCalls.length > 0 ? (
          <LadderFocus focusRef={ladderFocus}>
            <Ladder
              calls={ladderCalls}
              layout={layout}
              selectedSeq={selectedSeq}
              isMatch={props.isMatch}
              onSelect={props.onSelectStanza}
              onEscape={props.onEscape}
            />
          </LadderFocus>
        ) : (
          <div class="empty">No call matches the filter.</div>
        )}
        {props.inspector}
      </div>
    </div>
  );
}

/** Wraps the ladder so the call list's Enter can move focus into it. */
function LadderFocus(props: { focusRef: { current: () => void }; children: ComponentChildren }) {
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
