/**
 * What the object-form readers (`objects.ts`) share: how each form reads an object (`Form`), and
 * `ObjectSink`, which turns a finished object into stanzas: the call-marker prefilter per
 * object, parsing, node search, cut recovery, and repairs reported for kept stanzas only.
 */
import type { Direction } from "../trace/types";
import type { TimestampPrecision } from "../tracefile/types";
import { Collector, type ImportFormat } from "./collect";
import { ANSI } from "./logs";
import { type FoundNode, findNodes } from "./objects-node";
import { type Block, BlockScanner } from "./objects-scan";
import { isObj, parseJsValue, type Val, ValueError } from "./objects-value";
import { readXmlStanzas, unreadableStanza } from "./xml";

/** When and which way the stanzas of an object went (from a log header; empty outside logs). */
export interface Context {
  t?: number;
  precision: TimestampPrecision;
  subSecond?: boolean;
  direction?: Direction;
}

/** No time, no direction: stanzas keep their order and their direction is inferred. */
export const NO_CONTEXT: Context = { precision: "none" };

/** How a form reads its objects. */
export interface Form {
  format: ImportFormat;
  /** Name of an object in error messages. */
  noun: string;
  /** String quote characters inside objects. */
  quotes: string;
  /** Parses one object's text (first line `line`); throws on a syntax error. */
  parse(text: string, line: number): Val;
  /** What may follow an opening bracket for it to begin an object (sticky, tested after the bracket). */
  afterCurly: RegExp;
  afterSquare: RegExp;
  /** `parse` gives values without lines (JSON.parse). */
  linesLost?: boolean;
}

const parseJson = (text: string): Val => JSON.parse(text) as Val;
const JS_AFTER_CURLY = /[ \t]*(?:$|\}|['"`]|[A-Za-z_$][\w$-]*[ \t]*:|\.\.\.)/y;
const JS_AFTER_SQUARE = /[ \t]*(?:$|[{[\]]|[A-Z][\w$]*[ \t]*\{|<ref )/y;

/** BinaryNode JSON (form 4): `JSON.parse`, `"` strings. */
export const JSON_FORM: Form = {
  format: "binary-node-json",
  noun: "BinaryNode JSON",
  quotes: '"',
  parse: parseJson,
  linesLost: true,
  afterCurly: /[ \t]*(?:$|"|\})/y,
  afterSquare: /[ \t]*(?:$|[{[\]])/y,
};
/** `util.inspect` output (form 5): `parseJsValue`, any JavaScript quote. */
export const INSPECT_FORM: Form = {
  format: "inspect",
  noun: "inspect object literal",
  quotes: "'\"`",
  parse: parseJsValue,
  afterCurly: JS_AFTER_CURLY,
  afterSquare: JS_AFTER_SQUARE,
};
/** WhatsApp Web node objects (form 6): JSON or object literals, read with lines (`parseJsValue`). */
export const WA_WEB_FORM: Form = {
  format: "wa-web-node",
  noun: "WhatsApp Web node object",
  quotes: "'\"`",
  parse: parseJsValue,
  afterCurly: JS_AFTER_CURLY,
  afterSquare: JS_AFTER_SQUARE,
};
/** JSON values of pino-pretty entries (form 3). */
export const PINO_FORM: Form = { ...JSON_FORM, format: "pino-pretty", noun: "pino-pretty JSON value" };

/** Column of the first bracket in `text` from `from` that begins an object of `form`, or -1. */
export function findStart(form: Form, text: string, from: number): number {
  let curly = text.indexOf("{", from);
  let square = text.indexOf("[", from);
  while (curly >= 0 || square >= 0) {
    const isCurly = square < 0 || (curly >= 0 && curly < square);
    const i = isCurly ? curly : square;
    const re = isCurly ? form.afterCurly : form.afterSquare;
    re.lastIndex = i + 1;
    if (re.test(text)) return i;
    if (isCurly) curly = text.indexOf("{", i + 1);
    else square = text.indexOf("[", i + 1);
  }
  return -1;
}

/** Characters after which an object's text goes on on the next line (`,` `{` `[` `:` `(` `+`). */
export const CONTINUES = new Set([44, 123, 91, 58, 40, 43]);

/** `s` without ANSI colour codes. */
export const stripAnsi = (s: string): string => (s.includes("\u001b") ? s.replace(ANSI, "") : s);

/** Reading state shared by the readers: the collector and how a finished object is added. */
export class ObjectSink {
  readonly c: Collector;
  constructor(
    readonly form: Form,
    file?: string,
  ) {
    this.c = new Collector(form.format, file);
  }

  /** Whether `text` holds a call marker (the prefilter's needles at `line`). */
  private mayHoldCall(text: string, line: number): boolean {
    for (const n of this.c.needles.at(line)) if (text.includes(n)) return true;
    return false;
  }

  /**
   * Adds the nodes of a finished object (`cut`: the input ended or moved on inside it). Keys
   * in `omit` of a top-level object are not searched for nodes.
   */
  block(b: Block, ctx: Context, cut: boolean, omit?: ReadonlySet<string>): void {
    const c = this.c;
    const span = b.endLine - b.line + 1;
    if (!b.contains(this.c.needles.at(b.line))) {
      c.stats.prefiltered += span;
      return;
    }
    const mayHoldNode = /\btag\b/.test(b.text);
    if (cut) {
      for (const text of BlockScanner.closings(b.text, this.form.quotes)) {
        let v: Val;
        try {
          v = this.form.parse(text, b.line);
        } catch {
          continue;
        }
        const found = this.find(v, text, b.line, omit);
        if (!found.length) continue;
        if (this.add(found, ctx))
          c.repair(
            b.endLine,
            "cut",
            `${this.form.noun} begun at line ${b.line} is cut off here: kept what came before the cut`,
          );
        return;
      }
      if (mayHoldNode)
        c.error(b.line, `${this.form.noun} cut off at line ${b.endLine}: nothing could be recovered`);
      else c.stats.otherLines += span;
      return;
    }
    let v: Val;
    try {
      v = this.form.parse(b.text, b.line);
    } catch (e) {
      if (!mayHoldNode) {
        c.stats.otherLines += span;
        return;
      }
      const line = e instanceof ValueError ? e.line : b.line;
      c.error(line, `unreadable ${this.form.noun}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const found = this.find(v, b.text, b.line, omit);
    if (!found.length) c.stats.otherLines += span;
    else this.add(found, ctx);
  }

  /**
   * The nodes in `v` (keys in `omit` of a top-level object left out). When some took repairs
   * and the form's parser gives no lines (JSON), the text is read again with lines, so that
   * each repair has its own line.
   */
  private find(v: Val, text: string, line: number, omit?: ReadonlySet<string>): FoundNode[] {
    const drop = (x: Val) => {
      if (omit && isObj(x)) for (const k of omit) delete x[k];
      return x;
    };
    const found = findNodes(drop(v), line);
    if (!this.form.linesLost || !found.some((f) => f.repairs.length)) return found;
    try {
      return findNodes(drop(parseJsValue(text, line)), line);
    } catch {
      return found;
    }
  }

  /** Adds found nodes; repairs are reported for kept stanzas only. @returns whether one was kept. */
  private add(found: FoundNode[], ctx: Context): boolean {
    const c = this.c;
    let kept = false;
    for (const f of found) {
      const before = c.stats.kept;
      c.add({ node: f.node, line: f.line, ...ctx });
      if (c.stats.kept === before) continue;
      kept = true;
      for (const r of f.repairs) c.repair(r.line, r.kind, r.reason);
    }
    return kept;
  }

  /** Reads XML found in a log value (pino-pretty `xml: "<…>"`). */
  xml(xml: string, line: number, ctx: Context): void {
    if (!this.mayHoldCall(xml, line)) {
      this.c.stats.prefiltered++;
      return;
    }
    const counter = { omitted: 0 };
    for (const ch of readXmlStanzas(xml, line, "baileys", counter)) {
      if ("error" in ch) this.c.error(line, unreadableStanza(ch.error));
      else this.c.add({ node: ch.node, line, ...ctx });
    }
    this.c.stats.bytesOmitted += counter.omitted;
  }

  /** Ends an object the input left open: recovered if it was not over the cap. */
  cut(scanner: BlockScanner, ctx: Context, omit?: ReadonlySet<string>): void {
    const b = scanner.abandon();
    if (b) this.block(b, ctx, true, omit);
  }
}
