/**
 * Wire tag bytes and codec limits of WABinary (multi-device, dictionary v3).
 * Source: wabinary.md §2 (identical in WhatsApp Web `WAWap`, Baileys, whatsmeow, wacore).
 */

/** `00`: empty list / null (no content, no JID user). */
export const LIST_EMPTY = 0;
/** `EC`: double-byte token from dictionary 0, followed by one index byte. */
export const DICTIONARY_0 = 236;
/** `ED`: double-byte token from dictionary 1 (the tag table in full; the reader uses a range). @public */
export const DICTIONARY_1 = 237;
/** `EE`: double-byte token from dictionary 2 (the tag table in full). @public */
export const DICTIONARY_2 = 238;
/** `EF`: double-byte token from dictionary 3. */
export const DICTIONARY_3 = 239;
/** `F5`: interop JID: user string, device u16, integrator u16, server string (read, not written by WA). */
export const INTEROP_JID = 245;
/** `F6`: Messenger JID: user string, device u16, server string. */
export const FB_JID = 246;
/** `F7`: device JID: domain byte, device u8, user string. */
export const AD_JID = 247;
/** `F8`: list with a u8 size. */
export const LIST_8 = 248;
/** `F9`: list with a u16 big-endian size. */
export const LIST_16 = 249;
/** `FA`: `user@server` JID: user string (or `00` for none), server string. */
export const JID_PAIR = 250;
/** `FB`: packed uppercase hex string (`0-9A-F`). */
export const HEX_8 = 251;
/** `FC`: raw bytes with a u8 length. */
export const BINARY_8 = 252;
/** `FD`: raw bytes with a 20-bit length in 3 bytes (first byte masked with `0x0F` on read). */
export const BINARY_20 = 253;
/** `FE`: raw bytes with a u32 big-endian length. */
export const BINARY_32 = 254;
/** `FF`: packed digit string (`0-9 - .`). */
export const NIBBLE_8 = 255;

/** Highest single-byte token byte (bytes 1..235 are tokens). */
export const SINGLE_BYTE_MAX = 235;
/** Packed strings (NIBBLE_8 / HEX_8) hold at most this many characters (UTF-8 length < 128, §4). */
export const PACKED_MAX = 127;
/** Largest length BINARY_8 can carry (bytes; the tag table in full). @public */
export const BINARY_8_MAX = 0xff;
/** Largest length BINARY_20 can carry (bytes); longer values use BINARY_32. */
export const BINARY_20_MAX = 0xfffff;
/** Largest length BINARY_32 can carry (bytes). */
export const BINARY_32_MAX = 0xffffffff;

/** Frame flags byte bit: the rest of the frame is zlib-deflated (wabinary.md §1). */
export const FLAG_COMPRESSED = 0x02;

/** Maximum node nesting depth accepted by the decoder and produced by the encoder (root = 1). */
export const MAX_DEPTH = 128;
/** Maximum list size (LIST_16 is a u16): items in a node header or children in a child list. */
export const MAX_LIST_SIZE = 0xffff;
/** Maximum decoded text length of one string (tag, attribute, text content), in UTF-8 bytes. */
export const MAX_STRING_BYTES = 1 << 24;
/** Maximum size of an encoded node (after inflation), in bytes. Also bounds inflation output. */
export const MAX_NODE_BYTES = 1 << 25;

/**
 * Decoder work bound: `DecodeStats.steps` never exceeds this many steps per input byte
 * (a step is one node, string or content item read, or one payload byte copied or
 * decoded; every step consumes input, and a content string's tag byte is counted twice).
 */
export const MAX_DECODE_STEPS_PER_BYTE = 2;
/**
 * Decoder allocation bound: `DecodeStats.allocatedBytes` never exceeds this many bytes per
 * input byte. The worst case is a JID built from 1–2-byte tokens (e.g. a 48-character
 * dictionary token as user and a 25-character token as server: 4 input bytes → 74 UTF-16
 * characters, about 37 bytes per input byte). Declared lengths are checked against the
 * remaining input BEFORE anything is allocated, so a frame cannot ask for more.
 */
export const MAX_DECODE_ALLOC_PER_BYTE = 48;
