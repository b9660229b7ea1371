/**
 * The normalizer: turns whatever node form a tap produces into the plain {@link WANode}.
 * Inputs: WhatsApp Web's own `WapNode` objects (attribute values `string` or `WapJid`
 * objects, content `null`, `WapNode[]`, `Uint8Array`/`ArrayBuffer` or string; see
 * ../shared/research/wa-web-runtime.md §2.1), plain `{tag, attrs, content}` objects, or raw
 * frame bytes starting with the flags byte (decoded with the shared codec).
 */
// The codec's own files, not its index: the index also re-exports the XML reader
// (fast-xml-parser), which must stay out of the page bundle.
import { decodeFrame } from "../codec/decoder";
import { isCodecError } from "../codec/errors";
import type { WANode } from "../codec/node";
import { type ErrorValue, isErrorValue } from "../errors";

/** Limits that keep a hostile or huge node from costing the page anything. */
export const NORMALIZE_LIMITS = {
  /** Deepest nesting copied. */
  maxDepth: 32,
  /** Most nodes copied from one stanza. */
  maxNodes: 10_000,
  /** Most bytes copied from one binary content; longer content is truncated and marked. */
  maxBytes: 256 * 1024,
} as const;

/**
 * Why a node could not be normalized:
 * - `not-a-node`: the input (or a child) is not an object;
 * - `bad-tag`: its `tag` is not a string;
 * - `unsupported-content`: content that is no child list, bytes or string;
 * - `limit-exceeded`: deeper or larger than {@link NORMALIZE_LIMITS};
 * - `undecodable`: frame bytes the codec could not decode (`offset` says where);
 * - `not-copied`: the tap saw the stanza but could not copy its node;
 * - `internal`: reading the input threw (e.g. a getter of a foreign object).
 */
export type NormalizeErrorCode =
  | "not-a-node"
  | "bad-tag"
  | "unsupported-content"
  | "limit-exceeded"
  | "undecodable"
  | "not-copied"
  | "internal";

/** A normalization failure: an error value (see ../errors.ts), never thrown. */
export interface NormalizeError extends ErrorValue<"NormalizeError", NormalizeErrorCode> {
  /** Byte offset when the input was a frame that failed to decode. */
  readonly offset?: number;
}

/** A {@link NormalizeError}; `message` says what was wrong, e.g. "tag is not a string". */
export function normalizeError(code: NormalizeErrorCode, message: string, offset?: number): NormalizeError {
  return offset === undefined
    ? { name: "NormalizeError", code, message }
    : { name: "NormalizeError", code, message, offset };
}

/** Whether `x` is a {@link NormalizeError} (or a structured clone of one). */
export function isNormalizeError(x: unknown): x is NormalizeError {
  return isErrorValue(x, "NormalizeError");
}

/** Renders an attribute value the way WhatsApp does (`WapJid.toString()` for JIDs). */
export function attrValueToString(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "object") {
    const s = (v as { toString?: () => unknown }).toString?.();
    if (typeof s === "string" && s !== "[object Object]") return s;
  }
  return undefined;
}

class Budget {
  nodes = 0;
}

function copyBytes(src: Uint8Array): Uint8Array {
  const n = Math.min(src.byteLength, NORMALIZE_LIMITS.maxBytes);
  return src.slice(0, n);
}

function normalizeObject(input: unknown, depth: number, budget: Budget): WANode | NormalizeError {
  if (typeof input !== "object" || input === null) {
    return normalizeError("not-a-node", `node is ${input === null ? "null" : typeof input}`);
  }
  if (depth > NORMALIZE_LIMITS.maxDepth) return normalizeError("limit-exceeded", "nesting too deep");
  if (++budget.nodes > NORMALIZE_LIMITS.maxNodes) return normalizeError("limit-exceeded", "too many nodes");
  const raw = input as { tag?: unknown; attrs?: unknown; content?: unknown };
  if (typeof raw.tag !== "string") return normalizeError("bad-tag", "tag is not a string");
  const attrs: Record<string, string> = {};
  if (raw.attrs && typeof raw.attrs === "object") {
    for (const key of Object.keys(raw.attrs)) {
      const value = attrValueToString((raw.attrs as Record<string, unknown>)[key]);
      if (value !== undefined) attrs[key] = value;
    }
  }
  const node: WANode = { tag: raw.tag, attrs };
  const c = raw.content;
  if (c === null || c === undefined) return node;
  if (Array.isArray(c)) {
    const children: WANode[] = [];
    for (const child of c) {
      const n = normalizeObject(child, depth + 1, budget);
      if (isNormalizeError(n)) return n;
      children.push(n);
    }
    node.content = children;
  } else if (c instanceof Uint8Array) {
    node.content = copyBytes(c);
  } else if (c instanceof ArrayBuffer) {
    node.content = copyBytes(new Uint8Array(c));
  } else if (ArrayBuffer.isView(c)) {
    node.content = copyBytes(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  } else if (typeof c === "string") {
    node.content = c;
  } else {
    const s = attrValueToString(c);
    if (s === undefined) return normalizeError("unsupported-content", `unsupported content in <${raw.tag}>`);
    node.content = s;
  }
  return node;
}

/**
 * Normalizes one node in any supported form.
 * @param input a WhatsApp `WapNode`, a plain node, or frame bytes (`Uint8Array`/`ArrayBuffer`,
 *   byte 0 = flags).
 * @returns the plain node, or a {@link NormalizeError} (never throws).
 */
export function normalizeNode(input: unknown): WANode | NormalizeError {
  try {
    if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
      const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
      const decoded = decodeFrame(bytes);
      if (isCodecError(decoded)) {
        return normalizeError("undecodable", decoded.message, decoded.offset);
      }
      return decoded;
    }
    return normalizeObject(input, 0, new Budget());
  } catch (e) {
    // Getters on foreign objects can throw; that must never escape.
    return normalizeError("internal", `normalizer failed: ${String(e)}`);
  }
}
