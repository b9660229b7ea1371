/**
 * Values read from object-shaped published forms (real-captures.md forms 3–6): JSON from
 * `JSON.parse`, and JavaScript object literals as `console.log` / `util.inspect` print them,
 * parsed with acorn (a maintained JavaScript parser), never with regular expressions over the
 * structure. Before acorn sees the text, the tokens of inspect's output that are not
 * JavaScript (`<Buffer c5 d2>`, `Uint8Array(3) [`, `... 9 more items`, `[Function: f]`, ISO
 * dates, class-name prefixes, Chrome's collapsed previews `{…}` and `Array(2)`) are replaced,
 * outside string literals only, by string literals whose positions are remembered: the AST walk
 * turns exactly those literals into {@link Mark}s. A bare class name (Chrome's collapsed
 * `WapJid`) is a cut part too.
 * Parts cut by inspect's depth (`[Object]`, `[Array]`) stay JavaScript (an array holding one
 * identifier) and are recognised in the AST.
 */
import { parseExpressionAt } from "acorn";

/** What a value read from the text can be: JSON values, plus {@link Mark}s from inspect output. */
export type Val = string | number | boolean | null | undefined | Val[] | Obj | Mark;
/** An object read from the text (no prototype: any key is safe). */
export type Obj = { [key: string]: Val };

/**
 * Something the text shows that is not a plain value:
 * - `bytes`: `<Buffer …>` or `Uint8Array(n) [ … ]`; `more` bytes were not printed;
 * - `cut`: a part cut to `[Object]`, `[Array]`, `[Uint8Array]`… (`what` is the name);
 * - `more`: inspect's `... N more items|properties` (N entries not printed);
 * - `other`: a function, class, getter, circular reference, symbol, date or other expression.
 */
export class Mark {
  constructor(
    readonly kind: "bytes" | "cut" | "more" | "other",
    /** 1-based line in the input. */
    readonly line: number,
    readonly what = "",
    readonly bytes?: Uint8Array,
    /** Bytes, items or properties not printed. */
    readonly more = 0,
  ) {}
}

/** 1-based input lines of the objects and arrays read by {@link parseJsValue}. */
const LINES = new WeakMap<object, number>();

/** The input line of an object or array read by {@link parseJsValue} (`fallback` otherwise). */
export function lineOf(v: Val, fallback: number): number {
  return typeof v === "object" && v !== null ? (LINES.get(v) ?? fallback) : fallback;
}

/** A plain object (not an array, not a {@link Mark}). */
export function isObj(v: Val): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Mark);
}

const BUFFER = /<Buffer ?((?:[0-9a-fA-F]{2} ?)*)(?:\.\.\. (\d+) more bytes?)?>/y;
const REF = /<ref \*\d+>[ \t]*/y;
const MORE = /\.\.\. (\d+) more (?:items?|propert(?:y|ies))/y;
const SPECIAL =
  /\[(?:(?:Async)?(?:Generator)?Function\b[^\]\n]*|class\b[^\]\n]*|Getter(?:\/Setter)?|Setter|Circular \*\d+|Symbol\([^\]\n]*\))\]/y;
const NULL_PROTO = /\[(?:Object|Array): null prototype\][ \t]*/y;
const DATE = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z|Invalid Date/y;
const TYPED = /(Uint8Array|Uint8ClampedArray|Int8Array|Buffer)\((\d+)\) ?\[/y;
/** A class name before an object (`WapNode {`), or a subclass and length before an array (`Nodes(2) [`). */
const CLASS_PREFIX = /[A-Za-z_$][\w$]*(?:\(\d+\))?[ \t]*(?=\{)|[A-Za-z_$][\w$]*\(\d+\)[ \t]*(?=\[)/y;
const IDENT_START = /[A-Za-z_$]/;
/** Chrome console previews: a collapsed object `{…}`, a collapsed array `Array(2)`, an array length `(2) [`. */
const COLLAPSED_OBJECT = /\{…\}/y;
const COLLAPSED = /(Array|Uint8Array|Buffer|ArrayBuffer)\((\d+)\)(?![ \t]*\[)/y;
const ARRAY_LENGTH = /\(\d+\)[ \t]*(?=\[)/y;

/**
 * Rewrites inspect-only tokens outside string literals (see the module comment) and returns
 * the JavaScript text with the marks to put back, keyed by the offset of their literal. Line
 * breaks are kept, so acorn's line numbers are the input's.
 */
function sanitize(text: string, firstLine: number): { js: string; marks: Map<number, Mark> } {
  const marks = new Map<number, Mark>();
  let out = "";
  let from = 0;
  let line = firstLine;
  const stack: number[] = [];
  const put = (at: number, end: number, lit: string, mark: Mark) => {
    out += text.slice(from, at);
    marks.set(out.length, mark);
    out += lit;
    from = end;
  };
  const sticky = (re: RegExp, at: number): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(text);
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    else if (ch === 39 || ch === 34 || ch === 96) {
      // A string literal: skipped whole (escapes included); strings do not span lines.
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === ch || d === 10) break;
        else j++;
      }
      i = text.charCodeAt(j) === 10 ? j - 1 : j;
    } else if (ch === 40) {
      // Chrome's array length before an expanded array: `(3) [{…}, {…}, {…}]`.
      const m = sticky(ARRAY_LENGTH, i);
      if (m) {
        out += text.slice(from, i);
        from = i + m[0].length;
        i = from - 1;
      }
    } else if (ch === 123 || ch === 91) {
      let m = ch === 123 ? sticky(COLLAPSED_OBJECT, i) : null;
      if (m) {
        put(i, i + m[0].length, '""', new Mark("cut", line, "Object"));
        i += m[0].length - 1;
        continue;
      }
      m = ch === 91 ? sticky(NULL_PROTO, i) : null;
      if (m) {
        out += text.slice(from, i);
        from = i + m[0].length;
        i = from - 1;
        continue;
      }
      m = ch === 91 ? sticky(SPECIAL, i) : null;
      if (m) {
        put(i, i + m[0].length, '""', new Mark("other", line, m[0]));
        i += m[0].length - 1;
        continue;
      }
      stack.push(ch);
    } else if (ch === 125 || ch === 93) stack.pop();
    else if (ch === 60) {
      const m = sticky(BUFFER, i);
      const ref = m ? null : sticky(REF, i);
      if (m) {
        const hex = m[1].replace(/ /g, "");
        const bytes = new Uint8Array(hex.length / 2);
        for (let k = 0; k < bytes.length; k++) bytes[k] = Number.parseInt(hex.slice(2 * k, 2 * k + 2), 16);
        put(i, i + m[0].length, '""', new Mark("bytes", line, "Buffer", bytes, Number(m[2] ?? 0)));
        i += m[0].length - 1;
      } else if (ref) {
        out += text.slice(from, i);
        from = i + ref[0].length;
        i = from - 1;
      }
    } else if (ch === 46) {
      const m = sticky(MORE, i);
      if (m) {
        const mark = new Mark("more", line, m[0], undefined, Number(m[1]));
        put(i, i + m[0].length, stack[stack.length - 1] === 123 ? '"": 0' : '""', mark);
        i += m[0].length - 1;
      }
    } else if ((ch >= 48 && ch <= 57) || IDENT_START.test(text[i])) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
      // Only at the start of a token (not inside a number or a name).
      if ((prev >= 48 && prev <= 57) || IDENT_START.test(text[i - 1] ?? " ")) continue;
      let m = sticky(DATE, i);
      if (m) {
        put(i, i + m[0].length, '""', new Mark("other", line, m[0]));
        i += m[0].length - 1;
        continue;
      }
      m = sticky(COLLAPSED, i);
      if (m) {
        // Chrome's preview of a collapsed array or typed array: `Array(2)`, `Uint8Array(7)`.
        put(i, i + m[0].length, '""', new Mark("cut", line, m[1]));
        i += m[0].length - 1;
        continue;
      }
      m = sticky(TYPED, i);
      if (m) {
        // `Uint8Array(3) [ 1, 2, 3 ]` → `["", 1, 2, 3 ]`, the mark saying which typed array.
        out += text.slice(from, i);
        marks.set(out.length + 1, new Mark("bytes", line, m[1], undefined, Number(m[2])));
        out += '["",';
        from = i + m[0].length;
        stack.push(91);
        i = from - 1;
        continue;
      }
      m = sticky(CLASS_PREFIX, i);
      if (m) {
        out += text.slice(from, i);
        from = i + m[0].length;
        i = from - 1;
        continue;
      }
      // Skip the rest of the name or number.
      while (i + 1 < text.length && /[\w$.]/.test(text[i + 1])) i++;
    }
  }
  out += text.slice(from);
  return { js: out, marks };
}

/** An acorn AST node (the fields the walk reads). */
interface Ast {
  type: string;
  start: number;
  loc?: { start: { line: number } };
  [key: string]: unknown;
}

/**
 * A syntax error in a value, with the 1-based input line it is at. Internal control flow of
 * the object-form importers (see ../errors.ts): thrown by {@link parseJsValue} and caught by
 * the object sink, which turns it into an `ImportError`; it never leaves the importers.
 */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parses one JavaScript value (JSON included) printed by `console.log` / `util.inspect` that
 * starts at the beginning of `text` (text after it is ignored).
 * @param firstLine the input line of `text`'s first line (1-based).
 * @returns the value, with the line of every object and array (`lineOf`).
 * @throws {ValueError} when the text is not such a value (importers only; see `ValueError`).
 */
export function parseJsValue(text: string, firstLine = 1): Val {
  const { js, marks } = sanitize(text, firstLine);
  let ast: Ast;
  try {
    ast = parseExpressionAt(js, 0, { ecmaVersion: "latest", locations: true }) as unknown as Ast;
  } catch (e) {
    const err = e as { message?: string; loc?: { line: number } };
    const msg = String(err.message ?? e).replace(/ \(\d+:\d+\)$/, "");
    throw new ValueError(msg, firstLine + (err.loc?.line ?? 1) - 1);
  }
  return walk(ast, marks, firstLine);
}

const CUT_NAMES = /^(?:Object|Array|Buffer|Uint8Array|ArrayBuffer|[A-Z][\w$]*)$/;

function walk(n: Ast, marks: Map<number, Mark>, firstLine: number): Val {
  const line = firstLine + (n.loc?.start.line ?? 1) - 1;
  switch (n.type) {
    case "ObjectExpression": {
      const o: Obj = Object.create(null);
      LINES.set(o, line);
      for (const p of n.properties as Ast[]) {
        if (p.type !== "Property" || p.computed) continue;
        const k = p.key as Ast;
        const key =
          k.type === "Identifier" ? String(k.name) : k.type === "Literal" ? String(k.value) : undefined;
        if (key === undefined) continue;
        const mark = k.type === "Literal" ? marks.get(k.start) : undefined;
        if (mark) {
          // `... N more properties`, read as the key of a placeholder property.
          o[`\u0000more${k.start}`] = mark;
          continue;
        }
        o[key] = walk(p.value as Ast, marks, firstLine);
      }
      return o;
    }
    case "ArrayExpression": {
      const els = n.elements as (Ast | null)[];
      const only = els.length === 1 ? els[0] : null;
      if (only && only.type === "Identifier" && CUT_NAMES.test(String(only.name)))
        return new Mark("cut", line, String(only.name));
      const first = els[0];
      const typed = first ? marks.get(first.start) : undefined;
      if (typed?.kind === "bytes" && typed.bytes === undefined) {
        // `Uint8Array(n) [ … ]`: the numbers that were printed, and how many were not.
        const nums: number[] = [];
        let more = 0;
        for (const e of els.slice(1)) {
          const v = e ? walk(e, marks, firstLine) : undefined;
          if (typeof v === "number") nums.push(v);
          else if (v instanceof Mark && v.kind === "more") more += v.more;
        }
        return new Mark(
          "bytes",
          line,
          typed.what,
          Uint8Array.from(nums, (x) => x & 0xff),
          more,
        );
      }
      const a: Val[] = els.map((e) => (e ? walk(e, marks, firstLine) : undefined));
      LINES.set(a, line);
      return a;
    }
    case "Literal": {
      const mark = marks.get(n.start);
      if (mark) return mark;
      const v = n.value;
      if (typeof n.bigint === "string") return n.bigint;
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) return v;
      return new Mark("other", line, String(n.raw ?? ""));
    }
    case "Identifier":
      if (n.name === "undefined") return undefined;
      if (n.name === "NaN") return Number.NaN;
      if (n.name === "Infinity") return Number.POSITIVE_INFINITY;
      // A bare class name is a collapsed object in a console preview (`from: WapJid`).
      return new Mark(/^[A-Z]/.test(String(n.name)) ? "cut" : "other", line, String(n.name));
    case "UnaryExpression": {
      const v = walk(n.argument as Ast, marks, firstLine);
      if (typeof v === "number" && (n.operator === "-" || n.operator === "+"))
        return n.operator === "-" ? -v : v;
      return new Mark("other", line, String(n.operator));
    }
    case "BinaryExpression": {
      // inspect splits long strings with line breaks into `'a\n' +\n  'b'`.
      const l = walk(n.left as Ast, marks, firstLine);
      const r = walk(n.right as Ast, marks, firstLine);
      if (n.operator === "+" && typeof l === "string" && typeof r === "string") return l + r;
      return new Mark("other", line, "expression");
    }
    case "TemplateLiteral": {
      const q = n.quasis as { value: { cooked: string | null } }[];
      if ((n.expressions as unknown[]).length === 0 && q.length === 1 && q[0].value.cooked !== null)
        return q[0].value.cooked;
      return new Mark("other", line, "template");
    }
    default:
      return new Mark("other", line, n.type);
  }
}
