/**
 * `wa-call-inspector` command line: analyse, sanitize, export and import call-signalling
 * traces and library logs. Usage: `wa-call-inspector --help`.
 *
 * Exit codes: 0 success (skipped bad input lines are reported on stderr); 1 usage error;
 * 2 input error (unreadable file, unknown format, nothing to export, unknown call or seq);
 * 3 export refused by the leak check; 4 success but input lines were skipped and `--strict`
 * was given.
 */
import { createReadStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { computeEvidence, exportEvidenceMarkdown, formatEvidenceSummary } from "../shared/evidence/index";
import {
  type ExportError,
  type ExportOutput,
  exportIssueBody,
  exportJsonTrace,
  exportLadder,
  exportMermaid,
  exportStanza,
  exportWacrg,
  exportWacrgRecords,
} from "../shared/export/index";
import {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportResult,
  UNRECOGNISED,
} from "../shared/importers/index";
import { isLeakError } from "../shared/sanitize/leak";
import { type SanitizedTrace, sanitizeTrace } from "../shared/sanitize/sanitize";
import { buildCalls } from "../shared/trace/calls";
import { serializeTrace } from "../shared/tracefile/io";
import type { TraceFile } from "../shared/tracefile/types";
import { formatImport } from "./format";
import { importStream } from "./stream";

/** Exit codes (see the module comment). */
export const EXIT = { OK: 0, USAGE: 1, INPUT: 2, LEAK: 3, PARTIAL: 4 } as const;

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Standard input as a byte stream (for the input `-`); default: `process.stdin`. */
  stdin?: () => AsyncIterable<Uint8Array>;
  /**
   * Shows a transient progress line (rewritten in place); default: on stderr when stderr is a
   * terminal, else none. Called with `""` to clear it.
   */
  progress?: (line: string) => void;
}

/** The input name that means standard input. */
export const STDIN = "-";

const EXPORT_FORMATS = [
  "json",
  "wacrg",
  "issue",
  "mermaid",
  "ladder",
  "evidence",
  "stanza-xml",
  "stanza-json",
] as const;

/** Help text. */
export const USAGE = `wa-call-inspector — WhatsApp call-signalling traces: analyse, sanitize, export, import

Usage:
  wa-call-inspector analyze <trace|log>... [--input-format F] [--no-evidence] [--strict]
  wa-call-inspector sanitize <trace|log> -o out.json [--keep-capability]
  wa-call-inspector export --format ${EXPORT_FORMATS.join("|")}
                           [--call <call-id>] [--seq <n>] [--per stanza|call] [-o <file|dir/>]
                           [--keep-capability] <trace|log>...
  wa-call-inspector import <log> -o trace.json [--input-format F] [--sanitize]

Inputs are detected automatically (override with --input-format): ${IMPORT_FORMATS.join(", ")}.
"-" reads standard input. Repairs of damaged input (pasted XML) are listed on stderr.
Every export is sanitized and leak-checked. --call accepts the original or the pseudonymous
call-id. "export --format wacrg -o dir/" writes one record per file.

Exit codes: 0 ok · 1 usage · 2 input error · 3 export refused (leak) · 4 lines skipped with --strict`;

/**
 * A command line the CLI cannot run. Internal control flow (see ../shared/errors.ts): thrown
 * inside this file only and caught by {@link main}, which prints it and exits with `EXIT.USAGE`.
 */
class UsageError extends Error {}

interface Loaded {
  file: string;
  result: ImportResult;
}

/** Inputs this large (bytes) show a progress line while they are read. */
const PROGRESS_BYTES = 64 * 2 ** 20;

async function load(path: string, format: ImportFormat | undefined, io: CliIo): Promise<Loaded | undefined> {
  const file = path === STDIN ? "<stdin>" : path;
  let source: AsyncIterable<Uint8Array>;
  let size: number | undefined;
  try {
    if (path === STDIN) source = io.stdin ? io.stdin() : process.stdin;
    else {
      size = statSync(path).size;
      source = createReadStream(path, { highWaterMark: 2 ** 20 });
    }
  } catch (e) {
    io.err(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const show = io.progress ?? (process.stderr.isTTY ? ttyProgress : undefined);
  const started = Date.now();
  const progress =
    show && (size === undefined || size >= PROGRESS_BYTES)
      ? (n: number) => show(progressLine(file, n, size, Date.now() - started))
      : undefined;
  let result: ImportResult;
  try {
    result = await importStream(source, { file, format, progress });
  } catch (e) {
    io.err(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    if (progress) show?.("");
  }
  for (const e of result.errors) io.err(`${e.file ?? file}:${e.line}: ${e.reason}`);
  if (result.stats.errors > result.errors.length)
    io.err(`${file}: … and ${result.stats.errors - result.errors.length} more error(s), not listed`);
  for (const r of result.repairs) io.err(`${r.file ?? file}:${r.line}: repaired (${r.kind}): ${r.reason}`);
  if (result.stats.repairs > result.repairs.length)
    io.err(`${file}: … and ${result.stats.repairs - result.repairs.length} more repair(s), not listed`);
  if (result.errors.some((e) => e.line === 0 && e.reason === UNRECOGNISED)) return undefined;
  return { file, result };
}

/** `reading big.log: 512 MiB of 1.0 GiB (50%), 210 MB/s`. */
function progressLine(file: string, bytes: number, size: number | undefined, ms: number): string {
  const mib = (n: number) =>
    n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`;
  const of = size ? ` of ${mib(size)} (${Math.floor((bytes / size) * 100)}%)` : "";
  const rate = ms > 0 ? `, ${Math.round(bytes / 1e6 / (ms / 1000))} MB/s` : "";
  return `reading ${file}: ${mib(bytes)}${of}${rate}`;
}

function ttyProgress(line: string): void {
  process.stderr.write(line ? `\r${line}\u001b[K` : "\r\u001b[K");
}

function write(path: string | undefined, text: string, io: CliIo): void {
  if (path === undefined || path === "-") io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
  else writeFileSync(path, text);
}

function reportExportError(error: ExportError, io: CliIo): number {
  if (isLeakError(error)) {
    io.err(`export refused: ${error.findings.length} original value(s) would leak:`);
    for (const f of error.findings)
      io.err(`  ${f.category} ${f.value} in ${f.where} at line ${f.line}, column ${f.column}`);
    return EXIT.LEAK;
  }
  io.err(`export: ${error.message}`);
  return EXIT.INPUT;
}

/** Maps an original call-id to the sanitized one (same position in the call list), else returns it unchanged. */
function resolveCall(
  original: TraceFile,
  sanitized: SanitizedTrace,
  callId: string | undefined,
): string | undefined {
  if (callId === undefined) return undefined;
  const i = buildCalls(original.stanzas).calls.findIndex((c) => c.callId === callId);
  return i < 0 ? callId : buildCalls(sanitized.stanzas).calls[i]?.callId;
}

function parseFormat(v: string | undefined): ImportFormat | undefined {
  if (v === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown input format "${v}"`);
  return v as ImportFormat;
}

/**
 * Runs the CLI.
 * @param argv arguments after the program name.
 * @returns the exit code.
 */
export async function main(
  argv: string[],
  io: CliIo = { out: (s) => console.log(s), err: (s) => console.error(s) },
): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError &&
        "code" in e &&
        String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS"))
    ) {
      io.err(`error: ${e.message}\n\n${USAGE}`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(USAGE);
    return command === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const { values: o, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      output: { type: "string", short: "o" },
      format: { type: "string", short: "f" },
      "input-format": { type: "string" },
      call: { type: "string" },
      seq: { type: "string" },
      per: { type: "string" },
      "keep-capability": { type: "boolean" },
      "no-evidence": { type: "boolean" },
      sanitize: { type: "boolean" },
      strict: { type: "boolean" },
      contributor: { type: "string" },
      confidence: { type: "string" },
    },
  });
  const inputFormat = parseFormat(o["input-format"]);
  if (!positionals.length) throw new UsageError(`${command}: no input file`);
  const loaded: Loaded[] = [];
  for (const f of positionals) {
    const l = await load(f, inputFormat, io);
    if (!l) return EXIT.INPUT;
    loaded.push(l);
  }
  const skipped = loaded.some((l) => l.result.stats.errors > 0);
  const done = (code: number): number => (code === EXIT.OK && skipped && o.strict ? EXIT.PARTIAL : code);
  const keepCapability = o["keep-capability"] === true;

  switch (command) {
    case "analyze": {
      const parts = loaded.map((l) => formatImport(l.file, l.result));
      if (!o["no-evidence"]) {
        const report = computeEvidence(loaded.map((l) => l.result.trace));
        parts.push(
          "",
          "Evidence for the open questions (call-signalling.md §9):",
          formatEvidenceSummary(report),
        );
      }
      io.out(parts.join("\n\n"));
      return done(EXIT.OK);
    }
    case "sanitize": {
      if (loaded.length !== 1) throw new UsageError("sanitize takes exactly one input");
      if (!o.output) throw new UsageError("sanitize needs -o <out.json>");
      const st = sanitizeTrace(loaded[0].result.trace, { keepCapability }).trace;
      const r = exportJsonTrace(st, basename(loaded[0].file).replace(/\.[^.]+$/, ""));
      if (!r.ok) return reportExportError(r.error, io);
      write(o.output, r.output.text, io);
      return done(EXIT.OK);
    }
    case "import": {
      if (loaded.length !== 1) throw new UsageError("import takes exactly one input");
      if (!o.output) throw new UsageError("import needs -o <trace.json>");
      const trace = loaded[0].result.trace;
      if (o.sanitize) {
        const r = exportJsonTrace(sanitizeTrace(trace, { keepCapability }).trace);
        if (!r.ok) return reportExportError(r.error, io);
        write(o.output, r.output.text, io);
      } else write(o.output, serializeTrace(trace), io);
      const s = loaded[0].result.stats;
      io.err(
        `${loaded[0].file}: ${s.kept} call stanzas written (${loaded[0].result.format}, ${trace.source.timestampPrecision} times${trace.source.directionInferred ? ", direction inferred" : ""}${loaded[0].result.repairs.length ? `, ${loaded[0].result.repairs.length} repair(s)` : ""})`,
      );
      return done(EXIT.OK);
    }
    case "export": {
      const format = o.format;
      if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`export needs --format ${EXPORT_FORMATS.join("|")}`);
      }
      const originals = loaded.map((l) => l.result.trace);
      const sanitized = originals.map((t) => sanitizeTrace(t, { keepCapability }).trace);
      if (format === "evidence") {
        const r = exportEvidenceMarkdown(sanitized);
        if (!r.ok) return reportExportError(r.error, io);
        write(o.output, r.output.text, io);
        return done(EXIT.OK);
      }
      if (loaded.length !== 1) throw new UsageError(`export --format ${format} takes exactly one input`);
      const st = sanitized[0];
      const callId = resolveCall(originals[0], st, o.call);
      const seq = o.seq === undefined ? undefined : Number(o.seq);
      if (seq !== undefined && !Number.isInteger(seq)) throw new UsageError("--seq must be an integer");
      const per: "call" | "stanza" | undefined = o.per === "call" || o.per === "stanza" ? o.per : undefined;
      if (o.per !== undefined && per === undefined) throw new UsageError("--per must be stanza or call");
      const confidence = o.confidence as "confirmed" | "probable" | "speculative" | "unknown" | undefined;
      if (
        confidence !== undefined &&
        !["confirmed", "probable", "speculative", "unknown"].includes(confidence)
      ) {
        throw new UsageError("--confidence must be confirmed, probable, speculative or unknown");
      }
      let outputs: ExportOutput[];
      if (format === "wacrg") {
        const opts = { per, callId, seq, confidence, contributor: o.contributor };
        const toDir = o.output !== undefined && (o.output.endsWith("/") || isDir(o.output));
        const r = toDir ? exportWacrgRecords(st, opts) : exportWacrg(st, opts);
        if (!r.ok) return reportExportError(r.error, io);
        outputs = "outputs" in r ? r.outputs : [r.output];
        if (toDir) {
          mkdirSync(o.output as string, { recursive: true });
          for (const out of outputs) writeFileSync(join(o.output as string, out.fileName), out.text);
          io.err(`${outputs.length} record(s) written to ${o.output}`);
          return done(EXIT.OK);
        }
      } else {
        let r: ReturnType<typeof exportJsonTrace>;
        if (format === "json") r = exportJsonTrace(st);
        else if (format === "issue") r = exportIssueBody(st, { seq, callId, confidence });
        else if (format === "mermaid") r = exportMermaid(st, callId);
        else if (format === "ladder") r = exportLadder(st, callId);
        else {
          if (seq === undefined) throw new UsageError(`--format ${format} needs --seq <n>`);
          r = exportStanza(st, seq, format === "stanza-xml" ? "xml" : "json");
        }
        if (!r.ok) return reportExportError(r.error, io);
        outputs = [r.output];
      }
      write(o.output, outputs.map((x) => x.text).join(""), io);
      return done(EXIT.OK);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// Run when executed directly (`tsx src/cli/main.ts …`); the bin script calls `main` itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
