/**
 * Conversion between the plain node (bytes as `Uint8Array`) and its JSON-safe form
 * (bytes as base64), for extension messaging, storage and traces.
 */
import type { WANode } from "../codec/node";
import type { PortableBytes, PortableNode } from "./types";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Base64 (standard, padded) of `bytes`. Pure JS, usable where `btoa` is missing. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  return out;
}

/**
 * Bytes of a base64 string (standard alphabet; padding optional).
 * @throws never: invalid characters are skipped.
 */
export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = B64_INDEX[clean.charCodeAt(i)];
    const b = B64_INDEX[clean.charCodeAt(i + 1)] ?? 0;
    const c = i + 2 < clean.length ? B64_INDEX[clean.charCodeAt(i + 2)] : -1;
    const d = i + 3 < clean.length ? B64_INDEX[clean.charCodeAt(i + 3)] : -1;
    out[o++] = (a << 2) | (b >> 4);
    if (c >= 0) out[o++] = ((b & 15) << 4) | (c >> 2);
    if (d >= 0) out[o++] = ((c & 3) << 6) | d;
  }
  return out.subarray(0, o);
}

/** Lowercase hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

/** Whether portable content is bytes. */
export function isPortableBytes(c: unknown): c is PortableBytes {
  return (
    typeof c === "object" && c !== null && !Array.isArray(c) && typeof (c as PortableBytes).b64 === "string"
  );
}

/** The JSON-safe form of a plain node. */
export function toPortable(node: WANode): PortableNode {
  const out: PortableNode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(toPortable);
  else if (c instanceof Uint8Array) out.content = { b64: bytesToBase64(c) };
  else out.content = c;
  return out;
}

/** The plain node of a JSON-safe node. */
export function fromPortable(node: PortableNode): WANode {
  const out: WANode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined) return out;
  if (Array.isArray(c)) out.content = c.map(fromPortable);
  else if (isPortableBytes(c)) out.content = base64ToBytes(c.b64);
  else out.content = c;
  return out;
}
