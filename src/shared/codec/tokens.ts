/**
 * Token tables: the dictionary-v3 default (generated data in `tokens-v3.ts`), the
 * `TokenTables` shape for tables handed in at run time, and cached reverse lookup.
 * Source: wabinary.md §3; WhatsApp Web module `WAWapDict`.
 */
import { DICTIONARY_0, SINGLE_BYTE_MAX } from "./tags";
import { DOUBLE_BYTE_TOKENS_V3, SINGLE_BYTE_TOKENS_V3 } from "./tokens-v3";

/** Dictionary version of the built-in tables (announced in the connection header `57 41 06 03`). */
export const DICT_VERSION = 3;

/** Built-in single-byte tokens: index = wire byte 1..235, slot 0 empty. */
export const SINGLE_BYTE_TOKENS: readonly string[] = SINGLE_BYTE_TOKENS_V3;

/** Built-in double-byte tokens: `DOUBLE_BYTE_TOKENS[d][i]` is the wire pair `(236 + d) i`. */
export const DOUBLE_BYTE_TOKENS: readonly (readonly string[])[] = DOUBLE_BYTE_TOKENS_V3;

/**
 * A set of token tables.
 * - `single[b]` is the token for wire byte `b` (1..235); `single[0]` is unused.
 * - `double[d][i]` is the token for `DICTIONARY_d i` (d = 0..3, i = 0..255).
 */
export interface TokenTables {
  readonly version: number;
  readonly single: readonly string[];
  readonly double: readonly (readonly string[])[];
}

/** The built-in dictionary-v3 tables (wabinary.md §3). */
export const DEFAULT_TABLES: TokenTables = {
  version: DICT_VERSION,
  single: SINGLE_BYTE_TOKENS,
  double: DOUBLE_BYTE_TOKENS,
};

/**
 * Reverse lookup: token → wire code. A code below 256 is a single-byte token; otherwise it
 * is `(dictionaryTag << 8) | index` with `dictionaryTag` in 236..239.
 */
export type TokenLookup = ReadonlyMap<string, number>;

const lookupCache = new WeakMap<TokenTables, TokenLookup>();

/**
 * Builds (once per tables object, cached in a WeakMap) the token → wire code map.
 * Single-byte tokens win over dictionary tokens and earlier slots over later ones, as
 * WhatsApp Web's encoder tries the single-byte table first (wabinary.md §4).
 * Empty slots and single-byte slots above 235 are ignored.
 */
export function tokenLookup(tables: TokenTables): TokenLookup {
  const cached = lookupCache.get(tables);
  if (cached) return cached;
  const map = new Map<string, number>();
  const singleEnd = Math.min(tables.single.length, SINGLE_BYTE_MAX + 1);
  for (let b = 1; b < singleEnd; b++) {
    const t = tables.single[b];
    if (typeof t === "string" && t !== "" && !map.has(t)) map.set(t, b);
  }
  const dicts = Math.min(tables.double.length, 4);
  for (let d = 0; d < dicts; d++) {
    const dict = tables.double[d];
    const n = Math.min(dict.length, 256);
    for (let i = 0; i < n; i++) {
      const t = dict[i];
      if (typeof t === "string" && t !== "" && !map.has(t)) map.set(t, ((DICTIONARY_0 + d) << 8) | i);
    }
  }
  lookupCache.set(tables, map);
  return map;
}

/**
 * The exports of WhatsApp Web's `WAWapDict` module that matter here: `SINGLE_BYTE_TOKEN` is a
 * list WITHOUT the empty slot 0 (wire byte n is entry n−1); the dictionaries come either as
 * `DICTIONARIES` or as `DICTIONARY_0_TOKEN`..`DICTIONARY_3_TOKEN` (wa-web-runtime.md §2.3).
 */
export interface WAWapDictLike {
  DICT_VERSION?: unknown;
  SINGLE_BYTE_TOKEN?: unknown;
  DICTIONARIES?: unknown;
  DICTIONARY_0_TOKEN?: unknown;
  DICTIONARY_1_TOKEN?: unknown;
  DICTIONARY_2_TOKEN?: unknown;
  DICTIONARY_3_TOKEN?: unknown;
}

function isStringArray(x: unknown, maxLen: number): x is string[] {
  return Array.isArray(x) && x.length <= maxLen && x.every((t) => typeof t === "string");
}

/**
 * Converts WhatsApp Web's `WAWapDict` exports into `TokenTables` (adds the empty slot 0).
 * Returns `undefined` when the shape is not as expected (missing lists, non-strings, more
 * than 235 single-byte or 256 dictionary entries, not exactly 4 dictionaries).
 */
export function tablesFromWAWapDict(mod: WAWapDictLike): TokenTables | undefined {
  const version = typeof mod.DICT_VERSION === "number" ? mod.DICT_VERSION : undefined;
  if (version === undefined || !isStringArray(mod.SINGLE_BYTE_TOKEN, SINGLE_BYTE_MAX)) return undefined;
  const dicts = Array.isArray(mod.DICTIONARIES)
    ? mod.DICTIONARIES
    : [mod.DICTIONARY_0_TOKEN, mod.DICTIONARY_1_TOKEN, mod.DICTIONARY_2_TOKEN, mod.DICTIONARY_3_TOKEN];
  if (dicts.length !== 4) return undefined;
  const double: string[][] = [];
  for (const d of dicts) {
    if (!isStringArray(d, 256)) return undefined;
    double.push([...d]);
  }
  return { version, single: ["", ...mod.SINGLE_BYTE_TOKEN], double };
}
