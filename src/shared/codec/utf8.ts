/**
 * UTF-8 helpers with an ASCII fast path. `TextEncoder` / `TextDecoder` are standard in pages,
 * workers, service workers and Node, and are only used for non-ASCII text.
 */

let decoder: TextDecoder | undefined;
let encoder: TextEncoder | undefined;

/**
 * Decodes `bytes[start, end)` as UTF-8. Invalid sequences become U+FFFD; a leading BOM is
 * kept (it is part of the value, not a marker).
 */
export function utf8Decode(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = "";
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b >= 0x80) return slowDecode(bytes, start, end);
      s += String.fromCharCode(b);
    }
    return s;
  }
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) return slowDecode(bytes, start, end);
  }
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

function slowDecode(bytes: Uint8Array, start: number, end: number): string {
  decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * Length of `s` in UTF-8 bytes, counting a lone surrogate as 3 bytes (it is written as U+FFFD,
 * as `TextEncoder` does), and whether `s` is pure ASCII (then length = `s.length`).
 */
export function utf8Length(s: string): { length: number; ascii: boolean } {
  const n = s.length;
  let len = n;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    ascii = false;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        len += 2; // 2 UTF-16 units -> 4 bytes
        i++;
      } else len += 2;
    } else len += 2;
  }
  return { length: len, ascii };
}

/** Writes `s` as UTF-8 into `out` at `pos`; `out` must have room. Returns the bytes written. */
export function utf8Write(s: string, ascii: boolean, out: Uint8Array, pos: number): number {
  if (ascii) {
    const n = s.length;
    for (let i = 0; i < n; i++) out[pos + i] = s.charCodeAt(i);
    return n;
  }
  encoder ??= new TextEncoder();
  return encoder.encodeInto(s, out.subarray(pos)).written;
}

/** `s` as a fresh UTF-8 `Uint8Array`. */
export function utf8Bytes(s: string): Uint8Array {
  const { length, ascii } = utf8Length(s);
  const out = new Uint8Array(length);
  utf8Write(s, ascii, out, 0);
  return out;
}
