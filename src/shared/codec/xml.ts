/**
 * Deterministic XML text for a `WANode`, for display and logs.
 *
 * Format (designed to be read back, see `BINARY_COMMENT`):
 * - `<tag k="v" …>`: attributes in wire (insertion) order, values XML-escaped; tag and
 *   attribute names are written verbatim (WA names are XML-safe tokens);
 * - a node without content is self-closed: `<tag k="v"/>`;
 * - text content is escaped inline: `<tag>text</tag>`;
 * - binary content is ONE comment holding the length and lowercase hex:
 *   `<enc v="2"><!-- 3 bytes: 0a1b2c --></enc>`; when `maxBytes` cuts it short the hex
 *   ends in `...` (then the bytes cannot be read back);
 * - children go on their own lines, indented by `indent` per level (`false`: one line).
 * Like WhatsApp Web's `WapNode.toString()` (wa-web-runtime.md §2.1), bytes are shown in a
 * comment, but always as hex rather than a debug string.
 */
import type { WANode } from "./node";

/** Options for `nodeToXml`. */
export interface XmlOptions {
  /** Indentation per level (default two spaces); `false` renders everything on one line. */
  indent?: string | false;
  /** Maximum bytes of each binary content shown as hex (default: all). */
  maxBytes?: number;
}

/**
 * Matches the comment text of a binary content marker: group 1 = length in bytes,
 * group 2 = lowercase hex, group 3 = `...` when truncated.
 */
export const BINARY_COMMENT = /^ (\d+) bytes: ([0-9a-f]*)(\.\.\.)? $/;

const HEX = "0123456789abcdef";

function hexOf(bytes: Uint8Array, max: number): string {
  const n = Math.min(bytes.length, max);
  let s = "";
  for (let i = 0; i < n; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return n < bytes.length ? `${s}...` : s;
}

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

/**
 * Renders `node` as XML text (no XML declaration, no trailing newline). Deterministic: the
 * same node always gives the same string. See the module comment for the exact format.
 * Source of the shape: WhatsApp Web `WapNode.toString()` (wa-web-runtime.md §2.1).
 */
export function nodeToXml(node: WANode, options?: XmlOptions): string {
  const indent = options?.indent === undefined ? "  " : options.indent;
  const maxBytes = options?.maxBytes ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  const render = (n: WANode, level: number): void => {
    const pad = indent === false ? "" : indent.repeat(level);
    let open = `${pad}<${n.tag}`;
    for (const [k, v] of Object.entries(n.attrs ?? {})) open += ` ${k}="${escapeXml(String(v), true)}"`;
    const c = n.content;
    if (c === undefined || c === null || (Array.isArray(c) && c.length === 0)) {
      parts.push(`${open}/>`);
    } else if (typeof c === "string") {
      parts.push(`${open}>${escapeXml(c, false)}</${n.tag}>`);
    } else if (c instanceof Uint8Array) {
      parts.push(`${open}><!-- ${c.length} bytes: ${hexOf(c, maxBytes)} --></${n.tag}>`);
    } else {
      parts.push(`${open}>`);
      for (const child of c) render(child, level + 1);
      parts.push(`${pad}</${n.tag}>`);
    }
  };
  render(node, 0);
  return parts.join(indent === false ? "" : "\n");
}
