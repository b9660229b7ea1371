/**
 * Bytes written as text, and back: lowercase hex, spaced hex, base64. The one place for these
 * conversions in the project (the codec's XML rendering and log reading, the node model's
 * JSON-safe form, the typed call model, the privacy filter, the tap). Pure JS, no `btoa`/`atob`
 * (missing in some of the contexts this runs in). Never throws.
 */

const HEX = "0123456789abcdef";

/** Lowercase hex of `bytes`, two digits per byte, no separators (e.g. `0105f7`). */
export function bytesToHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** Lowercase hex of `bytes`, bytes separated by single spaces (e.g. `01 05 f7`). */
export function spacedHex(bytes: Uint8Array): string {
  return bytesToHex(bytes).replace(/(..)(?!$)/g, "$1 ");
}

/**
 * Bytes of a hex string: each pair of characters is one byte (upper or lower case); an odd last
 * character is dropped. The caller removes separators first.
 * @returns a new array of `floor(hex.length / 2)` bytes (a pair that is not hex gives 0).
 */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Base64 of `bytes` (standard alphabet, padded with `=`). */
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
 * Bytes of a base64 string (standard alphabet; padding optional). Characters outside the
 * alphabet (padding, blanks) are skipped; with `urlSafe`, `-` and `_` are read as `+` and `/`
 * (the URL-safe alphabet, RFC 4648 §5). Trailing bits that do not make a whole byte are dropped.
 */
export function base64ToBytes(b64: string, urlSafe = false): Uint8Array {
  const text = urlSafe ? b64.replace(/-/g, "+").replace(/_/g, "/") : b64;
  const clean = text.replace(/[^A-Za-z0-9+/]/g, "");
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
