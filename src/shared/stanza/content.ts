/**
 * Reading node content the same way for every node shape: the plain node (`Uint8Array`
 * bytes), the JSON-safe node (`{ b64 }` bytes) and text content.
 * Used by the typed call model, the vocabulary and the rule checks. Never throws.
 */
import { base64ToBytes, bytesToHex } from "../trace/portable";
import type { NodeLike } from "./call";

/** What a node carries: nothing, child nodes, raw bytes, or text. */
export type ContentKind = "none" | "children" | "bytes" | "text";

function isB64(c: unknown): c is { b64: string; truncatedFrom?: number } {
  return typeof c === "object" && c !== null && typeof (c as { b64?: unknown }).b64 === "string";
}

/** The kind of `node.content` (an unrecognised shape counts as `none`). */
export function contentKind(node: NodeLike): ContentKind {
  const c = node.content;
  if (c === undefined || c === null) return "none";
  if (Array.isArray(c)) return "children";
  if (c instanceof Uint8Array || isB64(c)) return "bytes";
  if (typeof c === "string") return "text";
  return "none";
}

/** The child nodes of `node`; an empty array when its content is not a child list. */
export function nodeChildren(node: NodeLike): NodeLike[] {
  return Array.isArray(node.content) ? (node.content as NodeLike[]) : [];
}

/** The first child with tag `tag`, or `undefined`. */
export function childByTag(node: NodeLike, tag: string): NodeLike | undefined {
  return nodeChildren(node).find((c) => c.tag === tag);
}

/** Every child with tag `tag`, in wire order. */
export function childrenByTag(node: NodeLike, tag: string): NodeLike[] {
  return nodeChildren(node).filter((c) => c.tag === tag);
}

let encoder: TextEncoder | undefined;

/**
 * The content of `node` as bytes: raw bytes as they are, base64 (`{ b64 }`) decoded, text
 * as its UTF-8 bytes (wacrg REL-01: "node content MAY be raw bytes or UTF-8 text").
 * @returns `undefined` when the node has no content or child nodes.
 */
export function nodeBytes(node: NodeLike): Uint8Array | undefined {
  const c = node.content;
  if (c instanceof Uint8Array) return c;
  if (isB64(c)) return base64ToBytes(c.b64);
  if (typeof c === "string") {
    encoder ??= new TextEncoder();
    return encoder.encode(c);
  }
  return undefined;
}

/** The content as text: text as it is, bytes decoded as UTF-8 (lossy); else `undefined`. */
export function nodeText(node: NodeLike): string | undefined {
  const c = node.content;
  if (typeof c === "string") return c;
  const bytes = nodeBytes(node);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/**
 * The original byte length of the content, in bytes: the captured length, or the length before
 * the tap truncated it (`truncatedFrom`). 0 when there is no byte or text content.
 */
export function contentLength(node: NodeLike): number {
  const c = node.content;
  if (isB64(c) && typeof c.truncatedFrom === "number") return c.truncatedFrom;
  return nodeBytes(node)?.length ?? 0;
}

/** Whether the tap kept only the first bytes of the content (so byte comparisons are unsafe). */
export function isTruncated(node: NodeLike): boolean {
  const c = node.content;
  return isB64(c) && typeof c.truncatedFrom === "number";
}

/** Lowercase hex of `bytes`, bytes separated by spaces (e.g. `01 05 f7`). */
export function spacedHex(bytes: Uint8Array): string {
  return bytesToHex(bytes).replace(/(..)(?!$)/g, "$1 ");
}

/** Whether two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses a canonical unsigned decimal attribute value (digits only, at most 15 of them).
 * @returns the number, or `undefined` for an absent, empty or non-decimal value.
 */
export function uintAttr(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}
