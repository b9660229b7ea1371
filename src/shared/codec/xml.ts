/**
 * Deterministic XML text for a `WANode`, for display, logs and copy/paste; `xmlToNode`
 * (xmlread.ts) reads it back exactly.
 *
 * Format:
 * - `<tag k="v" …>`: attributes in wire (insertion) order, values XML-escaped;
 * - names: tag and attribute names that are plain XML names (`[A-Za-z_][A-Za-z0-9_.:-]*`,
 *   which covers every call-signalling name) are written verbatim; any other character is
 *   written as `_xHHHH_` (its UTF-16 code unit in uppercase hex, as .NET's
 *   `XmlConvert.EncodeName` does), a literal `_` that would read as such an escape is
 *   written `_x005F_`, and the empty name is `_x_` (see `encodeXmlName`);
 * - a node without content is self-closed: `<tag k="v"/>`;
 * - text content is escaped inline: `<tag>text</tag>` (empty text: `<tag></tag>`);
 * - binary content is ONE comment holding the length and lowercase hex:
 *   `<enc v="2"><!-- 3 bytes: 0a1b2c --></enc>`; when `maxBytes` cuts it short the hex
 *   ends in `...` (then the bytes cannot be read back);
 * - an empty child list (`content: []`) is the comment `<!-- 0 children -->`, so it reads
 *   back as `[]` (the wire form cannot tell it from "no content");
 * - children go on their own lines, indented by `indent` per level (`false`: one line).
 * Like WhatsApp Web's `WapNode.toString()` (wa-web-runtime.md §2.1), bytes are shown in a
 * comment, but always as hex rather than a debug string.
 */
import { bytesToHex } from "./bytetext";
import type { WANode } from "./node";

/** Options for `nodeToXml`. */
export interface XmlOptions {
  /** Indentation per level (default two spaces); `false` renders everything on one line. */
  indent?: string | false;
  /**
   * Maximum bytes of each binary content shown as hex (default: all, which is lossless).
   * A smaller value is for display only: truncated markers cannot be read back.
   */
  maxBytes?: number;
}

/**
 * Matches the comment text of a binary content marker: group 1 = length in bytes,
 * group 2 = lowercase hex, group 3 = `...` when truncated.
 */
export const BINARY_COMMENT = /^ (\d+) bytes: ([0-9a-f]*)(\.\.\.)? $/;

/** Comment text that marks an empty child list (`content: []`). */
export const EMPTY_CHILDREN_COMMENT = " 0 children ";

/** Escapes `& < > "` and control characters (as `&#xN;`; in attributes also TAB/LF/CR). */
function escapeXml(s: string, attr: boolean): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = "&amp;";
    else if (c === 60) rep = "&lt;";
    else if (c === 62) rep = "&gt;";
    else if (c === 34 && attr) rep = "&quot;";
    else if (c < 0x20 && (attr || (c !== 9 && c !== 10))) rep = `&#x${c.toString(16)};`;
    else if (c === 0x7f) rep = "&#x7f;";
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Name characters written verbatim; `first` for the first character (no digit, `.`, `-`, `:`). */
function isNameChar(c: number, first: boolean): boolean {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  if (first) return false;
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 58;
}

const isUpperHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70);

/** True when `s[i..]` starts with `x` + 4 uppercase hex digits (the body of an escape). */
function escapeBodyAt(s: string, i: number): boolean {
  if (s.charCodeAt(i) !== 120 || i + 5 > s.length) return false;
  for (let k = 1; k <= 4; k++) if (!isUpperHex(s.charCodeAt(i + k))) return false;
  return true;
}

/** Empty names are written as this (a literal `_x_` name is written `_x005F_x_`). */
const EMPTY_NAME = "_x_";

/**
 * A tag or attribute name as an XML name (see the module comment): verbatim when it is a
 * plain XML name, otherwise with `_xHHHH_` escapes. Inverse: `decodeXmlName`.
 */
export function encodeXmlName(name: string): string {
  if (name === "") return EMPTY_NAME;
  if (name === EMPTY_NAME) return "_x005F_x_";
  let out = "";
  let last = 0;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    let mustEscape = !isNameChar(c, i === 0);
    // A literal `_` followed by `xHHHH` and then something written as `_…` would read as an escape.
    if (!mustEscape && c === 95 && escapeBodyAt(name, i + 1) && i + 6 < n) {
      const after = name.charCodeAt(i + 6);
      mustEscape = after === 95 || !isNameChar(after, false);
    }
    if (mustEscape) {
      out += `${name.slice(last, i)}_x${c.toString(16).toUpperCase().padStart(4, "0")}_`;
      last = i + 1;
    }
  }
  return last === 0 ? name : out + name.slice(last);
}

/** Reverses `encodeXmlName` (`_xHHHH_` → the UTF-16 code unit; `_x_` → ""). */
export function decodeXmlName(name: string): string {
  if (name === EMPTY_NAME) return "";
  if (name.indexOf("_x") < 0) return name;
  let out = "";
  let last = 0;
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) === 95 && escapeBodyAt(name, i + 1) && name.charCodeAt(i + 6) === 95) {
      out += name.slice(last, i) + String.fromCharCode(Number.parseInt(name.slice(i + 2, i + 6), 16));
      i += 6;
      last = i + 1;
    }
  }
  return out + name.slice(last);
}

/**
 * Renders `node` as XML text (no XML declaration, no trailing newline). Deterministic: the
 * same node always gives the same string, and `xmlToNode` reads it back to an equal node
 * unless `maxBytes` truncated some bytes. See the module comment for the exact format.
 * Source of the shape: WhatsApp Web `WapNode.toString()` (wa-web-runtime.md §2.1).
 */
export function nodeToXml(node: WANode, options?: XmlOptions): string {
  const indent = options?.indent === undefined ? "  " : options.indent;
  const maxBytes = options?.maxBytes ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  const render = (n: WANode, level: number): void => {
    const pad = indent === false ? "" : indent.repeat(level);
    const tag = encodeXmlName(n.tag);
    let open = `${pad}<${tag}`;
    for (const [k, v] of Object.entries(n.attrs ?? {})) {
      open += ` ${encodeXmlName(k)}="${escapeXml(String(v), true)}"`;
    }
    const c = n.content;
    if (c === undefined || c === null) {
      parts.push(`${open}/>`);
    } else if (typeof c === "string") {
      parts.push(`${open}>${escapeXml(c, false)}</${tag}>`);
    } else if (c instanceof Uint8Array) {
      const hex = c.length > maxBytes ? `${bytesToHex(c.subarray(0, maxBytes))}...` : bytesToHex(c);
      parts.push(`${open}><!-- ${c.length} bytes: ${hex} --></${tag}>`);
    } else if (c.length === 0) {
      parts.push(`${open}><!--${EMPTY_CHILDREN_COMMENT}--></${tag}>`);
    } else {
      parts.push(`${open}>`);
      for (const child of c) render(child, level + 1);
      parts.push(`${pad}</${tag}>`);
    }
  };
  render(node, 0);
  return parts.join(indent === false ? "" : "\n");
}
