/**
 * WABinary encoder: `WANode` → bytes, choosing every string form as WhatsApp Web's `WAWap`
 * encoder does (wabinary.md §4–§6).
 */
import { type Jid, type JidWireForm, jidForEncoding, serverToAdDomain, wireUser } from "./jid";
import type { WANode } from "./node";
import {
  AD_JID,
  BINARY_8,
  BINARY_20,
  BINARY_20_MAX,
  BINARY_32,
  BINARY_32_MAX,
  FB_JID,
  HEX_8,
  INTEROP_JID,
  JID_PAIR,
  LIST_8,
  LIST_16,
  LIST_EMPTY,
  MAX_DEPTH,
  MAX_LIST_SIZE,
  NIBBLE_8,
  PACKED_MAX,
} from "./tags";
import { DEFAULT_TABLES, type TokenLookup, type TokenTables, tokenLookup } from "./tokens";
import { utf8Length, utf8Write } from "./utf8";

/** Options for `encodeNode` / `encodeFrame`. */
export interface EncodeOptions {
  /** Token tables to use (e.g. from WhatsApp Web's `WAWapDict`); default: built-in v3. */
  tables?: TokenTables;
}

const PACK_NONE = 0;
const PACK_NIBBLE = 1;
const PACK_HEX = 2;

/** NIBBLE_8 value of a char code (`0-9`, `-` = 10, `.` = 11), or -1. */
function nibbleValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c === 45) return 10;
  if (c === 46) return 11;
  return -1;
}

/** HEX_8 value of a char code (`0-9`, uppercase `A-F` only, wabinary.md §4), or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Which packed form fits `s` (non-empty, at most PACKED_MAX chars); NIBBLE_8 is tried first. */
function packKind(s: string): number {
  let nibble = true;
  let hex = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (nibble && nibbleValue(c) < 0) nibble = false;
    if (hex && hexValue(c) < 0) hex = false;
    if (!nibble && !hex) return PACK_NONE;
  }
  return nibble ? PACK_NIBBLE : PACK_HEX;
}

/** Scratch buffer reused between calls (dropped when it grew large). */
let scratch: Uint8Array | undefined;
const SCRATCH_KEEP_MAX = 1 << 20;

class Writer {
  buf: Uint8Array;
  pos = 0;
  readonly lookup: TokenLookup;

  constructor(buf: Uint8Array, lookup: TokenLookup) {
    this.buf = buf;
    this.lookup = lookup;
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
  }

  listHeader(size: number): void {
    if (size < 256) {
      this.ensure(2);
      this.buf[this.pos++] = LIST_8;
      this.buf[this.pos++] = size;
    } else {
      this.byte(LIST_16);
      this.u16(size);
    }
  }

  /** BINARY_8 / BINARY_20 / BINARY_32 header for `len` bytes (wabinary.md §4). */
  binaryHeader(len: number): void {
    this.ensure(5 + len);
    const b = this.buf;
    if (len < 256) {
      b[this.pos++] = BINARY_8;
      b[this.pos++] = len;
    } else if (len <= BINARY_20_MAX) {
      b[this.pos++] = BINARY_20;
      b[this.pos++] = (len >>> 16) & 0x0f;
      b[this.pos++] = (len >>> 8) & 0xff;
      b[this.pos++] = len & 0xff;
    } else if (len <= BINARY_32_MAX) {
      b[this.pos++] = BINARY_32;
      b[this.pos++] = len >>> 24;
      b[this.pos++] = (len >>> 16) & 0xff;
      b[this.pos++] = (len >>> 8) & 0xff;
      b[this.pos++] = len & 0xff;
    } else {
      throw new RangeError(`value of ${len} bytes does not fit BINARY_32`);
    }
  }

  /**
   * A string in the first form that fits (WhatsApp Web order, wabinary.md §4): empty →
   * `FC 00`; single-byte token; dictionary token; JID; NIBBLE_8 / HEX_8 when < 128 chars;
   * raw UTF-8 with a BINARY length.
   */
  string(s: string): void {
    const n = s.length;
    if (n === 0) {
      this.ensure(2);
      this.buf[this.pos++] = BINARY_8;
      this.buf[this.pos++] = 0;
      return;
    }
    const code = this.lookup.get(s);
    if (code !== undefined) {
      if (code < 256) this.byte(code);
      else {
        this.ensure(2);
        this.buf[this.pos++] = code >>> 8;
        this.buf[this.pos++] = code & 0xff;
      }
      return;
    }
    // Packable strings are ASCII, so their UTF-8 length equals `s.length`.
    if (n <= PACKED_MAX) {
      const kind = packKind(s);
      if (kind !== PACK_NONE) {
        this.packed(s, kind);
        return;
      }
    }
    if (s.indexOf("@") >= 0) {
      const j = jidForEncoding(s);
      if (j !== undefined) {
        this.jid(j.jid, j.form);
        return;
      }
    }
    const { length, ascii } = utf8Length(s);
    this.binaryHeader(length);
    this.pos += utf8Write(s, ascii, this.buf, this.pos);
  }

  packed(s: string, kind: number): void {
    const n = s.length;
    const value = kind === PACK_NIBBLE ? nibbleValue : hexValue;
    this.ensure(2 + ((n + 1) >> 1));
    const b = this.buf;
    b[this.pos++] = kind === PACK_NIBBLE ? NIBBLE_8 : HEX_8;
    b[this.pos++] = ((n + 1) >> 1) | (n & 1 ? 0x80 : 0);
    for (let i = 0; i < n; i += 2) {
      const hi = value(s.charCodeAt(i));
      const lo = i + 1 < n ? value(s.charCodeAt(i + 1)) : 0x0f;
      b[this.pos++] = (hi << 4) | lo;
    }
  }

  /** JID forms (wabinary.md §6). INTEROP_JID omits the server string, as WhatsApp Web does. */
  jid(jid: Jid, form: JidWireForm): void {
    const user = wireUser(jid);
    switch (form) {
      case "jid-pair":
        this.byte(JID_PAIR);
        if (user === "") this.byte(LIST_EMPTY);
        else this.string(user);
        this.string(jid.server);
        return;
      case "ad-jid":
        this.ensure(3);
        this.buf[this.pos++] = AD_JID;
        this.buf[this.pos++] = serverToAdDomain(jid.server) ?? 0;
        this.buf[this.pos++] = jid.device ?? 0;
        this.string(user);
        return;
      case "fb-jid":
        this.byte(FB_JID);
        this.string(user);
        this.u16(jid.device ?? 0);
        this.string(jid.server);
        return;
      case "interop-jid":
        this.byte(INTEROP_JID);
        this.string(user);
        this.u16(jid.device ?? 0);
        this.u16(jid.integrator ?? 0);
        return;
    }
  }

  node(node: WANode, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError(`node nesting deeper than ${MAX_DEPTH} (or a cycle)`);
    if (node === null || typeof node !== "object" || typeof node.tag !== "string") {
      throw new TypeError("node must be an object with a string tag");
    }
    const attrs = node.attrs ?? {};
    const keys = Object.keys(attrs);
    const content = node.content;
    let hasContent: boolean;
    if (content === undefined || content === null) hasContent = false;
    else if (Array.isArray(content)) hasContent = content.length > 0;
    else if (typeof content === "string" || content instanceof Uint8Array) hasContent = true;
    else throw new TypeError(`<${node.tag}>: content must be WANode[], Uint8Array or string`);
    const size = 1 + 2 * keys.length + (hasContent ? 1 : 0);
    if (size > MAX_LIST_SIZE)
      throw new RangeError(`<${node.tag}>: ${keys.length} attributes do not fit LIST_16`);
    this.listHeader(size);
    this.string(node.tag);
    for (const key of keys) {
      const value = attrs[key];
      if (typeof value !== "string")
        throw new TypeError(`<${node.tag}> attribute ${key}: value must be a string`);
      this.string(key);
      this.string(value);
    }
    if (!hasContent) return;
    if (typeof content === "string") this.string(content);
    else if (content instanceof Uint8Array) {
      this.binaryHeader(content.length);
      this.buf.set(content, this.pos);
      this.pos += content.length;
    } else {
      const children = content as WANode[];
      if (children.length > MAX_LIST_SIZE) {
        throw new RangeError(`<${node.tag}>: ${children.length} children do not fit LIST_16`);
      }
      this.listHeader(children.length);
      for (const child of children) this.node(child, depth + 1);
    }
  }
}

function encode(node: WANode, flags: number | undefined, options: EncodeOptions | undefined): Uint8Array {
  const lookup = tokenLookup(options?.tables ?? DEFAULT_TABLES);
  // Take the scratch buffer (a re-entrant call, e.g. from a getter, just allocates its own).
  const buf = scratch ?? new Uint8Array(4096);
  scratch = undefined;
  const w = new Writer(buf, lookup);
  try {
    if (flags !== undefined) w.byte(flags);
    w.node(node, 1);
    return w.buf.slice(0, w.pos);
  } finally {
    if (w.buf.length <= SCRATCH_KEEP_MAX) scratch = w.buf;
  }
}

/**
 * Encodes a node WITHOUT the flags byte (wabinary.md §4–§6, WhatsApp Web `WAWap` encoder).
 *
 * Input: a `WANode`; attribute values and string content are written as: "" → `FC 00`,
 * token, dictionary token, JID (strings with a known server that parse and format back
 * identically: JID_PAIR without device, AD_JID for s.whatsapp.net/lid/hosted/hosted.lid
 * with device 1..255, FB_JID for `user:device@msgr`, INTEROP_JID without server string for
 * `integrator-user:device@interop`), NIBBLE_8 / HEX_8 (uppercase) below 128 chars, else raw
 * UTF-8 in BINARY_8/20/32. `Uint8Array` content → BINARY_8/20/32; an empty child array →
 * no content (as WA's `wap()` builder). Output: a new `Uint8Array` (bytes).
 *
 * Throws `TypeError` for values that are not a `WANode` (non-string tag/attribute, bad content
 * type) and `RangeError` for nodes the format cannot carry (over 65535 list items, binary over
 * 4 GiB, nesting deeper than `MAX_DEPTH` or cyclic). It never returns a `CodecError`.
 */
export function encodeNode(node: WANode, options?: EncodeOptions): Uint8Array {
  return encode(node, undefined, options);
}

/**
 * Encodes a frame: flags byte `0x00` (uncompressed, as senders write it, wabinary.md §1)
 * followed by `encodeNode(node)`. Same inputs and exceptions as `encodeNode`.
 */
export function encodeFrame(node: WANode, options?: EncodeOptions): Uint8Array {
  return encode(node, 0, options);
}
