/**
 * Copying WA's byte arguments. Taps copy synchronously at call time (the caller may reuse or
 * transfer its buffer afterwards) and never keep WA's own buffers. Pure.
 */

/**
 * Copies the bytes of a BufferSource (ArrayBuffer, typed array or DataView), at most `maxBytes`.
 * @returns a new `Uint8Array`, or `undefined` when `src` is not a BufferSource.
 */
export function copyBufferSource(src: unknown, maxBytes = Number.POSITIVE_INFINITY): Uint8Array | undefined {
  if (src instanceof Uint8Array) {
    const out = new Uint8Array(Math.min(src.length, maxBytes));
    out.set(out.length === src.length ? src : src.subarray(0, out.length));
    return out;
  }
  if (src instanceof ArrayBuffer) {
    const n = Math.min(src.byteLength, maxBytes);
    const out = new Uint8Array(n);
    out.set(new Uint8Array(src, 0, n));
    return out;
  }
  if (ArrayBuffer.isView(src)) {
    const n = Math.min(src.byteLength, maxBytes);
    const out = new Uint8Array(n);
    out.set(new Uint8Array(src.buffer, src.byteOffset, n));
    return out;
  }
  return undefined;
}

/** Byte length of a BufferSource, or -1. */
export function bufferSourceLength(src: unknown): number {
  if (src instanceof ArrayBuffer) return src.byteLength;
  if (ArrayBuffer.isView(src)) return src.byteLength;
  return -1;
}

/**
 * A read-only look at the bytes of a BufferSource, without copying: for reading a few bytes
 * synchronously inside WA's call (e.g. frame lengths). Never keep the view.
 * @returns a `Uint8Array` over the same memory, or `undefined` when `src` is not a BufferSource.
 */
export function viewBufferSource(src: unknown): Uint8Array | undefined {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  return undefined;
}
