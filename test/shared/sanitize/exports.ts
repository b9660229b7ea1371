/** Every export format of a sanitized trace, for leak tests. */
import { exportEvidenceMarkdown } from "../../../src/shared/evidence/index";
import {
  type ExportResult,
  exportIssueBody,
  exportJsonTrace,
  exportLadder,
  exportMermaid,
  exportStanza,
  exportWacrg,
} from "../../../src/shared/export/index";
import type { SanitizedTrace } from "../../../src/shared/sanitize/index";
import { buildCalls } from "../../../src/shared/trace/calls";

/** Runs every exporter over `st` (every call, every stanza) and returns the results with a label. */
export function allExports(st: SanitizedTrace): { label: string; result: ExportResult }[] {
  const out: { label: string; result: ExportResult }[] = [];
  const push = (label: string, result: ExportResult) => out.push({ label, result });
  push("json", exportJsonTrace(st));
  push("ladder", exportLadder(st));
  push("evidence", exportEvidenceMarkdown([st]));
  const calls = buildCalls(st.stanzas).calls;
  if (calls.length) {
    push("wacrg-stanza", exportWacrg(st));
    push("wacrg-call", exportWacrg(st, { per: "call" }));
  }
  for (const c of calls) {
    push(`mermaid ${c.callId}`, exportMermaid(st, c.callId));
    push(`issue ${c.callId}`, exportIssueBody(st, { callId: c.callId }));
  }
  for (const s of st.stanzas) {
    push(`xml ${s.seq}`, exportStanza(st, s.seq, "xml"));
    push(`stanza-json ${s.seq}`, exportStanza(st, s.seq, "json"));
    if (s.node) push(`issue seq ${s.seq}`, exportIssueBody(st, { seq: s.seq }));
  }
  return out;
}
