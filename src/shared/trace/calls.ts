/**
 * Groups a session's captured stanzas into calls and measures them: ack latency of
 * every stanza (paired on the stanza `id`, never on `call-id`), final state and reason.
 * Sources: ../shared/research/call-signalling.md §5 (pairing), §6 (flows); wacrg SIG-07,
 * SIG-12, SIG-14, SIG-16, SIG-17, SIG-18.
 */
import { type StanzaView, viewStanza } from "../stanza/call";
import { reasonInfo } from "../stanza/reasons";
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
  /** The terminate or reject reason that ended the call, raw. */
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
  let ended: { reason?: string; action: string; direction: Direction } | undefined;
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
      ended = { reason: v.reason, action: v.action, direction: e.stanza.direction };
    }
  }
  if (ended) {
    call.reason = ended.reason;
    call.reasonAction = ended.action;
    call.state = finalState(ended, accepted, call.direction);
  } else if (accepted) {
    call.state = "in-progress";
  }
  return call;
}

function finalState(
  ended: { reason?: string; action: string; direction: Direction },
  accepted: boolean,
  callDirection: Direction | undefined,
): CallState {
  const reason =
    ended.reason === undefined ? undefined : (reasonInfo(ended.reason)?.canonical ?? ended.reason);
  if (reason === "accept_elsewhere") return "accepted-elsewhere";
  if (reason === "reject_elsewhere") return "rejected-elsewhere";
  if (reason === "busy") return "busy";
  if (ended.action === "reject" || reason === "declined") return "rejected";
  if (accepted) return reason === "connection_lost" ? "failed" : "answered";
  if (reason === "timeout") return "missed";
  if (reason === "connection_lost") return "failed";
  if (reason === "cancelled") return "cancelled";
  // No answer, no reason: the caller ending its own call is a cancel (SIG-17 rule 69).
  if (reason === undefined && callDirection !== undefined) {
    const byCaller = ended.direction === callDirection;
    return byCaller ? "cancelled" : "missed";
  }
  return "ended";
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
