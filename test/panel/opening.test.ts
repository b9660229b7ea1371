/**
 * The panel's Open path (`openInput`, src/panel/opening.ts) on inputs written for this project:
 * a saved trace comes back unchanged, published XML and library logs open with a summary of
 * their form, repairs and errors, and input that keeps nothing says why.
 */
import { describe, expect, it } from "vitest";
import { panelExport } from "../../src/panel/exporting";
import { openInput, SUMMARY_LINES, summaryLine } from "../../src/panel/opening";
import type { CapturedStanza } from "../../src/shared/trace/types";
import { parseTrace } from "../../src/shared/tracefile/io";

const CALLER = "27182818284@lid";
const CALL_ID = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";

/** Pretty-printed inbound offer in a Markdown quote, closing tags on their own lines. */
const QUOTED_OFFER = [
  "Here is what my bot received:",
  "",
  `> <call from="${CALLER}" id="5223.12338-39" t="1764990000">`,
  `>   <offer call-id="${CALL_ID}" call-creator="${CALLER}">`,
  '>     <audio enc="opus" rate="16000">',
  ">     </audio>",
  ">   </offer>",
  "> </call>",
  "",
].join("\n");

/** An offer whose children were elided by the poster (line 4). */
const ELIDED_OFFER = [
  `<call from="${CALLER}" id="38.13-251" t="1764990100">`,
  `  <offer call-id="${CALL_ID}" call-creator="${CALLER}">`,
  '    <audio enc="opus" rate="16000"/>',
  "    ...",
  '    <net medium="3"/>',
  "  </offer>",
  "</call>",
].join("\n");

const pino = (time: number, xml: string) => JSON.stringify({ level: 10, time, msg: "recv xml", xml });
const NDJSON = [
  JSON.stringify({ level: 30, time: 1733450000000, msg: "connected to WA" }),
  pino(
    1733450000123,
    `<call from='${CALLER}' id='38.13-300' t='1733450000'><offer call-id='${CALL_ID}' call-creator='${CALLER}'/></call>`,
  ),
  pino(
    1733450004200,
    `<call from='${CALLER}' id='38.13-301' t='1733450004'><terminate call-id='${CALL_ID}' call-creator='${CALLER}'/></call>`,
  ),
].join("\n");

const saved: CapturedStanza[] = [
  {
    seq: 0,
    direction: "in",
    t: 1000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { from: "15550002222@s.whatsapp.net", id: "i1" },
      content: [{ tag: "offer", attrs: { "call-id": "CID1", "call-creator": "15550002222@s.whatsapp.net" } }],
    },
  },
  {
    seq: 1,
    direction: "out",
    t: 1003,
    tap: "comms-config",
    node: { tag: "ack", attrs: { class: "call", id: "i1" } },
  },
];

describe("openInput", () => {
  it("returns a saved trace unchanged, stanzas and health", () => {
    const file = panelExport("trace", saved, {
      taps: [],
      seenByTag: { call: 1 },
      forwarded: 2,
      filtered: 0,
      errors: 0,
    });
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    const parsed = parseTrace(file.text);
    if (!parsed.ok) throw new Error("export did not parse");
    const out = openInput(file.text, { name: "session.json" });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.trace.stanzas).toEqual(parsed.trace.stanzas);
    expect(out.trace.health).toEqual(parsed.trace.health);
    expect(out.summary).toMatchObject({ format: "trace", detected: true, kept: 2, errors: 0, repairs: 0 });
    expect(out.summary.why).toBeUndefined();
  });

  it("opens published XML in a Markdown quote and says how it was read", () => {
    const out = openInput(QUOTED_OFFER, { name: "pasted text" });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.trace.stanzas).toHaveLength(1);
    const call = out.trace.stanzas[0].node;
    expect(call?.tag).toBe("call");
    expect(Array.isArray(call?.content) && call.content[0].attrs["call-id"]).toBe(CALL_ID);
    expect(out.summary).toMatchObject({ format: "xml", detected: true, kept: 1, lines: 8 });
    expect(summaryLine(out.summary)).toMatch(/^xml \(detected\) · 1 stanza kept/);
  });

  it("lists a repair with its line", () => {
    const out = openInput(ELIDED_OFFER, { name: "pasted text" });
    expect(out.ok).toBe(true);
    expect(out.summary.repairs).toBeGreaterThanOrEqual(1);
    const elision = out.summary.notes.find((n) => n.kind === "repair" && n.line === 4);
    expect(elision?.text).toMatch(/^line 4: repaired \(elision\): /);
  });

  it("reads Baileys pino NDJSON with the log's times", () => {
    const out = openInput(NDJSON, { name: "bot.log" });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.summary.format).toBe("baileys");
    expect(
      out.trace.stanzas.map((s) => [s.t, (s.node?.content as { tag: string }[] | undefined)?.[0]?.tag]),
    ).toEqual([
      [1733450000123, "offer"],
      [1733450004200, "terminate"],
    ]);
  });

  it("caps the listed notes and counts the rest", () => {
    const lines: string[] = [];
    for (let i = 0; i < SUMMARY_LINES + 4; i++)
      lines.push(`<call from="${CALLER}" id="e${i}"><offer call-id="…" call-creator="${CALLER}"/></call>`);
    const out = openInput(lines.join("\n"), { name: "many" });
    expect(out.summary.repairs).toBe(SUMMARY_LINES + 4);
    expect(out.summary.notes).toHaveLength(SUMMARY_LINES);
    expect(out.summary.more).toBe(4);
    expect(out.summary.notes.map((n) => n.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it("says why when nothing is kept", () => {
    const garbage = openInput("just some words\nand more words\n", { name: "pasted text" });
    expect(garbage.ok).toBe(false);
    expect(garbage.summary.why).toMatch(/^unrecognised input format/);
    expect(garbage.summary.format).toBeUndefined();

    const chatter = [1, 2, 3].map((i) => JSON.stringify({ level: 30, time: i, msg: "other" })).join("\n");
    const none = openInput(chatter, { name: "bot.log" });
    expect(none).toMatchObject({ ok: false, summary: { format: "baileys", kept: 0 } });
    expect(none.summary.why).toBe("no call stanzas in 3 lines read as baileys");

    const message = openInput('<message from="x" id="m1"><body>hi</body></message>', { name: "m" });
    expect(message.ok).toBe(false);
    expect(message.summary.why).toMatch(
      /^no call stanzas in 1 line: 1 stanza read, none call-related \(<message> 1\)/,
    );

    expect(openInput("  \n", { name: "p" }).summary.why).toBe("the text is empty");
  });

  it("a chosen form overrides detection", () => {
    // Detected as XML it opens; forced to be a saved trace it is not JSON.
    const forced = openInput(QUOTED_OFFER, { name: "p", format: "trace" });
    expect(forced.ok).toBe(false);
    expect(forced.summary).toMatchObject({ format: "trace", detected: false });
    expect(forced.summary.why).toMatch(/^no call stanzas read as trace: not JSON/);
    expect(summaryLine(forced.summary)).toMatch(/^trace \(chosen\)/);
  });
});
