import { describe, expect, it } from "vitest";
import { memoryPersistence } from "../../src/background/session";
import { SessionStore } from "../../src/background/store";
import type { CapturedStanzaDraft } from "../../src/shared/trace/types";
import { tappedWorker } from "../shared/capture/support";

describe("session store with deep capture", () => {
  /** A store on a manual clock; `advance` fires due timers. */
  function manualStore() {
    let now = 0;
    const timers: { at: number; fn: () => void; live: boolean }[] = [];
    const store = new SessionStore(memoryPersistence(), undefined, {
      now: () => now,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return t as unknown as ReturnType<typeof setTimeout>;
      },
      clearTimer: (t) => {
        (t as unknown as { live: boolean }).live = false;
      },
      mergeHoldMs: 300,
    });
    const advance = async (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => x.live && x.at <= now)) {
        t.live = false;
        t.fn();
      }
      await store.settled(1);
    };
    return { store, advance };
  }
  const offer = (id: string, tap: CapturedStanzaDraft["tap"], t: number): CapturedStanzaDraft => ({
    direction: "out",
    t,
    tap,
    node: { tag: "call", attrs: { id }, content: [{ tag: "offer", attrs: {} }] },
  });
  const on = { state: "on" as const, workers: [] };

  it("stores a stanza seen by the page and the worker once, with every tap", async () => {
    const { store } = manualStore();
    await store.setDeepCapture(1, on);
    void store.receive(1, { type: "stanza", stanza: offer("A", "codec", 10) });
    await store.receive(1, { type: "stanza", stanza: offer("A", "worker:transport", 12) }, "worker");
    await store.settled(1);
    const s = await store.get(1);
    expect(s.stanzas).toHaveLength(1);
    expect(s.stanzas[0]).toMatchObject({ t: 12, tap: "codec", seenBy: ["codec", "worker:transport"] });
    expect(s.health.deepCapture).toMatchObject({ state: "on" });
  });

  it("holds a one-context stanza for the merge window only while deep capture is on", async () => {
    const { store, advance } = manualStore();
    await store.receive(1, { type: "stanza", stanza: offer("A", "codec", 1) });
    expect((await store.get(1)).stanzas).toHaveLength(1); // off: no hold
    await store.setDeepCapture(1, on);
    void store.receive(1, { type: "stanza", stanza: offer("B", "worker:transport", 2) }, "worker");
    await advance(100);
    expect((await store.get(1)).stanzas).toHaveLength(1);
    await advance(250);
    expect((await store.get(1)).stanzas.map((x) => x.node?.attrs.id)).toEqual(["A", "B"]);
    // Switching off releases what is held at once.
    void store.receive(1, { type: "stanza", stanza: offer("C", "codec", 3) });
    await store.setDeepCapture(1, { state: "off", workers: [] });
    expect((await store.get(1)).stanzas.map((x) => x.node?.attrs.id)).toEqual(["A", "B", "C"]);
  });

  it("keeps deep capture's state across the page's health and a reload, and derives hints from both", async () => {
    const { store } = manualStore();
    const page = {
      taps: [{ name: "codec" as const, installed: true, live: true }],
      seenByTag: { iq: 2 },
      forwarded: 0,
      filtered: 2,
      errors: 0,
      commsMode: "worker" as const,
    };
    await store.receive(1, { type: "health", health: page });
    expect((await store.get(1)).health.emptyReason?.message).toMatch(
      /^comms run in a worker: enable deep capture/,
    );
    const worker = tappedWorker({ seenByTag: { call: 1 }, forwarded: 1 });
    await store.setDeepCapture(1, { state: "on", workers: [worker] });
    await store.receive(1, { type: "health", health: page });
    let h = (await store.get(1)).health;
    expect(h.deepCapture?.workers).toHaveLength(1);
    expect(h.emptyReason).toBeUndefined();
    expect(h.limitations ?? []).toEqual([]);
    await store.receive(1, { type: "hello", url: "https://web.whatsapp.com/", t: 5 });
    h = (await store.get(1)).health;
    expect(h.deepCapture?.state).toBe("on");
    expect(h.taps).toEqual([]);
  });
});
