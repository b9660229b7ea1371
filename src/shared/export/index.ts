/**
 * Public entry of the exporters. Every exporter takes a `SanitizedTrace` (only `sanitizeTrace`
 * makes one) and leak-checks its final text before returning it.
 */
export { exportJsonTrace, exportStanza } from "./basic";
export {
  type ExportError,
  type ExportFilesResult,
  type ExportFormat,
  ExportInputError,
  type ExportOutput,
  type ExportResult,
} from "./guard";
export { exportLadder } from "./ladder";
export { exportMermaid, mermaidText } from "./mermaid";
export { parsePlaceholderText, placeholderText } from "./render";
export {
  type CaptureRecord,
  exportIssueBody,
  exportWacrg,
  exportWacrgRecords,
  ISSUE_SECTIONS,
  type IssueOptions,
  type WacrgConfidence,
  type WacrgOptions,
} from "./wacrg";
