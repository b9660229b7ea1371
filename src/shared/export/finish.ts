/**
 * The one way out: every exporter builds its text from a {@link SanitizedTrace} and hands it
 * to {@link finishExport}, which runs the leak check on the final text and refuses the export
 * when anything original is found.
 */
import { type Fingerprints, LeakError } from "../sanitize/leak";
import { combinedFingerprints, type SanitizedTrace } from "../sanitize/sanitize";

/** Export formats. */
export type ExportFormat =
  | "json"
  | "wacrg"
  | "issue"
  | "mermaid"
  | "ladder"
  | "stanza-xml"
  | "stanza-json"
  | "evidence";

/** One finished, leak-checked output. */
export interface ExportOutput {
  format: ExportFormat;
  /** The text to save or copy (UTF-8). */
  text: string;
  /** Suggested file name. */
  fileName: string;
  /** MIME type for downloads. */
  mime: string;
}

/** Input an exporter cannot use: not sanitized, unknown call id or stanza seq, nothing to export. */
export class ExportInputError {
  readonly name = "ExportInputError";
  constructor(readonly message: string) {}
}

/** Why an export was refused. */
export type ExportError = LeakError | ExportInputError;

/** Result of a single-output exporter. */
export type ExportResult = { ok: true; output: ExportOutput } | { ok: false; error: ExportError };

/** Result of a multi-file exporter (wacrg records). */
export type ExportFilesResult = { ok: true; outputs: ExportOutput[] } | { ok: false; error: ExportError };

/** The fingerprints of the inputs, or the input error when one is not from the sanitizer. */
export function requireSanitized(traces: readonly SanitizedTrace[]): Fingerprints | ExportInputError {
  const prints = combinedFingerprints(traces);
  return prints ?? new ExportInputError("not a sanitized trace: run sanitizeTrace first");
}

/**
 * Leak-checks finished outputs built from `traces`.
 * @returns the outputs, or a {@link LeakError} listing every leak in every output.
 */
export function finishExport(traces: readonly SanitizedTrace[], outputs: ExportOutput[]): ExportFilesResult {
  const prints = requireSanitized(traces);
  if (prints instanceof ExportInputError) return { ok: false, error: prints };
  const findings = outputs.flatMap((o) => prints.check(o.text, o.fileName));
  if (findings.length) return { ok: false, error: new LeakError(findings) };
  return { ok: true, outputs };
}

/** {@link finishExport} for one output. */
export function finishOne(traces: readonly SanitizedTrace[], output: ExportOutput): ExportResult {
  const r = finishExport(traces, [output]);
  return r.ok ? { ok: true, output: r.outputs[0] } : r;
}
