/**
 * One call (or every call) as a plain-text ladder: a header with state (marked `(inferred)`
 * with its basis when the flow, not a reason, gave it), reason ("no reason given" when the
 * ending stanza had none) and offer ack latency, then one row per stanza with its relative time and an arrow between lanes
 * (this device, server, each other JID), e.g.
 * ```
 *  +0.000 s  |---------- offer S0001 ---------->|                  |
 * ```
 */

import type { SanitizedTrace } from "../sanitize/sanitize";
import { describeReason } from "../stanza/reasons";
import { callReasonText, callStateText } from "../trace/calls";
import { analyzeTrace, formatDuration, formatLatency } from "../tracefile/analyze";
import { type ExportResult, finishOne, isExportInputError } from "./finish";
import { type Arrow, callArrows, type Lane, relTime, type SelectedCall, selectCall } from "./select";

const MIN_GAP = 18;
const MAX_GAP = 64;

function drawRow(arrow: Arrow, lanes: Lane[], gap: number, left: number): string {
  const width = left + gap * (lanes.length - 1) + 1;
  const row = new Array<string>(width).fill(" ");
  lanes.forEach((_, i) => {
    row[left + i * gap] = "|";
  });
  const a = lanes.findIndex((l) => l.id === arrow.from);
  const b = lanes.findIndex((l) => l.id === arrow.to);
  const x0 = left + Math.min(a, b) * gap;
  const x1 = left + Math.max(a, b) * gap;
  const fill = arrow.dashed ? "." : "-";
  for (let x = x0 + 1; x < x1; x++) row[x] = fill;
  if (b > a) row[x1 - 1] = ">";
  else row[x0 + 1] = "<";
  let text = arrow.label + (arrow.latency ? ` (${arrow.latency})` : "");
  const room = x1 - x0 - 5;
  if (text.length > room) text = `${text.slice(0, Math.max(0, room - 1))}…`;
  const start = x0 + 2 + Math.floor((room - text.length) / 2) + 1;
  row[start - 1] = " ";
  for (let i = 0; i < text.length; i++) row[start + i] = text[i];
  row[start + text.length] = " ";
  return row.join("").trimEnd();
}

/** The ladder lines of one selected call. */
export function ladderLines(sel: SelectedCall): string[] {
  const { call, analysis } = sel;
  const { lanes, arrows } = callArrows(sel);
  // Lane spacing: wide enough for every arrow's text across the lanes it spans.
  const index = new Map(lanes.map((l, i) => [l.id, i]));
  let need = MIN_GAP;
  for (const a of arrows) {
    const span = Math.max(1, Math.abs((index.get(a.from) ?? 0) - (index.get(a.to) ?? 0)));
    const len = a.label.length + (a.latency ? a.latency.length + 3 : 0) + 8;
    need = Math.max(need, Math.ceil(len / span));
  }
  const gap = Math.min(MAX_GAP, need);
  const left = 11;
  const dir =
    call.direction === "out" ? "outgoing" : call.direction === "in" ? "incoming" : "direction unknown";
  const q = analysis.latency;
  const lines = [
    `Call ${call.callId} · ${dir} · peer ${call.peer ?? "?"} · ${call.media ?? "?"} · ${callStateText(call)}`,
    `  ${call.entries.length} stanzas · duration ${formatDuration(call.durationMs, q)} · offer ack ${formatLatency(call.offerAckLatencyMs, q)}`,
  ];
  if (call.reasonAction) {
    lines.push(
      call.reason === undefined
        ? `  ${call.reasonAction}: no reason given`
        : `  ${call.reasonAction} reason: ${callReasonText(call)} — ${describeReason(call.reason)}`,
    );
  }
  if (call.stateInferred) lines.push(`  state inferred from the flow: ${call.stateInferred}`);
  if (q === "seconds") lines.push("  times have 1 s resolution: latencies are ±1 s");
  if (q === "order-only") lines.push("  the source had no times: only the order is meaningful");
  lines.push("");
  const header = new Array<string>(left + gap * (lanes.length - 1) + 40).fill(" ");
  lanes.forEach((l, i) => {
    const label = l.label.length > gap - 2 ? `${l.label.slice(0, gap - 3)}…` : l.label;
    const x = Math.max(0, left + i * gap - Math.floor(label.length / 2));
    for (let k = 0; k < label.length; k++) header[x + k] = label[k];
  });
  lines.push(header.join("").trimEnd());
  for (const a of arrows) {
    const t = relTime(a.entry, analysis).padStart(left - 2);
    lines.push(t + drawRow(a, lanes, gap, left).slice(t.length));
  }
  return lines;
}

/**
 * The ladder of one call, or of every call when `callId` is omitted (calls separated by a blank line).
 */
export function exportLadder(trace: SanitizedTrace, callId?: string): ExportResult {
  let blocks: string[][];
  if (callId === undefined) {
    const analysis = analyzeTrace(trace);
    if (!analysis.index.calls.length) {
      const sel = selectCall(trace);
      if (isExportInputError(sel)) return { ok: false, error: sel };
    }
    blocks = analysis.index.calls.map((call) => ladderLines({ call, analysis }));
  } else {
    const sel = selectCall(trace, callId);
    if (isExportInputError(sel)) return { ok: false, error: sel };
    blocks = [ladderLines(sel)];
  }
  return finishOne([trace], {
    format: "ladder",
    text: `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`,
    fileName: `${callId ?? "calls"}.ladder.txt`,
    mime: "text/plain",
  });
}
