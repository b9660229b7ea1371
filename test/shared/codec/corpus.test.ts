/**
 * Call-stanza frame corpus (call-signalling.md §6 flows): frames encoded by an independent
 * encoder (whatsapp-rust-bridge, see corpus/generate.ts) must decode with ours, re-encode
 * byte for byte, render to the expected XML and read back from it. Baileys and the bridge
 * decode them to the same trees (the bridge cannot read `@call` JIDs, wabinary.md §8).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  decodeFrame,
  encodeFrame,
  isCodecError,
  nodeToXml,
  type WANode,
  xmlToNode,
} from "../../../src/shared/codec";
import { baileysDecode } from "./baileys";
import type { CorpusFile } from "./corpus/generate";
import { CORPUS } from "./corpus/stanzas";
import { bridgeDecode, bridgeEncode, fromHex, hex } from "./support";

const file = JSON.parse(
  readFileSync(new URL("./corpus/call-stanzas.json", import.meta.url), "utf8"),
) as CorpusFile;

function decoded(h: string): WANode {
  const r = decodeFrame(fromHex(h));
  if (isCodecError(r)) throw new Error(String(r));
  return r;
}

describe(`call-stanza corpus (${file.frames.length} frames by ${file.encoder})`, () => {
  it("covers the flows of call-signalling.md §6", () => {
    const actions = new Set<string>();
    for (const f of file.frames) {
      const n = decoded(f.hex);
      actions.add(n.tag === "call" ? (n.content as WANode[])[0].tag : n.tag);
    }
    for (const a of [
      "offer",
      "ack",
      "receipt",
      "preaccept",
      "accept",
      "reject",
      "terminate",
      "transport",
      "relaylatency",
      "mute_v2",
      "heartbeat",
    ]) {
      expect(actions).toContain(a);
    }
    expect(file.frames.map((f) => f.name)).toEqual(CORPUS.map((s) => s.name));
  });

  it.each(file.frames.map((f) => [f.name, f] as const))("%s", (_name, f) => {
    const node = decoded(f.hex);
    // Byte for byte through our encoder.
    expect(hex(encodeFrame(node))).toBe(f.hex);
    // The expected XML, both ways.
    expect(nodeToXml(node, { indent: false })).toBe(f.xml);
    expect(xmlToNode(f.xml)).toEqual(node);
    expect(xmlToNode(nodeToXml(node))).toEqual(node);
    // The definition it was generated from, and the independent decoders.
    const def = CORPUS.find((s) => s.name === f.name)?.node;
    expect(node).toEqual(def);
    expect(baileysDecode(fromHex(f.hex))).toEqual(node);
    if (!f.xml.includes("@call")) expect(bridgeDecode(fromHex(f.hex))).toEqual(node);
  });

  it("the committed hex is what the independent encoder writes for the definitions", () => {
    for (const s of CORPUS) {
      const f = file.frames.find((x) => x.name === s.name);
      expect(hex(bridgeEncode(s.node)), s.name).toBe(f?.hex);
    }
  });
});
