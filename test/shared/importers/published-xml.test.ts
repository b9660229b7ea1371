/**
 * XML as people publish it (real-captures.md forms 1–2, bare action children, cut posts),
 * through the shared importers and the CLI. Every example below was written for this project
 * in those forms (made-up LIDs, numbers and ids); none is copied from a post.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main";
import { exportWacrg } from "../../../src/shared/export/index";
import { detectFormat, importText, importXml } from "../../../src/shared/importers/index";
import { sanitizeTrace } from "../../../src/shared/sanitize/sanitize";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { PortableNode } from "../../../src/shared/trace/types";
import { validateTrace } from "../../../src/shared/tracefile/validate";

const CALLER = "271828182845904@lid";
const CID = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";

/** A pretty-printed inbound reject and its ack, closing tags on their own lines. */
const pretty = (indent: string, q: string): string =>
  [
    `<call from=${q}${CALLER}${q} id=${q}4711.815-3${q} t=${q}1790000000${q} platform=${q}android${q}>`,
    `${indent}<reject call-id=${q}${CID}${q} call-creator=${q}${CALLER}${q} count=${q}0${q}>`,
    `${indent}</reject>`,
    "</call>",
    `<ack class=${q}call${q} id=${q}4711.815-3${q} to=${q}${CALLER}${q} type=${q}reject${q}/>`,
  ].join("\n");

const tags = (n: PortableNode | undefined): string =>
  n ? `${n.tag}${Array.isArray(n.content) ? `(${n.content.map(tags).join(",")})` : ""}` : "";

describe("pretty-printed XML", () => {
  it("reads closing tags on their own lines with any indentation and either quote", () => {
    for (const [indent, q] of [
      ["  ", '"'],
      ["\t", "'"],
      ["        ", '"'],
    ]) {
      const r = importXml(pretty(indent, q));
      expect(r.errors).toEqual([]);
      expect(r.repairs).toEqual([]);
      expect(r.trace.stanzas.map((s) => [tags(s.node), s.direction])).toEqual([
        ["call(reject)", "in"],
        ["ack", "out"],
      ]);
      const reject = ((r.trace.stanzas[0].node as PortableNode).content as PortableNode[])[0];
      expect(reject.attrs).toEqual({ "call-id": CID, "call-creator": CALLER, count: "0" });
      expect(reject.content).toBeUndefined();
      expect(buildCalls(r.trace.stanzas).calls.map((c) => c.callId)).toEqual([CID]);
    }
  });

  it("reads XML inside code comments, docstrings and Markdown quotes, keeping the lines", () => {
    const plain = importXml(pretty("  ", '"'));
    const wrapped: [string, string][] = [
      ["//", pretty("  ", '"').replace(/^/gm, "// ")],
      ["#", `# what the server sent:\n${pretty("    ", '"').replace(/^/gm, "#   ")}`],
      ["doc comment", `/**\n * Inbound reject:\n${pretty("  ", '"').replace(/^/gm, " * ")}\n */`],
      ["docstring", `def on_call(node):\n    """\n${pretty("    ", "'").replace(/^/gm, "    ")}\n    """`],
      ["quote", `> got this:\n>\n${pretty("\t", '"').replace(/^/gm, "> ")}`],
    ];
    for (const [name, text] of wrapped) {
      expect(detectFormat(text), name).toBe("xml");
      const r = importText(text);
      expect(r.errors, name).toEqual([]);
      expect(
        r.trace.stanzas.map((s) => s.node),
        name,
      ).toEqual(plain.trace.stanzas.map((s) => s.node));
      const firstCall = text.split("\n").findIndex((l) => l.includes("<call")) + 1;
      expect(r.errors.concat(), name).toEqual([]);
      expect(r.trace.stanzas.length, name).toBe(2);
      if (name !== "docstring") {
        expect(r.repairs, name).toContainEqual({
          line: firstCall,
          kind: "unwrapped",
          reason: expect.stringContaining("prefixes"),
        });
      }
    }
  });

  it('reads \\"-escaped quotes (XML pasted inside a JSON string) and reports it', () => {
    const text = `{"note": "incoming",\n "xml": "${pretty("  ", '\\"').split("\n").join("\n")}"}`;
    const r = importXml(text);
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas.map((s) => tags(s.node))).toEqual(["call(reject)", "ack"]);
    expect(r.repairs).toEqual([{ line: 2, kind: "unescaped", reason: expect.stringMatching(/read as "/) }]);
  });

  it("reads a stanza escaped into one JSON string line, \\n escapes and all", () => {
    const one = `{"stanza": "${pretty("  ", '\\"').split("\n").join("\\n")}"}`;
    expect(one.split("\n")).toHaveLength(1);
    const r = importText(one);
    expect(r.format).toBe("xml");
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas.map((s) => tags(s.node))).toEqual(["call(reject)", "ack"]);
    expect(r.repairs.map((x) => [x.line, x.kind])).toEqual([[1, "unescaped"]]);
  });
});

describe("elisions and placeholders", () => {
  const text = [
    "Offer as my client logged it (ids shortened):", // 1
    "", // 2
    `<call from="${CALLER}" id="..." t="1790000000" ...>`, // 3
    '  <offer call-id="…" call-creator="<caller>" caller_pn="4930xxxx@s.whatsapp.net">', // 4
    '    <audio enc="opus" rate="16000"/>', // 5
    "    ...", // 6
    '    <net medium="3"/>', // 7
    "    <capability ver='1'>01 05 f7 09 e4 fa 13</capability>", // 8
    "    <destination>", // 9
    "      <to jid=<our own device>>", // 10
    '        <enc v="2" type="pkmsg">…</enc>', // 11
    "      </to>", // 12
    "    </destination>", // 13
    "    <!-- relay omitted -->", // 14
    "  </offer>", // 15
    "</call>", // 16
  ].join("\n");

  it("recovers the stanza, keeps each placeholder as the value and reports every repair with its line", () => {
    const r = importXml(text, "post.md");
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas).toHaveLength(1);
    const call = r.trace.stanzas[0].node as PortableNode;
    expect(call.attrs).toEqual({ from: CALLER, id: "...", t: "1790000000" });
    const offer = (call.content as PortableNode[])[0];
    expect(offer.attrs).toEqual({
      "call-id": "…",
      "call-creator": "<caller>",
      caller_pn: "4930xxxx@s.whatsapp.net",
    });
    expect(tags(offer)).toBe("offer(audio,net,capability,destination(to(enc)))");
    const cap = (offer.content as PortableNode[])[2];
    expect(cap.content).toEqual({ b64: Buffer.from([1, 5, 0xf7, 9, 0xe4, 0xfa, 0x13]).toString("base64") });
    const to = ((offer.content as PortableNode[])[3].content as PortableNode[])[0];
    expect(to.attrs).toEqual({ jid: "<our own device>" });
    expect((to.content as PortableNode[])[0].content).toBe("…");
    expect(r.repairs.map((x) => [x.line, x.kind])).toEqual([
      [3, "placeholder"],
      [3, "elision"],
      [4, "placeholder"],
      [4, "placeholder"],
      [4, "placeholder"],
      [6, "elision"],
      [10, "placeholder"],
      [11, "placeholder"],
      [14, "comment"],
    ]);
    expect(r.repairs.every((x) => x.file === "post.md")).toBe(true);
    expect(r.repairs[2].reason).toBe('placeholder call-id="…" kept as written');
  });

  it("keeps a <placeholder> standing for a content as text, and does not guess at an unclosed child", () => {
    const r = importXml(
      [
        `<call from="${CALLER}" id="9" t="1790000000">`,
        `  <offer call-id="${CID}" call-creator="${CALLER}">`,
        "    <privacy><redacted></privacy>",
        "  </offer>",
        "</call>",
        `<call from="${CALLER}" id="10" t="1790000001">`,
        `  <terminate call-id="${CID}" call-creator="${CALLER}">`,
        '    <audio enc="opus">',
        "  </terminate>",
        "</call>",
      ].join("\n"),
    );
    const offer = ((r.trace.stanzas[0].node as PortableNode).content as PortableNode[])[0];
    expect((offer.content as PortableNode[])[0]).toEqual({
      tag: "privacy",
      attrs: {},
      content: "<redacted>",
    });
    expect(r.repairs).toEqual([
      { line: 3, kind: "placeholder", reason: 'placeholder text "<redacted>" kept as written' },
    ]);
    expect(r.trace.stanzas).toHaveLength(1);
    expect(r.errors).toEqual([
      { line: 8, reason: "unreadable stanza: unterminated: no </audio> for <audio>" },
    ]);
  });

  it("still reports a stanza that cannot be recovered and reads the next one", () => {
    const r = importXml(
      [
        `<call from="${CALLER}" id="1">`,
        '  <offer call-id="X" = >',
        "  </offer>",
        "</call>",
        `<ack class="call" id="1" to="${CALLER}"/>`,
      ].join("\n"),
    );
    expect(r.errors).toEqual([{ line: 2, reason: expect.stringMatching(/^unreadable stanza: bad-name/) }]);
    expect(r.trace.stanzas.map((s) => s.node?.tag)).toEqual(["ack"]);
  });
});

describe("bare action children", () => {
  const text = [
    "the caller gave up:",
    `<terminate call-id="${CID}" call-creator="${CALLER}" duration="0">`,
    "</terminate>",
    `<user error="427" jid="${CALLER}"/>`,
  ].join("\n");

  it("wraps a bare action in a synthetic <call> marked as such, direction inferred", () => {
    const r = importText(text, { file: "issue.txt" });
    expect(r.format).toBe("xml");
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas).toHaveLength(1);
    const s = r.trace.stanzas[0];
    expect(s.synthetic).toBe("call-wrapper");
    expect(s.node).toEqual({
      tag: "call",
      attrs: {},
      content: [{ tag: "terminate", attrs: { "call-id": CID, "call-creator": CALLER, duration: "0" } }],
    });
    expect(r.trace.source.directionInferred).toBe(true);
    expect(r.repairs).toEqual([
      {
        file: "issue.txt",
        line: 2,
        kind: "synthetic-call",
        reason: "bare <terminate> wrapped in a synthetic <call> (direction unknown: inferred)",
      },
    ]);
    expect(r.stats.droppedByTag).toEqual({ user: 1 });
    expect(buildCalls(r.trace.stanzas).calls.map((c) => c.callId)).toEqual([CID]);
    // The marker is part of the trace format and survives the sanitizer.
    expect(validateTrace(JSON.parse(JSON.stringify(r.trace))).ok).toBe(true);
    expect(sanitizeTrace(r.trace).trace.stanzas[0].synthetic).toBe("call-wrapper");
  });

  it("gives a call known only from a synthetic <call> no direction and no peer", () => {
    const bare = `<offer call-id="${CID}" call-creator="${CALLER}"><audio enc="opus" rate="16000"/></offer>`;
    const r = importText(bare);
    expect(r.trace.stanzas[0].synthetic).toBe("call-wrapper");
    const [call] = buildCalls(r.trace.stanzas).calls;
    expect(call.callId).toBe(CID);
    expect(call.direction).toBeUndefined();
    expect(call.peer).toBeUndefined();
    expect(call.media).toBe("audio");
    // The same offer in its own <call> has the direction its addressing gives.
    const wrapped = importText(`<call from="${CALLER}" id="1">${bare}</call>`);
    expect(buildCalls(wrapped.trace.stanzas).calls[0].direction).toBe("in");
  });

  it("does not wrap a stanza that has its <call>", () => {
    const r = importXml(pretty("  ", '"'));
    expect(r.trace.stanzas.some((s) => s.synthetic)).toBe(false);
  });
});

describe("posts cut off mid-node", () => {
  it("keeps what came before the cut and reports the cut at its line", () => {
    const text = [
      `<ack class="call" id="77-1" from="${CALLER}" type="offer"/>`,
      `<call to="${CALLER}" id="77-2">`,
      `  <offer call-id="${CID}" call-creator="15550001111:3@s.whatsapp.net">`,
      '    <audio enc="opus" rate="8000"/>',
      '    <video enc="h.264" dec="H264,H2',
    ].join("\n");
    const r = importXml(text);
    expect(r.errors).toEqual([]);
    expect(r.trace.stanzas.map((s) => tags(s.node))).toEqual(["ack", "call(offer(audio,video))"]);
    const video = (
      ((r.trace.stanzas[1].node as PortableNode).content as PortableNode[])[0].content as PortableNode[]
    )[1];
    expect(video.attrs).toEqual({ enc: "h.264" });
    expect(r.repairs).toEqual([{ line: 5, kind: "cut", reason: expect.stringContaining("dec") }]);
  });

  it("reports a cut between children and inside text content", () => {
    const between = importXml(
      `<call from="${CALLER}" id="2" t="1">\n  <offer call-id="C" call-creator="${CALLER}">\n    <audio enc="opus"/>\n`,
    );
    expect(between.trace.stanzas.map((s) => tags(s.node))).toEqual(["call(offer(audio))"]);
    expect(between.repairs.map((x) => [x.line, x.kind])).toEqual([[3, "cut"]]);
    const inText = importXml(
      `<call from="${CALLER}" id="3" t="1"><offer call-id="D" call-creator="${CALLER}"><privacy>0a1b`,
    );
    expect(inText.trace.stanzas.map((s) => tags(s.node))).toEqual(["call(offer(privacy))"]);
    expect(inText.repairs).toEqual([
      { line: 1, kind: "cut", reason: expect.stringContaining("content dropped") },
    ]);
  });
});

describe("CLI", () => {
  it("reads standard input for '-' and lists the repairs on stderr", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (s: string) => out.push(s),
      err: (s: string) => err.push(s),
      stdin: () =>
        Readable.from([
          Buffer.from(
            `> <offer call-id="${CID}" call-creator="${CALLER}">\n>   <audio enc="opus" rate="16000"/>\n> </offer>\n`,
          ),
        ]),
    };
    expect(await main(["analyze", "-", "--no-evidence"], io)).toBe(0);
    expect(out.join("\n")).toContain("<stdin>: xml");
    expect(out.join("\n")).toContain("[synthetic <call>: direction unknown]");
    expect(out.join("\n")).toContain(`Call ${CID} · direction unknown (synthetic <call>)`);
    expect(err).toEqual([
      "<stdin>:1: repaired (unwrapped): comment or quote prefixes (//, #, *, >) removed from the lines",
      "<stdin>:1: repaired (synthetic-call): bare <offer> wrapped in a synthetic <call> (direction unknown: inferred)",
    ]);
  });

  it("no longer fails on pretty-printed closing tags", async () => {
    const err: string[] = [];
    const io = {
      out: () => {},
      err: (s: string) => err.push(s),
      stdin: () => Readable.from([Buffer.from(pretty("  ", '"'))]),
    };
    expect(await main(["analyze", "-", "--no-evidence", "--strict"], io)).toBe(0);
    expect(err).toEqual([]);
  });
});

describe("properties", () => {
  type N = { tag: string; attrs: Record<string, string>; content?: N[] };
  // Values without placeholders (`...`, `xxx`), which are reported by design.
  const value = fc.stringMatching(/^[A-Za-z0-9@.:_-]{1,12}$/).filter((v) => !/\.\.\.|[xX]{3}/.test(v));
  const attrs = fc.dictionary(
    fc.constantFrom("id", "call-id", "call-creator", "jid", "count", "enc", "rate"),
    value,
    {
      maxKeys: 3,
    },
  );
  const node: fc.Memo<N> = fc.memo((d) =>
    fc.record({
      tag: fc.constantFrom("offer", "reject", "terminate", "audio", "net", "destination", "to"),
      attrs,
      content:
        d > 1
          ? fc.option(fc.array(node(d - 1), { minLength: 1, maxLength: 3 }), { nil: undefined })
          : fc.constant(undefined),
    }),
  );
  const layout = fc.record({
    indent: fc.constantFrom("  ", "    ", "\t", " \t"),
    quote: fc.constantFrom('"', "'"),
    prefix: fc.constantFrom("", "// ", "# ", " * ", "> ", "    "),
    explicitClose: fc.boolean(),
  });
  const render = (
    n: N,
    l: { indent: string; quote: string; explicitClose: boolean },
    depth: number,
  ): string[] => {
    const pad = l.indent.repeat(depth);
    const a = Object.entries(n.attrs)
      .map(([k, v]) => ` ${k}=${l.quote}${v}${l.quote}`)
      .join("");
    if (!n.content)
      return l.explicitClose ? [`${pad}<${n.tag}${a}>`, `${pad}</${n.tag}>`] : [`${pad}<${n.tag}${a}/>`];
    return [
      `${pad}<${n.tag}${a}>`,
      ...n.content.flatMap((c) => render(c, l, depth + 1)),
      `${pad}</${n.tag}>`,
    ];
  };
  const strip = (n: N): PortableNode =>
    n.content
      ? { tag: n.tag, attrs: { ...n.attrs }, content: n.content.map(strip) }
      : { tag: n.tag, attrs: { ...n.attrs } };

  it("reads any pretty-printed call stanza, in any wrapping, as the node it shows", () => {
    fc.assert(
      fc.property(
        fc.array(node(3), { minLength: 1, maxLength: 3 }),
        attrs,
        layout,
        (children, callAttrs, l) => {
          const call: N = { tag: "call", attrs: { ...callAttrs, from: CALLER }, content: children };
          const text = render(call, l, 0)
            .map((x) => l.prefix + x)
            .join("\n");
          const r = importXml(text);
          expect(r.errors).toEqual([]);
          expect(r.repairs.filter((x) => x.kind !== "unwrapped")).toEqual([]);
          expect(r.trace.stanzas.map((s) => s.node)).toEqual([strip(call)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws on damaged text, and every error and repair points at a line of the input", () => {
    const piece = fc.constantFrom(
      "<call",
      "<offer",
      "</call>",
      "</offer>",
      ">",
      "/>",
      ' id="1"',
      " call-id='C'",
      ' x="',
      "=",
      "…",
      "...",
      "<caller>",
      "<!--",
      "-->",
      '\\"',
      "\n",
      "\n> ",
      "\n// ",
      "  ",
      "xxxx",
      "```",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join("");
        const lines = text.split("\n").length;
        const r = importXml(text);
        for (const e of [...r.errors, ...r.repairs]) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
        }
        expect(validateTrace(JSON.parse(JSON.stringify(r.trace))).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("exports", () => {
  it("say in the wacrg record that a <call> wrapper is synthetic", () => {
    const r = importXml(
      `<offer call-id="${CID}" call-creator="${CALLER}">\n  <audio enc="opus" rate="16000"/>\n</offer>`,
    );
    const out = exportWacrg(sanitizeTrace(r.trace).trace, {});
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.output.text).toMatch(/wrapper of 1 stanza\(s\) is synthetic/);
  });
});
