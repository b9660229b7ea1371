import { describe, expect, it } from "vitest";
import {
  asWorkerDraft,
  ContextMerger,
  draftKey,
  mergeDrafts,
  workerTapName,
} from "../../../src/shared/capture/contexts";
import type { CapturedStanzaDraft, Direction } from "../../../src/shared/trace/types";

const call = (id: string, direction: Direction, t: number, extra: Partial<CapturedStanzaDraft> = {}) =>
  ({
    direction,
    t,
    tap: "codec",
    node: { tag: "call", attrs: { id, to: "123@s.whatsapp.net" }, content: [{ tag: "offer", attrs: {} }] },
    ...extra,
  }) as CapturedStanzaDraft;

const inWorker = (d: CapturedStanzaDraft) =>
  asWorkerDraft({
    ...d,
    tap: "transport",
    seenBy: ["transport", "comms-config"],
    seenAt: { transport: d.t, "comms-config": d.t + 2 },
  });

describe("worker drafts", () => {
  it("prefixes every tap name once", () => {
    expect(workerTapName("codec")).toBe("worker:codec");
    expect(workerTapName("worker:codec")).toBe("worker:codec");
    const d = inWorker(call("A", "in", 100));
    expect(d.tap).toBe("worker:transport");
    expect(d.seenBy).toEqual(["worker:transport", "worker:comms-config"]);
    expect(d.seenAt).toEqual({ "worker:transport": 100, "worker:comms-config": 102 });
  });

  it("keys by direction, tag, id and content, not by tap or time", () => {
    expect(draftKey(call("A", "in", 1))).toBe(draftKey(inWorker(call("A", "in", 50))));
    expect(draftKey(call("A", "in", 1))).not.toBe(draftKey(call("A", "out", 1)));
    expect(draftKey(call("A", "in", 1))).not.toBe(draftKey(call("B", "in", 1)));
    const other = call("A", "in", 1);
    other.node = { tag: "call", attrs: { id: "A" }, content: [{ tag: "terminate", attrs: {} }] };
    expect(draftKey(call("A", "in", 1))).not.toBe(draftKey(other));
  });

  it("merges to the time nearest the wire: earliest for in, latest for out", () => {
    const pageIn = call("A", "in", 105);
    const m = mergeDrafts(pageIn, inWorker(call("A", "in", 100)));
    expect(m.t).toBe(100);
    expect(m.tap).toBe("worker:transport");
    expect(m.seenBy).toEqual(["worker:transport", "worker:comms-config", "codec"]);
    const out = mergeDrafts(call("B", "out", 200), inWorker(call("B", "out", 203)));
    expect(out.t).toBe(203); // the later draft's own time (each context already chose its wire-nearest)
  });
});

describe("context merger", () => {
  it("waits past the hold while the worker's stream lags, then merges its late copy", () => {
    const m = new ContextMerger({ holdMs: 300, maxHoldMs: 3000 });
    m.offer(inWorker(call("W0", "in", 1000)), "worker", 0); // the worker's stream is at t=1000
    m.drain(0, true);
    m.offer(call("A", "in", 1105), "page", 10);
    // 400 ms later the worker has not sent anything captured after 1105: keep waiting.
    expect(m.drain(410)).toEqual([]);
    expect(m.nextDue).toBe(10 + 3000);
    m.offer(inWorker(call("A", "in", 1100)), "worker", 800);
    const out = m.drain(800);
    expect(out.map((d) => [d.node?.attrs.id, d.seenBy?.includes("worker:transport")])).toEqual([["A", true]]);
    expect(m.counts).toEqual({ merged: 1, late: 0 });
  });

  it("releases a page-only stanza once the worker's stream has passed it, or at most after maxHoldMs", () => {
    const m = new ContextMerger({ holdMs: 300, maxHoldMs: 3000 });
    m.offer(inWorker(call("W0", "in", 1000)), "worker", 0);
    m.drain(0, true);
    m.offer(call("P", "out", 1200), "page", 10);
    expect(m.drain(400)).toEqual([]);
    m.offer(inWorker(call("W1", "in", 1250)), "worker", 450); // the worker is past 1200
    // The worker's own stanza waits only the hold (the page sees a subset of the wire).
    expect(m.drain(450).map((d) => d.node?.attrs.id)).toEqual(["P"]);
    expect(m.drain(750).map((d) => d.node?.attrs.id)).toEqual(["W1"]);
    // A worker that went quiet holds a page draft no longer than maxHoldMs.
    m.offer(call("Q", "out", 5000), "page", 500);
    expect(m.drain(3400)).toEqual([]);
    expect(m.drain(3500).map((d) => d.node?.attrs.id)).toEqual(["Q"]);
  });

  it("stores a stanza seen by page and worker once, released as soon as both saw it", () => {
    const m = new ContextMerger({ holdMs: 300 });
    expect(m.offer(call("A", "in", 105), "page", 0)).toBe("new");
    expect(m.drain(10)).toEqual([]);
    expect(m.offer(inWorker(call("A", "in", 100)), "worker", 20)).toBe("merged");
    const out = m.drain(20);
    expect(out).toHaveLength(1);
    expect(out[0].seenBy).toContain("codec");
    expect(out[0].seenBy).toContain("worker:transport");
    expect(m.counts).toEqual({ merged: 1, late: 0 });
  });

  it("holds a stanza seen in one context for holdMs, in arrival order", () => {
    const m = new ContextMerger({ holdMs: 300 });
    m.offer(inWorker(call("ACK1", "in", 1)), "worker", 0);
    m.offer(call("B", "out", 2), "page", 10);
    m.offer(inWorker(call("B", "out", 3)), "worker", 12);
    // B is complete but waits behind ACK1 (arrival order).
    expect(m.drain(100)).toEqual([]);
    expect(m.nextDue).toBe(300);
    const out = m.drain(300);
    expect(out.map((d) => d.node?.attrs.id)).toEqual(["ACK1", "B"]);
    expect(m.waiting).toBe(0);
    expect(m.nextDue).toBeUndefined();
  });

  it("drops a copy that arrives after its stanza was released, and counts it", () => {
    const m = new ContextMerger({ holdMs: 100, lateWindowMs: 1000 });
    m.offer(call("A", "in", 5), "page", 0);
    expect(m.drain(100)).toHaveLength(1);
    expect(m.offer(inWorker(call("A", "in", 1)), "worker", 150)).toBe("late");
    expect(m.drain(1000, true)).toEqual([]);
    expect(m.counts.late).toBe(1);
    // Past the window it is a new stanza again.
    expect(m.offer(inWorker(call("A", "in", 1)), "worker", 5000)).toBe("new");
  });

  it("keeps a repeat from the same context as its own entry (a real re-send)", () => {
    const m = new ContextMerger({ holdMs: 100 });
    m.offer(call("A", "out", 1), "page", 0);
    m.offer(call("A", "out", 2), "page", 1);
    m.offer(inWorker(call("A", "out", 3)), "worker", 2);
    const out = m.drain(200);
    expect(out).toHaveLength(2);
    expect(out[0].seenBy?.some((t) => t.startsWith("worker:"))).toBe(true);
    // The repeat went through unchanged: only the page saw it.
    expect(out[1]).toEqual(call("A", "out", 2));
  });

  it("merges unreadable stanzas on their error, and releases everything with all", () => {
    const m = new ContextMerger();
    const bad = (tap: "codec" | "worker:transport"): CapturedStanzaDraft => ({
      direction: "in",
      t: 1,
      tap,
      error: { message: "unexpected end", hex: "f8" },
    });
    m.offer(bad("codec"), "page", 0);
    expect(m.offer(bad("worker:transport"), "worker", 1)).toBe("merged");
    const out = m.drain(2, true);
    expect(out).toHaveLength(1);
    expect(out[0].error?.message).toBe("unexpected end");
  });
});
