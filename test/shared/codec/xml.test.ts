import { describe, expect, it } from "vitest";
import {
  BINARY_COMMENT,
  decodeFrame,
  decodeXmlName,
  encodeFrame,
  encodeXmlName,
  nodeToXml,
  type WANode,
} from "../../../src/shared/codec";
import { fromHex } from "./support";

const offer: WANode = {
  tag: "call",
  attrs: { from: "123456789012345:7@lid", id: "3EB0C0FFEE", t: "1730000000" },
  content: [
    {
      tag: "offer",
      attrs: { "call-id": "AB12CD34EF56AB12CD34EF56AB12CD34", "call-creator": "123456789012345:7@lid" },
      content: [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
        { tag: "enc", attrs: { v: "2", type: "pkmsg" }, content: fromHex("0a1b2c3d") },
        { tag: "net", attrs: { medium: "3" } },
      ],
    },
  ],
};

describe("nodeToXml", () => {
  it("renders a small call stanza (after a decode round trip)", () => {
    const node = decodeFrame(encodeFrame(offer)) as WANode;
    expect(nodeToXml(node)).toBe(
      [
        '<call from="123456789012345:7@lid" id="3EB0C0FFEE" t="1730000000">',
        '  <offer call-id="AB12CD34EF56AB12CD34EF56AB12CD34" call-creator="123456789012345:7@lid">',
        '    <audio enc="opus" rate="16000"/>',
        '    <enc v="2" type="pkmsg"><!-- 4 bytes: 0a1b2c3d --></enc>',
        '    <net medium="3"/>',
        "  </offer>",
        "</call>",
      ].join("\n"),
    );
  });

  it("supports one-line output, custom indent and truncated hex", () => {
    expect(nodeToXml(offer, { indent: false })).toBe(
      '<call from="123456789012345:7@lid" id="3EB0C0FFEE" t="1730000000">' +
        '<offer call-id="AB12CD34EF56AB12CD34EF56AB12CD34" call-creator="123456789012345:7@lid">' +
        '<audio enc="opus" rate="16000"/><enc v="2" type="pkmsg"><!-- 4 bytes: 0a1b2c3d --></enc>' +
        '<net medium="3"/></offer></call>',
    );
    const enc: WANode = { tag: "enc", attrs: {}, content: fromHex("0a1b2c3d") };
    expect(nodeToXml(enc, { maxBytes: 2 })).toBe("<enc><!-- 4 bytes: 0a1b... --></enc>");
    expect(nodeToXml({ tag: "a", attrs: {}, content: [enc] }, { indent: "\t" })).toBe(
      "<a>\n\t<enc><!-- 4 bytes: 0a1b2c3d --></enc>\n</a>",
    );
  });

  it("escapes attribute values and text, self-closes childless nodes, marks empty child lists", () => {
    const n: WANode = {
      tag: "x",
      attrs: { a: `<"&'>`, b: "line\nbreak\ttab" },
      content: [
        { tag: "t", attrs: {}, content: "a < b & c > d\n\u0001" },
        { tag: "e", attrs: {}, content: [] },
        { tag: "f", attrs: {} },
      ],
    };
    expect(nodeToXml(n)).toBe(
      [
        `<x a="&lt;&quot;&amp;'&gt;" b="line&#xa;break&#x9;tab">`,
        "  <t>a &lt; b &amp; c &gt; d\n&#x1;</t>",
        "  <e><!-- 0 children --></e>",
        "  <f/>",
        "</x>",
      ].join("\n"),
    );
  });

  it("marks binary content so it can be read back (BINARY_COMMENT)", () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    const xml = nodeToXml({ tag: "b", attrs: {}, content: bytes });
    const comment = /<!--(.*)-->/.exec(xml)?.[1] ?? "";
    const m = BINARY_COMMENT.exec(comment);
    expect(m?.[1]).toBe("5");
    expect(m?.[2]).toBe("00017f80ff");
    expect(m?.[3]).toBeUndefined();
    expect(nodeToXml({ tag: "b", attrs: {}, content: new Uint8Array() })).toBe("<b><!-- 0 bytes:  --></b>");
    expect(BINARY_COMMENT.exec(" 0 bytes:  ")?.[1]).toBe("0");
  });

  it("writes names that are not plain XML names with _xHHHH_ escapes", () => {
    const n: WANode = { tag: "2:47DEQpj8", attrs: { "America/Sao_Paulo": "x", "": "e", _x0041_: "l" } };
    expect(nodeToXml(n)).toBe('<_x0032_:47DEQpj8 America_x002F_Sao_Paulo="x" _x_="e" _x005F_x0041_="l"/>');
    expect(encodeXmlName("call-creator")).toBe("call-creator");
    expect(decodeXmlName("_x0032_:47DEQpj8")).toBe("2:47DEQpj8");
  });
});
