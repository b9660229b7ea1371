/**
 * On-screen names of peers: the JID itself, or with pseudonyms on, `A`, `B`, … assigned in call
 * start order and stable for the session (a new table after a clear).
 */
import { useCallback, useMemo, useRef } from "preact/hooks";
import type { CallSummary } from "../../shared/trace/calls";
import { Pseudonyms } from "../../shared/view/pseudonym";

/** What {@link usePseudonyms} returns; every function keeps its identity until `on` or the session changes. */
export interface PeerNames {
  /** The call list's peer column: the peer (else the call creator), `?` if neither is known. */
  peerLabel(c: CallSummary): string;
  /** A JID as shown (`""` for none). */
  jidLabel(jid: string | undefined): string;
  /** The ladder's lane label, or `undefined` when JIDs are shown as they are. */
  ladderLabel?: (jid: string) => string;
}

/**
 * The panel's peer names.
 * @param calls the session's calls in start order (pseudonyms are assigned in this order).
 * @param session changes when the session starts over: the pseudonym table is new then.
 * @param on whether pseudonyms are shown.
 */
export function usePseudonyms(calls: readonly CallSummary[], session: string, on: boolean): PeerNames {
  const table = useRef<{ session: string; pseudonyms: Pseudonyms; assigned: number } | null>(null);
  if (table.current?.session !== session)
    table.current = { session, pseudonyms: new Pseudonyms(), assigned: 0 };
  const t = table.current;
  // Stable pseudonyms: assigned in call start order, whether shown or not.
  for (const c of calls.slice(t.assigned)) {
    const p = c.peer ?? c.callCreator;
    if (p) t.pseudonyms.user(p);
  }
  t.assigned = calls.length;
  const pseudonyms = t.pseudonyms;

  const peerLabel = useCallback(
    (c: CallSummary) => {
      const p = c.peer ?? c.callCreator;
      if (!p) return "?";
      return on ? pseudonyms.label(p) : p;
    },
    [on, pseudonyms],
  );
  const jidLabel = useCallback(
    (jid: string | undefined) => (jid === undefined ? "" : on ? pseudonyms.label(jid) : jid),
    [on, pseudonyms],
  );
  const ladderLabel = useMemo(() => (on ? (j: string) => pseudonyms.label(j) : undefined), [on, pseudonyms]);
  return { peerLabel, jidLabel, ladderLabel };
}
