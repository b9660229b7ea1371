/**
 * The one way out: every exporter builds its text from a {@link SanitizedTrace} and hands it
 * to {@link finishExport}, which runs the leak check on the final text and refuses the export
 * when anything original is found.
 */
import { type ErrorValue, type Failure, isErrorValue, type Result } from "../errors";
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

/**
 * What was wrong with an exporter's input:
 * - `not-sanitized`: a trace that did not come from `sanitizeTrace`;
 * - `no-call`: no call with the given id, or a trace without calls;
 * - `choose-call`: several calls and no call id to pick one;
 * - `no-stanza`: no (readable) stanza with the given seq;
 * - `nothing-to-export`: the trace has nothing the format can hold.
 */
export type ExportInputErrorCode =
  | "not-sanitized"
  | "no-call"
  | "choose-call"
  | "no-stanza"
  | "nothing-to-export";

/** Input an exporter cannot use (an error value, see ../errors.ts): returned, never thrown. */
export class ExportInputError implements ErrorValue<"ExportInputError", ExportInputErrorCode> {
  readonly name = "ExportInputError";
  constructor(
    readonly code: ExportInputErrorCode,
    readonly message: string,
  ) {}
}

/** True for an {@link ExportInputError} (or a structured clone of one). */
export function isExportInputError(x: unknown): x is ExportInputError {
  return isErrorValue(x, "ExportInputError");
}

/** Why an export was refused. */
export type ExportError = LeakError | ExportInputError;

/** Result of a single-output exporter. */
export type ExportResult = Result<{ output: ExportOutput }, Failure<ExportError>>;

/** Result of a multi-file exporter (wacrg records). */
export type ExportFilesResult = Result<{ outputs: ExportOutput[] }, Failure<ExportError>>;

/** The fingerprints of the inputs, or the input error when one is not from the sanitizer. */
export function requireSanitized(traces: readonly SanitizedTrace[]): Fingerprints | ExportInputError {
  const prints = combinedFingerprints(traces);
  return prints ?? new ExportInputError("not-sanitized", "not a sanitized trace: run sanitizeTrace first");
}

/**
 * Leak-checks finished outputs built from `traces`.
 * @returns the outputs, or a {@link LeakError} listing every leak in every output.
 */
export function finishExport(traces: readonly SanitizedTrace[], outputs: ExportOutput[]): ExportFilesResult {
  const prints = requireSanitized(traces);
  if (isExportInputError(prints)) return { ok: false, error: prints };
  const findings = outputs.flatMap((o) => prints.check(o.text, o.fileName));
  if (findings.length) return { ok: false, error: new LeakError(findings) };
  return { ok: true, outputs };
}

/** {@link finishExport} for one output. */
export function finishOne(traces: readonly SanitizedTrace[], output: ExportOutput): ExportResult {
  const r = finishExport(traces, [output]);
  return r.ok ? { ok: true, output: r.outputs[0] } : r;
}
