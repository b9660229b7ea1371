/**
 * Baileys at debug level logs no XML, only `sent ack` summaries (`{recv: {tag, attrs}, sent}`,
 * real-captures.md form 7): the received stanza's own attributes and this device's ack are
 * imported, with one repair saying so; at trace level the summaries are ignored because the XML
 * lines give the same stanzas. Examples written for the project.
 */
import { describe, expect, it } from "vitest";
import { importText } from "../../../src/shared/importers/index";
import { buildCalls } from "../../../src/shared/trace/calls";

const PEER = "70000000000009@lid";
const summary = (id: string, time: number) =>
  JSON.stringify({
    level: 20,
    time,
    pid: 7,
    hostname: "bot",
    recv: { tag: "call", attrs: { from: PEER, id, t: "1790000000", offline: "0" } },
    sent: { id, to: PEER, class: "call" },
    msg: "sent ack",
  });
const other = (time: number) => JSON.stringify({ level: 30, time, msg: "connection update" });

describe("Baileys debug-level `sent ack` summaries", () => {
  it("imports the call wrapper and this device's ack, with one repair", () => {
    const text = [
      other(1_790_000_000_000),
      summary("38.13-251", 1_790_000_000_500),
      summary("38.13-252", 1_790_000_001_000),
    ].join("\n");
    const r = importText(text);
    expect(r.format).toBe("baileys");
    expect(r.trace.stanzas.map((s) => [s.direction, s.node?.tag, s.node?.attrs.id])).toEqual([
      ["in", "call", "38.13-251"],
      ["out", "ack", "38.13-251"],
      ["in", "call", "38.13-252"],
      ["out", "ack", "38.13-252"],
    ]);
    expect(r.trace.stanzas[1].t).toBe(1_790_000_000_500);
    expect(r.repairs).toEqual([
      { line: 2, kind: "summary", reason: expect.stringMatching(/^debug-level log/) },
    ]);
    // Children were not logged: the wrapper has none, so no call-id groups these into a call.
    expect(r.trace.stanzas[0].node?.content).toBeUndefined();
    expect(buildCalls(r.trace.stanzas).calls).toEqual([]);
  });

  it("ignores the summaries of a trace-level log, whose XML lines give the stanzas", () => {
    const xml = JSON.stringify({
      level: 10,
      time: 1_790_000_000_400,
      xml: `<call from='${PEER}' id='38.13-251' t='1790000000'><terminate call-id='C1' call-creator='${PEER}'/></call>`,
      msg: "recv xml",
    });
    const r = importText(
      [summary("38.13-251", 1_790_000_000_300), xml, summary("38.13-251", 1_790_000_000_500)].join("\n"),
    );
    expect(r.trace.stanzas.map((s) => s.node?.tag)).toEqual(["call"]);
    expect(r.repairs).toEqual([]);
    expect(r.stats.otherLines).toBe(2);
  });

  it("reads BinaryNode objects logged as `{ node }` (the NDJSON of pino-pretty's form), bytes included", () => {
    const line = JSON.stringify({
      level: 30,
      time: 1_790_000_000_123,
      node: {
        tag: "call",
        attrs: { from: PEER, id: "38.13-260", t: "1790000000" },
        content: [
          {
            tag: "offer",
            attrs: { "call-id": "C2", "call-creator": PEER },
            content: [
              { tag: "capability", attrs: { ver: "1" }, content: { type: "Buffer", data: [1, 5, 247] } },
            ],
          },
        ],
      },
      msg: "recv call",
    });
    const r = importText([line, summary("38.13-260", 1_790_000_000_200)].join("\n"));
    expect(r.format).toBe("baileys");
    expect(r.trace.stanzas).toHaveLength(1);
    expect(r.trace.stanzas[0]).toMatchObject({ direction: "in", t: 1_790_000_000_123 });
    const call = r.trace.stanzas[0].node;
    const offer = (call?.content as { content: { content: unknown }[] }[] | undefined)?.[0];
    if (!offer) throw new Error("no offer");
    expect(offer.content[0].content).toEqual({ b64: "AQX3" });
    expect(buildCalls(r.trace.stanzas).calls[0]?.callId).toBe("C2");
  });
});
