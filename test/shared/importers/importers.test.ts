/**
 * Importers on lines in the exact formats of research peer-tools.md §3. Baileys lines are made
 * with Baileys' own `binaryNodeToString` and a real pino logger; whatsmeow and whatsapp-rust
 * lines follow their loggers' layouts verbatim.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { binaryNodeToString } from "baileys/lib/WABinary/generic-utils.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { base64ToBytes } from "../../../src/shared/codec/bytetext";
import {
  detectFormat,
  importBaileys,
  importText,
  importTrace,
  importWacrg,
  importWhatsappRust,
  importWhatsmeow,
  importWhatsmeowZerolog,
  importXml,
  inferDirection,
} from "../../../src/shared/importers/index";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { PortableNode } from "../../../src/shared/trace/types";
import { analyzeTrace, formatLatency } from "../../../src/shared/tracefile/analyze";
import { serializeTrace } from "../../../src/shared/tracefile/io";
import { WACRG_DIR } from "../../support/dirs";
import { threeCalls } from "../tracefile/fixtures";

const PEER = "15550002222@s.whatsapp.net";
const ME = "15550001111:12@s.whatsapp.net";

type BNode = { tag: string; attrs: Record<string, string>; content?: BNode[] | Uint8Array };
const offerNode = (): BNode => ({
  tag: "call",
  attrs: { to: PEER, id: "3EB0AA11" },
  content: [
    {
      tag: "offer",
      attrs: { "call-id": "CID1", "call-creator": ME },
      content: [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
        { tag: "capability", attrs: { ver: "1" }, content: Uint8Array.of(1, 5, 0xf7, 9, 0xe4, 0xbb, 0x13) },
        {
          tag: "enc",
          attrs: { v: "2", type: "pkmsg" },
          content: Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 255),
        },
      ],
    },
  ],
});

function pinoLines(entries: { obj: Record<string, unknown>; time?: number }[]): string {
  const out: string[] = [];
  for (const e of entries) {
    const logger = pino(
      { level: "trace", timestamp: () => `,"time":${e.time ?? 1_779_364_800_000}` },
      { write: (s: string) => out.push(s) },
    );
    logger.trace(e.obj);
  }
  return out.join("");
}

const nodeBytes = (n: PortableNode | undefined): Uint8Array | undefined =>
  n && typeof n.content === "object" && n.content && "b64" in n.content
    ? base64ToBytes(n.content.b64)
    : undefined;
const find = (n: PortableNode | undefined, tag: string): PortableNode | undefined => {
  if (!n) return undefined;
  if (n.tag === tag) return n;
  return Array.isArray(n.content) ? n.content.map((c) => find(c, tag)).find(Boolean) : undefined;
};

describe("Baileys pino NDJSON", () => {
  const text = pinoLines([
    { obj: { xml: binaryNodeToString(offerNode()), msg: "xml send" }, time: 1_779_364_800_000 },
    {
      obj: {
        xml: binaryNodeToString({
          tag: "ack",
          attrs: { class: "call", id: "3EB0AA11", from: PEER, type: "offer" },
        }),
        msg: "recv xml",
      },
      time: 1_779_364_800_151,
    },
    {
      obj: {
        xml: binaryNodeToString({ tag: "message", attrs: { from: PEER, id: "M1", type: "text" } }),
        msg: "recv xml",
      },
      time: 1_779_364_800_200,
    },
    { obj: { msg: "connected to WA" }, time: 1_779_364_800_300 },
  ]);

  it("reads direction, ms time, hex bytes; drops and counts non-call stanzas", () => {
    expect(detectFormat(text)).toBe("baileys");
    const r = importBaileys(`${text}this is not json\n`, "wa-logs.txt");
    expect(r.errors).toEqual([
      { file: "wa-logs.txt", line: 5, reason: expect.stringMatching(/not a pino JSON line/) },
    ]);
    expect(r.stats).toMatchObject({
      lines: 5,
      // The <message> line and the other log line hold no call marker: skipped unparsed.
      stanzas: 2,
      kept: 2,
      droppedByTag: {},
      otherLines: 0,
      prefiltered: 2,
      errors: 1,
    });
    expect(r.trace.source).toMatchObject({
      kind: "import",
      importer: "baileys",
      timestampPrecision: "ms",
      directionInferred: false,
    });
    const [offer, ack] = r.trace.stanzas;
    expect([offer.direction, ack.direction]).toEqual(["out", "in"]);
    expect(Array.from(nodeBytes(find(offer.node, "capability"))!)).toEqual([1, 5, 0xf7, 9, 0xe4, 0xbb, 0x13]);
    expect(nodeBytes(find(offer.node, "enc"))!.length).toBe(40);
    const calls = buildCalls(r.trace.stanzas).calls;
    expect(calls[0].offerAckLatencyMs).toBe(151);
  });

  it("reads Baileys' default ISO time and older logs with the XML as msg (direction inferred)", () => {
    const lines = [
      JSON.stringify({
        level: 10,
        time: "2026-05-21T12:00:00.000Z",
        pid: 1,
        hostname: "h",
        msg: binaryNodeToString(offerNode()),
      }),
      JSON.stringify({
        level: 10,
        time: "2026-05-21T12:00:01Z",
        pid: 1,
        hostname: "h",
        msg: binaryNodeToString({ tag: "ack", attrs: { class: "call", id: "3EB0AA11", from: PEER } }),
      }),
    ].join("\n");
    const r = importText(lines);
    expect(r.format).toBe("baileys");
    expect(r.trace.source).toMatchObject({ timestampPrecision: "s", directionInferred: true });
    expect(r.trace.stanzas.map((s) => s.direction)).toEqual(["out", "in"]);
    expect(r.trace.stanzas[1].t - r.trace.stanzas[0].t).toBe(1000);
    expect(
      formatLatency(buildCalls(r.trace.stanzas).calls[0].offerAckLatencyMs, analyzeTrace(r.trace).latency),
    ).toBe("~1 s (±1 s, s-precision log)");
  });
});

describe("whatsmeow", () => {
  const lines = [
    '23:59:59.100 [Client/Send DEBUG] <call id="3EB0AA11" to="15550002222@s.whatsapp.net"><offer call-creator="15550001111:12@s.whatsapp.net" call-id="CID1"><audio enc="opus" rate="16000"/><capability ver="1">0105f709e4bb13</capability><enc type="pkmsg" v="2"><!-- 196 bytes --></enc></offer></call>\x1b[0m',
    '23:59:59.250 [Client/Recv DEBUG] <ack class="call" from="15550002222@s.whatsapp.net" id="3EB0AA11" type="offer"/>\x1b[0m',
    "23:59:59.300 [Client INFO] Successfully authenticated",
    '00:00:00.010 [Client/Recv DEBUG] <receipt from="15550002222:3@s.whatsapp.net" id="MSG1" type="read"/>\x1b[0m',
    "00:00:30.000 [Client/Recv DEBUG] Errored frame hex: 0a0b0c",
    '00:00:45.000 [Client/Send DEBUG] <call id="3EB0AA12" to="15550002222@s.whatsapp.net"><terminate call-creator="15550001111:12@s.whatsapp.net" call-id="CID1" reason="timeout"/></call>\x1b[0m',
    '00:00:45.100 [Client/Recv DEBUG] <ack class="call" from="15550002222@s.whatsapp.net" id="3EB0AA12" type="terminate"/>\x1b[0m',
    '00:00:46.000 [Client/Recv DEBUG] <call from="15550002222@s.whatsapp.net" id="X"><terminate call-id="CID1"\x1b[0m',
  ].join("\n");

  it("reads time of day with midnight rollover, colour codes, omitted bytes and bad lines", () => {
    expect(detectFormat(lines)).toBe("whatsmeow");
    const r = importWhatsmeow(lines, "bridge.log");
    expect(r.trace.source).toMatchObject({
      importer: "whatsmeow",
      timestampPrecision: "time-of-day",
      subSecond: true,
      directionInferred: false,
    });
    expect(r.stats).toMatchObject({ kept: 4, droppedByTag: {}, prefiltered: 2, bytesOmitted: 1 });
    expect(r.errors.map((e) => [e.line, e.reason.split(":")[0]])).toEqual([
      [5, "whatsmeow could not decode this frame (Errored frame hex)"],
      [8, "unreadable stanza"],
    ]);
    const ts = r.trace.stanzas.map((s) => s.t);
    expect(ts).toEqual([86_399_100, 86_399_250, 86_445_000, 86_445_100]);
    const calls = buildCalls(r.trace.stanzas).calls;
    expect(calls[0]).toMatchObject({ state: "missed", offerAckLatencyMs: 150, durationMs: 46_000 });
    const enc = find(r.trace.stanzas[0].node, "enc")!;
    expect(enc.content).toEqual({ b64: "", truncatedFrom: 196 });
    expect(Array.from(nodeBytes(find(r.trace.stanzas[0].node, "capability"))!)).toEqual([
      1, 5, 0xf7, 9, 0xe4, 0xbb, 0x13,
    ]);
  });

  it("reads zerolog JSON (Recv or Client/Recv sublogger, RFC 3339 or unix time)", () => {
    const z = [
      JSON.stringify({
        level: "debug",
        sublogger: "Client/Send",
        time: "2026-05-21T12:00:00.120Z",
        message:
          '<call id="A1" to="15550002222@s.whatsapp.net"><offer call-creator="15550001111@s.whatsapp.net" call-id="Z"/></call>',
      }),
      JSON.stringify({
        level: "debug",
        sublogger: "Recv",
        time: "2026-05-21T12:00:00.250Z",
        message: '<ack class="call" from="15550002222@s.whatsapp.net" id="A1" type="offer"/>',
      }),
      JSON.stringify({ level: "info", time: "2026-05-21T12:00:00.300Z", message: "Connected" }),
      '{"level":"debug","sublogger":"Recv"',
    ].join("\n");
    expect(detectFormat(z)).toBe("whatsmeow-zerolog");
    const r = importWhatsmeowZerolog(z);
    expect(r.trace.source).toMatchObject({ timestampPrecision: "ms", directionInferred: false });
    expect(r.trace.stanzas.map((s) => s.direction)).toEqual(["out", "in"]);
    expect(buildCalls(r.trace.stanzas).calls[0].offerAckLatencyMs).toBe(130);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].line).toBe(4);
    const unix = importWhatsmeowZerolog(
      JSON.stringify({
        level: "debug",
        sublogger: "Recv",
        time: 1779364800,
        message: '<ack class="call" id="A1" from="x@s.whatsapp.net"/>',
      }),
    );
    expect(unix.trace.source.timestampPrecision).toBe("s");
    expect(unix.trace.stanzas[0].t).toBe(1_779_364_800_000);
  });
});

describe("whatsapp-rust", () => {
  it("reads env_logger lines (seconds or ms)", () => {
    const text = [
      '[2026-05-21T12:00:01Z DEBUG Client/Recv] <call from="15550002222@s.whatsapp.net" id="3A01" t="1779364801"><offer call-creator="15550002222@s.whatsapp.net" call-id="R1"><enc type="msg" v="2"><!-- 64 bytes --></enc></offer></call>',
      "[2026-05-21T12:00:01Z INFO  whatsapp_rust::client] Received app state sync response for 'critical_block' (hiding content).",
      '[2026-05-21T12:00:01Z DEBUG Client/Send] <ack class="call" id="3A01" to="15550002222@s.whatsapp.net" type="offer"/>',
      '[2026-05-21T12:00:03Z DEBUG Client/Send] <call id="3EB0R2" to="15550002222@s.whatsapp.net"><reject call-creator="15550002222@s.whatsapp.net" call-id="R1" count="0"/></call>',
    ].join("\n");
    expect(detectFormat(text)).toBe("whatsapp-rust");
    const r = importWhatsappRust(text);
    expect(r.errors).toEqual([]);
    expect(r.stats).toMatchObject({ kept: 3, prefiltered: 1, bytesOmitted: 1 });
    expect(r.trace.source).toMatchObject({ importer: "whatsapp-rust", timestampPrecision: "s" });
    const a = analyzeTrace(r.trace);
    expect(a.latency).toBe("seconds");
    expect(a.index.calls[0]).toMatchObject({ state: "rejected", offerAckLatencyMs: 0 });
    const ms = importText(
      '[2026-05-21T12:00:01.123Z DEBUG Client/Recv] <ack class="call" id="x" from="a@s.whatsapp.net"/>',
    );
    expect(ms.trace.source.timestampPrecision).toBe("ms");
    expect(ms.trace.stanzas[0].t).toBe(Date.parse("2026-05-21T12:00:01.123Z"));
  });

  it("reads the demo logger (time of day, seconds) and the voip-cli logger (direction inferred)", () => {
    const demo = [
      '12:00:01 [DEBUG] [Client/Recv] - <call from="15550002222@s.whatsapp.net" id="3A01" t="1"><offer call-id="D1" call-creator="15550002222@s.whatsapp.net"/></call>',
      "12:00:01 [INFO] [whatsapp_rust::client] - connected",
      '12:00:02 [DEBUG] [Client/Send] - <ack class="call" id="3A01" to="15550002222@s.whatsapp.net"/>',
    ].join("\n");
    expect(detectFormat(demo)).toBe("whatsapp-rust-demo");
    const d = importText(demo);
    expect(d.trace.source).toMatchObject({
      importer: "whatsapp-rust-demo",
      timestampPrecision: "time-of-day",
      subSecond: false,
      directionInferred: false,
    });
    expect(analyzeTrace(d.trace).latency).toBe("seconds");
    const voip = [
      '59:59.900 pid=4242 [DEBUG] <call from="15550002222@s.whatsapp.net" id="3A01" t="1"><offer call-id="V1" call-creator="15550002222@s.whatsapp.net"/></call>',
      '00:00.010 pid=4242 [DEBUG] <ack class="call" id="3A01" to="15550002222@s.whatsapp.net"/>',
      "00:00.020 pid=4242 [INFO] media started",
    ].join("\n");
    expect(detectFormat(voip)).toBe("whatsapp-rust-voip");
    const v = importText(voip);
    expect(v.trace.source).toMatchObject({ timestampPrecision: "time-of-day", directionInferred: true });
    expect(v.trace.stanzas.map((s) => s.direction)).toEqual(["in", "out"]);
    expect(v.trace.stanzas[1].t - v.trace.stanzas[0].t).toBe(110);
  });
});

describe("own trace, wacrg records, plain XML", () => {
  it("imports the project's trace unchanged", () => {
    const t = threeCalls();
    const r = importTrace(serializeTrace(t));
    expect(r.errors).toEqual([]);
    expect(r.trace).toEqual(t);
    expect(detectFormat(serializeTrace(t))).toBe("trace");
  });

  it("salvages the valid stanzas of a damaged trace and names the bad ones", () => {
    const t = JSON.parse(serializeTrace(threeCalls()));
    t.stanzas[2].direction = "up";
    const r = importTrace(JSON.stringify(t), "t.json");
    expect(r.errors).toEqual([
      { file: "t.json", line: 0, reason: expect.stringContaining("$.stanzas[2].direction") },
    ]);
    expect(r.trace.stanzas).toHaveLength(25);
    const bad = importTrace("{ nope", "t.json");
    expect(bad.errors[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/^not JSON/) });
  });

  it("imports the wacrg corpus example record", () => {
    const text = readFileSync(path.join(WACRG_DIR, "corpus/captures/example-sanitized-offer.yaml"), "utf8");
    expect(detectFormat(text)).toBe("wacrg");
    const r = importWacrg(text, "example.yaml");
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas).toHaveLength(1);
    const s = r.trace.stanzas[0];
    expect(s.direction).toBe("out");
    expect(s.node?.tag).toBe("call");
    expect(r.trace.source.timestampPrecision).toBe("none");
    expect(buildCalls(r.trace.stanzas).calls[0].callId).toBe("CALLID0001");
  });

  it("reports a YAML error with its line and keeps the other records", () => {
    const good = readFileSync(path.join(WACRG_DIR, "corpus/captures/example-sanitized-offer.yaml"), "utf8");
    const r = importWacrg(`${good}---\nid: broken\nraw: [unclosed\n`, "x.yaml");
    expect(r.trace.stanzas).toHaveLength(1);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0].file).toBe("x.yaml");
    expect(r.errors[0].line).toBeGreaterThan(40);
  });

  it("imports pasted XML in whatsmeow and Baileys layouts", () => {
    const one =
      '<call from="15550002222@s.whatsapp.net" id="A" t="1"><offer call-id="P" call-creator="15550002222@s.whatsapp.net"><enc v="2" type="msg"><!-- 12 bytes --></enc></offer></call>\n<ack class="call" id="A" to="15550002222@s.whatsapp.net"/>';
    const a = importXml(one);
    expect(a.errors).toEqual([]);
    expect(a.trace.stanzas.map((s) => [s.node?.tag, s.direction])).toEqual([
      ["call", "in"],
      ["ack", "out"],
    ]);
    expect(a.stats.bytesOmitted).toBe(1);
    const multi = `${binaryNodeToString(offerNode())}\n${binaryNodeToString({ tag: "ack", attrs: { class: "call", id: "3EB0AA11", from: PEER } })}`;
    const b = importText(multi);
    expect(b.format).toBe("xml");
    expect(b.errors).toEqual([]);
    expect(b.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call", "ack"]);
    const bad = importXml('<call id="x"><offer\n<ack class="call" id="y"/>');
    expect(bad.errors).toHaveLength(1);
    expect(bad.trace.stanzas).toHaveLength(1);
  });

  it("infers direction from attributes", () => {
    expect(inferDirection({ tag: "call", attrs: { from: "a", id: "1", t: "1" } })).toBe("in");
    expect(inferDirection({ tag: "call", attrs: { to: "a", id: "1" } })).toBe("out");
    expect(inferDirection({ tag: "ack", attrs: { to: "a" } })).toBe("out");
    expect(inferDirection({ tag: "receipt", attrs: { to: "a", from: "b" } })).toBe("out");
    expect(inferDirection({ tag: "receipt", attrs: { from: "b" } })).toBe("in");
  });

  it("reports unrecognised input", () => {
    const r = importText("hello world\n", { file: "x.txt" });
    expect(r.errors).toEqual([{ file: "x.txt", line: 0, reason: "unrecognised input format" }]);
  });
});
