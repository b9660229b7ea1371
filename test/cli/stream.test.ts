/**
 * The CLI's streaming input (src/cli/stream.ts): the byte-level reader gives what the shared
 * text reader gives, at any chunking; `.gz` is read directly; bad input (a 0-byte file, binary
 * garbage, a line of 1 GB, a million malformed lines, a cut gzip stream) gives clear errors and
 * the rest of the input. Examples are written for the project.
 */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteLines, importStream } from "../../src/cli/stream";
import { createReader, type ImportResult, importText, MAX_LISTED } from "../../src/shared/importers/index";

const PEER = "15550001111@s.whatsapp.net";
const pino = (msg: string, xml: string, time: number) =>
  JSON.stringify({ level: 10, time, pid: 1, hostname: "h", xml, msg });
const offer = (k: number) =>
  pino(
    "recv xml",
    `<call from='${PEER}' id='ID${k}' t='1790000000'><offer call-id='C${k}' call-creator='${PEER}'><audio enc='opus' rate='16000'/></offer></call>`,
    1_790_000_000_000 + k,
  );
const ack = (k: number) =>
  pino("xml send", `<ack class='call' id='ID${k}' to='${PEER}' type='offer'/>`, 1_790_000_000_100 + k);
const callReceipt = (k: number) =>
  pino("recv xml", `<receipt from='${PEER}' id='ID${k}' t='1790000001'/>`, 1_790_000_000_200 + k);
const noise = (k: number) =>
  pino(
    "recv xml",
    `<message from='${PEER}' id='M${k}' type='text'><enc v='2'>00ff</enc></message>`,
    1_790_000_000_300 + k,
  );
const other = (k: number) =>
  JSON.stringify({ level: 30, time: 1_790_000_000_400 + k, msg: `connected ${k}` });

/** Feeds `text` through the byte reader in chunks cut at `cuts` (byte offsets). */
function byChunks(text: string, cuts: number[], format = "baileys" as const, maxLine?: number): ImportResult {
  const buf = Buffer.from(text);
  const reader = createReader(format, "x.log");
  if (!reader) throw new Error("no reader");
  const lines = new ByteLines(reader, maxLine);
  let at = 0;
  for (const c of [...cuts.filter((c) => c > 0 && c < buf.length)].sort((a, b) => a - b)) {
    lines.push(buf.subarray(at, c));
    at = c;
  }
  lines.push(buf.subarray(at));
  return lines.end();
}

const essence = (r: ImportResult) => ({
  stanzas: r.trace.stanzas.map((s) => [s.direction, s.t, JSON.stringify(s.node)]),
  errors: r.errors.map((e) => [e.line, e.reason]),
  stats: r.stats,
});

const stream = (...chunks: (string | Buffer)[]) =>
  Readable.from(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));

describe("byte-level reading", () => {
  it("gives what the text reader gives, at any chunking, CRLF and blank lines included", () => {
    const lineArb = fc.oneof(
      fc.nat(50).map(offer),
      fc.nat(50).map(ack),
      fc.nat(50).map(callReceipt),
      fc.nat(50).map(noise),
      fc.nat(50).map(other),
      fc.constantFrom("", "   ", "not json", '{"cut": "call', "}{", "\u00e9t\u00e9 call"),
    );
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(6000), { maxLength: 12 }),
        (lines, crlf, cuts) => {
          const text = lines.join(crlf ? "\r\n" : "\n");
          const expected = essence(importText(text, { format: "baileys", file: "x.log" }));
          expect(essence(byChunks(text, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps the receipt of a call stanza (no call marker in it) while its id is recent", () => {
    const text = [offer(1), noise(2), callReceipt(1), callReceipt(9)].join("\n");
    const r = byChunks(text, [7, 300]);
    expect(r.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call", "receipt"]);
    expect(r.trace.stanzas[1].node?.attrs.id).toBe("ID1");
    expect(r.stats).toMatchObject({ lines: 4, prefiltered: 2 });
  });

  it("reports malformed JSON lines although they hold no call marker", () => {
    const r = byChunks([offer(1), "garbage line", other(2), '{"level": 30, "msg": "cut'].join("\n"), [20]);
    expect(r.errors.map((e) => e.line)).toEqual([2, 4]);
    expect(r.trace.stanzas).toHaveLength(1);
  });
});

describe("streams", () => {
  const log = `${[offer(1), noise(2), ack(1), other(3)].join("\n")}\n`;

  it("reads .gz content directly, found by its magic bytes", async () => {
    const plain = await importStream(stream(log), { file: "a.log" });
    const gz = gzipSync(Buffer.from(log));
    const zipped = await importStream(stream(gz.subarray(0, 1), gz.subarray(1, 10), gz.subarray(10)), {
      file: "a.log.gz",
    });
    expect(zipped.format).toBe("baileys");
    expect(essence(zipped)).toEqual(essence(plain));
    expect(plain.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call", "ack"]);
  });

  it("keeps what came before a cut gzip stream and says the input ends early", async () => {
    const many = Array.from({ length: 2000 }, (_, k) => (k % 100 === 0 ? offer(k) : noise(k))).join("\n");
    const gz = gzipSync(Buffer.from(many));
    const r = await importStream(stream(gz.subarray(0, Math.floor(gz.length * 0.6))), { file: "cut.gz" });
    expect(r.trace.stanzas.length).toBeGreaterThan(0);
    expect(r.trace.stanzas.length).toBeLessThan(20);
    expect(r.errors.at(-1)?.reason).toMatch(/^input ends early: /);
  });

  it("reads a 0-byte input and binary garbage without throwing", async () => {
    const empty = await importStream(stream(), { file: "empty" });
    expect(empty.errors).toEqual([{ file: "empty", line: 0, reason: "unrecognised input format" }]);
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const garbage = await importStream(stream(bytes), { file: "bin" });
    expect(garbage.trace.stanzas).toEqual([]);
    const forced = await importStream(stream(bytes), { file: "bin", format: "baileys" });
    expect(forced.trace.stanzas).toEqual([]);
    expect(forced.stats.errors).toBeGreaterThan(0);
  });

  it("skips a line of 1 GB with one error and reads the lines around it", async () => {
    const chunk = Buffer.alloc(2 ** 20, 0x61); // the same 1 MiB of 'a', 1024 times: nothing is kept
    async function* source() {
      yield Buffer.from(`${offer(1)}\n{"msg":"`);
      for (let i = 0; i < 1024; i++) yield chunk;
      yield Buffer.from(`"}\n${ack(1)}\n`);
    }
    const before = process.memoryUsage().rss;
    const r = await importStream(source(), { file: "huge.log" });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
    expect(r.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call", "ack"]);
    expect(r.errors).toEqual([
      { file: "huge.log", line: 2, reason: "line longer than 16 MiB: skipped unread" },
    ]);
  });

  it("lists the first errors of a million malformed lines, counts the rest, and imports the others", {
    timeout: 60_000,
  }, async () => {
    const bad = Buffer.from("not json at all\n".repeat(1000));
    async function* source() {
      yield Buffer.from(`${offer(1)}\n`);
      for (let i = 0; i < 1000; i++) yield bad;
      yield Buffer.from(`${ack(1)}\n`);
    }
    const r = await importStream(source(), { file: "bad.log", format: "baileys" });
    expect(r.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call", "ack"]);
    expect(r.stats.errors).toBe(1_000_000);
    expect(r.errors).toHaveLength(MAX_LISTED);
    expect(r.errors[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/^not a pino JSON line/) });
    expect(r.stats.lines).toBe(1_000_002);
  });
});

describe("every published form through the CLI's stream reader", () => {
  const forms: [string, string][] = [
    [
      "binary-node-json",
      JSON.stringify(
        {
          tag: "call",
          attrs: { from: PEER, id: "B1", t: "1790000000" },
          content: [{ tag: "offer", attrs: { "call-id": "CB1", "call-creator": PEER }, content: null }],
        },
        null,
        2,
      ),
    ],
    [
      "pino-pretty",
      [
        "[1790000000123] INFO: recv call",
        "    node: {",
        '      "tag": "call",',
        `      "attrs": { "from": "${PEER}", "id": "P1", "t": "1790000000" },`,
        `      "content": [ { "tag": "offer", "attrs": { "call-id": "CP1", "call-creator": "${PEER}" }, "content": null } ]`,
        "    }",
        "[1790000000200] INFO: connected to WA Web",
      ].join("\n"),
    ],
    [
      "inspect",
      `{\n  tag: 'call',\n  attrs: { from: '${PEER}', id: 'I1', t: '1790000000' },\n  content: [ { tag: 'offer', attrs: { 'call-id': 'CI1', 'call-creator': '${PEER}' }, content: <Buffer c5 d2 5d> } ]\n}`,
    ],
    [
      "wa-web-node",
      JSON.stringify({
        tag: "call",
        attrs: { from: { _jid: { type: 0, user: "15550001111", domainType: 0 } }, id: "W1", t: "1790000000" },
        content: [
          {
            tag: "offer",
            attrs: {
              "call-id": "CW1",
              "call-creator": { _jid: { type: 0, user: "15550001111", domainType: 0 } },
            },
          },
        ],
      }),
    ],
    [
      "xml",
      `> <call from="${PEER}" id="X1" t="1790000000">\n>   <offer call-id="CX1" call-creator="${PEER}">\n>   </offer>\n> </call>`,
    ],
  ];
  for (const [format, text] of forms) {
    it(`${format}: detected from the content, gzipped or not, as the text reader reads it`, async () => {
      const plain = await importStream(stream(text), { file: "post" });
      expect(plain.format).toBe(format);
      expect(plain.errors).toEqual([]);
      const offer = plain.trace.stanzas[0]?.node;
      expect(offer?.tag).toBe("call");
      expect((offer?.content as { tag: string }[] | undefined)?.[0]?.tag).toBe("offer");
      expect(offer?.attrs.from).toBe(PEER);
      if (format === "pino-pretty") expect(plain.trace.stanzas[0]?.t).toBe(1_790_000_000_123);
      const zipped = await importStream(stream(gzipSync(Buffer.from(text))), { file: "post.gz" });
      expect(essence(zipped)).toEqual(essence(plain));
      expect(essence(plain)).toEqual(essence(importText(text, { file: "post" })));
    });
  }
});
