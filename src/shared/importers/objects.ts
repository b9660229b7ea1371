/**
 * Streaming readers of the object-shaped published forms (research real-captures.md forms 3–6):
 * - `pino-pretty`: Baileys' development log, `[1637798396399] INFO: recv call` followed by
 *   indented keys (`    node: {` opening a pretty JSON BinaryNode); times from the bracketed
 *   epoch ms (or pino-pretty's translated `yyyy-mm-dd HH:MM:ss.l o` / `HH:MM:ss.l`), direction
 *   from the message (`recv` → in, `send`/`sent` → out); an indented `xml: "<…>"` string is read
 *   as XML; Baileys' `recv`/`sent` summaries of `sent ack` lines are not stanzas;
 * - `binary-node-json`: BinaryNodes `{tag, attrs, content}` as JSON, one line or many, alone,
 *   in a row, or in arrays; content nodes, `null`, text or `{"type":"Buffer","data":[…]}`;
 * - `inspect`: `console.log` / `util.inspect` object literals (acorn, `parseJsValue`), with
 *   `[Object]`/`[Array]` cuts and `<Buffer …>` bytes reported as truncated where cut;
 * - `wa-web-node`: WhatsApp Web's node objects copied from its console (JSON, its object
 *   literal, or Chrome's collapsed preview `{tag: 'call', attrs: {…}, content: Array(1)}`), JID
 *   attributes as `WapJid` objects (`jidString`).
 * Each reader is fed line by line and keeps one object at a time (`BlockScanner`, capped).
 * Objects without a call marker are skipped unparsed (the `CallNeedles` prefilter, per object).
 */
import type { LineReader } from "./lines";
import { messageDirection, parseEpoch, parseIsoTime } from "./logs";
import { PINO_HEADER, PINO_HEADER_LEVEL_FIRST, PINO_KEY } from "./objects-detect";
import { BlockScanner, indentOf } from "./objects-scan";
import {
  CONTINUES,
  type Context,
  type Form,
  findStart,
  INSPECT_FORM,
  JSON_FORM,
  NO_CONTEXT,
  ObjectSink,
  PINO_FORM,
  stripAnsi,
  WA_WEB_FORM,
} from "./objects-sink";

/** A reader of objects alone in the text (forms 4–6), prose and other text between them counted. */
function createLineFormReader(form: Form, file?: string): LineReader {
  const sink = new ObjectSink(form, file);
  const c = sink.c;
  const scanner = new BlockScanner(
    form.quotes,
    (b) => sink.block(b, NO_CONTEXT, false),
    (line, why) => c.error(line, `${form.noun} ${why}: skipped`),
  );
  return {
    line(raw, no) {
      const text = stripAnsi(raw);
      const ind = indentOf(text);
      if (ind === text.length) {
        if (scanner.open) scanner.next(text, no);
        return;
      }
      c.stats.lines++;
      let from = 0;
      if (scanner.open) {
        // A new object at the open one's indentation after a line that cannot go on: a cut.
        // Inside an object, a bracket cannot follow a comma or the opening brace (a key must).
        const interrupted =
          ind <= scanner.start.indent &&
          findStart(form, text, ind) === ind &&
          (!CONTINUES.has(scanner.lastChar) ||
            (scanner.inObject && (scanner.lastChar === 44 || scanner.lastChar === 123)));
        if (interrupted) sink.cut(scanner, NO_CONTEXT);
        else {
          from = scanner.next(text, no);
          if (from < 0) return;
        }
      }
      let any = from > 0;
      for (;;) {
        const s = findStart(form, text, from);
        if (s < 0) break;
        any = true;
        from = scanner.begin(text, no, s);
        if (from < 0) return;
      }
      if (!any) c.stats.otherLines++;
    },
    fault(no, reason) {
      c.error(no, reason);
      if (scanner.open && !scanner.overflowed) {
        c.error(scanner.start.line, `${form.noun} begun here lost line ${no}: skipped`);
        scanner.drop();
      }
    },
    finish() {
      if (scanner.open) sink.cut(scanner, NO_CONTEXT);
      return c.finish();
    },
  };
}

/**
 * Baileys BinaryNodes as JSON (real-captures.md form 4), as a streaming reader. Objects that are
 * not valid JSON but could hold a node (they have a `tag`) are errors at their line.
 */
export function createBinaryNodeJsonReader(file?: string): LineReader {
  return createLineFormReader(JSON_FORM, file);
}

/**
 * `console.log` / `util.inspect` output of BinaryNodes (form 5), as a streaming reader. Parts
 * cut to `[Object]`/`[Array]`, and `<Buffer … N more bytes>`, are repairs of kind `truncated`
 * at their line; the node keeps what was printed.
 */
export function createInspectReader(file?: string): LineReader {
  return createLineFormReader(INSPECT_FORM, file);
}

/**
 * WhatsApp Web's node objects (form 6) as JSON or object literals, as a streaming reader. JID
 * objects become JID strings (`jidString`); one without a known server is a `jid` repair.
 */
export function createWaWebNodeReader(file?: string): LineReader {
  return createLineFormReader(WA_WEB_FORM, file);
}

/** Keys of Baileys' `sent ack` entries: summaries of a stanza (`{tag, attrs}`), not stanzas. */
const SUMMARY_KEYS = new Set(["recv", "sent"]);
const DATE_TIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(?: ?(Z|[+-]\d\d:?\d\d))?$/;
const TIME_OF_DAY = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/;

/** A pino-pretty time: epoch (ms or s), a translated date-time (UTC unless it has an offset), or a time of day. */
function headerTime(s: string, lastTod: { v?: number; days: number }): Context {
  if (/^\d+(\.\d+)?$/.test(s)) return parseEpoch(Number(s));
  let m = DATE_TIME.exec(s);
  if (m) {
    const zone = m[3] === undefined ? "Z" : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
    return parseIsoTime(`${m[1]}T${m[2]}${zone}`) ?? NO_CONTEXT;
  }
  m = TIME_OF_DAY.exec(s);
  if (m) {
    let t =
      ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 +
      (m[4] ? Number(`0.${m[4]}`) * 1000 : 0);
    if (lastTod.v !== undefined && t + 43_200_000 < lastTod.v - lastTod.days * 86_400_000) lastTod.days++;
    t += lastTod.days * 86_400_000;
    lastTod.v = t;
    return { t, precision: "time-of-day", subSecond: m[4] !== undefined };
  }
  return NO_CONTEXT;
}

/**
 * Baileys' pino-pretty output (real-captures.md form 3), as a streaming reader (see the module
 * comment). Times are the headers' (precision `ms` for epoch ms); an object cut off by the next
 * entry or the end of input keeps what can be recovered (repair `cut`).
 */
export function createPinoPrettyReader(file?: string): LineReader {
  const sink = new ObjectSink(PINO_FORM, file);
  const c = sink.c;
  let ctx: Context | undefined;
  let key = "";
  let keyIndent = 0;
  const tod = { days: 0 } as { v?: number; days: number };
  const scanner = new BlockScanner(
    '"',
    (b) => {
      if (SUMMARY_KEYS.has(key)) c.stats.otherLines += b.endLine - b.line + 1;
      else sink.block(b, ctx ?? NO_CONTEXT, false, key === "" ? SUMMARY_KEYS : undefined);
    },
    (line, why) => c.error(line, `pino-pretty value ${why}: skipped`),
  );
  const endOpen = () => {
    if (!scanner.open) return;
    if (SUMMARY_KEYS.has(key)) scanner.abandon();
    else sink.cut(scanner, ctx ?? NO_CONTEXT, key === "" ? SUMMARY_KEYS : undefined);
  };
  return {
    line(raw, no) {
      const text = stripAnsi(raw);
      const ind = indentOf(text);
      if (ind === text.length) return;
      c.stats.lines++;
      const first = text.charCodeAt(0);
      // Entry lines start with `[` (time first) or a capital letter (level first).
      const h =
        first === 91 || (first >= 65 && first <= 90)
          ? (PINO_HEADER.exec(text) ?? PINO_HEADER_LEVEL_FIRST.exec(text))
          : null;
      if (h) {
        endOpen();
        const msg = h[2] ?? "";
        ctx = { ...headerTime(h[1], tod), direction: messageDirection(msg) };
        c.stats.otherLines++;
        // pino-pretty's singleLine mode: the entry's keys as one JSON object after the message.
        const at = text.indexOf('{"', text.length - msg.length);
        if (at >= 0) {
          key = "";
          keyIndent = 0;
          scanner.begin(text, no, at);
        }
        return;
      }
      if (scanner.open) {
        // A key at the entry's indentation ends the value before it (cut if it is still open).
        if (ind <= keyIndent && PINO_KEY.test(text)) endOpen();
        else {
          scanner.next(text, no);
          return;
        }
      }
      const k = ind > 0 ? PINO_KEY.exec(text) : null;
      if (!k || !ctx) {
        c.stats.otherLines++;
        return;
      }
      const value = k[3];
      key = k[2].startsWith('"') ? (JSON.parse(k[2]) as string) : k[2];
      keyIndent = k[1].length;
      if (value.startsWith("{") || value.startsWith("[")) {
        scanner.begin(text, no, text.length - value.length);
      } else if (value.startsWith('"<')) {
        let xml: unknown;
        try {
          xml = JSON.parse(value);
        } catch (e) {
          c.error(no, `unreadable ${key} string: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        if (typeof xml === "string") sink.xml(xml, no, ctx);
      } else c.stats.otherLines++;
    },
    fault(no, reason) {
      c.error(no, reason);
      if (scanner.open && !scanner.overflowed) {
        c.error(scanner.start.line, `pino-pretty value begun here lost line ${no}: skipped`);
        scanner.drop();
      }
    },
    finish() {
      endOpen();
      return c.finish();
    },
  };
}

/** The format's reader, for the four object forms. */
export function createObjectReader(
  format: "pino-pretty" | "binary-node-json" | "inspect" | "wa-web-node",
  file?: string,
): LineReader {
  switch (format) {
    case "pino-pretty":
      return createPinoPrettyReader(file);
    case "binary-node-json":
      return createBinaryNodeJsonReader(file);
    case "inspect":
      return createInspectReader(file);
    default:
      return createWaWebNodeReader(file);
  }
}

export { detectObjectForm } from "./objects-detect";
