/**
 * Importers for files that are not logs: the project's own trace JSON, wacrg capture records
 * (YAML, one record or a `---` stream, as this project exports them or as the corpus holds
 * them) and plain XML stanzas.
 */
import { parseAllDocuments } from "yaml";
import { base64ToBytes, hexToBytes } from "../codec/bytetext";
import { decodeFrame, decodeNode, isCodecError } from "../codec/index";
import type { CapturedStanza, Direction, PortableNode } from "../trace/types";
import { lineColumn } from "../tracefile/io";
import { TRACE_FORMAT, TRACE_VERSION } from "../tracefile/types";
import { validateNode, validateStanza, validateTrace } from "../tracefile/validate";
import { Collector, type ImportResult, waNodeToPortable } from "./collect";
import { feedText, type LineReader } from "./lines";
import { readPublishedXml, readXmlStanzas, unreadableStanza, XmlSegmenter } from "./xml";

/**
 * The project's own trace. A valid trace is returned as it is (stanzas untouched, so calls are
 * the same as live); when the envelope is valid but some stanzas are not, those stanzas are
 * reported and skipped.
 */
export function importTrace(text: string, file?: string): ImportResult {
  const c = new Collector("trace", file);
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    c.error(pos ? lineColumn(text, Number(pos[1])).line : 0, `not JSON: ${msg}`);
    return c.finish();
  }
  const full = validateTrace(value);
  if (full.ok) {
    const r = c.finish();
    return {
      ...r,
      trace: full.trace,
      stats: {
        ...r.stats,
        lines: full.trace.stanzas.length,
        stanzas: full.trace.stanzas.length,
        kept: full.trace.stanzas.length,
      },
    };
  }
  const v = value as { format?: unknown; version?: unknown; stanzas?: unknown };
  if (
    typeof v !== "object" ||
    v === null ||
    v.format !== TRACE_FORMAT ||
    v.version !== TRACE_VERSION ||
    !Array.isArray(v.stanzas)
  ) {
    for (const e of full.errors) c.error(0, `${e.path}: ${e.message}`);
    return c.finish();
  }
  // Salvage: keep the valid stanzas (renumbered in order), report the others.
  const good: CapturedStanza[] = [];
  (v.stanzas as unknown[]).forEach((s, i) => {
    const errs = validateStanza(s, `$.stanzas[${i}]`);
    if (errs.length) for (const e of errs) c.error(0, `${e.path}: ${e.message}`);
    else good.push(s as CapturedStanza);
  });
  const envelope = validateTrace({ ...(value as object), stanzas: [] });
  if (!envelope.ok) for (const e of envelope.errors) c.error(0, `${e.path}: ${e.message}`);
  const sorted = good
    .sort((a, b) => a.seq - b.seq)
    .filter((s, i, arr) => i === 0 || s.seq !== arr[i - 1].seq);
  const r = c.finish();
  const trace = envelope.ok ? { ...envelope.trace, stanzas: sorted } : { ...r.trace, stanzas: sorted };
  return {
    ...r,
    trace,
    stats: {
      ...r.stats,
      lines: (v.stanzas as unknown[]).length,
      stanzas: sorted.length,
      kept: sorted.length,
    },
  };
}

const MARKER = /^<!-- seq=(\d+) dir=(in|out) t_ms=(-?[0-9.]+) -->$/;

function recordNodes(
  c: Collector,
  rec: Record<string, unknown>,
  line: number,
): { node: PortableNode; direction?: Direction; t?: number; line: number }[] {
  const raw = rec.raw as { format?: unknown; body?: unknown } | undefined;
  if (!raw || typeof raw.body !== "string" || typeof raw.format !== "string") {
    c.error(line, "capture record without raw.format/raw.body");
    return [];
  }
  const recDir = rec.direction === "outgoing" ? "out" : rec.direction === "incoming" ? "in" : undefined;
  const attrs = Array.isArray(rec.attributes)
    ? (rec.attributes as { name?: unknown; value?: unknown }[])
    : [];
  const tAttr = attrs.find((a) => a.name === "capture.t_ms");
  const single =
    tAttr && typeof tAttr.value === "string" && /^-?[0-9.]+$/.test(tAttr.value)
      ? Number(tAttr.value)
      : undefined;
  const body = raw.body;
  switch (raw.format) {
    case "xml": {
      const lines = body.split("\n");
      const out: { node: PortableNode; direction?: Direction; t?: number; line: number }[] = [];
      if (lines.some((l) => MARKER.test(l.trim()))) {
        // Per-call record written by this project: a marker line before each stanza.
        let cur: { seq: number; dir: Direction; t: number; lines: string[]; at: number } | undefined;
        const flush = () => {
          if (!cur) return;
          for (const ch of readXmlStanzas(cur.lines.join("\n"), line + cur.at)) {
            if ("error" in ch) c.error(ch.line, unreadableStanza(ch.error));
            else out.push({ node: ch.node, direction: cur.dir, t: cur.t, line: ch.line });
          }
        };
        lines.forEach((l, i) => {
          const m = MARKER.exec(l.trim());
          if (m) {
            flush();
            cur = { seq: Number(m[1]), dir: m[2] as Direction, t: Number(m[3]), lines: [], at: i + 1 };
          } else if (cur) cur.lines.push(l);
        });
        flush();
        return out;
      }
      for (const ch of readXmlStanzas(body, line)) {
        if ("error" in ch) c.error(ch.line, unreadableStanza(ch.error));
        else out.push({ node: ch.node, direction: recDir, t: single, line: ch.line });
      }
      return out;
    }
    case "hex":
    case "base64": {
      const bytes =
        raw.format === "hex" ? hexToBytes(body.replace(/[^0-9a-fA-F]/g, "")) : base64ToBytes(body);
      let node = decodeFrame(bytes);
      if (isCodecError(node)) {
        const alt = decodeNode(bytes);
        if (isCodecError(alt)) {
          c.error(line, `raw ${raw.format} body is not a WABinary stanza: ${node.message}`);
          return [];
        }
        node = alt;
      }
      return [{ node: waNodeToPortable(node), direction: recDir, t: single, line }];
    }
    case "json": {
      try {
        const v: unknown = JSON.parse(body);
        const cand = (v as { node?: unknown }).node ?? v;
        const errs = validateNode(cand);
        if (errs.length) {
          c.error(line, `raw json body is not a node: ${errs[0].path}: ${errs[0].message}`);
          return [];
        }
        return [{ node: cand as PortableNode, direction: recDir, t: single, line }];
      } catch (e) {
        c.error(line, `raw json body is not JSON: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    }
    default:
      c.error(line, `unknown raw.format "${raw.format}"`);
      return [];
  }
}

/** Reads the YAML documents of `text` (whose first line is `firstLine` of the file) as capture records. */
function readWacrgText(c: Collector, text: string, firstLine: number): void {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const line = firstLine - 1 + (doc.range ? lineColumn(text, doc.range[0]).line : 1);
    if (doc.errors.length) {
      c.stats.lines++;
      for (const e of doc.errors)
        c.error(firstLine - 1 + (e.linePos?.[0]?.line ?? 1), `YAML: ${e.message.split("\n")[0]}`);
      continue;
    }
    const rec: unknown = doc.toJS();
    if (rec === null || rec === undefined) continue;
    c.stats.lines++;
    if (typeof rec !== "object" || Array.isArray(rec)) {
      c.error(line, "not a capture record (expected a mapping)");
      continue;
    }
    const r = rec as Record<string, unknown>;
    if (r.sanitized !== true) c.error(line, "record is not marked sanitized: true (imported anyway)");
    for (const n of recordNodes(c, r, line)) {
      c.add({
        node: n.node,
        direction: n.direction,
        t: n.t,
        precision: n.t === undefined ? "none" : "ms",
        line: n.line,
      });
    }
  }
}

/** Most lines one wacrg record may have before it is read anyway (bounds the memory of a stream). */
const MAX_RECORD_LINES = 200_000;

/**
 * wacrg capture records (one YAML document per record; `---` streams allowed), as a streaming
 * reader: each document is parsed when the next `---` (or `...`) line or the end arrives.
 */
export function createWacrgReader(file?: string): LineReader {
  const c = new Collector("wacrg", file);
  let lines: string[] = [];
  let first = 1;
  const flush = () => {
    if (lines.some((l) => l.trim() !== "" && !l.startsWith("#"))) readWacrgText(c, lines.join("\n"), first);
    lines = [];
  };
  return {
    line(text, no) {
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(text) || lines.length >= MAX_RECORD_LINES) {
        flush();
        first = no;
      }
      if (!lines.length) first = no;
      lines.push(text);
    },
    fault: (no, reason) => c.error(no, reason),
    finish() {
      flush();
      return c.finish();
    },
  };
}

/** wacrg capture records from a whole text (see {@link createWacrgReader}). */
export function importWacrg(text: string, file?: string): ImportResult {
  return feedText(createWacrgReader(file), text);
}

/**
 * Plain XML stanzas (pasted from a console, a log, this project's copy-as-XML, or published in
 * an issue, a PR or a code comment: `readPublishedXml`); no times. Repairs of published damage
 * (elisions, placeholders, cuts, synthetic `<call>` wrappers) are listed in `repairs` with
 * their lines; stanzas that cannot be recovered are `errors`. Streams: the lines are cut into
 * segments (`XmlSegmenter`) that are read one at a time.
 */
export function createXmlReader(file?: string): LineReader {
  const c = new Collector("xml", file);
  const counter = { omitted: 0 };
  const segments = new XmlSegmenter();
  // How the text was wrapped (prefixes, escapes) is said once, at its first line.
  const wrapping = new Set<string>();
  const read = (seg: { text: string; line: number } | undefined) => {
    if (!seg) return;
    const r = readPublishedXml(seg.text, seg.line, counter);
    for (const x of r.repairs) {
      if (x.kind === "unwrapped" || x.kind === "unescaped") {
        if (wrapping.has(x.kind)) continue;
        wrapping.add(x.kind);
      }
      c.repair(x.line, x.kind, x.message);
    }
    for (const ch of r.chunks) {
      if ("error" in ch) c.error(ch.line, unreadableStanza(ch.error));
      else c.add({ node: ch.node, precision: "none", line: ch.line, synthetic: ch.synthetic });
    }
  };
  return {
    line(text, no) {
      c.stats.lines = no;
      read(segments.push(text, no));
    },
    fault: (no, reason) => c.error(no, reason),
    finish() {
      read(segments.flush());
      c.stats.bytesOmitted += counter.omitted;
      return c.finish();
    },
  };
}

/** Plain or published XML stanzas from a whole text (see {@link createXmlReader}). */
export function importXml(text: string, file?: string): ImportResult {
  return feedText(createXmlReader(file), text);
}
