/**
 * Interop with Baileys 7 (pure-JS WABinary): for random nodes of every construct (tokens,
 * dictionary tokens, NIBBLE/HEX packing and its 127-char limit, BINARY_8/20 strings, JID_PAIR,
 * AD_JID incl. LID/hosted devices, FB_JID, `@call`, bytes, text, nesting, empty child lists),
 * Baileys' bytes decode with ours to Baileys' own tree, our bytes decode with Baileys to the
 * expected tree, and both encoders write identical bytes where both follow WhatsApp Web.
 *
 * Run count: env CODEC_BAILEYS_RUNS (default 2 × CODEC_PROPERTY_RUNS = 4000 per property,
 * 12,000 cases per run). Baileys quirks excluded or normalised, by name (see baileys.ts):
 * - emptyChildList, bufferContent: normalised in `baileysDecode` ([] ≡ no content, Buffer → bytes);
 * - prototypeNames, protoAttrKey, jidLikeStrings: nodes with such strings are excluded where
 *   Baileys' encoder is involved (`freeOfBaileysLossyStrings`); protoAttrKey also where its
 *   decoder is;
 * - fbInteropAsAdJid: FB/interop device JIDs excluded from the "equals the original" check
 *   and from byte equality (both decoders still agree on Baileys' bytes);
 * - interopServerRead: interop JIDs excluded when Baileys decodes our bytes;
 * - unknownAdDomain, nibble12to15, emptyTag: not produced by either encoder for these
 *   nodes; deterministic tests below.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, isCodecError, type WANode } from "../../../src/shared/codec";
import {
  BAILEYS_QUIRKS,
  baileysDecode,
  baileysDecodeRaw,
  baileysEncode,
  freeOfBaileysLossyStrings,
  isFbOrInteropJid,
} from "./baileys";
import { everyString, expectedAfterRoundTrip, fromHex, hasProtoKey, hex, nodeArb, RUNS } from "./support";

const BAILEYS_RUNS = Number(process.env.CODEC_BAILEYS_RUNS ?? 2 * RUNS);
const opts = { numRuns: BAILEYS_RUNS };
const timeout = 30_000 + BAILEYS_RUNS * 10;
const noFbInterop = (n: WANode) => everyString(n, (s) => !isFbOrInteropJid(s));

describe(`interop with Baileys 7 (${BAILEYS_RUNS} runs per property)`, () => {
  it(
    "Baileys-encoded frames decode with ours to Baileys' own decode (and to the original)",
    () => {
      const arb = nodeArb({
        fb: true,
        fbDevice0: true,
        interop: true,
        call: true,
        blankAttrs: true,
        emptyChildren: true,
      }).filter(freeOfBaileysLossyStrings);
      fc.assert(
        fc.property(arb, (node) => {
          const bytes = baileysEncode(node);
          const ours = decodeFrame(bytes);
          expect(ours).toEqual(baileysDecode(bytes));
          if (noFbInterop(node)) expect(ours).toEqual(expectedAfterRoundTrip(node));
        }),
        opts,
      );
    },
    timeout,
  );

  it(
    "our frames decode with Baileys to the expected tree",
    () => {
      const arb = nodeArb({
        fb: true,
        fbDevice0: true,
        interop: false,
        call: true,
        blankAttrs: true,
        emptyChildren: true,
      }).filter((n) => !hasProtoKey(n));
      fc.assert(
        fc.property(arb, (node) => {
          expect(baileysDecode(encodeFrame(node))).toEqual(expectedAfterRoundTrip(node));
        }),
        opts,
      );
    },
    timeout,
  );

  it(
    "our bytes equal Baileys' bytes where both follow WhatsApp Web's rules",
    () => {
      const arb = nodeArb({
        fb: false,
        fbDevice0: false,
        interop: false,
        call: true,
        blankAttrs: true,
        emptyChildren: false,
      }).filter(freeOfBaileysLossyStrings);
      fc.assert(
        fc.property(arb, (node) => {
          expect(hex(encodeFrame(node))).toBe(hex(baileysEncode(node)));
        }),
        opts,
      );
    },
    timeout,
  );
});

describe("each Baileys quirk, deterministically", () => {
  const ours = (n: WANode) => hex(encodeFrame(n));
  const theirs = (n: WANode) => hex(baileysEncode(n));

  it(`emptyChildList: ${BAILEYS_QUIRKS.emptyChildList}`, () => {
    const n: WANode = { tag: "call", attrs: {}, content: [] };
    expect(theirs(n)).toBe("00f80264" + "00");
    expect(ours(n)).toBe("00f80164");
    expect((baileysDecodeRaw(fromHex("00f8026400")) as WANode).content).toEqual([]);
    expect(decodeFrame(fromHex("00f8026400"))).toEqual({ tag: "call", attrs: {} });
  });

  it(`bufferContent: ${BAILEYS_QUIRKS.bufferContent}`, () => {
    const raw = baileysDecodeRaw(encodeFrame({ tag: "enc", attrs: {}, content: fromHex("0102") })) as WANode;
    expect(Buffer.isBuffer(raw.content)).toBe(true);
    expect(Object.hasOwn(baileysDecodeRaw(encodeFrame({ tag: "net", attrs: {} })) as object, "content")).toBe(
      true,
    );
  });

  it(`prototypeNames: ${BAILEYS_QUIRKS.prototypeNames}`, () => {
    expect(theirs({ tag: "call", attrs: { reason: "toString" } })).toBe("00f80364ec2e00");
    expect(ours({ tag: "call", attrs: { reason: "toString" } })).toBe("00f80364ec2efc08746f537472696e67");
    expect(() => baileysDecodeRaw(baileysEncode({ tag: "constructor", attrs: {} }))).toThrow();
  });

  it(`protoAttrKey: ${BAILEYS_QUIRKS.protoAttrKey}`, () => {
    const attrs: Record<string, string> = {};
    Object.defineProperty(attrs, "__proto__", {
      value: "1",
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const bytes = encodeFrame({ tag: "a", attrs });
    expect(Object.keys((decodeFrame(bytes) as WANode).attrs)).toEqual(["__proto__"]);
    expect(Object.keys(baileysDecode(bytes).attrs)).toEqual([]);
  });

  it(`jidLikeStrings: ${BAILEYS_QUIRKS.jidLikeStrings}`, () => {
    const back = (s: string) => baileysDecode(baileysEncode({ tag: "a", attrs: { v: s } })).attrs.v;
    expect(back("123:0@s.whatsapp.net")).toBe("123@s.whatsapp.net");
    expect(back("123_1@s.whatsapp.net")).toBe("123@s.whatsapp.net");
    expect(back("123:300@lid")).toBe("123:44@lid");
    expect(back("@g.us")).toBe("@g.us");
    expect(decodeFrame(baileysEncode({ tag: "a", attrs: { v: "@g.us" } }))).toEqual({
      tag: "a",
      attrs: { v: "g.us" },
    });
    expect(() => baileysDecode(baileysEncode({ tag: "a", attrs: { v: "a@" } }))).toThrow(/jid pair/);
    const nested = decodeFrame(baileysEncode({ tag: "a", attrs: { v: "1@2@lid" } }));
    expect(isCodecError(nested) && nested.code).toBe("invalid-jid");
    // We write such strings as plain strings, which Baileys reads back unchanged.
    for (const s of ["123:0@s.whatsapp.net", "@g.us", "a@", "1@2@lid", "x:3@foo"]) {
      expect(baileysDecode(encodeFrame({ tag: "a", attrs: { v: s } })).attrs.v).toBe(s);
    }
  });

  it(`fbInteropAsAdJid: ${BAILEYS_QUIRKS.fbInteropAsAdJid}`, () => {
    const bytes = baileysEncode({ tag: "a", attrs: { v: "12:5@msgr" } });
    expect(hex(bytes)).toBe("00f803fc016151" + "f70005cf"); // AD_JID domain 0, device 5, user "12"
    expect(ours({ tag: "a", attrs: { v: "12:5@msgr" } })).toBe("00f803fc016151" + "f6cf0005cc"); // FB_JID
    expect((decodeFrame(bytes) as WANode).attrs.v).toBe("12:5@s.whatsapp.net");
    expect(baileysDecode(encodeFrame({ tag: "a", attrs: { v: "12:5@msgr" } })).attrs.v).toBe("12:5@msgr");
  });

  it(`interopServerRead: ${BAILEYS_QUIRKS.interopServerRead}`, () => {
    const bytes = encodeFrame({ tag: "a", attrs: { v: "7-12:2@interop", w: "x" } });
    // Baileys takes the next key ("w") as the server and then misreads the rest.
    expect(() => baileysDecode(bytes)).toThrow();
  });

  it(`unknownAdDomain: ${BAILEYS_QUIRKS.unknownAdDomain}`, () => {
    const bytes = fromHex("00 f803 fc0161 fc0161 f7 02 05 ff8312345f"); // AD_JID domain 2
    expect(baileysDecode(bytes).attrs.a).toBe("12345:5@s.whatsapp.net");
    const r = decodeFrame(bytes);
    expect(isCodecError(r) && r.code).toBe("invalid-jid");
  });

  it(`nibble12to15: ${BAILEYS_QUIRKS.nibble12to15}`, () => {
    expect(baileysDecode(fromHex("00 f803 fc0161 fc0161 ff02 12f3")).attrs.a).toBe("12\u00003");
    expect(() => baileysDecode(fromHex("00 f803 fc0161 fc0161 ff02 12c3"))).toThrow(/nibble/);
    expect((decodeFrame(fromHex("00 f803 fc0161 fc0161 ff02 12c3")) as WANode).attrs.a).toBe("12\ufffd3");
    expect((decodeFrame(fromHex("00 f803 fc0161 fc0161 ff02 12f3")) as WANode).attrs.a).toBe("12\ufffd3");
  });

  it(`emptyTag: ${BAILEYS_QUIRKS.emptyTag}`, () => {
    const bytes = encodeFrame({ tag: "", attrs: {} });
    expect(decodeFrame(bytes)).toEqual({ tag: "", attrs: {} });
    expect(() => baileysDecodeRaw(bytes)).toThrow(/invalid node/);
  });

  it(`packingLimit: ${BAILEYS_QUIRKS.packingLimit}`, () => {
    for (const s of ["1".repeat(127), "1".repeat(128), "A".repeat(127), "A".repeat(128)]) {
      const n: WANode = { tag: "a", attrs: { v: s } };
      expect(ours(n)).toBe(theirs(n));
    }
  });
});
