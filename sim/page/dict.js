/**
 * Token dictionaries other than v3, for the simulator's `?dict=alt` and `?dict=unknown` modes.
 *
 * whatsapp-rust-bridge only knows dictionary v3. The other dictionaries are **permutations of v3**: the
 * same token strings at other wire positions. So alt-dictionary bytes are produced by encoding with the
 * bridge (v3) and then re-mapping every token byte with a small WABinary walker, and decoded by the
 * reverse re-mapping followed by the bridge. Everything that is not a token (list headers, JID tags,
 * packed and binary strings, lengths) is copied unchanged, so the frame keeps its length.
 *
 * - **Version 4 (`alt`)**, an invented "next" dictionary:
 *   - these single-byte tokens swap places (v3 byte ↔ v3 byte): `call` 0x64 ↔ `message` 0x13,
 *     `ack` 0x1B ↔ `iq` 0x19, `receipt` 0x07 ↔ `notification` 0x09, `id` 0x08 ↔ `to` 0x11,
 *     `from` 0x06 ↔ `type` 0x04, `call-id` 0x68 ↔ `call-creator` 0x47, `terminate` 0xD3 ↔ `te` 0xD7,
 *     `class` 0x15 ↔ `t` 0x1A;
 *   - DICTIONARY_0 is rotated by 7: the v3 token at index i sits at index (i + 7) mod 256 (so `offer`,
 *     v3 `EC 1C`, is `EC 23`).
 * - **Version 9 (`unknown`)**: single-byte tokens 3..235 move 11 places forward, cyclically within
 *   3..235 (`xmlstreamstart`/`xmlstreamend` stay at 1/2), and DICTIONARY_k is rotated by 17·(k+1).
 *   Nothing on the page exports these tables.
 *
 * Browser- and Node-safe; used by the page, the backend worker and the server.
 * @module sim/page/dict
 */

/** v3 single-byte token pairs whose wire bytes swap in version 4. */
const ALT_SWAPS = Object.freeze([
  [0x64, 0x13], // call ↔ message
  [0x1b, 0x19], // ack ↔ iq
  [0x07, 0x09], // receipt ↔ notification
  [0x08, 0x11], // id ↔ to
  [0x06, 0x04], // from ↔ type
  [0x68, 0x47], // call-id ↔ call-creator
  [0xd3, 0xd7], // terminate ↔ te
  [0x15, 0x1a], // class ↔ t
]);

const SINGLE_FIRST = 1;
const SINGLE_LAST = 235;
const DICT_FIRST = 236;

/**
 * @typedef {object} DictPermutation
 * @property {number} version
 * @property {string} name
 * @property {Uint8Array} single v3 wire byte → this dictionary's wire byte (0..255; identity outside 1..235)
 * @property {Uint8Array[]} double per dictionary k: v3 index → this dictionary's index
 */

/** @returns {Uint8Array} the identity on 0..255 */
function identity256() {
  const m = new Uint8Array(256);
  for (let i = 0; i < 256; i++) m[i] = i;
  return m;
}

/** @param {number} by @returns {Uint8Array} i → (i + by) mod 256 */
function rotation(by) {
  const m = new Uint8Array(256);
  for (let i = 0; i < 256; i++) m[i] = (i + by) & 0xff;
  return m;
}

/** @type {Record<number, DictPermutation>} */
export const DICT_PERMUTATIONS = (() => {
  const alt = {
    version: 4,
    name: "alt",
    single: identity256(),
    double: [0, 1, 2, 3].map(() => identity256()),
  };
  for (const [a, b] of ALT_SWAPS) {
    alt.single[a] = b;
    alt.single[b] = a;
  }
  alt.double[0] = rotation(7);

  const unknown = { version: 9, name: "unknown", single: identity256(), double: [] };
  const span = SINGLE_LAST - 3 + 1;
  for (let b = 3; b <= SINGLE_LAST; b++) unknown.single[b] = 3 + ((b - 3 + 11) % span);
  unknown.double = [0, 1, 2, 3].map((k) => rotation(17 * (k + 1)));
  return Object.freeze({ 4: Object.freeze(alt), 9: Object.freeze(unknown) });
})();

/** @param {Uint8Array} m @returns {Uint8Array} the inverse permutation */
function invert(m) {
  const inv = new Uint8Array(256);
  for (let i = 0; i < 256; i++) inv[m[i]] = i;
  return inv;
}

/**
 * Re-maps every token of one uncompressed frame (flags byte + node) through `single`/`double`.
 * @param {Uint8Array} frame
 * @param {Uint8Array} single
 * @param {Uint8Array[]} double
 * @returns {Uint8Array} a new array of the same length
 */
function remapFrame(frame, single, double) {
  if (frame.length === 0) throw new Error("dict remap: empty frame");
  if (frame[0] & 2) throw new Error("dict remap: compressed frame (inflate it first)");
  const out = Uint8Array.from(frame);
  let pos = 1;
  const need = (n) => {
    if (pos + n > out.length) throw new Error(`dict remap: truncated frame at ${pos}`);
  };
  const u8 = () => {
    need(1);
    return out[pos++];
  };
  const listSize = (tag) => {
    if (tag === 0) return 0;
    if (tag === 248) return u8();
    if (tag === 249) {
      need(2);
      const n = (out[pos] << 8) | out[pos + 1];
      pos += 2;
      return n;
    }
    throw new Error(`dict remap: expected a list, got tag ${tag} at ${pos - 1}`);
  };
  const string = () => {
    const at = pos;
    const tag = u8();
    if (tag === 0) return;
    if (tag >= SINGLE_FIRST && tag <= SINGLE_LAST) {
      out[at] = single[tag];
      return;
    }
    if (tag >= DICT_FIRST && tag < DICT_FIRST + 4) {
      const k = tag - DICT_FIRST;
      out[pos] = double[k][u8()];
      return;
    }
    switch (tag) {
      case 245: // INTEROP_JID: user, device u16, integrator u16, server
        string();
        need(4);
        pos += 4;
        string();
        return;
      case 246: // FB_JID: user, device u16, server
        string();
        need(2);
        pos += 2;
        string();
        return;
      case 247: // AD_JID: domain, device, user
        need(2);
        pos += 2;
        string();
        return;
      case 250: // JID_PAIR: user (or 00), server
        string();
        string();
        return;
      case 251: // HEX_8
      case 255: {
        // NIBBLE_8
        const n = u8() & 0x7f;
        need(n);
        pos += n;
        return;
      }
      case 252: {
        const n = u8();
        need(n);
        pos += n;
        return;
      }
      case 253: {
        need(3);
        const n = ((out[pos] & 0x0f) << 16) | (out[pos + 1] << 8) | out[pos + 2];
        pos += 3;
        need(n);
        pos += n;
        return;
      }
      case 254: {
        need(4);
        const n = ((out[pos] << 24) >>> 0) + ((out[pos + 1] << 16) | (out[pos + 2] << 8) | out[pos + 3]);
        pos += 4;
        need(n);
        pos += n;
        return;
      }
      default:
        throw new Error(`dict remap: unexpected string tag ${tag} at ${at}`);
    }
  };
  const node = () => {
    const size = listSize(u8());
    if (size === 0) throw new Error("dict remap: empty node list");
    string(); // tag
    const attrs = (size - 1) >> 1;
    for (let i = 0; i < attrs; i++) {
      string();
      string();
    }
    if (size % 2 === 0) {
      const t = out[pos];
      if (t === 0 || t === 248 || t === 249) {
        const n = listSize(u8());
        for (let i = 0; i < n; i++) node();
      } else string();
    }
  };
  node();
  if (pos !== out.length) throw new Error(`dict remap: ${out.length - pos} trailing bytes`);
  return out;
}

/**
 * @typedef {object} DictCodec
 * @property {number} DICT_VERSION
 * @property {string} name "v3", "alt" or "unknown"
 * @property {(v3frame: Uint8Array) => Uint8Array} toWire v3 bytes → this dictionary's bytes
 * @property {(wireFrame: Uint8Array) => Uint8Array} toV3 this dictionary's bytes → v3 bytes
 * @property {(node: object) => Uint8Array} encodeNode bridge-shaped node → wire bytes (flags byte 0)
 * @property {(bytes: Uint8Array) => any} decodeNode uncompressed wire bytes → bridge node (`toJSON`, `free`)
 */

/**
 * A codec for one dictionary version around the bridge's v3 `encodeNode`/`decodeNode`.
 * @param {number} version 3, 4 or 9
 * @param {{encodeNode: (n: object) => Uint8Array, decodeNode: (b: Uint8Array) => any}} bridge
 * @returns {DictCodec}
 */
export function dictCodec(version, bridge) {
  if (version === 3) {
    return {
      DICT_VERSION: 3,
      name: "v3",
      toWire: (b) => b,
      toV3: (b) => b,
      encodeNode: (n) => bridge.encodeNode(n),
      decodeNode: (b) => bridge.decodeNode(b),
    };
  }
  const perm = DICT_PERMUTATIONS[version];
  if (!perm) throw new Error(`no token dictionary version ${version}`);
  const singleInv = invert(perm.single);
  const doubleInv = perm.double.map(invert);
  const toWire = (b) => remapFrame(b, perm.single, perm.double);
  const toV3 = (b) => remapFrame(b, singleInv, doubleInv);
  return {
    DICT_VERSION: version,
    name: perm.name,
    toWire,
    toV3,
    encodeNode: (n) => toWire(bridge.encodeNode(n)),
    decodeNode: (b) => bridge.decodeNode(toV3(b)),
  };
}
