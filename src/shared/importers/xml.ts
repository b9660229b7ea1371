/**
 * Reading stanzas out of XML-ish text with the codec's readers (never a parser of our own):
 * - text this project wrote (`nodeToXml`: `<!-- N bytes: hex -->` markers, `[label: N bytes
 *   redacted]` placeholders) goes through the strict `xmlToNodes`;
 * - anything else (library logs, hand-pasted stanzas) through the tolerant `parseLogXml`, one
 *   top-level element at a time. Top-level elements are found by layout only: a line that
 *   starts (at the text's smallest indentation) with `<` and a name begins a new element.
 */

import { isXmlError } from "../codec/errors";
import { xmlToNodes } from "../codec/index";
import { type LogXmlDialect, parseLogXml } from "../codec/logxml";
import type { PortableNode } from "../trace/types";
import { logNodeToPortable, waNodeToPortable } from "./collect";

/** One element read from text, or the error at its first line. */
export type XmlChunk = { node: PortableNode; line: number } | { error: string; line: number };

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
    if (isXmlError(r))
      out.push({ error: `${r.code}: ${r.message}`, line: block.line + lineOf(block.text, r.offset) - 1 });
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
