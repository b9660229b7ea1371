/**
 * The leak check: after sanitizing, every export's final text (or bytes) is searched for
 * what the sanitizer was supposed to remove: original JID user parts, phone-number digit
 * runs, push names and other identifying values, stanza/call ids, IP addresses (as text and
 * as packed bytes), and every 8-byte run of every original payload of ≥ 8 bytes, whether it
 * appears raw, as hex (any case, optionally separated), as base64 (standard or URL-safe, any
 * alignment) or as a decimal byte list. A hit refuses the export.
 */
import { base64ToBytes, bytesToHex, hexToBytes } from "../codec/bytetext";
import { type ErrorValue, isErrorValue } from "../errors";
import { isDocumentationIp, parseIpv4, parseIpv6 } from "./pseudonyms";

/** What kind of original value leaked. */
export type LeakCategory = "jid-user" | "phone" | "name" | "id" | "token" | "ip" | "payload";

/** One leaked value in one output. */
export interface LeakFinding {
  category: LeakCategory;
  /** The original value, masked (first and last characters only) so the report does not leak it again. */
  value: string;
  /** Export format or file name that contained it. */
  where: string;
  /** UTF-16 offset of the hit in the output text, and its 1-based line and column. */
  offset: number;
  line: number;
  column: number;
}

/**
 * The typed error of a refused export: lists what leaked and where. Returned as a value by
 * exporters, never thrown (an error value, see ../errors.ts); its only code is `leaked`.
 */
export class LeakError implements ErrorValue<"LeakError", "leaked"> {
  readonly name = "LeakError";
  readonly code = "leaked";
  readonly findings: LeakFinding[];
  readonly message: string;
  constructor(findings: LeakFinding[]) {
    this.findings = findings;
    const first = findings
      .slice(0, 5)
      .map((f) => `${f.category} ${f.value} in ${f.where} at ${f.line}:${f.column}`)
      .join("; ");
    this.message = `export refused: ${findings.length} leaked value(s) (${first}${findings.length > 5 ? "; …" : ""})`;
  }
}

/** True for a {@link LeakError} (or a structured clone of one). */
export function isLeakError(x: unknown): x is LeakError {
  return isErrorValue(x, "LeakError");
}

/** Masks a secret for reports: `15…11 (11 chars)`; short values are fully starred. */
export function maskValue(v: string): string {
  if (v.length <= 4) return `${"*".repeat(v.length)} (${v.length} chars)`;
  return `${v.slice(0, 2)}…${v.slice(-2)} (${v.length} chars)`;
}

interface TextPrint {
  category: LeakCategory;
  value: string;
  /** Only count hits not surrounded by letters or digits (short values). */
  boundary: boolean;
}

const WINDOW = 8;
/** Shortest identifying text that is checked at all; shorter values would match everywhere. */
export const MIN_TEXT_PRINT = 3;
/** Texts shorter than this are only matched as whole tokens. */
const BOUNDARY_BELOW = 6;

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Fewer than 3 distinct byte values in `b[from..to)`: zero padding or fill, not a secret. */
function lowEntropy(b: Uint8Array, from: number, to: number): boolean {
  const seen = new Set<number>();
  for (let k = from; k < to && seen.size < 3; k++) seen.add(b[k]);
  return seen.size < 3;
}

/**
 * Payload index: 4-byte keys taken every {@link STRIDE} bytes of each payload. Any run of
 * ≥ 8 equal bytes contains at least one whole indexed key (4 + 5 − 1 = 8), so a hit on a key
 * followed by extending the match both ways finds every run of ≥ 8 bytes, with 1/5 of the
 * memory of indexing every 8-byte window.
 */
const KEY = 4;
const STRIDE = 5;
/** Most references kept per key (repeated fill would otherwise make one key huge). */
const MAX_REFS = 256;

const u32 = (b: Uint8Array, i: number): number =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/**
 * Everything an output must not contain, gathered by the sanitizer from the original trace.
 * Opaque to exporters; only the sanitizer adds to it.
 */
export class Fingerprints {
  private readonly texts = new Map<string, TextPrint>();
  /** Canonical hex of original IP bytes (4 or 16) → original text. */
  private readonly ips = new Map<string, string>();
  /** Original packed addresses (6 or 18 bytes), by their first 4 bytes. */
  private readonly packed = new Map<number, { bytes: Uint8Array; label: string }[]>();
  /** Original payloads (≥ 8 bytes) and their labels. */
  private readonly payloads: { bytes: Uint8Array; label: string }[] = [];
  /** 4-byte key → references `payload index × 2^32 + offset`. */
  private readonly index = new Map<number, number[]>();

  /** Records an identifying text (ignored when shorter than {@link MIN_TEXT_PRINT}). */
  addText(category: LeakCategory, value: string): void {
    if (value.length < MIN_TEXT_PRINT || this.texts.has(value)) return;
    this.texts.set(value, { category, value, boundary: value.length < BOUNDARY_BELOW });
  }

  /** Stops checking a text recorded with {@link addText} (a known false positive). */
  removeText(value: string): void {
    this.texts.delete(value);
  }

  /** Records an original IP address (text form); documentation addresses are ignored. */
  addIp(ip: string): void {
    if (isDocumentationIp(ip)) return;
    const b = parseIpv4(ip) ?? parseIpv6(ip);
    if (b) this.ips.set(bytesToHex(b), ip);
  }

  /** Records an original packed address (6 or 18 bytes: IP + port) and its IP. */
  addPacked(bytes: Uint8Array, label: string): void {
    const ipBytes = bytes.subarray(0, bytes.length - 2);
    const text =
      ipBytes.length === 4
        ? Array.from(ipBytes).join(".")
        : Array.from({ length: 8 }, (_, i) => ((ipBytes[2 * i] << 8) | ipBytes[2 * i + 1]).toString(16)).join(
            ":",
          );
    if (isDocumentationIp(text)) return;
    this.ips.set(bytesToHex(ipBytes), text);
    const key = u32(bytes, 0);
    const list = this.packed.get(key) ?? [];
    if (!list.some((p) => p.bytes.length === bytes.length && p.bytes.every((x, i) => x === bytes[i]))) {
      list.push({ bytes: bytes.slice(), label });
    }
    this.packed.set(key, list);
  }

  /** Records an original payload; every run of ≥ 8 of its bytes (that is not low-entropy) is searched for. */
  addPayload(bytes: Uint8Array, label: string): void {
    if (bytes.length < WINDOW || lowEntropy(bytes, 0, bytes.length)) return;
    const p = this.payloads.length;
    this.payloads.push({ bytes: bytes.slice(), label });
    for (let i = 0; i + KEY <= bytes.length; i += STRIDE) {
      const key = u32(bytes, i);
      let refs = this.index.get(key);
      if (!refs) {
        refs = [];
        this.index.set(key, refs);
      }
      if (refs.length < MAX_REFS) refs.push(p * 2 ** 32 + i);
    }
  }

  /** Adds everything of `other` (for checks over several traces). */
  merge(other: Fingerprints): void {
    for (const [k, v] of other.texts) if (!this.texts.has(k)) this.texts.set(k, v);
    for (const [k, v] of other.ips) this.ips.set(k, v);
    for (const list of other.packed.values()) for (const p of list) this.addPacked(p.bytes, p.label);
    for (const p of other.payloads) this.addPayload(p.bytes, p.label);
  }

  /** Counts of what is checked, for reports and tests (`payloadBytes` = total original payload bytes indexed). */
  get stats(): { texts: number; ips: number; packed: number; payloads: number; payloadBytes: number } {
    const payloadBytes = this.payloads.reduce((n, p) => n + p.bytes.length, 0);
    return {
      texts: this.texts.size,
      ips: this.ips.size,
      packed: this.packed.size,
      payloads: this.payloads.length,
      payloadBytes,
    };
  }

  /**
   * Searches one output for leaks.
   * @param output the final text (or bytes) of an export.
   * @param where format or file name, for the report.
   * @returns the findings (empty when clean), at most one per original value.
   */
  check(output: string | Uint8Array, where: string): LeakFinding[] {
    const text = typeof output === "string" ? output : latin1(output);
    const findings: LeakFinding[] = [];
    const reported = new Set<string>();
    const report = (category: LeakCategory, original: string, offset: number): void => {
      if (reported.has(original)) return;
      reported.add(original);
      const { line, column } = position(text, offset);
      findings.push({ category, value: maskValue(original), where, offset, line, column });
    };

    // One pass over the text: candidates are looked up by their first 3 characters.
    if (this.texts.size) {
      const key3 = (t: string, i: number): number =>
        (t.charCodeAt(i) * 65536 + t.charCodeAt(i + 1)) * 65536 + t.charCodeAt(i + 2);
      const byPrefix = new Map<number, TextPrint[]>();
      for (const p of this.texts.values()) {
        const k = key3(p.value, 0);
        const list = byPrefix.get(k);
        if (list) list.push(p);
        else byPrefix.set(k, [p]);
      }
      const found = new Set<TextPrint>();
      for (let i = 0; i + MIN_TEXT_PRINT <= text.length; i++) {
        const list = byPrefix.get(key3(text, i));
        if (!list) continue;
        for (const p of list) {
          if (found.has(p) || !text.startsWith(p.value, i)) continue;
          const end = i + p.value.length;
          const ok =
            !p.boundary ||
            ((i === 0 || !isAlnum(text.charCodeAt(i - 1))) &&
              (end >= text.length || !isAlnum(text.charCodeAt(end))));
          if (ok) {
            found.add(p);
            report(p.category, p.value, i);
          }
        }
      }
    }

    if (this.ips.size) {
      for (const m of text.matchAll(/(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9])/g)) {
        const b = parseIpv4(m[0]);
        const orig = b && this.ips.get(bytesToHex(b));
        if (orig) report("ip", orig, m.index ?? 0);
      }
      for (const m of text.matchAll(/[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g)) {
        const cands = [m[0], m[0].replace(/^:+(?!:)|(?<!:):+$/g, "")];
        for (const c of cands) {
          const b = parseIpv6(c);
          const orig = b && this.ips.get(bytesToHex(b));
          if (orig) report("ip", orig, m.index ?? 0);
        }
      }
    }

    if (this.payloads.length || this.packed.size) {
      if (typeof output === "string") {
        this.scanBytes(new TextEncoder().encode(output), 0, report);
        // Characters U+0080..U+00FF read as single bytes (binary pasted as Latin-1 text).
        if (/[\u0080-\u00ff]/.test(output)) {
          const latin = new Uint8Array(output.length);
          for (let i = 0; i < output.length; i++) latin[i] = output.charCodeAt(i) & 0xff;
          this.scanBytes(latin, 0, report);
        }
      } else this.scanBytes(output, 0, report);
      for (const { bytes, offset } of byteRuns(text)) this.scanBytes(bytes, offset, report);
    }
    return findings;
  }

  private scanBytes(
    b: Uint8Array,
    offset: number,
    report: (c: LeakCategory, original: string, offset: number) => void,
  ): void {
    if (this.payloads.length) {
      for (let i = 0; i + KEY <= b.length; i++) {
        const refs = this.index.get(u32(b, i));
        if (!refs) continue;
        for (const ref of refs) {
          const p = this.payloads[Math.floor(ref / 2 ** 32)];
          const off = ref % 2 ** 32;
          const o = p.bytes;
          let left = 0;
          while (i - left > 0 && off - left > 0 && b[i - left - 1] === o[off - left - 1]) left++;
          let right = 0;
          while (
            i + KEY + right < b.length &&
            off + KEY + right < o.length &&
            b[i + KEY + right] === o[off + KEY + right]
          )
            right++;
          if (left + KEY + right >= WINDOW && !lowEntropy(o, off - left, off + KEY + right)) {
            report(
              "payload",
              `${p.label}:${bytesToHex(o.subarray(off - left, off - left + WINDOW))}`,
              offset,
            );
            return;
          }
        }
      }
    }
    if (this.packed.size && b.length >= 6) {
      for (let i = 0; i + 6 <= b.length; i++) {
        const list = this.packed.get(u32(b, i));
        if (!list) continue;
        for (const p of list) {
          if (i + p.bytes.length > b.length) continue;
          let same = true;
          for (let k = 4; k < p.bytes.length && same; k++) same = b[i + k] === p.bytes[k];
          if (same) report("ip", `${p.label}:${bytesToHex(p.bytes)}`, offset);
        }
      }
    }
  }
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Byte sequences a text may be hiding: hex runs (≥ 6 bytes, separators ` : , -` allowed between
 * bytes, both nibble alignments), base64 runs (standard or URL-safe, ≥ 8 characters, all four
 * alignments) and decimal byte lists (`1, 2, 3, …`, ≥ 6 numbers).
 */
export function byteRuns(text: string): { bytes: Uint8Array; offset: number }[] {
  const out: { bytes: Uint8Array; offset: number }[] = [];
  for (const m of text.matchAll(/[0-9A-Fa-f]{2}(?:[ :,-]?[0-9A-Fa-f]{2}){5,}[0-9A-Fa-f]?/g)) {
    const hex = m[0].replace(/[ :,-]/g, "");
    out.push({ bytes: hexToBytes(hex), offset: m.index ?? 0 });
    if (hex.length > 12) out.push({ bytes: hexToBytes(hex.slice(1)), offset: m.index ?? 0 });
  }
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{11,}/g)) {
    // 8 bytes need 11 characters. Lowercase words (`call-creator`) and digit strings are skipped:
    // base64 of ≥ 8 random bytes is all-lowercase or all-digit with probability < 1e-4.
    if (/^[a-z_-]+$|^[0-9]+$/.test(m[0])) continue;
    for (let k = 0; k < 4 && m[0].length - k >= 11; k++) {
      out.push({ bytes: base64ToBytes(m[0].slice(k), true), offset: (m.index ?? 0) + k });
    }
  }
  for (const m of text.matchAll(/\d{1,3}(?:\s*,\s*\d{1,3}){5,}/g)) {
    const nums = m[0].split(/\s*,\s*/).map(Number);
    if (nums.every((n) => n <= 255)) out.push({ bytes: Uint8Array.from(nums), offset: m.index ?? 0 });
  }
  return out;
}
