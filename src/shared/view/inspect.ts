/**
 * The inspector's data: the selected stanza's attributes annotated from the vocabulary
 * (type, meaning, confidence, part codes; unknown attributes and values flagged), its
 * rule-check findings, and copy formats. Pure.
 */
import { fromPortable } from "../codec/node";
import { nodeToXml } from "../codec/xml";
import { checkCall, checkStanza, type RuleFinding } from "../rules/index";
import { type Confidence, enumValue, findUnknowns, lookupAttr, lookupTag } from "../spec/vocabulary";
import type { CallSummary } from "../trace/calls";
import type { CapturedStanza, PortableNode } from "../trace/types";

/** One attribute of the inspected stanza with what the vocabulary says about it. */
export interface AttributeRow {
  /** Element path, tags joined with `/` (repeated siblings get `[i]`). */
  path: string;
  /** Nesting depth of the element (0 = the stanza). */
  depth: number;
  name: string;
  value: string;
  /** Known to the vocabulary at this place. */
  known: boolean;
  type?: string;
  meaning?: string;
  /** For enum values: what this value means. */
  valueMeaning?: string;
  confidence?: Confidence;
  parts?: string[];
  /** Why the value does not fit (unknown enum value, not a number, …). */
  problem?: string;
}

/** One element of the inspected stanza, with its attributes. */
export interface ElementRow {
  path: string;
  depth: number;
  tag: string;
  known: boolean;
  meaning?: string;
  confidence?: Confidence;
  attributes: AttributeRow[];
  /** Byte length of binary content, when the element carries bytes. */
  bytes?: number;
}

/**
 * The stanza's elements and attributes, annotated from the vocabulary.
 * @param node the captured (portable) node.
 */
export function annotate(node: PortableNode): ElementRow[] {
  const problems = new Map<string, string>();
  const unknownTags = new Set<string>();
  for (const f of findUnknowns(node)) {
    if (f.kind === "unknown-value") problems.set(`${f.path}@${f.name}`, f.note ?? "unexpected value");
    if (f.kind === "unknown-tag") unknownTags.add(f.path);
  }
  const out: ElementRow[] = [];
  const visit = (n: PortableNode, tags: string[], path: string, depth: number, known: boolean) => {
    const spec = known ? lookupTag(tags) : undefined;
    const isKnown = known && spec !== undefined && !unknownTags.has(path);
    const row: ElementRow = {
      path,
      depth,
      tag: n.tag,
      known: isKnown,
      meaning: spec?.meaning,
      confidence: spec?.confidence,
      attributes: [],
    };
    for (const [name, value] of Object.entries(n.attrs ?? {})) {
      const a = isKnown ? lookupAttr(tags, name) : undefined;
      const attr: AttributeRow = { path, depth, name, value, known: a !== undefined };
      if (a) {
        attr.type = a.type;
        attr.meaning = a.meaning;
        attr.confidence = a.confidence;
        attr.parts = a.parts;
        if (a.type.startsWith("enum:")) attr.valueMeaning = enumValue(a.type.slice(5), value)?.meaning;
      }
      const problem = problems.get(`${path}@${name}`);
      if (problem) attr.problem = problem;
      row.attributes.push(attr);
    }
    const c = n.content;
    if (c && !Array.isArray(c) && typeof c === "object")
      row.bytes = c.truncatedFrom ?? Math.floor((c.b64.length * 3) / 4);
    out.push(row);
    if (Array.isArray(c)) {
      const counts = new Map<string, number>();
      for (const ch of c) counts.set(ch.tag, (counts.get(ch.tag) ?? 0) + 1);
      const seen = new Map<string, number>();
      for (const ch of c) {
        const i = seen.get(ch.tag) ?? 0;
        seen.set(ch.tag, i + 1);
        const childPath = `${path}/${ch.tag}${(counts.get(ch.tag) ?? 0) > 1 ? `[${i}]` : ""}`;
        visit(ch, [...tags, ch.tag], childPath, depth + 1, isKnown);
      }
    }
  };
  visit(node, [node.tag], node.tag, 0, true);
  return out;
}

/** The stanza as indented XML (bytes as hex comments, at most `maxBytes` each). */
export function stanzaXml(stanza: CapturedStanza, maxBytes = 256): string {
  if (!stanza.node) return `<!-- unreadable: ${stanza.error?.message ?? "?"} -->`;
  return nodeToXml(fromPortable(stanza.node), { maxBytes });
}

/** Hex of the raw bytes the tap kept for the stanza, when it kept any (unreadable stanzas). */
export function rawHex(stanza: CapturedStanza): string | undefined {
  return stanza.error?.hex;
}

/** Groups hex into lines of 16 bytes with offsets, for the raw-bytes view. */
export function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const chunk = hex.slice(i, i + 32);
    const bytes = chunk.match(/../g) ?? [];
    lines.push(`${(i / 2).toString(16).padStart(6, "0")}  ${bytes.join(" ")}`);
  }
  return lines.join("\n");
}

const stanzaFindingsCache = new WeakMap<CapturedStanza, RuleFinding[]>();
const callFindingsCache = new WeakMap<CallSummary, RuleFinding[]>();

/** Single-stanza rule-check findings (cached per stanza). */
export function stanzaFindings(stanza: CapturedStanza): RuleFinding[] {
  let f = stanzaFindingsCache.get(stanza);
  if (!f) {
    f = stanza.node ? checkStanza(stanza.node, stanza.direction, stanza.seq) : [];
    stanzaFindingsCache.set(stanza, f);
  }
  return f;
}

/**
 * Every finding of a call: its stanzas' single-stanza findings plus the whole-call checks
 * (cached per summary object, which the session index replaces when the call changes).
 */
export function callFindings(call: CallSummary): RuleFinding[] {
  let f = callFindingsCache.get(call);
  if (!f) {
    f = [];
    for (const e of call.entries) f.push(...stanzaFindings(e.stanza));
    f.push(...checkCall(call));
    callFindingsCache.set(call, f);
  }
  return f;
}

/** The findings that concern one stanza of a call (single-stanza and whole-call ones). */
export function findingsFor(stanza: CapturedStanza, call: CallSummary | undefined): RuleFinding[] {
  if (!call) return stanzaFindings(stanza);
  return callFindings(call).filter((f) => f.seq === stanza.seq);
}
