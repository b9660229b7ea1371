/**
 * Streaming input for the CLI: reads a file or standard input as a stream of byte chunks
 * (gunzipping `.gz` content, found by its magic bytes), detects the format from the first
 * 64 KiB, and feeds a shared {@link LineReader} line by line. There is never a whole-file
 * string, except for the project's own trace JSON (one document, bounded by
 * {@link MAX_TRACE_BYTES}).
 *
 * The byte-level prefilter: for readers with `needles` (logs with one stanza per line), each
 * chunk is searched for the needles with `Buffer.indexOf`; lines without a hit are only
 * counted (and, for JSON lines, checked for their `{…}` frame at both ends), never decoded.
 */
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import {
  createReader,
  detectFormat,
  ImportError,
  type ImportFormat,
  type ImportResult,
  importTrace,
  type LineReader,
  unrecognised,
} from "../shared/importers/index";
import { isBlank, type Needles, passesGate } from "../shared/importers/lines";

/** Longest line read, in bytes; a longer line is skipped and reported (bounds memory). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Largest trace JSON read, in bytes (a trace is one JSON document, read whole). */
export const MAX_TRACE_BYTES = 512 * 1024 * 1024;
/** Bytes of the input's start that format detection looks at. */
export const DETECT_BYTES = 64 * 1024;

/** Options of {@link importStream}. */
export interface StreamOptions {
  /** The input's name, for error entries. */
  file: string;
  /** Force a format instead of detecting it. */
  format?: ImportFormat;
  /** Called with the bytes read so far from the source (compressed bytes for `.gz`), at most every 64 MiB. */
  progress?: (bytesRead: number) => void;
}

/**
 * Imports a stream of bytes (a file, standard input, `.gz` or not).
 * Never rejects for bad content: unreadable parts become `errors`; a damaged gzip stream ends
 * the input there with an error (what came before is kept).
 * @returns the import, or the result of {@link unrecognised} when no format fits.
 */
export async function importStream(
  source: AsyncIterable<Uint8Array>,
  options: StreamOptions,
): Promise<ImportResult> {
  const input = decompressed(counted(source, options.progress));
  const head: Buffer[] = [];
  let headBytes = 0;
  let failure: string | undefined;
  const it = input[Symbol.asyncIterator]();
  const next = async (): Promise<Buffer | undefined> => {
    if (failure !== undefined) return undefined;
    try {
      const r = await it.next();
      return r.done ? undefined : r.value;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  };
  while (headBytes < DETECT_BYTES) {
    const b = await next();
    if (!b) break;
    head.push(b);
    headBytes += b.length;
  }
  const format = options.format ?? detectFormat(Buffer.concat(head).toString("utf8", 0, DETECT_BYTES));
  const finish = (r: ImportResult): ImportResult => {
    if (failure !== undefined) {
      r.errors.push(new ImportError(0, `input ends early: ${failure}`, options.file, "input-ends-early"));
      r.stats.errors++;
    }
    return r;
  };
  if (format === "trace") {
    let total = headBytes;
    for (let b = await next(); b; b = await next()) {
      total += b.length;
      if (total > MAX_TRACE_BYTES) {
        const r = unrecognised(options.file);
        r.errors[0] = new ImportError(
          0,
          `a trace file over ${MAX_TRACE_BYTES / 2 ** 20} MiB is not read`,
          options.file,
          "too-large",
        );
        return r;
      }
      head.push(b);
    }
    return finish(importTrace(Buffer.concat(head).toString("utf8"), options.file));
  }
  const reader = format === undefined ? undefined : createReader(format, options.file);
  if (!reader) return finish(unrecognised(options.file));
  const lines = new ByteLines(reader);
  for (const b of head) lines.push(b);
  for (let b = await next(); b; b = await next()) lines.push(b);
  return finish(lines.end());
}

/** Passes chunks through, reporting the running byte count to `progress` every 64 MiB. */
async function* counted(
  source: AsyncIterable<Uint8Array>,
  progress: ((n: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  let n = 0;
  let reported = 0;
  for await (const chunk of source) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    n += b.length;
    if (progress && n - reported >= 64 * 2 ** 20) {
      reported = n;
      progress(n);
    }
    yield b;
  }
  progress?.(n);
}

/** Gunzips the stream when it starts with the gzip magic bytes (1f 8b), else passes it through. */
async function* decompressed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let first = await it.next();
  // Two bytes decide; a first chunk of one byte is rare but possible on a pipe.
  while (!first.done && first.value.length < 2) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const all = (async function* () {
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) {
    yield* all;
    return;
  }
  yield* Readable.from(all).pipe(createGunzip({ chunkSize: 2 ** 20 })) as AsyncIterable<Buffer>;
}

/**
 * Cuts byte chunks into lines and feeds them to a {@link LineReader}, applying its prefilter at
 * the byte level (see the module comment). Lines longer than {@link MAX_LINE_BYTES} are skipped
 * with an error, so memory stays bounded whatever the input.
 */
export class ByteLines {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false;
  private no = 0;
  private needles: Needles | undefined;
  /** The needles searched for in chunks: `any`, then the gate when there are gated strings. */
  private scanned: Buffer[] = [];
  /** How many of `scanned` are `any` needles (a hit on the rest is a gate hit). */
  private anyCount = 0;

  constructor(
    private readonly reader: LineReader,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  /** Adds a chunk. */
  push(buf: Buffer): void {
    let pos = 0;
    if (this.carryBytes > 0 || this.overlong) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.hold(buf, 0);
        return;
      }
      if (this.overlong) this.overlongLine();
      else {
        this.carry.push(buf.subarray(0, nl));
        const line = Buffer.concat(this.carry);
        this.carry = [];
        this.carryBytes = 0;
        this.filtered(line, 0, line.length);
      }
      pos = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last >= pos) {
      this.scan(buf, pos, last + 1);
      pos = last + 1;
    }
    if (pos < buf.length) this.hold(buf, pos);
  }

  /** Ends the input: the last line (without a final newline) is read, and the reader finishes. */
  end(): ImportResult {
    if (this.overlong) this.overlongLine();
    else if (this.carryBytes > 0) {
      const line = Buffer.concat(this.carry);
      this.carry = [];
      this.carryBytes = 0;
      this.filtered(line, 0, line.length);
    }
    return this.reader.finish();
  }

  /** Keeps the start of an unfinished line, or drops it once it is overlong. */
  private hold(buf: Buffer, from: number): void {
    if (this.overlong) return;
    this.carryBytes += buf.length - from;
    if (this.carryBytes > this.maxLine) {
      this.carry = [];
      this.carryBytes = 0;
      this.overlong = true;
      return;
    }
    // Copy: the chunk's memory may be reused by the stream.
    this.carry.push(Buffer.from(buf.subarray(from)));
  }

  private overlongLine(): void {
    this.overlong = false;
    this.no++;
    this.reader.fault(this.no, `line longer than ${this.maxLine / 2 ** 20} MiB: skipped unread`);
  }

  /** The scanned needles for the next line, encoded (cached while the reader's object is unchanged). */
  private currentNeedles(): Buffer[] | undefined {
    const ns = this.reader.needles?.(this.no + 1);
    if (ns === undefined) return undefined;
    if (ns !== this.needles) {
      this.needles = ns;
      this.scanned = ns.any.map((n) => Buffer.from(n, "utf8"));
      this.anyCount = this.scanned.length;
      if (ns.gate && ns.ids?.size) this.scanned.push(Buffer.from(ns.gate, "utf8"));
    }
    return this.scanned;
  }

  /** Whether line `buf[start, end)` passes the current needles (see `Needles`). */
  private passes(buf: Buffer, start: number, end: number): boolean {
    const line = buf.subarray(start, end);
    for (let i = 0; i < this.anyCount; i++) if (line.indexOf(this.scanned[i]) >= 0) return true;
    if (this.scanned.length === this.anyCount || line.indexOf(this.scanned[this.anyCount]) < 0) return false;
    return passesGate(line.toString("latin1"), this.needles as Needles);
  }

  /** One line `buf[start, end)` (no terminator), through the prefilter. */
  private filtered(buf: Buffer, start: number, end: number): void {
    const ns = this.currentNeedles();
    if (ns && !this.passes(buf, start, end) && this.framed(buf, start, end)) {
      this.no++;
      this.reader.skip?.(1);
      return;
    }
    this.feed(buf, start, end);
  }

  private feed(buf: Buffer, start: number, end: number): void {
    this.no++;
    const stop = end > start && buf[end - 1] === 13 ? end - 1 : end;
    this.reader.line(buf.toString("utf8", start, stop), this.no);
  }

  /** Complete lines `buf[pos, end)` (`end` just after a newline). */
  private scan(buf: Buffer, pos: number, end: number): void {
    let ns = this.currentNeedles();
    if (!ns) {
      while (pos < end) {
        const nl = buf.indexOf(10, pos);
        this.feed(buf, pos, nl);
        pos = nl + 1;
      }
      return;
    }
    // Next occurrence of each needle at or after `pos` (-1: none in this chunk).
    let next = ns.map((n) => buf.indexOf(n, pos));
    while (pos < end) {
      const now = this.currentNeedles() as Buffer[];
      if (now !== ns) {
        ns = now;
        next = ns.map((n) => buf.indexOf(n, pos));
      }
      let hit = -1;
      let which = -1;
      for (let i = 0; i < ns.length; i++) {
        if (next[i] >= 0 && next[i] < pos) next[i] = buf.indexOf(ns[i], pos);
        if (next[i] >= 0 && (hit < 0 || next[i] < hit)) {
          hit = next[i];
          which = i;
        }
      }
      if (hit < 0 || hit >= end) {
        this.skipLines(buf, pos, end);
        return;
      }
      const lineStart = Math.max(pos, buf.lastIndexOf(10, hit) + 1);
      this.skipLines(buf, pos, lineStart);
      const nl = buf.indexOf(10, hit);
      if (which < this.anyCount || this.passes(buf, lineStart, nl)) this.feed(buf, lineStart, nl);
      else this.skipLines(buf, lineStart, nl + 1);
      pos = nl + 1;
    }
  }

  /** Counts the complete lines of `buf[from, to)` as prefiltered, feeding those that are not framed. */
  private skipLines(buf: Buffer, from: number, to: number): void {
    const frame = this.reader.frame;
    let n = 0;
    let pos = from;
    while (pos < to) {
      const nl = buf.indexOf(10, pos);
      if (frame && !this.framed(buf, pos, nl)) {
        if (n) {
          this.no += n;
          this.reader.skip?.(n);
          n = 0;
        }
        this.feed(buf, pos, nl);
      } else n++;
      pos = nl + 1;
    }
    if (n) {
      this.no += n;
      this.reader.skip?.(n);
    }
  }

  /** Whether `buf[start, end)` is blank or starts and ends with the reader's frame bytes (true without a frame). */
  private framed(buf: Buffer, start: number, end: number): boolean {
    const frame = this.reader.frame;
    if (!frame) return true;
    let a = start;
    let b = end - 1;
    while (a <= b && isBlank(buf[a])) a++;
    while (b >= a && isBlank(buf[b])) b--;
    return a > b || (buf[a] === frame.first && buf[b] === frame.last);
  }
}
