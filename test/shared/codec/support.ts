/**
 * Shared helpers and fast-check generators for the codec tests (not a test file itself).
 * The independent implementation is whatsapp-rust-bridge (wabinary.md §8).
 */
import fc from "fast-check";
import * as bridge from "whatsapp-rust-bridge";
import { jidForEncoding } from "../../../src/shared/codec/jid";
import type { WANode } from "../../../src/shared/codec/node";
import {
  DEFAULT_TABLES,
  DOUBLE_BYTE_TOKENS,
  SINGLE_BYTE_TOKENS,
  tokenLookup,
} from "../../../src/shared/codec/tokens";
import { utf8Bytes } from "../../../src/shared/codec/utf8";

/** Property-test run count: env `CODEC_PROPERTY_RUNS` (default 2000). */
export const RUNS = Number(process.env.CODEC_PROPERTY_RUNS ?? 2000);

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
export const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

/** A plain WANode tree (Buffers → Uint8Array, no `content: undefined`). */
export function plain(x: unknown): WANode {
  const n = x as { tag: string; attrs?: Record<string, string>; content?: unknown };
  const out: WANode = { tag: n.tag, attrs: { ...(n.attrs ?? {}) } };
  const c = n.content;
  if (Array.isArray(c)) out.content = c.map(plain);
  else if (c instanceof Uint8Array) out.content = new Uint8Array(c);
  else if (typeof c === "string") out.content = c;
  return out;
}

/** Encodes with the bridge (output includes the 0x00 flags byte). */
export function bridgeEncode(node: WANode): Uint8Array {
  return bridge.encodeNode(node as never);
}

/** Decodes a frame (flags byte included) with the bridge into a plain tree. */
export function bridgeDecode(frame: Uint8Array): WANode {
  const n = bridge.decodeNode(frame);
  try {
    return plain(n.toJSON());
  } finally {
    n.free();
  }
}

/** The worked example of wabinary.md §9 (30 bytes with the flags byte). */
export const WORKED_EXAMPLE_HEX = `00
  f8 09
  1b
  08 fb 08 ab cd ef 01 23 45 67 89
  15 64
  04 ec 1c
  11 fa ff 05 12 34 56 78 90 03`;
export const WORKED_EXAMPLE_NODE: WANode = {
  tag: "ack",
  attrs: { id: "ABCDEF0123456789", class: "call", type: "offer", to: "1234567890@s.whatsapp.net" },
};

const lookup = tokenLookup(DEFAULT_TABLES);

/** True when the encoder keeps `s` as a string form (token, packed, JID) rather than raw bytes. */
export function staysString(s: string): boolean {
  if (s === "") return false;
  if (lookup.has(s)) return true;
  if (s.length <= 127 && (/^[0-9.-]+$/.test(s) || /^[0-9A-F]+$/.test(s))) return true;
  return jidForEncoding(s) !== undefined;
}

/**
 * What decoding the encoding of `node` must give: raw-coded string content becomes its UTF-8
 * bytes (as in WhatsApp Web and the bridge), and an empty child list becomes no content.
 */
export function expectedAfterRoundTrip(node: WANode): WANode {
  const out: WANode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (Array.isArray(c)) {
    if (c.length > 0) out.content = c.map(expectedAfterRoundTrip);
  } else if (c instanceof Uint8Array) out.content = new Uint8Array(c);
  else if (typeof c === "string") out.content = staysString(c) ? c : utf8Bytes(c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

export const ALL_SINGLE = SINGLE_BYTE_TOKENS.slice(1);
export const ALL_DOUBLE = DOUBLE_BYTE_TOKENS.flat();

const token = fc.oneof(fc.constantFrom(...ALL_SINGLE), fc.constantFrom(...ALL_DOUBLE));
const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));
const phone = fc.tuple(fc.constantFrom(..."123456789"), digits(4, 14)).map(([a, b]) => a + b);
const device = fc.integer({ min: 1, max: 255 });
const agent = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const device16 = fc.integer({ min: 1, max: 0xffff });

/** Which JID kinds a generator may produce (the bridge mishandles some, wabinary.md §8). */
export interface JidKinds {
  /** `user:device@msgr`, device >= 1 (bridge encodes it as AD_JID → `@s.whatsapp.net`). */
  fb: boolean;
  /** `user:0@msgr` (bridge's decoder prints FB device 0 as `user@msgr`; WA prints `:0`). */
  fbDevice0: boolean;
  /** `integrator-user:device@interop` (bridge drops the integrator; WA omits the server). */
  interop: boolean;
  /** `x@call` (bridge's decoder rejects JID_PAIR server "call"). */
  call: boolean;
}

export function jidArb(kinds: JidKinds): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc
      .tuple(phone, fc.constantFrom("s.whatsapp.net", "lid", "c.us", "hosted", "hosted.lid"))
      .map(([u, s]) => `${u}@${s}`),
    fc
      .tuple(phone, device, fc.constantFrom("s.whatsapp.net", "lid", "hosted.lid"))
      .map(([u, d, s]) => `${u}:${d}@${s}`),
    phone.map((u) => `${u}:99@hosted`),
    fc
      .tuple(phone, agent, device, fc.constantFrom("s.whatsapp.net", "lid"))
      .map(([u, a, d, s]) => `${u}.${a}:${d}@${s}`),
    fc.tuple(phone, agent).map(([u, a]) => `${u}.${a}@s.whatsapp.net`),
    fc.tuple(phone, digits(1, 10)).map(([u, t]) => `${u}-${t}@g.us`),
    digits(18, 18).map((g) => `1${g}@g.us`),
    fc.constantFrom("status@broadcast", "0@s.whatsapp.net", "server@s.whatsapp.net"),
    phone.map((u) => `${u}@broadcast`),
    digits(12, 18).map((n) => `1${n}@newsletter`),
    phone.map((u) => `${u}@bot`),
    phone.map((u) => `${u}@msgr`),
    fc.tuple(phone, fc.constantFrom("c.us", "g.us", "lid")).map(([u, s]) => `${u.toLowerCase()}x@${s}`),
  ];
  if (kinds.fb) options.push(fc.tuple(phone, device16).map(([u, d]) => `${u}:${d}@msgr`));
  if (kinds.fbDevice0) options.push(phone.map((u) => `${u}:0@msgr`));
  if (kinds.interop) {
    options.push(fc.tuple(u16, phone, u16).map(([i, u, d]) => `${i}-${u}:${d}@interop`));
  }
  if (kinds.call) options.push(fc.stringMatching(/^[0-9A-F]{32}$/).map((id) => `${id}@call`));
  return fc.oneof(...options);
}

/** Attribute / content string values of every kind. */
export function valueArb(kinds: JidKinds): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: token, weight: 4 },
    { arbitrary: jidArb(kinds), weight: 4 },
    { arbitrary: fc.nat().map(String), weight: 2 },
    { arbitrary: fc.stringMatching(/^[0-9.-]{1,140}$/), weight: 1 },
    { arbitrary: fc.stringMatching(/^[0-9A-F]{1,140}$/), weight: 2 },
    { arbitrary: fc.stringMatching(/^[0-9a-f]{1,40}$/), weight: 1 },
    // Packing limit (< 128 chars) and BINARY_8 / BINARY_20 boundary (256 bytes).
    { arbitrary: fc.stringMatching(/^[0-9]{126,129}$/), weight: 1 },
    { arbitrary: fc.stringMatching(/^[0-9A-F]{126,129}$/), weight: 1 },
    { arbitrary: fc.stringMatching(/^[a-z]{254,257}$/), weight: 1 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 200, maxLength: 400 }), weight: 1 },
    {
      arbitrary: fc.constantFrom("", " ", "\t", "@", "a@", "@g.us", "1:0@lid", "x:3@foo", "1@2@lid"),
      weight: 1,
    },
  );
}

/** Value arbitrary for comparisons with the bridge's encoder: no blank values (it drops them). */
export const isBlank = (v: string): boolean => /^[\s\u0085]*$/u.test(v);

export interface NodeArbOptions extends JidKinds {
  /** Allow attribute values the bridge's encoder drops ("" and whitespace-only). */
  blankAttrs: boolean;
  /** Allow `content: []` (WA writes no content; the bridge writes LIST_EMPTY). */
  emptyChildren: boolean;
}

const keyArb = fc.oneof(
  { arbitrary: token, weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), weight: 1 },
);

export function nodeArb(o: NodeArbOptions): fc.Arbitrary<WANode> {
  const value = o.blankAttrs ? valueArb(o) : valueArb(o).filter((v) => !isBlank(v));
  const attrs = fc
    .uniqueArray(fc.tuple(keyArb, value), { selector: (p) => p[0], maxLength: 6 })
    .map((pairs) => Object.fromEntries(pairs));
  const tag = fc.oneof(
    { arbitrary: token, weight: 4 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 10 }), weight: 1 },
  );
  const binary = fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 4 },
    { arbitrary: fc.uint8Array({ minLength: 250, maxLength: 600 }), weight: 1 },
  );
  const { node } = fc.letrec<{ node: WANode }>((tie) => ({
    node: fc
      .tuple(
        tag,
        attrs,
        fc.oneof(
          { maxDepth: 4, depthIdentifier: "node" },
          fc.constant(undefined),
          binary,
          valueArb(o),
          fc.array(tie("node"), {
            minLength: o.emptyChildren ? 0 : 1,
            maxLength: 4,
            depthIdentifier: "node",
          }),
        ),
      )
      .map(([t, a, c]) => (c === undefined ? { tag: t, attrs: a } : { tag: t, attrs: a, content: c })),
  }));
  return node;
}

/** Every string in a node: tag, attribute keys and values, string content (recursively). */
export function everyString(node: WANode, ok: (s: string) => boolean): boolean {
  if (!ok(node.tag)) return false;
  for (const [k, v] of Object.entries(node.attrs)) if (!ok(k) || !ok(v)) return false;
  const c = node.content;
  if (typeof c === "string") return ok(c);
  if (Array.isArray(c)) return c.every((child) => everyString(child, ok));
  return true;
}

/**
 * Strings with `@` that are not canonical JIDs (e.g. `a@`, `1:0@lid`, `x:3@foo`): the bridge
 * still writes them as JIDs (lossily, or with servers its own decoder rejects); WhatsApp Web
 * only writes JID forms for `WapJid` objects, so we write them as plain strings.
 */
export const isOddAtString = (s: string): boolean => s.includes("@") && jidForEncoding(s) === undefined;

/** True when some node in the tree has an attribute named `__proto__` (the bridge's decoder loses it). */
export function hasProtoKey(node: WANode): boolean {
  if (Object.hasOwn(node.attrs, "__proto__")) return true;
  return Array.isArray(node.content) && node.content.some(hasProtoKey);
}
