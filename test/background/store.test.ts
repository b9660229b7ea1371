import { describe, expect, it } from "vitest";
import { type SessionPersistence, SessionStore, type TabSession } from "../../src/background/store";
import type { PanelMessage } from "../../src/shared/protocol/messages";
import type { CapturedStanzaDraft } from "../../src/shared/trace/types";

function memoryPersistence() {
  const data = new Map<number, TabSession>();
  const p: SessionPersistence = {
    load: async (id) => (data.has(id) ? structuredClone(data.get(id)) : undefined),
    save: (s) => data.set(s.tabId, structuredClone(s)),
    remove: (id) => data.delete(id),
  };
  return { p, data };
}

const draft = (t: number): CapturedStanzaDraft => ({
  direction: "in",
  t,
  tap: "comms-config",
  node: { tag: "call", attrs: { id: String(t) } },
});

describe("session store", () => {
  it("gives a late subscriber the backlog, then live stanzas, per tab", async () => {
    const { p } = memoryPersistence();
    const store = new SessionStore(p);
    await store.addStanza(1, draft(10));
    await store.addStanza(2, draft(20));
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    await store.addStanza(1, draft(11));
    await store.addStanza(2, draft(21));
    expect(got.map((m) => m.type)).toEqual(["backlog", "stanza"]);
    expect(got[0].type === "backlog" && got[0].stanzas.map((s) => s.seq)).toEqual([0]);
    expect(got[1].type === "stanza" && got[1].stanza.seq).toBe(1);
  });

  it("restores a session after a worker restart", async () => {
    const { p } = memoryPersistence();
    const first = new SessionStore(p);
    await first.addStanza(5, draft(1));
    await first.addStanza(5, draft(2));
    const restarted = new SessionStore(p);
    await restarted.addStanza(5, draft(3));
    const s = await restarted.get(5);
    expect(s.stanzas.map((x) => x.seq)).toEqual([0, 1, 2]);
  });

  it("counts what the cap drops instead of cutting silently", async () => {
    const { p } = memoryPersistence();
    const store = new SessionStore(p, 3);
    for (let i = 0; i < 5; i++) await store.addStanza(1, draft(i));
    const s = await store.get(1);
    expect(s.stanzas.map((x) => x.seq)).toEqual([2, 3, 4]);
    expect(s.dropped).toBe(2);
  });

  it("clears on reload and tells subscribers", async () => {
    const { p } = memoryPersistence();
    const store = new SessionStore(p);
    await store.addStanza(1, draft(1));
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    await store.clear(1, "reload");
    expect(got.at(-1)).toEqual({ type: "cleared", reason: "reload" });
    expect((await store.get(1)).stanzas).toEqual([]);
  });
});
