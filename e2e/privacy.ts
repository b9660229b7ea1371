/**
 * The privacy check of the end-to-end tests: every stanza that reached the extension is a call
 * stanza (`<call>`, `<ack class="call">`, the offer `<receipt>`, or a receipt of a call stanza's
 * id) and readable; nothing else left the page or the worker (README, Privacy).
 */
import { expect } from "vitest";
import type { CapturedStanza } from "../src/shared/trace/types";

/** Asserts that only call-related stanzas are in `stanzas` (what the extension captured). */
export function expectOnlyCallStanzas(stanzas: readonly CapturedStanza[]): void {
  const callStanzaIds = new Set(stanzas.filter((s) => s.node?.tag === "call").map((s) => s.node?.attrs.id));
  for (const s of stanzas) {
    const n = s.node;
    expect(n, `stanza #${s.seq} unreadable: ${s.error?.message}`).toBeDefined();
    if (!n) continue;
    const ok =
      n.tag === "call" ||
      (n.tag === "ack" && n.attrs.class === "call") ||
      (n.tag === "receipt" &&
        ((Array.isArray(n.content) && n.content[0]?.tag === "offer") || callStanzaIds.has(n.attrs.id)));
    expect(ok, `non-call stanza reached the extension: <${n.tag} ${JSON.stringify(n.attrs)}>`).toBe(true);
  }
}
