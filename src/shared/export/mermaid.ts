/**
 * One call as a Mermaid `sequenceDiagram` (text only; GitHub and GitLab render it). Lanes:
 * this device, the server, then each other JID (pseudonyms). Acks and receipts are dashed;
 * answered stanzas show their ack latency (marked when the trace has second precision). The
 * title's state is marked `(inferred)` when the flow gave it, and a note says on what basis.
 */

import type { SanitizedTrace } from "../sanitize/sanitize";
import { describeReason } from "../stanza/reasons";
import { callReasonText, callStateText } from "../trace/calls";
import { type ExportResult, finishOne, isExportInputError } from "./finish";
import { callArrows, relTime, selectCall } from "./select";

/** Mermaid-safe message text: `#` and `;` as entity codes, no line breaks. */
export function mermaidText(s: string): string {
  return s.replace(/[#;]/g, (c) => (c === "#" ? "#35;" : "#59;")).replace(/[\r\n]+/g, " ");
}

/**
 * The Mermaid source of one call.
 * @param callId the call's (pseudonymous) call-id; may be omitted when the trace has one call.
 */
export function exportMermaid(trace: SanitizedTrace, callId?: string): ExportResult {
  const sel = selectCall(trace, callId);
  if (isExportInputError(sel)) return { ok: false, error: sel };
  const { call, analysis } = sel;
  const { lanes, arrows } = callArrows(sel);
  const dir =
    call.direction === "out" ? "outgoing" : call.direction === "in" ? "incoming" : "direction unknown";
  const lines = ["sequenceDiagram"];
  lines.push(
    `  title ${mermaidText(`Call ${call.callId} · ${dir} · ${call.media ?? "media unknown"} · ${callStateText(call)}`)}`,
  );
  for (const l of lanes) lines.push(`  participant ${l.id} as ${mermaidText(l.label)}`);
  for (const a of arrows) {
    const text = `${relTime(a.entry, analysis)} ${a.label}${a.latency ? ` (${a.latency})` : ""}`;
    lines.push(`  ${a.from}${a.dashed ? "-->>" : "->>"}${a.to}: ${mermaidText(text)}`);
  }
  if (call.reasonAction) {
    const r =
      call.reason === undefined
        ? "no reason given"
        : `reason ${callReasonText(call)} (${describeReason(call.reason)})`;
    lines.push(`  Note over Me,Server: ${mermaidText(`${call.reasonAction}: ${r}`)}`);
  }
  if (call.stateInferred)
    lines.push(
      `  Note over Me,Server: ${mermaidText(`${callStateText(call)}: state inferred from the flow: ${call.stateInferred}`)}`,
    );
  return finishOne([trace], {
    format: "mermaid",
    text: `${lines.join("\n")}\n`,
    fileName: `${call.callId}.mmd`,
    mime: "text/vnd.mermaid",
  });
}
