/**
 * Reads only what the privacy filter needs from an encoded frame: the root tag, the `id` and
 * `class` attributes and the first child's tag, skipping everything else (attribute values
 * such as JIDs, text and binary content are stepped over, never decoded). A non-call frame
 * (a message, presence, iq…) is thus classified without being decoded. Compressed frames
 * (flags bit 0x02) are inflated and decoded in full by the shared codec, since their header
 * is inside the zlib stream. Byte layout: wabinary.md §1–§6. Pure.
 */
import { decodeFrame } from "../codec/decoder";
import { type CodecErrorCode, isCodecError } from "../codec/errors";
import type { WANode } from "../codec/node";
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
  NIBBLE_8,
  SINGLE_BYTE_MAX,
} from "../codec/tags";
import type { TokenTables } from "../codec/tokens";
import { type ErrorValue, isErrorValue } from "../errors";

/** The filter's view of a frame. */
export interface FramePeek {
  tag: string;
  id?: string;
  /** `class` attribute. */
  ackClass?: string;
  /** Tag of the first child when the content is a child list. */
  firstChildTag?: string;
  /** Present for compressed frames, which are decoded in full to be read at all. */
  node?: WANode;
}

/**
 * Why a frame could not be peeked (it is then counted, never forwarded): an error value (see
 * ../errors.ts) with the codec's codes, since the peek reads the same format (`internal` for
 * an unexpected failure); `offset` is the byte offset into the frame.
 */
export interface PeekError extends ErrorValue<"PeekError", CodecErrorCode> {
  readonly offset: number;
}

/** Whether `x` is a {@link PeekError} (or a structured clone of one). */
export function isPeekError(x: unknown): x is PeekError {
  return isErrorValue(x, "PeekError");
}

const peekError = (code: CodecErrorCode, message: string, offset: number): PeekError => ({
  name: "PeekError",
  code,
  message,
  offset,
});

/** Thrown inside the peeker only (internal control flow), caught by {@link peekFrame}. */
class Fail {
  constructor(
    readonly code: CodecErrorCode,
    readonly message: string,
    readonly offset: number,
  ) {}
}

const NIBBLE = "0123456789-.\ufffd\ufffd\ufffd\ufffd";
const HEX = "0123456789ABCDEF";

class Peeker {
  p: number;
  constructor(
    readonly b: Uint8Array,
    start: number,
    readonly tables: TokenTables,
  ) {
    this.p = start;
  }

  next(): number {
    if (this.p >= this.b.length) throw new Fail("truncated", "truncated", this.p);
    return this.b[this.p++];
  }

  skip(n: number): void {
    if (n > this.b.length - this.p) throw new Fail("truncated", "truncated", this.p);
    this.p += n;
  }

  listSize(t: number): number {
    if (t === LIST_8) return this.next();
    if (t === LIST_16) return (this.next() << 8) | this.next();
    if (t === LIST_EMPTY) return 0;
    throw new Fail("invalid-tag", `expected a list, got 0x${t.toString(16)}`, this.p - 1);
  }

  binaryLength(t: number): number {
    if (t === BINARY_8) return this.next();
    if (t === BINARY_20) return ((this.next() & 0x0f) << 16) | (this.next() << 8) | this.next();
    return this.next() * 0x1000000 + ((this.next() << 16) | (this.next() << 8) | this.next());
  }

  /** Reads (`want`) or skips a string whose tag byte `t` was just consumed. */
  string(t: number, want: boolean): string | undefined {
    const at = this.p - 1;
    if (t >= 1 && t <= SINGLE_BYTE_MAX) {
      const token = this.tables.single[t];
      if (!token) throw new Fail("invalid-token", `no single-byte token ${t}`, at);
      return token;
    }
    if (t >= DICTIONARY_0 && t <= DICTIONARY_3) {
      const i = this.next();
      const token = this.tables.double[t - DICTIONARY_0]?.[i];
      if (!token) throw new Fail("invalid-token", `no token ${i} in dictionary ${t - DICTIONARY_0}`, at);
      return token;
    }
    switch (t) {
      case LIST_EMPTY:
        return "";
      case NIBBLE_8:
      case HEX_8: {
        const head = this.next();
        const n = head & 0x7f;
        const start = this.p;
        this.skip(n);
        if (!want) return undefined;
        const digits = t === NIBBLE_8 ? NIBBLE : HEX;
        let s = "";
        for (let i = start; i < start + n; i++) s += digits[this.b[i] >> 4] + digits[this.b[i] & 15];
        return head & 0x80 ? s.slice(0, -1) : s;
      }
      case BINARY_8:
      case BINARY_20:
      case BINARY_32: {
        const n = this.binaryLength(t);
        const start = this.p;
        this.skip(n);
        if (!want) return undefined;
        let s = "";
        for (let i = start; i < start + n && i < start + 256; i++) s += String.fromCharCode(this.b[i]);
        return s;
      }
      case JID_PAIR:
        if (this.b[this.p] === LIST_EMPTY) this.p++;
        else this.string(this.next(), false);
        this.string(this.next(), false);
        return undefined;
      case AD_JID:
        this.skip(2);
        this.string(this.next(), false);
        return undefined;
      case FB_JID:
        this.string(this.next(), false);
        this.skip(2);
        this.string(this.next(), false);
        return undefined;
      case INTEROP_JID:
        this.string(this.next(), false);
        this.skip(4);
        this.string(this.next(), false);
        return undefined;
      default:
        throw new Fail("invalid-tag", `invalid tag 0x${t.toString(16)}`, at);
    }
  }
}

function fromNode(node: WANode): FramePeek {
  const c = node.content;
  const first = Array.isArray(c) ? c[0] : undefined;
  const out: FramePeek = { tag: node.tag, node };
  if (node.attrs.id !== undefined) out.id = node.attrs.id;
  if (node.attrs.class !== undefined) out.ackClass = node.attrs.class;
  if (first) out.firstChildTag = first.tag;
  return out;
}

/**
 * Peeks at a decrypted frame (flags byte + node).
 * @param frame the frame bytes (not modified or retained).
 * @param tables the token tables of the connection's dictionary (wrong tables misread tags:
 *   callers must only pass tables of a version they know the frame uses).
 * @returns the filter's view, or a {@link PeekError}. Never throws.
 */
export function peekFrame(frame: Uint8Array, tables: TokenTables): FramePeek | PeekError {
  if (frame.length < 2) return peekError("empty-frame", "empty frame", 0);
  if (frame[0] & FLAG_COMPRESSED) {
    const node = decodeFrame(frame, { tables });
    if (isCodecError(node)) return peekError(node.code, node.message, node.offset);
    return fromNode(node);
  }
  const r = new Peeker(frame, 1, tables);
  try {
    const size = r.listSize(r.next());
    if (size === 0) throw new Fail("invalid-node", "node list size is 0", 1);
    const tag = r.string(r.next(), true);
    if (!tag) throw new Fail("invalid-node", "node has no tag", 2);
    const out: FramePeek = { tag };
    for (let n = (size - 1) >> 1; n > 0; n--) {
      const key = r.string(r.next(), true);
      const wanted = key === "id" || key === "class";
      const value = r.string(r.next(), wanted);
      if (key === "id" && value !== undefined) out.id = value;
      else if (key === "class" && value !== undefined) out.ackClass = value;
    }
    if ((size & 1) === 0 && r.p < frame.length) {
      const t = r.next();
      if (t === LIST_8 || t === LIST_16) {
        const count = r.listSize(t);
        if (count > 0) {
          const childSize = r.listSize(r.next());
          if (childSize > 0) {
            const childTag = r.string(r.next(), true);
            if (childTag) out.firstChildTag = childTag;
          }
        }
      }
    }
    return out;
  } catch (e) {
    if (e instanceof Fail) return peekError(e.code, e.message, e.offset);
    return peekError("internal", `peek failed: ${String(e)}`, 0);
  }
}

/**
 * Root tags of stanzas that travel on the chat socket. A codec call whose root tag is not one
 * of these (e.g. `<offer>` when the VoIP engine's payload is decoded and re-wrapped in a
 * `<call>`) is not wire traffic. Source: WA's stanza dispatch (wa-web-runtime.md §3–§4) and the
 * XMPP-derived stream tags in the v3 dictionary.
 */
export const WIRE_STANZA_TAGS: ReadonlySet<string> = new Set([
  "call",
  "ack",
  "receipt",
  "iq",
  "message",
  "presence",
  "chatstate",
  "notification",
  "ib",
  "success",
  "failure",
  "stream:error",
  "xmlstreamstart",
  "xmlstreamend",
  "error",
]);
