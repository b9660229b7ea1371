/**
 * Property tests of the object-form readers: random well-formed BinaryNodes rendered as JSON
 * (one line and pretty), as `util.inspect` output and as pino-pretty entries come back as the
 * same nodes; random text never throws and always finishes.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feedText } from "../../../src/shared/importers/lines";
import {
  createBinaryNodeJsonReader,
  createInspectReader,
  createPinoPrettyReader,
  createWaWebNodeReader,
} from "../../../src/shared/importers/objects";
import type { PortableNode } from "../../../src/shared/trace/types";

/** A Baileys BinaryNode: content children, text, bytes (a Buffer), null or absent. */
interface BNode {
  tag: string;
  attrs: Record<string, string>;
  content?: BNode[] | string | Buffer | null;
}

const TAGS = [
  "offer",
  "audio",
  "video",
  "net",
  "te2",
  "relay",
  "enc",
  "terminate",
  "reject",
  "accept",
  "x-y_z",
];
const KEYS = [
  "call-id",
  "call-creator",
  "from",
  "to",
  "id",
  "t",
  "rate",
  "enc",
  "count",
  "a b",
  "ünï",
  "0",
  "tag",
];
/** Strings with quotes of every kind, backslashes, newlines, brackets, markers and non-ASCII. */
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "it's",
    'say "hi"',
    "`both' \"",
    "a\nb",
    "{[(",
    "<Buffer 01>",
    "[Object]",
    "... 3 more items",
    "2026-01-01T00:00:00.000Z",
    "x".repeat(120),
  ),
);
const attrs = fc.dictionary(fc.constantFrom(...KEYS), text, { maxKeys: 5 });
const bytes = fc.uint8Array({ maxLength: 50 }).map((b) => Buffer.from(b));

const { tree } = fc.letrec<{ tree: BNode }>((tie) => ({
  tree: fc.record(
    {
      tag: fc.constantFrom(...TAGS),
      attrs,
      content: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        text,
        bytes,
        fc.array(tie("tree"), { maxLength: 3 }),
      ),
    },
    { requiredKeys: ["tag", "attrs"] },
  ),
}));
/** A `<call>` stanza (kept by the privacy filter) around random children. */
const stanza = fc
  .record({ attrs, content: fc.array(tree, { maxLength: 3 }) })
  .map((r): BNode => ({ tag: "call", attrs: { ...r.attrs, id: "4711.815-3" }, content: r.content }));

/** What the readers should give for a BinaryNode. */
function portable(n: BNode): PortableNode {
  const out: PortableNode = { tag: n.tag, attrs: { ...n.attrs } };
  const c = n.content;
  if (c === undefined || c === null) return out;
  if (Buffer.isBuffer(c)) out.content = { b64: c.toString("base64") };
  else if (typeof c === "string") out.content = c;
  else out.content = c.map(portable);
  return out;
}

const RENDERINGS: [string, (ns: BNode[]) => string, () => ReturnType<typeof createInspectReader>][] = [
  ["one-line JSON", (ns) => ns.map((n) => JSON.stringify(n)).join("\n"), createBinaryNodeJsonReader],
  ["pretty JSON", (ns) => ns.map((n) => JSON.stringify(n, null, 2)).join("\n"), createBinaryNodeJsonReader],
  ["a JSON array", (ns) => JSON.stringify(ns, null, 1), createBinaryNodeJsonReader],
  [
    "util.inspect",
    (ns) =>
      ns.map((n) => inspect(n, { depth: 100, maxArrayLength: 1000, maxStringLength: 100000 })).join("\n"),
    createInspectReader,
  ],
  [
    "one-line util.inspect",
    (ns) =>
      ns
        .map((n) => inspect(n, { depth: 100, breakLength: Number.POSITIVE_INFINITY, compact: true }))
        .join(" "),
    createInspectReader,
  ],
  ["WA Web JSON", (ns) => ns.map((n) => JSON.stringify(n, null, 2)).join("\n"), createWaWebNodeReader],
  [
    "pino-pretty",
    (ns) =>
      ns
        .map((n, i) => {
          const body = JSON.stringify(n, null, 2).split("\n").join("\n    ");
          return `[${1790000000000 + i}] INFO: recv call\n    node: ${body}`;
        })
        .join("\n[1790000009999] INFO: connected to WA Web\n"),
    createPinoPrettyReader,
  ],
];

describe("object forms round trip", () => {
  for (const [name, render, reader] of RENDERINGS) {
    it(`random BinaryNodes as ${name} come back as the same nodes`, () => {
      fc.assert(
        fc.property(fc.array(stanza, { minLength: 1, maxLength: 3 }), (ns) => {
          const r = feedText(reader(), render(ns));
          expect(r.errors).toEqual([]);
          expect(r.repairs).toEqual([]);
          expect(r.trace.stanzas.map((s) => s.node)).toEqual(ns.map(portable));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe("object readers on arbitrary text", () => {
  it("never throw, and finish with bounded lists", () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        "{",
        "}",
        "[",
        "]",
        '"',
        "'",
        "`",
        ",",
        ":",
        "call",
        '"tag":',
        "tag: '",
        "<Buffer 0a",
        "[Object]",
        "\\",
        "\n",
        "    node: {",
        "[1790000000000] INFO: recv call",
      ),
    );
    const input = fc.array(piece, { maxLength: 60 }).map((a) => a.join(""));
    fc.assert(
      fc.property(input, (t) => {
        for (const make of [
          createBinaryNodeJsonReader,
          createInspectReader,
          createWaWebNodeReader,
          createPinoPrettyReader,
        ]) {
          const r = feedText(make(), t);
          expect(r.errors.length).toBeLessThanOrEqual(200);
          expect(r.stats.errors).toBeGreaterThanOrEqual(r.errors.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
