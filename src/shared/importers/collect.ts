/**
 * Shared by every importer: turns read nodes into numbered `CapturedStanza`s, keeps only
 * call-related ones (the extension's own privacy filter, `classifyStanza`), counts the rest,
 * infers directions where the log has none, tracks timestamp precision, and gathers per-line
 * errors. Also the node conversion from the tolerant log reader's `LogNode`.
 */
import { bytesToBase64 } from "../codec/bytetext";
import type { LogNode } from "../codec/logxml";
import { isOmittedBytes } from "../codec/logxml";
import type { WANode } from "../codec/node";
import type { ErrorValue } from "../errors";
import { parsePlaceholderText } from "../export/render";
import { CallIdMemory, classifyStanza } from "../stanza/filter";
import type { CapturedStanza, Direction, PortableNode } from "../trace/types";
import {
  createTrace,
  type TimestampPrecision,
  TOOL_ID,
  type TraceBytes,
  type TraceFile,
} from "../tracefile/types";
import { CallNeedles } from "./lines";

/** Input formats the importers read. */
export type ImportFormat =
  | "trace"
  | "wacrg"
  | "xml"
  | "baileys"
  | "whatsmeow"
  | "whatsmeow-zerolog"
  | "whatsapp-rust"
  | "whatsapp-rust-demo"
  | "whatsapp-rust-voip"
  /** Baileys' pino-pretty output: `[ms] INFO: recv call` then an indented `node: {…}` (real-captures.md form 3). */
  | "pino-pretty"
  /** Baileys BinaryNode objects `{tag, attrs, content}` as JSON, one line or many (form 4). */
  | "binary-node-json"
  /** `console.log` / `util.inspect` object literals of BinaryNodes (form 5). */
  | "inspect"
  /** WhatsApp Web's own node objects, JIDs as `{"_jid": {…}}` (form 6). */
  | "wa-web-node";

/**
 * What kind of problem an {@link ImportError} is:
 * - `bad-input`: a line, record or stanza that could not be read (skipped) or is suspect
 *   (kept); `reason` says which;
 * - `unrecognised-format`: no importer recognised the input;
 * - `input-ends-early`: reading the input failed part-way (the CLI's streamed reads);
 * - `too-large`: the input is over a size limit and was not read.
 */
export type ImportErrorCode = "bad-input" | "unrecognised-format" | "input-ends-early" | "too-large";

/**
 * One problem in the input; the rest of the input is still imported. An error value (see
 * ../errors.ts) whose own enumerable fields are only `file?`, `line` and `reason`, as
 * reports and tests read them: `name`, `code` and `message` (= `reason`) are getters.
 */
export class ImportError implements ErrorValue<"ImportError", ImportErrorCode> {
  declare file?: string;
  /** 1-based line (0 when the problem concerns the whole file). */
  declare line: number;
  declare reason: string;
  readonly #code: ImportErrorCode;

  constructor(line: number, reason: string, file?: string, code: ImportErrorCode = "bad-input") {
    if (file !== undefined) this.file = file;
    this.line = line;
    this.reason = reason;
    this.#code = code;
  }

  get name(): "ImportError" {
    return "ImportError";
  }

  get code(): ImportErrorCode {
    return this.#code;
  }

  get message(): string {
    return this.reason;
  }
}

/**
 * A repair the importer made to damaged input (published XML: real-captures.md forms 1–2):
 * the stanza was kept, and this says what was changed or assumed at which line.
 */
export interface ImportRepair {
  file?: string;
  /** 1-based line. */
  line: number;
  /** What kind of repair (e.g. `elision`, `placeholder`, `cut`, `synthetic-call`; see `XmlRepairKind`). */
  kind: string;
  reason: string;
}

/** Counts of what an import read. */
export interface ImportStats {
  /** Lines (or records) read. */
  lines: number;
  /** Stanzas read successfully. */
  stanzas: number;
  /** Call-related stanzas kept. */
  kept: number;
  /** Stanzas dropped as not call-related, by tag. */
  droppedByTag: Record<string, number>;
  /** Log lines that were not stanza lines (other messages). */
  otherLines: number;
  /** Byte contents the log did not print (`<!-- N bytes -->`), kept as length-only markers. */
  bytesOmitted: number;
  /** Lines the prefilter skipped unparsed: they contain no call marker (see `LineReader.needles`). */
  prefiltered: number;
  /** All errors, including those past the listed ones (`errors` keeps the first {@link MAX_LISTED}). */
  errors: number;
  /** All repairs, including those past the listed ones. */
  repairs: number;
}

/** How many errors (and, separately, repairs) an import lists; the rest are only counted. */
export const MAX_LISTED = 200;

/**
 * The result of an import: the trace (call-related stanzas only), what was read, errors (parts
 * not imported) and repairs (parts imported after a repair, each with its line).
 */
export interface ImportResult {
  format: ImportFormat;
  trace: TraceFile;
  errors: ImportError[];
  /** Repairs of damaged input; empty when none were needed. */
  repairs: ImportRepair[];
  stats: ImportStats;
}

/** Where a stanza came from in its log line. */
export interface StanzaInput {
  node: PortableNode;
  /** Direction when the log says it; `undefined` → inferred from the node. */
  direction?: Direction;
  /** Time in ms (epoch, or since midnight for time-of-day logs); `undefined` → order only. */
  t?: number;
  /** Precision of this line's time. */
  precision: TimestampPrecision;
  /** For `time-of-day`: whether the clock had sub-second digits. */
  subSecond?: boolean;
  line: number;
  /** The `<call>` wrapper was added by the importer around a bare action child (direction unknown). */
  synthetic?: "call-wrapper";
}

const PRECISION_RANK: Record<TimestampPrecision, number> = { ms: 0, "time-of-day": 1, s: 2, none: 3 };

/**
 * The direction a stanza most likely had, from its attributes: a server timestamp `t` or only
 * `from` → inbound; only `to` → outbound; acks and receipts by `from`/`to`; default inbound.
 */
export function inferDirection(node: { tag: string; attrs: Record<string, string> }): Direction {
  const a = node.attrs;
  if (node.tag === "ack") return a.from !== undefined ? "in" : a.to !== undefined ? "out" : "in";
  if (node.tag === "receipt") return a.to !== undefined ? "out" : "in";
  if (a.t !== undefined) return "in";
  if (a.to !== undefined && a.from === undefined) return "out";
  return "in";
}

/** A `LogNode` (tolerant log reader) as a portable node: bytes → base64, omitted bytes → `{ b64: "", truncatedFrom }`. */
export function logNodeToPortable(node: LogNode, counter?: { omitted: number }): PortableNode {
  const out: PortableNode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map((x) => logNodeToPortable(x, counter));
  else if (c instanceof Uint8Array) out.content = { b64: bytesToBase64(c) };
  else if (isOmittedBytes(c)) {
    if (counter) counter.omitted++;
    out.content = { b64: "", truncatedFrom: c.bytesOmitted };
  } else out.content = textContent(c);
  return out;
}

/** A plain `WANode` (strict XML reader, codec) as a portable node, placeholders restored. */
export function waNodeToPortable(node: WANode): PortableNode {
  const out: PortableNode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(waNodeToPortable);
  else if (c instanceof Uint8Array) out.content = { b64: bytesToBase64(c) };
  else out.content = textContent(c);
  return out;
}

/** Text content, or the exporters' placeholder (`[enc: 196 bytes redacted]`) read back as a length-only payload. */
function textContent(s: string): PortableNode["content"] {
  const p = parsePlaceholderText(s);
  if (!p) return s;
  const bytes: TraceBytes = { b64: "", truncatedFrom: p.length, redacted: p.label };
  return bytes;
}

/** Builds the trace of one import. */
export class Collector {
  readonly errors: ImportError[] = [];
  readonly repairs: ImportRepair[] = [];
  readonly stats: ImportStats = {
    lines: 0,
    stanzas: 0,
    kept: 0,
    droppedByTag: {},
    otherLines: 0,
    bytesOmitted: 0,
    prefiltered: 0,
    errors: 0,
    repairs: 0,
  };
  private readonly memory = new CallIdMemory();
  /** Prefilter needles of this import (the ids of its recent `<call>` stanzas among them). */
  readonly needles = new CallNeedles();
  private readonly stanzas: CapturedStanza[] = [];
  private precision: TimestampPrecision | undefined;
  private subSecond: boolean | undefined;
  private inferred = false;
  private order = 0;

  constructor(
    readonly format: ImportFormat,
    readonly file?: string,
  ) {}

  /** Records a problem at `line` (listed while fewer than {@link MAX_LISTED} are, always counted). */
  error(line: number, reason: string): void {
    if (this.stats.errors++ >= MAX_LISTED) return;
    this.errors.push(new ImportError(line, reason, this.file));
  }

  /** Records a repair of damaged input at `line` (see `ImportRepair`). */
  repair(line: number, kind: string, reason: string): void {
    if (this.stats.repairs++ >= MAX_LISTED) return;
    this.repairs.push(
      this.file === undefined ? { line, kind, reason } : { file: this.file, line, kind, reason },
    );
  }

  /** Adds one read stanza (kept only when call-related). */
  add(input: StanzaInput): void {
    this.stats.stanzas++;
    const node = input.node;
    const first = Array.isArray(node.content) ? node.content[0]?.tag : undefined;
    const verdict = classifyStanza(
      { tag: node.tag, ackClass: node.attrs.class, id: node.attrs.id, firstChildTag: first },
      this.memory,
    );
    this.order++;
    if (verdict === "call" && node.attrs.id !== undefined) this.needles.remember(node.attrs.id, input.line);
    if (verdict === "drop") {
      this.stats.droppedByTag[node.tag] = (this.stats.droppedByTag[node.tag] ?? 0) + 1;
      return;
    }
    let direction = input.direction;
    if (direction === undefined) {
      direction = inferDirection(node);
      this.inferred = true;
    }
    let precision = input.precision;
    let t = input.t;
    if (t === undefined || !Number.isFinite(t)) {
      precision = "none";
      t = this.order;
    }
    if (this.precision === undefined || PRECISION_RANK[precision] > PRECISION_RANK[this.precision])
      this.precision = precision;
    if (precision === "time-of-day") this.subSecond = (this.subSecond ?? true) && input.subSecond !== false;
    this.stats.kept++;
    const stanza: CapturedStanza = { seq: this.stanzas.length, direction, t, tap: "codec", node };
    if (input.synthetic) stanza.synthetic = input.synthetic;
    this.stanzas.push(stanza);
  }

  /** The finished import. `precision` overrides the tracked one (e.g. for a file without stanzas). */
  finish(): ImportResult {
    const precision = this.precision ?? "none";
    // With no real times, t is the reading order (1 ms apart).
    if (precision === "none")
      this.stanzas.forEach((s, i) => {
        s.t = i;
      });
    const trace = createTrace(this.stanzas, {
      kind: "import",
      tool: TOOL_ID,
      importer: this.format,
      timestampPrecision: precision,
      ...(precision === "time-of-day" ? { subSecond: this.subSecond !== false } : {}),
      directionInferred: this.inferred,
    });
    return { format: this.format, trace, errors: this.errors, repairs: this.repairs, stats: this.stats };
  }
}
