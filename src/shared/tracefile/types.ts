/**
 * The portable trace file: one versioned JSON document holding the stanzas of one capture
 * session (live from the extension, or imported from a library log), with where they came
 * from and how precise their times are. Described in docs/trace-format.md.
 */
import type { CapturedStanza, CaptureHealth, PortableBytes } from "../trace/types";

/** Value of the `format` field: identifies the document kind. */
export const TRACE_FORMAT = "wa-call-inspector-trace";

/** The only trace version this code writes and reads. */
export const TRACE_VERSION = 1;

/**
 * How precise the stanza times `t` are:
 * - `ms`: epoch milliseconds (or finer), so sub-second ack latency is meaningful;
 * - `s`: whole seconds (env_logger, zerolog RFC 3339), latencies are ±1 s;
 * - `time-of-day`: a clock time without a date (whatsmeow, whatsapp-rust demo logger): `t` counts
 *   milliseconds from midnight of the first line's day, rollovers added; sub-second when the log
 *   had milliseconds (see `TraceSource.subSecond`);
 * - `none`: the source had no times at all (XML paste, a wacrg record without timing); `t` is the
 *   stanza's index × 1 ms, only the order is meaningful.
 */
export type TimestampPrecision = "ms" | "s" | "time-of-day" | "none";

/** Where a trace came from. */
export interface TraceSource {
  /** `live`: captured by the extension; `import`: read from a log or a file. */
  kind: "live" | "import";
  /** Producing tool and version, e.g. `wa-call-inspector@0.1.0`. */
  tool: string;
  /** WhatsApp Web build of a live capture, when known. */
  build?: string;
  /** Importer that read the source, e.g. `baileys-pino`, `whatsmeow-text`. */
  importer?: string;
  timestampPrecision: TimestampPrecision;
  /** For `time-of-day`: whether the clock had milliseconds (whatsmeow) or only seconds. */
  subSecond?: boolean;
  /** The direction (in/out) of some or all stanzas was guessed from their attributes. */
  directionInferred: boolean;
}

/** What the sanitizer did to a trace; present only on sanitized traces. */
export interface SanitizeInfo {
  /** Sanitizer version (bumped when the rules change). */
  version: number;
  /** Capability bytes were kept (explicit option); every other byte payload is a placeholder. */
  keptCapability: boolean;
  /** Always `true`: `t` and `createdAt` no longer carry wall-clock time (t = ms since the first stanza). */
  relativeTime: true;
}

/**
 * A byte payload as the trace file may hold it: `PortableBytes` plus an optional `redacted`
 * label. A payload whose bytes are not in the file is written `{ b64: "", truncatedFrom: N }`
 * (N = original length in bytes): the sanitizer's placeholders add `redacted: "<label>"`, and
 * importers use the bare form for log output such as `<!-- 196 bytes -->`.
 */
export interface TraceBytes extends PortableBytes {
  /** Sanitizer placeholder label (usually the tag, e.g. `enc`, `hbh_key`). */
  redacted?: string;
}

/** A trace file, version 1. */
export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** ISO 8601 creation time (`1970-01-01T00:00:00.000Z` on sanitized traces). */
  createdAt: string;
  source: TraceSource;
  health?: CaptureHealth;
  /** Present when the trace went through the sanitizer. */
  sanitized?: SanitizeInfo;
  /** The stanzas, in capture order (`seq` ascending, unique). */
  stanzas: CapturedStanza[];
}

/** Options of {@link createTrace}. */
export interface CreateTraceOptions {
  health?: CaptureHealth;
  /** Creation time; default now. */
  createdAt?: Date;
}

/**
 * Wraps captured stanzas into a trace file (stanzas are copied shallowly, sorted by `seq`).
 * @param stanzas the stanzas exactly as the background stored them.
 * @param source where they came from.
 */
export function createTrace(
  stanzas: readonly CapturedStanza[],
  source: TraceSource,
  options: CreateTraceOptions = {},
): TraceFile {
  const trace: TraceFile = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    source,
    stanzas: [...stanzas].sort((a, b) => a.seq - b.seq),
  };
  if (options.health) trace.health = options.health;
  return trace;
}

/** This tool's id for `source.tool`. */
export const TOOL_ID = "wa-call-inspector@0.1.0";
