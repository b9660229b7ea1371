/**
 * Tolerant reader for the XML-like node renderings that WhatsApp client libraries write to
 * their debug logs (peer-tools.md §3). These are NOT XML: values and text are not escaped.
 *
 * Dialects:
 * - `baileys` (`binaryNodeToString`): single-quoted attributes in insertion order, `<tag />`
 *   or `<tag k='v'/>` when childless, children and text on their own lines indented with
 *   tabs, binary content as full lowercase hex;
 * - `whatsmeow` (`Node.String()` / `XMLString()`, one line): double-quoted sorted
 *   attributes, printable content as raw text with newlines written as `\n`, other bytes as
 *   lowercase hex up to 128 bytes, else `<!-- N bytes -->`;
 * - `whatsapp-rust` (`wacore` xml.rs, one line): double quotes, printable content as text
 *   (newlines as `\n`), other bytes always `<!-- N bytes -->` (never hex);
 * - `auto` (default): `baileys` when the text spans several lines or the first attribute
 *   is single-quoted, else `whatsmeow` (whose rules also read whatsapp-rust lines).
 *
 * Reading rules:
 * - either quote style; a quote closes a value only where what follows reads as the end of
 *   the tag (`>`, `/>`, end of text) or as the next attribute (` name=` + quote), so quotes,
 *   `<`, `>` and `&` inside values are kept when that is unambiguous;
 * - an element holds child elements OR one content item (WABinary has no mixed content): a
 *   text content runs to the first matching `</tag>`, so it may contain `<` and `>`;
 * - `<!-- N bytes -->` becomes `{ bytesOmitted: N }` (`OmittedBytes`), never fake bytes;
 *   `nodeToXml`'s own `<!-- N bytes: hex -->` marker becomes the bytes (or `OmittedBytes`
 *   when it was truncated);
 * - content that is clearly hex (`isClearlyHex`) becomes a `Uint8Array`, except in the
 *   `whatsapp-rust` dialect, which never prints hex; everything else stays text;
 * - no entity decoding (the libraries do not escape).
 * Errors are `XmlError` values with a character offset; nothing is thrown.
 */
import { hexToBytes } from "./bytetext";
import { XmlError } from "./errors";
import type { Node, WANode } from "./node";
import { MAX_DEPTH } from "./tags";
import { BINARY_COMMENT } from "./xml";

/** Which library printed the text (see the module comment). */
export type LogXmlDialect = "auto" | "baileys" | "whatsmeow" | "whatsapp-rust";

/**
 * Binary content the log did not print (`<!-- N bytes -->`): only its length in bytes is
 * known. Kept apart from `Uint8Array` so that unknown bytes can never pass as real ones.
 */
export interface OmittedBytes {
  readonly bytesOmitted: number;
}

/**
 * A node read from a debug log: like `WANode`, but binary content may be `OmittedBytes`; its
 * content is children, bytes (from hex), text, or bytes that were not logged. Attributes are in
 * the order they were printed (whatsmeow sorts them; Baileys keeps wire order).
 */
export type LogNode = Node<Uint8Array | OmittedBytes>;

/** Options for `parseLogXml`. */
export interface LogXmlOptions {
  /** Which library printed the text; default `auto` (see the module comment). */
  dialect?: LogXmlDialect;
  /**
   * When text content becomes bytes: `auto` (default) when `isClearlyHex` and the dialect
   * prints hex; `always` for any non-empty even-length lowercase hex; `never`.
   */
  hex?: "auto" | "always" | "never";
  /**
   * Published mode (XML as people paste it in issues and comments, real-captures.md forms 1–2):
   * when given, the reader repairs what it can instead of failing, and records each repair here:
   * elided attributes and children (`…`, `...`) are skipped, unquoted `<placeholder>` values are
   * read as values, placeholder values (`…`, `...`, `xxxx`, `<caller>`) are kept as written and
   * reported, comments between children are skipped, text content loses its layout blanks, and
   * a node cut off by the end of the text keeps what came before the cut.
   */
  repairs?: LogXmlRepair[];
}

/**
 * What a published-mode repair did: `elision` (skipped `…`/`...`), `placeholder` (a value kept
 * as written), `comment` (skipped between children), `cut` (the text ended inside a node).
 */
export type LogXmlRepairKind = "elision" | "placeholder" | "comment" | "cut";

/** One repair of published-mode reading, at a character `offset` into the text. */
export interface LogXmlRepair {
  offset: number;
  kind: LogXmlRepairKind;
  message: string;
}

/** An elision token as people write it in posts, at the start: `…`, `...` (or longer), `[…]`, `[...]`. */
const ELISION = /^\[?(?:…|\.{3,})\]?/;
/** Blanks, commas and elision tokens only (an elided run of children or text). */
const ELISION_RUN = /^[\s,]*(?:(?:\[?(?:…|\.{3,})\]?)[\s,]*)+$/;
/** A placeholder value: contains `…`/`...`, a run of `xxx`, or is a whole `<placeholder>` (words, no `=`). */
const PLACEHOLDER_VALUE = /…|\.{3}|[xX]{3,}|^<[^<>="'/]*>$/;

/** Whether `s` is (or contains) a placeholder as people write them in posts (see `LogXmlOptions.repairs`). */
export function isPlaceholderValue(s: string): boolean {
  return PLACEHOLDER_VALUE.test(s);
}

/** True for an `OmittedBytes` content value. */
export function isOmittedBytes(x: unknown): x is OmittedBytes {
  return (
    typeof x === "object" &&
    x !== null &&
    !Array.isArray(x) &&
    !(x instanceof Uint8Array) &&
    typeof (x as OmittedBytes).bytesOmitted === "number"
  );
}

/** True when `node` or a descendant has `OmittedBytes` content. */
export function hasOmittedBytes(node: LogNode): boolean {
  const c = node.content;
  if (Array.isArray(c)) return c.some(hasOmittedBytes);
  return isOmittedBytes(c);
}

/**
 * The `WANode` for a `LogNode`, or `undefined` when some bytes were omitted from the log
 * (`hasOmittedBytes`): a node with unknown bytes cannot be encoded or compared faithfully.
 */
export function logNodeToWANode(node: LogNode): WANode | undefined {
  const out: WANode = { tag: node.tag, attrs: node.attrs };
  const c = node.content;
  if (c === undefined) return out;
  if (isOmittedBytes(c)) return undefined;
  if (Array.isArray(c)) {
    const children: WANode[] = [];
    for (const child of c) {
      const w = logNodeToWANode(child);
      if (w === undefined) return undefined;
      children.push(w);
    }
    out.content = children;
  } else out.content = c;
  return out;
}

/**
 * "Clearly hex": at least 2 characters, even length, only `0-9a-f` (the libraries print
 * lowercase), and at least one letter `a-f`. Digit-only text stays text: numbers are far
 * more common as text content than digit-only byte strings (a known ambiguity of the logs).
 */
export function isClearlyHex(s: string): boolean {
  const n = s.length;
  if (n < 2 || (n & 1) === 1) return false;
  let letter = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 102) letter = true;
    else if (c < 48 || c > 57) return false;
  }
  return letter;
}

const isAnyHex = (s: string): boolean => s.length >= 2 && s.length % 2 === 0 && /^[0-9a-f]+$/.test(s);

/**
 * Guesses the dialect of one rendered node (see the module comment): `baileys` when the
 * text (without surrounding blanks) spans several lines or its first attribute value is
 * single-quoted, else `whatsmeow`.
 */
export function detectLogDialect(text: string): "baileys" | "whatsmeow" {
  const t = text.trim();
  if (t.includes("\n")) return "baileys";
  const m = /^<[^\s/>]+\s+[^\s=>]+\s*=\s*(["'])/.exec(t);
  return m !== null && m[1] === "'" ? "baileys" : "whatsmeow";
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Characters that end a tag or attribute name. */
const endsName = (c: number): boolean => isSpace(c) || c === 61 || c === 62 || c === 47 || c === 60;

const OMITTED = /^\s*(\d+) bytes\s*$/;
/** Index after the blanks and ANSI colour codes (`ESC[…m`, whatsmeow's coloured logger) at `i`. */
function skipBlankAndAnsi(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 0x0b || c === 0x0c) i++;
    else if (c === 0x1b && text.charCodeAt(i + 1) === 91) {
      let j = i + 2;
      while (j < text.length && /[0-9;]/.test(text[j])) j++;
      if (text[j] !== "m") return i;
      i = j + 1;
    } else return i;
  }
}

class LogReader {
  pos = 0;
  readonly n: number;
  /** Published mode: the text ended inside a node (see `cutAt`). */
  cut = false;

  constructor(
    readonly src: string,
    readonly dialect: "baileys" | "whatsmeow" | "whatsapp-rust",
    readonly hex: "auto" | "always" | "never",
    readonly repairs?: LogXmlRepair[],
  ) {
    this.n = src.length;
  }

  repair(offset: number, kind: LogXmlRepairKind, message: string): void {
    this.repairs?.push({ offset, kind, message });
  }

  /** Published mode: the text ends inside `node`; keep it as read so far. */
  cutAt(node: LogNode, message: string): LogNode {
    if (!this.cut) this.repair(this.n, "cut", message);
    this.cut = true;
    this.pos = this.n;
    return node;
  }

  /** End of an elision token (`…`, `...`) at `i` that is followed by a blank, `>`, `/>` or the end; else -1. */
  elisionEnd(i: number): number {
    const m = ELISION.exec(this.src.slice(i, i + 16));
    if (m === null) return -1;
    const e = i + m[0].length;
    const c = this.src.charCodeAt(e);
    return e >= this.n || isSpace(c) || c === 62 || c === 47 ? e : -1;
  }

  /**
   * Published mode: skips one comment or one run of elisions at `pos` (reported). True when
   * something was skipped.
   */
  skipJunk(tag: string): boolean {
    const src = this.src;
    if (src.startsWith("<!--", this.pos)) {
      const end = src.indexOf("-->", this.pos + 4);
      if (end < 0) return false;
      this.repair(this.pos, "comment", `<${tag}>: comment between children skipped`);
      this.pos = end + 3;
      return true;
    }
    let k = src.indexOf("<", this.pos);
    if (k < 0) k = this.n;
    if (k > this.pos && ELISION_RUN.test(src.slice(this.pos, k))) {
      this.repair(this.pos, "elision", `<${tag}>: elided children skipped`);
      this.pos = k;
      return true;
    }
    return false;
  }

  skipSpace(): void {
    while (this.pos < this.n && isSpace(this.src.charCodeAt(this.pos))) this.pos++;
  }

  /** True when `src[i]` is `<` starting an element (not `</`, `<!`, `<` + blank or digit). */
  elementAt(i: number): boolean {
    if (this.src.charCodeAt(i) !== 60 || i + 1 >= this.n) return false;
    const c = this.src.charCodeAt(i + 1);
    return !(endsName(c) || c === 33 || c === 63 || (c >= 48 && c <= 57));
  }

  element(depth: number): LogNode | XmlError {
    const src = this.src;
    const start = this.pos;
    if (depth > MAX_DEPTH) return new XmlError("limit-exceeded", `nesting deeper than ${MAX_DEPTH}`, start);
    if (!this.elementAt(start)) return new XmlError("no-element", "expected an element", start);
    let p = start + 1;
    while (p < this.n && !endsName(src.charCodeAt(p))) p++;
    const tag = src.slice(start + 1, p);
    this.pos = p;
    const attrs: Record<string, string> = {};
    const node: LogNode = { tag, attrs };
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.pos >= this.n) {
        if (this.repairs) return this.cutAt(node, `cut off inside the start tag of <${tag}>`);
        return new XmlError("unterminated", `<${tag}> is not closed`, start);
      }
      const c = src.charCodeAt(this.pos);
      if (c === 62) {
        this.pos++;
        break;
      }
      if (c === 47 && src.charCodeAt(this.pos + 1) === 62) {
        this.pos += 2;
        return node;
      }
      if (this.repairs) {
        const e = this.elisionEnd(this.pos);
        if (e > 0) {
          this.repair(this.pos, "elision", `<${tag}>: elided attributes skipped`);
          this.pos = e;
          continue;
        }
      }
      if (this.pos === before)
        return new XmlError("syntax", "expected a blank before an attribute", this.pos);
      const err = this.attribute(attrs);
      if (err !== undefined) return err;
      if (this.cut) return node;
    }
    return this.content(node, start, depth);
  }

  /** One `name=value` pair at `pos`; stores it in `attrs`. */
  attribute(attrs: Record<string, string>): XmlError | undefined {
    const src = this.src;
    const nameStart = this.pos;
    let p = nameStart;
    while (p < this.n && !endsName(src.charCodeAt(p))) p++;
    const name = src.slice(nameStart, p);
    if (name === "") return new XmlError("bad-name", "expected an attribute name", nameStart);
    while (p < this.n && isSpace(src.charCodeAt(p))) p++;
    if (src.charCodeAt(p) !== 61) return new XmlError("syntax", `attribute ${name} has no value`, nameStart);
    p++;
    while (p < this.n && isSpace(src.charCodeAt(p))) p++;
    const q = src.charCodeAt(p);
    let value: string;
    if (q === 34 || q === 39) {
      const end = this.closingQuote(p + 1, src[p]);
      if (end < 0) {
        if (this.repairs && src.indexOf(src[p], p + 1) < 0) {
          this.cutAt({ tag: "", attrs }, `cut off inside the value of ${name} (attribute dropped)`);
          return undefined;
        }
        return new XmlError("unterminated", `value of ${name} is not closed`, p);
      }
      value = src.slice(p + 1, end);
      p = end + 1;
    } else if (this.repairs && q === 60 && src.indexOf(">", p) > p) {
      // An unquoted placeholder such as jid=<our own device>.
      const end = src.indexOf(">", p);
      value = src.slice(p, end + 1);
      p = end + 1;
    } else {
      const vStart = p;
      while (p < this.n && !isSpace(src.charCodeAt(p)) && src.charCodeAt(p) !== 62) {
        if (src.charCodeAt(p) === 47 && src.charCodeAt(p + 1) === 62) break;
        p++;
      }
      value = src.slice(vStart, p);
    }
    if (this.repairs && isPlaceholderValue(value))
      this.repair(nameStart, "placeholder", `placeholder ${name}="${value}" kept as written`);
    Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
    this.pos = p;
    return undefined;
  }

  /**
   * Index of the quote `q` that closes a value starting at `from`: the first one followed by
   * the end of the tag or of the text, or by blanks and `name=` + a quote. -1 if none.
   */
  closingQuote(from: number, q: string): number {
    const src = this.src;
    // Published mode: a value ends on its line; failing the rules, at the line's first quote.
    const nl = this.repairs ? src.indexOf("\n", from) : -1;
    const limit = nl < 0 ? this.n : nl;
    for (let k = src.indexOf(q, from); k >= 0 && k < limit; k = src.indexOf(q, k + 1)) {
      let m = k + 1;
      while (m < this.n && isSpace(src.charCodeAt(m))) m++;
      if (m >= this.n) return k;
      const c = src.charCodeAt(m);
      if (c === 62 || (c === 47 && src.charCodeAt(m + 1) === 62)) return k;
      if (this.repairs && m > k + 1 && this.elisionEnd(m) > 0) return k;
      if (m > k + 1) {
        let e = m;
        while (e < this.n && !endsName(src.charCodeAt(e))) e++;
        if (e > m) {
          while (e < this.n && isSpace(src.charCodeAt(e))) e++;
          if (src.charCodeAt(e) === 61) {
            e++;
            while (e < this.n && isSpace(src.charCodeAt(e))) e++;
            const v = src.charCodeAt(e);
            if (v === 34 || v === 39 || (this.repairs && v === 60)) return k;
          }
        }
      }
    }
    if (this.repairs) {
      const first = src.indexOf(q, from);
      if (first >= 0 && first < limit) return first;
    }
    return -1;
  }

  /** Content after the `>` of `node`'s start tag (at `pos`), up to and including `</tag>`. */
  content(node: LogNode, start: number, depth: number): LogNode | XmlError {
    const src = this.src;
    const close = `</${node.tag}>`;
    const contentStart = this.pos;
    this.skipSpace();
    const first = this.pos;
    if (src.startsWith("<!--", first)) {
      const end = src.indexOf("-->", first + 4);
      if (end < 0) return new XmlError("unterminated", "comment is not closed", first);
      const body = src.slice(first + 4, end);
      this.pos = end + 3;
      this.skipSpace();
      if (src.startsWith(close, this.pos)) {
        const omitted = OMITTED.exec(body);
        const marker = BINARY_COMMENT.exec(body);
        if (omitted !== null) {
          node.content = { bytesOmitted: Number(omitted[1]) };
        } else if (marker !== null) {
          const len = Number(marker[1]);
          node.content =
            marker[3] === undefined && marker[2].length === 2 * len
              ? hexToBytes(marker[2])
              : { bytesOmitted: len };
        }
        if (node.content !== undefined) {
          this.pos += close.length;
          return node;
        }
      }
      this.pos = first; // Some other comment: read the content as text.
    }
    if (this.repairs) {
      // Comments and elisions before the first child: skipped when children follow.
      const saved = this.repairs.length;
      while (this.skipJunk(node.tag)) this.skipSpace();
      if (!this.elementAt(this.pos)) {
        this.repairs.length = saved;
        this.pos = first;
      }
    }
    if (this.elementAt(this.pos)) {
      const r = this.children(node, start, depth);
      if (r === undefined) return node;
      // Not a list of elements after all: maybe text that starts with `<` (e.g. "<b>old").
      const end = src.indexOf(close, contentStart);
      if (r.code === "limit-exceeded" || end < 0) return r;
      // Published mode: only a lone `<placeholder>` (`<redacted>`) is text; other damage is an error.
      if (this.repairs && !/^\s*<[^<>="'/]*>\s*$/.test(src.slice(contentStart, end))) return r;
      this.pos = contentStart;
    }
    const end = src.indexOf(close, contentStart);
    if (this.repairs && end >= 0 && src.slice(contentStart, end).trim() === "") {
      // `<reject …>` then `</reject>` on its own line: no content, as in a childless node.
      this.pos = end + close.length;
      return node;
    }
    if (end < 0) {
      if (this.repairs && src.indexOf("</", contentStart) < 0)
        return this.cutAt(node, `cut off in the content of <${node.tag}> (content dropped)`);
      return new XmlError("unterminated", `no ${close} for <${node.tag}>`, start);
    }
    this.pos = end + close.length;
    node.content = this.text(src.slice(contentStart, end), contentStart);
    return node;
  }

  /** Child elements from `pos` up to and including `</tag>`; sets `node.content` or returns the error. */
  children(node: LogNode, start: number, depth: number): XmlError | undefined {
    const src = this.src;
    const close = `</${node.tag}>`;
    const children: LogNode[] = [];
    for (;;) {
      const child = this.element(depth + 1);
      if (!("tag" in child)) return child;
      children.push(child);
      if (this.cut) {
        node.content = children;
        return undefined;
      }
      this.skipSpace();
      while (this.repairs && this.skipJunk(node.tag)) this.skipSpace();
      if (src.startsWith(close, this.pos)) {
        this.pos += close.length;
        node.content = children;
        return undefined;
      }
      if (this.pos >= this.n) {
        if (this.repairs) {
          node.content = children;
          this.cutAt(node, `cut off after ${children.length} child(ren) of <${node.tag}>`);
          return undefined;
        }
        return new XmlError("unterminated", `<${node.tag}> is not closed`, start);
      }
      if (src.startsWith("</", this.pos))
        return new XmlError("mismatched-close", `expected ${close}`, this.pos);
      if (!this.elementAt(this.pos)) {
        return new XmlError("mixed-content", `<${node.tag}>: text after child elements`, this.pos);
      }
    }
  }

  /** Text content (starting at offset `at`) in the dialect's layout → string or bytes. */
  text(raw: string, at: number): string | Uint8Array {
    let s = raw;
    if (this.repairs) {
      // Published text: layout blanks around multi-line content; spaced hex (`01 05 f7`) is bytes.
      if (/[\r\n]/.test(s)) s = s.trim();
      if (s === "") return s;
      if (isPlaceholderValue(s)) this.repair(at, "placeholder", `placeholder text "${s}" kept as written`);
      else if (/^[0-9a-fA-F]{2}(?:[ \t]+[0-9a-fA-F]{2})+$/.test(s))
        return hexToBytes(s.replace(/\s+/g, "").toLowerCase());
      return isClearlyHex(s) ? hexToBytes(s) : s;
    }
    if (this.dialect === "baileys") {
      // Baileys puts text on its own line: "\n" + tabs before, "\n" + tabs before `</tag>`.
      s = s.replace(/^\n\t*/, "").replace(/\n\t*$/, "");
    } else {
      s = s.replaceAll("\\n", "\n");
    }
    if (this.hex === "never" || (this.hex === "auto" && this.dialect === "whatsapp-rust")) return s;
    return (this.hex === "always" ? isAnyHex(s) : isClearlyHex(s)) ? hexToBytes(s) : s;
  }
}

/**
 * Reads one node rendered by Baileys, whatsmeow or whatsapp-rust (see the module comment)
 * from `text`, e.g. the `xml` field of a Baileys trace line or the message of a whatsmeow
 * `Recv`/`Send` line. Blank text and ANSI colour codes around the node are ignored.
 * Returns the `LogNode` or an `XmlError` (`no-element`, `unterminated`, `mismatched-close`,
 * `mixed-content`, `bad-name`, `syntax`, `trailing-text`, `limit-exceeded`) whose `offset`
 * is a character index into `text`. Never throws.
 */
export function parseLogXml(text: string, options?: LogXmlOptions): LogNode | XmlError {
  if (typeof text !== "string") return new XmlError("no-element", "input is not a string", 0);
  const d = options?.dialect ?? "auto";
  const r = new LogReader(
    text,
    d === "auto" ? detectLogDialect(text) : d,
    options?.hex ?? "auto",
    options?.repairs,
  );
  r.pos = skipBlankAndAnsi(text, 0);
  if (r.pos >= r.n) return new XmlError("no-element", "no element in the text", r.pos);
  const node = r.element(1);
  if (!("tag" in node)) return node;
  const after = skipBlankAndAnsi(text, r.pos);
  if (after < r.n) return new XmlError("trailing-text", "text after the element", r.pos);
  return node;
}

/**
 * Reads one element that starts at `start` (the index of its `<`) and ignores what follows it:
 * the reader behind published text with several stanzas and prose between them. Returns the
 * node and `end`, the index just after it, or an `XmlError` (as `parseLogXml`, without
 * `trailing-text`). With `options.repairs` the reader works in published mode (see
 * `LogXmlOptions.repairs`; a cut node ends at the end of the text). Never throws.
 */
export function readLogXmlAt(
  text: string,
  start: number,
  options?: LogXmlOptions,
): { node: LogNode; end: number } | XmlError {
  const d = options?.dialect ?? "auto";
  const r = new LogReader(
    text,
    d === "auto" ? detectLogDialect(text.slice(start, start + 4096)) : d,
    options?.hex ?? "auto",
    options?.repairs,
  );
  r.pos = start;
  const node = r.element(1);
  if (!("tag" in node)) return node;
  return { node, end: r.pos };
}
