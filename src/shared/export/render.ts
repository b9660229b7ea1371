/**
 * Rendering helpers shared by the exporters: sanitized nodes as XML (codec `nodeToXml`, with
 * byte placeholders written as `[label: N bytes redacted]` text), an indented outline of the
 * tree, and the flat attribute list of wacrg capture records.
 */
import { base64ToBytes } from "../codec/bytetext";
import { nodeToXml } from "../codec/index";
import { isPortableBytes, type WANode } from "../codec/node";
import type { PortableNode } from "../trace/types";
import type { TraceBytes } from "../tracefile/types";

/** How a redacted or omitted payload is written in XML and outlines: `[enc: 196 bytes redacted]`. */
export function placeholderText(label: string, length: number): string {
  return `[${label}: ${length} bytes redacted]`;
}

/** Reads {@link placeholderText} back: `{ label, length }`, or `undefined` for any other text. */
export function parsePlaceholderText(text: string): { label: string; length: number } | undefined {
  const m = /^\[([^\]:]*): (\d+) bytes redacted\]$/.exec(text.trim());
  return m ? { label: m[1], length: Number(m[2]) } : undefined;
}

/** True when bytes content holds no bytes, only a length (placeholder or omitted by a log). */
export function isBytesPlaceholder(c: unknown): c is TraceBytes & { truncatedFrom: number } {
  return isPortableBytes(c) && c.b64 === "" && typeof c.truncatedFrom === "number";
}

/** The plain node for XML rendering: real bytes decoded, placeholders as their text. */
export function renderableNode(node: PortableNode): WANode {
  const out: WANode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(renderableNode);
  else if (isBytesPlaceholder(c)) out.content = placeholderText(c.redacted ?? node.tag, c.truncatedFrom);
  else if (isPortableBytes(c)) out.content = base64ToBytes(c.b64);
  else out.content = c;
  return out;
}

/**
 * A stanza as XML text (codec `nodeToXml`: attributes in wire order, bytes as `<!-- N bytes: hex -->`,
 * placeholders as `[label: N bytes redacted]`).
 * @param indent indentation per level, or `false` for one line.
 */
export function stanzaXml(node: PortableNode, indent: string | false = "  "): string {
  return nodeToXml(renderableNode(node), { indent });
}

function contentNote(node: PortableNode): string {
  const c = node.content;
  if (c === undefined || Array.isArray(c)) return "";
  if (isBytesPlaceholder(c))
    return ` — ${c.truncatedFrom} bytes (${c.redacted ? "redacted" : "not in the log"})`;
  if (isPortableBytes(c)) return ` — ${c.truncatedFrom ?? base64ToBytes(c.b64).length} bytes`;
  return ` — text, ${c.length} characters`;
}

/** An indented outline: `tag (k=v, …)` per node, with content sizes. */
export function outline(node: PortableNode, depth = 0): string[] {
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  const lines = [`${"  ".repeat(depth)}${node.tag}${attrs ? ` (${attrs})` : ""}${contentNote(node)}`];
  if (Array.isArray(node.content)) for (const c of node.content) lines.push(...outline(c, depth + 1));
  return lines;
}

/** Short notes for well-known attributes in capture records and issue bodies. */
export const ATTRIBUTE_NOTES: Readonly<Record<string, string>> = {
  id: "stanza id (pseudonym); acks and receipts answer it",
  "call-id": "call id (pseudonym); correlates every stanza of the call",
  "call-creator": "the caller's JID (pseudonym)",
  from: "sender JID (pseudonym)",
  to: "recipient JID (pseudonym)",
  t: "server timestamp, seconds relative to the trace's earliest",
  reason: "terminate/reject reason as on the wire",
  "transport-message-type": "1 relay candidate, 3 peer ICE candidate, 9 keepalive reply (SIG-05)",
  latency: "0x02000000 + RTT in ms (SIG-15)",
  "mute-state": "absolute mute state after the change (SIG-13)",
  class: "ack class",
  type: "acknowledged action or enc type",
};

/** Flat `name = value` attributes of a stanza, named by path (`offer.audio[2].rate`); the top level by bare name. */
export function flatAttributes(node: PortableNode): { name: string; value: string; note?: string }[] {
  const out: { name: string; value: string; note?: string }[] = [];
  const walk = (n: PortableNode, prefix: string): void => {
    for (const [k, v] of Object.entries(n.attrs)) {
      const name = prefix ? `${prefix}.${k}` : k;
      const note = ATTRIBUTE_NOTES[k];
      out.push(note ? { name, value: v, note } : { name, value: v });
    }
    if (!Array.isArray(n.content)) return;
    const counts = new Map<string, number>();
    for (const c of n.content) counts.set(c.tag, (counts.get(c.tag) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const c of n.content) {
      const i = (seen.get(c.tag) ?? 0) + 1;
      seen.set(c.tag, i);
      const seg = (counts.get(c.tag) ?? 0) > 1 ? `${c.tag}[${i}]` : c.tag;
      walk(c, prefix ? `${prefix}.${seg}` : seg);
    }
  };
  walk(node, "");
  return out;
}
