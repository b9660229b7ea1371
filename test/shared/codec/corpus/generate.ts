/**
 * Regenerates `call-stanzas.json` from `stanzas.ts`: every frame is encoded by an independent
 * encoder, whatsapp-rust-bridge's `encodeNode` (flags byte included), and the expected XML is
 * the one-line `nodeToXml` rendering of the stanza definition.
 *
 * Run once after changing stanzas.ts: `npx tsx test/shared/codec/corpus/generate.ts`, then commit
 * the JSON. corpus.test.ts fails if the file and the definitions drift apart.
 */
import { writeFileSync } from "node:fs";
import { encodeNode } from "whatsapp-rust-bridge";
import { nodeToXml } from "../../../../src/shared/codec";
import { CORPUS } from "./stanzas";

/** The committed file's shape. */
export interface CorpusFile {
  encoder: string;
  frames: { name: string; flow: string; direction: "in" | "out"; hex: string; xml: string }[];
}

const file: CorpusFile = {
  encoder: "whatsapp-rust-bridge@0.5.5 encodeNode (flags byte 00 included)",
  frames: CORPUS.map((s) => ({
    name: s.name,
    flow: s.flow,
    direction: s.direction,
    hex: Buffer.from(encodeNode(s.node as never)).toString("hex"),
    xml: nodeToXml(s.node, { indent: false }),
  })),
};
const out = new URL("./call-stanzas.json", import.meta.url);
writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
console.log(`wrote ${file.frames.length} frames to ${out.pathname}`);
