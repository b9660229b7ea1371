/**
 * The panel's way out and back in: save the session as a sanitized trace, export one call
 * (wacrg records, issue body, Mermaid, plain-text ladder) or the research evidence, copy one
 * stanza, and open a saved trace. Every output goes through the sanitizer and its leak check
 * (`src/shared/sanitize`, `src/shared/export`); nothing here can write raw stanzas out.
 */
import type { Result } from "../shared/errors";
import { exportEvidenceMarkdown } from "../shared/evidence/report";
import { exportJsonTrace, exportStanza } from "../shared/export/basic";
import type { ExportResult } from "../shared/export/finish";
import { exportLadder } from "../shared/export/ladder";
import { exportMermaid } from "../shared/export/mermaid";
import { exportIssueBody, exportWacrg } from "../shared/export/wacrg";
import { sanitizeTrace } from "../shared/sanitize/sanitize";
import { buildCalls } from "../shared/trace/calls";
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import { liveTrace, parseTrace } from "../shared/tracefile/io";
import { formatTraceErrors } from "../shared/tracefile/validate";

/** What the panel can export. */
export type PanelExportKind = "trace" | "wacrg" | "issue" | "mermaid" | "ladder" | "evidence";

/** A finished export: text and a file name, or why it was refused (the error's one-line message, for the UI). */
export type PanelExport = Result<{ text: string; fileName: string }, { message: string }>;

function unwrap(result: ExportResult): PanelExport {
  if (result.ok) return { ok: true, text: result.output.text, fileName: result.output.fileName };
  return { ok: false, message: result.error.message };
}

/**
 * Sanitizes the session and renders one export.
 * @param stanzas the session's stanzas (any order); `callId` (original) selects one call for
 *   the per-call formats.
 * @returns the output text, or the leak check's or exporter's refusal (never throws).
 */
export function panelExport(
  kind: PanelExportKind,
  stanzas: readonly CapturedStanza[],
  health: CaptureHealth | undefined,
  callId?: string,
): PanelExport {
  try {
    const original = liveTrace(stanzas, health);
    const { trace } = sanitizeTrace(original);
    // Calls keep their order through the sanitizer: the n-th call is the n-th call.
    let pseudoCallId: string | undefined;
    if (callId !== undefined) {
      const i = buildCalls(original.stanzas).calls.findIndex((c) => c.callId === callId);
      pseudoCallId = i < 0 ? undefined : buildCalls(trace.stanzas).calls[i]?.callId;
      if (pseudoCallId === undefined) return { ok: false, message: `no call ${callId} in this session` };
    }
    switch (kind) {
      case "trace":
        return unwrap(exportJsonTrace(trace, "wa-calls"));
      case "wacrg":
        return unwrap(exportWacrg(trace, { callId: pseudoCallId, per: "call" }));
      case "issue":
        return unwrap(exportIssueBody(trace, { callId: pseudoCallId }));
      case "mermaid":
        return unwrap(exportMermaid(trace, pseudoCallId));
      case "ladder":
        return unwrap(exportLadder(trace, pseudoCallId));
      case "evidence":
        return unwrap(exportEvidenceMarkdown([trace]));
    }
  } catch (e) {
    return { ok: false, message: `export failed: ${String(e)}` };
  }
}

/**
 * One stanza for the clipboard, sanitized on its own (pseudonyms start at A for it).
 * @param format `xml` (indented) or `json` (the sanitized captured stanza).
 */
export function stanzaForClipboard(stanza: CapturedStanza, format: "xml" | "json"): PanelExport {
  try {
    const { trace } = sanitizeTrace(liveTrace([stanza]));
    return unwrap(exportStanza(trace, stanza.seq, format));
  } catch (e) {
    return { ok: false, message: `copy failed: ${String(e)}` };
  }
}

/** A trace file read back: its stanzas and health, or the validator's errors as text. */
export type OpenedTrace = Result<{ stanzas: CapturedStanza[]; health?: CaptureHealth }, { message: string }>;

/** Parses and validates a saved trace (docs/trace-format.md). Never throws. */
export function openTraceText(text: string): OpenedTrace {
  const loaded = parseTrace(text);
  if (!loaded.ok) return { ok: false, message: formatTraceErrors(loaded.errors) };
  return { ok: true, stanzas: loaded.trace.stanzas, health: loaded.trace.health };
}

/** Offers `text` as a file download from the panel (no extension permission needed). */
export function downloadText(fileName: string, text: string, mime = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
