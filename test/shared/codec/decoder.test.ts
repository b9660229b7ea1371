import { deflateSync, gzipSync, zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  CodecError,
  type CodecErrorCode,
  compressionWrapper,
  DEFAULT_TABLES,
  decodeFrame,
  decodeNode,
  encodeFrame,
  encodeNode,
  isCodecError,
  TAGS,
  type WANode,
} from "../../../src/shared/codec";
import { bridgeDecode, fromHex, hex, WORKED_EXAMPLE_HEX, WORKED_EXAMPLE_NODE } from "./support";

function expectError(r: WANode | CodecError, code: CodecErrorCode, offset?: number): CodecError {
  if (!isCodecError(r)) throw new Error(`expected a CodecError ${code}, got ${JSON.stringify(r)}`);
  expect(r.code).toBe(code);
  if (offset !== undefined) expect(r.offset).toBe(offset);
  return r;
}

describe("decodeFrame / decodeNode", () => {
  it("decodes the worked example of wabinary.md §9", () => {
    const bytes = fromHex(WORKED_EXAMPLE_HEX);
    expect(bytes).toHaveLength(30);
    const node = decodeFrame(bytes);
    expect(node).toEqual(WORKED_EXAMPLE_NODE);
    expect(Object.keys((node as WANode).attrs)).toEqual(["id", "class", "type", "to"]);
    expect(decodeNode(bytes.subarray(1))).toEqual(WORKED_EXAMPLE_NODE);
    expect(decodeFrame(bytes.slice().buffer)).toEqual(WORKED_EXAMPLE_NODE);
  });

  it("inflates a zlib frame (flags 0x02)", () => {
    const node: WANode = {
      tag: "call",
      attrs: { from: "1234567890:3@s.whatsapp.net", id: "ABCD" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "0123456789ABCDEF0123456789ABCDEF" },
          content: new Uint8Array(500),
        },
      ],
    };
    const frame = new Uint8Array([0x02, ...zlibSync(encodeNode(node))]);
    expect(decodeFrame(frame)).toEqual(node);
    expect(bridgeDecode(frame)).toEqual(node);
    // Other flag bits are ignored, as in WhatsApp Web.
    frame[0] = 0x06;
    expect(decodeFrame(frame)).toEqual(node);
    // A highly compressible payload larger than the first inflate buffer (64 KiB).
    const big: WANode = { tag: "a", attrs: {}, content: new Uint8Array(300_000).fill(7) };
    const bigFrame = new Uint8Array([0x02, ...zlibSync(encodeNode(big))]);
    const back = decodeFrame(bigFrame) as WANode;
    expect(hex(back.content as Uint8Array) === hex(big.content as Uint8Array)).toBe(true);
  });

  it("inflates gzip and raw DEFLATE payloads as WhatsApp's decompressSync does (wa-web-2026.md)", () => {
    const node: WANode = {
      tag: "ack",
      attrs: { id: "3EB0.1", class: "call", from: "1234567890@s.whatsapp.net" },
      content: [{ tag: "relay", attrs: {}, content: new Uint8Array(300).fill(9) }],
    };
    const body = encodeNode(node);
    for (const [wrapper, packed] of [
      ["zlib", zlibSync(body)],
      ["gzip", gzipSync(body)],
      ["raw", deflateSync(body)],
    ] as const) {
      expect(compressionWrapper(packed), wrapper).toBe(wrapper);
      expect(decodeFrame(new Uint8Array([0x02, ...packed])), wrapper).toEqual(node);
    }
    // A truncated gzip payload is an inflate error that names its wrapper.
    const gz = gzipSync(body);
    const e = expectError(decodeFrame(new Uint8Array([2, ...gz.subarray(0, 12)])), "inflate-failed", 1);
    expect(e.message).toMatch(/^gzip/);
  });

  it("returns string content for tokens, packed strings and JIDs; bytes for BINARY", () => {
    const n = decodeNode(
      fromHex(`f8 02 fc0161 f8 04
        f8 02 fc0162 ec1c
        f8 02 fc0163 ff 82 12 3f
        f8 02 fc0164 fa 55 03
        f8 02 fc0165 fc 02 6869`),
    );
    expect(n).toEqual({
      tag: "a",
      attrs: {},
      content: [
        { tag: "b", attrs: {}, content: "offer" },
        { tag: "c", attrs: {}, content: "123" },
        { tag: "d", attrs: {}, content: "1@s.whatsapp.net" },
        { tag: "e", attrs: {}, content: new Uint8Array([0x68, 0x69]) },
      ],
    });
  });

  it("reads all four dictionaries", () => {
    expect(decodeNode(fromHex("f801ec1c"))).toEqual({ tag: "offer", attrs: {} });
    expect(decodeNode(fromHex("f801ed00"))).toEqual({ tag: "reject", attrs: {} });
    expect(decodeNode(fromHex("f801ef8c"))).toEqual({ tag: "busy", attrs: {} });
    const d2 = decodeNode(fromHex("f801ee00"));
    expect(isCodecError(d2)).toBe(false);
  });

  it("copies binary content instead of viewing the caller's buffer", () => {
    const bytes = fromHex("f802fc0161fc03010203");
    const n = decodeNode(bytes) as WANode;
    bytes[7] = 0xff;
    expect(n.content).toEqual(new Uint8Array([1, 2, 3]));
    expect((n.content as Uint8Array).buffer).not.toBe(bytes.buffer);
  });

  it("copies large binary values once per frame: views into a private copy, never the input", () => {
    const node: WANode = {
      tag: "a",
      attrs: {},
      content: [
        { tag: "b", attrs: {}, content: new Uint8Array(100).fill(1) },
        { tag: "c", attrs: {}, content: new Uint8Array(200).fill(2) },
        { tag: "d", attrs: {}, content: new Uint8Array(10).fill(3) },
      ],
    };
    const bytes = encodeFrame(node);
    const back = decodeFrame(bytes) as WANode;
    bytes.fill(0xee);
    expect(back).toEqual(node);
    const [b, c, d] = (back.content as WANode[]).map((x) => x.content as Uint8Array);
    expect(b.buffer).not.toBe(bytes.buffer);
    expect(b.buffer).toBe(c.buffer);
    expect(d.buffer).not.toBe(b.buffer);
    // Compressed frames: views into the (private) inflated bytes are fine as well.
    const z = new Uint8Array([2, ...zlibSync(encodeNode(node))]);
    expect(decodeFrame(z)).toEqual(node);
  });

  it("caches small strings by their bytes without mixing them up (JIDs, packed, raw, tables)", () => {
    const jids = [
      "1234567:3@lid",
      "1234567:4@lid",
      "1234567@lid",
      "1234567:3@s.whatsapp.net",
      "7654321:3@lid",
    ];
    for (let round = 0; round < 3; round++) {
      for (const j of jids) {
        const n: WANode = { tag: "a", attrs: { j, p: "0123456789", h: "ABCDEF", r: "gru1c02" } };
        expect(decodeFrame(encodeFrame(n))).toEqual(n);
      }
    }
    // Same bytes, other tables: a token-based JID must not come from the cache.
    const tables = {
      ...DEFAULT_TABLES,
      single: DEFAULT_TABLES.single.map((t) => (t === "lid" ? "LID2" : t)),
    };
    const bytes = encodeFrame({ tag: "a", attrs: { j: "1234567:3@lid" } });
    expect((decodeFrame(bytes) as WANode).attrs.j).toBe("1234567:3@lid");
    expect(
      (decodeFrame(fromHex("00f803fc0161fc016a" + "fa" + "ff841234567f" + "76"), { tables }) as WANode).attrs
        .j,
    ).toBe("1234567@LID2");
    expect(
      (decodeFrame(fromHex("00f803fc0161fc016a" + "fa" + "ff841234567f" + "76")) as WANode).attrs.j,
    ).toBe("1234567@lid");
  });

  it("BINARY_20 masks its first length byte with 0x0F; BINARY_32 works", () => {
    expect(decodeNode(fromHex("f802fc0161fdf00003616263"))).toEqual({
      tag: "a",
      attrs: {},
      content: new Uint8Array([97, 98, 99]),
    });
    expect(decodeNode(fromHex("f802fc0161fe00000003616263"))).toEqual({
      tag: "a",
      attrs: {},
      content: new Uint8Array([97, 98, 99]),
    });
    expect(decodeNode(fromHex("f803fc0161fc0162fd00000378797a"))).toEqual({ tag: "a", attrs: { b: "xyz" } });
  });

  it("NIBBLE_8 nibbles 12-15 decode as U+FFFD (WhatsApp Web); odd lengths drop the last nibble", () => {
    const v = (packed: string) => (decodeNode(fromHex(`f803fc0161fc0162${packed}`)) as WANode).attrs.b;
    expect(v("ff02ab12")).toBe("-.12");
    expect(v("ff02cdef")).toBe("\ufffd\ufffd\ufffd\ufffd");
    expect(v("ff81c0")).toBe("\ufffd");
    expect(v("ff8112")).toBe("1");
    expect(v("fb02abcd")).toBe("ABCD");
    expect(v("fb81af")).toBe("A");
    expect(v("ff00")).toBe("");
  });

  it("LIST_16 headers and child lists", () => {
    const many: WANode = {
      tag: "a",
      attrs: {},
      content: Array.from({ length: 300 }, (_, i) => ({ tag: "b", attrs: { i: String(i) } })),
    };
    const bytes = encodeNode(many);
    expect(hex(bytes.subarray(0, 8))).toBe("f802fc0161f9012c");
    expect(decodeNode(bytes)).toEqual(many);
    const attrs: Record<string, string> = {};
    for (let i = 0; i < 200; i++) attrs[`k${i}`] = "v";
    const wide = encodeNode({ tag: "a", attrs });
    expect(hex(wide.subarray(0, 3))).toBe("f90191");
    expect(decodeNode(wide)).toEqual({ tag: "a", attrs });
  });

  it("LIST_EMPTY or an empty list as content means no content; LIST_EMPTY attribute value is ''", () => {
    expect(decodeNode(fromHex("f802fc016100"))).toEqual({ tag: "a", attrs: {} });
    expect(decodeNode(fromHex("f802fc0161f800"))).toEqual({ tag: "a", attrs: {} });
    expect(decodeNode(fromHex("f803fc0161fc016200"))).toEqual({ tag: "a", attrs: { b: "" } });
  });

  it("keeps an attribute named __proto__ as an own property", () => {
    const node: WANode = { tag: "a", attrs: Object.fromEntries([["__proto__", "x"]]) };
    const back = decodeNode(encodeNode(node)) as WANode;
    expect(Object.hasOwn(back.attrs, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(back.attrs)).toBe(Object.prototype);
    expect(back).toEqual(node);
  });

  describe("errors (returned, never thrown, with byte offsets)", () => {
    it("empty frames", () => {
      expectError(decodeFrame(new Uint8Array()), "empty-frame", 0);
      expectError(decodeFrame(new Uint8Array([0])), "empty-frame", 0);
      expectError(decodeFrame(new Uint8Array([2])), "empty-frame", 0);
      expectError(decodeNode(new Uint8Array()), "empty-frame", 0);
    });

    it("invalid tags F0-F4 and list tags where a node is expected", () => {
      for (const t of [0xf0, 0xf1, 0xf2, 0xf3, 0xf4]) {
        expectError(decodeNode(new Uint8Array([0xf8, 0x01, t])), "invalid-tag", 2);
      }
      expectError(decodeNode(fromHex("fc0161")), "invalid-tag", 0);
      expectError(decodeFrame(fromHex("00 f802fc0161 f801 f801f2")), "invalid-tag", 10);
    });

    it("size-0 nodes and nodes without a tag", () => {
      expectError(decodeNode(fromHex("f800")), "invalid-node", 0);
      expectError(decodeNode(fromHex("00")), "invalid-node", 0);
      expectError(decodeNode(fromHex("f80100")), "invalid-node", 2);
    });

    it("truncation reports the start of the construct that ran out", () => {
      expectError(decodeNode(fromHex("f803fc0161fc0162")), "truncated", 0); // value missing
      expectError(decodeNode(fromHex("f803fc0161fc0162fc05616263")), "truncated", 8); // 5 > 3 bytes left
      expectError(decodeNode(fromHex("f802fc0161fc05616263")), "truncated", 5);
      expectError(decodeNode(fromHex("f802fc0161f802f80101")), "truncated", 5); // 2 children, 1 present
      expectError(decodeNode(fromHex("f802fc0161ff05")), "truncated", 5);
    });

    it("trailing bytes", () => {
      expectError(decodeNode(fromHex("f8011b00")), "trailing-bytes", 3);
      expectError(decodeFrame(fromHex("00f8011b0000")), "trailing-bytes", 4);
    });

    it("corrupt zlib and inflation bombs", () => {
      expectError(decodeFrame(fromHex("02 0102030405060708")), "inflate-failed", 1);
      expectError(decodeFrame(fromHex("02 78")), "inflate-failed", 1);
      const z = zlibSync(encodeNode(WORKED_EXAMPLE_NODE));
      expectError(decodeFrame(new Uint8Array([2, ...z.subarray(0, z.length - 8)])), "inflate-failed", 1);
      const bomb = zlibSync(new Uint8Array(TAGS.MAX_NODE_BYTES + 16), { level: 9 });
      expectError(decodeFrame(new Uint8Array([2, ...bomb])), "limit-exceeded", 1);
      // Errors inside the inflated payload carry region "inflated".
      const bad = new Uint8Array([2, ...zlibSync(fromHex("f802fc0161f2"))]);
      const e = expectError(decodeFrame(bad), "invalid-tag", 5);
      expect(e.region).toBe("inflated");
    });

    it("nesting depth is bounded by MAX_DEPTH", () => {
      const nest = (depth: number) => {
        let n: WANode = { tag: "x", attrs: {} };
        for (let i = 1; i < depth; i++) n = { tag: "x", attrs: {}, content: [n] };
        return n;
      };
      expect(decodeNode(encodeNode(nest(TAGS.MAX_DEPTH)))).toEqual(nest(TAGS.MAX_DEPTH));
      // Hand-built: MAX_DEPTH + 1 levels of `F8 02 <x> F8 01`, then a leaf.
      const deep = fromHex(`${"f802fc0178f801".repeat(TAGS.MAX_DEPTH)}f801fc0178`);
      expectError(decodeNode(deep), "limit-exceeded", TAGS.MAX_DEPTH * 7);
    });

    it("survives structuredClone (postMessage) and prints usefully", () => {
      const e = decodeNode(fromHex("f801f0")) as CodecError;
      const clone = structuredClone(e);
      expect(clone instanceof CodecError).toBe(false);
      expect(isCodecError(clone)).toBe(true);
      expect(isCodecError({ code: "truncated", offset: 0 })).toBe(false);
      expect(isCodecError(null)).toBe(false);
      expect(String(e)).toBe("CodecError invalid-tag at offset 2: invalid tag 0xf0");
    });

    it("never reads past the view it was given", () => {
      const full = encodeFrame(WORKED_EXAMPLE_NODE);
      const big = new Uint8Array(full.length + 10);
      big.set(full, 5);
      expect(decodeFrame(big.subarray(5, 5 + full.length))).toEqual(WORKED_EXAMPLE_NODE);
      expectError(decodeFrame(big.subarray(5, 5 + full.length - 1)), "truncated");
    });
  });
});
