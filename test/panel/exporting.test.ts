import { describe, expect, it } from "vitest";
import { openTraceText, panelExport, stanzaForClipboard } from "../../src/panel/exporting";
import { buildCalls } from "../../src/shared/trace/calls";
import type { CapturedStanza } from "../../src/shared/trace/types";

const PEER = "15551234567@s.whatsapp.net";
const ME = "15557654321:3@s.whatsapp.net";
const stanzas: CapturedStanza[] = [
  {
    seq: 0,
    direction: "out",
    t: 1_700_000_000_000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { to: PEER, id: "3EB0AAAA1111" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "ABCDEF0123456789ABCDEF0123456789", "call-creator": ME },
          content: [
            { tag: "enc", attrs: { v: "2", type: "pkmsg" }, content: { b64: "AQIDBAUGBwgJCgsMDQ4PEA==" } },
          ],
        },
      ],
    },
  },
  {
    seq: 1,
    direction: "in",
    t: 1_700_000_000_150,
    tap: "comms-config",
    node: { tag: "ack", attrs: { class: "call", id: "3EB0AAAA1111", from: PEER, type: "offer" } },
  },
  {
    seq: 2,
    direction: "out",
    t: 1_700_000_002_000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { to: PEER, id: "3EB0AAAA2222" },
      content: [
        {
          tag: "terminate",
          attrs: { "call-id": "ABCDEF0123456789ABCDEF0123456789", "call-creator": ME, reason: "timeout" },
        },
      ],
    },
  },
];

const SECRETS = [
  "15551234567",
  "15557654321",
  "3EB0AAAA1111",
  "ABCDEF0123456789ABCDEF0123456789",
  "AQIDBAUGBwgJ",
];

describe("panel exports", () => {
  it("saves a sanitized trace that opens back to the same calls, states and latencies", () => {
    const saved = panelExport("trace", stanzas, undefined);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    for (const s of SECRETS) expect(saved.text).not.toContain(s);
    const opened = openTraceText(saved.text);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const before = buildCalls(stanzas).calls;
    const after = buildCalls(opened.stanzas).calls;
    expect(after.map((c) => [c.state, c.reason, c.offerAckLatencyMs, c.entries.length])).toEqual(
      before.map((c) => [c.state, c.reason, c.offerAckLatencyMs, c.entries.length]),
    );
  });

  it("exports the selected call in every per-call format without leaking identifiers", () => {
    for (const kind of ["ladder", "mermaid", "wacrg", "issue", "evidence"] as const) {
      const out = panelExport(kind, stanzas, undefined, "ABCDEF0123456789ABCDEF0123456789");
      expect(out.ok, kind).toBe(true);
      if (!out.ok) continue;
      expect(out.text.length, kind).toBeGreaterThan(20);
      for (const s of SECRETS) expect(out.text, `${kind} leaks ${s}`).not.toContain(s);
    }
    expect(panelExport("ladder", stanzas, undefined, "NOPE")).toMatchObject({ ok: false });
  });

  it("copies one stanza sanitized, as XML or JSON", () => {
    const xml = stanzaForClipboard(stanzas[0], "xml");
    expect(xml.ok && xml.text).toMatch(/^<call [^>]*>\n {2}<offer /);
    const json = stanzaForClipboard(stanzas[0], "json");
    expect(json.ok && JSON.parse(json.text).node.content[0].tag).toBe("offer");
    for (const out of [xml, json]) for (const s of SECRETS) expect(out.ok && out.text).not.toContain(s);
  });

  it("reports an invalid trace instead of opening it", () => {
    const r = openTraceText('{"format":"wa-call-inspector-trace","version":99,"stanzas":[]}');
    expect(r.ok).toBe(false);
    expect(openTraceText("not json").ok).toBe(false);
  });
});
