/**
 * The streaming shape every line-oriented importer has: a {@link LineReader} is fed the input
 * one line at a time and keeps only what it needs (bounded buffers), so the CLI can read logs
 * of any size from a stream and the panel can read pasted text with the same code.
 *
 * A reader may declare a **prefilter**: strings of which a line must contain at least one to be
 * able to hold a call stanza. The drivers (`feedText` here, the CLI's byte scanner) skip other
 * lines without decoding or parsing them and count them in `stats.prefiltered`. Both drivers
 * apply the same rule, so the panel and the CLI import the same stanzas from the same text.
 */
import type { ImportResult } from "./collect";

/** A format's reader, fed one line at a time. */
export interface LineReader {
  /**
   * Prefilter, for formats whose stanzas sit on one line: what a line must contain to be fed.
   * Called before each line with the next line's number; it returns the same object while the
   * needles are unchanged, so a driver can cache encoded needles. Undefined: every line is fed
   * (multi-line forms).
   */
  needles?(nextLine: number): Needles;
  /**
   * For formats of one record per line (JSON lines): the character codes every well-formed line
   * starts and ends with (blanks aside). A line the prefilter would skip is fed anyway when it
   * is not framed so, so that malformed lines are reported as errors, never silently skipped.
   */
  readonly frame?: { readonly first: number; readonly last: number };
  /** Feeds one line without its terminator (`\n` or `\r\n`); `no` is 1-based. */
  line(text: string, no: number): void;
  /** Counts `lines` lines the driver skipped by the prefilter (never fed, never decoded); required with `needles`. */
  skip?(lines: number): void;
  /** Records a problem the driver found at line `no` (e.g. a line too long to read). */
  fault(no: number, reason: string): void;
  /** Ends the input and returns the import. */
  finish(): ImportResult;
}

/**
 * What a line must contain to pass a prefilter: one of `any`, or `gate` together with an `id`
 * attribute whose value is in `ids` (the gate keeps a driver from searching every chunk for
 * each of many ids: ids are read, by {@link idValues}, only from lines that hold the gate).
 */
export interface Needles {
  readonly any: readonly string[];
  readonly gate?: string;
  /** Empty or unset: no gated ids. */
  readonly ids?: ReadonlySet<string>;
}

/** An `id` attribute in any rendering: `id='X'`, `id="X"`, `id=\"X\"` (not `call-id`). */
const ID_ATTR = /(?:^|[^\w-])id=\\?["']([^"'\\]+)/g;

/** The values of the `id` attributes in a line of any rendering (see {@link Needles}). */
export function idValues(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(ID_ATTR)) out.push(m[1]);
  return out;
}

/** Whether a line passes the gated part of `needles`: it holds the gate and one of the ids. */
export function passesGate(line: string, needles: Needles): boolean {
  const ids = needles.ids;
  if (!needles.gate || !ids?.size || !line.includes(needles.gate)) return false;
  return idValues(line).some((v) => ids.has(v));
}

/**
 * Feeds `text` to `reader` line by line (LF or CRLF), applying its prefilter, and finishes it.
 * @returns the reader's import result.
 */
export function feedText(reader: LineReader, text: string): ImportResult {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let no = 0;
  const next = new Map<string, number>();
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    no++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const needles = reader.needles?.(no);
    if (needles && !passes(text, start, stop, needles, next) && framed(text, start, stop, reader.frame))
      reader.skip?.(1);
    else reader.line(text.slice(start, stop), no);
    start = end + 1;
  }
  return reader.finish();
}

/** Whether `text[start, end)` passes `needles` (see {@link Needles}). */
function passes(
  text: string,
  start: number,
  end: number,
  needles: Needles,
  next: Map<string, number>,
): boolean {
  if (containsAny(text, start, end, needles.any, next)) return true;
  if (!needles.gate || !needles.ids?.size) return false;
  if (!containsAny(text, start, end, [needles.gate], next)) return false;
  return passesGate(text.slice(start, end), needles);
}

/** Whether `text[start, end)` is blank or starts and ends with `frame`'s characters (true without a frame). */
function framed(text: string, start: number, end: number, frame: LineReader["frame"]): boolean {
  if (!frame) return true;
  let a = start;
  let b = end - 1;
  while (a <= b && isBlank(text.charCodeAt(a))) a++;
  while (b >= a && isBlank(text.charCodeAt(b))) b--;
  return a > b || (text.charCodeAt(a) === frame.first && text.charCodeAt(b) === frame.last);
}

/** Space, tab or carriage return. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/**
 * Whether `text[start, end)` contains one of `needles`. `next` caches each needle's next
 * occurrence (or -1 for none left), so a whole text is scanned once per needle: linear time.
 */
function containsAny(
  text: string,
  start: number,
  end: number,
  needles: readonly string[],
  next: Map<string, number>,
): boolean {
  for (const n of needles) {
    let i = next.get(n);
    if (i === undefined || (i >= 0 && i < start)) {
      i = text.indexOf(n, start);
      next.set(n, i);
    }
    if (i >= 0 && i + n.length <= end) return true;
  }
  return false;
}

/**
 * The prefilter needles of call stanzas: `call` (every `<call>`, every `<ack class="call">`, and
 * the `call-id` of every offer receipt's `<offer>` child, in any rendering or escaping), plus the
 * ids of recent `<call>` stanzas as `id` values in lines holding `<receipt`, since a `<receipt id=X>` for call
 * stanza X names no call (`classifyStanza`, "call-receipt"). An id stays a needle for
 * {@link CallNeedles.WINDOW} lines after its stanza; at most {@link CallNeedles.MAX_IDS} ids at
 * once (oldest dropped first).
 */
export class CallNeedles {
  /** Lines during which a call stanza's id stays a needle. */
  static readonly WINDOW = 50_000;
  /** Most ids kept as needles at once. */
  static readonly MAX_IDS = 64;
  private static readonly ANY: readonly string[] = ["call"];
  /** id → last line at which it is still a needle (insertion order = expiry order). */
  private readonly ids = new Map<string, number>();
  private current: Needles = { any: CallNeedles.ANY };
  private flat: readonly string[] = CallNeedles.ANY;
  /** The earliest expiry among `ids`. */
  private firstUntil = Number.POSITIVE_INFINITY;

  /** Makes `id` (of a `<call>` stanza read at `line`) a needle. */
  remember(id: string, line: number): void {
    this.ids.delete(id);
    this.ids.set(id, line + CallNeedles.WINDOW);
    if (this.ids.size > CallNeedles.MAX_IDS) {
      const oldest = this.ids.keys().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    this.rebuild();
  }

  /** The needles for line `line` (the same object while unchanged). */
  needles(line: number): Needles {
    this.expire(line);
    return this.current;
  }

  /** Every needle string for line `line`, `call` and the ids alike (a superset check for text already in hand). */
  at(line: number): readonly string[] {
    this.expire(line);
    return this.flat;
  }

  private expire(line: number): void {
    if (line <= this.firstUntil) return;
    for (const [id, until] of this.ids) {
      if (until >= line) break;
      this.ids.delete(id);
    }
    this.rebuild();
  }

  private rebuild(): void {
    const ids = new Set(this.ids.keys());
    this.current = ids.size ? { any: CallNeedles.ANY, gate: "<receipt", ids } : { any: CallNeedles.ANY };
    this.flat = [...CallNeedles.ANY, ...ids];
    this.firstUntil = this.ids.values().next().value ?? Number.POSITIVE_INFINITY;
  }
}
