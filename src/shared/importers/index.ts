/**
 * Public entry of the importers: format detection and `importText`, which reads any supported
 * input into a trace of call-related stanzas (see each importer for its format).
 */
import { ImportError, type ImportFormat, type ImportResult } from "./collect";
import { createWacrgReader, createXmlReader, importTrace, importXml } from "./files";
import { feedText, type LineReader } from "./lines";
import {
  ANSI,
  createBaileysReader,
  createWhatsappRustReader,
  createWhatsmeowReader,
  createWhatsmeowZerologReader,
  LINE_PATTERNS,
  splitLines,
} from "./logs";
import { createObjectReader, detectObjectForm } from "./objects";

export {
  ImportError,
  type ImportFormat,
  type ImportRepair,
  type ImportResult,
  inferDirection,
  MAX_LISTED,
} from "./collect";
export { importTrace, importWacrg, importXml } from "./files";
export type { LineReader } from "./lines";
export { importBaileys, importWhatsappRust, importWhatsmeow, importWhatsmeowZerolog } from "./logs";

/**
 * A call stanza or bare call action at the start of a line, possibly behind a comment or quote
 * prefix (`//`, `#`, ` * `, `> `), or anywhere with a quoted or `\"`-quoted first attribute: XML
 * as people publish it (real-captures.md forms 1–2).
 */
const PUBLISHED_XML =
  /(?:^|\n)[ \t]*(?:(?:>|\/\/+|#+|\*)[ \t]*)*<(?:call|ack|receipt|offer|offer_notice|preaccept|accept|reject|terminate|transport|relaylatency|enc_rekey|mute_v2)[\s>/]|<(?:call|ack|offer|offer_notice|preaccept|accept|reject|terminate)\s+[\w:-]+=\\?["']/;

/** All formats, for option lists. */
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  "trace",
  "wacrg",
  "xml",
  "baileys",
  "whatsmeow",
  "whatsmeow-zerolog",
  "whatsapp-rust",
  "whatsapp-rust-demo",
  "whatsapp-rust-voip",
  "pino-pretty",
  "binary-node-json",
  "inspect",
  "wa-web-node",
];

/**
 * Guesses the format from the first 200 non-blank lines. JSON documents naming the trace format
 * → `trace`; JSON lines → `baileys` (pino `msg`/`xml`) or `whatsmeow-zerolog` (`message` +
 * `sublogger`); YAML with `stanza_tag:` → `wacrg`; log line patterns by majority; the object
 * forms (pino-pretty, BinaryNode JSON, `util.inspect` literals, WA Web node objects:
 * `detectObjectForm`); text starting
 * with `<`, or with a line holding a call stanza or call action (behind a comment or quote
 * prefix, after prose) → `xml`.
 * @returns the format, or `undefined` when nothing fits.
 */
export function detectFormat(text: string): ImportFormat | undefined {
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("{") && /"format"\s*:\s*"wa-call-inspector-trace"/.test(head.slice(0, 2000)))
    return "trace";
  const lines = splitLines(text)
    .map((l) => l.replace(ANSI, ""))
    .filter((l) => l.trim() !== "")
    .slice(0, 200);
  if (!lines.length) return undefined;
  if (lines.some((l) => /^stanza_tag:\s/.test(l)) && lines.some((l) => /^raw:\s*$/.test(l))) return "wacrg";
  const score: Partial<Record<ImportFormat, number>> = {};
  const bump = (f: ImportFormat) => {
    score[f] = (score[f] ?? 0) + 1;
  };
  for (const l of lines) {
    const t = l.trimStart();
    if (t.startsWith("{")) {
      if (/"sublogger"\s*:|"message"\s*:\s*"</.test(t)) bump("whatsmeow-zerolog");
      else if (/"msg"\s*:|"xml"\s*:/.test(t)) bump("baileys");
      continue;
    }
    if (LINE_PATTERNS.WHATSMEOW.test(l) || /^\d\d:\d\d:\d\d\.\d{3} \[[^\]]+\]/.test(l)) bump("whatsmeow");
    else if (LINE_PATTERNS.ENV_LOGGER.test(l)) bump("whatsapp-rust");
    else if (LINE_PATTERNS.DEMO.test(l)) bump("whatsapp-rust-demo");
    else if (LINE_PATTERNS.VOIP.test(l)) bump("whatsapp-rust-voip");
  }
  const best = Object.entries(score).sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0] as ImportFormat;
  // Before the XML test: pino-pretty's `xml: "<ack class=\"call\" …"` lines would match it.
  const objects = detectObjectForm(text.slice(0, 65_536));
  if (objects) return objects;
  if (head.startsWith("<") || PUBLISHED_XML.test(text.slice(0, 65_536))) return "xml";
  return undefined;
}

/** Options of {@link importText}. */
export interface ImportOptions {
  /** File name for error entries. */
  file?: string;
  /** Force a format instead of detecting it. */
  format?: ImportFormat;
}

/**
 * The streaming reader of a line-oriented format (every format but `trace`, which is one JSON
 * document: see {@link importTrace}).
 * @returns the reader, or `undefined` for `trace`.
 */
export function createReader(format: ImportFormat, file?: string): LineReader | undefined {
  switch (format) {
    case "trace":
      return undefined;
    case "wacrg":
      return createWacrgReader(file);
    case "xml":
      return createXmlReader(file);
    case "baileys":
      return createBaileysReader(file);
    case "whatsmeow":
      return createWhatsmeowReader(file);
    case "whatsmeow-zerolog":
      return createWhatsmeowZerologReader(file);
    case "whatsapp-rust":
    case "whatsapp-rust-demo":
    case "whatsapp-rust-voip":
      return createWhatsappRustReader(file, format);
    case "pino-pretty":
    case "binary-node-json":
    case "inspect":
    case "wa-web-node":
      return createObjectReader(format, file);
  }
}

/** The result of an input whose format could not be detected: an empty trace and one error. */
export function unrecognised(file?: string): ImportResult {
  const r = importXml("", file);
  r.errors.push(new ImportError(0, UNRECOGNISED, file, "unrecognised-format"));
  r.stats.errors++;
  return r;
}

/** The error reason of an input whose format could not be detected. */
export const UNRECOGNISED = "unrecognised input format";

/**
 * Imports any supported text. Never throws: unreadable parts become `errors`
 * (`{file?, line, reason}`), and undetectable input yields an empty trace with one error.
 */
export function importText(text: string, options: ImportOptions = {}): ImportResult {
  const format = options.format ?? detectFormat(text);
  const file = options.file;
  if (format === "trace") return importTrace(text, file);
  const reader = format === undefined ? undefined : createReader(format, file);
  return reader ? feedText(reader, text) : unrecognised(file);
}
