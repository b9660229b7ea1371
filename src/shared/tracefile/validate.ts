/**
 * Validation of trace files (docs/trace-format.md). Checks every field the viewer relies on
 * and reports each problem with a JSON path; never throws, whatever the input.
 */
import type { ErrorValue, Result } from "../errors";
import { TAP_NAMES } from "../trace/types";
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from "./types";

/**
 * What is wrong at one place:
 * - `json`: the text is not JSON (path `$`, message from the parser);
 * - `type`: wrong JSON type; `required`: a required key is missing;
 * - `value`: a value outside its allowed set or range (format, version, direction, …);
 * - `unknown-key`: a key the format does not define (nodes, stanzas and the top level are closed);
 * - `order`: `seq` not strictly ascending; `limit`: nesting deeper than {@link MAX_NODE_DEPTH}.
 */
export type TraceErrorCode = "json" | "type" | "required" | "value" | "unknown-key" | "order" | "limit";

/** One validation problem: an error value (see ../errors.ts) with the JSON path of the problem. */
export interface TraceError extends ErrorValue<"TraceError", TraceErrorCode> {
  /** JSONPath-style location, e.g. `$.stanzas[3].node.content[0].attrs.id`. */
  readonly path: string;
}

/** A {@link TraceError} of `code` at `path`. */
export function traceError(path: string, code: TraceErrorCode, message: string): TraceError {
  return { name: "TraceError", path, code, message };
}

/** The result of {@link validateTrace}: the typed trace, or every problem found (up to {@link MAX_ERRORS}). */
export type TraceValidation = Result<{ trace: TraceFile }, { errors: TraceError[] }>;

/** Deepest node nesting accepted (the tap copies at most 32 levels). */
export const MAX_NODE_DEPTH = 64;
/** Validation stops collecting after this many errors. */
export const MAX_ERRORS = 100;

const TOP_KEYS = new Set(["format", "version", "createdAt", "source", "health", "sanitized", "stanzas"]);
const SOURCE_KEYS = new Set([
  "kind",
  "tool",
  "build",
  "importer",
  "timestampPrecision",
  "subSecond",
  "directionInferred",
]);
const STANZA_KEYS = new Set([
  "seq",
  "direction",
  "t",
  "tap",
  "node",
  "error",
  "seenBy",
  "seenAt",
  "synthetic",
]);
const NODE_KEYS = new Set(["tag", "attrs", "content"]);
const BYTES_KEYS = new Set(["b64", "truncatedFrom", "redacted"]);
const PRECISIONS = new Set(["ms", "s", "time-of-day", "none"]);
const TAPS: ReadonlySet<string> = new Set(TAP_NAMES);
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const jsonType = (x: unknown): string => (x === null ? "null" : Array.isArray(x) ? "array" : typeof x);
const keyPath = (base: string, key: string): string =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

class Collector {
  readonly errors: TraceError[] = [];
  add(path: string, code: TraceErrorCode, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(traceError(path, code, message));
  }
  get full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }
  closed(o: Obj, allowed: ReadonlySet<string>, path: string): void {
    for (const k of Object.keys(o))
      if (!allowed.has(k)) this.add(keyPath(path, k), "unknown-key", `unknown key "${k}"`);
  }
  string(o: Obj, key: string, path: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(keyPath(path, key), "required", `"${key}" is required`);
      return undefined;
    }
    if (typeof v !== "string") {
      this.add(keyPath(path, key), "type", `expected a string, got ${jsonType(v)}`);
      return undefined;
    }
    return v;
  }
  number(o: Obj, key: string, path: string, required: boolean): number | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(keyPath(path, key), "required", `"${key}" is required`);
      return undefined;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      this.add(keyPath(path, key), "type", `expected a finite number, got ${jsonType(v)}`);
      return undefined;
    }
    return v;
  }
}

function checkNode(c: Collector, x: unknown, path: string, depth: number): void {
  if (c.full) return;
  if (!isObj(x)) {
    c.add(path, "type", `expected a node object, got ${jsonType(x)}`);
    return;
  }
  if (depth > MAX_NODE_DEPTH) {
    c.add(path, "limit", `nodes nested deeper than ${MAX_NODE_DEPTH}`);
    return;
  }
  c.closed(x, NODE_KEYS, path);
  c.string(x, "tag", path, true);
  const attrs = x.attrs;
  if (attrs === undefined) c.add(`${path}.attrs`, "required", `"attrs" is required`);
  else if (!isObj(attrs)) c.add(`${path}.attrs`, "type", `expected an object, got ${jsonType(attrs)}`);
  else {
    for (const [k, v] of Object.entries(attrs)) {
      if (typeof v !== "string")
        c.add(keyPath(`${path}.attrs`, k), "type", `expected a string, got ${jsonType(v)}`);
    }
  }
  const content = x.content;
  const cp = `${path}.content`;
  if (content === undefined || typeof content === "string") return;
  if (Array.isArray(content)) {
    content.forEach((child, i) => {
      checkNode(c, child, `${cp}[${i}]`, depth + 1);
    });
    return;
  }
  if (!isObj(content)) {
    c.add(cp, "type", `expected children, text or bytes, got ${jsonType(content)}`);
    return;
  }
  c.closed(content, BYTES_KEYS, cp);
  const b64 = c.string(content, "b64", cp, true);
  if (b64 !== undefined && (b64.length % 4 !== 0 || !B64_RE.test(b64))) {
    c.add(`${cp}.b64`, "value", "not padded standard base64");
  }
  const from = c.number(content, "truncatedFrom", cp, false);
  if (from !== undefined && (!Number.isInteger(from) || from < 0)) {
    c.add(`${cp}.truncatedFrom`, "value", "expected a non-negative integer (bytes)");
  }
  c.string(content, "redacted", cp, false);
}

function checkStanza(c: Collector, x: unknown, path: string): number | undefined {
  if (!isObj(x)) {
    c.add(path, "type", `expected a stanza object, got ${jsonType(x)}`);
    return undefined;
  }
  c.closed(x, STANZA_KEYS, path);
  const seq = c.number(x, "seq", path, true);
  if (seq !== undefined && (!Number.isInteger(seq) || seq < 0)) {
    c.add(`${path}.seq`, "value", "expected a non-negative integer");
  }
  const dir = c.string(x, "direction", path, true);
  if (dir !== undefined && dir !== "in" && dir !== "out") {
    c.add(`${path}.direction`, "value", `expected "in" or "out", got "${dir}"`);
  }
  c.number(x, "t", path, true);
  const tap = c.string(x, "tap", path, true);
  if (tap !== undefined && !TAPS.has(tap)) c.add(`${path}.tap`, "value", `unknown tap "${tap}"`);
  if (x.synthetic !== undefined && x.synthetic !== "call-wrapper")
    c.add(`${path}.synthetic`, "value", `unknown synthetic marker ${JSON.stringify(x.synthetic)}`);
  if (x.seenBy !== undefined) {
    if (!Array.isArray(x.seenBy))
      c.add(`${path}.seenBy`, "type", `expected an array, got ${jsonType(x.seenBy)}`);
    else
      x.seenBy.forEach((v: unknown, i: number) => {
        if (typeof v !== "string" || !TAPS.has(v))
          c.add(`${path}.seenBy[${i}]`, "value", `unknown tap ${JSON.stringify(v)}`);
      });
  }
  if (x.seenAt !== undefined) {
    if (!isObj(x.seenAt)) c.add(`${path}.seenAt`, "type", `expected an object, got ${jsonType(x.seenAt)}`);
    else
      for (const [k, v] of Object.entries(x.seenAt)) {
        const kp = keyPath(`${path}.seenAt`, k);
        if (!TAPS.has(k)) c.add(kp, "unknown-key", `unknown tap "${k}"`);
        else if (typeof v !== "number" || !Number.isFinite(v))
          c.add(kp, "type", "expected a finite number (epoch ms)");
      }
  }
  if (x.node !== undefined) checkNode(c, x.node, `${path}.node`, 0);
  if (x.error !== undefined) {
    const ep = `${path}.error`;
    if (!isObj(x.error)) c.add(ep, "type", `expected an object, got ${jsonType(x.error)}`);
    else {
      c.closed(x.error, new Set(["message", "offset", "hex"]), ep);
      c.string(x.error, "message", ep, true);
      c.number(x.error, "offset", ep, false);
      c.string(x.error, "hex", ep, false);
    }
  }
  if (x.node === undefined && x.error === undefined) {
    c.add(path, "required", 'a stanza needs "node" or "error"');
  }
  return seq;
}

function checkHealth(c: Collector, x: unknown, path: string): void {
  if (!isObj(x)) {
    c.add(path, "type", `expected an object, got ${jsonType(x)}`);
    return;
  }
  c.string(x, "build", path, false);
  const mode = c.string(x, "commsMode", path, false);
  if (mode !== undefined && !["main-thread", "worker", "unknown"].includes(mode)) {
    c.add(`${path}.commsMode`, "value", `unknown comms mode "${mode}"`);
  }
  if (!Array.isArray(x.taps)) c.add(`${path}.taps`, "type", "expected an array");
  if (!isObj(x.seenByTag)) c.add(`${path}.seenByTag`, "type", "expected an object");
  else {
    for (const [k, v] of Object.entries(x.seenByTag)) {
      if (typeof v !== "number") c.add(keyPath(`${path}.seenByTag`, k), "type", "expected a number");
    }
  }
  for (const k of ["forwarded", "filtered", "errors"]) c.number(x, k, path, true);
}

/**
 * Validates a parsed JSON value as a trace file, version 1.
 * @param x any value (typically `JSON.parse` output).
 * @returns `{ ok: true, trace }` (the same object, now typed) or `{ ok: false, errors }` with
 *   JSON paths. Never throws.
 */
export function validateTrace(x: unknown): TraceValidation {
  const c = new Collector();
  try {
    if (!isObj(x)) {
      c.add("$", "type", `expected a trace object, got ${jsonType(x)}`);
      return { ok: false, errors: c.errors };
    }
    if (x.format !== TRACE_FORMAT) {
      c.add("$.format", x.format === undefined ? "required" : "value", `expected "${TRACE_FORMAT}"`);
      return { ok: false, errors: c.errors };
    }
    if (x.version !== TRACE_VERSION) {
      c.add("$.version", "value", `unsupported version ${JSON.stringify(x.version)} (this reader knows 1)`);
      return { ok: false, errors: c.errors };
    }
    c.closed(x, TOP_KEYS, "$");
    const createdAt = c.string(x, "createdAt", "$", true);
    if (createdAt !== undefined && Number.isNaN(Date.parse(createdAt))) {
      c.add("$.createdAt", "value", "not an ISO 8601 date-time");
    }
    if (!isObj(x.source)) {
      c.add("$.source", x.source === undefined ? "required" : "type", "expected a source object");
    } else {
      const s = x.source;
      c.closed(s, SOURCE_KEYS, "$.source");
      const kind = c.string(s, "kind", "$.source", true);
      if (kind !== undefined && kind !== "live" && kind !== "import") {
        c.add("$.source.kind", "value", `expected "live" or "import", got "${kind}"`);
      }
      c.string(s, "tool", "$.source", true);
      c.string(s, "build", "$.source", false);
      c.string(s, "importer", "$.source", false);
      const p = c.string(s, "timestampPrecision", "$.source", true);
      if (p !== undefined && !PRECISIONS.has(p))
        c.add("$.source.timestampPrecision", "value", `unknown precision "${p}"`);
      if (s.subSecond !== undefined && typeof s.subSecond !== "boolean") {
        c.add("$.source.subSecond", "type", "expected a boolean");
      }
      if (typeof s.directionInferred !== "boolean") {
        c.add(
          "$.source.directionInferred",
          s.directionInferred === undefined ? "required" : "type",
          "expected a boolean",
        );
      }
    }
    if (x.health !== undefined) checkHealth(c, x.health, "$.health");
    if (x.sanitized !== undefined) {
      const sp = "$.sanitized";
      if (!isObj(x.sanitized)) c.add(sp, "type", "expected an object");
      else {
        c.closed(x.sanitized, new Set(["version", "keptCapability", "relativeTime"]), sp);
        c.number(x.sanitized, "version", sp, true);
        if (typeof x.sanitized.keptCapability !== "boolean")
          c.add(`${sp}.keptCapability`, "type", "expected a boolean");
        if (x.sanitized.relativeTime !== true) c.add(`${sp}.relativeTime`, "value", "expected true");
      }
    }
    if (!Array.isArray(x.stanzas)) {
      c.add("$.stanzas", x.stanzas === undefined ? "required" : "type", "expected an array of stanzas");
    } else {
      let last = -1;
      x.stanzas.forEach((s: unknown, i: number) => {
        if (c.full) return;
        const seq = checkStanza(c, s, `$.stanzas[${i}]`);
        if (seq !== undefined) {
          if (seq <= last) c.add(`$.stanzas[${i}].seq`, "order", `seq ${seq} does not follow ${last}`);
          last = Math.max(last, seq);
        }
      });
    }
  } catch (e) {
    c.add("$", "value", `validation failed: ${String(e)}`);
  }
  if (c.errors.length) return { ok: false, errors: c.errors };
  return { ok: true, trace: x as unknown as TraceFile };
}

/** Whether `x` is a valid captured stanza (see {@link validateTrace}); for single-stanza JSON. */
export function validateStanza(x: unknown, path = "$"): TraceError[] {
  const c = new Collector();
  checkStanza(c, x, path);
  return c.errors;
}

/** Checks a single node (`{tag, attrs, content?}`) and returns its problems (empty when valid). */
export function validateNode(x: unknown, path = "$"): TraceError[] {
  const c = new Collector();
  checkNode(c, x, path, 0);
  return c.errors;
}

/** `path: message` lines for display. */
export function formatTraceErrors(errors: readonly TraceError[]): string {
  return errors.map((e) => `${e.path}: ${e.message} [${e.code}]`).join("\n");
}
