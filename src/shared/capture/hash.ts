/**
 * Content hash of a node, independent of the form a tap saw it in: WhatsApp's `WapNode`
 * before encoding, our codec's decode of the wire bytes, or a normalized copy. Pure; runs in
 * pages, workers and Node.
 *
 * Canonical form (so that the same stanza hashes the same from every tap):
 * - attributes sorted by key; attributes whose value is `""` are left out (the
 *   whatsapp-rust-bridge encoder drops them on the wire, WA's `DROP_ATTR` never reaches it);
 * - string content hashes as its UTF-8 bytes (WA and the codec normalise string content to bytes);
 * - an empty child list hashes like no content (WA's `wap()` turns `[]` into `null`, Baileys
 *   writes LIST_EMPTY; wabinary.md §5).
 */
import type { WANode } from "../codec/node";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Two 32-bit FNV-1a-style lanes over UTF-16 code units, bytes and lengths: 64 bits, so
 * collisions between distinct stanzas (which must also share direction, tag and id to
 * matter) are negligible. Not cryptographic.
 */
class Fnv64 {
  a = FNV_OFFSET;
  b = FNV_OFFSET ^ 0x5bd1e995;

  byte(x: number): void {
    this.a = Math.imul(this.a ^ x, FNV_PRIME);
    this.b = Math.imul(this.b ^ ((x + 0x9e) & 0xff), FNV_PRIME);
  }

  /** Hashes a string as UTF-16 code units (one step per unit) plus its length. */
  str(s: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, FNV_PRIME);
      b = Math.imul(b ^ (c + 0x9e), FNV_PRIME);
    }
    this.a = a;
    this.b = b;
    this.u32(s.length);
  }

  bytes(u8: Uint8Array): void {
    this.u32(u8.length);
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < u8.length; i++) {
      const x = u8[i];
      a = Math.imul(a ^ x, FNV_PRIME);
      b = Math.imul(b ^ ((x + 0x9e) & 0xff), FNV_PRIME);
    }
    this.a = a;
    this.b = b;
  }

  u32(n: number): void {
    this.a = Math.imul(this.a ^ n, FNV_PRIME);
    this.b = Math.imul(this.b ^ (n + 0x9e3779b9), FNV_PRIME);
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, "0") + (this.b >>> 0).toString(16).padStart(8, "0");
  }
}

const encoder = new TextEncoder();

function hashNode(h: Fnv64, node: WANode, depth: number): void {
  h.byte(0x01);
  h.str(node.tag);
  const keys = Object.keys(node.attrs)
    .filter((k) => node.attrs[k] !== "")
    .sort();
  h.u32(keys.length);
  for (const k of keys) {
    h.str(k);
    h.str(node.attrs[k]);
  }
  const c = node.content;
  if (c === undefined || (Array.isArray(c) && c.length === 0)) {
    h.byte(0x00);
  } else if (Array.isArray(c)) {
    h.byte(0x02);
    h.u32(c.length);
    if (depth < 64) for (const child of c) hashNode(h, child, depth + 1);
  } else if (typeof c === "string") {
    h.byte(0x03);
    h.bytes(encoder.encode(c));
  } else {
    h.byte(0x03);
    h.bytes(c);
  }
  h.byte(0x04);
}

/**
 * 64-bit content hash of a node in canonical form (see the module comment), as 16 hex digits.
 * Deterministic across contexts; never throws for a well-formed `WANode`.
 */
export function nodeHash(node: WANode): string {
  const h = new Fnv64();
  hashNode(h, node, 0);
  return h.hex();
}

/** 64-bit FNV-1a hash of raw bytes, as 16 hex digits (for frames that could not be decoded). */
export function bytesHash(bytes: Uint8Array): string {
  const h = new Fnv64();
  h.bytes(bytes);
  return h.hex();
}
