/**
 * Baileys 7 (WhiskeySockets/Baileys 7.0.0-rc14, pure-JS `lib/WABinary`) as a second
 * independent implementation for the interop properties, and its known differences.
 *
 * Each quirk below was found by experiment (random nodes through both codecs) and confirmed
 * in `node_modules/baileys/lib/WABinary/{encode,decode,jid-utils,constants}.js`. The
 * properties in baileys.test.ts normalise or exclude exactly these, by name; each one also
 * has a deterministic test there.
 */
import * as BAILEYS_CONSTANTS from "baileys/lib/WABinary/constants.js";
import { decodeDecompressedBinaryNode, encodeBinaryNode } from "baileys/lib/WABinary/index.js";
import type { WANode } from "../../../src/shared/codec";
import { everyString, hasProtoKey, isOddAtString, plain } from "./support";

/** The Baileys quirks, by name. */
export const BAILEYS_QUIRKS = {
  /** encode.js `writeListStart(0)`: `content: []` is written as LIST_EMPTY (WA writes no content). */
  emptyChildList: "writes LIST_EMPTY for an empty child list and decodes LIST_EMPTY content as []",
  /** decode.js `readBytes` returns `buffer.slice`; the node literal always has a `content` key. */
  bufferContent: "returns binary content as a Node Buffer and absent content as `content: undefined`",
  /** constants.js `TOKEN_MAP` is a plain object, so `TOKEN_MAP["toString"]` is truthy. */
  prototypeNames:
    "strings that name Object.prototype members (toString, constructor, __proto__, …) are written as " +
    "byte 0x00 (read back as '', as a tag it makes an invalid node, as content it is dropped)",
  /** decode.js `attrs[key] = value` on a plain object. */
  protoAttrKey: "an attribute named __proto__ is lost when decoding",
  /** jid-utils.js `jidDecode` accepts any string with '@'. */
  jidLikeStrings:
    "every string with '@' is written as a JID: ':0' and '_agent' are dropped or the agent becomes the " +
    "AD_JID domain byte, devices are cut to 8 bits, an empty user reads back as '@server', an empty " +
    "server throws on decode, an '@' in the server makes a nested JID (which WA and we reject)",
  /** encode.js `writeJid` knows only AD_JID and JID_PAIR. */
  fbInteropAsAdJid: "writes user:device@msgr and …@interop device JIDs as AD_JID (→ @s.whatsapp.net)",
  /** decode.js `readInteropJid` reads a server string that WA's encoder (and ours) never writes. */
  interopServerRead: "after INTEROP_JID reads a server string, swallowing the next item",
  /** decode.js `readAdJid` defaults the server. */
  unknownAdDomain: "decodes an unknown AD_JID domain byte as s.whatsapp.net (WA and we reject it)",
  /** decode.js `unpackNibble`. */
  nibble12to15: "NIBBLE_8 nibble 15 decodes as '\\0' and 12–14 throw (WA and we give U+FFFD)",
  /** decode.js `if (!listSize || !header.length) throw`. */
  emptyTag: "rejects a node whose tag is the empty string (we accept it)",
  /**
   * encode.js `isNibble`/`isHex` test `str.length <= 127` (UTF-16 units); packable strings are
   * ASCII, so this equals WA's "UTF-8 length < 128": no difference, checked by byte equality.
   */
  packingLimit: "packs strings of at most 127 characters: the same bytes as WA (not excluded)",
} as const;

/** Names of `BAILEYS_QUIRKS`. */
export type BaileysQuirk = keyof typeof BAILEYS_QUIRKS;

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Quirk `prototypeNames`: `s` is looked up as a token through Object.prototype. */
export const isPrototypeName = (s: string): boolean => PROTOTYPE_NAMES.has(s);

/**
 * Quirk `jidLikeStrings`: Baileys rewrites `s` as a JID differently from WhatsApp Web: a
 * non-canonical string with '@' (`isOddAtString`), or a user part with '_' (agent notation).
 */
export function isBaileysLossyJid(s: string): boolean {
  const at = s.indexOf("@");
  return at >= 0 && (isOddAtString(s) || s.slice(0, at).includes("_"));
}

/** Quirk `fbInteropAsAdJid`: a device JID on msgr or interop. */
export const isFbOrInteropJid = (s: string): boolean => /:\d+@(msgr|interop)$/.test(s);

/** True when no string of `node` triggers `prototypeNames` or `jidLikeStrings`, and `protoAttrKey` cannot apply. */
export function freeOfBaileysLossyStrings(node: WANode): boolean {
  return !hasProtoKey(node) && everyString(node, (s) => !isPrototypeName(s) && !isBaileysLossyJid(s));
}

/** Encodes with Baileys (output starts with the 0x00 flags byte). May throw. */
export function baileysEncode(node: WANode): Uint8Array {
  const buf = encodeBinaryNode(node as never);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Decodes an uncompressed frame (flags byte included) with Baileys, as it returns it. Throws on errors. */
export function baileysDecodeRaw(frame: Uint8Array): unknown {
  const body = Buffer.from(frame.buffer, frame.byteOffset + 1, frame.length - 1);
  return decodeDecompressedBinaryNode(body, BAILEYS_CONSTANTS as never);
}

/**
 * Decodes with Baileys and normalises quirks `bufferContent` (Buffer → Uint8Array, no
 * `content: undefined`) and `emptyChildList` (`[]` → no content), giving a `WANode`.
 */
export function baileysDecode(frame: Uint8Array): WANode {
  const strip = (n: WANode): WANode => {
    if (Array.isArray(n.content)) {
      if (n.content.length === 0) delete n.content;
      else n.content.forEach(strip);
    }
    return n;
  };
  return strip(plain(baileysDecodeRaw(frame)));
}
