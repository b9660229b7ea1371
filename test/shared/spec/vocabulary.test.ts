import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RULES } from "../../../src/shared/rules/catalogue";
import {
  ENUMS,
  enumValue,
  findUnknowns,
  lookupAttr,
  lookupTag,
  STANZA_FILE_DIFFERENCES,
  VOCABULARY,
  walkVocabulary,
} from "../../../src/shared/spec/vocabulary";
import { KNOWN_CALL_ACTIONS } from "../../../src/shared/stanza/view";
import { WACRG_DIR } from "../../support/dirs";
import {
  acceptIn,
  acceptOut,
  clone,
  incomingSteps,
  kids,
  n,
  offerIn,
  outgoingSteps,
  parseXml,
  rejectedSteps,
} from "./support";

const WACRG = WACRG_DIR;
const SPEC = path.join(WACRG, "spec");

function yamlFiles(dir: string): { name: string; doc: Record<string, unknown> }[] {
  return readdirSync(path.join(SPEC, dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({
      name: f.replace(/\.yaml$/, ""),
      doc: parse(readFileSync(path.join(SPEC, dir, f), "utf8")),
    }));
}

interface YamlAttr {
  name: string;
  confidence: string;
}
interface YamlChild {
  tag: string;
  confidence: string;
  attributes?: YamlAttr[];
  children?: YamlChild[];
}

/** Every tag and attribute a stanza file declares, with its vocabulary-style path and confidence. */
function declared(
  doc: Record<string, unknown>,
): { path: string; confidence: string; tags: string[]; attr?: string }[] {
  const out: { path: string; confidence: string; tags: string[]; attr?: string }[] = [];
  const root = doc.tag as string;
  const walk = (tags: string[], attrs: YamlAttr[] | undefined, children: YamlChild[] | undefined) => {
    for (const a of attrs ?? [])
      out.push({ path: `${tags.join("/")}@${a.name}`, confidence: a.confidence, tags, attr: a.name });
    for (const c of children ?? []) {
      const t = [...tags, c.tag];
      out.push({ path: t.join("/"), confidence: c.confidence, tags: t });
      walk(t, c.attributes, c.children);
    }
  };
  walk([root], doc.attributes as YamlAttr[], doc.children as YamlChild[]);
  return out;
}

const stanzaFiles = yamlFiles("stanzas").filter((f) => f.name.startsWith("call-"));
const partFiles = [...yamlFiles("signalling"), ...yamlFiles("relay")];
const partCodes = new Map(partFiles.map((f) => [f.doc.code as string, f]));

describe("vocabulary against the wacrg stanza files", () => {
  it("reads the nine stanza files", () => {
    expect(stanzaFiles.map((f) => f.name)).toEqual([
      "call-accept",
      "call-ack",
      "call-mute",
      "call-offer",
      "call-preaccept",
      "call-reject",
      "call-relaylatency",
      "call-terminate",
      "call-transport",
    ]);
  });

  for (const file of stanzaFiles) {
    it(`knows every tag and attribute of ${file.name}.yaml with the same confidence (or a listed difference)`, () => {
      for (const d of declared(file.doc)) {
        const spec = d.attr ? lookupAttr(d.tags, d.attr) : lookupTag(d.tags);
        expect(spec, `${file.name}: ${d.path} missing from the vocabulary`).toBeDefined();
        const diff = STANZA_FILE_DIFFERENCES.find((x) => x.file === file.name && x.path === d.path);
        if (diff) {
          expect(diff.stanzaFile, `${file.name}: ${d.path} difference records the file's value`).toBe(
            d.confidence,
          );
          expect(spec?.confidence, `${file.name}: ${d.path}`).toBe(diff.vocabulary);
        } else {
          expect(spec?.confidence, `${file.name}: ${d.path}`).toBe(d.confidence);
        }
      }
    });
  }

  it("lists only differences that exist, each justified by a part", () => {
    for (const diff of STANZA_FILE_DIFFERENCES) {
      const file = stanzaFiles.find((f) => f.name === diff.file);
      expect(file, diff.file).toBeDefined();
      const d = declared(file!.doc).find((x) => x.path === diff.path);
      expect(d, `${diff.file}: ${diff.path}`).toBeDefined();
      expect(d!.confidence).not.toBe(diff.vocabulary);
      expect(diff.why.length).toBeGreaterThan(20);
      for (const p of diff.parts) expect(partCodes.has(p), p).toBe(true);
    }
  });

  it("knows every example of the stanza files, except the stanza file's own video state=on", () => {
    const findings: string[] = [];
    for (const file of stanzaFiles) {
      for (const ex of (file.doc.examples as { format: string; body: string }[]) ?? []) {
        if (ex.format !== "xml") continue;
        for (const f of findUnknowns(parseXml(ex.body)))
          findings.push(`${file.name} ${f.kind} ${f.path}@${f.name}=${f.value}`);
      }
    }
    // call-mute.yaml models <video state="on|off">; client code sends numeric states (0..20).
    expect(findings).toEqual(["call-mute unknown-value call/video@state=on"]);
  });

  it("has the corpus enums' values with their confidence, and the reason spelling variants", () => {
    for (const { name, doc } of yamlFiles("enums")) {
      for (const v of doc.values as { value: string; confidence: string }[]) {
        if (v.value === "unknown") continue; // a tooling placeholder, not a wire value
        const known = enumValue(name, v.value);
        expect(known, `${name}: ${v.value}`).toBeDefined();
        expect(known?.confidence, `${name}: ${v.value}`).toBe(v.confidence);
      }
    }
    expect(enumValue("terminate-reasons", "accepted_elsewhere")?.value).toBe("accept_elsewhere");
    expect(enumValue("terminate-reasons", "rejected_elsewhere")?.value).toBe("reject_elsewhere");
  });
});

describe("vocabulary part codes and structure", () => {
  it("cites only part codes that exist in spec/signalling or spec/relay", () => {
    const cited = new Set<string>();
    for (const e of walkVocabulary()) for (const p of e.spec.parts) cited.add(p);
    for (const en of Object.values(ENUMS)) for (const v of en.values) for (const p of v.parts) cited.add(p);
    for (const r of RULES) cited.add(r.part);
    for (const p of cited) expect(partCodes.has(p), p).toBe(true);
    expect(cited.has("SIG-14")).toBe(true);
  });

  it("names a source file that exists for every corpus-sourced entry", () => {
    for (const e of walkVocabulary()) {
      const src = e.spec.source;
      if (!src.startsWith("spec/")) continue;
      expect(() => readFileSync(path.join(WACRG, src)), `${e.path}: ${src}`).not.toThrow();
    }
  });

  it("gives every entry a type, a confidence and a one-line meaning", () => {
    for (const e of walkVocabulary()) {
      expect(e.spec.meaning.length, e.path).toBeGreaterThan(2);
      expect(e.spec.meaning).not.toContain("\n");
      expect(["confirmed", "probable", "speculative", "unknown"]).toContain(e.spec.confidence);
      if (e.kind === "attribute" && e.spec.type.startsWith("enum:"))
        expect(ENUMS[e.spec.type.slice(5)], `${e.path}: ${e.spec.type}`).toBeDefined();
    }
  });

  it("covers the envelope, ack, receipt and every known call action", () => {
    for (const a of [
      "from",
      "to",
      "id",
      "t",
      "e",
      "notify",
      "platform",
      "version",
      "offline",
      "participant",
      "recipient",
    ])
      expect(lookupAttr(["call"], a), a).toBeDefined();
    for (const action of KNOWN_CALL_ACTIONS) expect(lookupTag(["call", action]), action).toBeDefined();
    expect(lookupTag(["ack", "relay", "te2"])).toBeDefined();
    expect(lookupAttr(["receipt", "offer"], "call-creator")?.required).toBe(true);
    expect(VOCABULARY.receipt.attrs.map((a) => a.name)).toEqual(["to", "id", "from"]);
  });
});

describe("findUnknowns", () => {
  it("finds nothing unknown in the fixture sessions", () => {
    for (const [, node] of [...outgoingSteps(), ...incomingSteps(), ...rejectedSteps()])
      expect(findUnknowns(node), node.tag).toEqual([]);
  });

  it("reports an unknown tag with its path and parent, without descending into it", () => {
    const node = offerIn();
    kids(kids(node)[0]).push(n("sparkle", { x: "1" }, [n("inner")]));
    expect(findUnknowns(node)).toEqual([
      { kind: "unknown-tag", path: "call/offer/sparkle", name: "sparkle", parent: "offer" },
    ]);
  });

  it("reports an unknown action as an unknown tag under call", () => {
    const node = n("call", { from: "1@s.whatsapp.net", id: "X", t: "1" }, [
      n("teleport", { "call-id": "C" }),
    ]);
    expect(findUnknowns(node)).toEqual([
      { kind: "unknown-tag", path: "call/teleport", name: "teleport", parent: "call" },
    ]);
  });

  it("reports unknown attributes with their value", () => {
    const node = acceptIn();
    kids(node)[0].attrs.hue = "blue";
    node.attrs.mood = "calm";
    expect(findUnknowns(node)).toEqual([
      { kind: "unknown-attribute", path: "call", name: "mood", value: "calm", parent: "call" },
      { kind: "unknown-attribute", path: "call/accept", name: "hue", value: "blue", parent: "accept" },
    ]);
  });

  it("reports enum values outside the vocabulary and values that do not fit their type", () => {
    const node = clone(acceptOut());
    const accept = kids(node)[0];
    kids(accept)[1].attrs.medium = "7"; // net
    node.attrs.to = "not a jid";
    kids(node)[0].attrs.reason = "x";
    expect(findUnknowns(node)).toEqual([
      {
        kind: "unknown-value",
        path: "call",
        name: "to",
        value: "not a jid",
        parent: "call",
        note: "not a JID",
      },
      { kind: "unknown-attribute", path: "call/accept", name: "reason", value: "x", parent: "accept" },
      {
        kind: "unknown-value",
        path: "call/accept/net",
        name: "medium",
        value: "7",
        parent: "net",
        note: "not in enum:net-medium",
      },
    ]);
  });

  it("indexes repeated siblings in paths", () => {
    const node = offerIn();
    kids(kids(node)[0])[1].attrs.rate = "24000";
    expect(findUnknowns(node)).toEqual([
      {
        kind: "unknown-value",
        path: "call/offer/audio[1]",
        name: "rate",
        value: "24000",
        parent: "audio",
        // Offer audio rates were seen in real traffic: the note says which.
        note: "not in enum:audio-rate; seen in real traffic: 8000, 16000 (research real-captures.md)",
        observed: "real-traffic",
      },
    ]);
  });

  it("accepts both reason spellings and reports an unknown reason value", () => {
    const reason = (r: string) =>
      n("call", { to: "1@s.whatsapp.net" }, [n("terminate", { "call-id": "C", reason: r })]);
    expect(findUnknowns(reason("accepted_elsewhere"))).toEqual([]);
    expect(findUnknowns(reason("accept_elsewhere"))).toEqual([]);
    expect(findUnknowns(reason("moonset"))).toMatchObject([
      { kind: "unknown-value", name: "reason", value: "moonset" },
    ]);
  });

  it("reports a stanza root it does not know", () => {
    expect(findUnknowns(n("iq", { type: "get" }))).toEqual([
      { kind: "unknown-tag", path: "iq", name: "iq", parent: "" },
    ]);
  });
});
