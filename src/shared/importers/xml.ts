/**
 * Reading stanzas out of XML-ish text with the codec's readers (never a parser of our own):
 * - text this project wrote (`nodeToXml`: `<!-- N bytes: hex -->` markers, `[label: N bytes
 *   redacted]` placeholders) goes through the strict `xmlToNodes`;
 * - anything else (library logs, hand-pasted stanzas) through the tolerant `parseLogXml`, one
 *   top-level element at a time. Top-level elements are found by layout only: a line that
 *   starts (at the text's smallest indentation) with `<` and a name begins a new element.
 */

import { isXmlError, type XmlError } from "../codec/errors";
import { xmlToNodes } from "../codec/index";
import {
  type LogNode,
  type LogXmlDialect,
  type LogXmlRepair,
  type LogXmlRepairKind,
  parseLogXml,
  readLogXmlAt,
} from "../codec/logxml";
import { KNOWN_CALL_ACTIONS } from "../stanza/view";
import type { PortableNode } from "../trace/types";
import { logNodeToPortable, waNodeToPortable } from "./collect";

/**
 * One element read from text, or the reader's error (its `offset` is into the text the
 * reader was given) at its line in the file. `synthetic` marks a `<call>` the reader added
 * around a bare action child (see `readPublishedXml`).
 */
export type XmlChunk =
  | { node: PortableNode; line: number; synthetic?: "call-wrapper" }
  | { error: XmlError; line: number };

/** The import error reason for an unreadable chunk: `unreadable stanza: code: message`. */
export function unreadableStanza(error: XmlError): string {
  return `unreadable stanza: ${error.code}: ${error.message}`;
}

const OWN_MARKERS = /<!-- \d+ bytes: [0-9a-f]*(?:\.\.\.)? -->|: \d+ bytes redacted\]|<!-- 0 children -->/;

/** Whether the text looks like this project's own XML (so the strict reader applies). */
export function looksLikeOwnXml(text: string): boolean {
  return OWN_MARKERS.test(text) && !/<[A-Za-z][^>]*\s[\w:.-]+='/.test(text);
}

/**
 * Reads every top-level element of `text`.
 * @param firstLine line number of the text's first line in its file (1-based).
 * @param dialect tolerant-reader dialect for non-own text (default auto).
 * @param counter incremented per `<!-- N bytes -->` content.
 */
export function readXmlStanzas(
  text: string,
  firstLine = 1,
  dialect: LogXmlDialect = "auto",
  counter?: { omitted: number },
): XmlChunk[] {
  if (looksLikeOwnXml(text)) {
    const nodes = xmlToNodes(text);
    if (!isXmlError(nodes)) {
      // Lines of the top-level elements, for reports: the lines starting an element at column 0.
      const starts = lineStarts(text, firstLine);
      return nodes.map((n, i) => ({ node: waNodeToPortable(n), line: starts[i] ?? firstLine }));
    }
  }
  const out: XmlChunk[] = [];
  for (const block of blocks(text, firstLine)) {
    const r = parseLogXml(block.text, { dialect });
    if (isXmlError(r)) out.push({ error: r, line: block.line + lineOf(block.text, r.offset) - 1 });
    else out.push({ node: logNodeToPortable(r, counter), line: block.line });
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

const ELEMENT_START = /^<[A-Za-z_]/;

function lineStarts(text: string, firstLine: number): number[] {
  const lines = text.split("\n");
  const base = Math.min(...lines.filter((l) => l.trim()).map(indentOf));
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (indentOf(l) === base && ELEMENT_START.test(l.trimStart())) out.push(firstLine + i);
  });
  return out;
}

/** Splits text into top-level element blocks by layout (see the module comment); comment lines between them are skipped. */
export function blocks(text: string, firstLine = 1): { text: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  const nonBlank = lines.filter((l) => l.trim() !== "");
  if (!nonBlank.length) return [];
  const base = Math.min(...nonBlank.map(indentOf));
  const out: { text: string; line: number }[] = [];
  let cur: { lines: string[]; line: number } | undefined;
  lines.forEach((l, i) => {
    const t = l.trimStart();
    const top = indentOf(l) === base && t !== "";
    if (top && ELEMENT_START.test(t)) {
      if (cur) out.push({ text: cur.lines.join("\n"), line: cur.line });
      cur = { lines: [l], line: firstLine + i };
    } else if (top && t.startsWith("<!--") && (!cur || isClosed(cur.lines))) {
      if (cur) out.push({ text: cur.lines.join("\n"), line: cur.line });
      cur = undefined;
    } else if (cur) cur.lines.push(l);
    else if (t !== "") {
      cur = { lines: [l], line: firstLine + i };
    }
  });
  if (cur) out.push({ text: cur.lines.join("\n"), line: cur.line });
  return out;
}

/** A block is closed when its last non-blank line ends a tag (`/>` or `</…>`) at the base level. */
function isClosed(lines: string[]): boolean {
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (t === "") continue;
    return t.endsWith("/>") || /^<\/[^>]+>$/.test(t) || (i === 0 && /<\/[^>]+>$/.test(t));
  }
  return true;
}

/**
 * What a repair of published XML did: the tolerant reader's kinds (`LogXmlRepairKind`), plus
 * `unwrapped` (comment, quote or docstring prefixes removed), `unescaped` (`\"` read as `"`)
 * and `synthetic-call` (a bare action child wrapped in a `<call>`).
 */
export type XmlRepairKind = LogXmlRepairKind | "unwrapped" | "unescaped" | "synthetic-call";

/** One repair of published XML, at its 1-based line. */
export interface XmlRepair {
  line: number;
  kind: XmlRepairKind;
  message: string;
}

/** Stanzas (and errors) read from published XML, and every repair it took. */
export interface PublishedXml {
  chunks: XmlChunk[];
  repairs: XmlRepair[];
}

/** Line prefixes of code comments, doc comments and Markdown quotes (`//`, `#`, ` * `, `> `). */
const LINE_PREFIX = /^[ \t]*(?:(?:>|\/\/+|#+|\*(?!\/))[ \t]?)+/;
/** Lines that only open or close a code fence, a docstring or a block comment. */
const FENCE_LINE = /^[ \t]*(?:```.*|~~~.*|"""|'''|\/\*+|\*+\/)[ \t]*$/;
/** Tags that may stand at the top level of published text: stanzas and bare call actions. */
const TOP_TAGS: ReadonlySet<string> = new Set([
  "call",
  "ack",
  "receipt",
  "notification",
  "iq",
  "message",
  "presence",
  "user",
  "error",
  ...KNOWN_CALL_ACTIONS,
]);
const CALL_ACTIONS: ReadonlySet<string> = new Set(KNOWN_CALL_ACTIONS);

/**
 * Removes what people wrap pasted XML in, keeping every line where it was (so line numbers
 * stay those of the input): comment and quote prefixes when some prefixed line holds an
 * element, fence and docstring lines, and `\"` escapes when attribute values use them (then
 * also `\n`, `\t` escapes between tags).
 */
function unwrap(text: string): { text: string; repairs: XmlRepair[] } {
  const repairs: XmlRepair[] = [];
  let lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const prefixed = lines.findIndex((l) => {
    const m = LINE_PREFIX.exec(l);
    return m !== null && /^\s*<\/?[A-Za-z_]/.test(l.slice(m[0].length));
  });
  if (prefixed >= 0) {
    repairs.push({
      line: prefixed + 1,
      kind: "unwrapped",
      message: "comment or quote prefixes (//, #, *, >) removed from the lines",
    });
    lines = lines.map((l) => {
      const m = LINE_PREFIX.exec(l);
      return m === null ? l : l.slice(m[0].length);
    });
  }
  lines = lines.map((l) => (FENCE_LINE.test(l) ? "" : l));
  const escaped = lines.findIndex((l) => /=\s*\\["']/.test(l));
  if (escaped >= 0) {
    let n = 0;
    lines = lines.map((l) => {
      if (!/\\["']/.test(l)) return l;
      n++;
      // Layout escapes between tags (`>\n  <`) become blanks, so line numbers stay those of the input.
      return l
        .replace(/\\(["'])/g, "$1")
        .replace(/>((?:\\[nrt]|[ \t])+)</g, (_, g: string) => `>${" ".repeat(g.length)}<`);
    });
    repairs.push({ line: escaped + 1, kind: "unescaped", message: `\\" read as " on ${n} line(s)` });
  }
  return { text: lines.join("\n"), repairs };
}

/** Index of the first character of each line of `text`. */
function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

/** 1-based line of `offset`, by binary search in `starts`. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const isBareAction = (n: LogNode): boolean =>
  CALL_ACTIONS.has(n.tag) && (n.attrs["call-id"] !== undefined || n.attrs["call-creator"] !== undefined);

/**
 * Reads call stanzas out of XML as people publish it (real-captures.md, forms 1 and 2, and the
 * bare children and cut posts it describes): pretty-printed over many lines with closing tags on
 * their own lines, any indentation, inside code comments, docstrings or Markdown quotes, either
 * quote style or `\"`-escaped, with prose between stanzas. Damage is repaired where the stanza
 * can still be recovered, and every repair is listed with its line (`XmlRepair`), never made
 * silently:
 * - elided attributes and children (`…`, `...`) are skipped; placeholder values (`…`, `xxxx`,
 *   `<caller>`, `<our own device>`) are kept as the value;
 * - a bare call action with a `call-id` or `call-creator` (`<offer …>` without `<call>`) is
 *   wrapped in a synthetic `<call>` without attributes (`synthetic: "call-wrapper"`): its
 *   direction is unknown, so the importer infers it and says so;
 * - a post cut off mid-node keeps what came before the cut.
 * Stanzas that cannot be read become error chunks at their line; reading resumes after them.
 * Text this project wrote (`looksLikeOwnXml`) goes through the strict reader first.
 * @param firstLine line number of the text's first line in its file (1-based).
 * @param counter incremented per `<!-- N bytes -->` content.
 */
export function readPublishedXml(text: string, firstLine = 1, counter?: { omitted: number }): PublishedXml {
  if (looksLikeOwnXml(text) && !isXmlError(xmlToNodes(text))) {
    return { chunks: readXmlStanzas(text, firstLine, "auto", counter), repairs: [] };
  }
  const un = unwrap(text);
  const src = un.text;
  const starts = lineOffsets(src);
  const line = (offset: number): number => firstLine - 1 + lineAt(starts, offset);
  const repairs: XmlRepair[] = un.repairs.map((r) => ({ ...r, line: firstLine - 1 + r.line }));
  const chunks: XmlChunk[] = [];
  const candidate = /<([A-Za-z_][\w:.-]*)/g;
  let pos = 0;
  let lastError = 0;
  while (pos < src.length) {
    candidate.lastIndex = pos;
    const m = candidate.exec(src);
    if (m === null) break;
    const at = m.index;
    const lineStart = starts[lineAt(starts, at) - 1];
    const nextLine = starts[lineAt(starts, at)] ?? src.length;
    const atLineStart = /^[ \t]*$/.test(src.slice(lineStart, at));
    if (!TOP_TAGS.has(m[1]) && !atLineStart) {
      pos = at + 1;
      continue;
    }
    const found: LogXmlRepair[] = [];
    const r = readLogXmlAt(src, at, { repairs: found });
    if (isXmlError(r)) {
      // Reading resumes at the failing line, where a child may fail again: one error per line.
      if (line(r.offset) !== lastError) chunks.push({ error: r, line: line(r.offset) });
      lastError = line(r.offset);
      const errLine = starts[lineAt(starts, r.offset) - 1];
      pos = errLine > at ? errLine : nextLine;
      continue;
    }
    const { node, end } = r;
    if (Object.keys(node.attrs).length === 0 && !Array.isArray(node.content)) {
      // A tag named in prose (`the <call> wrapper`), not a stanza.
      pos = nextLine;
      continue;
    }
    for (const f of found) repairs.push({ line: line(f.offset), kind: f.kind, message: f.message });
    let portable = logNodeToPortable(node, counter);
    let synthetic: "call-wrapper" | undefined;
    if (isBareAction(node)) {
      portable = { tag: "call", attrs: {}, content: [portable] };
      synthetic = "call-wrapper";
      repairs.push({
        line: line(at),
        kind: "synthetic-call",
        message: `bare <${node.tag}> wrapped in a synthetic <call> (direction unknown: inferred)`,
      });
    }
    chunks.push(
      synthetic ? { node: portable, line: line(at), synthetic } : { node: portable, line: line(at) },
    );
    pos = Math.max(end, at + 1);
  }
  repairs.sort((a, b) => a.line - b.line);
  return { chunks, repairs };
}

/** Most lines a published-XML segment holds before it is read anyway (see {@link XmlSegmenter}). */
export const MAX_SEGMENT_LINES = 5_000;
/** Most characters a published-XML segment holds before it is read anyway. */
export const MAX_SEGMENT_CHARS = 512 * 1024;

/**
 * Cuts a stream of lines of published XML into segments that `readPublishedXml` can read on
 * their own, so the XML importer streams in bounded memory. A segment ends after a line where
 * every element opened in it has been closed (tags counted outside quotes and comments) and at
 * a blank or prose line between elements; at {@link MAX_SEGMENT_LINES} lines or
 * {@link MAX_SEGMENT_CHARS} characters it ends anyway (an element left open there is read as
 * cut). A segment never ends inside a tag.
 */
export class XmlSegmenter {
  private lines: string[] = [];
  private chars = 0;
  private first = 0;
  private depth = 0;
  private opened = false;
  /** Scanner state carried across lines: inside a tag (and which quote), or inside a comment. */
  private state: "text" | "tag" | "comment" = "text";
  private quote = 0;
  /** The tag being scanned is a closing tag. */
  private closing = false;

  /**
   * Adds line `no` (1-based).
   * @returns a finished segment (its text and first line), or `undefined`.
   */
  push(text: string, no: number): { text: string; line: number } | undefined {
    if (!this.lines.length) {
      if (text.trim() === "") return undefined;
      this.first = no;
    }
    this.lines.push(text);
    this.chars += text.length + 1;
    this.scan(text);
    const balanced = this.state === "text" && this.opened && this.depth <= 0;
    const full = this.lines.length >= MAX_SEGMENT_LINES || this.chars >= MAX_SEGMENT_CHARS;
    const idle = this.state === "text" && !this.opened && !/<[A-Za-z_/!]/.test(text);
    if (balanced || full || (idle && this.lines.length > 1)) return this.take();
    return undefined;
  }

  /** The last, unfinished segment, if any. */
  flush(): { text: string; line: number } | undefined {
    return this.lines.length ? this.take() : undefined;
  }

  private take(): { text: string; line: number } {
    const out = { text: this.lines.join("\n"), line: this.first };
    this.lines = [];
    this.chars = 0;
    this.depth = 0;
    this.opened = false;
    this.state = "text";
    this.quote = 0;
    return out;
  }

  /** Counts element opens and closes in one line, outside quoted values and comments. */
  private scan(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (this.state === "comment") {
        if (ch === 45 /* - */ && s.startsWith("-->", i)) {
          this.state = "text";
          i += 2;
        }
      } else if (this.state === "tag") {
        if (this.quote) {
          if (ch === this.quote) this.quote = 0;
        } else if (ch === 34 || ch === 39) this.quote = ch;
        else if (ch === 62 /* > */) {
          this.state = "text";
          if (!this.closing && s.charCodeAt(i - 1) === 47 /* / */) this.depth--;
        }
      } else if (ch === 60 /* < */) {
        const next = s.charCodeAt(i + 1);
        if (next === 33 /* ! */ && s.startsWith("<!--", i)) {
          this.state = "comment";
          i += 3;
        } else if (next === 47 /* / */) {
          this.depth--;
          this.closing = true;
          this.state = "tag";
        } else if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) {
          this.depth++;
          this.opened = true;
          this.closing = false;
          this.state = "tag";
        }
      }
    }
  }
}
