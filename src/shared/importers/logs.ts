/**
 * Importers for the debug logs of WhatsApp client libraries (formats: research peer-tools.md §3):
 * - Baileys pino NDJSON at trace level: `{"msg":"xml send"|"recv xml","xml":"<…>","time":…}`;
 *   `time` epoch ms (user pino) or an ISO string (Baileys' default logger); older logs (before
 *   v6.6.1) put the XML in `msg` (direction then inferred);
 * - whatsmeow stdout: `HH:MM:SS.mmm [Client/Recv DEBUG] <…>` (time of day only: midnight
 *   rollover handled; trailing `\x1b[0m` and other colour codes ignored); `Errored frame hex`
 *   lines are counted as errors;
 * - whatsmeow zerolog JSON: `{"level":"debug","sublogger":"Recv"|"Client/Recv","time":…,"message":"<…>"}`;
 * - whatsapp-rust env_logger: `[2026-05-21T12:00:01Z DEBUG Client/Recv] <…>` (seconds, or ms
 *   when the timestamp has a fraction);
 * - whatsapp-rust demo logger: `HH:MM:SS [LEVEL] [Client/Send] - <…>` (time of day, seconds);
 * - whatsapp-rust voip-cli: `MM:SS.mmm pid=… [LEVEL] <…>` (no target: direction inferred; hour
 *   rollover handled).
 * Every importer is a streaming {@link LineReader} (`create…Reader`), with an `import…(text)`
 * wrapper: a line that should hold a stanza but cannot be read becomes an error entry, other
 * log lines are counted and skipped, and lines without a call marker are skipped unparsed
 * (the prefilter, `CallNeedles`).
 */
import type { LogXmlDialect } from "../codec/logxml";
import type { Direction } from "../trace/types";
import type { TimestampPrecision } from "../tracefile/types";
import { Collector, type ImportFormat, type ImportResult, type StanzaInput } from "./collect";
import { feedText, type LineReader, type Needles } from "./lines";
import { findNodes } from "./objects-node";
import type { Val } from "./objects-value";
import { readXmlStanzas, unreadableStanza } from "./xml";

/** ANSI colour codes (ESC `[` … `m`), stripped from log lines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: coloured log lines contain ESC by design.
export const ANSI = /\u001b\[[0-9;]*m/g;
const DAY = 86_400_000;

/** Splits text into lines (LF or CRLF), without the final empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Reads one node from a log message and adds it; problems become errors at `line`. */
function addXml(
  c: Collector,
  xml: string,
  line: number,
  direction: Direction | undefined,
  t: number | undefined,
  precision: TimestampPrecision,
  dialect: LogXmlDialect,
  subSecond?: boolean,
): void {
  const counter = { omitted: 0 };
  const chunks = readXmlStanzas(xml, line, dialect, counter);
  c.stats.bytesOmitted += counter.omitted;
  if (!chunks.length) c.error(line, "no element in the stanza message");
  for (const ch of chunks) {
    if ("error" in ch) c.error(line, unreadableStanza(ch.error));
    else c.add({ node: ch.node, direction, t, precision, subSecond, line });
  }
}

/**
 * Parses an ISO 8601 / RFC 3339 time.
 * @returns epoch ms and precision (`ms` when the seconds have a fraction, else `s`), or `undefined`.
 */
export function parseIsoTime(s: string): { t: number; precision: "ms" | "s" } | undefined {
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  return { t, precision: /T\d\d:\d\d:\d\d[.,]\d+/.test(s) ? "ms" : "s" };
}

/** A numeric log time: epoch seconds (< 1e11, `s` unless fractional) or epoch ms. */
export function parseEpoch(n: number): { t: number; precision: "ms" | "s" } {
  if (n < 1e11) return { t: n * 1000, precision: Number.isInteger(n) ? "s" : "ms" };
  return { t: n, precision: "ms" };
}

function jsonTime(v: unknown): { t: number; precision: "ms" | "s" } | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return parseEpoch(v);
  if (typeof v === "string") return /^\d+(\.\d+)?$/.test(v) ? parseEpoch(Number(v)) : parseIsoTime(v);
  return undefined;
}

/**
 * A reader whose stanzas each sit on one line: prefiltered by the call needles (plus `extra`
 * fixed needles), blank lines ignored, other lines counted in `stats.lines`.
 */
function lineReader(
  c: Collector,
  onLine: (line: string, no: number) => void,
  extra: readonly string[] = [],
  frame?: LineReader["frame"],
  beforeFinish?: () => void,
): LineReader {
  let cachedFor: Needles | undefined;
  let cached: Needles = { any: [] };
  return {
    needles(next) {
      const base = c.needles.needles(next);
      if (!extra.length) return base;
      if (base !== cachedFor) {
        cachedFor = base;
        cached = { ...base, any: [...base.any, ...extra] };
      }
      return cached;
    },
    line(raw, no) {
      if (raw.trim() === "") return;
      c.stats.lines++;
      onLine(raw, no);
    },
    skip(n) {
      c.stats.lines += n;
      c.stats.prefiltered += n;
    },
    fault: (no, reason) => c.error(no, reason),
    finish: () => {
      beforeFinish?.();
      return c.finish();
    },
    ...(frame ? { frame } : {}),
  };
}

/** JSON lines: one object per line. */
const JSON_FRAME = { first: 0x7b, last: 0x7d } as const;

/**
 * Parses `raw` as a JSON object for a line reader; a line that is not one becomes an error
 * entry ("not a <kind> JSON line: …").
 * @returns the object, or `undefined` after recording the error.
 */
function jsonLine(c: Collector, raw: string, no: number, kind: string): Record<string, unknown> | undefined {
  const t = raw.trim();
  // Most malformed lines fail here, without the cost of a thrown error.
  if (t.charCodeAt(0) !== 0x7b || t.charCodeAt(t.length - 1) !== 0x7d) {
    c.error(no, `not a ${kind} JSON line: not an object on one line ({…})`);
    return undefined;
  }
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not a JSON object");
    return v as Record<string, unknown>;
  } catch (e) {
    c.error(no, `not a ${kind} JSON line: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Baileys pino NDJSON, as a streaming reader. */
export function createBaileysReader(file?: string): LineReader {
  const c = new Collector("baileys", file);
  // Debug-level logs have no XML, only `sent ack` summaries: they are used when the log has no
  // XML lines at all (at trace level they would repeat stanzas the XML lines already give).
  let sawXml = false;
  let summaries: { input: StanzaInput; line: number }[] = [];
  return lineReader(
    c,
    (raw, line) => {
      const rec = jsonLine(c, raw, line, "pino");
      if (!rec) return;
      const msg = typeof rec.msg === "string" ? rec.msg : undefined;
      let xml: string | undefined;
      let direction: Direction | undefined;
      if (typeof rec.xml === "string" && (msg === "xml send" || msg === "recv xml")) {
        xml = rec.xml;
        direction = msg === "xml send" ? "out" : "in";
      } else if (msg?.trimStart().startsWith("<")) {
        xml = msg; // pre-v6.6.1: the XML is the message, the direction is not logged.
      } else if (typeof rec.xml === "string") {
        xml = rec.xml;
      }
      const time = jsonTime(rec.time);
      if (xml === undefined && isObject(rec.node)) {
        // `logger.info({ node }, "recv call")`: the BinaryNode object itself (the NDJSON of
        // real-captures.md form 3).
        const found = findNodes(rec.node as Val, line);
        if (found.length) {
          sawXml = true;
          for (const f of found) {
            for (const r of f.repairs) c.repair(r.line, r.kind, r.reason);
            c.add({
              node: f.node,
              direction: messageDirection(msg ?? ""),
              t: time?.t,
              precision: time?.precision ?? "none",
              line,
            });
          }
          return;
        }
      }
      if (xml === undefined) {
        const ack = msg === "sent ack" && !sawXml ? ackSummary(rec, line, time) : undefined;
        if (ack && summaries.length < MAX_SUMMARIES) summaries.push(...ack.map((input) => ({ input, line })));
        else c.stats.otherLines++;
        return;
      }
      if (!sawXml) {
        sawXml = true;
        c.stats.otherLines += summaries.length / 2;
        summaries = [];
      }
      if (rec.time !== undefined && !time)
        c.error(line, `unreadable time ${JSON.stringify(rec.time)}; order kept`);
      addXml(c, xml, line, direction, time?.t, time?.precision ?? "none", "baileys");
    },
    [],
    JSON_FRAME,
    () => {
      if (!summaries.length) return;
      c.repair(
        summaries[0].line,
        "summary",
        "debug-level log: stanzas rebuilt from `sent ack` summaries (the stanza's own attributes and this device's ack; children were not logged)",
      );
      for (const s of summaries) c.add(s.input);
      summaries = [];
    },
  );
}

/** Most `sent ack` summaries kept while waiting to know whether the log has XML lines. */
const MAX_SUMMARIES = 100_000;

/**
 * The two stanzas of a Baileys debug-level `sent ack` line (`{recv: {tag, attrs}, sent: {…}}`,
 * Baileys `src/Socket/messages-recv.ts` `sendMessageAck`): the received stanza without its
 * children, and this device's ack of it.
 * @returns both, or `undefined` when the line does not have that shape.
 */
function ackSummary(
  rec: Record<string, unknown>,
  line: number,
  time: { t: number; precision: "ms" | "s" } | undefined,
): StanzaInput[] | undefined {
  const recv = rec.recv as { tag?: unknown; attrs?: unknown } | undefined;
  const sent = rec.sent;
  if (!recv || typeof recv.tag !== "string" || !stringMap(recv.attrs) || !stringMap(sent)) return undefined;
  const base = { t: time?.t, precision: time?.precision ?? ("none" as const), line };
  return [
    { ...base, node: { tag: recv.tag, attrs: { ...recv.attrs } }, direction: "in" },
    { ...base, node: { tag: "ack", attrs: { ...sent } }, direction: "out" },
  ];
}

/** Direction from a log message: `recv`/`received` → in, `send`/`sent`/`sending` → out. */
export function messageDirection(msg: string): Direction | undefined {
  if (/\brecv\b|\breceived?\b/i.test(msg)) return "in";
  if (/\bsen[dt]\b|\bsending\b/i.test(msg)) return "out";
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string")
  );
}

/** Baileys pino NDJSON. */
export function importBaileys(text: string, file?: string): ImportResult {
  return feedText(createBaileysReader(file), text);
}

const WHATSMEOW = /^(\d\d):(\d\d):(\d\d)\.(\d{3}) \[(?:(.+)\/)?(Recv|Send) DEBUG\] (.*)$/;
const WHATSMEOW_ANY = /^\d\d:\d\d:\d\d\.\d{3} \[[^\]]+\]/;

/** Milliseconds of a time of day, with rollover when the clock goes back by more than `jumpMs` (half the period). */
class Clock {
  private last: number | undefined;
  private offset = 0;
  constructor(private readonly period: number) {}
  at(ms: number): number {
    if (this.last !== undefined && ms < this.last - this.period / 2) this.offset += this.period;
    this.last = ms;
    return ms + this.offset;
  }
}

/**
 * whatsmeow stdout logger lines, as a streaming reader. Lines are prefiltered by the call
 * needles and `Errored frame` (reported as errors). A time-of-day clock's midnight rollover is
 * detected from the lines read, so a day without call stanzas between two calls goes unseen.
 */
export function createWhatsmeowReader(file?: string): LineReader {
  const c = new Collector("whatsmeow", file);
  const clock = new Clock(DAY);
  return lineReader(
    c,
    (raw, line) => {
      const l = raw.replace(ANSI, "");
      const m = WHATSMEOW.exec(l);
      if (!m) {
        if (/Errored frame hex/.test(l))
          c.error(line, "whatsmeow could not decode this frame (Errored frame hex)");
        else if (!WHATSMEOW_ANY.test(l) && l.trimStart().startsWith("<"))
          c.error(line, "stanza line without a whatsmeow prefix");
        else c.stats.otherLines++;
        return;
      }
      if (!m[7].trimStart().startsWith("<")) {
        if (/Errored frame hex/.test(m[7]))
          c.error(line, "whatsmeow could not decode this frame (Errored frame hex)");
        else c.stats.otherLines++;
        return;
      }
      const tod = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
      const t = clock.at(tod);
      addXml(c, m[7], line, m[6] === "Send" ? "out" : "in", t, "time-of-day", "whatsmeow", true);
    },
    ["Errored frame"],
  );
}

/** whatsmeow stdout logger lines. */
export function importWhatsmeow(text: string, file?: string): ImportResult {
  return feedText(createWhatsmeowReader(file), text);
}

/** whatsmeow zerolog JSON lines (mautrix bridges), as a streaming reader. */
export function createWhatsmeowZerologReader(file?: string): LineReader {
  const c = new Collector("whatsmeow-zerolog", file);
  return lineReader(
    c,
    (raw, line) => {
      const rec = jsonLine(c, raw, line, "zerolog");
      if (!rec) return;
      const sub =
        typeof rec.sublogger === "string" ? rec.sublogger : typeof rec.module === "string" ? rec.module : "";
      const dm = /(?:^|\/)(Recv|Send)$/.exec(sub);
      const message = typeof rec.message === "string" ? rec.message : undefined;
      if (!dm || message === undefined || !message.trimStart().startsWith("<")) {
        c.stats.otherLines++;
        return;
      }
      const time = jsonTime(rec.time);
      addXml(
        c,
        message,
        line,
        dm[1] === "Send" ? "out" : "in",
        time?.t,
        time?.precision ?? "none",
        "whatsmeow",
      );
    },
    [],
    JSON_FRAME,
  );
}

/** whatsmeow zerolog JSON lines (mautrix bridges). */
export function importWhatsmeowZerolog(text: string, file?: string): ImportResult {
  return feedText(createWhatsmeowZerologReader(file), text);
}

const ENV_LOGGER =
  /^\[(\d{4}-\d\d-\d\dT[0-9:.,]+(?:Z|[+-]\d\d:?\d\d)?)\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+([^\]\s]+)\s*\]\s?(.*)$/;
const DEMO = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))? \[(TRACE|DEBUG|INFO|WARN|ERROR)\] \[([^\]]+)\] - (.*)$/;
const VOIP = /^(\d\d):(\d\d)\.(\d{3}) pid=\S+ \[(TRACE|DEBUG|INFO|WARN|ERROR)\] (.*)$/;

const targetDirection = (target: string): Direction | undefined =>
  /(?:^|\/)Send$/.test(target) ? "out" : /(?:^|\/)Recv$/.test(target) ? "in" : undefined;

/** The whatsapp-rust log formats. */
export type WhatsappRustFormat = Extract<
  ImportFormat,
  "whatsapp-rust" | "whatsapp-rust-demo" | "whatsapp-rust-voip"
>;

/** whatsapp-rust lines (env_logger, demo logger or voip-cli logger), as a streaming reader. */
export function createWhatsappRustReader(
  file?: string,
  format: WhatsappRustFormat = "whatsapp-rust",
): LineReader {
  const c = new Collector(format, file);
  const dayClock = new Clock(DAY);
  const hourClock = new Clock(3_600_000);
  return lineReader(c, (raw, line) => {
    const l = raw.replace(ANSI, "");
    let m = ENV_LOGGER.exec(l);
    if (m) {
      const dir = targetDirection(m[3]);
      if (!dir || !m[4].trimStart().startsWith("<")) {
        c.stats.otherLines++;
        return;
      }
      const time = parseIsoTime(m[1]);
      if (!time) c.error(line, `unreadable time "${m[1]}"; order kept`);
      addXml(c, m[4], line, dir, time?.t, time?.precision ?? "none", "whatsapp-rust");
      return;
    }
    m = DEMO.exec(l);
    if (m) {
      const dir = targetDirection(m[6]);
      if (!dir || !m[7].trimStart().startsWith("<")) {
        c.stats.otherLines++;
        return;
      }
      const frac = m[4] ? Number(`0.${m[4]}`) * 1000 : 0;
      const tod = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + frac;
      addXml(c, m[7], line, dir, dayClock.at(tod), "time-of-day", "whatsapp-rust", m[4] !== undefined);
      return;
    }
    m = VOIP.exec(l);
    if (m) {
      if (!m[5].trimStart().startsWith("<")) {
        c.stats.otherLines++;
        return;
      }
      const t = hourClock.at((Number(m[1]) * 60 + Number(m[2])) * 1000 + Number(m[3]));
      addXml(c, m[5], line, undefined, t, "time-of-day", "whatsapp-rust", true);
      return;
    }
    if (l.trimStart().startsWith("<")) c.error(line, "stanza line without a recognised whatsapp-rust prefix");
    else c.stats.otherLines++;
  });
}

/** whatsapp-rust lines: env_logger (`whatsapp-rust`), the demo logger, or the voip-cli logger. */
export function importWhatsappRust(
  text: string,
  file?: string,
  format: WhatsappRustFormat = "whatsapp-rust",
): ImportResult {
  return feedText(createWhatsappRustReader(file, format), text);
}

/** Line patterns used by format detection. */
export const LINE_PATTERNS = { WHATSMEOW, ENV_LOGGER, DEMO, VOIP } as const;
