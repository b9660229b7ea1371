/**
 * Strict reader for the XML that `nodeToXml` writes (and any well-formed XML of that shape):
 * text → `WANode`, built on fast-xml-parser. Never throws; failures come back as `XmlError`.
 *
 * Reading rules (the inverse of xml.ts):
 * - names are decoded with `decodeXmlName` (`_xHHHH_` escapes);
 * - attribute values and text are entity-decoded (`&amp; &lt; &gt; &quot; &apos;` and
 *   numeric references); CDATA sections are taken literally;
 * - `<t/>` → no content; `<t></t>` → text "" (the two are told apart by the source text);
 * - an element with child elements → children (blank text between them is layout);
 * - an element whose only non-blank content is a `BINARY_COMMENT` marker → bytes, one whose
 *   only content is the `EMPTY_CHILDREN_COMMENT` marker → `[]`;
 * - otherwise → its text, exactly (other comments are ignored);
 * - the XML declaration, processing instructions and top-level comments are ignored.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { XmlError } from "./errors";
import type { WANode } from "./node";
import { MAX_DEPTH } from "./tags";
import { BINARY_COMMENT, decodeXmlName, EMPTY_CHILDREN_COMMENT } from "./xml";

/**
 * Every element key gets this prefix inside the parser, so that no XML name can collide
 * with fast-xml-parser's own keys (`#text`, `:@`) or with names it refuses (`__proto__`,
 * `constructor`). Idempotent because fast-xml-parser may apply the transform twice.
 */
const KEY = "\u0000";
const prefix = (name: string): string => (name.charCodeAt(0) === 0 ? name : KEY + name);

let parser: XMLParser | undefined;
function getParser(): XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    allowBooleanAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false,
    commentPropName: "#comment",
    cdataPropName: "#cdata",
    textNodeName: "#text",
    captureMetaData: true,
    maxNestedTags: MAX_DEPTH + 1,
    transformTagName: prefix,
    transformAttributeName: prefix,
  });
  return parser;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** One entry of fast-xml-parser's `preserveOrder` output. */
type Item = { [key: string]: unknown; [key: symbol]: unknown };

interface Meta {
  startIndex?: number;
  endIndex?: number;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes entity references; `at` is reported on a bad reference. */
function decodeEntities(s: string, at: number): string | XmlError {
  if (s.indexOf("&") < 0) return s;
  let out = "";
  let last = 0;
  for (let i = s.indexOf("&"); i >= 0; i = s.indexOf("&", last)) {
    const end = s.indexOf(";", i);
    const ref = end < 0 ? "" : s.slice(i + 1, end);
    let ch: string | undefined;
    if (ref.startsWith("#x") || ref.startsWith("#X")) {
      if (/^[0-9a-fA-F]{1,6}$/.test(ref.slice(2))) ch = codePoint(Number.parseInt(ref.slice(2), 16));
    } else if (ref.startsWith("#")) {
      if (/^[0-9]{1,7}$/.test(ref.slice(1))) ch = codePoint(Number.parseInt(ref.slice(1), 10));
    } else if (Object.hasOwn(NAMED_ENTITIES, ref)) ch = NAMED_ENTITIES[ref];
    if (ch === undefined) {
      return new XmlError("bad-entity", `bad reference "&${ref.slice(0, 20)}${end < 0 ? "" : ";"}"`, at);
    }
    out += s.slice(last, i) + ch;
    last = end + 1;
  }
  return out + s.slice(last);
}

function codePoint(cp: number): string | undefined {
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** Parses the hex of a binary marker; `undefined` when it is truncated or inconsistent. */
function markerBytes(comment: string): Uint8Array | undefined {
  const m = BINARY_COMMENT.exec(comment);
  if (m === null || m[3] !== undefined) return undefined;
  const len = Number(m[1]);
  const hex = m[2];
  if (hex.length !== len * 2) return undefined;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function textOf(items: unknown): string {
  if (!Array.isArray(items)) return "";
  let s = "";
  for (const it of items as Item[]) if (typeof it["#text"] === "string") s += it["#text"];
  return s;
}

const isBlank = (s: string): boolean => /^[ \t\r\n]*$/.test(s);

/** The element key of an item (`\0`-prefixed), or `undefined` for text/comment/cdata. */
function elementKey(item: Item): string | undefined {
  for (const k in item) if (k.charCodeAt(0) === 0) return k;
  return undefined;
}

class Converter {
  constructor(readonly src: string) {}

  element(item: Item, key: string, depth: number): WANode | XmlError {
    const meta = (item[META] ?? {}) as Meta;
    const at = meta.startIndex ?? 0;
    if (depth > MAX_DEPTH) return new XmlError("limit-exceeded", `nesting deeper than ${MAX_DEPTH}`, at);
    const attrs: Record<string, string> = {};
    const rawAttrs = item[":@"] as Record<string, unknown> | undefined;
    if (rawAttrs !== undefined) {
      for (const k of Object.keys(rawAttrs)) {
        const raw = rawAttrs[k];
        if (typeof raw !== "string")
          return new XmlError("syntax", `attribute ${k.slice(1)} has no value`, at);
        const value = decodeEntities(raw, at);
        if (typeof value !== "string") return value;
        const name = decodeXmlName(k.slice(1));
        Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    const node: WANode = { tag: decodeXmlName(key.slice(1)), attrs };
    const items = (item[key] ?? []) as Item[];
    if (items.length === 0) {
      const end = meta.endIndex;
      const selfClosed = end !== undefined && this.src.slice(end - 2, end) === "/>";
      if (!selfClosed) node.content = "";
      return node;
    }
    const children: WANode[] = [];
    let text = "";
    let marker: Uint8Array | WANode[] | undefined;
    let markers = 0;
    for (const it of items) {
      const childKey = elementKey(it);
      if (childKey !== undefined) {
        const child = this.element(it, childKey, depth + 1);
        if (!("tag" in child)) return child;
        children.push(child);
      } else if (typeof it["#text"] === "string") {
        const t = decodeEntities(it["#text"], at);
        if (typeof t !== "string") return t;
        text += t;
      } else if ("#cdata" in it) {
        text += textOf(it["#cdata"]);
      } else if ("#comment" in it) {
        const c = textOf(it["#comment"]);
        if (c === EMPTY_CHILDREN_COMMENT) {
          marker = [];
          markers++;
        } else if (BINARY_COMMENT.test(c)) {
          const bytes = markerBytes(c);
          if (bytes === undefined) {
            return new XmlError("bad-bytes", "binary marker is truncated or its length and hex disagree", at);
          }
          marker = bytes;
          markers++;
        }
      }
    }
    if (markers > 0) {
      if (markers > 1 || children.length > 0 || !isBlank(text)) {
        return new XmlError("mixed-content", `<${node.tag}>: a content marker next to other content`, at);
      }
      node.content = marker;
    } else if (children.length > 0) {
      if (!isBlank(text)) {
        return new XmlError("mixed-content", `<${node.tag}>: child elements and text`, at);
      }
      node.content = children;
    } else {
      node.content = text;
    }
    return node;
  }
}

/** Character offset of 1-based `line`/`col` in `text`. */
function offsetOf(text: string, line: number, col: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return Math.min(text.length, pos + Math.max(0, col - 1));
}

/**
 * Reads every top-level element of `text` (XML as written by `nodeToXml`, or any
 * well-formed XML of that shape, see the module comment) in document order.
 * Returns the nodes (at least one) or an `XmlError` with a character offset: `syntax`
 * (not well-formed, as fast-xml-parser's validator reports it), `no-element`,
 * `mixed-content`, `bad-entity`, `bad-bytes`, `limit-exceeded`. Never throws.
 */
export function xmlToNodes(text: string): WANode[] | XmlError {
  const r = readAll(text);
  return Array.isArray(r) ? r.map((e) => e.node) : r;
}

function readAll(text: string): { node: WANode; at: number }[] | XmlError {
  if (typeof text !== "string") return new XmlError("no-element", "input is not a string", 0);
  if (!/<[^!?]/.test(text)) return new XmlError("no-element", "no element in the text", 0);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return new XmlError("syntax", msg, offsetOf(text, line ?? 1, col ?? 1));
  }
  let parsed: unknown;
  try {
    parsed = getParser().parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = /nest/i.test(msg) ? "limit-exceeded" : "syntax";
    return new XmlError(code, msg, 0);
  }
  const conv = new Converter(text);
  const nodes: { node: WANode; at: number }[] = [];
  for (const item of (Array.isArray(parsed) ? parsed : []) as Item[]) {
    const key = elementKey(item);
    if (key === undefined) {
      const t = item["#text"];
      if (typeof t === "string" && !isBlank(t))
        return new XmlError("trailing-text", "text outside elements", 0);
      continue;
    }
    const node = conv.element(item, key, 1);
    if (!("tag" in node)) return node;
    nodes.push({ node, at: ((item[META] ?? {}) as Meta).startIndex ?? 0 });
  }
  if (nodes.length === 0) return new XmlError("no-element", "no element in the text", 0);
  return nodes;
}

/**
 * Reads exactly one element: the inverse of `nodeToXml` (for every node, bytes included,
 * unless `maxBytes` truncated them). Returns the `WANode` or an `XmlError` (those of
 * `xmlToNodes`, plus `multiple-roots` at the second element). Never throws.
 */
export function xmlToNode(text: string): WANode | XmlError {
  const nodes = readAll(text);
  if (!Array.isArray(nodes)) return nodes;
  if (nodes.length > 1)
    return new XmlError("multiple-roots", `${nodes.length} top-level elements`, nodes[1].at);
  return nodes[0].node;
}
