/**
 * Public entry of the exporters. Every exporter takes a `SanitizedTrace` (only `sanitizeTrace`
 * makes one) and leak-checks its final text before returning it.
 */
export { exportJsonTrace, exportStanza } from "./basic";
export type { ExportError, ExportOutput, ExportResult } from "./finish";
export { exportLadder } from "./ladder";
export { exportMermaid, mermaidText } from "./mermaid";

export { exportIssueBody, exportWacrg, exportWacrgRecords, ISSUE_SECTIONS } from "./wacrg";
