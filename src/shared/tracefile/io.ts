/**
 * Reading and writing trace files: load = `JSON.parse` + {@link validateTrace}. A trace
 * saved from a live session and loaded later yields the same stanzas, hence the same
 * `buildCalls` result.
 */
import type { CapturedStanza, CaptureHealth } from "../trace/types";
import { createTrace, TOOL_ID, type TraceFile } from "./types";
import { type TraceValidation, traceError, validateTrace } from "./validate";

/** The result of {@link parseTrace}. */
export type TraceLoad = TraceValidation;

/** Line and column (1-based) of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Parses and validates trace JSON text. Never throws.
 * @returns the trace, or errors (a JSON syntax error is one `json` error at `$`, with line:column).
 */
export function parseTrace(text: string): TraceLoad {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const where = m ? lineColumn(text, Number(m[1])) : undefined;
    return {
      ok: false,
      errors: [traceError("$", "json", where ? `${msg} (line ${where.line}, column ${where.column})` : msg)],
    };
  }
  return validateTrace(value);
}

/**
 * JSON text of a trace (2-space indent, trailing newline). Bytes stay base64, so the text
 * loads back to an equal trace. Callers exporting to other people must use the sanitized
 * exporter (`export/`), never this function on an unsanitized trace.
 */
export function serializeTrace(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

/**
 * A live-session trace (source `live`, ms precision, direction known) from what the
 * background stores.
 * @param stanzas the session's stanzas.
 * @param health capture health, when known (its `build` becomes `source.build`).
 */
export function liveTrace(stanzas: readonly CapturedStanza[], health?: CaptureHealth): TraceFile {
  return createTrace(
    stanzas,
    {
      kind: "live",
      tool: TOOL_ID,
      ...(health?.build ? { build: health.build } : {}),
      timestampPrecision: "ms",
      directionInferred: false,
    },
    { health },
  );
}

/** True when the text looks like a trace file (JSON object naming the trace format early on). */
export function looksLikeTrace(text: string): boolean {
  const head = text.slice(0, 400).trimStart();
  return head.startsWith("{") && head.includes('"wa-call-inspector-trace"');
}
