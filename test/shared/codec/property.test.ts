/**
 * Property tests against whatsapp-rust-bridge (an independent Rust implementation,
 * wabinary.md §8). Run count: env CODEC_PROPERTY_RUNS (default 2000).
 *
 * Exclusions, by property (each one is a documented bridge quirk, wabinary.md §8):
 * - FB_JID `user:device@msgr` and INTEROP_JID `integrator-user:device@interop`: the bridge
 *   ENCODES both as AD_JID (→ `@s.whatsapp.net`), so they are excluded from byte equality;
 *   its DECODER handles FB_JID, so FB stays in the our-encoder → bridge-decoder property.
 * - INTEROP_JID in our-encoder → any-decoder: WA's encoder omits the interop server string
 *   while WA's decoder (and the bridge's) reads it, so interop never round-trips (by design).
 * - `x@call`: the bridge's decoder rejects JID_PAIR server "call".
 * - FB_JID with device 0 in bridge-decoder comparisons: the bridge prints `user@msgr`,
 *   WhatsApp Web's `WapJid.toString()` prints `user:0@msgr` (we follow WA).
 * - Blank attribute values ("" or whitespace-only): the bridge's encoder drops them.
 * - Empty child arrays: the bridge writes LIST_EMPTY, WhatsApp Web writes no content.
 * - Attribute key `__proto__` in bridge-decoder comparisons: the bridge's decoder builds its
 *   attrs object by assignment and loses it (ours keeps it as an own property).
 * - Strings with `@` that are not canonical JIDs (`isOddAtString`): the bridge writes them as
 *   (lossy) JIDs, we write plain strings.
 * Each exclusion also has a deterministic test in encoder.test.ts / jid.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, decodeNode, encodeFrame, encodeNode, type WANode } from "../../../src/shared/codec";
import {
  bridgeDecode,
  bridgeEncode,
  everyString,
  expectedAfterRoundTrip,
  hasProtoKey,
  hex,
  isOddAtString,
  nodeArb,
  RUNS,
} from "./support";

const noOddAt = (n: WANode) => everyString(n, (s) => !isOddAtString(s));
const opts = { numRuns: RUNS };
/** Per-test timeout that scales with the run count. */
const timeout = 20_000 + RUNS * 10;

describe(`property tests vs whatsapp-rust-bridge (${RUNS} runs each)`, () => {
  it(
    "bridge-encoded frames decode with ours to the bridge's own decode",
    () => {
      const arb = nodeArb({
        fb: true,
        fbDevice0: true,
        interop: true,
        call: false,
        blankAttrs: true,
        emptyChildren: true,
      }).filter((n) => noOddAt(n) && !hasProtoKey(n));
      fc.assert(
        fc.property(arb, (node) => {
          const bytes = bridgeEncode(node);
          expect(decodeFrame(bytes)).toEqual(bridgeDecode(bytes));
        }),
        opts,
      );
    },
    timeout,
  );

  it(
    "our frames decode with the bridge and with ours to the expected tree",
    () => {
      const arb = nodeArb({
        fb: true,
        fbDevice0: false,
        interop: false,
        call: false,
        blankAttrs: true,
        emptyChildren: true,
      }).filter((n) => !hasProtoKey(n));
      fc.assert(
        fc.property(arb, (node) => {
          const bytes = encodeFrame(node);
          const expected = expectedAfterRoundTrip(node);
          expect(decodeFrame(bytes)).toEqual(expected);
          expect(bridgeDecode(bytes)).toEqual(expected);
          expect(decodeNode(encodeNode(node))).toEqual(expected);
        }),
        opts,
      );
    },
    timeout,
  );

  it(
    "our bytes equal the bridge's bytes where both follow WhatsApp Web's rules",
    () => {
      const arb = nodeArb({
        fb: false,
        fbDevice0: false,
        interop: false,
        call: true,
        blankAttrs: false,
        emptyChildren: false,
      }).filter(noOddAt);
      fc.assert(
        fc.property(arb, (node) => {
          expect(hex(encodeFrame(node))).toBe(hex(bridgeEncode(node)));
        }),
        opts,
      );
    },
    timeout,
  );

  it(
    "round trip with FB device 0 and @call JIDs through our own codec",
    () => {
      const arb = nodeArb({
        fb: true,
        fbDevice0: true,
        interop: false,
        call: true,
        blankAttrs: true,
        emptyChildren: true,
      });
      fc.assert(
        fc.property(arb, (node) => {
          expect(decodeNode(encodeNode(node))).toEqual(expectedAfterRoundTrip(node));
        }),
        opts,
      );
    },
    timeout,
  );
});
