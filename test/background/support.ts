/** Helpers of the background tests. */
import { memoryPersistence } from "../../src/background/session";
import { SessionStore } from "../../src/background/store";
import type { PanelMessage } from "../../src/shared/protocol/messages";
import type { CapturedStanzaDraft } from "../../src/shared/trace/types";

/** An inbound `<call id=t>` draft captured at `t`. */
export const draft = (t: number): CapturedStanzaDraft => ({
  direction: "in",
  t,
  tap: "comms-config",
  node: { tag: "call", attrs: { id: String(t) } },
});

/** The `seq`s of the stanzas in `messages` (backlog, chunks and live), in order. */
export function stanzaSeqs(messages: PanelMessage[]): number[] {
  const out: number[] = [];
  for (const m of messages) {
    if (m.type === "backlog" || m.type === "backlog-chunk" || m.type === "stanzas")
      out.push(...m.stanzas.map((s) => s.seq));
    if (m.type === "stanza") out.push(m.stanza.seq);
  }
  return out;
}

/** A store (in memory) whose tab 1 holds `n` stanzas, `draft(0)` … `draft(n - 1)`, all stored. */
export async function storeWithStanzas(n: number): Promise<SessionStore> {
  const store = new SessionStore(memoryPersistence());
  for (let i = 0; i < n; i++) void store.receive(1, { type: "stanza", stanza: draft(i) });
  await store.settled(1);
  return store;
}
