import { describe, expect, it } from "vitest";
import { Deduper, dedupeKey } from "../../../src/shared/capture/dedupe";
import { bytesHash, nodeHash } from "../../../src/shared/capture/hash";
import { decodeFrame, encodeFrame } from "../../../src/shared/codec/index";
import type { WANode } from "../../../src/shared/codec/node";
import { CALL_ACK, OFFER } from "./support";

describe("nodeHash", () => {
  it("is the same for a node before encoding and after a decode of its bytes", () => {
    const decoded = decodeFrame(encodeFrame(OFFER)) as WANode;
    expect(nodeHash(decoded)).toBe(nodeHash(OFFER));
  });

  it("ignores attribute order, empty attribute values, string-vs-bytes content and empty child lists", () => {
    const a: WANode = { tag: "x", attrs: { a: "1", b: "2", c: "" }, content: "hi" };
    const b: WANode = { tag: "x", attrs: { b: "2", a: "1" }, content: new TextEncoder().encode("hi") };
    expect(nodeHash(a)).toBe(nodeHash(b));
    expect(nodeHash({ tag: "y", attrs: {}, content: [] })).toBe(nodeHash({ tag: "y", attrs: {} }));
  });

  it("differs for any change of tag, attribute, child or byte", () => {
    const base = nodeHash(OFFER);
    const variants: WANode[] = [
      { ...OFFER, tag: "calls" },
      { ...OFFER, attrs: { ...OFFER.attrs, id: "123.456-8" } },
      { ...OFFER, content: [] },
      {
        ...OFFER,
        content: [
          {
            ...(OFFER.content as WANode[])[0],
            content: [{ tag: "audio", attrs: { enc: "opus", rate: "8000" } }],
          },
        ],
      },
    ];
    for (const v of variants) expect(nodeHash(v)).not.toBe(base);
    expect(bytesHash(new Uint8Array([1, 2]))).not.toBe(bytesHash(new Uint8Array([1, 3])));
    expect(nodeHash(OFFER)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("Deduper", () => {
  const key = dedupeKey("out", OFFER);

  it("merges observations of different taps into one entry led by the earliest", () => {
    const d = new Deduper<string>({ holdMs: 100 });
    expect(d.offer(key, "comms-config", 1010, "late", 1010)).toBe("new");
    expect(d.offer(key, "codec", 1000, "early", 1012)).toBe("merged");
    expect(d.offer(key, "transport", 1005, "middle", 1014)).toBe("merged");
    expect(d.drain(1050)).toEqual([]);
    expect(d.drain(1200)).toEqual([
      {
        payload: "early",
        tap: "codec",
        t: 1000,
        seenBy: ["codec", "comms-config", "transport"],
        seenAt: { "comms-config": 1010, codec: 1000, transport: 1005 },
      },
    ]);
  });

  it("releases before the hold once every live tap has seen an entry, keeping arrival order", () => {
    const d = new Deduper<string>({ holdMs: 100 });
    const all = (seenBy: readonly string[]) => ["codec", "comms-config"].every((t) => seenBy.includes(t));
    const other = dedupeKey("in", CALL_ACK);
    d.offer(key, "codec", 1000, "offer", 1000);
    d.offer(other, "codec", 1001, "ack", 1001);
    // The ack is complete but the offer is not: nothing overtakes the offer.
    d.offer(other, "comms-config", 1002, "ack-cc", 1002);
    expect(d.drain(1003, false, all)).toEqual([]);
    d.offer(key, "comms-config", 1004, "offer-cc", 1004);
    expect(d.drain(1005, false, all).map((r) => r.payload)).toEqual(["offer", "ack"]);
    // Without a completeness test, the hold applies as before.
    d.offer(dedupeKey("out", CALL_ACK), "codec", 1010, "x", 1010);
    expect(d.drain(1011)).toEqual([]);
    expect(d.drain(1111)).toHaveLength(1);
  });

  it("keeps a repeat by the same tap as a new stanza (e.g. a re-send after reconnect)", () => {
    const d = new Deduper<string>({ holdMs: 0 });
    d.offer(key, "codec", 1, "first", 1);
    expect(d.offer(key, "codec", 2, "second", 2)).toBe("new");
    expect(d.offer(key, "comms-config", 3, "cc", 3)).toBe("merged");
    expect(d.offer(key, "comms-config", 4, "cc2", 4)).toBe("merged");
    expect(d.drain(10).map((r) => r.seenBy)).toEqual([
      ["codec", "comms-config"],
      ["codec", "comms-config"],
    ]);
  });

  it("absorbs a late observation after release without emitting again, and forgets after the window", () => {
    const d = new Deduper<string>({ holdMs: 0, mergeWindowMs: 1000 });
    d.offer(key, "codec", 0, "a", 0);
    expect(d.drain(1)).toHaveLength(1);
    expect(d.offer(key, "transport", 5, "b", 5)).toBe("merged-late");
    expect(d.drain(6)).toEqual([]);
    expect(d.offer(dedupeKey("in", CALL_ACK), "codec", 7, "x", 7)).toBe("new");
    d.drain(2000);
    expect(d.offer(key, "comms-config", 2001, "c", 2001)).toBe("new");
  });

  it("stays bounded", () => {
    const d = new Deduper<number>({ holdMs: 0, maxEntries: 100, mergeWindowMs: 1e9 });
    for (let i = 0; i < 10_000; i++) {
      d.offer(`k${i}`, "codec", i, i, i);
      if (i % 10 === 0) d.drain(i);
    }
    d.drain(1e6);
    expect(d.size).toBeLessThanOrEqual(100);
    expect(d.pending).toBe(0);
  });
});

describe("Deduper ties", () => {
  it("lets the lower rank lead when two taps report the same (coarsened) time", () => {
    const d = new Deduper<string>({ holdMs: 0 });
    d.offer("k", "codec", 100, "codec", 100, 1);
    expect(d.offer("k", "transport", 100, "transport", 101, 0)).toBe("merged");
    d.offer("k", "comms-config", 100, "cc", 102, 2);
    expect(d.drain(200)[0]).toMatchObject({ tap: "transport", payload: "transport" });
  });
});
