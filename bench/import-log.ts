/**
 * Generates large library logs for `bench/import.ts`: a Baileys pino NDJSON trace-level log and
 * a whatsmeow stdout log, with sparse call stanzas among message traffic. The XML of the Baileys
 * log is rendered by Baileys' own `binaryNodeToString`, the whatsmeow lines follow its
 * `Node.String()` layout (research peer-tools.md §3). Every value is invented.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { binaryNodeToString } from "baileys/lib/WABinary/generic-utils.js";

type BNode = { tag: string; attrs: Record<string, string>; content?: BNode[] | Uint8Array | string };

const PEER = "15550001234@s.whatsapp.net";
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

/** What a generated log holds. */
export interface GeneratedLog {
  bytes: number;
  lines: number;
  /** Call-related stanzas written (`<call>` and `<ack class="call">`). */
  callStanzas: number;
}

/** The non-call traffic of a chatty bot: messages, receipts, acks, presence, iq, notifications. */
function noise(i: number): BNode {
  const id = `3EB0${(i * 2654435761) >>> 0}`.slice(0, 20);
  switch (i % 7) {
    case 0:
      return {
        tag: "message",
        attrs: { from: PEER, id, t: String(1_790_000_000 + i), type: "text", notify: "Tester" },
        content: [{ tag: "enc", attrs: { type: "msg", v: "2" }, content: bytes(96 + (i % 64), i) }],
      };
    case 1:
      return { tag: "receipt", attrs: { from: PEER, id, t: String(1_790_000_000 + i), type: "read" } };
    case 2:
      return { tag: "ack", attrs: { class: "receipt", id, from: PEER, t: String(1_790_000_000 + i) } };
    case 3:
      return { tag: "presence", attrs: { from: PEER, type: i % 2 ? "available" : "unavailable" } };
    case 4:
      return {
        tag: "iq",
        attrs: { id, to: "s.whatsapp.net", type: "get", xmlns: "w:profile:picture" },
        content: [{ tag: "picture", attrs: { type: "preview", query: "url" } }],
      };
    case 5:
      return {
        tag: "notification",
        attrs: { from: PEER, id, t: String(1_790_000_000 + i), type: "encrypt" },
        content: [{ tag: "count", attrs: { value: String(i % 50) } }],
      };
    default:
      return {
        tag: "message",
        attrs: { to: PEER, id, type: "text" },
        content: [{ tag: "enc", attrs: { type: "pkmsg", v: "2" }, content: bytes(180, i) }],
      };
  }
}

/** The stanzas of one short incoming call: offer, our ack, terminate, our ack. */
function call(k: number): { node: BNode; out: boolean }[] {
  const cid = (0xc0ffee00 + k).toString(16).toUpperCase().padStart(32, "A");
  const id = (n: number) => `${1_790_000 + k}.${n}-${k}`;
  const t = String(1_790_000_000 + k);
  return [
    {
      out: false,
      node: {
        tag: "call",
        attrs: { from: PEER, id: id(1), t, platform: "android", version: "2.26.30.78" },
        content: [
          {
            tag: "offer",
            attrs: { "call-id": cid, "call-creator": PEER },
            content: [
              { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
              { tag: "net", attrs: { medium: "3" } },
              { tag: "capability", attrs: { ver: "1" }, content: bytes(7, k) },
              { tag: "enc", attrs: { type: "msg", v: "2" }, content: bytes(120, k) },
            ],
          },
        ],
      },
    },
    { out: true, node: { tag: "ack", attrs: { class: "call", id: id(1), to: PEER, type: "offer" } } },
    {
      out: false,
      node: {
        tag: "call",
        attrs: { from: PEER, id: id(2), t },
        content: [{ tag: "terminate", attrs: { "call-id": cid, "call-creator": PEER } }],
      },
    },
    { out: true, node: { tag: "ack", attrs: { class: "call", id: id(2), to: PEER, type: "terminate" } } },
  ];
}

const OTHER_MSGS = [
  "connected to WA",
  "handled 12 offline messages",
  "uploading pre-keys",
  "sending receipt",
];

/**
 * Writes a Baileys pino NDJSON log of at least `minBytes` (trace level: `recv xml` / `xml send`
 * lines with the XML, plus other messages) with one call stanza per about `every` lines.
 * @returns what was written.
 */
export function writeBaileysLog(path: string, minBytes: number, every = 5000): GeneratedLog {
  return writeLog(
    path,
    minBytes,
    every,
    (node, out, ms) =>
      JSON.stringify({
        level: 10,
        time: ms,
        pid: 4242,
        hostname: "bench",
        xml: binaryNodeToString(node as never),
        msg: out ? "xml send" : "recv xml",
      }),
    (i, ms) =>
      JSON.stringify({
        level: 30,
        time: ms,
        pid: 4242,
        hostname: "bench",
        msg: OTHER_MSGS[i % OTHER_MSGS.length],
      }),
  );
}

/** whatsmeow's one-line rendering: attributes sorted and double-quoted, bytes as hex. */
function meowXml(n: BNode): string {
  const attrs = Object.keys(n.attrs)
    .sort()
    .map((k) => ` ${k}="${n.attrs[k]}"`)
    .join("");
  const c = n.content;
  if (c === undefined) return `<${n.tag}${attrs}/>`;
  const inner = Array.isArray(c)
    ? c.map(meowXml).join("")
    : typeof c === "string"
      ? c
      : Buffer.from(c).toString("hex");
  return `<${n.tag}${attrs}>${inner}</${n.tag}>`;
}

/** Writes a whatsmeow stdout log (`HH:MM:SS.mmm [Client/Recv DEBUG] <…>`), like {@link writeBaileysLog}. */
export function writeWhatsmeowLog(path: string, minBytes: number, every = 5000): GeneratedLog {
  const tod = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  return writeLog(
    path,
    minBytes,
    every,
    (node, out, ms) => `${tod(ms)} [Client/${out ? "Send" : "Recv"} DEBUG] ${meowXml(node)}`,
    (i, ms) => `${tod(ms)} [Client INFO] ${OTHER_MSGS[i % OTHER_MSGS.length]}`,
  );
}

function writeLog(
  path: string,
  minBytes: number,
  every: number,
  stanzaLine: (node: BNode, out: boolean, ms: number) => string,
  otherLine: (i: number, ms: number) => string,
): GeneratedLog {
  // Render a pool of distinct noise lines once; the log cycles through them (rendering 1 GB of
  // XML line by line would take minutes and measure the generator, not the importer).
  const POOL = 4096;
  const start = 1_790_000_000_000;
  const pool: string[] = [];
  for (let i = 0; i < POOL; i++)
    pool.push(i % 5 === 4 ? otherLine(i, start + i) : stanzaLine(noise(i), i % 7 === 6, start + i));
  const fd = openSync(path, "w");
  let written = 0;
  let lines = 0;
  let callStanzas = 0;
  let k = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = () => {
    const b = Buffer.from(batch.join(""));
    writeSync(fd, b);
    written += b.length;
    batch = [];
    batchBytes = 0;
  };
  try {
    while (written + batchBytes < minBytes) {
      if (lines % every === every - 1) {
        for (const s of call(k++)) {
          const l = `${stanzaLine(s.node, s.out, start + lines)}\n`;
          batch.push(l);
          batchBytes += l.length;
          lines++;
          callStanzas++;
        }
        continue;
      }
      const l = `${pool[lines % POOL]}\n`;
      batch.push(l);
      batchBytes += l.length;
      lines++;
      if (batchBytes >= 8 * 2 ** 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { bytes: written, lines, callStanzas };
}
