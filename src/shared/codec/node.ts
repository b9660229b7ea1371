/**
 * The one node model shared by every part of the extension, the CLI and the tests, and the one
 * set of accessors that read it (after whatsmeow's `binary.Node`: `GetChildren`,
 * `GetChildByTag`, `GetChildrenByTag`; attributes are read tolerantly, never with errors).
 *
 * A node is what WhatsApp's binary XML (WABinary, `WAWap` in WhatsApp Web) carries: a tag,
 * attributes in wire order, and optional content. JIDs are kept as their usual strings
 * (`user.agent:device@server`), never as objects. The shapes differ only in how they hold
 * binary content, which is the type parameter of {@link Node}:
 * - {@link WANode}: `Uint8Array` (the codec, the tap);
 * - {@link PortableNode}: `{ b64 }` (JSON-safe: extension messaging, storage, trace files);
 * - `LogNode` (`./logxml`): `Uint8Array` or `{ bytesOmitted }` (library debug logs).
 * Every accessor below works on each of them, and on a tree that mixes them ({@link AnyNode}).
 * Source: ../shared/research/wabinary.md §5, WhatsApp Web module `WAWap` (`WapNode`).
 */
import { base64ToBytes, bytesToBase64 } from "./bytetext";

/** A node whose binary content is held as `B`. Never throws: plain data. */
export interface Node<B = Uint8Array> {
  /** Element name, e.g. `call`, `offer`, `ack`. */
  tag: string;
  /** Attribute values as strings, in wire order (object insertion order). */
  attrs: Record<string, string>;
  /**
   * Child nodes, binary content (never decoded as text), or text content (only produced when a
   * token or packed string stands in content position). Absent when the node has no content.
   */
  content?: Node<B>[] | B | string;
}

/** The plain node: binary content as raw bytes. What the codec reads and writes. */
export type WANode = Node<Uint8Array>;

/** Binary content in JSON-safe form. */
export interface PortableBytes {
  /** Base64 (standard alphabet, padded) of the bytes. */
  b64: string;
  /** Original length in bytes, when larger than what `b64` holds (the tap copied only the first bytes). */
  truncatedFrom?: number;
}

/** A node in JSON-safe form: binary content is {@link PortableBytes}. What a trace holds. */
export type PortableNode = Node<PortableBytes>;

/** Binary content in either form. */
export type NodeBytes = Uint8Array | PortableBytes;

/** A plain or portable node (or a tree that mixes both): what the stanza readers accept. */
export type AnyNode = Node<NodeBytes>;

// ---------------------------------------------------------------------------------------------
// Children

/** The child nodes of `node`, in wire order; an empty array when its content is not a child list. */
export function getChildren<B>(node: Node<B>): Node<B>[] {
  return Array.isArray(node.content) ? (node.content as Node<B>[]) : [];
}

/** The first child with tag `tag`, or `undefined`. */
export function getChildByTag<B>(node: Node<B>, tag: string): Node<B> | undefined {
  return getChildren(node).find((c) => c.tag === tag);
}

/** Every child with tag `tag`, in wire order. */
export function getChildrenByTag<B>(node: Node<B>, tag: string): Node<B>[] {
  return getChildren(node).filter((c) => c.tag === tag);
}

// ---------------------------------------------------------------------------------------------
// Content

/** What a node carries: nothing, child nodes, binary content, or text. */
export type ContentKind = "none" | "children" | "bytes" | "text";

/** Whether a content value is {@link PortableBytes}. */
export function isPortableBytes(c: unknown): c is PortableBytes {
  return (
    typeof c === "object" && c !== null && !Array.isArray(c) && typeof (c as PortableBytes).b64 === "string"
  );
}

/** The kind of `node.content` (an unrecognised shape, such as omitted log bytes, counts as `none`). */
export function contentKind(node: Node<unknown>): ContentKind {
  const c = node.content;
  if (c === undefined || c === null) return "none";
  if (Array.isArray(c)) return "children";
  if (c instanceof Uint8Array || isPortableBytes(c)) return "bytes";
  if (typeof c === "string") return "text";
  return "none";
}

let encoder: TextEncoder | undefined;

/**
 * The content of `node` as bytes: raw bytes as they are, base64 (`{ b64 }`) decoded, text
 * as its UTF-8 bytes (wacrg REL-01: "node content MAY be raw bytes or UTF-8 text").
 * @returns `undefined` when the node has no content or child nodes.
 */
export function nodeBytes(node: Node<unknown>): Uint8Array | undefined {
  const c = node.content;
  if (c instanceof Uint8Array) return c;
  if (isPortableBytes(c)) return base64ToBytes(c.b64);
  if (typeof c === "string") {
    encoder ??= new TextEncoder();
    return encoder.encode(c);
  }
  return undefined;
}

/** The content as text: text as it is, bytes decoded as UTF-8 (lossy); else `undefined`. */
export function nodeText(node: Node<unknown>): string | undefined {
  const c = node.content;
  if (typeof c === "string") return c;
  const bytes = nodeBytes(node);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** Whether the tap kept only the first bytes of the content (so byte comparisons are unsafe). */
export function isTruncated(node: Node<unknown>): boolean {
  const c = node.content;
  return isPortableBytes(c) && typeof c.truncatedFrom === "number";
}

/**
 * The original byte length of the content, in bytes: the captured length, or the length before
 * the tap truncated it (`truncatedFrom`). 0 when there is no byte or text content.
 */
export function contentLength(node: Node<unknown>): number {
  const c = node.content;
  if (isPortableBytes(c) && typeof c.truncatedFrom === "number") return c.truncatedFrom;
  return nodeBytes(node)?.length ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Attributes

/**
 * Parses a canonical unsigned decimal attribute value (ASCII digits only, at most `maxDigits`
 * of them; 15 keeps every value an exact double).
 * @returns the number, or `undefined` for an absent, empty or non-decimal value.
 */
export function uintAttr(v: string | undefined, maxDigits = 15): number | undefined {
  if (v === undefined || v.length > maxDigits || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

// ---------------------------------------------------------------------------------------------
// Between the byte forms

/** The JSON-safe form of a plain node (bytes as base64). */
export function toPortable(node: WANode): PortableNode {
  const out: PortableNode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(toPortable);
  else if (c instanceof Uint8Array) out.content = { b64: bytesToBase64(c) };
  else out.content = c;
  return out;
}

/** The plain node of a JSON-safe node (base64 decoded; `truncatedFrom` is dropped). */
export function fromPortable(node: PortableNode): WANode {
  const out: WANode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(fromPortable);
  else if (isPortableBytes(c)) out.content = base64ToBytes(c.b64);
  else out.content = c;
  return out;
}
