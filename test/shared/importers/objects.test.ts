/**
 * The object-shaped published forms (real-captures.md forms 3–6): Baileys pino-pretty output,
 * BinaryNode JSON, util.inspect object literals and WhatsApp Web's node objects. Every example
 * was written for this project in those forms (made-up LIDs, numbers and ids); none is copied
 * from a post. Inputs go through `feedText`, as the panel's paste box does.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { ImportResult } from "../../../src/shared/importers/collect";
import { feedText, type LineReader } from "../../../src/shared/importers/lines";
import {
  createBinaryNodeJsonReader,
  createInspectReader,
  createPinoPrettyReader,
  createWaWebNodeReader,
  detectObjectForm,
} from "../../../src/shared/importers/objects";
import { MAX_BLOCK_CHARS, MAX_BLOCK_LINES } from "../../../src/shared/importers/objects-scan";
import type { PortableNode } from "../../../src/shared/trace/types";

const CALLER = "271828182845904@lid";
const OWN = "161803398874989:14@lid";
const CID = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";

/** An inbound offer as Baileys decodes it (content: children, null, bytes). */
const offer = () => ({
  tag: "call",
  attrs: { from: CALLER, id: "4711.815-3", t: "1790000000", platform: "android" },
  content: [
    {
      tag: "offer",
      attrs: { "call-id": CID, "call-creator": CALLER },
      content: [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" }, content: null },
        { tag: "capability", attrs: { ver: "1" }, content: Buffer.from([1, 5, 247, 9, 228, 250, 19]) },
      ],
    },
  ],
});
/** Our ack of it. */
const ack = () => ({
  tag: "ack",
  attrs: { class: "call", id: "4711.815-3", to: CALLER, type: "offer" },
  content: null,
});
/** An outbound terminate with text content (made up, to cover string content). */
const terminate = () => ({
  tag: "call",
  attrs: { to: CALLER, id: "5223.12338-39" },
  content: [{ tag: "terminate", attrs: { "call-id": CID, "call-creator": OWN }, content: "bye" }],
});

/** The portable form the readers should give for `offer()`. */
const OFFER_PORTABLE: PortableNode = {
  tag: "call",
  attrs: { from: CALLER, id: "4711.815-3", t: "1790000000", platform: "android" },
  content: [
    {
      tag: "offer",
      attrs: { "call-id": CID, "call-creator": CALLER },
      content: [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
        { tag: "capability", attrs: { ver: "1" }, content: { b64: "AQX3CeT6Ew==" } },
      ],
    },
  ],
};

const nodes = (r: ImportResult) => r.trace.stanzas.map((s) => s.node as PortableNode);
const run = (reader: LineReader, text: string) => feedText(reader, text);
/** Lines of `text` at which `needle` occurs (1-based). */
const linesOf = (text: string, needle: string) =>
  text.split("\n").flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));

describe("BinaryNode JSON (form 4)", () => {
  it("reads one-line and pretty objects, several in a row, arrays of them, prose between", () => {
    const text = [
      "got this from the socket:",
      JSON.stringify(offer()),
      "",
      "and then we sent:",
      JSON.stringify(ack(), null, 2),
      `[${JSON.stringify(terminate())}, ${JSON.stringify(ack())}]`,
    ].join("\n");
    expect(detectObjectForm(text)).toBe("binary-node-json");
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([]);
    expect(r.format).toBe("binary-node-json");
    expect(nodes(r)).toEqual([
      OFFER_PORTABLE,
      { tag: "ack", attrs: ack().attrs },
      {
        tag: "call",
        attrs: terminate().attrs,
        content: [{ tag: "terminate", attrs: { "call-id": CID, "call-creator": OWN }, content: "bye" }],
      },
      { tag: "ack", attrs: ack().attrs },
    ]);
    // No direction or time in this form: inferred, and the order is kept.
    expect(r.trace.stanzas.map((s) => s.direction)).toEqual(["in", "out", "out", "out"]);
    expect(r.trace.source).toMatchObject({ timestampPrecision: "none", directionInferred: true });
    expect(r.stats.otherLines).toBe(2);
  });

  it("reads CRLF input and stanzas pretty-printed with 4-space indentation", () => {
    const text = `${JSON.stringify(offer(), null, 4)}\r\n${JSON.stringify(ack())}\r\n`.replace(/\n/g, "\r\n");
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([]);
    expect(nodes(r)).toEqual([OFFER_PORTABLE, { tag: "ack", attrs: ack().attrs }]);
  });

  it("reports garbage between objects at its line and reads the rest", () => {
    const text = [
      JSON.stringify(offer()),
      '{"tag": "call", "attrs": {"id": }, "content": null}',
      "some prose, not an error",
      JSON.stringify(ack()),
    ].join("\n");
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].line).toBe(2);
    expect(r.errors[0].reason).toMatch(/unreadable BinaryNode JSON/);
    expect(nodes(r).map((n) => n.tag)).toEqual(["call", "ack"]);
  });

  it("keeps only call stanzas, and skips objects without a call marker unparsed", () => {
    const msg = {
      tag: "message",
      attrs: { from: CALLER, id: "M1" },
      content: [{ tag: "enc", attrs: {}, content: null }],
    };
    const receipt = { tag: "receipt", attrs: { from: CALLER, id: "4711.815-3" }, content: null };
    const r = run(
      createBinaryNodeJsonReader(),
      [JSON.stringify(msg), JSON.stringify(offer()), JSON.stringify(receipt)].join("\n"),
    );
    expect(nodes(r).map((n) => n.tag)).toEqual(["call", "receipt"]);
    expect(r.stats.prefiltered).toBe(1);
  });
});

/** Baileys' pino-pretty rendering of a `{ node }` log entry (pino-pretty indents JSON by 4 spaces). */
const prettyKey = (key: string, v: unknown) =>
  `    ${key}: ${JSON.stringify(v, null, 2)
    .split("\n")
    .map((l, i) => (i ? `    ${l}` : l))
    .join("\n")}`;

describe("pino-pretty (form 3)", () => {
  const text = [
    "[1790000000001] INFO: connected to WA Web",
    "[1790000000123] INFO (baileys/4242 on devbox): recv call",
    '    class: "baileys"',
    prettyKey("node", offer()),
    "[1790000000150] INFO: opened connection to WA",
    "[1790000000200] DEBUG: sent ack",
    prettyKey("recv", { tag: "call", attrs: { from: CALLER, id: "4711.815-3" } }),
    prettyKey("sent", ack().attrs),
    "[1790000000300] TRACE: xml send",
    `    xml: ${JSON.stringify(`<call to="${CALLER}" id="5223.12338-39"><terminate call-id="${CID}" call-creator="${OWN}"/></call>`)}`,
    "[1790000000400] INFO: handling call",
    prettyKey("node", {
      tag: "call",
      attrs: { from: CALLER, id: "1.2-3", t: "1790000001" },
      content: [{ tag: "terminate", attrs: { "call-id": CID }, content: null }],
    }),
  ].join("\n");

  it("reads nodes under indented keys, with times from the bracketed ms and direction from the message", () => {
    expect(detectObjectForm(text)).toBe("pino-pretty");
    const r = run(createPinoPrettyReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe("pino-pretty");
    expect(
      r.trace.stanzas.map((s) => [
        s.node?.tag,
        s.node?.content && (s.node.content as PortableNode[])[0]?.tag,
        s.direction,
        s.t,
      ]),
    ).toEqual([
      ["call", "offer", "in", 1790000000123],
      ["call", "terminate", "out", 1790000000300],
      ["call", "terminate", "in", 1790000000400],
    ]);
    expect(r.trace.stanzas[0].node).toEqual(OFFER_PORTABLE);
    expect(r.trace.source).toMatchObject({ timestampPrecision: "ms" });
    // "handling call" says no direction: inferred from the node (from + t → in).
    expect(r.trace.source).toMatchObject({ directionInferred: true });
  });

  it("does not import Baileys' recv/sent summaries of sent-ack entries", () => {
    const r = run(createPinoPrettyReader(), text);
    expect(
      r.trace.stanzas.filter((s) => s.node?.tag === "call" && s.node.attrs.id === "4711.815-3"),
    ).toHaveLength(1);
  });

  it("reads colourised output, the levelFirst layout and singleLine entries", () => {
    const esc = "\u001b";
    const t = [
      `${esc}[32mINFO${esc}[39m [1790000000500] (baileys): ${esc}[36mrecv call${esc}[39m`,
      prettyKey("node", offer()).replace(/"tag"/g, `${esc}[33m"tag"${esc}[39m`),
      `[1790000000600] DEBUG: sending call ${JSON.stringify({ node: terminate() })}`,
    ].join("\n");
    const r = run(createPinoPrettyReader(), t);
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas.map((s) => [s.t, s.direction])).toEqual([
      [1790000000500, "in"],
      [1790000000600, "out"],
    ]);
    expect(r.trace.stanzas[0].node).toEqual(OFFER_PORTABLE);
  });

  it("keeps what came before an entry cut off by the next one, and reports the cut", () => {
    const full = prettyKey("node", offer()).split("\n");
    const cutAt = full.findIndex((l) => l.includes('"audio"'));
    const t = [
      "[1790000000123] INFO: recv call",
      ...full.slice(0, cutAt + 1),
      "[1790000000200] INFO: recv call",
      prettyKey("node", terminate()),
    ].join("\n");
    const r = run(createPinoPrettyReader(), t);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([expect.objectContaining({ kind: "cut", line: cutAt + 2 })]);
    const first = r.trace.stanzas[0].node as PortableNode;
    expect(first.attrs).toEqual(OFFER_PORTABLE.attrs);
    const kid = (first.content as PortableNode[])[0];
    expect(kid.attrs).toEqual({ "call-id": CID, "call-creator": CALLER });
    expect(r.trace.stanzas[1].node?.attrs.id).toBe("5223.12338-39");
  });
});

describe("pino-pretty times and layout", () => {
  it("reads translated times: date-time with offset (ms) and time of day with midnight rollover", () => {
    const entry = (time: string, id: string) =>
      [
        `[${time}] INFO: recv call`,
        prettyKey("node", {
          tag: "call",
          attrs: { from: CALLER, id },
          content: [{ tag: "offer", attrs: { "call-id": CID }, content: null }],
        }),
      ].join("\n");
    const dated = run(createPinoPrettyReader(), entry("2026-05-21 12:00:01.250 +0200", "a"));
    expect(dated.trace.stanzas.map((s) => s.t)).toEqual([Date.parse("2026-05-21T10:00:01.250Z")]);
    expect(dated.trace.source).toMatchObject({ timestampPrecision: "ms" });
    const tod = run(
      createPinoPrettyReader(),
      [entry("23:59:59.900", "b"), entry("00:00:00.100", "c")].join("\n"),
    );
    expect(tod.trace.stanzas.map((s) => s.t)).toEqual([86_399_900, 86_400_100]);
    expect(tod.trace.source).toMatchObject({ timestampPrecision: "time-of-day" });
  });

  it("reads node strings as XML, and an error entry's stack with a stray bracket does not swallow the next entry", () => {
    const t = [
      "[1790000000100] ERROR (30885): error in handling call",
      `    node: ${JSON.stringify(`<call from="${CALLER}" id="7.7-7" t="1790000000"><reject call-id="${CID}" call-creator="${CALLER}" count="0"/></call>`)}`,
      "    err: {",
      '      "type": "Error",',
      '      "message": "bad [node",',
      '      "stack":',
      "          Error: bad [node",
      "              at handleCall (file:///app/socket.js:12:21)",
      "    }",
      "[1790000000123] INFO (30885): recv call",
      prettyKey("node", offer()),
    ].join("\n");
    const r = run(createPinoPrettyReader(), t);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([]);
    expect(r.trace.stanzas.map((s) => [s.node?.attrs.id, s.t, s.direction])).toEqual([
      ["7.7-7", 1790000000100, "in"],
      ["4711.815-3", 1790000000123, "in"],
    ]);
    expect(r.trace.stanzas[1].node).toEqual(OFFER_PORTABLE);
  });

  it("counts other entries and keys, and a value the driver could not read drops its object", () => {
    const reader = createPinoPrettyReader();
    const lines = [
      "[1790000000001] WARN: something else",
      "    attempt: 3",
      "[1790000000123] INFO: recv call",
      ...prettyKey("node", offer()).split("\n"),
    ];
    lines.forEach((l, i) => {
      if (i === 6) reader.fault(i + 1, "line longer than 64 MiB: skipped unread");
      else reader.line(l, i + 1);
    });
    reader.line("[1790000000300] INFO: recv call", lines.length + 1);
    prettyKey("node", terminate())
      .split("\n")
      .forEach((l, i) => {
        reader.line(l, lines.length + 2 + i);
      });
    const r = reader.finish();
    expect(r.errors.map((e) => e.line)).toEqual([7, 4]);
    expect(r.trace.stanzas.map((s) => s.node?.attrs.id)).toEqual(["5223.12338-39"]);
    expect(r.stats.otherLines).toBe(4);
  });
});

describe("util.inspect object literals (form 5)", () => {
  it("reads console.log's default depth, reporting parts cut to [Object]/[Array] with their lines", () => {
    const text = `recv call event ${inspect([{ chatId: CALLER, date: new Date(1790000000000), isVideo: false, status: "offer" }])}\n${inspect(offer())}`;
    expect(detectObjectForm(text)).toBe("inspect");
    const r = run(createInspectReader(), text);
    expect(r.errors).toEqual([]);
    expect(nodes(r)).toEqual([
      { tag: "call", attrs: OFFER_PORTABLE.attrs, content: [{ tag: "offer", attrs: {} }] },
    ]);
    const cutLine = linesOf(text, "[Object]")[0];
    expect(cutLine).toBeGreaterThan(1);
    expect(r.repairs).toEqual([
      {
        line: cutLine,
        kind: "truncated",
        reason: expect.stringMatching(/attributes of <offer> cut to \[Object\]/),
      },
      {
        line: cutLine,
        kind: "truncated",
        reason: expect.stringMatching(/content of <offer> cut to \[Array\]/),
      },
    ]);
  });

  it("reads full depth with <Buffer> bytes, quoted dashed keys and several objects on a line", () => {
    const text = `${inspect(offer(), { depth: 20 })}\n${inspect(ack())} ${inspect(terminate(), { depth: 5, breakLength: Number.POSITIVE_INFINITY })}`;
    expect(text).toContain("<Buffer 01 05 f7 09 e4 fa 13>");
    expect(text).toContain("'call-id':");
    const r = run(createInspectReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([]);
    expect(nodes(r)).toEqual([
      OFFER_PORTABLE,
      { tag: "ack", attrs: ack().attrs },
      {
        tag: "call",
        attrs: terminate().attrs,
        content: [{ tag: "terminate", attrs: { "call-id": CID, "call-creator": OWN }, content: "bye" }],
      },
    ]);
  });

  it("reports bytes cut by <Buffer … N more bytes> and Uint8Array(n) items, keeping the printed ones", () => {
    const n = offer();
    const relay = { tag: "relay", attrs: {}, content: Buffer.from(Array.from({ length: 60 }, (_, i) => i)) };
    const key = { tag: "enc_key", attrs: {}, content: new Uint8Array(130).fill(7) };
    n.content[0].content.push(relay as never, key as never);
    const text = inspect(n, { depth: 20 });
    const r = run(createInspectReader(), text);
    expect(r.errors).toEqual([]);
    const kids = ((nodes(r)[0].content as PortableNode[])[0].content as PortableNode[]).slice(2);
    expect(kids[0].content).toEqual({
      b64: Buffer.from(Array.from({ length: 50 }, (_, i) => i)).toString("base64"),
      truncatedFrom: 60,
    });
    expect(kids[1].content).toEqual({ b64: Buffer.alloc(100, 7).toString("base64"), truncatedFrom: 130 });
    expect(r.repairs.map((x) => [x.line, x.kind])).toEqual([
      [linesOf(text, "more bytes")[0], "truncated"],
      [linesOf(text, "Uint8Array(130)")[0], "truncated"],
    ]);
  });

  it("reads long strings split by inspect, class prefixes and colours", () => {
    const long = {
      tag: "call",
      attrs: { from: CALLER, id: "9.9-9" },
      content: [
        { tag: "terminate", attrs: { "call-id": CID }, content: `first line\n${"x".repeat(90)}\nlast` },
      ],
    };
    const text = inspect(long, { depth: 9, colors: true }).replace("{", "WapNode {");
    const r = run(createInspectReader(), text);
    expect(r.errors).toEqual([]);
    expect((nodes(r)[0].content as PortableNode[])[0].content).toBe(`first line\n${"x".repeat(90)}\nlast`);
  });
});

describe("WhatsApp Web node objects (form 6)", () => {
  const jid = (o: Record<string, unknown>) => ({ _jid: o });
  const node = {
    tag: "call",
    attrs: {
      from: jid({ type: 1, user: "271828182845904", device: 0, domainType: 1 }),
      id: "38.13-251",
      t: "1790000000",
    },
    content: [
      {
        tag: "offer",
        attrs: {
          "call-id": CID,
          "call-creator": jid({ type: 1, user: "271828182845904", device: 0, domainType: 1 }),
          caller_pn: jid({ type: 0, user: "15550001111", server: "s.whatsapp.net" }),
        },
        content: [
          {
            tag: "destination",
            attrs: {},
            content: [
              {
                tag: "to",
                attrs: { jid: jid({ type: 0, user: "161803398874989", device: 14, domainType: 0 }) },
                content: null,
              },
            ],
          },
          { tag: "capability", attrs: { ver: "1" }, content: { 0: 1, 1: 5, 2: 247 } },
          { tag: "net", attrs: { medium: "3", peer: jid({ user: "42", device: 3 }) }, content: null },
        ],
      },
    ],
  };

  it("turns JID objects into JID strings and typed arrays into bytes", () => {
    const text = JSON.stringify(node, null, 2);
    expect(detectObjectForm(text)).toBe("wa-web-node");
    const r = run(createWaWebNodeReader(), text);
    expect(r.errors).toEqual([]);
    const call = nodes(r)[0] as PortableNode;
    expect(call.attrs.from).toBe("271828182845904@lid");
    const off = (call.content as PortableNode[])[0];
    expect(off.attrs).toEqual({
      "call-id": CID,
      "call-creator": "271828182845904@lid",
      caller_pn: "15550001111@s.whatsapp.net",
    });
    const [dest, cap, net] = off.content as PortableNode[];
    expect((dest.content as PortableNode[])[0].attrs.jid).toBe("161803398874989:14@s.whatsapp.net");
    expect(cap.content).toEqual({ b64: Buffer.from([1, 5, 247]).toString("base64") });
    // No server, domainType or type: what is known is kept, and the repair says so.
    expect(net.attrs.peer).toBe("42:3");
    expect(r.repairs).toEqual([
      {
        line: linesOf(text, '"peer"')[0],
        kind: "jid",
        reason: expect.stringMatching(/peer of <net>.*without a server/),
      },
    ]);
  });

  it("works out servers from domainType (hosted, hosted.lid), types 3 and 4, and reports unknown domains", () => {
    const n = {
      tag: "call",
      attrs: {
        from: jid({ type: 1, user: "555", device: 99, domainType: 128 }),
        to: jid({ type: 1, user: "777", device: 0, domainType: 129 }),
        id: "1.2-3",
        a: jid({ type: 3, user: "888", device: 0 }),
        b: jid({ type: 4, user: "999", device: 2, integrator: 5 }),
        c: jid({ type: 1, user: "111", device: 1, domainType: 7 }),
        d: jid({ type: 0, user: null, server: "g.us" }),
      },
      content: null,
    };
    const r = run(createWaWebNodeReader(), JSON.stringify(n));
    expect(nodes(r)[0].attrs).toEqual({
      from: "555:99@hosted",
      to: "777@hosted.lid",
      id: "1.2-3",
      a: "888:0@msgr",
      b: "5-999:2@interop",
      c: "111:1",
      d: "g.us",
    });
    expect(r.repairs).toEqual([
      {
        line: 1,
        kind: "jid",
        reason: expect.stringMatching(/attribute c of <call>: JID object with unknown domain 7/),
      },
    ]);
  });

  it("reads the console's object-literal form too (WapJid class prefixes)", () => {
    const text = inspect(node, { depth: 20 }).replace(/_jid: \{/g, "_jid: WapJidInner {");
    const r = run(createWaWebNodeReader(), text.replace(/\{ _jid/g, "WapJid { _jid"));
    expect(r.errors).toEqual([]);
    expect(nodes(r)[0].attrs.from).toBe("271828182845904@lid");
  });
});

describe("console previews", () => {
  it("reads Chrome's collapsed previews ({…}, Array(n), Uint8Array(n), WapJid) as truncated parts", () => {
    const text = [
      "WapNode {tag: 'call', attrs: {…}, content: Array(1)}",
      "{tag: 'call', attrs: {from: WapJid {_jid: {…}}, id: '38.13-251', t: '1790000000'}, content: (1) [{tag: 'offer', attrs: {…}, content: Array(3)}]}",
      "{tag: 'call', attrs: {from: WapJid, id: '38.13-252'}, content: Uint8Array(7)}",
    ].join("\n");
    const r = run(createWaWebNodeReader(), text);
    expect(r.errors).toEqual([]);
    expect(nodes(r)).toEqual([
      { tag: "call", attrs: {} },
      { tag: "call", attrs: { id: "38.13-251", t: "1790000000" }, content: [{ tag: "offer", attrs: {} }] },
      { tag: "call", attrs: { id: "38.13-252" } },
    ]);
    expect(r.repairs.map((x) => [x.line, x.kind])).toEqual([
      [1, "truncated"],
      [1, "truncated"],
      [2, "jid"],
      [2, "truncated"],
      [2, "truncated"],
      [3, "truncated"],
      [3, "truncated"],
    ]);
    expect(r.repairs[5].reason).toMatch(/attribute from of <call> cut to \[WapJid\]/);
  });
});

describe("cut and oversized objects", () => {
  it("keeps what came before a cut at the end of input and reports the cut", () => {
    const lines = JSON.stringify(offer(), null, 2).split("\n");
    const cutAt = lines.findIndex((l) => l.includes('"call-creator"'));
    const text = [JSON.stringify(ack()), ...lines.slice(0, cutAt + 1)].join("\n");
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([
      { line: cutAt + 2, kind: "cut", reason: expect.stringMatching(/begun at line 2 is cut off/) },
    ]);
    const call = nodes(r)[1] as PortableNode;
    expect(call.attrs).toEqual(OFFER_PORTABLE.attrs);
    expect((call.content as PortableNode[])[0]).toEqual({
      tag: "offer",
      attrs: { "call-id": CID, "call-creator": CALLER },
    });
  });

  it("recovers a cut inspect object, and gives one error when nothing can be recovered", () => {
    const text = inspect(offer(), { depth: 20 }).split("\n").slice(0, 6).join("\n");
    const r = run(createInspectReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.repairs.map((x) => x.kind)).toEqual(["cut"]);
    expect(nodes(r)[0].attrs.id).toBe("4711.815-3");
    const bad = run(createBinaryNodeJsonReader(), '{"tag": "call", "att');
    expect(bad.errors).toEqual([
      { line: 1, reason: expect.stringMatching(/cut off at line 1: nothing could be recovered/) },
    ]);
    expect(bad.trace.stanzas).toEqual([]);
  });

  it("treats a one-line object cut mid-value and followed by another as cut, and reads the next", () => {
    const one = JSON.stringify(offer());
    const text = [one.slice(0, one.indexOf('"t"') + 8), JSON.stringify(ack())].join("\n");
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.repairs).toEqual([expect.objectContaining({ line: 1, kind: "cut" })]);
    expect(nodes(r).map((n) => n.tag)).toEqual(["call", "ack"]);
    expect(nodes(r)[0].attrs).toEqual({ from: CALLER, id: "4711.815-3" });
  });

  it("treats a pretty object cut after a comma and followed by another as cut", () => {
    const lines = JSON.stringify(offer(), null, 2).split("\n");
    const cutAt = lines.findIndex((l) => l.includes('"id"'));
    const text = [...lines.slice(0, cutAt + 1), JSON.stringify(ack(), null, 2)].join("\n");
    expect(lines[cutAt].endsWith(",")).toBe(true);
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([]);
    expect(r.repairs).toEqual([expect.objectContaining({ line: cutAt + 1, kind: "cut" })]);
    expect(nodes(r)).toEqual([
      { tag: "call", attrs: { from: CALLER, id: "4711.815-3" } },
      { tag: "ack", attrs: ack().attrs },
    ]);
  });

  it("reports an object over the line cap at its first line and reads on", () => {
    const big = `{"tag": "call", "attrs": {"id": "big"}, "content": [\n${"  1,\n".repeat(MAX_BLOCK_LINES)}  1\n]}`;
    const text = `${big}\n${JSON.stringify(offer())}`;
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([
      { line: 1, reason: expect.stringMatching(/longer than 100000 lines: skipped/) },
    ]);
    expect(nodes(r)).toEqual([OFFER_PORTABLE]);
  });

  it("reports an object over the size cap at its first line and reads on", () => {
    const text = `x\n{"tag": "call", "attrs": {"pad": "${"a".repeat(MAX_BLOCK_CHARS)}"}}\n${JSON.stringify(ack())}`;
    const r = run(createBinaryNodeJsonReader(), text);
    expect(r.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/longer than 4194304 characters: skipped/) },
    ]);
    expect(nodes(r)).toEqual([{ tag: "ack", attrs: ack().attrs }]);
  });
});

describe("detectObjectForm", () => {
  it("does not claim pino NDJSON, zerolog, trace JSON, XML or other logs", () => {
    const ndjson = [
      JSON.stringify({
        level: 10,
        time: 1790000000000,
        msg: "recv xml",
        xml: `<call from="${CALLER}" id="1"/>`,
      }),
      JSON.stringify({ level: 30, time: 1790000000001, node: offer(), msg: "recv call" }),
    ].join("\n");
    expect(detectObjectForm(ndjson)).toBeUndefined();
    expect(
      detectObjectForm(JSON.stringify({ level: "debug", sublogger: "Recv", message: "<call/>" })),
    ).toBeUndefined();
    expect(
      detectObjectForm(
        JSON.stringify(
          { format: "wa-call-inspector-trace", version: 1, stanzas: [{ node: { tag: "call", attrs: {} } }] },
          null,
          2,
        ),
      ),
    ).toBeUndefined();
    expect(
      detectObjectForm(`<call from="${CALLER}" id="1">\n  <offer call-id="${CID}"/>\n</call>`),
    ).toBeUndefined();
    expect(detectObjectForm("[2026-05-21T12:00:01Z DEBUG Client/Recv] <call/>")).toBeUndefined();
    expect(detectObjectForm("12:00:01.000 [Client/Recv DEBUG] <call/>")).toBeUndefined();
    expect(detectObjectForm("")).toBeUndefined();
  });
});
