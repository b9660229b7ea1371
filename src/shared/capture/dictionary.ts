/**
 * Which token tables decode which bytes. The connection header `57 41 06 <v>` names the
 * dictionary version of a chat socket; WhatsApp's `WAWapDict` module (when found) holds the
 * tables its own codec uses; our codec bundles the v3 tables. Decoding with tables of the
 * wrong version does not fail, it MISREADS (v2 → v3 changed 223 of 235 single-byte slots,
 * wabinary.md §3), which could turn a message into something that looks like a call. So bytes
 * are decoded only with tables whose version is positively known to match; anything else is
 * counted as undecodable. Pure.
 */
import { DEFAULT_TABLES, type TokenTables } from "../codec/tokens";
import type { DictionaryHealth } from "../trace/types";

/** Encode round trips that must all mismatch before the bundled tables are rejected. */
export const MISMATCHES_TO_REJECT = 5;

/** Number of slots that differ between two table sets (single-byte 1..235, double 4×256). */
export function diffTables(
  a: TokenTables,
  b: TokenTables,
): { single: number; double: number; total: number } {
  let single = 0;
  for (let i = 1; i <= 235; i++) if ((a.single[i] ?? "") !== (b.single[i] ?? "")) single++;
  let double = 0;
  for (let d = 0; d < 4; d++) {
    for (let i = 0; i < 256; i++) if ((a.double[d]?.[i] ?? "") !== (b.double[d]?.[i] ?? "")) double++;
  }
  return { single, double, total: single + double };
}

/** Where a frame's bytes came from, which decides how its dictionary version is known. */
export type FrameOrigin =
  /** A Noise transport frame: the version is that of its socket's header. */
  | { kind: "socket"; dictVersion?: number }
  /** Bytes handed to WA's codec (`decodeStanza`): WA decodes them with its own tables. */
  | { kind: "codec" };

/** The dictionary knowledge of one page or worker. */
export class DictionaryState {
  private page: TokenTables | undefined;
  private readonly headers: number[] = [];
  private readonly unknown = new Set<number>();
  private roundTrip: "unverified" | "match" | "mismatch" = "unverified";
  private mismatches = 0;
  private diff: DictionaryHealth["diffFromBundled"];
  /** Incremented on every change of what is known (callers re-try bytes that had to wait). */
  generation = 0;

  /** Tables from WA's `WAWapDict` (already converted with `tablesFromWAWapDict`). */
  setPageTables(tables: TokenTables): void {
    this.page = tables;
    this.diff = diffTables(tables, DEFAULT_TABLES);
    this.generation++;
  }

  /** The page's tables, when found. */
  get pageTables(): TokenTables | undefined {
    return this.page;
  }

  /** Records a chat-socket header's dictionary version. */
  addHeaderVersion(version: number): void {
    if (this.headers.includes(version)) return;
    this.headers.push(version);
    this.generation++;
  }

  /** The most recent header version seen, if any. */
  get latestHeaderVersion(): number | undefined {
    return this.headers.length ? this.headers[this.headers.length - 1] : undefined;
  }

  /**
   * Records the outcome of an encode round trip: the bytes WA's `encodeStanza` returned,
   * decoded with the bundled tables, equal (`match`) or not the node it was given. Used only
   * when `WAWapDict` was not found, to know whether the page's codec uses v3. One match
   * settles it (wrong tables cannot reproduce a node); a mismatch can have innocent causes
   * (a JID form our codec prints differently), so only `MISMATCHES_TO_REJECT` of them with no
   * match reject the bundled tables.
   */
  setRoundTrip(result: "match" | "mismatch"): void {
    if (this.roundTrip !== "unverified") return;
    if (result === "match") this.roundTrip = "match";
    else if (++this.mismatches >= MISMATCHES_TO_REJECT) this.roundTrip = "mismatch";
    else return;
    this.generation++;
  }

  /** Whether an encode round trip is still useful (no page tables, not yet established). */
  get wantsRoundTrip(): boolean {
    return this.page === undefined && this.roundTrip === "unverified";
  }

  /** Tables for a dictionary version: the page's when their version matches, else bundled v3 for 3. */
  tablesForVersion(version: number): TokenTables | undefined {
    if (this.page && this.page.version === version) return this.page;
    if (version === DEFAULT_TABLES.version) return DEFAULT_TABLES;
    return undefined;
  }

  /**
   * Tables for bytes of the given origin, or why there are none (`retry`: the answer may change
   * once more is known, e.g. the first encode round trip; see `generation`).
   * - socket frames: the version of their header (the latest header when the key predates none);
   * - codec bytes: the page's `WAWapDict` tables; without them, bundled v3 when a header said 3
   *   or an encode round trip matched.
   */
  tablesFor(origin: FrameOrigin): { tables: TokenTables } | { reason: string; retry?: boolean } {
    if (origin.kind === "socket") {
      const v = origin.dictVersion ?? this.latestHeaderVersion;
      if (v === undefined) return { reason: "no connection header seen", retry: true };
      const t = this.tablesForVersion(v);
      if (t) return { tables: t };
      this.unknown.add(v);
      return { reason: `unknown dictionary v${v}` };
    }
    if (this.page) return { tables: this.page };
    if (this.roundTrip === "match") return { tables: DEFAULT_TABLES };
    if (this.roundTrip === "mismatch") return { reason: "page codec does not use the bundled v3 tables" };
    const v = this.latestHeaderVersion;
    if (v === undefined) return { reason: "dictionary of the page's codec not established yet", retry: true };
    const t = this.tablesForVersion(v);
    if (t) return { tables: t };
    this.unknown.add(v);
    return { reason: `unknown dictionary v${v}` };
  }

  /** Capture health's view. */
  health(): DictionaryHealth {
    const h: DictionaryHealth = { source: "none", headerVersions: [...this.headers] };
    if (this.page) {
      h.source = "page";
      h.version = this.page.version;
      h.diffFromBundled = this.diff;
      h.note = "tables from WAWapDict";
      const latest = this.latestHeaderVersion;
      if (latest !== undefined && latest !== this.page.version) {
        h.note = `WAWapDict is v${this.page.version} but the connection header says v${latest}`;
      }
    } else {
      const v = this.latestHeaderVersion;
      if (v === DEFAULT_TABLES.version || (v === undefined && this.roundTrip === "match")) {
        h.source = "bundled";
        h.version = DEFAULT_TABLES.version;
        h.note =
          v !== undefined
            ? "bundled v3 tables (connection header v3)"
            : "bundled v3 tables (encode round trip)";
      } else if (v !== undefined) {
        h.version = v;
        h.note = `connection header announces v${v}; no tables known for it`;
      } else if (this.roundTrip === "mismatch") {
        h.note = "WAWapDict not found and the page's codec does not match the bundled v3 tables";
      }
    }
    const unknown = [...this.unknown];
    for (const v of this.headers) if (!this.tablesForVersion(v) && !unknown.includes(v)) unknown.push(v);
    if (unknown.length) h.unknownVersions = unknown;
    return h;
  }
}
