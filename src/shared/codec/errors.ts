/**
 * Typed codec errors. Decoding functions return a `CodecError` value instead of throwing,
 * so callers in every context (page, service worker, panel, Node) handle failures uniformly.
 */

/**
 * What went wrong:
 * - `empty-frame`: no bytes, or a flags byte with no node after it;
 * - `truncated`: the buffer ends inside a construct (or a declared length exceeds the buffer);
 * - `invalid-tag`: a byte that is not valid at this position (e.g. `F0`–`F4`);
 * - `invalid-token`: a token byte or dictionary index with no entry in the tables;
 * - `invalid-jid`: a malformed JID (e.g. unknown AD_JID domain byte, nested JID);
 * - `invalid-node`: a node whose list header says size 0 or whose tag is missing;
 * - `limit-exceeded`: a named limit from `tags.ts` (depth, string or node size) was hit;
 * - `inflate-failed`: the zlib payload of a compressed frame is corrupt;
 * - `trailing-bytes`: bytes are left after the root node;
 * - `internal`: an unexpected failure inside the codec (a bug; please report).
 */
export type CodecErrorCode =
  | "empty-frame"
  | "truncated"
  | "invalid-tag"
  | "invalid-token"
  | "invalid-jid"
  | "invalid-node"
  | "limit-exceeded"
  | "inflate-failed"
  | "trailing-bytes"
  | "internal";

/**
 * A decoding failure, returned (never thrown) by `decodeFrame` / `decodeNode`.
 *
 * `offset` is the byte offset of the construct that failed: into the caller's buffer when
 * `region` is `"input"`, into the inflated payload of a compressed frame when `region` is
 * `"inflated"` (the payload starts after the flags byte). For `truncated` it is the start of
 * the construct (tag or length byte) that ran out of bytes, so it always lies inside the
 * buffer; only `empty-frame` on an empty buffer reports offset 0 of a zero-length buffer.
 *
 * It is a plain class (not an `Error`, no stack) carrying `name: "CodecError"` as an own
 * property, so it survives `structuredClone` / `postMessage`; test with `isCodecError`.
 */
export class CodecError {
  readonly name = "CodecError";
  readonly code: CodecErrorCode;
  readonly message: string;
  /** Byte offset of the failing construct (see class comment). */
  readonly offset: number;
  /** Which bytes `offset` refers to: the caller's buffer or the inflated payload. */
  readonly region: "input" | "inflated";

  constructor(code: CodecErrorCode, message: string, offset: number, region: "input" | "inflated" = "input") {
    this.code = code;
    this.message = message;
    this.offset = offset;
    this.region = region;
  }

  /** `code at offset N: message`, for logs. */
  toString(): string {
    const where = this.region === "inflated" ? "inflated offset" : "offset";
    return `CodecError ${this.code} at ${where} ${this.offset}: ${this.message}`;
  }
}

/** True for a `CodecError` instance or a structured clone of one (checks `name`, `code`, `offset`). */
export function isCodecError(x: unknown): x is CodecError {
  if (x instanceof CodecError) return true;
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return o.name === "CodecError" && typeof o.code === "string" && typeof o.offset === "number";
}

/**
 * What went wrong while reading XML text (`xmlToNode`, `xmlToNodes`, `parseLogXml`):
 * - `syntax`: not well-formed (strict reader: as reported by fast-xml-parser's validator);
 * - `no-element`: no element where one was expected (empty text, text only);
 * - `multiple-roots`: more than one top-level element where exactly one was expected;
 * - `mixed-content`: an element holds both child elements and non-blank text, or a byte
 *   marker next to other content (a `WANode` holds children, bytes OR text);
 * - `bad-name`: a tag or attribute name that is empty or cannot be read back;
 * - `bad-entity`: an unknown or malformed `&…;` reference;
 * - `bad-bytes`: a byte marker whose length and hex disagree, or that was truncated for
 *   display (`…`), so the bytes are lost;
 * - `unterminated`: the text ends inside a tag, attribute value, comment or element;
 * - `mismatched-close`: a closing tag that does not match the open element;
 * - `trailing-text`: non-blank text after the (last) element;
 * - `limit-exceeded`: nesting deeper than `MAX_DEPTH`.
 */
export type XmlErrorCode =
  | "syntax"
  | "no-element"
  | "multiple-roots"
  | "mixed-content"
  | "bad-name"
  | "bad-entity"
  | "bad-bytes"
  | "unterminated"
  | "mismatched-close"
  | "trailing-text"
  | "limit-exceeded";

/**
 * A failure to read XML text, returned (never thrown) by the XML readers.
 * `offset` is a UTF-16 index into the text that was passed in (0 when the position is
 * unknown). Like `CodecError`, a plain class with an own `name`, so it survives
 * `structuredClone`; test with `isXmlError`.
 */
export class XmlError {
  readonly name = "XmlError";
  readonly code: XmlErrorCode;
  readonly message: string;
  /** UTF-16 index into the input text of the construct that failed. */
  readonly offset: number;

  constructor(code: XmlErrorCode, message: string, offset: number) {
    this.code = code;
    this.message = message;
    this.offset = offset;
  }

  /** `XmlError code at offset N: message`, for logs. */
  toString(): string {
    return `XmlError ${this.code} at offset ${this.offset}: ${this.message}`;
  }
}

/** True for an `XmlError` instance or a structured clone of one (checks `name`, `code`, `offset`). */
export function isXmlError(x: unknown): x is XmlError {
  if (x instanceof XmlError) return true;
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return o.name === "XmlError" && typeof o.code === "string" && typeof o.offset === "number";
}
