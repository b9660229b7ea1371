import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeXmlName,
  encodeXmlName,
  isXmlError,
  nodeToXml,
  type WANode,
  type XmlError,
  xmlToNode,
  xmlToNodes,
} from "../../../src/shared/codec";
import { fromHex, nodeArb, RUNS } from "./support";

const anyNode = nodeArb({
  fb: true,
  fbDevice0: true,
  interop: true,
  call: true,
  blankAttrs: true,
  emptyChildren: true,
});

function expectXmlError(r: unknown, code: string, offset?: number): XmlError {
  if (!isXmlError(r)) throw new Error(`expected XmlError ${code}, got ${JSON.stringify(r)}`);
  expect(r.code).toBe(code);
  if (offset !== undefined) expect(r.offset).toBe(offset);
  return r;
}

describe("xmlToNode(nodeToXml(n)) === n", () => {
  it(`holds for random nodes, indented and one-line (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(anyNode, fc.constantFrom<string | false>("  ", "\t", false), (node, indent) => {
        const xml = nodeToXml(node, { indent });
        expect(xmlToNode(xml)).toEqual(node);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it("names: encodeXmlName / decodeXmlName are inverse for any string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 12 }),
          fc
            .array(fc.constantFrom("_", "x", "0", "4", "1", "A", "F", "\u0001"), { maxLength: 14 })
            .map((a) => a.join("")),
          fc.constantFrom("", "_x_", "_x0041_", "_x0041", "__proto__", "constructor", "#text", ":@"),
        ),
        (name) => {
          const enc = encodeXmlName(name);
          expect(enc).toMatch(/^[A-Za-z_][A-Za-z0-9_.:-]*$/);
          expect(decodeXmlName(enc)).toBe(name);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("xmlToNode / xmlToNodes details", () => {
  it("reads indented nodeToXml output of a call stanza, bytes included", () => {
    const node: WANode = {
      tag: "call",
      attrs: { from: "123456789012345:7@lid", id: "3EB0C0FFEE", t: "1730000000" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "AB12", "call-creator": "123456789012345:7@lid" },
          content: [
            { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
            { tag: "capability", attrs: { ver: "1" }, content: fromHex("0105f709e4bb13") },
            { tag: "voip_settings", attrs: {}, content: '{"a":"<&>"}' },
            { tag: "empty", attrs: {}, content: "" },
            { tag: "none", attrs: {}, content: [] },
          ],
        },
      ],
    };
    const xml = nodeToXml(node);
    expect(xml).toContain('<capability ver="1"><!-- 7 bytes: 0105f709e4bb13 --></capability>');
    expect(xmlToNode(xml)).toEqual(node);
    expect(Object.keys((xmlToNode(xml) as WANode).attrs)).toEqual(["from", "id", "t"]);
  });

  it("tells <t/> (no content) from <t></t> (empty text), also with CRLF line ends", () => {
    expect(xmlToNode("<t/>")).toEqual({ tag: "t", attrs: {} });
    expect(xmlToNode("<t></t>")).toEqual({ tag: "t", attrs: {}, content: "" });
    expect(xmlToNode('<a>\r\n  <t x="1"/>\r\n  <t></t>\r\n</a>')).toEqual({
      tag: "a",
      attrs: {},
      content: [
        { tag: "t", attrs: { x: "1" } },
        { tag: "t", attrs: {}, content: "" },
      ],
    });
  });

  it("decodes entities and CDATA, ignores declarations, PIs and other comments", () => {
    const xml = `<?xml version="1.0"?><!-- top --><a k="&lt;&#x9;&#65;&apos;"><![CDATA[&amp;<x>]]>&amp;<!-- c --></a>`;
    expect(xmlToNode(xml)).toEqual({ tag: "a", attrs: { k: "<\tA'" }, content: "&amp;<x>&" });
  });

  it("reads every top-level element with xmlToNodes", () => {
    expect(xmlToNodes("<a/>\n<b>x</b>")).toEqual([
      { tag: "a", attrs: {} },
      { tag: "b", attrs: {}, content: "x" },
    ]);
    expectXmlError(xmlToNode("<a/>\n<b>x</b>"), "multiple-roots", 5);
  });

  it("keeps __proto__, constructor and parser-internal names as plain attributes and tags", () => {
    const attrs: Record<string, string> = { constructor: "c", "#text": "t", ":@": "x" };
    Object.defineProperty(attrs, "__proto__", {
      value: "p",
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const node: WANode = { tag: "constructor", attrs, content: [{ tag: "__proto__", attrs: {} }] };
    const back = xmlToNode(nodeToXml(node)) as WANode;
    expect(back).toEqual(node);
    expect(Object.hasOwn(back.attrs, "__proto__")).toBe(true);
  });

  it.each([
    ["", "no-element", 0],
    ["just text", "no-element", 0],
    ["<a>", "syntax", undefined],
    ['<a x="1" x="2"/>', "syntax", 9],
    ["<a><b></a>", "syntax", undefined],
    ["<a>&bogus;</a>", "bad-entity", 0],
    ["<a>&#x110000;</a>", "bad-entity", 0],
    ["<a><b/>text</a>", "mixed-content", 0],
    ["<a><!-- 3 bytes: 0a0b --></a>", "bad-bytes", 0],
    ["<a><!-- 300 bytes: 0a0b... --></a>", "bad-bytes", 0],
    ["<a><!-- 1 bytes: 0a --><b/></a>", "mixed-content", 0],
  ])("%j → %s", (text, code, offset) => {
    const r = xmlToNode(text as string);
    const e: XmlError = expectXmlError(r, code as string, offset as number | undefined);
    expect(isXmlError(structuredClone(e))).toBe(true);
  });

  it("stops at MAX_DEPTH instead of overflowing the stack", () => {
    const r = xmlToNode(`${"<a>".repeat(300)}${"</a>".repeat(300)}`);
    expect(isXmlError(r) && r.code).toBe("limit-exceeded");
  });

  it("never throws on random text", () => {
    const piece = fc.constantFrom(
      "<",
      ">",
      "/",
      '"',
      "=",
      " ",
      "a",
      "&",
      ";",
      "<!--",
      "-->",
      "</a>",
      "<a",
      "#x1",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const r = xmlToNodes(parts.join(""));
        if (isXmlError(r)) expect(r.offset).toBeLessThanOrEqual(parts.join("").length);
      }),
      { numRuns: RUNS },
    );
  });
});
