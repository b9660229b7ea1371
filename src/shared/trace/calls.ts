/**
 * Groups a session's captured stanzas into calls and measures them: ack latency of
 * every stanza (paired on the stanza `id`, never on `call-id`), final state and reason.
 * A call that ended without an accept and without a reason has its state inferred from the
 * flow (who sent the terminate), and says so in `stateInferred`: real terminates carry no
 * reason (research real-captures.md), so "missed" and "cancelled" are then inferences.
 * Sources: ../shared/research/call-signalling.md §5 (pairing), §6 (flows); wacrg SIG-07,
 * SIG-12, SIG-14, SIG-16, SIG-17, SIG-18; ../shared/research/real-captures.md.
 */

import { parseJid } from "../codec/jid";
import { reasonInfo } from "../stanza/reasons";
import { type StanzaView, viewStanza } from "../stanza/view";
import type { CapturedStanza, Direction } from "./types";

/** Final state of a call as this device saw it. */
export type CallState =
  | "answered"
  | "missed"
  | "rejected"
  | "busy"
  | "cancelled"
  | "accepted-elsewhere"
  | "rejected-elsewhere"
  | "failed"
  | "ended"
  | "in-progress";

/** One stanza in a call's timeline. */
export interface TimelineEntry {
  stanza: CapturedStanza;
  view: StanzaView;
  /** Time since the call's first stanza, ms. */
  relMs: number;
  /**
   * For a `<call>` stanza with an id: the time until the ack answering it, ms
   * (outbound `<call id=X>` → inbound `<ack class="call" id=X>`, inbound `<call id=Y>` →
   * outbound `<ack id=Y>`). Undefined when no ack was captured.
   */
  ackLatencyMs?: number;
  /** For an inbound offer: time until this device's offer receipt, ms. */
  receiptDelayMs?: number;
  /** For an ack or receipt: the `seq` of the stanza it answers. */
  answersSeq?: number;
  /** The ack came before the stanza it answers (clock or capture-order anomaly). */
  negative?: boolean;
}

/** One call: every stanza sharing a `call-id`, plus the acks and receipts that answer them. */
export interface CallSummary {
  callId: string;
  callCreator?: string;
  /** `out` when this device sent the offer, `in` when it received it; undefined if no offer was seen. */
  direction?: Direction;
  /** The other party: the offer's `to` (outgoing) or `from` (incoming). */
  peer?: string;
  media?: "audio" | "video";
  /** Capture time of the first stanza, epoch ms. */
  startT: number;
  /** Capture time of the last stanza, epoch ms. */
  endT: number;
  durationMs: number;
  state: CallState;
  /**
   * Set when `state` was inferred from the flow, not stated by a reason: the basis in words,
   * e.g. "no accept and no reason; the callee's side ended it". Absent when a reason, an
   * accept or the action itself (reject) gives the state.
   */
  stateInferred?: string;
  /** The terminate or reject reason that ended the call, raw; absent when none was given. */
  reason?: string;
  /** The action that carried `reason` (`terminate` or `reject`). */
  reasonAction?: string;
  /** The offer's server (or local) ack latency, ms. */
  offerAckLatencyMs?: number;
  entries: TimelineEntry[];
}

/** The result of {@link buildCalls}. */
export interface CallIndex {
  calls: CallSummary[];
  /** Call-related stanzas that belong to no call (an ack or receipt whose stanza was not captured). */
  unpaired: TimelineEntry[];
  /** Stanzas that could not be read (capture errors). */
  errors: CapturedStanza[];
}

interface Item {
  stanza: CapturedStanza;
  view: StanzaView;
  callId?: string;
}

function opposite(d: Direction): Direction {
  return d === "in" ? "out" : "in";
}

/**
 * Groups captured stanzas into calls. Pure; stanzas are taken in `seq` order.
 * @param stanzas captured stanzas of one session (any order).
 * @returns calls sorted by start time, stanzas that belong to none, and unreadable ones.
 */
export function buildCalls(stanzas: readonly CapturedStanza[]): CallIndex {
  const sorted = [...stanzas].sort((a, b) => a.seq - b.seq);
  const items: Item[] = [];
  const errors: CapturedStanza[] = [];
  for (const stanza of sorted) {
    if (!stanza.node) {
      errors.push(stanza);
      continue;
    }
    const view = viewStanza(stanza.node);
    const callId = view.kind === "call" || view.kind === "receipt" ? view.callId : undefined;
    items.push({ stanza, view, callId });
  }

  // Call stanzas by (direction, stanza id), for pairing acks and receipts.
  const byStanzaId = new Map<string, Item[]>();
  for (const it of items) {
    if (it.view.kind === "call" && it.view.id) {
      const key = `${it.stanza.direction}|${it.view.id}`;
      const list = byStanzaId.get(key);
      if (list) list.push(it);
      else byStanzaId.set(key, [it]);
    }
  }

  const ackLatency = new Map<Item, { ms: number; negative: boolean }>();
  const receiptDelay = new Map<Item, number>();
  const answers = new Map<Item, Item>();
  for (const it of items) {
    const v = it.view;
    if (v.kind !== "ack" && v.kind !== "receipt") continue;
    if (v.kind === "ack" && v.ackClass !== "call") continue;
    if (!v.id) continue;
    const candidates = byStanzaId.get(`${opposite(it.stanza.direction)}|${v.id}`);
    if (!candidates) continue;
    // The latest stanza captured before the answer, else the first one.
    let target = candidates[0];
    for (const c of candidates) if (c.stanza.seq < it.stanza.seq) target = c;
    answers.set(it, target);
    if (v.kind === "ack" && !ackLatency.has(target)) {
      const ms = it.stanza.t - target.stanza.t;
      ackLatency.set(target, { ms, negative: ms < 0 });
    }
    if (v.kind === "receipt" && !receiptDelay.has(target))
      receiptDelay.set(target, it.stanza.t - target.stanza.t);
    if (!it.callId) it.callId = target.callId;
  }

  const groups = new Map<string, Item[]>();
  const unpairedItems: Item[] = [];
  for (const it of items) {
    if (!it.callId) {
      unpairedItems.push(it);
      continue;
    }
    const g = groups.get(it.callId);
    if (g) g.push(it);
    else groups.set(it.callId, [it]);
  }

  const seqOf = (it: Item | undefined) => it?.stanza.seq;
  const toEntry = (it: Item, startT: number): TimelineEntry => {
    const lat = ackLatency.get(it);
    const entry: TimelineEntry = { stanza: it.stanza, view: it.view, relMs: it.stanza.t - startT };
    if (lat) {
      entry.ackLatencyMs = lat.ms;
      if (lat.negative) entry.negative = true;
    }
    const rd = receiptDelay.get(it);
    if (rd !== undefined) entry.receiptDelayMs = rd;
    const ans = seqOf(answers.get(it));
    if (ans !== undefined) entry.answersSeq = ans;
    return entry;
  };

  const calls: CallSummary[] = [];
  for (const [callId, group] of groups) {
    const startT = group[0].stanza.t;
    const endT = group[group.length - 1].stanza.t;
    const entries = group.map((it) => toEntry(it, startT));
    calls.push(summarize(callId, entries, startT, endT));
  }
  calls.sort((a, b) => a.startT - b.startT);
  const unpaired = unpairedItems.map((it) => toEntry(it, it.stanza.t));
  return { calls, unpaired, errors };
}

function summarize(callId: string, entries: TimelineEntry[], startT: number, endT: number): CallSummary {
  const call: CallSummary = {
    callId,
    startT,
    endT,
    durationMs: endT - startT,
    state: "in-progress",
    entries,
  };
  let accepted = false;
  let offerSeen = false;
  let ended: Ending | undefined;
  for (const e of entries) {
    const v = e.view;
    if (v.kind !== "call") continue;
    if (v.callCreator && !call.callCreator) call.callCreator = v.callCreator;
    if (v.action === "offer" || v.action === "offer_notice") {
      if (!offerSeen) {
        offerSeen = true;
        // A bare offer wrapped in a synthetic <call> (published XML) has no known direction.
        if (e.stanza.synthetic === undefined) {
          call.direction = e.stanza.direction;
          call.peer = e.stanza.direction === "out" ? v.to : v.from;
        }
        call.media = v.media;
        if (e.ackLatencyMs !== undefined) call.offerAckLatencyMs = e.ackLatencyMs;
      }
    } else if (v.action === "accept") {
      accepted = true;
    } else if (v.action === "terminate" || v.action === "reject") {
      ended = {
        reason: v.reason,
        action: v.action,
        direction: e.stanza.direction,
        synthetic: e.stanza.synthetic !== undefined,
        from: v.from,
        callCreator: v.callCreator,
      };
    }
  }
  if (ended) {
    call.reason = ended.reason;
    call.reasonAction = ended.action;
    const final = finalState(ended, accepted, call.direction);
    call.state = final.state;
    if (final.inferred) call.stateInferred = final.inferred;
  } else if (accepted) {
    call.state = "in-progress";
  }
  return call;
}

/** The terminate or reject that ended a call. */
interface Ending {
  reason?: string;
  action: string;
  direction: Direction;
  /** Its `<call>` wrapper is synthetic: direction and `from` are unknown. */
  synthetic: boolean;
  from?: string;
  callCreator?: string;
}

/** Basis of an inferred cancel: the caller ended a call nobody accepted, without a reason. */
export const INFERRED_BY_CALLER =
  "no accept and no reason; the caller ended the call (a hang-up and giving up after ringing look alike on the wire)";
/** Basis of an inferred miss: the callee's side ended a call nobody accepted, without a reason. */
export const INFERRED_BY_CALLEE = "no accept and no reason; the callee's side ended it";

function bare(jid: string): string {
  const j = parseJid(jid);
  return j ? `${j.user}@${j.server}` : jid;
}

/**
 * Whether the caller sent the ending stanza: by direction when the offer's direction is known
 * and the ending's wrapper is real; else by its `from` against its `call-creator` (the caller's
 * own terminate has `call-creator` equal to the sender, research real-captures.md).
 * @returns `undefined` when neither tells.
 */
function endedByCaller(ended: Ending, callDirection: Direction | undefined): boolean | undefined {
  if (callDirection !== undefined && !ended.synthetic) return ended.direction === callDirection;
  if (ended.synthetic || ended.from === undefined || ended.callCreator === undefined) return undefined;
  return bare(ended.from) === bare(ended.callCreator);
}

function finalState(
  ended: Ending,
  accepted: boolean,
  callDirection: Direction | undefined,
): { state: CallState; inferred?: string } {
  const reason =
    ended.reason === undefined ? undefined : (reasonInfo(ended.reason)?.canonical ?? ended.reason);
  if (reason === "accept_elsewhere") return { state: "accepted-elsewhere" };
  if (reason === "reject_elsewhere") return { state: "rejected-elsewhere" };
  if (reason === "busy") return { state: "busy" };
  if (ended.action === "reject" || reason === "declined") return { state: "rejected" };
  if (accepted) return { state: reason === "connection_lost" ? "failed" : "answered" };
  if (reason === "timeout") return { state: "missed" };
  if (reason === "connection_lost") return { state: "failed" };
  if (reason === "cancelled") return { state: "cancelled" };
  // No answer, no reason: inferred from who ended it. The caller ending its own call is a
  // cancel (SIG-17 rule 69); the callee's side ending it is a miss.
  if (reason === undefined) {
    const byCaller = endedByCaller(ended, callDirection);
    if (byCaller === true) return { state: "cancelled", inferred: INFERRED_BY_CALLER };
    if (byCaller === false) return { state: "missed", inferred: INFERRED_BY_CALLEE };
  }
  return { state: "ended" };
}

/** Words for a call state, as the panel and the CLI show them. */
export const CALL_STATE_LABEL: Record<CallState, string> = {
  answered: "answered",
  missed: "missed",
  rejected: "rejected",
  busy: "busy",
  cancelled: "cancelled",
  "accepted-elsewhere": "accepted elsewhere",
  "rejected-elsewhere": "rejected elsewhere",
  failed: "failed",
  ended: "ended",
  "in-progress": "in progress",
};

/** How an inferred state is marked where a state is shown: `missed (inferred)`. */
export const INFERRED_MARK = "(inferred)";

/**
 * A call's state as the panel, the CLI and the exports show it: its label, with
 * `(inferred)` when it was inferred from the flow (`call.stateInferred` says why).
 */
export function callStateText(call: Pick<CallSummary, "state" | "stateInferred">): string {
  const label = CALL_STATE_LABEL[call.state];
  return call.stateInferred ? `${label} ${INFERRED_MARK}` : label;
}

/**
 * The ending reason as shown: the raw value, `""` for an empty one, and the plain words
 * `no reason given` when the terminate or reject had none.
 * @returns `undefined` when the call has no ending stanza.
 */
export function callReasonText(call: Pick<CallSummary, "reason" | "reasonAction">): string | undefined {
  if (!call.reasonAction) return undefined;
  if (call.reason === undefined) return "no reason given";
  return call.reason === "" ? '""' : call.reason;
}
