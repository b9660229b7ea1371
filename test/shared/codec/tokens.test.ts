import { describe, expect, it } from "vitest";
import {
  DEFAULT_TABLES,
  DICT_VERSION,
  DOUBLE_BYTE_TOKENS,
  decodeNode,
  encodeNode,
  isCodecError,
  SINGLE_BYTE_TOKENS,
  type TokenTables,
  tablesFromWAWapDict,
  tokenLookup,
} from "../../../src/shared/codec";
import { bridgeDecode, bridgeEncode, fromHex, hex } from "./support";

const h2 = (b: number) => b.toString(16).padStart(2, "0");

/**
 * Tokens for which the bridge is NOT used as the oracle. Empty: every v3 token is encoded by
 * whatsapp-rust-bridge exactly as our tables predict. Listed here so an exclusion is never silent.
 */
const BRIDGE_TOKEN_EXCLUSIONS: readonly string[] = [];

describe("token tables (dictionary v3, wabinary.md §3)", () => {
  it("have the v3 shape: 235 single-byte tokens after an empty slot 0, 4 x 256 double-byte", () => {
    expect(DICT_VERSION).toBe(3);
    expect(DEFAULT_TABLES.version).toBe(3);
    expect(SINGLE_BYTE_TOKENS).toHaveLength(236);
    expect(SINGLE_BYTE_TOKENS[0]).toBe("");
    expect(DOUBLE_BYTE_TOKENS.map((d) => d.length)).toEqual([256, 256, 256, 256]);
    const all = [...SINGLE_BYTE_TOKENS.slice(1), ...DOUBLE_BYTE_TOKENS.flat()];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((t) => t.length > 0)).toBe(true);
  });

  it("every token is encoded by whatsapp-rust-bridge exactly as our tables predict", () => {
    const mismatches: string[] = [];
    let checked = 0;
    const check = (token: string, expected: string) => {
      if (BRIDGE_TOKEN_EXCLUSIONS.includes(token)) return;
      checked++;
      const got = hex(bridgeEncode({ tag: token, attrs: {} }));
      if (got !== expected) mismatches.push(`${JSON.stringify(token)}: bridge ${got}, tables ${expected}`);
    };
    for (let b = 1; b < SINGLE_BYTE_TOKENS.length; b++) check(SINGLE_BYTE_TOKENS[b], `00f801${h2(b)}`);
    for (const [d, dict] of DOUBLE_BYTE_TOKENS.entries()) {
      for (const [i, token] of dict.entries()) check(token, `00f801${h2(236 + d)}${h2(i)}`);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(235 + 1024);
  });

  it("our encoder writes every token as the tables say, and bridge and ours decode it back", () => {
    const all = [...SINGLE_BYTE_TOKENS.slice(1), ...DOUBLE_BYTE_TOKENS.flat()];
    for (const token of all) {
      const node = { tag: "a", attrs: { v: token }, content: token };
      const bytes = encodeNode(node);
      expect(decodeNode(bytes)).toEqual(node);
      expect(bridgeDecode(new Uint8Array([0, ...bytes]))).toEqual(node);
    }
  });

  it("match the handy values of wabinary.md §3", () => {
    const table: [string, string][] = [
      ["call", "64"],
      ["ack", "1b"],
      ["receipt", "07"],
      ["iq", "19"],
      ["message", "13"],
      ["notification", "09"],
      ["id", "08"],
      ["from", "06"],
      ["to", "11"],
      ["type", "04"],
      ["class", "15"],
      ["t", "1a"],
      ["error", "a8"],
      ["call-id", "68"],
      ["call-creator", "47"],
      ["terminate", "d3"],
      ["relaylatency", "49"],
      ["enc", "1d"],
      ["audio", "a1"],
      ["video", "59"],
      ["capability", "b4"],
      ["te", "d7"],
      ["te2", "c9"],
      ["latency", "93"],
      ["duration", "17"],
      ["state", "d0"],
      ["offer", "ec1c"],
      ["preaccept", "ec12"],
      ["accept", "ec62"],
      ["reject", "ed00"],
      ["transport", "ec2c"],
      ["mute_v2", "ecff"],
      ["heartbeat", "ec06"],
      ["reason", "ec2e"],
      ["timeout", "ecb5"],
      ["busy", "ef8c"],
      ["net", "ec68"],
      ["medium", "ec24"],
      ["encopt", "ec15"],
      ["keygen", "ec1a"],
      ["destination", "eca9"],
      ["notify", "18"],
      ["platform", "4a"],
      ["version", "54"],
      ["pkmsg", "53"],
      ["msg", "4d"],
      ["v", "51"],
      ["relay", "ec75"],
      ["rte", "eca8"],
      ["voip_settings", "ec0a"],
      ["participant", "05"],
      ["recipient", "94"],
      ["offline", "12"],
      ["count", "41"],
      ["priority", "ec0c"],
      ["protocol", "ec03"],
      ["s.whatsapp.net", "03"],
      ["lid", "76"],
      ["opus", "ec1e"],
      ["rate", "ec1d"],
      ["8000", "ec87"],
      ["g.us", "1c"],
      ["msgr", "cc"],
      ["0", "2d"],
      ["1", "55"],
      ["2", "45"],
      ["audio_duration", "ec55"],
      ["e", "edeb"],
      ["mute-state", "ed4f"],
      ["enc_rekey", "edcd"],
      ["group_update", "ec64"],
      ["xmlstreamstart", "01"],
      ["xmlstreamend", "02"],
    ];
    const lookup = tokenLookup(DEFAULT_TABLES);
    for (const [token, bytes] of table) {
      const code = lookup.get(token);
      expect(code === undefined ? undefined : code < 256 ? h2(code) : code.toString(16), token).toBe(bytes);
    }
    // Not tokens (sent as raw or packed strings).
    for (const s of [
      "offer_notice",
      "accepted_elsewhere",
      "p2p-cand-round",
      "relay_name",
      "hosted.lid",
      "interop",
    ]) {
      expect(lookup.has(s), s).toBe(false);
    }
    // "16000" is nibble-packed: odd length 5 → 0x83, last nibble F.
    expect(hex(encodeNode({ tag: "a", attrs: { r: "16000" } }))).toBe("f803fc0161fc0172ff8316000f");
  });

  it("reverse lookup is cached per tables object", () => {
    expect(tokenLookup(DEFAULT_TABLES)).toBe(tokenLookup(DEFAULT_TABLES));
    const copy: TokenTables = { ...DEFAULT_TABLES };
    expect(tokenLookup(copy)).not.toBe(tokenLookup(DEFAULT_TABLES));
    expect(tokenLookup(copy).size).toBe(235 + 1024);
  });

  it("converts WhatsApp Web's WAWapDict exports (no slot 0) into TokenTables", () => {
    const waDict = {
      DICT_VERSION: 3,
      SINGLE_BYTE_TOKEN: SINGLE_BYTE_TOKENS.slice(1),
      DICTIONARIES: DOUBLE_BYTE_TOKENS.map((d) => [...d]),
    };
    const t = tablesFromWAWapDict(waDict);
    expect(t).toEqual({
      version: 3,
      single: [...SINGLE_BYTE_TOKENS],
      double: DOUBLE_BYTE_TOKENS.map((d) => [...d]),
    });
    const t2 = tablesFromWAWapDict({
      DICT_VERSION: 3,
      SINGLE_BYTE_TOKEN: SINGLE_BYTE_TOKENS.slice(1),
      DICTIONARY_0_TOKEN: DOUBLE_BYTE_TOKENS[0],
      DICTIONARY_1_TOKEN: DOUBLE_BYTE_TOKENS[1],
      DICTIONARY_2_TOKEN: DOUBLE_BYTE_TOKENS[2],
      DICTIONARY_3_TOKEN: DOUBLE_BYTE_TOKENS[3],
    });
    expect(t2).toEqual(t);
    expect(tablesFromWAWapDict({})).toBeUndefined();
    expect(tablesFromWAWapDict({ ...waDict, DICTIONARIES: [[], []] })).toBeUndefined();
    expect(tablesFromWAWapDict({ ...waDict, SINGLE_BYTE_TOKEN: [1, 2] })).toBeUndefined();
  });

  it("run-time tables are used by both decoder and encoder", () => {
    const single = [...SINGLE_BYTE_TOKENS];
    single[0x64] = "kall"; // byte 0x64 is "call" in v3
    const tables: TokenTables = { version: 99, single, double: DOUBLE_BYTE_TOKENS };
    expect(decodeNode(fromHex("f80164"), { tables })).toEqual({ tag: "kall", attrs: {} });
    expect(hex(encodeNode({ tag: "kall", attrs: {} }, { tables }))).toBe("f80164");
    expect(hex(encodeNode({ tag: "call", attrs: {} }, { tables }))).toBe("f801fc0463616c6c");
    // A byte or index missing from shorter tables is an invalid token.
    const short: TokenTables = { version: 1, single: ["", "a"], double: [["x"]] };
    const e1 = decodeNode(fromHex("f80102"), { tables: short });
    expect(isCodecError(e1) && [e1.code, e1.offset]).toEqual(["invalid-token", 2]);
    const e2 = decodeNode(fromHex("f801ec01"), { tables: short });
    expect(isCodecError(e2) && [e2.code, e2.offset]).toEqual(["invalid-token", 2]);
    const e3 = decodeNode(fromHex("f801ed00"), { tables: short });
    expect(isCodecError(e3) && e3.code).toBe("invalid-token");
  });
});
