import { describe, expect, it } from "vitest";
import { memoryPersistence, type SessionChange, type SessionPersistence } from "../../src/background/session";
import { SessionStore } from "../../src/background/store";
import type { PanelMessage } from "../../src/shared/protocol/messages";
import type { CapturedStanzaDraft } from "../../src/shared/trace/types";
import { draft, stanzaSeqs } from "./support";

describe("session store", () => {
  it("gives a late subscriber the backlog, then live stanzas, per tab", async () => {
    const store = new SessionStore(memoryPersistence());
    await store.addStanza(1, draft(10));
    await store.addStanza(2, draft(20));
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    await store.addStanza(1, draft(11));
    await store.addStanza(2, draft(21));
    expect(got.map((m) => m.type)).toEqual(["backlog", "stanzas"]);
    expect(stanzaSeqs(got)).toEqual([0, 1]);
  });

  it("restores a session after a worker restart", async () => {
    const p = memoryPersistence();
    const first = new SessionStore(p);
    await first.addStanza(5, draft(1));
    await first.addStanza(5, draft(2));
    const restarted = new SessionStore(p);
    await restarted.addStanza(5, draft(3));
    const s = await restarted.get(5);
    expect(s.stanzas.map((x) => x.seq)).toEqual([0, 1, 2]);
    expect(p.data.get(5)?.stanzas.map((x) => x.seq)).toEqual([0, 1, 2]);
  });

  it("groups stanzas that arrive during a write into one batch, and shows them only once stored", async () => {
    const inner = memoryPersistence();
    const commits: SessionChange[] = [];
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: SessionPersistence = {
      load: inner.load,
      remove: inner.remove,
      async commit(c) {
        commits.push(c);
        await gate;
        await inner.commit(c);
      },
    };
    const store = new SessionStore(slow);
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    const first = store.receive(1, { type: "stanza", stanza: draft(1) });
    await Promise.resolve();
    await Promise.resolve();
    for (let t = 2; t <= 5; t++) void store.receive(1, { type: "stanza", stanza: draft(t) });
    expect(stanzaSeqs(got)).toEqual([]); // nothing shown before it is durable
    release();
    await first;
    gate = Promise.resolve();
    await store.settled(1);
    expect(commits.map((c) => c.added.length)).toEqual([1, 4]);
    expect(stanzaSeqs(got)).toEqual([0, 1, 2, 3, 4]);
    expect(inner.data.get(1)?.stanzas).toHaveLength(5);
  });

  it("keeps message order: stanzas after a reload's hello are not cleared with it", async () => {
    const store = new SessionStore(memoryPersistence());
    void store.receive(1, { type: "stanza", stanza: draft(1) });
    void store.receive(1, { type: "hello", url: "https://web.whatsapp.com/", t: 2 });
    void store.receive(1, { type: "stanza", stanza: draft(3) });
    await store.settled(1);
    expect((await store.get(1)).stanzas.map((s) => s.t)).toEqual([3]);
  });

  it("counts what the cap drops instead of cutting silently, and applies a new cap at once", async () => {
    const p = memoryPersistence();
    const store = new SessionStore(p, 3);
    for (let i = 0; i < 5; i++) await store.addStanza(1, draft(i));
    const s = await store.get(1);
    expect(s.stanzas.map((x) => x.seq)).toEqual([2, 3, 4]);
    expect(s.dropped).toBe(2);
    expect(p.data.get(1)?.stanzas.map((x) => x.seq)).toEqual([2, 3, 4]);
    await store.setCap(1, 100);
    for (let i = 0; i < 200; i++) void store.receive(1, { type: "stanza", stanza: draft(i) });
    await store.settled(1);
    expect((await store.get(1)).stanzas).toHaveLength(100);
    expect((await store.get(1)).dropped).toBe(105);
    expect(p.data.get(1)?.stanzas).toHaveLength(100);
  });

  it("clears on reload and tells subscribers, unless Preserve log is on", async () => {
    const store = new SessionStore(memoryPersistence());
    await store.addStanza(1, draft(1));
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    await store.receive(1, { type: "hello", url: "https://web.whatsapp.com/", t: 5 });
    expect(got.at(-1)).toEqual({ type: "cleared", reason: "reload" });
    expect((await store.get(1)).stanzas).toEqual([]);

    await store.setPreserveLog(1, true);
    await store.addStanza(1, draft(2));
    await store.receive(1, { type: "hello", url: "https://web.whatsapp.com/", t: 9 });
    const s = await store.get(1);
    expect(s.stanzas.map((x) => x.t)).toEqual([2]);
    expect(s.marks).toEqual([{ seq: 2, t: 9, url: "https://web.whatsapp.com/" }]);
    expect(got.some((m) => m.type === "navigated")).toBe(true);
    expect(got.some((m) => m.type === "settings" && m.settings.preserveLog)).toBe(true);
  });

  it("keeps the Preserve log setting across a worker restart", async () => {
    const p = memoryPersistence();
    await new SessionStore(p).setPreserveLog(7, true);
    const restarted = new SessionStore(p);
    expect((await restarted.get(7)).settings?.preserveLog).toBe(true);
  });
});

describe("session store: relay numbers", () => {
  const call = (id: string): CapturedStanzaDraft => ({
    direction: "out",
    t: 1,
    tap: "codec",
    node: { tag: "call", attrs: { id }, content: [{ tag: "offer", attrs: {} }] },
  });

  it("acknowledges only what is durable, and skips what a reconnecting relay sends again", async () => {
    const persistence = memoryPersistence();
    const store = new SessionStore(persistence);
    const acks: number[] = [];
    store.onDurable = (_tab, mark) => acks.push(mark.seq);
    await store.get(1);
    for (const [seq, id] of [
      [1, "A"],
      [2, "B"],
    ] as const) {
      expect(store.acceptRelayed(1, "R", seq)).toBe(true);
      void store.receive(1, { type: "stanza", stanza: call(id) }, "page", { id: "R", seq });
    }
    await store.settled(1);
    expect(acks.at(-1)).toBe(2);
    expect(persistence.data.get(1)?.relay).toEqual({ id: "R", seq: 2 });

    // A new worker (a fresh store on the same storage) gets 2 and 3 again: 2 is skipped.
    const after = new SessionStore(persistence);
    await after.get(1);
    expect(after.durableMark(1)).toEqual({ id: "R", seq: 2 });
    expect(after.acceptRelayed(1, "R", 2)).toBe(false);
    expect(after.acceptRelayed(1, "R", 3)).toBe(true);
    await after.receive(1, { type: "stanza", stanza: call("C") }, "page", { id: "R", seq: 3 });
    await after.settled(1);
    expect((await after.get(1)).stanzas.map((s) => s.node?.attrs.id)).toEqual(["A", "B", "C"]);
    // A new page load is a new relay: its numbers start again.
    expect(after.acceptRelayed(1, "R2", 1)).toBe(true);
  });

  it("does not acknowledge a page stanza the deep-capture merge still holds", async () => {
    let now = 0;
    const timers: (() => void)[] = [];
    const persistence = memoryPersistence();
    const store = new SessionStore(persistence, undefined, {
      now: () => now,
      setTimer: (fn) => {
        timers.push(fn);
        return timers.length as unknown as ReturnType<typeof setTimeout>;
      },
      clearTimer: () => undefined,
    });
    const acks: number[] = [];
    store.onDurable = (_tab, mark) => acks.push(mark.seq);
    await store.setDeepCapture(1, { state: "on", workers: [] });
    void store.receive(1, { type: "stanza", stanza: call("A") }, "page", { id: "R", seq: 1 });
    const health = { taps: [], seenByTag: {}, forwarded: 1, filtered: 0, errors: 0 };
    await store.receive(1, { type: "health", health }, "page", { id: "R", seq: 2 });
    // The health is durable, but stanza 1 waits in the merge: nothing acknowledged past 0.
    expect(persistence.data.get(1)?.relay).toEqual({ id: "R", seq: 0 });
    now = 400;
    for (const t of timers.splice(0)) t();
    await store.settled(1);
    expect(persistence.data.get(1)?.stanzas).toHaveLength(1);
    expect(persistence.data.get(1)?.relay).toEqual({ id: "R", seq: 2 });
    expect(acks.at(-1)).toBe(2);
  });
});
