/** Helpers of the background tests. */
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
