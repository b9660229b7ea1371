import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  exportIssueBody,
  exportJsonTrace,
  exportLadder,
  exportMermaid,
  exportStanza,
  exportWacrg,
  exportWacrgRecords,
  ISSUE_SECTIONS,
  mermaidText,
} from "../../../src/shared/export/index";
import { importWacrg, importXml } from "../../../src/shared/importers/index";
import { sanitizeTrace } from "../../../src/shared/sanitize/index";
import { buildCalls } from "../../../src/shared/trace/calls";
import { parseTrace } from "../../../src/shared/tracefile/io";
import { WACRG_DIR } from "../../support/dirs";
import { threeCalls } from "../tracefile/fixtures";
import { validate, wacrgSchema } from "./schema";

const st = sanitizeTrace(threeCalls()).trace;
const ok = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(`export failed: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe("JSON trace export", () => {
  it("loads back to the sanitized trace and the same calls", () => {
    const text = ok(exportJsonTrace(st)).output.text;
    const loaded = parseTrace(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.trace).toEqual(JSON.parse(JSON.stringify(st)));
    expect(buildCalls(loaded.trace.stanzas)).toEqual(buildCalls(st.stanzas));
  });
});

describe("single stanza export", () => {
  it("renders XML with placeholders and reads it back", () => {
    const xml = ok(exportStanza(st, 0, "xml")).output.text;
    expect(xml).toContain('<call to="A@s.whatsapp.net" id="S0001">');
    expect(xml).toContain('<enc v="2" type="msg" count="0">[enc: 72 bytes redacted]</enc>');
    const back = importXml(xml);
    expect(back.errors).toEqual([]);
    expect(back.trace.stanzas[0].node).toEqual(st.stanzas[0].node);
    expect(back.trace.source).toMatchObject({ timestampPrecision: "none", directionInferred: true });
    expect(back.trace.stanzas[0].direction).toBe("out");
  });

  it("renders JSON of the captured stanza", () => {
    const json = JSON.parse(ok(exportStanza(st, 1, "json")).output.text);
    expect(json).toEqual(JSON.parse(JSON.stringify(st.stanzas[1])));
  });

  it("names a missing seq", () => {
    const r = exportStanza(st, 999, "xml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no stanza with seq 999/);
  });
});

describe("wacrg capture records", () => {
  const schema = wacrgSchema("corpus/schema/capture.schema.json");

  it("the schema checker accepts the corpus example (sanity)", async () => {
    const example = parse(
      readFileSync(path.join(WACRG_DIR, "corpus/captures/example-sanitized-offer.yaml"), "utf8"),
    );
    expect((await validate(schema, example)).errors).toEqual([]);
    expect((await validate(schema, { ...example, sanitized: false })).errors.length).toBeGreaterThan(0);
    expect((await validate(schema, { ...example, extra: 1 })).errors.length).toBeGreaterThan(0);
  });

  it("per-stanza records are valid against the capture schema", async () => {
    const r = ok(exportWacrgRecords(st));
    expect(r.outputs.length).toBe(st.stanzas.length);
    for (const out of r.outputs) {
      const rec = parse(out.text);
      expect((await validate(schema, rec)).errors, out.fileName).toEqual([]);
      expect(rec).toMatchObject({
        source: { technique: "websocket-capture" },
        sanitized: true,
        raw: { format: "xml" },
      });
      expect(out.fileName).toBe(`${rec.id}.yaml`);
    }
    const first = parse(r.outputs[0].text);
    expect(first.id).toBe("wci-callid0001-0");
    expect(first.direction).toBe("outgoing");
    expect(first.attributes).toContainEqual({ name: "offer.audio[2].rate", value: "16000" });
    expect(first.decoded).toContain("capability (ver=1) — 7 bytes (redacted)");
  });

  it("per-call records are valid and import back to the same stanzas", async () => {
    const text = ok(exportWacrg(st, { per: "call" })).output.text;
    const docs = parseAllDocuments(text);
    expect(docs).toHaveLength(3);
    for (const d of docs) expect((await validate(schema, d.toJS())).errors).toEqual([]);
    expect(docs[1].toJS()).toMatchObject({
      id: "wci-callid0002",
      direction: "bidirectional",
      stanza_tag: "call",
    });
    const back = importWacrg(text);
    expect(back.errors).toEqual([]);
    expect(back.trace.source).toMatchObject({ timestampPrecision: "ms", directionInferred: false });
    const strip = (s: { direction: string; t: number; node?: unknown }) => ({
      direction: s.direction,
      t: s.t,
      node: s.node,
    });
    expect(back.trace.stanzas.map(strip)).toEqual(
      buildCalls(st.stanzas).calls.flatMap((c) => c.entries.map((e) => strip(e.stanza))),
    );
  });

  it("per-stanza records import back with direction and time", () => {
    const text = ok(exportWacrg(st, { callId: "CALLID0003" })).output.text;
    const back = importWacrg(text);
    expect(back.errors).toEqual([]);
    expect(back.trace.stanzas).toHaveLength(5);
    expect(back.trace.stanzas.map((s) => [s.direction, s.t])).toEqual(
      st.stanzas.filter((s) => s.seq >= 21).map((s) => [s.direction, s.t]),
    );
  });

  it("refuses an unknown call", () => {
    expect(exportWacrg(st, { callId: "nope" }).ok).toBe(false);
  });
});

describe("issue body", () => {
  it("has the issue form's sections in its order", () => {
    const form = parse(
      readFileSync(path.join(WACRG_DIR, ".github/ISSUE_TEMPLATE/stanza_capture.yml"), "utf8"),
    ) as {
      body: { type: string; attributes: { label?: string } }[];
    };
    const labels = form.body.filter((f) => f.type !== "markdown").map((f) => f.attributes.label);
    expect([...ISSUE_SECTIONS]).toEqual(labels);
    const body = ok(exportIssueBody(st, { seq: 7 })).output.text;
    expect([...body.matchAll(/^### (.+)$/gm)].map((m) => m[1])).toEqual(labels);
    expect(body).toContain("### Direction\n\nincoming\n");
    expect(body).toContain("### Capture technique\n\nwebsocket-capture\n");
    expect(body).toMatch(/### Raw stanza\n\n```text\n<call from="C@lid"/);
    expect(body).toContain("offer.caller_pn = A@s.whatsapp.net");
  });

  it("covers a whole call, and asks to choose when there are several", () => {
    const body = ok(exportIssueBody(st, { callId: "CALLID0001" })).output.text;
    expect(body).toContain("### Direction\n\nbidirectional");
    expect(body).toContain("<!-- seq=0 dir=out t_ms=0 -->");
    const r = exportIssueBody(st);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/3 calls/);
  });
});

describe("diagrams", () => {
  it("writes a Mermaid sequenceDiagram of one call", () => {
    const text = ok(exportMermaid(st, "CALLID0001")).output.text;
    const lines = text.split("\n");
    expect(lines[0]).toBe("sequenceDiagram");
    expect(text).toContain("participant Me as this device");
    expect(text).toContain("participant P1 as A@s.whatsapp.net");
    expect(text).toContain("Me->>P1: +0.000 s offer S0001 (ack 151.3 ms)");
    expect(text).toContain("Server-->>Me: +0.151 s ack(offer) S0001");
    expect(text).toContain("Me->>P1: +45.000 s terminate reason=timeout S0003 (ack 120.0 ms)");
    expect(text).toMatch(/Note over Me,Server: terminate: reason timeout/);
    expect(mermaidText("a;b#c")).toBe("a#59;b#35;c");
  });

  it("needs a call id when the trace has several calls", () => {
    const r = exportMermaid(st);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/CALLID0001, CALLID0002, CALLID0003/);
  });

  it("draws a plain-text ladder with lanes, arrows and marked latencies", () => {
    const text = ok(exportLadder(st, "CALLID0003")).output.text;
    expect(text).toMatch(/^Call CALLID0003 · incoming · peer A@s.whatsapp.net · audio · rejected/);
    expect(text).toMatch(/this device +server +A@s.whatsapp.net/);
    expect(text).toMatch(/\+0\.000 s +\|<-+ offer S0010 \(ack 2\.0 ms\) -+\|/);
    expect(text).toMatch(/\+2\.090 s +\|<\.+ ack\(reject\) S0011 \.+\|/);
    const all = ok(exportLadder(st)).output.text;
    expect(all.match(/^Call /gm)).toHaveLength(3);
  });

  it("marks second-precision traces in the ladder", () => {
    const t = threeCalls();
    t.source = { ...t.source, kind: "import", importer: "whatsapp-rust", timestampPrecision: "s" };
    const text = ok(exportLadder(sanitizeTrace(t).trace, "CALLID0001")).output.text;
    expect(text).toContain("times have 1 s resolution");
    expect(text).toContain("offer ack ~0 s (±1 s, s-precision log)");
  });
});
