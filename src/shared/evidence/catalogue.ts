/**
 * The open questions of the wacrg signalling parts (research call-signalling.md §9), in this
 * project's words, each with its labels, its observability from one device's decrypted stanza
 * stream (Y observable, P partly, N not) and, where implemented, the function that collects the
 * passive evidence for it from loaded traces.
 *
 * Labels: `SIG-nnx` = the x-th open question of part SIG-nn; stanza-file questions
 * `acc-/ack-/mute-/pre-/rej-/rl-/term-/tr-/offer-` (call-accept, call-ack, … stanza files);
 * flow questions `miss-/rejF-/inc-/out-`; and a few questions of upstream categories (CRY,
 * REL, ENC).
 */
import { bytesToHex } from "../codec/bytetext";
import { parseJid } from "../codec/jid";
import { reasonInfo } from "../stanza/reasons";
import { callStateText } from "../trace/calls";
import {
  actionOf,
  byteLength,
  type CallCtx,
  type EvidenceContext,
  type Item,
  isAction,
  kid,
  kids,
  realBytes,
  roleOf,
} from "./context";
import { count, type Finding, histogram, note, sequence, timing, values } from "./findings";

/** Observability of a question from one device's decrypted stanzas. */
export type Observability = "Y" | "P" | "N";

/** One catalogue entry. */
export interface Question {
  /** Every label of the question, first = key (e.g. `SIG-12a`, `miss-a`, `miss-b`). */
  ids: string[];
  /** wacrg part codes the labels belong to (derived from the labels). */
  parts: string[];
  obs: Observability;
  /** The question, in one sentence. */
  question: string;
  /** The passive evidence that bears on it. */
  evidence: string;
  /** Collects the evidence; absent = not yet computed (or not observable). */
  compute?: (ctx: EvidenceContext) => Finding[];
}

const STANZA_FILE_PARTS: Record<string, string> = {
  acc: "SIG-03",
  ack: "SIG-07",
  mute: "SIG-13",
  pre: "SIG-04",
  rej: "SIG-08",
  rl: "SIG-15",
  term: "SIG-14",
  tr: "SIG-05",
  offer: "SIG-01",
  miss: "SIG-12",
  rejF: "SIG-18",
  inc: "SIG-16",
  out: "SIG-17",
};

/** The part code of a question label: `SIG-12a` → `SIG-12`, `miss-a` → `SIG-12`, `REL-01b` → `REL-01`. */
export function partOf(label: string): string {
  const m = /^([A-Z]{3}-\d\d)[a-z]?$/.exec(label);
  if (m) return m[1];
  const prefix = label.slice(0, label.lastIndexOf("-"));
  return STANZA_FILE_PARTS[prefix] ?? prefix;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const calls = (ctx: EvidenceContext): CallCtx[] => ctx.calls;
const calItems = (ctx: EvidenceContext, ...actions: string[]): Item[] =>
  ctx.items.filter((it) => isAction(it, ...actions));
const dir = (it: Item): "in" | "out" => it.stanza.direction;
const attr = (n: { attrs: Record<string, string> } | undefined, k: string): string | undefined => n?.attrs[k];
const present = (v: unknown): string => (v === undefined ? "absent" : "present");
const dt = (a: Item, b: Item, call: CallCtx) => ({ ms: b.stanza.t - a.stanza.t, quality: call.quality });

/** Acks (class=call) answering `it` (same trace, opposite direction, same stanza id). */
function acksOf(ctx: EvidenceContext, it: Item): Item[] {
  const id = it.view.kind === "call" ? it.view.id : undefined;
  if (!id) return [];
  return ctx.items.filter(
    (a) =>
      a.trace === it.trace &&
      a.view.kind === "ack" &&
      a.view.ackClass === "call" &&
      a.view.id === id &&
      a.stanza.direction !== it.stanza.direction,
  );
}

const firstWhere = (call: CallCtx, f: (it: Item) => boolean): Item | undefined => call.items.find(f);
const offerOf = (call: CallCtx) => firstWhere(call, (it) => isAction(it, "offer"));
const hasAction = (call: CallCtx, action: string, d?: "in" | "out") =>
  call.items.some((it) => isAction(it, action) && (d === undefined || dir(it) === d));
const reasonOf = (it: Item): string | undefined => (it.view.kind === "call" ? it.view.reason : undefined);
const reasonKey = (r: string | undefined): string =>
  r === undefined ? "(absent)" : r === "" ? '"" (empty)' : r;
const canonical = (r: string | undefined): string | undefined =>
  r === undefined ? undefined : (reasonInfo(r)?.canonical ?? r);
const serverOf = (jid: string | undefined): string => (jid ? (parseJid(jid)?.server ?? "?") : "absent");
const childTags = (n: { content?: unknown } | undefined): string =>
  Array.isArray(n?.content)
    ? (n.content as { tag: string }[]).map((c) => c.tag).join(",") || "(none)"
    : "(none)";
const platformOf = (call: CallCtx | undefined): string => {
  const it = call?.items.find((i) => dir(i) === "in" && i.view.kind === "call" && attr(i.node, "platform"));
  return it ? `${attr(it.node, "platform")} ${attr(it.node, "version") ?? ""}`.trim() : "unknown";
};
const noTimes = (ctx: EvidenceContext): Finding[] =>
  ctx.analyses.every((a) => a.latency === "order-only")
    ? [note("No trace has times: timings are not available.")]
    : [];

function capabilityFindings(ctx: EvidenceContext): Finding[] {
  const keys: string[] = [];
  let redacted = 0;
  for (const it of calItems(ctx, "offer", "preaccept", "accept")) {
    const a = actionOf(it);
    const cap = kid(a, "capability");
    if (!cap || !a) continue;
    const bytes = realBytes(cap);
    const video = kid(a, "video") ? "video" : "audio";
    const where = `${it.view.kind === "call" ? it.view.action : "?"} ${dir(it)} · ${platformOf(it.call)} · ${video}`;
    if (bytes) keys.push(`${where} → ${bytesToHex(bytes).replace(/(..)(?!$)/g, "$1 ")}`);
    else {
      redacted++;
      keys.push(`${where} → ${byteLength(cap)} bytes (not available)`);
    }
  }
  const out: Finding[] = [histogram("capability body per (action, direction, peer platform, media)", keys)];
  if (redacted)
    out.push(
      note("Some capability bodies were redacted: sanitize with keepCapability to count byte values."),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------
// The catalogue

const Q = (
  ids: string[],
  obs: Observability,
  question: string,
  evidence: string,
  compute?: (ctx: EvidenceContext) => Finding[],
): Question => ({ ids, parts: [...new Set(ids.map(partOf))], obs, question, evidence, compute });

/** Every open question of call-signalling.md §9, in its order. */
export const QUESTIONS: readonly Question[] = [
  Q(
    ["SIG-01a", "SIG-04c", "offer-f"],
    "P",
    "What do the bits of the 7-byte capability blob mean, in particular its last byte?",
    "Capability bodies grouped by action, peer platform/version and media.",
    capabilityFindings,
  ),
  Q(
    ["SIG-01b", "offer-e"],
    "N",
    "Is the call key's length or salt ever stated explicitly?",
    "Only unknown attributes or children on offer/enc/encopt would hint at it; the key itself is encrypted.",
  ),
  Q(
    ["SIG-02a"],
    "Y",
    "Which attributes does the `<video>` child of a video offer carry?",
    "Attribute names and values on offer>video.",
    (ctx) => [
      histogram(
        "offer>video attributes",
        calItems(ctx, "offer").flatMap((it) => {
          const v = kid(actionOf(it), "video");
          return v
            ? Object.entries(v.attrs)
                .map(([k, x]) => `${k}=${x}`)
                .concat(Object.keys(v.attrs).length ? [] : ["(no attributes)"])
            : [];
        }),
      ),
    ],
  ),
  Q(
    ["SIG-02b", "acc-c"],
    "Y",
    "Does the callee answer a video offer with a `<video>` child of its own in preaccept/accept?",
    "Preaccepts and accepts of video calls, with or without `<video>`.",
    (ctx) => [
      histogram(
        "preaccept/accept of calls whose offer had <video>",
        calls(ctx)
          .filter((c) => kid(actionOf(offerOf(c) ?? ({} as Item)), "video"))
          .flatMap((c) =>
            c.items
              .filter((it) => isAction(it, "preaccept", "accept"))
              .map(
                (it) =>
                  `${it.view.kind === "call" ? it.view.action : ""} ${dir(it)}: ${kid(actionOf(it), "video") ? "with video" : "without video"}`,
              ),
          ),
      ),
    ],
  ),
  Q(
    ["SIG-02c", "mute-b", "mute-c"],
    "Y",
    "How is a call upgraded to video mid-call: `<video state>` actions or a repeated offer?",
    "In-call `video` actions by state, and calls with more than one offer.",
    (ctx) => [
      histogram(
        "video action state (direction)",
        calItems(ctx, "video").map((it) => `state=${attr(actionOf(it), "state") ?? "absent"} (${dir(it)})`),
      ),
      count(
        "calls with more than one offer",
        calls(ctx).filter((c) => c.items.filter((it) => isAction(it, "offer")).length > 1).length,
        calls(ctx).length,
      ),
    ],
  ),
  Q(
    ["SIG-02d"],
    "P",
    "Where must `<video>` sit among the offer's children?",
    "Child index of `<video>` in inbound offers; error 439 acks on own stanzas.",
    (ctx) => [
      histogram(
        "index of <video> among inbound offer children",
        calItems(ctx, "offer")
          .filter((it) => dir(it) === "in")
          .flatMap((it) => {
            const i = kids(actionOf(it)).findIndex((c) => c.tag === "video");
            return i < 0 ? [] : [`${i} of ${kids(actionOf(it)).length}`];
          }),
      ),
      count(
        "inbound acks with error 439",
        ctx.items.filter((it) => it.view.kind === "ack" && dir(it) === "in" && it.view.error === "439")
          .length,
      ),
    ],
  ),
  Q(
    ["SIG-03a", "SIG-03b", "SIG-16b"],
    "P",
    "What do accept's `<te>`, `<rte>` and `<voip_settings>` carry?",
    "Presence matrix per accept, `te` content lengths (6/18 = packed address), voip_settings JSON keys when the bytes are available.",
    (ctx) => {
      const acc = calItems(ctx, "accept");
      const keys: string[] = [];
      for (const it of acc) {
        const vs = kid(actionOf(it), "voip_settings");
        const b = vs && realBytes(vs);
        if (!b) continue;
        try {
          const j = JSON.parse(new TextDecoder().decode(b));
          if (j && typeof j === "object") keys.push(...Object.keys(j));
        } catch {
          keys.push("(not JSON)");
        }
      }
      return [
        histogram(
          "accept children present (direction: te, rte, voip_settings)",
          acc.map((it) => {
            const a = actionOf(it);
            return `${dir(it)}: te=${present(kid(a, "te"))}, rte=${present(kid(a, "rte"))}, voip_settings=${present(kid(a, "voip_settings"))}`;
          }),
        ),
        histogram(
          "accept>te content length (bytes)",
          acc.flatMap((it) =>
            kids(actionOf(it))
              .filter((c) => c.tag === "te")
              .map((c) => String(byteLength(c) ?? "none")),
          ),
        ),
        histogram("voip_settings JSON keys (only where bytes were kept)", keys),
      ];
    },
  ),
  Q(
    ["SIG-03c"],
    "P",
    "Does the server enforce accept's child order?",
    "Error codes on the server's ack of own accepts.",
    (ctx) => [
      histogram(
        "ack of own accept",
        calItems(ctx, "accept")
          .filter((it) => dir(it) === "out")
          .map((it) => {
            const acks = acksOf(ctx, it);
            if (!acks.length) return "no ack captured";
            const e = acks[0].view.kind === "ack" ? acks[0].view.error : undefined;
            return e ? `error ${e}` : "ack without error";
          }),
      ),
    ],
  ),
  Q(
    ["SIG-04a", "SIG-16a", "pre-a", "out-a"],
    "Y",
    "Is preaccept optional: does an accept ever come without a preaccept from the same device first?",
    "Per answered call: preaccept before accept from the same side and device; offer→preaccept and preaccept→accept times.",
    (ctx) => {
      const keys: string[] = [];
      const toPre: { ms: number; quality: CallCtx["quality"] }[] = [];
      const preToAcc: typeof toPre = [];
      for (const c of calls(ctx)) {
        const acc = firstWhere(c, (it) => isAction(it, "accept"));
        if (!acc) continue;
        const from = acc.view.kind === "call" ? acc.view.from : undefined;
        const pre = c.items.find(
          (it) =>
            isAction(it, "preaccept") &&
            dir(it) === dir(acc) &&
            it.stanza.seq < acc.stanza.seq &&
            (dir(acc) === "out" || (it.view.kind === "call" && it.view.from === from)),
        );
        keys.push(`accept ${dir(acc)}: ${pre ? "preaccept first" : "no preaccept before it"}`);
        const offer = offerOf(c);
        if (pre && offer) toPre.push(dt(offer, pre, c));
        if (pre) preToAcc.push(dt(pre, acc, c));
      }
      return [
        histogram("answered calls", keys),
        timing("offer → preaccept", toPre),
        timing("preaccept → accept", preToAcc),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-04b", "pre-b"],
    "Y",
    "Which children can a preaccept carry beyond audio, encopt and capability?",
    "Child tag lists of preaccepts.",
    (ctx) => [
      histogram(
        "preaccept children (direction)",
        calItems(ctx, "preaccept").map((it) => `${childTags(actionOf(it))} (${dir(it)})`),
      ),
    ],
  ),
  Q(
    ["SIG-05a", "tr-b"],
    "P",
    "What is inside transport's `<te>` blob and how are addresses encoded?",
    "Content lengths and attribute names of transport `te`.",
    (ctx) => [
      histogram(
        "transport>te content length (bytes)",
        calItems(ctx, "transport").flatMap((it) =>
          kids(actionOf(it))
            .filter((c) => c.tag === "te")
            .map((c) => String(byteLength(c) ?? "none")),
        ),
      ),
      histogram(
        "transport>te attribute names",
        calItems(ctx, "transport").flatMap((it) =>
          kids(actionOf(it))
            .filter((c) => c.tag === "te")
            .map((c) => Object.keys(c.attrs).sort().join(",") || "(none)"),
        ),
      ),
    ],
  ),
  Q(
    ["SIG-05b"],
    "Y",
    "Which transport-message-type values occur?",
    "Histogram of transport-message-type by direction.",
    (ctx) => [
      histogram(
        "transport-message-type (direction)",
        calItems(ctx, "transport").map(
          (it) => `${attr(actionOf(it), "transport-message-type") ?? "absent"} (${dir(it)})`,
        ),
      ),
    ],
  ),
  Q(
    ["SIG-05c"],
    "Y",
    "Which `net medium` and `protocol` values go with which action?",
    "Histogram of net@medium/protocol per action.",
    (ctx) => [
      histogram(
        "net per action",
        calItems(ctx, "offer", "accept", "transport", "preaccept").flatMap((it) =>
          kids(actionOf(it))
            .filter((c) => c.tag === "net")
            .map(
              (c) =>
                `${it.view.kind === "call" ? it.view.action : ""}: medium=${attr(c, "medium") ?? "absent"}, protocol=${attr(c, "protocol") ?? "absent"}`,
            ),
        ),
      ),
    ],
  ),
  Q(
    ["SIG-05d", "SIG-17a"],
    "Y",
    "How do the candidate rounds of transport exchanges proceed, and who starts?",
    "Per call, the ordered (direction, type, round, time) of transport stanzas.",
    (ctx) => [
      sequence(
        "transport exchanges per call",
        calls(ctx)
          .map((c) => {
            const offer = offerOf(c) ?? c.items[0];
            const rows = c.items
              .filter((it) => isAction(it, "transport"))
              .map((it) => {
                const a = actionOf(it);
                const t =
                  c.quality === "order-only"
                    ? `#${it.stanza.seq}`
                    : `+${((it.stanza.t - offer.stanza.t) / 1000).toFixed(3)} s`;
                return `${dir(it)} type=${attr(a, "transport-message-type") ?? "-"} round=${attr(a, "p2p-cand-round") ?? "-"} ${t}`;
              });
            return rows.length ? `${c.summary.callId}: ${rows.join("; ")}` : "";
          })
          .filter(Boolean),
      ),
    ],
  ),
  Q(
    ["SIG-06a", "SIG-06b"],
    "P",
    "How are group rosters conveyed and when are group calls re-keyed?",
    "`group-jid`, `joinable`, `offer_notice type`; counts of group_update, enc_rekey, waiting_room_update.",
    (ctx) => [
      count(
        "offers with group-jid",
        calItems(ctx, "offer").filter((it) => attr(actionOf(it), "group-jid") !== undefined).length,
        calItems(ctx, "offer").length,
      ),
      histogram(
        "offer joinable",
        calItems(ctx, "offer").map((it) => attr(actionOf(it), "joinable") ?? "absent"),
      ),
      histogram(
        "offer_notice type/media",
        calItems(ctx, "offer_notice").map(
          (it) =>
            `type=${attr(actionOf(it), "type") ?? "absent"} media=${attr(actionOf(it), "media") ?? "absent"}`,
        ),
      ),
      histogram(
        "group actions (direction)",
        calItems(ctx, "group_update", "enc_rekey", "waiting_room_update").map(
          (it) => `${it.view.kind === "call" ? it.view.action : ""} (${dir(it)})`,
        ),
      ),
    ],
  ),
  Q(
    ["SIG-07a"],
    "P",
    "Is an offer receipt without `from` accepted?",
    "Own offer receipts split by presence of `from` (receipt acks are not captured).",
    (ctx) => [
      histogram(
        "own offer receipts",
        ctx.items
          .filter((it) => it.view.kind === "receipt" && dir(it) === "out")
          .map((it) => `from ${present(it.view.kind === "receipt" ? it.view.from : undefined)}`),
      ),
    ],
  ),
  Q(
    ["SIG-07b"],
    "Y",
    "Are receipts ever sent for actions other than offer?",
    "Receipts whose child is not offer, or whose id is that of a non-offer call stanza.",
    (ctx) => {
      const receipts = ctx.items.filter((it) => it.view.kind === "receipt");
      const nonOfferIds = new Set(
        ctx.items
          .filter((it) => it.view.kind === "call" && it.view.action !== "offer" && it.view.id)
          .map((it) => `${it.trace}|${it.view.kind === "call" ? it.view.id : ""}`),
      );
      return [
        histogram(
          "receipt child (direction)",
          receipts.map(
            (it) => `${it.view.kind === "receipt" ? (it.view.child ?? "(none)") : ""} (${dir(it)})`,
          ),
        ),
        count(
          "receipts answering a non-offer call stanza",
          receipts.filter((it) => it.view.kind === "receipt" && nonOfferIds.has(`${it.trace}|${it.view.id}`))
            .length,
          receipts.length,
        ),
      ];
    },
  ),
  Q(
    ["SIG-08a", "rej-a", "rej-b"],
    "Y",
    "Which attributes does a reject carry, and which reason values occur?",
    "Attribute-name sets and reason values of rejects (auto-rejects need labelled context).",
    (ctx) => [
      histogram(
        "reject attribute names (direction)",
        calItems(ctx, "reject").map(
          (it) =>
            `${Object.keys(actionOf(it)?.attrs ?? {})
              .sort()
              .join(",")} (${dir(it)})`,
        ),
      ),
      histogram(
        "reject reason",
        calItems(ctx, "reject").map((it) => reasonKey(reasonOf(it))),
      ),
    ],
  ),
  Q(
    ["SIG-08b", "SIG-18a", "rejF-c"],
    "Y",
    "After one device rejects, how are the user's other devices told, and by whom?",
    "Inbound terminates with reason rejected_elsewhere: sender role and time after the offer.",
    (ctx) => {
      const its = calItems(ctx, "terminate").filter(
        (it) => dir(it) === "in" && canonical(reasonOf(it)) === "reject_elsewhere",
      );
      return [
        histogram(
          "sender of terminate rejected_elsewhere",
          its.map((it) => roleOf(it.view.kind === "call" ? it.view.from : undefined, ctx, it)),
        ),
        timing(
          "offer → terminate rejected_elsewhere",
          its.flatMap((it) => {
            const o = it.call && offerOf(it.call);
            return o && it.call ? [dt(o, it, it.call)] : [];
          }),
        ),
        histogram(
          "spelling",
          its.map((it) => reasonKey(reasonOf(it))),
        ),
      ];
    },
  ),
  Q(
    ["SIG-09a"],
    "Y",
    "What carries a raised hand, and is it acked?",
    "user_action action=raise_hand stanzas and their ack types.",
    (ctx) => {
      const its = calItems(ctx, "user_action");
      return [
        histogram(
          "user_action action (direction)",
          its.map((it) => `${attr(actionOf(it), "action") ?? "absent"} (${dir(it)})`),
        ),
        histogram(
          "ack type of user_action",
          its.flatMap((it) =>
            acksOf(ctx, it).map((a) => (a.view.kind === "ack" ? (a.view.type ?? "(no type)") : "")),
          ),
        ),
      ];
    },
  ),
  Q(
    ["SIG-10a"],
    "P",
    "How are in-call reactions signalled?",
    "Unknown action tags (especially in group calls).",
    (ctx) => [
      histogram(
        "unknown call actions (direction)",
        ctx.items
          .filter((it) => it.view.kind === "call" && !it.view.known)
          .map((it) => `${it.view.kind === "call" ? it.view.action : ""} (${dir(it)})`),
      ),
    ],
  ),
  Q(
    ["SIG-11a"],
    "P",
    "Which flag marks screen sharing?",
    "screen_share attributes (the media side is not observable).",
    (ctx) => [
      histogram(
        "screen_share attributes",
        calItems(ctx, "screen_share").flatMap((it) =>
          Object.entries(actionOf(it)?.attrs ?? {})
            .filter(([k]) => !k.startsWith("call-"))
            .map(([k, v]) => `${k}=${v}`),
        ),
      ),
    ],
  ),
  Q(
    ["SIG-12a", "miss-a", "miss-b"],
    "Y",
    "How long does an unanswered call ring, and who sends the terminate that ends it?",
    "For calls without accept or reject: offer→terminate time and the terminate's origin.",
    (ctx) => {
      const missed = calls(ctx).filter(
        (c) => offerOf(c) && !hasAction(c, "accept") && !hasAction(c, "reject") && hasAction(c, "terminate"),
      );
      const samples: { ms: number; quality: CallCtx["quality"] }[] = [];
      const origin: string[] = [];
      for (const c of missed) {
        const o = offerOf(c)!;
        const term = firstWhere(c, (it) => isAction(it, "terminate"))!;
        samples.push(dt(o, term, c));
        const who =
          dir(term) === "out"
            ? "this device"
            : roleOf(term.view.kind === "call" ? term.view.from : undefined, ctx, term);
        origin.push(
          `${c.summary.direction === "out" ? "outgoing" : "incoming"} call, terminate ${dir(term) === "out" ? "sent" : "received"} by ${who}, reason ${reasonKey(reasonOf(term))}`,
        );
      }
      return [
        count("unanswered calls ended by terminate", missed.length, calls(ctx).length),
        timing("offer → first terminate", samples),
        histogram("terminate origin", origin),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-12b", "miss-c", "term-a"],
    "Y",
    "Which reason (or none) ends a missed, cancelled or hung-up call?",
    "The ending reason (or its absence) per call state.",
    (ctx) => [
      histogram(
        "call state → ending action and reason",
        calls(ctx).map(
          (c) =>
            `${callStateText(c.summary)}: ${c.summary.reasonAction ?? "no end"}${c.summary.reasonAction ? ` reason=${reasonKey(c.summary.reason)}` : ""}`,
        ),
      ),
    ],
  ),
  Q(
    ["SIG-12c"],
    "P",
    "Does the server send its own missed-call notification?",
    "Terminates per call and sender; stanzas citing the call-id after its first terminate.",
    (ctx) => [
      histogram(
        "terminates per call (senders)",
        calls(ctx).map((c) => {
          const ts = c.items.filter((it) => isAction(it, "terminate"));
          return `${ts.length}: ${ts.map((it) => (dir(it) === "out" ? "this device" : roleOf(it.view.kind === "call" ? it.view.from : undefined, ctx, it))).join(" + ") || "-"}`;
        }),
      ),
      count(
        "call stanzas after the first terminate (not acks)",
        calls(ctx).reduce((n, c) => {
          const t = firstWhere(c, (it) => isAction(it, "terminate"));
          return (
            n +
            (t ? c.items.filter((it) => it.stanza.seq > t.stanza.seq && it.view.kind === "call").length : 0)
          );
        }, 0),
      ),
    ],
  ),
  Q(
    ["SIG-12d", "SIG-14b", "term-c"],
    "Y",
    "When are the duration counters present on terminate, and what do they hold?",
    "Presence of duration/audio_duration per direction, and their values.",
    (ctx) => {
      const ts = calItems(ctx, "terminate");
      return [
        histogram(
          "terminate counters (direction, call state)",
          ts.map(
            (it) =>
              `${dir(it)}, ${it.call?.summary.state ?? "?"}: duration ${present(attr(actionOf(it), "duration"))}, audio_duration ${present(attr(actionOf(it), "audio_duration"))}`,
          ),
        ),
        values(
          "duration/audio_duration values (s)",
          ts.flatMap((it) =>
            ["duration", "audio_duration"].flatMap((k) =>
              attr(actionOf(it), k) !== undefined ? [`${k}=${attr(actionOf(it), k)}`] : [],
            ),
          ),
        ),
      ];
    },
  ),
  Q(
    ["miss-d"],
    "P",
    "On timeout, which reason do the callee's other devices get?",
    "Reasons of inbound terminates on incoming calls this device neither accepted nor rejected.",
    (ctx) => [
      histogram(
        "inbound terminate reason (incoming call not answered here)",
        calls(ctx)
          .filter(
            (c) =>
              c.summary.direction === "in" &&
              !hasAction(c, "accept", "out") &&
              !hasAction(c, "reject", "out"),
          )
          .flatMap((c) =>
            c.items
              .filter((it) => isAction(it, "terminate") && dir(it) === "in")
              .map((it) => reasonKey(reasonOf(it))),
          ),
      ),
    ],
  ),
  Q(["SIG-13a"], "Y", "Which values does mute-state take?", "Histogram of mute_v2 mute-state.", (ctx) => [
    histogram(
      "mute-state (direction)",
      calItems(ctx, "mute_v2").map((it) => `${attr(actionOf(it), "mute-state") ?? "absent"} (${dir(it)})`),
    ),
  ]),
  Q(
    ["SIG-13b"],
    "Y",
    "How is muting video signalled?",
    "Extra attributes on mute_v2; video state=2 (paused) actions.",
    (ctx) => [
      histogram(
        "mute_v2 attribute names",
        calItems(ctx, "mute_v2").map((it) =>
          Object.keys(actionOf(it)?.attrs ?? {})
            .sort()
            .join(","),
        ),
      ),
      count(
        "video actions with state=2",
        calItems(ctx, "video").filter((it) => attr(actionOf(it), "state") === "2").length,
      ),
    ],
  ),
  Q(
    ["SIG-13c", "mute-d"],
    "Y",
    "Is mute_v2 acked, and with which ack type?",
    "Own mute_v2 with/without stanza id, matching server acks and their type.",
    (ctx) => {
      const own = calItems(ctx, "mute_v2").filter((it) => dir(it) === "out");
      return [
        histogram(
          "own mute_v2",
          own.map((it) =>
            it.view.kind === "call" && it.view.id
              ? acksOf(ctx, it).length
                ? "with id, acked"
                : "with id, no ack captured"
              : "no stanza id",
          ),
        ),
        histogram(
          "ack type of mute_v2 (both directions)",
          calItems(ctx, "mute_v2").flatMap((it) =>
            acksOf(ctx, it).map((a) => (a.view.kind === "ack" ? (a.view.type ?? "(no type)") : "")),
          ),
        ),
      ];
    },
  ),
  Q(
    ["SIG-13d", "mute-a"],
    "Y",
    "Is the v1 `mute` action still used beside `mute_v2`?",
    "Counts of mute and mute_v2 by direction and peer platform.",
    (ctx) => [
      histogram(
        "mute tags (direction, peer platform)",
        calItems(ctx, "mute", "mute_v2").map(
          (it) => `${it.view.kind === "call" ? it.view.action : ""} (${dir(it)}, ${platformOf(it.call)})`,
        ),
      ),
    ],
  ),
  Q(
    ["SIG-14a", "rejF-a", "rejF-b"],
    "Y",
    "What is the full reason vocabulary, and is a decline a reject or a `terminate reason=declined`?",
    "Histogram of terminate and reject reasons; any terminate with reason declined.",
    (ctx) => [
      histogram(
        "reason by action and direction",
        calItems(ctx, "terminate", "reject").map(
          (it) => `${it.view.kind === "call" ? it.view.action : ""} ${dir(it)}: ${reasonKey(reasonOf(it))}`,
        ),
      ),
      count(
        "terminates with reason=declined",
        calItems(ctx, "terminate").filter((it) => reasonOf(it) === "declined").length,
        calItems(ctx, "terminate").length,
      ),
      values(
        "reasons not in the wacrg vocabulary",
        calItems(ctx, "terminate", "reject").flatMap((it) => {
          const r = reasonOf(it);
          return r !== undefined && !reasonInfo(r) ? [reasonKey(r)] : [];
        }),
      ),
    ],
  ),
  Q(["SIG-14c"], "N", "Does the server validate terminate reasons?", "Not observable passively."),
  Q(
    ["SIG-15a", "rl-d"],
    "Y",
    "Which address does relaylatency's `<te>` carry?",
    "Content length (6 = IPv4:port), equality with a `relay>te2` body seen earlier, relay_name/token presence.",
    (ctx) => {
      const te2 = new Set<string>();
      for (const it of ctx.items) {
        const walk = (n: { tag: string; content?: unknown }) => {
          if (n.tag === "te2") {
            const b = realBytes(n as never);
            if (b) te2.add(`${it.trace}|${bytesToHex(b)}`);
          }
          if (Array.isArray(n.content)) for (const c of n.content) walk(c);
        };
        walk(it.node);
      }
      const tes = calItems(ctx, "relaylatency").flatMap((it) =>
        kids(actionOf(it))
          .filter((c) => c.tag === "te")
          .map((c) => ({ it, c })),
      );
      return [
        histogram(
          "relaylatency>te content length (bytes)",
          tes.map(({ c }) => String(byteLength(c) ?? "none")),
        ),
        histogram(
          "relaylatency>te body vs relay>te2 bodies of the same trace",
          tes.map(({ it, c }) => {
            const b = realBytes(c);
            return b
              ? te2.has(`${it.trace}|${bytesToHex(b)}`)
                ? "equals a te2 body"
                : "matches no te2 body"
              : "bytes not available";
          }),
        ),
        histogram(
          "relaylatency>te attributes",
          tes.map(({ c }) => Object.keys(c.attrs).sort().join(",")),
        ),
      ];
    },
  ),
  Q(
    ["SIG-15b"],
    "Y",
    "Where do relaylatency relay_name values come from?",
    "relay_name values (pseudonyms) and whether each is among the te2 relay names.",
    (ctx) => {
      const names = new Set<string>();
      for (const it of ctx.items) {
        const walk = (n: { tag: string; attrs: Record<string, string>; content?: unknown }) => {
          if (n.tag === "te2" && n.attrs.relay_name) names.add(`${it.trace}|${n.attrs.relay_name}`);
          if (Array.isArray(n.content)) for (const c of n.content) walk(c);
        };
        walk(it.node);
      }
      const rl = calItems(ctx, "relaylatency").flatMap((it) =>
        kids(actionOf(it))
          .filter((c) => c.tag === "te")
          .map((c) => ({ it, name: c.attrs.relay_name })),
      );
      return [
        histogram(
          "relaylatency>te@relay_name",
          rl.map(({ name }) => name ?? "absent"),
        ),
        histogram(
          "relay_name among te2 relay names",
          rl.map(({ it, name }) =>
            name === undefined ? "absent" : names.has(`${it.trace}|${name}`) ? "yes" : "no",
          ),
        ),
      ];
    },
  ),
  Q(
    ["SIG-15c", "rl-e"],
    "Y",
    "How often is relaylatency sent, when relative to accept, and is it acked?",
    "Count per call, inter-arrival times, position vs accept, acks with type=relaylatency.",
    (ctx) => {
      const per: string[] = [];
      const gaps: { ms: number; quality: CallCtx["quality"] }[] = [];
      const phase: string[] = [];
      for (const c of calls(ctx)) {
        const rls = c.items.filter((it) => isAction(it, "relaylatency"));
        per.push(
          `${rls.length} (${rls.filter((it) => dir(it) === "out").length} sent, ${rls.filter((it) => dir(it) === "in").length} received)`,
        );
        for (let i = 1; i < rls.length; i++)
          if (dir(rls[i]) === dir(rls[i - 1])) gaps.push(dt(rls[i - 1], rls[i], c));
        const acc = firstWhere(c, (it) => isAction(it, "accept"));
        for (const r of rls)
          phase.push(
            `${dir(r)}: ${acc ? (r.stanza.seq < acc.stanza.seq ? "before accept" : "after accept") : "no accept in call"}`,
          );
      }
      return [
        histogram("relaylatency per call", per),
        timing("interval between successive relaylatency in the same direction", gaps),
        histogram("relaylatency vs accept", phase),
        histogram(
          "acks of relaylatency by type",
          calItems(ctx, "relaylatency").flatMap((it) =>
            acksOf(ctx, it).map((a) => (a.view.kind === "ack" ? (a.view.type ?? "(no type)") : "")),
          ),
        ),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-15d"],
    "Y",
    "In group calls, how many `<te>` does one relaylatency carry?",
    "`te` count per relaylatency in calls with group-jid.",
    (ctx) => [
      histogram(
        "te per relaylatency in group calls",
        calItems(ctx, "relaylatency")
          .filter((it) =>
            it.call?.items.some((o) => isAction(o, "offer") && attr(actionOf(o), "group-jid") !== undefined),
          )
          .map((it) => String(kids(actionOf(it)).filter((c) => c.tag === "te").length)),
      ),
    ],
  ),
  Q(
    ["rl-a", "rl-b"],
    "P",
    "Is the relaylatency RTT measured out of band, and in which unit?",
    "Decoded latency − 0x02000000 next to te2@c2r_rtt values.",
    (ctx) => [
      values(
        "relaylatency RTT (latency − 0x02000000, ms)",
        calItems(ctx, "relaylatency").flatMap((it) =>
          it.view.kind === "call" && it.view.relayRttMs !== undefined
            ? [`${it.view.relayRttMs} (${dir(it)})`]
            : [],
        ),
      ),
      values(
        "te2@c2r_rtt values",
        ctx.items.flatMap((it) => {
          const out: string[] = [];
          const walk = (n: { tag: string; attrs: Record<string, string>; content?: unknown }) => {
            if (n.tag === "te2" && n.attrs.c2r_rtt !== undefined) out.push(n.attrs.c2r_rtt);
            if (Array.isArray(n.content)) for (const c of n.content) walk(c);
          };
          walk(it.node);
          return out;
        }),
      ),
    ],
  ),
  Q(
    ["rl-c"],
    "P",
    "Who consumes the relaylatency report?",
    "`to` of sent and `from` of received relaylatency, as roles.",
    (ctx) => [
      histogram(
        "relaylatency address",
        calItems(ctx, "relaylatency").map((it) =>
          dir(it) === "out"
            ? `sent to ${roleOf(it.view.kind === "call" ? it.view.to : undefined, ctx, it)}`
            : `received from ${roleOf(it.view.kind === "call" ? it.view.from : undefined, ctx, it)}`,
        ),
      ),
    ],
  ),
  Q(
    ["SIG-16c"],
    "Y",
    "Does the offer receipt carry `from`, and in which address space?",
    "Own receipts: `from` presence, its server vs the offer's `from` server.",
    (ctx) => [
      histogram(
        "own offer receipt from",
        ctx.items
          .filter((it) => it.view.kind === "receipt" && dir(it) === "out" && it.view.child === "offer")
          .map((it) => {
            const from = it.view.kind === "receipt" ? it.view.from : undefined;
            const offer = it.call && offerOf(it.call);
            const offerFrom = offer?.view.kind === "call" ? offer.view.from : undefined;
            return from === undefined
              ? "absent"
              : `present, ${serverOf(from)} (offer came from ${serverOf(offerFrom)})`;
          }),
      ),
    ],
  ),
  Q(
    ["SIG-17b", "out-c"],
    "P",
    "What starts media: the accept, or relay/transport traffic?",
    "Time from accept to the first transport and first relaylatency after it.",
    (ctx) => {
      const tr: { ms: number; quality: CallCtx["quality"] }[] = [];
      const rl: typeof tr = [];
      for (const c of calls(ctx)) {
        const acc = firstWhere(c, (it) => isAction(it, "accept"));
        if (!acc) continue;
        const t = c.items.find((it) => it.stanza.seq > acc.stanza.seq && isAction(it, "transport"));
        const r = c.items.find((it) => it.stanza.seq > acc.stanza.seq && isAction(it, "relaylatency"));
        if (t) tr.push(dt(acc, t, c));
        if (r) rl.push(dt(acc, r, c));
      }
      return [
        timing("accept → first transport", tr),
        timing("accept → first relaylatency", rl),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-17c", "inc-b", "term-b"],
    "Y",
    "Who tells the other devices that a call was accepted elsewhere, and in what shape?",
    "terminate accepted_elsewhere: sender role, count per call, `destination` presence.",
    (ctx) => {
      const its = calItems(ctx, "terminate").filter((it) => canonical(reasonOf(it)) === "accept_elsewhere");
      return [
        histogram(
          "sender",
          its.map((it) =>
            dir(it) === "out"
              ? "this device"
              : roleOf(it.view.kind === "call" ? it.view.from : undefined, ctx, it),
          ),
        ),
        histogram(
          "per call",
          calls(ctx).flatMap((c) => {
            const n = c.items.filter(
              (it) => isAction(it, "terminate") && canonical(reasonOf(it)) === "accept_elsewhere",
            ).length;
            return n ? [String(n)] : [];
          }),
        ),
        histogram(
          "destination child",
          its.map((it) => present(kid(actionOf(it), "destination"))),
        ),
        histogram(
          "spelling",
          its.map((it) => reasonKey(reasonOf(it))),
        ),
      ];
    },
  ),
  Q(
    ["SIG-17d"],
    "Y",
    "How long does a caller wait without receipts, and are offers re-sent?",
    "Own offer → own terminate in calls without any receipt; repeated offers (same call-id, new stanza id).",
    (ctx) => {
      const waits: { ms: number; quality: CallCtx["quality"] }[] = [];
      let resent = 0;
      for (const c of calls(ctx)) {
        const offers = c.items.filter((it) => isAction(it, "offer") && dir(it) === "out");
        if (new Set(offers.map((o) => (o.view.kind === "call" ? o.view.id : ""))).size > 1) resent++;
        const o = offers[0];
        if (!o || c.items.some((it) => it.view.kind === "receipt")) continue;
        const t = c.items.find((it) => isAction(it, "terminate") && dir(it) === "out");
        if (t) waits.push(dt(o, t, c));
      }
      return [
        timing("own offer → own terminate, no receipt seen", waits),
        count("calls with a re-sent offer", resent, calls(ctx).length),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-18b"],
    "Y",
    "Are the offer receipt and a reject pipelined?",
    "Order and time between own receipt and own reject.",
    (ctx) => {
      const order: string[] = [];
      const gaps: { ms: number; quality: CallCtx["quality"] }[] = [];
      for (const c of calls(ctx)) {
        const rej = firstWhere(c, (it) => isAction(it, "reject") && dir(it) === "out");
        if (!rej) continue;
        const rc = firstWhere(c, (it) => it.view.kind === "receipt" && dir(it) === "out");
        order.push(
          rc
            ? rc.stanza.seq < rej.stanza.seq
              ? "receipt before reject"
              : "reject before receipt"
            : "no receipt",
        );
        if (rc) gaps.push(dt(rc, rej, c));
      }
      return [
        histogram("own receipt vs own reject", order),
        timing("receipt → reject", gaps),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["SIG-18c"],
    "N",
    "Does the client record declined and missed calls differently?",
    "Only call-log stubs would show it; not in the stanza stream.",
  ),
  Q(
    ["acc-a", "acc-b", "out-d", "tr-c"],
    "Y",
    "Does accept carry keys or candidates, and are candidates re-sent after accept?",
    "`enc`/`te`/`destination` in accepts; transports after accept.",
    (ctx) => [
      histogram(
        "accept carries (direction)",
        calItems(ctx, "accept").map((it) => {
          const a = actionOf(it);
          return `${dir(it)}: enc=${present(kid(a, "enc"))}, te=${present(kid(a, "te"))}, destination=${present(kid(a, "destination"))}`;
        }),
      ),
      histogram(
        "transports after accept per answered call",
        calls(ctx).flatMap((c) => {
          const acc = firstWhere(c, (it) => isAction(it, "accept"));
          return acc
            ? [
                String(
                  c.items.filter((it) => it.stanza.seq > acc.stanza.seq && isAction(it, "transport")).length,
                ),
              ]
            : [];
        }),
      ),
    ],
  ),
  Q(
    ["ack-a"],
    "P",
    "Do peer devices ever ack call stanzas, or only the server?",
    "Sender of inbound `<ack class=call>`: bare server, user JID, or device JID.",
    (ctx) => [
      histogram(
        "sender of inbound call acks",
        ctx.items
          .filter((it) => it.view.kind === "ack" && it.view.ackClass === "call" && dir(it) === "in")
          .map((it) => roleOf(it.view.kind === "ack" ? it.view.from : undefined, ctx, it)),
      ),
    ],
  ),
  Q(
    ["ack-b", "out-b"],
    "Y",
    "Which hops are acked?",
    "Per sent call action: whether an ack was captured, and its latency.",
    (ctx) => {
      const own = ctx.items.filter((it) => it.view.kind === "call" && dir(it) === "out");
      const byAction = new Map<string, { ms: number; quality: CallCtx["quality"] }[]>();
      for (const it of own) {
        const e = it.call?.summary.entries.find((x) => x.stanza.seq === it.stanza.seq);
        if (e?.ackLatencyMs !== undefined && it.call && it.view.kind === "call") {
          const list = byAction.get(it.view.action) ?? [];
          list.push({ ms: e.ackLatencyMs, quality: it.call.quality });
          byAction.set(it.view.action, list);
        }
      }
      return [
        histogram(
          "sent call stanzas",
          own.map(
            (it) =>
              `${it.view.kind === "call" ? it.view.action : ""}: ${it.view.kind === "call" && !it.view.id ? "no stanza id" : acksOf(ctx, it).length ? "acked" : "no ack captured"}`,
          ),
        ),
        ...[...byAction].map(([a, s]) => timing(`server ack latency of ${a}`, s)),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["ack-c"],
    "Y",
    "Which error codes appear on call acks?",
    "`error` attributes and `<error code>` children of acks.",
    (ctx) => [
      histogram(
        "call ack error (direction)",
        ctx.items
          .filter((it) => it.view.kind === "ack" && it.view.ackClass === "call")
          .map((it) => `${it.view.kind === "ack" ? (it.view.error ?? "none") : ""} (${dir(it)})`),
      ),
    ],
  ),
  Q(
    ["ack-d"],
    "Y",
    "Is there a separate call receipt besides the ack?",
    "Count of `receipt>offer` per direction.",
    (ctx) => [
      histogram(
        "receipt>offer (direction)",
        ctx.items
          .filter((it) => it.view.kind === "receipt" && it.view.child === "offer")
          .map((it) => dir(it)),
      ),
      count("offers", calItems(ctx, "offer").length),
    ],
  ),
  Q(
    ["pre-c"],
    "Y",
    "Do all of the callee's devices send a preaccept? (observable on the caller's side)",
    "Distinct preaccept senders per outgoing call.",
    (ctx) => [
      histogram(
        "distinct preaccept senders per outgoing call",
        calls(ctx)
          .filter((c) => c.summary.direction === "out")
          .map((c) =>
            String(
              new Set(
                c.items
                  .filter((it) => isAction(it, "preaccept") && dir(it) === "in")
                  .map((it) => (it.view.kind === "call" ? it.view.from : "")),
              ).size,
            ),
          ),
      ),
    ],
  ),
  Q(
    ["rej-c"],
    "Y",
    "Does a terminate follow a reject?",
    "Terminates with the same call-id after an inbound reject.",
    (ctx) => [
      histogram(
        "calls with an inbound reject",
        calls(ctx).flatMap((c) => {
          const r = firstWhere(c, (it) => isAction(it, "reject") && dir(it) === "in");
          if (!r) return [];
          const t = c.items.filter((it) => it.stanza.seq > r.stanza.seq && isAction(it, "terminate"));
          return [
            t.length ? `terminate after reject (${t.map(dir).join(",")})` : "no terminate after reject",
          ];
        }),
      ),
    ],
  ),
  Q(
    ["tr-a"],
    "Y",
    "Does transport use `<te>` or `<endpoint>` children?",
    "Child tag histogram under transport.",
    (ctx) => [
      histogram(
        "transport children",
        calItems(ctx, "transport").flatMap((it) => kids(actionOf(it)).map((c) => c.tag)),
      ),
    ],
  ),
  Q(
    ["tr-d", "tr-e"],
    "P",
    "How are candidate priorities set, and is keying redone after accept?",
    "`priority` values; enc/enc_rekey after accept.",
    (ctx) => [
      histogram(
        "te priority (action)",
        calItems(ctx, "transport", "accept").flatMap((it) =>
          kids(actionOf(it))
            .filter((c) => c.tag === "te")
            .map(
              (c) => `${attr(c, "priority") ?? "absent"} (${it.view.kind === "call" ? it.view.action : ""})`,
            ),
        ),
      ),
      count(
        "enc_rekey or enc-bearing stanzas after accept",
        calls(ctx).reduce((n, c) => {
          const acc = firstWhere(c, (it) => isAction(it, "accept"));
          return (
            n +
            (acc
              ? c.items.filter(
                  (it) =>
                    it.stanza.seq > acc.stanza.seq &&
                    (isAction(it, "enc_rekey") || kid(actionOf(it), "enc") !== undefined),
                ).length
              : 0)
          );
        }, 0),
      ),
    ],
  ),
  Q(
    ["inc-a"],
    "Y",
    "Is the offer acked before the phone rings (preaccept)?",
    "Order and time between own ack of the offer and own preaccept.",
    (ctx) => {
      const order: string[] = [];
      const gaps: { ms: number; quality: CallCtx["quality"] }[] = [];
      for (const c of calls(ctx)) {
        const o = offerOf(c);
        if (!o || dir(o) !== "in") continue;
        const ack = acksOf(ctx, o)[0];
        const pre = firstWhere(c, (it) => isAction(it, "preaccept") && dir(it) === "out");
        if (!pre) continue;
        order.push(
          ack
            ? ack.stanza.seq < pre.stanza.seq
              ? "ack before preaccept"
              : "preaccept before ack"
            : "no ack captured",
        );
        if (ack) gaps.push(dt(ack, pre, c));
      }
      return [
        histogram("incoming calls with own preaccept", order),
        timing("own ack → own preaccept", gaps),
        ...noTimes(ctx),
      ];
    },
  ),
  Q(
    ["inc-c"],
    "P",
    "Is the preaccept relayed through the server (which adds attributes)?",
    "Wrapper attributes of inbound preaccepts (`t`, `platform`, `version`).",
    (ctx) => [
      histogram(
        "inbound preaccept wrapper attributes",
        calItems(ctx, "preaccept")
          .filter((it) => dir(it) === "in")
          .map((it) => Object.keys(it.node.attrs).sort().join(",")),
      ),
    ],
  ),
  Q(
    ["CRY-06c"],
    "P",
    "Are participants named by LID or phone number in group updates and destinations?",
    "Servers of `destination>to@jid` and group_update participant JIDs.",
    (ctx) => [
      histogram(
        "participant JID servers",
        ctx.items.flatMap((it) => {
          const out: string[] = [];
          const walk = (
            n: { tag: string; attrs: Record<string, string>; content?: unknown },
            inside: string | undefined,
          ) => {
            const here = n.tag === "destination" || n.tag === "group_update" ? n.tag : inside;
            if (here && n.attrs.jid) out.push(`${here}: ${serverOf(n.attrs.jid)}`);
            if (Array.isArray(n.content)) for (const c of n.content) walk(c, here);
          };
          walk(it.node, undefined);
          return out;
        }),
      ),
    ],
  ),
  Q(
    ["REL-01b"],
    "Y",
    "Which relay transport protocols does te2@protocol announce?",
    "Histogram of te2@protocol.",
    (ctx) => [
      histogram(
        "te2@protocol",
        ctx.items.flatMap((it) => {
          const out: string[] = [];
          const walk = (n: { tag: string; attrs: Record<string, string>; content?: unknown }) => {
            if (n.tag === "te2") out.push(n.attrs.protocol ?? "absent");
            if (Array.isArray(n.content)) for (const c of n.content) walk(c);
          };
          walk(it.node);
          return out;
        }),
      ),
    ],
  ),
  Q(
    ["REL-01c"],
    "Y",
    "Do te2 token ids index the relay's token tables?",
    "te2 token_id/auth_token_id against the number of token/auth_token entries.",
    (ctx) => {
      const keys: string[] = [];
      for (const it of ctx.items) {
        const walk = (n: { tag: string; attrs: Record<string, string>; content?: unknown }) => {
          if (n.tag === "relay" && Array.isArray(n.content)) {
            const cs = n.content as { tag: string; attrs: Record<string, string> }[];
            const tokens = new Set(cs.filter((c) => c.tag === "token").map((c) => c.attrs.id));
            const auth = new Set(cs.filter((c) => c.tag === "auth_token").map((c) => c.attrs.id));
            for (const t of cs.filter((c) => c.tag === "te2")) {
              keys.push(
                `token_id ${t.attrs.token_id === undefined ? "absent" : tokens.has(t.attrs.token_id) ? "matches a token" : "no such token"}`,
              );
              keys.push(
                `auth_token_id ${t.attrs.auth_token_id === undefined ? "absent" : auth.has(t.attrs.auth_token_id) ? "matches an auth_token" : "no such auth_token"}`,
              );
            }
          }
          if (Array.isArray(n.content)) for (const c of n.content) walk(c as never);
        };
        walk(it.node);
      }
      return [histogram("te2 token references", keys)];
    },
  ),
  Q(
    ["ENC-02b", "ENC-05a"],
    "P",
    "Which audio codec features (MLow, 48 kHz) are advertised?",
    "`audio@rate` sets per action, capability byte 5 bit 7 when bytes are kept.",
    (ctx) => [
      histogram(
        "audio rates (action, direction)",
        calItems(ctx, "offer", "preaccept", "accept").map(
          (it) =>
            `${it.view.kind === "call" ? it.view.action : ""} ${dir(it)}: ${
              kids(actionOf(it))
                .filter((c) => c.tag === "audio")
                .map((c) => attr(c, "rate") ?? "?")
                .join("+") || "none"
            }`,
        ),
      ),
      histogram(
        "capability byte 5 bit 7 (MLow gate)",
        calItems(ctx, "offer", "preaccept", "accept").flatMap((it) => {
          const cap = kid(actionOf(it), "capability");
          const b = cap && realBytes(cap);
          return b && b.length > 5
            ? [`${it.view.kind === "call" ? it.view.action : ""}: ${(b[5] & 0x80) !== 0 ? "set" : "clear"}`]
            : [];
        }),
      ),
    ],
  ),
  Q(
    ["ENC-06", "ENC-07"],
    "P",
    "Which video codecs are offered and accepted?",
    "`video@enc`/`dec` values.",
    (ctx) => [
      histogram(
        "video enc/dec (action)",
        calItems(ctx, "offer", "preaccept", "accept").flatMap((it) => {
          const v = kid(actionOf(it), "video");
          return v
            ? [
                `${it.view.kind === "call" ? it.view.action : ""}: enc=${attr(v, "enc") ?? "absent"} dec=${attr(v, "dec") ?? "absent"}`,
              ]
            : [];
        }),
      ),
    ],
  ),
];
