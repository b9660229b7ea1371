/**
 * WABinary decoder: bytes → `WANode`. Never throws; failures come back as `CodecError` values.
 * Source: wabinary.md §1–§6; WhatsApp Web module `WAWap` (`decodeStanza`).
 */
import { unzlibSync } from "fflate";
import { CodecError, type CodecErrorCode } from "./errors";
import { adDomainToServer } from "./jid";
import type { WANode } from "./node";
import {
  AD_JID,
  BINARY_8,
  BINARY_20,
  BINARY_32,
  DICTIONARY_0,
  DICTIONARY_3,
  FB_JID,
  FLAG_COMPRESSED,
  HEX_8,
  INTEROP_JID,
  JID_PAIR,
  LIST_8,
  LIST_16,
  LIST_EMPTY,
  MAX_DEPTH,
  MAX_NODE_BYTES,
  MAX_STRING_BYTES,
  NIBBLE_8,
  SINGLE_BYTE_MAX,
} from "./tags";
import { DEFAULT_TABLES, type TokenTables } from "./tokens";
import { utf8Decode } from "./utf8";

/** Options for `decodeFrame` / `decodeNode`. */
export interface DecodeOptions {
  /** Token tables to use (e.g. from WhatsApp Web's `WAWapDict`); default: built-in v3. */
  tables?: TokenTables;
}

/** Decoded two-character strings for each packed byte (high nibble first). */
const NIBBLE_PAIRS: string[] = [];
const HEX_PAIRS: string[] = [];
{
  // NIBBLE_8: 0-9, 10 '-', 11 '.', 12-15 → U+FFFD as WhatsApp Web decodes them (wabinary.md §4;
  // Baileys maps 15 to "\0" and throws on 12-14).
  const nib = "0123456789-.\ufffd\ufffd\ufffd\ufffd";
  const hex = "0123456789ABCDEF";
  for (let b = 0; b < 256; b++) {
    NIBBLE_PAIRS.push(nib[b >> 4] + nib[b & 15]);
    HEX_PAIRS.push(hex[b >> 4] + hex[b & 15]);
  }
}

/** Smallest encoded node: `F8 01 <token>`. Used to reject impossible child counts early. */
const MIN_NODE_BYTES = 3;

class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  readonly tables: TokenTables;
  readonly region: "input" | "inflated";

  constructor(bytes: Uint8Array, pos: number, tables: TokenTables, region: "input" | "inflated") {
    this.bytes = bytes;
    this.pos = pos;
    this.end = bytes.length;
    this.tables = tables;
    this.region = region;
  }

  fail(code: CodecErrorCode, message: string, offset: number): never {
    throw new CodecError(code, message, offset, this.region);
  }

  /** Next byte; `ctx` is the start of the enclosing construct, reported on truncation. */
  next(ctx: number): number {
    if (this.pos >= this.end) this.fail("truncated", "unexpected end of data", ctx);
    return this.bytes[this.pos++];
  }

  /** Ensures `n` more bytes exist; `ctx` is the construct start reported on truncation. */
  need(n: number, ctx: number): void {
    if (n > this.end - this.pos) {
      this.fail("truncated", `declared length ${n} exceeds the ${this.end - this.pos} bytes left`, ctx);
    }
  }

  u16(ctx: number): number {
    this.need(2, ctx);
    const p = this.pos;
    this.pos = p + 2;
    return (this.bytes[p] << 8) | this.bytes[p + 1];
  }

  /** Size after a list tag (LIST_EMPTY = 0); any other tag is invalid here. */
  listSize(tag: number, tagOffset: number): number {
    if (tag === LIST_8) return this.next(tagOffset);
    if (tag === LIST_16) return this.u16(tagOffset);
    if (tag === LIST_EMPTY) return 0;
    return this.fail("invalid-tag", `expected a list tag, got 0x${hex2(tag)}`, tagOffset);
  }

  /** Length after a BINARY_8/20/32 tag (BINARY_20 masks its first byte with 0x0F). */
  binaryLength(tag: number, tagOffset: number): number {
    if (tag === BINARY_8) return this.next(tagOffset);
    if (tag === BINARY_20) {
      this.need(3, tagOffset);
      const b = this.bytes;
      const p = this.pos;
      this.pos = p + 3;
      return ((b[p] & 0x0f) << 16) | (b[p + 1] << 8) | b[p + 2];
    }
    this.need(4, tagOffset);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  node(depth: number, ctx: number): WANode {
    const start = this.pos;
    if (depth > MAX_DEPTH) this.fail("limit-exceeded", `nesting deeper than ${MAX_DEPTH}`, start);
    const size = this.listSize(this.next(ctx), start);
    if (size === 0) this.fail("invalid-node", "node list size is 0", start);
    // Every item (tag, key, value, content) takes at least one byte.
    this.need(size, start);
    const tagOffset = this.pos;
    const tagByte = this.next(start);
    if (tagByte === LIST_EMPTY) this.fail("invalid-node", "node has no tag", tagOffset);
    const tag = this.string(tagByte, tagOffset);
    const attrs: Record<string, string> = {};
    for (let n = (size - 1) >> 1; n > 0; n--) {
      const keyOffset = this.pos;
      const key = this.string(this.next(start), keyOffset);
      const valueOffset = this.pos;
      const value = this.string(this.next(start), valueOffset);
      if (key === "__proto__") {
        Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        attrs[key] = value;
      }
    }
    const node: WANode = { tag, attrs };
    if ((size & 1) === 0) {
      const content = this.content(depth, start);
      if (content !== undefined) node.content = content;
    }
    return node;
  }

  content(depth: number, ctx: number): WANode[] | Uint8Array | string | undefined {
    const start = this.pos;
    const t = this.next(ctx);
    switch (t) {
      case LIST_EMPTY:
        return undefined;
      case LIST_8:
      case LIST_16: {
        const n = this.listSize(t, start);
        if (n === 0) return undefined;
        if (n * MIN_NODE_BYTES > this.end - this.pos) {
          this.fail("truncated", `${n} children cannot fit in ${this.end - this.pos} bytes`, start);
        }
        const children: WANode[] = new Array(n);
        for (let i = 0; i < n; i++) children[i] = this.node(depth + 1, start);
        return children;
      }
      case BINARY_8:
      case BINARY_20:
      case BINARY_32: {
        const len = this.binaryLength(t, start);
        this.need(len, start);
        const p = this.pos;
        this.pos = p + len;
        return this.bytes.slice(p, p + len);
      }
      default:
        return this.string(t, start);
    }
  }

  /** A string value whose tag byte `t` sits at `start` (already consumed). LIST_EMPTY → "". */
  string(t: number, start: number): string {
    if (t >= 1 && t <= SINGLE_BYTE_MAX) {
      const token = this.tables.single[t];
      if (token === undefined || token === "") this.fail("invalid-token", `no single-byte token ${t}`, start);
      return token;
    }
    if (t >= DICTIONARY_0 && t <= DICTIONARY_3) {
      const index = this.next(start);
      const token = this.tables.double[t - DICTIONARY_0]?.[index];
      if (token === undefined || token === "") {
        this.fail("invalid-token", `no token ${index} in dictionary ${t - DICTIONARY_0}`, start);
      }
      return token;
    }
    switch (t) {
      case LIST_EMPTY:
        return "";
      case NIBBLE_8:
      case HEX_8:
        return this.packed(t, start);
      case BINARY_8:
      case BINARY_20:
      case BINARY_32: {
        const len = this.binaryLength(t, start);
        if (len > MAX_STRING_BYTES) this.fail("limit-exceeded", `string of ${len} bytes`, start);
        this.need(len, start);
        const p = this.pos;
        this.pos = p + len;
        return utf8Decode(this.bytes, p, p + len);
      }
      case JID_PAIR:
      case AD_JID:
      case FB_JID:
      case INTEROP_JID:
        return this.jid(t, start);
      default:
        return this.fail("invalid-tag", `invalid tag 0x${hex2(t)}`, start);
    }
  }

  packed(t: number, start: number): string {
    const head = this.next(start);
    const count = head & 0x7f;
    this.need(count, start);
    const pairs = t === NIBBLE_8 ? NIBBLE_PAIRS : HEX_PAIRS;
    const b = this.bytes;
    const p = this.pos;
    let s = "";
    for (let i = 0; i < count; i++) s += pairs[b[p + i]];
    this.pos = p + count;
    // Odd length: the last nibble is padding (normally 0xF) and is dropped.
    return head & 0x80 ? s.slice(0, -1) : s;
  }

  /** A JID component: any non-JID string form (nested JIDs are rejected). */
  jidPart(ctx: number): string {
    const offset = this.pos;
    const t = this.next(ctx);
    if (t === JID_PAIR || t === AD_JID || t === FB_JID || t === INTEROP_JID) {
      this.fail("invalid-jid", "nested JID inside a JID", offset);
    }
    return this.string(t, offset);
  }

  jid(t: number, start: number): string {
    switch (t) {
      case JID_PAIR: {
        // User LIST_EMPTY = no user: the JID is the bare server (WapJid type 0 with null user).
        let user: string | undefined;
        if (this.pos < this.end && this.bytes[this.pos] === LIST_EMPTY) this.pos++;
        else user = this.jidPart(start);
        const serverOffset = this.pos;
        if (this.pos < this.end && this.bytes[this.pos] === LIST_EMPTY) {
          this.fail("invalid-jid", "JID_PAIR without a server", serverOffset);
        }
        const server = this.jidPart(start);
        return user === undefined ? server : `${user}@${server}`;
      }
      case AD_JID: {
        const domainOffset = this.pos;
        const domain = this.next(start);
        const server = adDomainToServer(domain);
        if (server === undefined) this.fail("invalid-jid", `unknown AD_JID domain ${domain}`, domainOffset);
        const device = this.next(start);
        const user = this.jidPart(start);
        return device === 0 ? `${user}@${server}` : `${user}:${device}@${server}`;
      }
      case FB_JID: {
        // Always `user:device@server`, device 0 included (WapJid type 3 `toString()`).
        const user = this.jidPart(start);
        const device = this.u16(start);
        const server = this.jidPart(start);
        return `${user}:${device}@${server}`;
      }
      default: {
        // INTEROP_JID: WhatsApp Web reads the server string although its encoder omits it
        // (wabinary.md §6/§7); we follow the WA decoder.
        const user = this.jidPart(start);
        const device = this.u16(start);
        const integrator = this.u16(start);
        const server = this.jidPart(start);
        return `${integrator}-${user}:${device}@${server}`;
      }
    }
  }
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

/** Decodes one node occupying `bytes[pos..]` exactly. */
function decodeRoot(
  bytes: Uint8Array,
  pos: number,
  tables: TokenTables,
  region: "input" | "inflated",
): WANode | CodecError {
  if (pos >= bytes.length)
    return new CodecError("empty-frame", "no node in frame", Math.max(0, pos - 1), region);
  if (bytes.length - pos > MAX_NODE_BYTES) {
    return new CodecError("limit-exceeded", `node larger than ${MAX_NODE_BYTES} bytes`, pos, region);
  }
  const r = new Reader(bytes, pos, tables, region);
  try {
    const node = r.node(1, pos);
    if (r.pos !== bytes.length) {
      return new CodecError("trailing-bytes", `${bytes.length - r.pos} bytes after the node`, r.pos, region);
    }
    return node;
  } catch (e) {
    if (e instanceof CodecError) return e;
    return new CodecError("internal", `decoder failure: ${String(e)}`, Math.min(r.pos, bytes.length), region);
  }
}

/**
 * Decodes a node WITHOUT the leading flags byte (e.g. the payload after inflation).
 *
 * Input: the encoded node bytes (a `Uint8Array` or `ArrayBuffer`, not modified or retained).
 * Output: a `WANode` (attributes as strings in wire order; JIDs formatted as strings; binary
 * content copied into a new `Uint8Array`; token/packed/JID content as a string; empty child
 * lists and LIST_EMPTY content → no `content`), or a `CodecError` (`empty-frame`,
 * `truncated`, `invalid-tag`, `invalid-token`, `invalid-jid`, `invalid-node`, `limit-exceeded`,
 * `trailing-bytes`) whose `offset` is a byte offset into `bytes`. Never throws.
 * Source: wabinary.md §2–§6.
 */
export function decodeNode(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): WANode | CodecError {
  return decodeRoot(asBytes(bytes), 0, options?.tables ?? DEFAULT_TABLES, "input");
}

/**
 * Decodes a decrypted frame: flags byte + node (wabinary.md §1; `WAWap.decodeStanza`).
 *
 * When flags bit 0x02 is set the rest is zlib data, inflated synchronously with fflate's
 * `unzlibSync` into a buffer bounded by `MAX_NODE_BYTES`; other flag bits are ignored, as
 * WhatsApp Web does. Returns the node or a `CodecError`: the `decodeNode` errors, plus
 * `empty-frame` (no bytes / no node), `inflate-failed` (corrupt zlib, offset 1) and
 * `limit-exceeded` (inflated size over the bound). Errors inside an inflated payload have
 * `region: "inflated"` and an offset into the inflated bytes. Never throws.
 */
export function decodeFrame(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): WANode | CodecError {
  const frame = asBytes(bytes);
  const tables = options?.tables ?? DEFAULT_TABLES;
  if (frame.length === 0) return new CodecError("empty-frame", "empty frame", 0);
  if ((frame[0] & FLAG_COMPRESSED) === 0) return decodeRoot(frame, 1, tables, "input");
  if (frame.length === 1) return new CodecError("empty-frame", "compressed frame without payload", 0);
  const data = frame.subarray(1);
  // 2 header bytes + at least 1 DEFLATE byte + 4 Adler-32 bytes; fflate would return its
  // whole output buffer for an empty DEFLATE body.
  if (data.length < 7) return new CodecError("inflate-failed", "zlib payload too short", 1);
  // DEFLATE expands at most ~1032:1, so a small payload never needs the full bound. fflate
  // silently truncates at the end of `out`, so a full buffer means "maybe more": try a modest
  // buffer first, then the bound.
  const cap = Math.min(MAX_NODE_BYTES + 1, data.length * 1040 + 4096);
  let inflated: Uint8Array | undefined;
  for (const size of [Math.min(cap, Math.max(1 << 16, data.length * 16)), cap]) {
    try {
      inflated = unzlibSync(data, { out: new Uint8Array(size) });
    } catch (e) {
      return new CodecError("inflate-failed", `zlib: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
    if (inflated.length < size) break;
    if (size === cap) return new CodecError("limit-exceeded", `inflated payload exceeds ${cap - 1} bytes`, 1);
  }
  if (inflated === undefined) return new CodecError("internal", "inflate produced nothing", 1);
  if (inflated.length === 0) return new CodecError("empty-frame", "compressed payload is empty", 1);
  return decodeRoot(inflated, 0, tables, "inflated");
}
