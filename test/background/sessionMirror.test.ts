import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryPersistence, newSession } from "../../src/background/session";
import { withMirror } from "../../src/background/sessionMirror";
import { draft } from "./support";

/** A storage area that records its calls. */
function area() {
  const sets: Record<string, unknown>[] = [];
  const removed: string[] = [];
  return {
    sets,
    removed,
    set: async (items: Record<string, unknown>) => {
      sets.push(items);
    },
    remove: async (key: string) => {
      removed.push(key);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("session mirror", () => {
  it("copies committed sessions once per delay, with only the latest stanzas", async () => {
    vi.useFakeTimers();
    const a = area();
    const p = withMirror(memoryPersistence(), a);
    const big = newSession(1, 50_000);
    big.stanzas = Array.from({ length: 600 }, (_, seq) => ({ ...draft(seq), seq }));
    await p.commit({ session: big, added: big.stanzas });
    await p.commit({ session: newSession(2, 50_000), added: [] });
    expect(a.sets).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(a.sets).toHaveLength(1);
    const copy = a.sets[0]["session:1"] as { stanzas: { seq: number }[]; mirrorTruncated: boolean };
    expect(copy.mirrorTruncated).toBe(true);
    expect(copy.stanzas.map((s) => s.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 100));
    expect(a.sets[0]["session:2"]).toMatchObject({ tabId: 2, mirrorTruncated: false });
  });

  it("removes a forgotten tab's copy, and does not write one still pending", async () => {
    vi.useFakeTimers();
    const a = area();
    const inner = memoryPersistence();
    const p = withMirror(inner, a);
    await p.commit({ session: newSession(3, 100), added: [] });
    p.remove(3);
    vi.advanceTimersByTime(500);
    expect(a.removed).toEqual(["session:3"]);
    expect(a.sets).toEqual([{}]);
    expect(inner.data.has(3)).toBe(false);
  });
});
