/**
 * WABinary decoder: bytes → `WANode`. Never throws; failures come back as `CodecError` values.
 * Source: wabinary.md §1–§6; WhatsApp Web module `WAWap` (`decodeStanza`).
 *
 * Implementation notes (speed): the reader state lives in module variables (the decoder calls
 * no user code, so it is never re-entered); every declared length is checked against the
 * bytes left before anything is allocated; binary values of more than 64 bytes are views into
 * ONE private copy of the frame (made at the first such value), because a fresh off-heap
 * `ArrayBuffer` per value costs far more than copying the bytes; short packed, raw and JID
 * strings are interned by their exact bytes (see `CACHE_SLOTS`).
 */
import { gunzipSync, inflateSync, unzlibSync } from "fflate";
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

/**
 * Work and allocation counters of one decode, filled in when passed as
 * `DecodeOptions.stats` (for tests and tooling; see `MAX_DECODE_STEPS_PER_BYTE` and
 * `MAX_DECODE_ALLOC_PER_BYTE` in tags.ts for the bounds they obey).
 */
export interface DecodeStats {
  /** Bytes of the encoded node that were decoded (after the flags byte; inflated size when compressed). */
  inputBytes: number;
  /** Steps: one per node, string and content item read, plus one per payload byte copied or decoded. */
  steps: number;
  /**
   * Bytes of memory requested for values: binary copies (the shared frame copy counted once),
   * 2 per decoded string character (token strings are shared and not counted), 8 per
   * child-array slot. Counted at the allocation site with the size actually requested.
   */
  allocatedBytes: number;
}

/** Options for `decodeFrame` / `decodeNode`. */
export interface DecodeOptions {
  /** Token tables to use (e.g. from WhatsApp Web's `WAWapDict`); default: built-in v3. */
  tables?: TokenTables;
  /** When given, overwritten with the counters of this call (also on failure). */
  stats?: DecodeStats;
}

/** Decoded two-character strings for each packed byte (high nibble first), and the high nibble alone. */
const NIBBLE_PAIRS: string[] = [];
const HEX_PAIRS: string[] = [];
const NIBBLE_HIGH: string[] = [];
const HEX_HIGH: string[] = [];
{
  // NIBBLE_8: 0-9, 10 '-', 11 '.', 12-15 → U+FFFD as WhatsApp Web decodes them (wabinary.md §4;
  // Baileys maps 15 to "\0" and throws on 12-14).
  const nib = "0123456789-.\ufffd\ufffd\ufffd\ufffd";
  const hex = "0123456789ABCDEF";
  for (let b = 0; b < 256; b++) {
    NIBBLE_PAIRS.push(nib[b >> 4] + nib[b & 15]);
    HEX_PAIRS.push(hex[b >> 4] + hex[b & 15]);
    NIBBLE_HIGH.push(nib[b >> 4]);
    HEX_HIGH.push(hex[b >> 4]);
  }
}

/**
 * Small-string cache (the technique msgpack decoders use for map keys): packed and raw strings
 * of up to `CACHE_MAX_BYTES` encoded bytes are looked up by their exact bytes in a
 * direct-mapped table before being decoded. JID users, call-ids, timestamps and names repeat
 * across the stanzas of a session, and a hash plus a byte compare costs far less than
 * building the string. Entries are compared byte for byte, so a hit is always exact.
 */
const CACHE_SLOTS = 1024;
const CACHE_MAX_BYTES = 32;
const CACHE_STRIDE = CACHE_MAX_BYTES + 2;
/** Per slot: kind, length, then the encoded bytes. */
const cacheKeys = new Uint8Array(CACHE_SLOTS * CACHE_STRIDE);
const cacheValues: string[] = new Array<string>(CACHE_SLOTS).fill("");
/** Cache kinds: 1-4 packed NIBBLE/HEX even/odd, raw UTF-8, whole JID. 0 marks an empty slot. */
const KIND_RAW = 5;
const KIND_JID = 6;
/** The tables the cached JIDs were decoded with (JID parts may be tokens). */
let cacheTables: TokenTables | undefined;

/** Slot of the last `cached` lookup. */
let slot = 0;

/** The cached string for `kind` + `buf[p, p+len)`, or `undefined` (then `slot` is where it goes). */
function cached(kind: number, p: number, len: number): string | undefined {
  // Hash the kind, the length and up to 4 bytes at each end (device bytes, digits that differ).
  let h = Math.imul(kind * 131 + len, 0x9e3779b1);
  const head = len < 4 ? len : 4;
  for (let i = 0; i < head; i++) h = Math.imul(h ^ buf[p + i], 0x01000193);
  for (let i = len - 4 > head ? len - 4 : head; i < len; i++) h = Math.imul(h ^ buf[p + i], 0x01000193);
  slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
  const base = slot * CACHE_STRIDE;
  if (cacheKeys[base] !== kind || cacheKeys[base + 1] !== len) return undefined;
  for (let i = 0; i < len; i++) if (cacheKeys[base + 2 + i] !== buf[p + i]) return undefined;
  return cacheValues[slot];
}

/** Stores `value` for `kind` + `buf[p, p+len)` in slot `at`. */
function remember(at: number, kind: number, p: number, len: number, value: string): string {
  const base = at * CACHE_STRIDE;
  cacheKeys[base] = kind;
  cacheKeys[base + 1] = len;
  for (let i = 0; i < len; i++) cacheKeys[base + 2 + i] = buf[p + i];
  cacheValues[at] = value;
  return value;
}

/** Smallest encoded node: `F8 01 <token>`. Used to reject impossible child counts early. */
const MIN_NODE_BYTES = 3;
/** Binary values up to this size get their own (on-heap) copy; larger ones share one frame copy. */
const SMALL_BINARY = 64;

// Reader state (one decode at a time; see the module comment).
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
let single: readonly string[] = DEFAULT_TABLES.single;
let double: readonly (readonly string[])[] = DEFAULT_TABLES.double;
let region: "input" | "inflated" = "input";
/** True when `buf` is private to the decoder (inflated), so values may be views into it. */
let owned = false;
/** Private copy of `buf[arenaBase..end)` (its own ArrayBuffer, offset 0), made at the first large binary value. */
let arena: Uint8Array | undefined;
let arenaBase = 0;
let steps = 0;
let alloc = 0;

function fail(code: CodecErrorCode, message: string, offset: number): never {
  throw new CodecError(code, message, offset, region);
}

function truncated(n: number, ctx: number): never {
  return fail("truncated", `declared length ${n} exceeds the ${end - pos} bytes left`, ctx);
}

/** Next byte; `ctx` is the start of the enclosing construct, reported on truncation. */
function next(ctx: number): number {
  if (pos >= end) fail("truncated", "unexpected end of data", ctx);
  return buf[pos++];
}

function u16(ctx: number): number {
  if (end - pos < 2) truncated(2, ctx);
  const p = pos;
  pos = p + 2;
  return (buf[p] << 8) | buf[p + 1];
}

/** Size after a list tag (LIST_EMPTY = 0); any other tag is invalid here. */
function listSize(tag: number, tagOffset: number): number {
  if (tag === LIST_8) return next(tagOffset);
  if (tag === LIST_16) return u16(tagOffset);
  if (tag === LIST_EMPTY) return 0;
  return fail("invalid-tag", `expected a list tag, got 0x${hex2(tag)}`, tagOffset);
}

/** Length after a BINARY_8/20/32 tag (BINARY_20 masks its first byte with 0x0F). */
function binaryLength(tag: number, tagOffset: number): number {
  if (tag === BINARY_8) return next(tagOffset);
  const p = pos;
  if (tag === BINARY_20) {
    if (end - p < 3) truncated(3, tagOffset);
    pos = p + 3;
    return ((buf[p] & 0x0f) << 16) | (buf[p + 1] << 8) | buf[p + 2];
  }
  if (end - p < 4) truncated(4, tagOffset);
  pos = p + 4;
  return buf[p] * 0x1000000 + ((buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]);
}

function readNode(depth: number, ctx: number): WANode {
  const start = pos;
  if (depth > MAX_DEPTH) fail("limit-exceeded", `nesting deeper than ${MAX_DEPTH}`, start);
  steps++;
  const size = listSize(next(ctx), start);
  if (size === 0) fail("invalid-node", "node list size is 0", start);
  // Every item (tag, key, value, content) takes at least one byte.
  if (size > end - pos) truncated(size, start);
  const tagOffset = pos;
  const tagByte = buf[pos++];
  if (tagByte === LIST_EMPTY) fail("invalid-node", "node has no tag", tagOffset);
  let tag = tagByte <= SINGLE_BYTE_MAX ? single[tagByte] : undefined;
  if (tag) steps++;
  else tag = readString(tagByte, tagOffset);
  const attrs: Record<string, string> = {};
  for (let n = (size - 1) >> 1; n > 0; n--) {
    // Single-byte tokens (most keys and many values) are read inline; anything else,
    // including an empty token slot (an error), goes through readString.
    const keyOffset = pos;
    const kt = next(start);
    let key = kt <= SINGLE_BYTE_MAX ? single[kt] : undefined;
    if (key) steps++;
    else key = readString(kt, keyOffset);
    const valueOffset = pos;
    const vt = next(start);
    let value = vt <= SINGLE_BYTE_MAX ? single[vt] : undefined;
    if (value) steps++;
    else value = readString(vt, valueOffset);
    if (key === "__proto__") {
      Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      attrs[key] = value;
    }
  }
  if ((size & 1) === 1) return { tag, attrs };
  const content = readContent(depth, start);
  return content === undefined ? { tag, attrs } : { tag, attrs, content };
}

function readContent(depth: number, ctx: number): WANode[] | Uint8Array | string | undefined {
  const start = pos;
  const t = next(ctx);
  steps++;
  switch (t) {
    case LIST_EMPTY:
      return undefined;
    case LIST_8:
    case LIST_16: {
      const n = listSize(t, start);
      if (n === 0) return undefined;
      if (n * MIN_NODE_BYTES > end - pos) {
        fail("truncated", `${n} children cannot fit in ${end - pos} bytes`, start);
      }
      alloc += 8 * n;
      const children: WANode[] = [];
      for (let i = 0; i < n; i++) children.push(readNode(depth + 1, start));
      return children;
    }
    case BINARY_8:
    case BINARY_20:
    case BINARY_32: {
      const len = binaryLength(t, start);
      if (len > end - pos) truncated(len, start);
      return binaryValue(len);
    }
    default:
      return readString(t, start);
  }
}

/** The next `len` bytes (already checked to exist) as a value the caller may keep. */
function binaryValue(len: number): Uint8Array {
  const p = pos;
  pos = p + len;
  steps += len;
  if (len <= SMALL_BINARY) {
    alloc += len;
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = buf[p + i];
    return out;
  }
  // `new Uint8Array(buffer, offset, length)` is cheaper than `subarray` (no species lookup).
  if (owned) return new Uint8Array(buf.buffer, buf.byteOffset + p, len);
  if (arena === undefined) {
    alloc += end - p;
    arena = buf.slice(p, end);
    arenaBase = p;
  }
  return new Uint8Array(arena.buffer, p - arenaBase, len);
}

/** A string value whose tag byte `t` sits at `start` (already consumed). LIST_EMPTY → "". */
function readString(t: number, start: number): string {
  steps++;
  if (t >= 1 && t <= SINGLE_BYTE_MAX) {
    const token = single[t];
    if (token === undefined || token === "") fail("invalid-token", `no single-byte token ${t}`, start);
    return token;
  }
  if (t >= DICTIONARY_0 && t <= DICTIONARY_3) {
    const index = next(start);
    const token = double[t - DICTIONARY_0]?.[index];
    if (token === undefined || token === "") {
      fail("invalid-token", `no token ${index} in dictionary ${t - DICTIONARY_0}`, start);
    }
    return token;
  }
  switch (t) {
    case LIST_EMPTY:
      return "";
    case NIBBLE_8:
    case HEX_8:
      return readPacked(t, start);
    case BINARY_8:
    case BINARY_20:
    case BINARY_32: {
      const len = binaryLength(t, start);
      if (len > MAX_STRING_BYTES) fail("limit-exceeded", `string of ${len} bytes`, start);
      if (len > end - pos) truncated(len, start);
      const p = pos;
      pos = p + len;
      steps += len;
      alloc += 2 * len;
      if (len > CACHE_MAX_BYTES) return utf8Decode(buf, p, p + len);
      return cached(KIND_RAW, p, len) ?? remember(slot, KIND_RAW, p, len, utf8Decode(buf, p, p + len));
    }
    case JID_PAIR:
    case AD_JID:
    case FB_JID:
    case INTEROP_JID:
      return readJid(t, start);
    default:
      return fail("invalid-tag", `invalid tag 0x${hex2(t)}`, start);
  }
}

function readPacked(t: number, start: number): string {
  const head = next(start);
  const count = head & 0x7f;
  if (count > end - pos) truncated(count, start);
  const p = pos;
  pos = p + count;
  steps += count;
  alloc += 4 * count;
  if (count > CACHE_MAX_BYTES) return unpack(t, head, p, count);
  const kind = (t === NIBBLE_8 ? 1 : 3) + (head >> 7);
  return cached(kind, p, count) ?? remember(slot, kind, p, count, unpack(t, head, p, count));
}

/** Builds a packed string from `count` bytes at `p`. */
function unpack(t: number, head: number, p: number, count: number): string {
  const pairs = t === NIBBLE_8 ? NIBBLE_PAIRS : HEX_PAIRS;
  // Odd length: the last nibble is padding (normally 0xF) and is dropped.
  const odd = (head & 0x80) !== 0 && count > 0;
  const n = odd ? count - 1 : count;
  let s = "";
  for (let i = 0; i < n; i++) s += pairs[buf[p + i]];
  if (odd) s += (t === NIBBLE_8 ? NIBBLE_HIGH : HEX_HIGH)[buf[p + n]];
  return s;
}

/** A JID component: any non-JID string form (nested JIDs are rejected). */
function jidPart(ctx: number): string {
  const offset = pos;
  const t = next(ctx);
  if (t === JID_PAIR || t === AD_JID || t === FB_JID || t === INTEROP_JID) {
    fail("invalid-jid", "nested JID inside a JID", offset);
  }
  return readString(t, offset);
}

/** Byte length of the token, packed or BINARY_8 string at `at`, or -1 for other forms. */
function simpleSpan(at: number): number {
  if (at >= end) return -1;
  const t = buf[at];
  if (t >= 1 && t <= SINGLE_BYTE_MAX) return 1;
  if (t >= DICTIONARY_0 && t <= DICTIONARY_3) return 2;
  if (at + 1 >= end) return -1;
  if (t === NIBBLE_8 || t === HEX_8) return 2 + (buf[at + 1] & 0x7f);
  if (t === BINARY_8) return 2 + buf[at + 1];
  return -1;
}

/** Byte length of the JID whose tag `t` is at `start` (parts in simple forms only), or -1. */
function jidSpan(t: number, start: number): number {
  const p = start + 1;
  let user: number;
  let server: number;
  switch (t) {
    case JID_PAIR:
      user = p < end && buf[p] === LIST_EMPTY ? 1 : simpleSpan(p);
      if (user < 0) return -1;
      server = simpleSpan(p + user);
      return server < 0 ? -1 : 1 + user + server;
    case AD_JID:
      user = simpleSpan(p + 2);
      return user < 0 ? -1 : 3 + user;
    case FB_JID:
    case INTEROP_JID: {
      user = simpleSpan(p);
      if (user < 0) return -1;
      const fixed = t === FB_JID ? 2 : 4;
      server = simpleSpan(p + user + fixed);
      return server < 0 ? -1 : 1 + user + fixed + server;
    }
    default:
      return -1;
  }
}

/** A JID whose tag `t` sits at `start` (consumed); whole JIDs are cached by their bytes. */
function readJid(t: number, start: number): string {
  const span = jidSpan(t, start);
  if (span < 0 || span > CACHE_MAX_BYTES || start + span > end) return decodeJid(t, start);
  const hit = cached(KIND_JID, start, span);
  if (hit !== undefined) {
    pos = start + span;
    steps += span;
    return hit;
  }
  const at = slot;
  const s = decodeJid(t, start);
  return pos === start + span ? remember(at, KIND_JID, start, span, s) : s;
}

function decodeJid(t: number, start: number): string {
  let s: string;
  switch (t) {
    case JID_PAIR: {
      // User LIST_EMPTY = no user: the JID is the bare server (WapJid type 0 with null user).
      let user: string | undefined;
      if (pos < end && buf[pos] === LIST_EMPTY) pos++;
      else user = jidPart(start);
      const serverOffset = pos;
      if (pos < end && buf[pos] === LIST_EMPTY)
        fail("invalid-jid", "JID_PAIR without a server", serverOffset);
      const server = jidPart(start);
      if (user === undefined) return server;
      s = `${user}@${server}`;
      break;
    }
    case AD_JID: {
      const domainOffset = pos;
      const domain = next(start);
      const server = adDomainToServer(domain);
      if (server === undefined) fail("invalid-jid", `unknown AD_JID domain ${domain}`, domainOffset);
      const device = next(start);
      const user = jidPart(start);
      s = device === 0 ? `${user}@${server}` : `${user}:${device}@${server}`;
      break;
    }
    case FB_JID: {
      // Always `user:device@server`, device 0 included (WapJid type 3 `toString()`).
      const user = jidPart(start);
      const device = u16(start);
      const server = jidPart(start);
      s = `${user}:${device}@${server}`;
      break;
    }
    default: {
      // INTEROP_JID: WhatsApp Web reads the server string although its encoder omits it
      // (wabinary.md §6/§7); we follow the WA decoder.
      const user = jidPart(start);
      const device = u16(start);
      const integrator = u16(start);
      const server = jidPart(start);
      s = `${integrator}-${user}:${device}@${server}`;
    }
  }
  alloc += 2 * s.length;
  return s;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

/** Decodes one node occupying `bytes[start..]` exactly. */
function decodeRoot(
  bytes: Uint8Array,
  start: number,
  tables: TokenTables,
  where: "input" | "inflated",
  stats: DecodeStats | undefined,
): WANode | CodecError {
  if (stats !== undefined) {
    stats.inputBytes = Math.max(0, bytes.length - start);
    stats.steps = 0;
    stats.allocatedBytes = 0;
  }
  if (start >= bytes.length)
    return new CodecError("empty-frame", "no node in frame", Math.max(0, start - 1), where);
  if (bytes.length - start > MAX_NODE_BYTES) {
    return new CodecError("limit-exceeded", `node larger than ${MAX_NODE_BYTES} bytes`, start, where);
  }
  buf = bytes;
  pos = start;
  end = bytes.length;
  single = tables.single;
  double = tables.double;
  if (tables !== cacheTables) {
    cacheKeys.fill(0);
    cacheTables = tables;
  }
  region = where;
  // Views into the inflated buffer are fine unless it is a small part of a larger allocation.
  owned = where === "inflated" && bytes.byteLength === bytes.buffer.byteLength;
  arena = undefined;
  steps = 0;
  alloc = 0;
  try {
    const node = readNode(1, start);
    if (pos !== end) return new CodecError("trailing-bytes", `${end - pos} bytes after the node`, pos, where);
    return node;
  } catch (e) {
    if (e instanceof CodecError) return e;
    return new CodecError("internal", `decoder failure: ${String(e)}`, Math.min(pos, bytes.length), where);
  } finally {
    if (stats !== undefined) {
      stats.steps = steps;
      stats.allocatedBytes = alloc;
    }
    // Drop references to the caller's bytes and the frame copy.
    buf = EMPTY;
    arena = undefined;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Decodes a node WITHOUT the leading flags byte (e.g. the payload after inflation).
 *
 * Input: the encoded node bytes (a `Uint8Array` or `ArrayBuffer`, not modified or retained).
 * Output: a `WANode` (attributes as strings in wire order; JIDs formatted as strings; binary
 * content as a private copy (values over 64 bytes are views into one copy of the frame, so
 * their `.buffer` is that copy); token/packed/JID content as a string; empty child lists and
 * LIST_EMPTY content → no `content`), or a `CodecError` (`empty-frame`, `truncated`,
 * `invalid-tag`, `invalid-token`, `invalid-jid`, `invalid-node`, `limit-exceeded`,
 * `trailing-bytes`) whose `offset` is a byte offset into `bytes`. Never throws.
 * Work and allocations are linear in the input size (`DecodeOptions.stats`).
 * Source: wabinary.md §2–§6.
 */
export function decodeNode(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): WANode | CodecError {
  return decodeRoot(asBytes(bytes), 0, options?.tables ?? DEFAULT_TABLES, "input", options?.stats);
}

/** The wrapper of a compressed payload (`flags & 2`). */
export type CompressionWrapper = "zlib" | "gzip" | "raw";

/**
 * Which wrapper a compressed payload has, by the rule of fflate's `decompressSync` (which
 * WhatsApp Web's `WAGzip` uses, wa-web-2026.md "Compression"): gzip magic `1F 8B 08`; a zlib
 * header (CM 8, CINFO ≤ 7, FCHECK: the first two bytes as a u16 are a multiple of 31);
 * otherwise raw DEFLATE.
 */
export function compressionWrapper(data: Uint8Array): CompressionWrapper {
  if (data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08) return "gzip";
  if (data.length >= 2 && (data[0] & 15) === 8 && data[0] >> 4 <= 7 && ((data[0] << 8) | data[1]) % 31 === 0)
    return "zlib";
  return "raw";
}

/** Shortest payload of each wrapper with a non-empty DEFLATE body (header + 1 byte + trailer). */
const MIN_WRAPPED: Record<CompressionWrapper, number> = { zlib: 7, gzip: 19, raw: 2 };

/**
 * Decodes a decrypted frame: flags byte + node (wabinary.md §1; `WAWap.decodeStanza`).
 *
 * When flags bit 0x02 is set the rest is compressed: zlib, gzip or raw DEFLATE, told apart as
 * {@link compressionWrapper} does, and inflated synchronously with fflate into a buffer bounded
 * by `MAX_NODE_BYTES`; other flag bits are ignored, as WhatsApp Web does. Returns the node or a
 * `CodecError`: the `decodeNode` errors, plus `empty-frame` (no bytes / no node),
 * `inflate-failed` (corrupt payload, offset 1) and `limit-exceeded` (inflated size over the
 * bound). Errors inside an inflated payload have `region: "inflated"` and an offset into the
 * inflated bytes. Never throws.
 */
export function decodeFrame(bytes: Uint8Array | ArrayBuffer, options?: DecodeOptions): WANode | CodecError {
  const frame = asBytes(bytes);
  const tables = options?.tables ?? DEFAULT_TABLES;
  const stats = options?.stats;
  if (frame.length === 0 || (frame[0] & FLAG_COMPRESSED) === 0) {
    if (frame.length === 0) {
      if (stats !== undefined) Object.assign(stats, { inputBytes: 0, steps: 0, allocatedBytes: 0 });
      return new CodecError("empty-frame", "empty frame", 0);
    }
    return decodeRoot(frame, 1, tables, "input", stats);
  }
  if (stats !== undefined) Object.assign(stats, { inputBytes: 0, steps: 0, allocatedBytes: 0 });
  if (frame.length === 1) return new CodecError("empty-frame", "compressed frame without payload", 0);
  const data = frame.subarray(1);
  const wrapper = compressionWrapper(data);
  // fflate would return its whole output buffer for an empty DEFLATE body.
  if (data.length < MIN_WRAPPED[wrapper])
    return new CodecError("inflate-failed", `${wrapper} payload too short`, 1);
  const inflate = wrapper === "gzip" ? gunzipSync : wrapper === "zlib" ? unzlibSync : inflateSync;
  // DEFLATE expands at most ~1032:1, so a small payload never needs the full bound. fflate
  // silently truncates at the end of `out`, so a full buffer means "maybe more": try a modest
  // buffer first, then the bound.
  const cap = Math.min(MAX_NODE_BYTES + 1, data.length * 1040 + 4096);
  let inflated: Uint8Array | undefined;
  for (const size of [Math.min(cap, Math.max(1 << 16, data.length * 16)), cap]) {
    try {
      inflated = inflate(data, { out: new Uint8Array(size) });
    } catch (e) {
      return new CodecError("inflate-failed", `${wrapper}: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
    if (inflated.length < size) break;
    if (size === cap) return new CodecError("limit-exceeded", `inflated payload exceeds ${cap - 1} bytes`, 1);
  }
  if (inflated === undefined) return new CodecError("internal", "inflate produced nothing", 1);
  if (inflated.length === 0) return new CodecError("empty-frame", "compressed payload is empty", 1);
  return decodeRoot(inflated, 0, tables, "inflated", stats);
}
