import { describe, expect, it } from "vitest";
import { isNormalizeError, NORMALIZE_LIMITS, normalizeNode } from "../../../src/shared/stanza/normalize";

/** A stand-in shaped like WhatsApp Web's WapJid: an object whose toString renders the JID. */
class FakeJid {
  constructor(
    private readonly user: string,
    private readonly device: number,
    private readonly server: string,
  ) {}
  toString(): string {
    return `${this.user}${this.device ? `:${this.device}` : ""}@${this.server}`;
  }
}

describe("normalizer", () => {
  it("turns WhatsApp-style node objects with JID objects into plain nodes", () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const wa = {
      tag: "call",
      attrs: { from: new FakeJid("15550002222", 3, "s.whatsapp.net"), id: "1.2-3", t: "1700000000" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "ABCD", "call-creator": new FakeJid("15550002222", 0, "s.whatsapp.net") },
          content: [{ tag: "enc", attrs: { v: "2" }, content: bytes.subarray(1, 3) }],
        },
      ],
    };
    const n = normalizeNode(wa);
    expect(isNormalizeError(n)).toBe(false);
    expect(n).toEqual({
      tag: "call",
      attrs: { from: "15550002222:3@s.whatsapp.net", id: "1.2-3", t: "1700000000" },
      content: [
        {
          tag: "offer",
          attrs: { "call-id": "ABCD", "call-creator": "15550002222@s.whatsapp.net" },
          content: [{ tag: "enc", attrs: { v: "2" }, content: new Uint8Array([2, 3]) }],
        },
      ],
    });
    // A copy, not a view into WhatsApp's frame buffer.
    bytes[1] = 99;
    const enc = (n as { content: { content: { content: Uint8Array }[] }[] }).content[0].content[0].content;
    expect(enc[0]).toBe(2);
  });

  it("keeps attribute order and drops null attribute values", () => {
    const n = normalizeNode({
      tag: "ack",
      attrs: { z: "1", a: "2", gone: null, class: "call" },
      content: null,
    });
    expect(Object.keys((n as { attrs: object }).attrs)).toEqual(["z", "a", "class"]);
  });

  it("returns a typed error for unreadable input and never throws", () => {
    for (const bad of [
      null,
      42,
      "x",
      {},
      { tag: 5 },
      { tag: "a", content: [{}] },
      { tag: "a", content: {} },
    ]) {
      const r = normalizeNode(bad);
      expect(isNormalizeError(r)).toBe(true);
    }
    const hostile = {
      tag: "call",
      get attrs(): never {
        throw new Error("boom");
      },
    };
    expect(isNormalizeError(normalizeNode(hostile))).toBe(true);
  });

  it("bounds depth", () => {
    let deep: { tag: string; attrs: object; content?: unknown[] } = { tag: "leaf", attrs: {} };
    for (let i = 0; i < NORMALIZE_LIMITS.maxDepth + 5; i++) deep = { tag: "n", attrs: {}, content: [deep] };
    const r = normalizeNode(deep);
    expect(isNormalizeError(r) && r.message).toBe("nesting too deep");
  });
});
