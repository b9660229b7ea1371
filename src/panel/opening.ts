/**
 * The panel's Open path for any input: a saved trace, wacrg YAML, published XML, library logs
 * or JSON/object forms, from a file or pasted text, read through the shared importers
 * (`src/shared/importers`, issue #11 item 2). Pure: text in, the trace to show and a summary of
 * what the import did out. No DOM, so it is unit-tested in Node.
 */
import type { Result } from "../shared/errors";
import {
  detectFormat,
  type ImportError,
  type ImportFormat,
  type ImportRepair,
  type ImportResult,
  importText,
} from "../shared/importers/index";
import type { OpenedTrace } from "./exporting";

/** How many error and repair lines a summary lists; the rest are counted in `more`. */
export const SUMMARY_LINES = 5;

/** One listed error or repair: `line 3: repaired (elision): <offer>: elided children skipped`. */
export interface OpenNote {
  kind: "error" | "repair";
  /** 1-based line, 0 for the whole input. */
  line: number;
  text: string;
}

/** What one import did, for the Open dialog. */
export interface OpenSummary {
  /** Where the text came from: a file name, or "pasted text". */
  name: string;
  /** The form the text was read as; `undefined` when no form was recognised. */
  format: ImportFormat | undefined;
  /** `true` when `format` was detected from the content, `false` when the user chose it. */
  detected: boolean;
  /** Lines of the input text (a final line break does not start a new line). */
  lines: number;
  /** Call-related stanzas kept (what the panel shows). */
  kept: number;
  /** Stanzas read but dropped as not call-related. */
  dropped: number;
  /** All errors (parts not imported), including unlisted ones. */
  errors: number;
  /** All repairs (parts imported after a repair), including unlisted ones. */
  repairs: number;
  /**
   * The first {@link SUMMARY_LINES} errors and repairs in line order (errors first on a tie),
   * as text: `line 3: repaired (elision): …`, `line 7: error: …`; problems of the whole input
   * read `input: …`.
   */
  notes: OpenNote[];
  /** Errors and repairs beyond `notes` ("… and N more"). */
  more: number;
  /** Why nothing was opened; only when `kept` is 0. */
  why?: string;
}

/** The outcome of {@link openInput}: the trace to show and its summary, or only the summary. */
export type OpenOutcome = Result<
  { trace: Extract<OpenedTrace, { ok: true }>; summary: OpenSummary },
  { summary: OpenSummary }
>;

/** Options of {@link openInput}. */
export interface OpenInputOptions {
  /** File name, or "pasted text"; also the `file` of error entries. */
  name: string;
  /** A form chosen by the user instead of detection. */
  format?: ImportFormat;
}

function countLines(text: string): number {
  if (text === "") return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n - 1 : n;
}

function noteOf(e: ImportError | ImportRepair): OpenNote {
  const where = e.line > 0 ? `line ${e.line}` : "input";
  const repair = "kind" in e;
  const what = repair ? `repaired (${e.kind})` : "error";
  return { kind: repair ? "repair" : "error", line: e.line, text: `${where}: ${what}: ${e.reason}` };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Why an import kept nothing, from its counts and first error. */
function whyNothing(r: ImportResult, lines: number): string {
  const dropped = Object.entries(r.stats.droppedByTag);
  if (dropped.length) {
    const tags = dropped.map(([tag, n]) => `<${tag}> ${n}`).join(", ");
    return `no call stanzas in ${plural(lines, "line")}: ${plural(r.stats.stanzas, "stanza")} read, none call-related (${tags})`;
  }
  const first = r.errors[0];
  if (first && r.stats.stanzas === 0 && r.stats.errors > 0)
    return `no call stanzas read as ${r.format}: ${first.reason}${r.stats.errors > 1 ? ` (and ${plural(r.stats.errors - 1, "more error")})` : ""}`;
  return `no call stanzas in ${plural(lines, "line")} read as ${r.format}`;
}

/**
 * Reads `text` as any supported input (`importText`: detection unless `format` is given) and
 * returns the trace the panel opens, with a summary of the form, the stanzas kept, and the
 * first errors and repairs with their lines. A valid saved trace comes back unchanged (stanzas
 * and health). Nothing kept → `ok: false` with `why` ("unrecognised input format", "no call
 * stanzas in 12 lines", …). Never throws.
 */
export function openInput(text: string, options: OpenInputOptions): OpenOutcome {
  const { name } = options;
  const lines = countLines(text);
  const base = { name, lines, kept: 0, dropped: 0, errors: 0, repairs: 0, notes: [], more: 0 };
  if (text.trim() === "")
    return {
      ok: false,
      summary: { ...base, format: options.format, detected: false, why: "the text is empty" },
    };
  const format = options.format ?? detectFormat(text);
  if (format === undefined)
    return {
      ok: false,
      summary: {
        ...base,
        format: undefined,
        detected: true,
        why: "unrecognised input format (choose its form if you know it)",
      },
    };
  let r: ImportResult;
  try {
    r = importText(text, { file: name, format });
  } catch (e) {
    // importText never throws by contract; a bug must still not lose the user's text.
    return {
      ok: false,
      summary: {
        ...base,
        format,
        detected: options.format === undefined,
        why: `import failed: ${String(e)}`,
      },
    };
  }
  const notes = [...r.errors.map(noteOf), ...r.repairs.map(noteOf)]
    .sort((a, b) => a.line - b.line)
    .slice(0, SUMMARY_LINES);
  const errors = Math.max(r.stats.errors, r.errors.length);
  const repairs = Math.max(r.stats.repairs, r.repairs.length);
  const summary: OpenSummary = {
    name,
    format: r.format,
    detected: options.format === undefined,
    lines,
    kept: r.trace.stanzas.length,
    dropped: Object.values(r.stats.droppedByTag).reduce((a, b) => a + b, 0),
    errors,
    repairs,
    notes,
    more: errors + repairs - notes.length,
  };
  if (summary.kept === 0) return { ok: false, summary: { ...summary, why: whyNothing(r, lines) } };
  const trace: Extract<OpenedTrace, { ok: true }> = { ok: true, stanzas: r.trace.stanzas };
  if (r.trace.health) trace.health = r.trace.health;
  return { ok: true, trace, summary };
}

/** One line for the toolbar or the dialog's heading: `xml (detected) · 2 stanzas kept · 1 repair`. */
export function summaryLine(s: OpenSummary): string {
  const parts = [
    s.format === undefined ? "form not recognised" : `${s.format} (${s.detected ? "detected" : "chosen"})`,
    `${plural(s.kept, "stanza")} kept`,
  ];
  if (s.dropped) parts.push(`${s.dropped} not call-related`);
  if (s.repairs) parts.push(plural(s.repairs, "repair"));
  if (s.errors) parts.push(plural(s.errors, "error"));
  return parts.join(" · ");
}
