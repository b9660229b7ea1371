/**
 * The tolerant debug-log reader (src/shared/codec/logxml.ts) on lines in the exact formats of
 * peer-tools.md §3. The samples are our own; the Baileys one is checked against Baileys' own
 * `binaryNodeToString` so the format is exact.
 */

import { binaryNodeToString } from "baileys/lib/WABinary/index.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  detectLogDialect,
  hasOmittedBytes,
  isClearlyHex,
  isOmittedBytes,
  isXmlError,
  type LogNode,
  logNodeToWANode,
  parseLogXml,
  type WANode,
  type XmlError,
} from "../../../src/shared/codec";
import { fromHex, RUNS } from "./support";

const LID = "236395184570386:12@lid";
const PEER = "118044262518885:3@lid";

function ok(r: LogNode | XmlError): LogNode {
  if (isXmlError(r)) throw new Error(`unexpected ${r}`);
  return r;
}

function expectError(r: LogNode | XmlError, code: string, offset: number): void {
  if (!isXmlError(r)) throw new Error(`expected ${code}, got ${JSON.stringify(r)}`);
  expect([r.code, r.offset]).toEqual([code, offset]);
}

describe("Baileys trace lines (binaryNodeToString: single quotes, tabs, lowercase hex)", () => {
  // A pino NDJSON line as Baileys' `onMessageReceived` writes it at trace level.
  const xml =
    "<call from='236395184570386:12@lid' id='3A9F0C' t='1747830000' notify='Bob's \"phone\" <3 & co'>\n" +
    "\t\t<offer call-id='AB12CD34' call-creator='236395184570386:12@lid'>\n" +
    "\t\t\t\t<audio enc='opus' rate='16000'/>\n" +
    "\t\t\t\t<capability ver='1'>\n" +
    "\t\t\t\t\t0105f709e4bb13\n" +
    "\t\t\t\t</capability>\n" +
    "\t\t\t\t<voip_settings >\n" +
    '\t\t\t\t\t{"a":"<b>","n":1}\n' +
    "\t\t\t\t</voip_settings>\n" +
    "\t\t\t\t<net />\n" +
    "\t\t</offer>\n" +
    "</call>";
  const line = JSON.stringify({
    level: 10,
    time: 1747830000123,
    pid: 42,
    hostname: "h",
    xml,
    msg: "recv xml",
  });
  const node: WANode = {
    tag: "call",
    attrs: { from: LID, id: "3A9F0C", t: "1747830000", notify: `Bob's "phone" <3 & co` },
    content: [
      {
        tag: "offer",
        attrs: { "call-id": "AB12CD34", "call-creator": LID },
        content: [
          { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
          { tag: "capability", attrs: { ver: "1" }, content: fromHex("0105f709e4bb13") },
          { tag: "voip_settings", attrs: {}, content: '{"a":"<b>","n":1}' },
          { tag: "net", attrs: {} },
        ],
      },
    ],
  };

  it("the sample is exactly what Baileys prints", () => {
    expect(binaryNodeToString(node)).toBe(xml);
  });

  it("reads back the node: unescaped quotes, <, & in values; tab layout; hex → bytes", () => {
    const parsed = JSON.parse(line) as { xml: string; msg: string };
    expect(detectLogDialect(parsed.xml)).toBe("baileys");
    const r = ok(parseLogXml(parsed.xml));
    expect(r).toEqual(node);
    expect(logNodeToWANode(r)).toEqual(node);
    expect(ok(parseLogXml(parsed.xml, { dialect: "baileys" }))).toEqual(node);
  });

  it("keeps attribute order and childless forms (`<tag />`, `<tag k='v'/>`)", () => {
    const r = ok(parseLogXml("<ack id='1F' class='call' type='offer' from='call'/>"));
    expect(Object.keys(r.attrs)).toEqual(["id", "class", "type", "from"]);
    expect(r.content).toBeUndefined();
    expect(ok(parseLogXml("<net />"))).toEqual({ tag: "net", attrs: {} });
  });

  it("reads Baileys' rendering of random call-like nodes back", () => {
    const name = fc.constantFrom("call", "offer", "te2", "enc", "relay", "audio", "mute_v2", "to");
    const value = fc.oneof(
      fc.constantFrom(LID, PEER, "opus", "16000", "accepted_elsewhere", "Bob's 'x'", 'say "hi"', "a<b>c&d"),
      fc.stringMatching(/^[0-9A-F]{1,32}$/),
      fc.stringMatching(/^[a-z ]{0,10}$/),
    );
    const attrs = fc
      .uniqueArray(fc.tuple(fc.constantFrom("id", "to", "from", "call-id", "reason", "t", "v"), value), {
        selector: (p) => p[0],
        maxLength: 4,
      })
      .map((p) => Object.fromEntries(p));
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((b) => isClearlyHex(hexOf(b)));
    const text = fc.stringMatching(/^[a-z{}":, <>]{1,20}$/).filter((t) => t.trim() === t && !isClearlyHex(t));
    const { node } = fc.letrec<{ node: WANode }>((tie) => ({
      node: fc
        .tuple(
          name,
          attrs,
          fc.oneof(
            { depthIdentifier: "n", maxDepth: 3 },
            fc.constant(undefined),
            bytes,
            text,
            fc.array(tie("node"), { minLength: 1, maxLength: 3, depthIdentifier: "n" }),
          ),
        )
        .map(([tag, a, c]) => (c === undefined ? { tag, attrs: a } : { tag, attrs: a, content: c })),
    }));
    fc.assert(
      fc.property(node, (n) => {
        const r = parseLogXml(binaryNodeToString(n), { dialect: "baileys" });
        expect(r).toEqual(n);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("whatsmeow lines (Node.String(): one line, double quotes, sorted, hex ≤ 128 bytes)", () => {
  // The matching pattern of peer-tools.md §3 (ESC spelled out for the linter).
  const ESC = String.fromCharCode(27);
  const pattern = new RegExp(
    `^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[(?:.+\\/)?(Recv|Send) DEBUG\\] (.*?)(?:${ESC}\\[0m)?$`,
  );
  const lines = [
    `12:00:01.234 [Client/Recv DEBUG] <call from="${PEER}" id="3A9F" notify="A "quoted" name" t="1747830000">` +
      `<offer call-creator="${PEER}" call-id="AB12"><audio enc="opus" rate="16000"/>` +
      `<capability ver="1">0105f709e4bb13</capability><enc count="0" type="pkmsg" v="2"><!-- 412 bytes --></enc>` +
      `<net medium="3"/></offer></call>`,
    `12:00:02.001 [Client/Send DEBUG] <ack class="call" id="3A9F" to="${PEER}" type="offer"/>\x1b[0m`,
    `12:00:03.500 [Client/Recv DEBUG] <call from="${PEER}" id="3AA0" t="1747830003"><terminate call-creator="${PEER}" call-id="AB12" reason="timeout"/></call>`,
    `12:00:04.000 [Client/Recv DEBUG] <notification from="s.whatsapp.net" id="9"><note>line one\\nline two</note></notification>`,
  ];

  it("splits log lines and reads each node", () => {
    const nodes = lines.map((l) => {
      const m = pattern.exec(l);
      expect(m).not.toBeNull();
      expect(detectLogDialect(m![3])).toBe("whatsmeow");
      return ok(parseLogXml(m![3]));
    });
    expect(nodes[0].attrs.notify).toBe('A "quoted" name');
    const offer = (nodes[0].content as LogNode[])[0];
    expect(offer.content).toEqual([
      { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
      { tag: "capability", attrs: { ver: "1" }, content: fromHex("0105f709e4bb13") },
      { tag: "enc", attrs: { count: "0", type: "pkmsg", v: "2" }, content: { bytesOmitted: 412 } },
      { tag: "net", attrs: { medium: "3" } },
    ]);
    expect(hasOmittedBytes(nodes[0])).toBe(true);
    expect(logNodeToWANode(nodes[0])).toBeUndefined();
    expect(isOmittedBytes((offer.content as LogNode[])[2].content)).toBe(true);
    expect(nodes[1]).toEqual({ tag: "ack", attrs: { class: "call", id: "3A9F", to: PEER, type: "offer" } });
    expect(logNodeToWANode(nodes[2])).toEqual(nodes[2]);
    expect((nodes[3].content as LogNode[])[0].content).toBe("line one\nline two");
  });

  it("reads the zerolog JSON form (mautrix bridges): message holds the node", () => {
    const line = JSON.stringify({
      level: "debug",
      sublogger: "Client/Recv",
      time: "2026-05-21T12:00:01.234Z",
      message: `<call from="${PEER}" id="3AA2" t="1779364801"><reject call-creator="${PEER}" call-id="AB12" count="0"/></call>`,
    });
    const { message } = JSON.parse(line) as { message: string };
    const r = ok(parseLogXml(message));
    expect((r.content as LogNode[])[0]).toEqual({
      tag: "reject",
      attrs: { "call-creator": PEER, "call-id": "AB12", count: "0" },
    });
  });

  it("digit-only text stays text; `hex` option overrides", () => {
    const line = '<te latency="33554477">1200</te>';
    expect(ok(parseLogXml(line)).content).toBe("1200");
    expect(ok(parseLogXml(line, { hex: "always" })).content).toEqual(fromHex("1200"));
    expect(ok(parseLogXml("<te>c0a8</te>", { hex: "never" })).content).toBe("c0a8");
    expect(ok(parseLogXml("<te>C0A8</te>")).content).toBe("C0A8");
    expect(ok(parseLogXml("<te></te>")).content).toBe("");
  });
});

describe("whatsapp-rust lines (one line, double quotes, bytes always `<!-- N bytes -->`)", () => {
  const line =
    `[2026-05-21T12:00:01Z DEBUG Client/Recv] <call from="${PEER}" id="3AA1" t="1779364801">` +
    `<relaylatency call-id="AB12" call-creator="${PEER}"><te latency="33554477" relay_name="gru1c02">` +
    `<!-- 6 bytes --></te></relaylatency></call>`;

  it("reads the node with omitted bytes", () => {
    const xml = line.slice(line.indexOf("] ") + 2);
    const r = ok(parseLogXml(xml, { dialect: "whatsapp-rust" }));
    const te = ((r.content as LogNode[])[0].content as LogNode[])[0];
    expect(te).toEqual({
      tag: "te",
      attrs: { latency: "33554477", relay_name: "gru1c02" },
      content: { bytesOmitted: 6 },
    });
    expect(Object.keys((r.content as LogNode[])[0].attrs)).toEqual(["call-id", "call-creator"]);
  });

  it("reads the examples/demo.rs layout `HH:MM:SS [LEVEL] [target] - msg`", () => {
    const line = `12:00:05 [DEBUG] [Client/Send] - <call to="${PEER}" id="3EB0AA"><terminate call-id="AB12" call-creator="${PEER}"/></call>`;
    const m = /^(\d\d:\d\d:\d\d) \[(\w+)\] \[(Client\/(?:Send|Recv))\] - (.*)$/.exec(line);
    expect(m?.[3]).toBe("Client/Send");
    const r = ok(parseLogXml(m?.[4] ?? ""));
    expect(r.attrs).toEqual({ to: PEER, id: "3EB0AA" });
    expect((r.content as LogNode[])[0].tag).toBe("terminate");
  });

  it("never turns text into bytes (the library prints printable bytes as text)", () => {
    const r = ok(
      parseLogXml('<voip_settings uncompressed="1">deadbeef</voip_settings>', { dialect: "whatsapp-rust" }),
    );
    expect(r.content).toBe("deadbeef");
  });
});

describe("nodeToXml markers and tolerance", () => {
  it("reads nodeToXml's byte markers (full → bytes, truncated → omitted)", () => {
    expect(ok(parseLogXml('<enc v="2"><!-- 3 bytes: 0a1b2c --></enc>')).content).toEqual(fromHex("0a1b2c"));
    expect(ok(parseLogXml('<enc v="2"><!-- 300 bytes: 0a1b... --></enc>')).content).toEqual({
      bytesOmitted: 300,
    });
  });

  it("reads text that starts with `<` and text with other comments", () => {
    expect(ok(parseLogXml("<n><b>old</n>")).content).toBe("<b>old");
    expect(ok(parseLogXml("<n><!-- note -->x</n>")).content).toBe("<!-- note -->x");
  });

  it("reads impossible shapes as text or values instead of failing (tolerance)", () => {
    // Mixed content cannot be a WABinary node: the whole content is taken as text.
    expect(ok(parseLogXml("<call><offer/>junk</call>")).content).toBe("<offer/>junk");
    // No blank before the next name: the quote is part of the value.
    expect(ok(parseLogXml("<call id='1'x='2'/>")).attrs).toEqual({ id: "1'x='2" });
  });

  it("accepts unquoted values and either quote style in one node", () => {
    expect(ok(parseLogXml(`<a x=1 y='2' z="3"/>`)).attrs).toEqual({ x: "1", y: "2", z: "3" });
  });

  it("keeps an attribute named __proto__ as an own property", () => {
    const r = ok(parseLogXml('<a __proto__="1"/>'));
    expect(Object.hasOwn(r.attrs, "__proto__")).toBe(true);
  });
});

describe("errors are values with character offsets", () => {
  it.each([
    ["", "no-element", 0],
    ["   ", "no-element", 3],
    ["hello", "no-element", 0],
    ["<call id='1'", "unterminated", 0],
    ["<call id='1>", "unterminated", 9],
    ["<call id='1'><offer/>", "unterminated", 0],
    ["<call><offer/></ack>", "mismatched-close", 14],
    ["<call><offer/>junk", "mixed-content", 14],
    ["<call/> trailing", "trailing-text", 7],
    ["<call id/>", "syntax", 6],
    ["<call id='1' x='2'y/>", "unterminated", 15],
    ["<call =''/>", "bad-name", 6],
    ["<call><!-- 3 bytes --></call", "unterminated", 0],
  ])("%j → %s at %i", (text, code, offset) => {
    expectError(parseLogXml(text), code as string, offset as number);
  });

  it("stops at MAX_DEPTH", () => {
    const deep = `${"<a>".repeat(200)}${"</a>".repeat(200)}`;
    const r = parseLogXml(deep);
    expect(isXmlError(r) && r.code).toBe("limit-exceeded");
  });

  it("never throws on random text", () => {
    const piece = fc.constantFrom(
      "<",
      ">",
      "/",
      "'",
      '"',
      "=",
      " ",
      "\n",
      "\t",
      "a",
      "b",
      "<!--",
      "-->",
      "</a>",
      "<a",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const r = parseLogXml(parts.join(""));
        if (isXmlError(r)) expect(r.offset).toBeLessThanOrEqual(parts.join("").length);
      }),
      { numRuns: RUNS },
    );
  });
});
