/**
 * Rule checks over a whole capture session: every single-stanza check, every whole-call check,
 * and the few rules that need stanzas outside any call (unknown actions have no call-id).
 * Rule numbers as in ../shared/research/call-signalling.md §7 (see {@link RULES}).
 */
import { bareJid, jidServer } from "../codec/jid";
import { readStanza, type StanzaModel } from "../stanza/model";
import { buildCalls, type CallIndex } from "../trace/calls";
import type { CapturedStanza } from "../trace/types";
import { checkCall } from "./call";
import { rulePart } from "./catalogue";
import { checkStanza } from "./stanza";
import type { RuleFinding } from "./types";

/** The session-wide checks {@link checkSession} runs besides the stanza and call checks. */
export const SESSION_CHECKS: readonly { name: string; rule: number }[] = [
  { name: "inbound-acked", rule: 19 },
  { name: "unknown-action-ack-only", rule: 26 },
  { name: "terminate-call-id-not-stanza-id", rule: 43 },
];

/** Options of {@link checkSession}. */
export interface SessionCheckOptions {
  /** A `buildCalls` result for the same stanzas, to avoid building it again. */
  index?: CallIndex;
  /**
   * Whether this device's outbound acks and receipts are visible in the capture (e.g. false when
   * capture health reports worker-mode comms). Default: the session has at least one outbound
   * ack or receipt.
   */
  outboundAnswersObservable?: boolean;
}

interface Read {
  stanza: CapturedStanza;
  model: StanzaModel;
}

function finding(rule: number, check: string, f: Omit<RuleFinding, "rule" | "part" | "check">): RuleFinding {
  return { rule, part: rulePart(rule), check, ...f };
}

/**
 * This device's own JIDs (bare `user@server`) as the stream shows them: the `to` of received
 * `<call>` stanzas and the `from` of sent receipts and calls. `{call-id}@call` addresses are left out.
 */
export function ownJidsOf(stanzas: readonly CapturedStanza[]): string[] {
  const own = new Set<string>();
  for (const s of stanzas) {
    const n = s.node;
    if (!n) continue;
    const jid =
      s.direction === "in" && n.tag === "call"
        ? n.attrs.to
        : s.direction === "out" && (n.tag === "receipt" || n.tag === "call")
          ? n.attrs.from
          : undefined;
    if (jid && jidServer(jid) && jidServer(jid) !== "call") own.add(bareJid(jid));
  }
  return [...own];
}

/**
 * Runs every rule check on a capture session: single-stanza checks on each stanza, whole-call
 * checks on each call, and session-wide checks (rules 19 observability, 26, 43). Pure; never
 * throws. Stanzas without a node (capture errors) are skipped.
 * @param stanzas the captured stanzas of one session, any order.
 * @returns findings ordered by stanza `seq` (session-wide ones without `seq` first), then rule.
 */
export function checkSession(
  stanzas: readonly CapturedStanza[],
  options: SessionCheckOptions = {},
): RuleFinding[] {
  const out: RuleFinding[] = [];
  const sorted = [...stanzas].sort((a, b) => a.seq - b.seq);
  const reads: Read[] = [];
  for (const stanza of sorted) {
    if (!stanza.node) continue;
    reads.push({ stanza, model: readStanza(stanza.node) });
    out.push(...checkStanza(stanza.node, stanza.direction, stanza.seq));
  }

  const observable =
    options.outboundAnswersObservable ??
    reads.some((r) => r.stanza.direction === "out" && (r.model.kind === "ack" || r.model.kind === "receipt"));
  const inboundCalls = reads.filter((r) => r.stanza.direction === "in" && r.model.kind === "call").length;
  if (!observable && inboundCalls > 0)
    out.push(
      finding(19, "inbound-acked", {
        severity: "info",
        message:
          `no outbound <ack> or <receipt> in the whole capture (${inboundCalls} received <call>); this device's ` +
          "acks are probably not observable (e.g. WA Web worker mode), so rules 19 and 20 are not checked",
      }),
    );

  const index = options.index ?? buildCalls(sorted);
  const ownJids = ownJidsOf(sorted);
  for (const call of index.calls)
    out.push(...checkCall(call, { outboundAnswersObservable: observable, ownJids }));

  // Rule 26 (and 53): an unknown action gets the ack only: no receipt, no error.
  const inboundById = new Map<string, Read>();
  for (const r of reads) {
    const m = r.model;
    if (m.kind === "call" && r.stanza.direction === "in" && m.envelope.id !== undefined) {
      inboundById.set(m.envelope.id, r);
    }
    if (r.stanza.direction !== "out" || (m.kind !== "receipt" && m.kind !== "ack") || m.id === undefined)
      continue;
    const t = inboundById.get(m.id);
    if (t?.model.kind !== "call" || t.model.action?.known) continue;
    const what = t.model.action ? `<${t.model.action.action}>` : "no action child";
    if (m.kind === "receipt")
      out.push(
        finding(26, "unknown-action-ack-only", {
          severity: "violation",
          seq: r.stanza.seq,
          message: `receipt sent for a received <call> with ${what}; an unknown action gets the ack only`,
        }),
      );
    else if (m.error !== undefined)
      out.push(
        finding(26, "unknown-action-ack-only", {
          severity: "violation",
          seq: r.stanza.seq,
          message: `ack with error ${m.error} for a received <call> with ${what}; an unknown action must not fail`,
        }),
      );
  }

  // Rule 43: a terminate's call-id must be the call-id, not a stanza id.
  const stanzaIds = new Set<string>();
  const callIds = new Set<string>();
  for (const r of reads) {
    if (r.model.kind !== "call") continue;
    if (r.model.envelope.id !== undefined) stanzaIds.add(r.model.envelope.id);
    const a = r.model.action;
    if (a?.kind === "offer" && a.callId !== undefined) callIds.add(a.callId);
  }
  for (const r of reads) {
    const a = r.model.kind === "call" ? r.model.action : undefined;
    if (a?.kind !== "terminate" || a.callId === undefined) continue;
    if (stanzaIds.has(a.callId) && !callIds.has(a.callId))
      out.push(
        finding(43, "terminate-call-id-not-stanza-id", {
          severity: r.stanza.direction === "out" ? "violation" : "warning",
          seq: r.stanza.seq,
          callId: a.callId,
          message: `terminate call-id="${a.callId}" is the stanza id of a <call>, not an offer's call-id`,
        }),
      );
  }

  return out.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1) || a.rule - b.rule);
}
