/**
 * WABinary encoder: `WANode` → bytes, choosing every string form as WhatsApp Web's `WAWap`
 * encoder does (wabinary.md §4–§6).
 */
import { JID_SERVERS, SERVER, serverToAdDomain } from "./jid";
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

/**
 * Per ASCII char code: bit PACK_NIBBLE when it is a NIBBLE_8 char (`0-9 - .`), bit PACK_HEX
 * when it is a HEX_8 char (`0-9`, uppercase `A-F` only, wabinary.md §4).
 */
const PACK_CLASS = new Uint8Array(128);
/** Nibble value of a packable char (NIBBLE_8: `-` = 10, `.` = 11; HEX_8: `A-F` = 10..15). */
const NIBBLE_VALUE = new Uint8Array(128);
const HEX_VALUE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) {
  PACK_CLASS[c] = PACK_NIBBLE | PACK_HEX;
  NIBBLE_VALUE[c] = c - 48;
  HEX_VALUE[c] = c - 48;
}
PACK_CLASS[45] = PACK_NIBBLE;
NIBBLE_VALUE[45] = 10;
PACK_CLASS[46] = PACK_NIBBLE;
NIBBLE_VALUE[46] = 11;
for (let c = 65; c <= 70; c++) {
  PACK_CLASS[c] = PACK_HEX;
  HEX_VALUE[c] = c - 55;
}

/** Which packed form fits `s` (non-empty, at most PACKED_MAX chars); NIBBLE_8 is preferred. */
function packKind(s: string): number {
  let kinds = PACK_NIBBLE | PACK_HEX;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    kinds &= c < 128 ? PACK_CLASS[c] : 0;
    if (kinds === 0) return PACK_NONE;
  }
  return kinds & PACK_NIBBLE ? PACK_NIBBLE : PACK_HEX;
}

const maxTokenLengths = new WeakMap<TokenLookup, number>();

/** Length of the longest token of `lookup` (cached): longer strings skip the token lookup. */
function maxTokenLength(lookup: TokenLookup): number {
  let max = maxTokenLengths.get(lookup);
  if (max === undefined) {
    max = 0;
    for (const token of lookup.keys()) if (token.length > max) max = token.length;
    maxTokenLengths.set(lookup, max);
  }
  return max;
}

/** Known JID servers by length, for `knownServer`. */
const SERVERS_BY_LENGTH: string[][] = [];
for (const server of JID_SERVERS) {
  SERVERS_BY_LENGTH[server.length] ??= [];
  SERVERS_BY_LENGTH[server.length].push(server);
}

/** The known server (`JID_SERVERS`) that `s` ends with from `from` on, or `undefined`. */
function knownServer(s: string, from: number): string | undefined {
  const candidates = SERVERS_BY_LENGTH[s.length - from];
  if (candidates === undefined) return undefined;
  for (const server of candidates) if (s.startsWith(server, from)) return server;
  return undefined;
}

/** `s[from, to)` as a canonical unsigned decimal (no sign, no leading zero) up to `max`; else -1. */
function canonicalUint(s: string, from: number, to: number, max: number): number {
  const n = to - from;
  if (n <= 0 || n > 10 || (n > 1 && s.charCodeAt(from) === 48)) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= max ? v : -1;
}

/** Scratch buffer reused between calls (dropped when it grew large). */
let scratch: Uint8Array | undefined;
const SCRATCH_KEEP_MAX = 1 << 20;

class Writer {
  buf: Uint8Array;
  pos = 0;
  readonly lookup: TokenLookup;
  readonly maxToken: number;

  constructor(buf: Uint8Array, lookup: TokenLookup) {
    this.buf = buf;
    this.lookup = lookup;
    this.maxToken = maxTokenLength(lookup);
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
    const code = n <= this.maxToken ? this.lookup.get(s) : undefined;
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
    const at = s.indexOf("@");
    if (at >= 0 && this.jidString(s, at)) return;
    const { length, ascii } = utf8Length(s);
    this.binaryHeader(length);
    this.pos += utf8Write(s, ascii, this.buf, this.pos);
  }

  /**
   * Writes `s` (with its first `@` at `at`) as a JID when `jidForEncoding(s)` would accept it,
   * without building objects: the same rules, checked on the string in place. Returns false
   * (nothing written) for strings that stay plain strings.
   */
  jidString(s: string, at: number): boolean {
    const n = s.length;
    if (at === 0 || at === n - 1 || s.indexOf("@", at + 1) >= 0) return false;
    const server = knownServer(s, at + 1);
    if (server === undefined) return false;
    const colon = s.indexOf(":");
    if (colon < 0 || colon > at) {
      // No device: JID_PAIR with the whole user part (agent and integrator stay in it).
      this.byte(JID_PAIR);
      this.string(s.slice(0, at));
      this.string(server);
      return true;
    }
    if (colon === 0 || s.indexOf(":", colon + 1) >= 0) return false;
    const device = canonicalUint(s, colon + 1, at, 0xffff);
    if (device < 0) return false;
    if (server === SERVER.MESSENGER) {
      this.byte(FB_JID);
      this.string(s.slice(0, colon));
      this.u16(device);
      this.string(server);
      return true;
    }
    if (server === SERVER.INTEROP) {
      const dash = s.indexOf("-");
      if (dash <= 0 || dash >= colon - 1) return false;
      const integrator = canonicalUint(s, 0, dash, 0xffff);
      if (integrator < 0) return false;
      this.byte(INTEROP_JID);
      this.string(s.slice(dash + 1, colon));
      this.u16(device);
      this.u16(integrator);
      return true;
    }
    const domain = serverToAdDomain(server);
    if (domain === undefined || device < 1 || device > 0xff) return false;
    this.ensure(3);
    this.buf[this.pos++] = AD_JID;
    this.buf[this.pos++] = domain;
    this.buf[this.pos++] = device;
    this.string(s.slice(0, colon));
    return true;
  }

  packed(s: string, kind: number): void {
    const n = s.length;
    const value = kind === PACK_NIBBLE ? NIBBLE_VALUE : HEX_VALUE;
    this.ensure(2 + ((n + 1) >> 1));
    const b = this.buf;
    let p = this.pos;
    b[p++] = kind === PACK_NIBBLE ? NIBBLE_8 : HEX_8;
    b[p++] = ((n + 1) >> 1) | (n & 1 ? 0x80 : 0);
    const even = n & ~1;
    for (let i = 0; i < even; i += 2) b[p++] = (value[s.charCodeAt(i)] << 4) | value[s.charCodeAt(i + 1)];
    if (n & 1) b[p++] = (value[s.charCodeAt(n - 1)] << 4) | 0x0f;
    this.pos = p;
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
