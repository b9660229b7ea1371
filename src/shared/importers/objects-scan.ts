/**
 * The bracket-balancing block accumulator of the object-shaped forms (real-captures.md forms
 * 3–6): an object begins at a `{` or `[` the reader points at, and its lines are kept only while
 * its brackets are unbalanced. Brackets inside string literals do not count (the quote
 * characters are the form's: `"` for JSON, `'` `"` and `` ` `` for inspect output); strings
 * never span lines. A block is capped ({@link MAX_BLOCK_CHARS}, {@link MAX_BLOCK_LINES},
 * {@link MAX_DEPTH}): past the cap it is dropped and only counted until its brackets balance.
 */

/** Most characters one object may have (4 MiB of UTF-16 code units). */
export const MAX_BLOCK_CHARS = 4 * 1024 * 1024;
/** Most lines one object may span. */
export const MAX_BLOCK_LINES = 100_000;
/** Deepest bracket nesting kept (deeper objects are dropped as over the cap). */
export const MAX_DEPTH = 1000;

/** A finished object: its lines (from its opening bracket), joined into `text` when asked. */
export class Block {
  private joined: string | undefined;
  constructor(
    /** Its lines, the first from the opening bracket, the last to the closing one. */
    readonly parts: readonly string[],
    /** 1-based line of its opening bracket. */
    readonly line: number,
    /** 1-based line of its last line. */
    readonly endLine: number,
  ) {}

  /** The lines joined with `\n`. */
  get text(): string {
    this.joined ??= this.parts.join("\n");
    return this.joined;
  }

  /** Whether one of its lines contains one of `needles` (without joining them). */
  contains(needles: readonly string[]): boolean {
    for (const p of this.parts) for (const n of needles) if (p.includes(n)) return true;
    return false;
  }
}

/** Leading spaces and tabs of `s`. */
export function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

const OPEN_CURLY = 123;
const OPEN_SQUARE = 91;
const CLOSE_CURLY = 125;
const CLOSE_SQUARE = 93;

/** Character classes of the scan (ASCII only; other characters are plain). */
const PLAIN = 0;
const OPEN = 1;
const CLOSE = 2;
const COMMA = 3;
const QUOTE = 4;

/** Bracket and string state of a scan, carried from line to line. */
class BracketState {
  depth = 0;
  /** Opening brackets, innermost last (only the first {@link MAX_DEPTH} are kept). */
  readonly stack: number[] = [];
  private readonly classes = new Uint8Array(128);
  constructor(quotes: readonly number[]) {
    this.classes[OPEN_CURLY] = OPEN;
    this.classes[OPEN_SQUARE] = OPEN;
    this.classes[CLOSE_CURLY] = CLOSE;
    this.classes[CLOSE_SQUARE] = CLOSE;
    this.classes[44] = COMMA;
    for (const q of quotes) this.classes[q] = QUOTE;
  }

  /**
   * Scans `text[from, …)`; `at` is called after every point where the text could be cut and
   * closed again (after an opening or closing bracket or a string, before a comma).
   * @returns the index just past the bracket that balances the block, or -1.
   */
  scan(text: string, from: number, at?: (pos: number) => void): number {
    const classes = this.classes;
    const stack = this.stack;
    let depth = this.depth;
    const n = text.length;
    for (let i = from; i < n; i++) {
      const ch = text.charCodeAt(i);
      const k = ch < 128 ? classes[ch] : PLAIN;
      if (k === PLAIN) continue;
      if (k === QUOTE) {
        // Skip the string literal: to its closing quote, or the end of the line.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 92) j += 2;
          else if (d === ch) break;
          else j++;
        }
        i = j;
        if (j < n) at?.(j + 1);
      } else if (k === OPEN) {
        if (depth++ < MAX_DEPTH) stack.push(ch);
        at?.(i + 1);
      } else if (k === CLOSE) {
        if (depth > 0 && depth-- <= MAX_DEPTH) stack.pop();
        if (depth === 0) {
          this.depth = 0;
          return i + 1;
        }
        at?.(i + 1);
      } else at?.(i);
    }
    this.depth = depth;
    return -1;
  }

  /** The closing brackets that would balance the current stack. */
  closers(): string {
    let s = "";
    for (let i = this.stack.length - 1; i >= 0; i--) s += this.stack[i] === OPEN_CURLY ? "}" : "]";
    return s;
  }
}

/**
 * Accumulates one object at a time. `begin` starts an object at a column of a line, `next`
 * feeds its following lines; both return the column just past the object's last bracket once
 * it balances (the object was passed to `onBlock`), or -1 while it is open. Over the cap,
 * `onOverflow` is called once with the object's first line and the rest is only counted.
 */
export class BlockScanner {
  private readonly state: BracketState;
  private parts: string[] = [];
  private chars = 0;
  private first = 0;
  private last = 0;
  private indent = 0;
  private over = false;
  /** Last non-blank character of the object's text so far. */
  private tail = 0;

  constructor(
    quoteChars: string,
    private readonly onBlock: (b: Block) => void,
    private readonly onOverflow: (line: number, why: string) => void,
  ) {
    this.state = new BracketState([...quoteChars].map((q) => q.charCodeAt(0)));
  }

  /** Whether an object is open (begun, not yet balanced). */
  get open(): boolean {
    return this.state.depth > 0;
  }

  /** Whether the open object went over the cap (it is only being counted). */
  get overflowed(): boolean {
    return this.over;
  }

  /** 1-based first line and indentation of the open object. */
  get start(): { line: number; indent: number } {
    return { line: this.first, indent: this.indent };
  }

  /** Last non-blank character code of the open object so far (0 if none). */
  get lastChar(): number {
    return this.tail;
  }

  /** Whether the innermost open bracket is a `{` (an object, where a value cannot start without a key). */
  get inObject(): boolean {
    const st = this.state.stack;
    return this.state.depth <= MAX_DEPTH && st[st.length - 1] === OPEN_CURLY;
  }

  /** Starts an object at `text[col]` (a `{` or `[`) of line `no`. */
  begin(text: string, no: number, col: number): number {
    this.reset();
    this.first = no;
    this.indent = indentOf(text);
    return this.feed(text, no, col);
  }

  /** Feeds the next line of the open object. */
  next(text: string, no: number): number {
    return this.feed(text, no, 0);
  }

  /**
   * Drops the open object's text but keeps counting its brackets until they balance, as past
   * the cap (e.g. after the driver could not read one of its lines).
   */
  drop(): void {
    if (this.open) {
      this.over = true;
      this.parts = [];
    }
  }

  /** Drops the open object (returns its text so far, or `undefined` when it went over the cap). */
  abandon(): Block | undefined {
    const b = this.over ? undefined : new Block(this.parts, this.first, this.last);
    this.reset();
    return b;
  }

  private reset(): void {
    this.state.depth = 0;
    this.state.stack.length = 0;
    this.parts = [];
    this.chars = 0;
    this.over = false;
    this.tail = 0;
  }

  private feed(text: string, no: number, col: number): number {
    this.last = no;
    const end = this.state.scan(text, col);
    const piece = end < 0 ? (col ? text.slice(col) : text) : text.slice(col, end);
    if (!this.over) {
      this.parts.push(piece);
      this.chars += piece.length + 1;
      let why: string | undefined;
      if (this.chars > MAX_BLOCK_CHARS) why = `longer than ${MAX_BLOCK_CHARS} characters`;
      else if (this.parts.length > MAX_BLOCK_LINES) why = `longer than ${MAX_BLOCK_LINES} lines`;
      else if (this.state.depth > MAX_DEPTH) why = `nested deeper than ${MAX_DEPTH} levels`;
      if (why) {
        this.over = true;
        this.parts = [];
        this.onOverflow(this.first, why);
      }
    }
    for (let i = piece.length - 1; i >= 0; i--) {
      const ch = piece.charCodeAt(i);
      if (ch !== 32 && ch !== 9) {
        this.tail = ch;
        break;
      }
    }
    if (end < 0) return -1;
    const b = this.over ? undefined : new Block(this.parts, this.first, no);
    this.reset();
    if (b) this.onBlock(b);
    return end;
  }

  /**
   * Candidate texts for what a cut-off object held, latest cut first (at most `max`): the text
   * up to a point where it could be cut (`BracketState.scan`), trailing commas removed, with the
   * brackets still open closed.
   */
  static closings(text: string, quoteChars: string, max = 8): string[] {
    const quotes = [...quoteChars].map((q) => q.charCodeAt(0));
    // First pass: the last `max` cut points (a ring), line by line so strings end at line ends.
    const ring: number[] = [];
    const scanLines = (st: BracketState, at: (pos: number) => void) => {
      let off = 0;
      for (const l of text.split("\n")) {
        const base = off;
        st.scan(l, 0, (p) => at(base + p));
        off += l.length + 1;
      }
    };
    scanLines(new BracketState(quotes), (p) => {
      if (ring.length && ring[ring.length - 1] === p) return;
      ring.push(p);
      if (ring.length > max) ring.shift();
    });
    // Second pass: the brackets open at each of those points.
    const closers = new Map<number, string>();
    const st = new BracketState(quotes);
    let k = 0;
    scanLines(st, (p) => {
      if (p === ring[k]) {
        closers.set(p, st.closers());
        k++;
      }
    });
    const out: string[] = [];
    for (let i = ring.length - 1; i >= 0; i--) {
      const c = closers.get(ring[i]);
      if (!c) continue;
      out.push(text.slice(0, ring[i]).replace(/[\s,]+$/, "") + c);
    }
    return out;
  }
}
