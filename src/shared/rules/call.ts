/**
 * Whole-call rule checks: what the sequence of one call's stanzas shows (ack and receipt
 * pairing, ordering, ids copied verbatim). Input is a {@link CallSummary} from `buildCalls`,
 * whose entries hold the call's stanzas and the acks and receipts paired to them by stanza id.
 * Rule numbers as in ../shared/research/call-signalling.md §7 (see {@link RULES}).
 */
import { bareJid, jidDevice, jidServer } from "../codec/jid";
import type { AnyNode } from "../codec/node";
import { type CallAction, type CallModel, readStanza, type StanzaModel } from "../stanza/model";
import type { CallSummary, TimelineEntry } from "../trace/calls";
import type { Direction } from "../trace/types";
import { rulePart } from "./catalogue";
import { builtBy, type Issue, type RuleFinding, runChecks } from "./types";

/** One stanza of the call, read once for all checks. */
export interface CallItem {
  seq: number;
  direction: Direction;
  /** Capture time, epoch ms. */
  t: number;
  entry: TimelineEntry;
  node: AnyNode;
  model: StanzaModel;
}

/** Facts about the session a call check may need. */
export interface CallCheckContext {
  /**
   * Whether this device's outbound acks and receipts are visible in the capture (they are not
   * when WA Web runs its comms layer in a worker). Default: the call itself has at least one
   * outbound ack or receipt.
   */
  outboundAnswersObservable?: boolean;
  /** This device's own JIDs (bare `user@server`), when known; used by rule 60. */
  ownJids?: readonly string[];
}

/** What a call check sees. */
export interface CallCheckInput {
  call: CallSummary;
  items: CallItem[];
  /** The first offer of the call, when captured. */
  offer?: CallItem;
  ctx: CallCheckContext;
  /** Resolved observability (see {@link CallCheckContext}). */
  observable: boolean;
}

/** A named whole-call check of one rule (some report related rules through `Issue.rule`). */
export interface CallCheck {
  name: string;
  rule: number;
  /** Other rules this check reports (through `Issue.rule`). */
  alsoReports?: readonly number[];
  run(input: CallCheckInput): Issue[];
}

function act(item: CallItem | undefined): CallAction | undefined {
  return item?.model.kind === "call" ? item.model.action : undefined;
}

function env(item: CallItem | undefined): CallModel["envelope"] | undefined {
  return item?.model.kind === "call" ? item.model.envelope : undefined;
}

function kindOf(item: CallItem): string | undefined {
  return act(item)?.kind;
}

const isCall = (i: CallItem) => i.model.kind === "call";
const isKind = (i: CallItem, ...kinds: string[]) => {
  const k = kindOf(i);
  return k !== undefined && kinds.includes(k);
};

function target(input: CallCheckInput, item: CallItem): CallItem | undefined {
  const s = item.entry.answersSeq;
  return s === undefined ? undefined : input.items.find((i) => i.seq === s);
}

const ELSEWHERE = new Set(["accept_elsewhere", "accepted_elsewhere"]);

/** Rule for a call-creator mismatch, by action (one finding per stanza). */
function creatorRule(kind: string): number {
  switch (kind) {
    case "accept":
      return 9;
    case "transport":
      return 15;
    case "terminate":
      return 33;
    case "mute_v2":
      return 39;
    case "preaccept":
    case "reject":
      return 58;
    default:
      return 60;
  }
}

/** Every whole-call check, in rule order. */
export const CALL_CHECKS: readonly CallCheck[] = [
  {
    name: "offer-refused-439",
    rule: 2,
    run(input) {
      const out: Issue[] = [];
      for (const ack of input.items) {
        if (ack.model.kind !== "ack" || ack.direction !== "in" || ack.model.error !== "439") continue;
        const t = target(input, ack);
        if (t && t.direction === "out" && isKind(t, "offer"))
          out.push({
            severity: "violation",
            seq: t.seq,
            message: "the server refused the offer with error 439 (mis-ordered children)",
          });
      }
      return out;
    },
  },
  {
    name: "creator-consistent",
    rule: 39,
    alsoReports: [9, 15, 24, 33, 58, 60],
    run(input) {
      const ref = act(input.offer)?.callCreator ?? input.call.callCreator;
      if (ref === undefined) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        if (i === input.offer) continue;
        let creator: string | undefined;
        let kind: string;
        if (i.model.kind === "receipt" && i.model.child === "offer") {
          creator = i.model.callCreator;
          kind = "receipt";
        } else {
          const a = act(i);
          if (!a || a.kind === "offer") continue;
          creator = a.callCreator;
          kind = a.kind;
        }
        if (creator === undefined || creator === ref) continue;
        out.push({
          severity: builtBy(i.direction),
          seq: i.seq,
          rule: kind === "receipt" ? 24 : creatorRule(kind),
          message: `${kind} call-creator "${creator}" differs from the offer's "${ref}" (must be byte-identical)`,
        });
      }
      return out;
    },
  },
  {
    name: "preaccept-followed",
    rule: 11,
    run(input) {
      const out: Issue[] = [];
      for (const p of input.items.filter((i) => isKind(i, "preaccept"))) {
        const later = input.items.some((i) => i.seq > p.seq && isKind(i, "accept", "reject", "terminate"));
        if (!later)
          out.push({
            severity: "warning",
            seq: p.seq,
            message: "preaccept not followed by accept, reject or terminate in the capture",
          });
      }
      return out;
    },
  },
  {
    name: "inbound-acked",
    rule: 19,
    run(input) {
      const missing = input.items.filter(
        (i) =>
          i.direction === "in" && isCall(i) && env(i)?.id !== undefined && i.entry.ackLatencyMs === undefined,
      );
      if (missing.length === 0) return [];
      if (!input.observable) {
        if (input.ctx.outboundAnswersObservable === false) return []; // reported once for the session
        return [
          {
            severity: "info",
            message: `${missing.length} received <call> stanza(s) without a captured ack; outbound acks are probably not observable in this capture`,
          },
        ];
      }
      return missing.map((i) => ({
        severity: "warning" as const,
        seq: i.seq,
        message: `received <${act(i)?.action ?? "call"}> id="${env(i)?.id}" got no captured <ack>`,
      }));
    },
  },
  {
    name: "offer-receipt-sent",
    rule: 20,
    run(input) {
      if (!input.observable) return [];
      // A receipt that pairs with no stanza was meant for this call but carries a wrong id (rule 22).
      const misIded = input.items.some(
        (i) => i.model.kind === "receipt" && i.direction === "out" && i.entry.answersSeq === undefined,
      );
      if (misIded) return [];
      return input.items
        .filter((i) => i.direction === "in" && isKind(i, "offer") && i.entry.receiptDelayMs === undefined)
        .map((i) => ({
          severity: "warning" as const,
          seq: i.seq,
          message:
            `received offer id="${env(i)?.id ?? ""}" got no captured <receipt>` +
            " (Baileys and whatsmeow never send one; whatsapp-rust does, §5)",
        }));
    },
  },
  {
    name: "receipt-to",
    rule: 21,
    run(input) {
      const out: Issue[] = [];
      for (const r of input.items) {
        if (r.model.kind !== "receipt" || r.direction !== "out") continue;
        const t = target(input, r);
        const from = env(t)?.from;
        if (!t || from === undefined) continue;
        if (r.model.to !== from)
          out.push({
            severity: "violation",
            seq: r.seq,
            message: `receipt to="${r.model.to ?? ""}" is not the received <call>'s from="${from}"`,
          });
      }
      return out;
    },
  },
  {
    name: "receipt-id",
    rule: 22,
    run(input) {
      const out: Issue[] = [];
      const offers = input.items.filter((i) => isKind(i, "offer"));
      for (const r of input.items) {
        if (r.model.kind !== "receipt" || r.model.child !== "offer") continue;
        const t = target(input, r);
        if (t) continue;
        const sent = offers.filter((o) => o.direction !== r.direction);
        if (r.model.id === input.call.callId) {
          out.push({
            severity: builtBy(r.direction),
            seq: r.seq,
            message: `receipt id="${r.model.id}" is the call-id; it must be the offer's <call> stanza id`,
          });
        } else if (sent.length > 0) {
          const ids = sent.map((o) => env(o)?.id ?? "(none)").join(", ");
          out.push({
            severity: builtBy(r.direction),
            seq: r.seq,
            message: `receipt id="${r.model.id ?? ""}" matches no offer stanza id (${ids})`,
          });
        }
      }
      return out;
    },
  },
  {
    name: "receipt-from-space",
    rule: 23,
    run(input) {
      const out: Issue[] = [];
      for (const r of input.items) {
        if (r.model.kind !== "receipt" || r.direction !== "out" || r.model.from === undefined) continue;
        const callFrom = env(target(input, r))?.from;
        const a = jidServer(r.model.from);
        const b = jidServer(callFrom);
        if (a && b && a !== b)
          out.push({
            severity: "warning",
            seq: r.seq,
            message: `receipt from="${r.model.from}" is in the ${a} space, the caller's from="${callFrom}" in ${b}`,
          });
      }
      return out;
    },
  },
  {
    name: "no-receipt-for-non-offer",
    rule: 25,
    run(input) {
      const out: Issue[] = [];
      for (const r of input.items) {
        if (r.model.kind !== "receipt" || r.direction !== "out") continue;
        if (r.model.child !== "offer") {
          out.push({
            severity: "violation",
            seq: r.seq,
            message: `receipt for a call carries <${r.model.child ?? "nothing"}>, not <offer>`,
          });
          continue;
        }
        const a = act(target(input, r));
        if (a?.known && a.kind !== "offer")
          out.push({
            severity: "violation",
            seq: r.seq,
            message: `receipt answers a <${a.action}>; only offers get one`,
          });
      }
      return out;
    },
  },
  {
    name: "reject-to-caller",
    rule: 27,
    run(input) {
      const caller = input.offer?.direction === "in" ? env(input.offer)?.from : undefined;
      if (caller === undefined) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        const to = env(i)?.to;
        if (i.direction !== "out" || !isKind(i, "reject") || to === undefined) continue;
        if (bareJid(to) !== bareJid(caller))
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `reject to="${to}" is not the caller "${caller}"`,
          });
      }
      return out;
    },
  },
  {
    name: "no-reject-after-answer",
    rule: 29,
    run(input) {
      const out: Issue[] = [];
      for (const rj of input.items.filter((i) => isKind(i, "reject"))) {
        const sender = (i: CallItem) => (i.direction === "out" ? "(this device)" : env(i)?.from);
        const prior = input.items.find(
          (i) =>
            i.seq < rj.seq &&
            i.direction === rj.direction &&
            isKind(i, "preaccept", "accept") &&
            sender(i) === sender(rj),
        );
        if (prior)
          out.push({
            severity: builtBy(rj.direction),
            seq: rj.seq,
            message: `reject after this device's own <${kindOf(prior)}> (seq ${prior.seq})`,
          });
      }
      return out;
    },
  },
  {
    name: "receipt-from-addressing",
    rule: 32,
    run(input) {
      const out: Issue[] = [];
      for (const r of input.items) {
        if (r.model.kind !== "receipt" || r.direction !== "out" || r.model.from === undefined) continue;
        const t = target(input, r);
        if (!t || !isKind(t, "offer")) continue;
        const addressed = env(t)?.to;
        const a = jidServer(r.model.from);
        const b = jidServer(addressed);
        if (a && b && b !== "call" && a !== b)
          out.push({
            severity: "violation",
            seq: r.seq,
            message: `receipt from="${r.model.from}" (${a}) but the offer was addressed to "${addressed}" (${b})`,
          });
      }
      return out;
    },
  },
  {
    name: "receipt-before-answer",
    rule: 57,
    run(input) {
      const receipt = input.items.find((i) => i.model.kind === "receipt" && i.direction === "out");
      const answer = input.items.find(
        (i) => i.direction === "out" && isKind(i, "preaccept", "accept", "reject"),
      );
      if (!receipt || !answer || receipt.seq < answer.seq) return [];
      return [
        {
          severity: "violation",
          seq: receipt.seq,
          message: `offer receipt sent after this device's <${kindOf(answer)}> (seq ${answer.seq})`,
        },
      ];
    },
  },
  {
    name: "call-id-before-offer",
    rule: 59,
    run(input) {
      const offer = input.offer;
      if (offer?.direction !== "out") return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        if (i.direction !== "out" || !isCall(i)) continue;
        if (i.seq < offer.seq)
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${kindOf(i)}> with this call-id was sent before the offer`,
          });
        else if (
          i !== offer &&
          act(i)?.callCreator === undefined &&
          isKind(i, "mute_v2", "video", "heartbeat", "enc_rekey")
        )
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${kindOf(i)}> does not echo call-creator`,
          });
      }
      return out;
    },
  },
  {
    name: "creator-is-caller",
    rule: 60,
    run(input) {
      const o = input.offer;
      const creator = act(o)?.callCreator;
      if (!o || creator === undefined) return [];
      if (o.direction === "out") {
        const own = input.ctx.ownJids ?? [];
        const sameSpace = own.filter((j) => jidServer(j) === jidServer(creator));
        if (sameSpace.length > 0 && !sameSpace.includes(bareJid(creator)))
          return [
            {
              severity: "warning",
              seq: o.seq,
              message: `offer call-creator "${creator}" is not this device's own id (${sameSpace.join(", ")})`,
            },
          ];
        return [];
      }
      const from = env(o)?.from;
      if (from && jidServer(from) === jidServer(creator) && bareJid(from) !== bareJid(creator))
        return [
          {
            severity: "warning",
            seq: o.seq,
            message: `received offer call-creator "${creator}" is not the caller "${from}"`,
          },
        ];
      return [];
    },
  },
  {
    name: "address-accepting-device",
    rule: 65,
    run(input) {
      if (input.offer?.direction !== "out") return [];
      const accept = input.items.find((i) => i.direction === "in" && isKind(i, "accept"));
      const d = env(accept)?.from;
      if (!accept || d === undefined) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        if (i.seq <= accept.seq || i.direction !== "out" || !isCall(i)) continue;
        const a = act(i);
        const to = env(i)?.to;
        if (!a || to === undefined || jidServer(to) === "call" || a.kind === "heartbeat") continue;
        if (a.kind === "terminate" && a.reason !== undefined && ELSEWHERE.has(a.reason)) continue;
        if (bareJid(to) !== bareJid(d)) {
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${a.action}> after accept goes to "${to}", not the accepting "${d}"`,
          });
        } else if (jidDevice(to) === undefined && jidDevice(d) !== undefined) {
          out.push({
            severity: "warning",
            seq: i.seq,
            message: `<${a.action}> after accept goes to the account "${to}", not the accepting device "${d}"`,
          });
        } else if (jidDevice(to) !== jidDevice(d)) {
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${a.action}> after accept goes to device "${to}", not the accepting "${d}"`,
          });
        }
      }
      return out;
    },
  },
  {
    name: "call-id-not-reused",
    rule: 68,
    run(input) {
      const end = input.items.find((i) => isKind(i, "terminate"));
      if (!end) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        if (i.seq <= end.seq || i.direction !== "out" || !isCall(i) || isKind(i, "terminate")) continue;
        if (isKind(i, "offer"))
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `a new offer reuses the call-id after terminate (seq ${end.seq})`,
          });
        else
          out.push({
            severity: "warning",
            seq: i.seq,
            message: `<${kindOf(i)}> sent after the call ended (terminate seq ${end.seq})`,
          });
      }
      return out;
    },
  },
  {
    name: "reject-path-quiet",
    rule: 72,
    run(input) {
      const rj = input.items.find((i) => i.direction === "out" && isKind(i, "reject"));
      if (!rj) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        if (i.direction !== "out") continue;
        if (isKind(i, "transport", "relaylatency"))
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${kindOf(i)}> on a call this device rejected`,
          });
        else if (i.seq > rj.seq && isKind(i, "preaccept", "accept"))
          out.push({
            severity: "violation",
            seq: i.seq,
            message: `<${kindOf(i)}> after this device's reject (seq ${rj.seq})`,
          });
      }
      return out;
    },
  },
  {
    name: "no-terminate-after-reject",
    rule: 73,
    run(input) {
      const rj = input.items.find((i) => i.direction === "out" && isKind(i, "reject"));
      if (!rj || input.items.some((i) => isKind(i, "accept"))) return [];
      return input.items
        .filter((i) => i.direction === "out" && i.seq > rj.seq && isKind(i, "terminate"))
        .map((i) => ({
          severity: "violation" as const,
          seq: i.seq,
          message: "terminate for a call this device rejected and that never passed the offer",
        }));
    },
  },
  {
    name: "fna-not-probed",
    rule: 75,
    run(input) {
      const fna = new Set<string>();
      for (const i of input.items) {
        const a = act(i);
        const relay = i.model.kind === "ack" ? i.model.relay : a?.kind === "offer" ? a.relay : undefined;
        for (const t of relay?.te2 ?? []) if (t.isFna && t.address) fna.add(t.address.text);
      }
      if (fna.size === 0) return [];
      const out: Issue[] = [];
      for (const i of input.items) {
        const a = act(i);
        if (i.direction !== "out" || a?.kind !== "relaylatency") continue;
        for (const te of a.te)
          if (te.address && fna.has(te.address.text))
            out.push({
              severity: "violation",
              seq: i.seq,
              message: `relaylatency probes the FNA (inbound-only) relay ${te.address.text}`,
            });
      }
      return out;
    },
  },
];

/** Reads a call's entries once for the checks. */
export function callItems(call: CallSummary): CallItem[] {
  const out: CallItem[] = [];
  for (const entry of call.entries) {
    const node = entry.stanza.node;
    if (!node) continue;
    out.push({
      seq: entry.stanza.seq,
      direction: entry.stanza.direction,
      t: entry.stanza.t,
      entry,
      node,
      model: readStanza(node),
    });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * Runs every whole-call rule check on one call. Pure; never throws (a check that fails on an
 * unexpected shape is skipped).
 * @param call one call from `buildCalls` (its entries include the acks and receipts paired to it).
 * @param ctx session facts; see {@link CallCheckContext}.
 * @returns findings with `callId` set, ordered by stanza `seq`.
 */
export function checkCall(call: CallSummary, ctx: CallCheckContext = {}): RuleFinding[] {
  const items = callItems(call);
  const offer = items.find((i) => isKind(i, "offer"));
  const observable =
    ctx.outboundAnswersObservable ??
    items.some((i) => i.direction === "out" && (i.model.kind === "ack" || i.model.kind === "receipt"));
  const input: CallCheckInput = { call, items, offer, ctx, observable };
  const out = runChecks(CALL_CHECKS, input, rulePart, (f, i) => {
    if (i.seq !== undefined) f.seq = i.seq;
    f.callId = call.callId;
  });
  return out.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1) || a.rule - b.rule);
}
