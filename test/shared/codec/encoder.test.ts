import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeNode,
  encodeFrame,
  encodeNode,
  jidForEncoding,
  TAGS,
  type WANode,
} from "../../../src/shared/codec";
import {
  bridgeDecode,
  bridgeEncode,
  fromHex,
  hex,
  jidArb,
  RUNS,
  WORKED_EXAMPLE_HEX,
  WORKED_EXAMPLE_NODE,
} from "./support";

/** Encoded value of attribute `b` on `<a b=…/>` (after `F8 03 FC 01 61 FC 01 62`). */
const valueHex = (v: string) => hex(encodeNode({ tag: "a", attrs: { b: v } })).slice(16);
const bridgeValueHex = (v: string) => hex(bridgeEncode({ tag: "a", attrs: { b: v } })).slice(18);

describe("encodeFrame / encodeNode", () => {
  it("encodes the worked example of wabinary.md §9 byte for byte", () => {
    expect(hex(encodeFrame(WORKED_EXAMPLE_NODE))).toBe(hex(fromHex(WORKED_EXAMPLE_HEX)));
    expect(hex(encodeNode(WORKED_EXAMPLE_NODE))).toBe(hex(fromHex(WORKED_EXAMPLE_HEX).subarray(1)));
  });

  it("writes a lowercase id as raw bytes (HEX_8 is uppercase only)", () => {
    expect(valueHex("abcdef0123456789")).toBe(`fc10${hex(new TextEncoder().encode("abcdef0123456789"))}`);
    expect(valueHex("ABCDEF0123456789")).toBe("fb08abcdef0123456789");
  });

  it("chooses string forms in WhatsApp Web's order (wabinary.md §4)", () => {
    const cases: [string, string][] = [
      ["", "fc00"],
      ["call", "64"],
      ["offer", "ec1c"],
      ["busy", "ef8c"],
      ["1", "55"], // a token wins over packing
      ["3", "a2"], // single digits are tokens too
      ["12345", "ff8312345f"],
      ["16000", "ff8316000f"],
      ["1.2-3", "ff831b2a3f"],
      ["123", "ff82123f"], // NIBBLE_8 is tried before HEX_8
      ["ABC", "fb82abcf"],
      ["0A", "fb010a"],
      ["abc", "fc03616263"],
      ["é", "fc02c3a9"],
      ["😀", "fc04f09f9880"],
    ];
    for (const [s, expected] of cases) {
      expect(valueHex(s), s).toBe(expected);
      if (s !== "") expect(bridgeValueHex(s), s).toBe(expected); // the bridge drops "" attributes
    }
  });

  it("packs only below 128 chars and switches BINARY_8 → 20 → 32 at 256 and 2^20 bytes", () => {
    const digits127 = "1".repeat(127);
    expect(valueHex(digits127).slice(0, 4)).toBe("ffc0");
    expect(valueHex(`${digits127}1`).slice(0, 4)).toBe("fc80");
    expect(valueHex("A".repeat(127)).slice(0, 4)).toBe("fbc0");
    expect(valueHex("x".repeat(255)).slice(0, 4)).toBe("fcff");
    expect(valueHex("x".repeat(256)).slice(0, 8)).toBe("fd000100");
    expect(valueHex("x".repeat(TAGS.BINARY_20_MAX)).slice(0, 8)).toBe("fd0fffff");
    expect(valueHex("x".repeat(TAGS.BINARY_20_MAX + 1)).slice(0, 10)).toBe("fe00100000");
    for (const s of [
      digits127,
      `${digits127}1`,
      "x".repeat(256),
      "é".repeat(200),
      "x".repeat(TAGS.BINARY_20_MAX + 1),
    ]) {
      const node = { tag: "a", attrs: { b: s } };
      expect(hex(encodeFrame(node)) === hex(bridgeEncode(node)), `length ${s.length}`).toBe(true);
      expect(decodeNode(encodeNode(node))).toEqual(node);
    }
  });

  it("binary content uses the same length forms", () => {
    for (const n of [0, 1, 255, 256, TAGS.BINARY_20_MAX, TAGS.BINARY_20_MAX + 1]) {
      const content = new Uint8Array(n).map((_, i) => i * 7);
      const node: WANode = { tag: "a", attrs: {}, content };
      const bytes = encodeFrame(node);
      expect(hex(bytes) === hex(bridgeEncode(node)), `binary ${n}`).toBe(true);
      const back = bridgeDecode(bytes);
      expect(hex(back.content as Uint8Array) === hex(content), `binary ${n} via bridge`).toBe(true);
    }
  });

  it("writes strings in content position with the same rules", () => {
    expect(hex(encodeNode({ tag: "a", attrs: {}, content: "offer" }))).toBe("f802fc0161ec1c");
    expect(hex(encodeNode({ tag: "a", attrs: {}, content: "1:2@lid" }))).toBe("f802fc0161f7010255");
    expect(hex(encodeNode({ tag: "a", attrs: {}, content: "" }))).toBe("f802fc0161fc00");
  });

  it("writes lone surrogates as U+FFFD (like TextEncoder)", () => {
    expect(valueHex("a\ud800b")).toBe("fc0561efbfbd62");
    expect(valueHex("\udc00")).toBe("fc03efbfbd");
    expect(valueHex("\ud83d")).toBe("fc03efbfbd");
  });

  it("keeps blank attribute values (WA) where the bridge drops them", () => {
    expect(hex(encodeNode({ tag: "a", attrs: { b: "", j: " " } }))).toBe("f805fc0161fc0162fc00fc016afc0120");
    expect(hex(bridgeEncode({ tag: "a", attrs: { b: "", j: " " } }))).toBe("00f801fc0161");
  });

  it("an empty child array is no content (WA's wap()), where the bridge writes LIST_EMPTY", () => {
    expect(hex(encodeNode({ tag: "a", attrs: {}, content: [] }))).toBe("f801fc0161");
    expect(hex(bridgeEncode({ tag: "a", attrs: {}, content: [] }))).toBe("00f802fc016100");
  });

  it("reuses its scratch buffer safely and is re-entrant", () => {
    const a = encodeNode(WORKED_EXAMPLE_NODE);
    const b = encodeNode({ tag: "x", attrs: {}, content: new Uint8Array(2_000_000) });
    const c = encodeNode(WORKED_EXAMPLE_NODE);
    expect(hex(a)).toBe(hex(c));
    expect(b.length).toBe(2_000_000 + 10); // LIST_8 2, "x", BINARY_32 header
    const tricky = {
      get tag() {
        encodeNode({ tag: "inner", attrs: { x: "y" } });
        return "outer";
      },
      attrs: {},
    };
    expect(decodeNode(encodeNode(tricky))).toEqual({ tag: "outer", attrs: {} });
  });

  it("throws TypeError / RangeError for nodes the format cannot carry", () => {
    expect(() => encodeNode({ tag: "a", attrs: { b: 1 as unknown as string } })).toThrow(TypeError);
    expect(() => encodeNode({ tag: "a", attrs: {}, content: 5 as unknown as string })).toThrow(TypeError);
    expect(() => encodeNode({ tag: 5 as unknown as string, attrs: {} })).toThrow(TypeError);
    const cyclic: WANode = { tag: "a", attrs: {}, content: [] };
    (cyclic.content as WANode[]).push(cyclic);
    expect(() => encodeNode(cyclic)).toThrow(RangeError);
    const children = Array.from({ length: 0x10000 }, () => ({ tag: "b", attrs: {} }));
    expect(() => encodeNode({ tag: "a", attrs: {}, content: children })).toThrow(RangeError);
    const attrs: Record<string, string> = {};
    for (let i = 0; i < 0x8000; i++) attrs[`k${i}`] = "v";
    expect(() => encodeNode({ tag: "a", attrs })).toThrow(RangeError);
  });

  it("is fast enough for a capture stream (ASCII fast path)", () => {
    const node: WANode = {
      tag: "call",
      attrs: { from: "123456789012345:7@lid", id: "3EB0C0FFEE0123456789", t: "1730000000" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "AB12CD34EF56AB12CD34EF56AB12CD34", "call-creator": "123456789012345:7@lid" },
          content: [
            { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
            { tag: "enc", attrs: { v: "2", type: "pkmsg" }, content: new Uint8Array(120) },
            { tag: "capability", attrs: { ver: "1" }, content: new Uint8Array([1, 5, 247, 9]) },
          ],
        },
      ],
    };
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) decodeNode(encodeNode(node));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5_000);
  });

  it("writes a JID form exactly when jidForEncoding accepts the string (in-place fast path)", () => {
    const FORM_TAG = { "jid-pair": 0xfa, "ad-jid": 0xf7, "fb-jid": 0xf6, "interop-jid": 0xf5 } as const;
    const jid = jidArb({ fb: true, fbDevice0: true, interop: true, call: true });
    // Mutations that break canonical forms: extra ':' / '@' / '-', leading zeros, devices 0/256.
    const mutated = fc
      .tuple(jid, fc.nat(40), fc.constantFrom(":", "@", "-", "0", ":0", ":256", "_", ".", "", "x"))
      .map(([j, i, ins]) => j.slice(0, i % (j.length + 1)) + ins + j.slice(i % (j.length + 1)));
    fc.assert(
      fc.property(fc.oneof(jid, mutated), (s) => {
        const value = encodeNode({ tag: "a", attrs: { b: s } }).subarray(8);
        const want = jidForEncoding(s);
        if (want === undefined) expect([0xfa, 0xf7, 0xf6, 0xf5]).not.toContain(value[0]);
        else expect(value[0]).toBe(FORM_TAG[want.form]);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
