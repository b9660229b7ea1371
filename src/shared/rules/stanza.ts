/**
 * Single-stanza rule checks: what one `<call>`, `<ack>` or `<receipt>` shows on its own.
 * Rule numbers as in ../shared/research/call-signalling.md §7 (see {@link RULES}).
 * Where real clients differ from the corpus (§8: wrapper ids, capability bytes, missing `id`
 * on transport/relaylatency) the finding is a `warning` that says so. Where real traffic
 * (research real-captures.md) breaks a draft rule the same way (a reject with `count` or
 * `reason`, a terminate, transport or relaylatency without `call-creator`, a relay latency
 * without the 0x02000000 offset, an ack from a LID) the finding is `info`, marked
 * `observed: "real-traffic"`: it questions the draft, it is no fault of the input.
 */
import { jidServer } from "../codec/jid";
import { type AnyNode, contentKind, getChildren } from "../codec/node";
import {
  type AcceptAction,
  type CallAction,
  type CallModel,
  KNOWN_CAPABILITIES,
  type OfferAction,
  type PreacceptAction,
  RELAY_LATENCY_BASE,
  type RelayBlock,
  type RelayLatencyAction,
  readStanza,
  type StanzaModel,
  type TerminateAction,
  type TransportAction,
} from "../stanza/model";
import type { Direction } from "../trace/types";
import { rulePart } from "./catalogue";
import {
  builtBy,
  firstOrderBreak,
  type Issue,
  type RuleFinding,
  runChecks,
  seenInRealTraffic,
} from "./types";

/** What a stanza check sees. */
export interface StanzaCheckInput {
  node: AnyNode;
  direction: Direction;
  model: StanzaModel;
}

/** A named single-stanza check of one rule. */
export interface StanzaCheck {
  /** Check name, e.g. `terminate-envelope`. */
  name: string;
  /** Rule number (1..75). */
  rule: number;
  run(input: StanzaCheckInput): Issue[];
}

/** SIG-01 capability body for offers and accepts. */
const SPEC_CAP_OFFER = "01 05 f7 09 e4 bb 13";
/** SIG-04 capability body for preaccepts. */
const SPEC_CAP_PREACCEPT = "01 05 f7 09 e4 bb 07";
/** Largest plausible relay RTT, ms (60 s). */
export const MAX_PLAUSIBLE_RTT_MS = 60_000;

const WRAPPER_ID_NOTE =
  "real clients differ (call-signalling.md §8): whatsmeow and whatsapp-rust set an id, and WA Web " +
  "wraps every outbound VoIP payload in <call to id>";

function action<K extends CallAction["kind"]>(
  input: StanzaCheckInput,
  kind: K,
): { call: CallModel; act: Extract<CallAction, { kind: K }> } | undefined {
  const m = input.model;
  if (m.kind !== "call" || m.action?.kind !== kind) return undefined;
  return { call: m, act: m.action as Extract<CallAction, { kind: K }> };
}

function missingIds(act: CallAction): string[] {
  const out: string[] = [];
  if (!act.callId) out.push("call-id");
  if (!act.callCreator) out.push("call-creator");
  return out;
}

/**
 * Issues for missing ids: a missing `call-id` is a violation; a missing `call-creator` too,
 * unless `creatorSeen` says real traffic lacks it the same way (then an `info` finding).
 */
function idsIssues(act: CallAction, creatorSeen: string | undefined, note = ""): Issue[] {
  const missing = missingIds(act);
  if (missing.length === 0) return [];
  if (!creatorSeen || !missing.includes("call-creator"))
    return [{ severity: "violation", message: `<${act.kind}> lacks ${missing.join(" and ")}${note}` }];
  const out: Issue[] = [];
  if (missing.includes("call-id"))
    out.push({ severity: "violation", message: `<${act.kind}> lacks call-id` });
  out.push(seenInRealTraffic(`<${act.kind}> lacks call-creator${note}; ${creatorSeen}`));
  return out;
}

/**
 * `call-id` and `call-creator` on an action.
 * @param creatorSeen what real traffic showed when it lacked `call-creator` too, if it did.
 */
function idsCheck(name: string, rule: number, kind: CallAction["kind"], creatorSeen?: string): StanzaCheck {
  return {
    name,
    rule,
    run(input) {
      const x = action(input, kind);
      return x ? idsIssues(x.act, creatorSeen) : [];
    },
  };
}

const OLDER_WITHOUT_CREATOR = "real transport and relaylatency stanzas of older captures have none";

/** `to` required and builder `id` forbidden on an outbound wrapper (SIG-08, SIG-13, SIG-14, SIG-15). */
function wrapperCheck(name: string, rule: number, kind: CallAction["kind"]): StanzaCheck {
  return {
    name,
    rule,
    run(input) {
      const x = action(input, kind);
      if (!x || input.direction !== "out") return [];
      const out: Issue[] = [];
      if (!x.call.envelope.to)
        out.push({ severity: "violation", message: `<call> wrapping <${kind}> has no \`to\`` });
      if (x.call.envelope.id !== undefined)
        out.push({
          severity: "warning",
          message: `<call> wrapping <${kind}> carries id="${x.call.envelope.id}", which the part forbids; ${WRAPPER_ID_NOTE}`,
        });
      return out;
    },
  };
}

function capabilityIssue(
  where: string,
  cap: { ver?: number; hex?: string; truncated: boolean } | undefined,
  expected: string,
  part: string,
): Issue[] {
  if (!cap || cap.truncated || cap.hex === undefined || cap.ver !== 1) return [];
  if (cap.hex === expected) return [];
  const known = KNOWN_CAPABILITIES.find((k) => k.hex === cap.hex);
  const note = known
    ? `it is the ${known.label} blob (${known.origin === "client" ? "client code differs from the corpus, §8" : "another action's blob"})`
    : "an unknown blob (research finding)";
  return [
    {
      severity: "warning",
      message: `${where} capability body is ${cap.hex}, ${part} says ${expected}; ${note}`,
    },
  ];
}

const OFFER_RANK: Readonly<Record<string, number>> = {
  privacy: 0,
  audio: 1,
  video: 2,
  net: 3,
  capability: 4,
  destination: 5,
  enc: 5,
  encopt: 6,
  "device-identity": 7,
};

const ACCEPT_RANK: Readonly<Record<string, number>> = {
  audio: 0,
  video: 1,
  te: 2,
  net: 3,
  encopt: 4,
  metadata: 5,
  capability: 6,
  rte: 7,
  voip_settings: 8,
};

const PREACCEPT_RANK: Readonly<Record<string, number>> = { audio: 0, video: 1, encopt: 2, capability: 3 };

function orderIssue(
  kind: string,
  tags: readonly string[],
  rank: Readonly<Record<string, number>>,
  dir: Direction,
) {
  const brk = firstOrderBreak(tags, rank);
  if (!brk) return [];
  const videoOpen = brk.includes("video");
  return [
    {
      severity: videoOpen ? ("warning" as const) : builtBy(dir),
      message:
        `<${kind}> child <${brk[1]}> comes after <${brk[0]}>` +
        (videoOpen ? " (the position of <video> is an open question, SIG-02)" : ""),
    },
  ];
}

function isGroupOffer(o: OfferAction): boolean {
  return o.groupInfo !== undefined || o.groupJid !== undefined || o.joinable;
}

function relayIssues(relay: RelayBlock | undefined, where: string): Issue[] {
  if (!relay) return [];
  const out: Issue[] = [];
  const hbh = relay.hbhKey;
  if (hbh && hbh.decodedLength !== 30)
    out.push({
      severity: "warning",
      message: `${where} <hbh_key> decodes to ${hbh.decodedLength ?? 0} bytes, not 30; a client treats it as absent`,
    });
  const odd = relay.te2.filter((t) => !t.address).map((t) => t.length);
  if (odd.length > 0)
    out.push({
      severity: "info",
      message: `${where} has ${odd.length} <te2> whose content is not 6 or 18 bytes (${odd.join(", ")} bytes); skipped`,
    });
  return out;
}

/** Every single-stanza check, in rule order. */
export const STANZA_CHECKS: readonly StanzaCheck[] = [
  idsCheck("offer-ids", 1, "offer"),
  {
    name: "offer-child-order",
    rule: 2,
    run(input) {
      const x = action(input, "offer");
      return x ? orderIssue("offer", x.act.childTags, OFFER_RANK, input.direction) : [];
    },
  },
  {
    name: "offer-capability",
    rule: 3,
    run(input) {
      const x = action(input, "offer");
      return x ? capabilityIssue("offer", x.act.capability, SPEC_CAP_OFFER, "SIG-01") : [];
    },
  },
  {
    name: "offer-keys",
    rule: 4,
    run(input) {
      const x = action(input, "offer");
      if (!x || isGroupOffer(x.act)) return [];
      const o = x.act;
      const sev = builtBy(input.direction);
      const out: Issue[] = [];
      const targets = o.destination?.targets ?? [];
      const encs = [...o.enc, ...targets.flatMap((t) => t.enc)];
      if (encs.length === 0)
        out.push({ severity: sev, message: "offer carries no <enc> call key for any device" });
      const bare = targets.filter((t) => t.enc.length === 0).map((t) => t.jid ?? "(no jid)");
      if (bare.length > 0)
        out.push({
          severity: sev,
          message: `offer <destination> targets without an <enc>: ${bare.join(", ")}`,
        });
      const seen = new Set<string>();
      for (const t of targets) {
        if (t.jid === undefined) continue;
        if (seen.has(t.jid)) out.push({ severity: sev, message: `offer <destination> lists ${t.jid} twice` });
        seen.add(t.jid);
      }
      const badType = encs
        .filter((e) => e.type !== "pkmsg" && e.type !== "msg")
        .map((e) => e.type ?? "(none)");
      if (badType.length > 0)
        out.push({ severity: sev, message: `offer <enc> type is not pkmsg or msg: ${badType.join(", ")}` });
      return out;
    },
  },
  {
    name: "accept-envelope",
    rule: 8,
    run(input) {
      const x = action(input, "accept");
      if (!x || input.direction !== "out" || x.call.envelope.to) return [];
      return [{ severity: "violation", message: "<call> wrapping <accept> has no `to`" }];
    },
  },
  idsCheck("accept-ids", 9, "accept"),
  {
    name: "accept-children",
    rule: 10,
    run(input) {
      const x = action(input, "accept");
      if (!x) return [];
      const a: AcceptAction = x.act;
      const sev = builtBy(input.direction);
      const tags = a.childTags;
      // <te> and <voip_settings> misplacements get their own message below.
      const brk = firstOrderBreak(tags, ACCEPT_RANK);
      const specific = brk?.some((t) => t === "te" || t === "voip_settings");
      const out: Issue[] = specific ? [] : orderIssue("accept", tags, ACCEPT_RANK, input.direction);
      const te = tags.indexOf("te");
      if (te > 0 && tags[te - 1] !== "audio" && tags[te - 1] !== "video")
        out.push({ severity: sev, message: `accept <te> follows <${tags[te - 1]}>, not the <audio> nodes` });
      if (te === 0) out.push({ severity: sev, message: "accept <te> comes before any <audio>" });
      const vs = tags.indexOf("voip_settings");
      if (vs >= 0 && vs !== tags.length - 1)
        out.push({
          severity: sev,
          message: `accept <voip_settings> is not the last child (<${tags[tags.length - 1]}> is)`,
        });
      if (a.audio.length === 0) out.push({ severity: sev, message: "accept has no <audio>" });
      if (!a.net) out.push({ severity: sev, message: "accept has no <net>" });
      else if (a.net.medium !== 2)
        out.push({
          severity: sev,
          message: `accept <net medium="${a.net.medium ?? ""}">, SIG-03 requires 2`,
        });
      if (!tags.includes("encopt")) out.push({ severity: sev, message: "accept has no <encopt>" });
      else if (a.keygen !== 2)
        out.push({ severity: sev, message: `accept <encopt keygen="${a.keygen ?? ""}">, SIG-03 requires 2` });
      return out;
    },
  },
  {
    name: "preaccept-envelope-ids",
    rule: 12,
    run(input) {
      const x = action(input, "preaccept");
      if (!x) return [];
      const out: Issue[] = [];
      const missing = missingIds(x.act);
      if (missing.length > 0)
        out.push({ severity: "violation", message: `<preaccept> lacks ${missing.join(" and ")}` });
      if (input.direction === "out") {
        if (!x.call.envelope.to)
          out.push({ severity: "violation", message: "<call> wrapping <preaccept> has no `to`" });
        if (!x.call.envelope.id)
          out.push({ severity: "violation", message: "<call> wrapping <preaccept> has no `id`" });
      }
      return out;
    },
  },
  {
    name: "preaccept-children",
    rule: 13,
    run(input) {
      const x = action(input, "preaccept");
      if (!x) return [];
      const p: PreacceptAction = x.act;
      const sev = builtBy(input.direction);
      const out: Issue[] = orderIssue("preaccept", p.childTags, PREACCEPT_RANK, input.direction);
      if (p.audio.length === 0) out.push({ severity: sev, message: "preaccept has no <audio>" });
      if (!p.childTags.includes("encopt")) out.push({ severity: sev, message: "preaccept has no <encopt>" });
      else if (p.keygen !== 2)
        out.push({
          severity: sev,
          message: `preaccept <encopt keygen="${p.keygen ?? ""}">, SIG-04 requires 2`,
        });
      if (!p.capability) out.push({ severity: sev, message: "preaccept has no <capability>" });
      out.push(...capabilityIssue("preaccept", p.capability, SPEC_CAP_PREACCEPT, "SIG-04"));
      return out;
    },
  },
  idsCheck("transport-ids", 15, "transport", OLDER_WITHOUT_CREATOR),
  {
    name: "transport-children",
    rule: 16,
    run(input) {
      const x = action(input, "transport");
      if (!x) return [];
      const t: TransportAction = x.act;
      const sev = builtBy(input.direction);
      const net = t.childTags.indexOf("net");
      if (net < 0) return [{ severity: sev, message: "transport has no <net>" }];
      const te = t.childTags.indexOf("te");
      const out: Issue[] = [];
      if (te > net) out.push({ severity: sev, message: "transport <te> comes after <net>" });
      if (te >= 0 && t.te?.priority !== 1)
        out.push({
          severity: sev,
          message: `transport <te priority="${t.te?.priority ?? ""}">, SIG-05 requires 1`,
        });
      return out;
    },
  },
  {
    name: "transport-net",
    rule: 17,
    run(input) {
      const x = action(input, "transport");
      if (!x?.act.net) return [];
      const t = x.act;
      const net = t.net!;
      const sev = builtBy(input.direction);
      const out: Issue[] = [];
      if (net.medium !== 2)
        out.push({
          severity: sev,
          message: `transport <net medium="${net.medium ?? ""}">, SIG-05 requires 2`,
        });
      if (t.rawMessageType === "9") {
        if (net.hasProtocol)
          out.push({
            severity: sev,
            message: "transport type 9 <net> carries `protocol`, which SIG-05 requires absent",
          });
      } else if (net.protocol !== 0 || !net.hasProtocol) {
        out.push({
          severity: sev,
          message: `transport <net> protocol is ${net.hasProtocol ? `"${net.protocol}"` : "absent"}, SIG-05 requires "0"`,
        });
      }
      return out;
    },
  },
  {
    name: "receipt-offer-shape",
    rule: 24,
    run(input) {
      const m = input.model;
      if (m.kind !== "receipt" || m.child !== "offer") return [];
      const sev = builtBy(input.direction);
      const out: Issue[] = [];
      const missing = [m.callId ? "" : "call-id", m.callCreator ? "" : "call-creator"].filter(Boolean);
      if (missing.length > 0)
        out.push({ severity: sev, message: `receipt <offer> lacks ${missing.join(" and ")}` });
      if (m.extraChildAttrs.length > 0)
        out.push({
          severity: sev,
          message: `receipt <offer> carries extra attributes: ${m.extraChildAttrs.join(", ")}`,
        });
      if (m.grandchildren > 0)
        out.push({
          severity: sev,
          message: `receipt <offer> carries ${m.grandchildren} child node(s); it must echo no media`,
        });
      return out;
    },
  },
  wrapperCheck("reject-envelope", 27, "reject"),
  {
    name: "reject-shape",
    rule: 28,
    run(input) {
      const x = action(input, "reject");
      if (!x) return [];
      const out: Issue[] = [];
      const missing = missingIds(x.act);
      if (missing.length > 0)
        out.push({ severity: "violation", message: `<reject> lacks ${missing.join(" and ")}` });
      const extra = Object.keys(x.act.node.attrs).filter((k) => k !== "call-id" && k !== "call-creator");
      const clientKnown = extra.filter((k) => k === "count" || k === "reason");
      const other = extra.filter((k) => k !== "count" && k !== "reason");
      if (clientKnown.length > 0)
        out.push(
          seenInRealTraffic(
            `<reject> carries ${clientKnown.map((k) => `${k}="${x.act.node.attrs[k]}"`).join(" ")}; SIG-08 allows exactly ` +
              'call-id and call-creator, but real rejects carry count="0" and an old one reason="unsupported-audio-caps"; ' +
              'Baileys, whatsmeow and whatsapp-rust send count="0" and the stanza file and flows use reason (§8)',
          ),
        );
      if (other.length > 0)
        out.push({
          severity: builtBy(input.direction),
          message: `<reject> carries extra attributes: ${other.join(", ")}`,
        });
      const kind = contentKind(x.act.node);
      if (kind !== "none" && !(kind === "children" && getChildren(x.act.node).length === 0))
        out.push({ severity: builtBy(input.direction), message: `<reject> is not empty (it has ${kind})` });
      return out;
    },
  },
  wrapperCheck("mute-envelope", 38, "mute_v2"),
  {
    name: "mute-shape",
    rule: 40,
    run(input) {
      const m = input.model;
      if (m.kind !== "call") return [];
      if (m.action?.kind === "mute")
        return [
          {
            severity: "warning",
            message: "a v1 <mute> action; SIG-13 requires the tag mute_v2 (v1 interplay is an open question)",
          },
        ];
      const x = action(input, "mute_v2");
      if (!x) return [];
      const out: Issue[] = [];
      const sev = builtBy(input.direction);
      const kind = contentKind(x.act.node);
      if (kind !== "none" && !(kind === "children" && getChildren(x.act.node).length === 0))
        out.push({ severity: sev, message: `<mute_v2> has content (${kind}); it must have no children` });
      if (x.act.muteState === undefined) out.push({ severity: sev, message: "<mute_v2> has no mute-state" });
      return out;
    },
  },
  wrapperCheck("terminate-envelope", 42, "terminate"),
  {
    name: "terminate-ids",
    rule: 43,
    run(input) {
      const x = action(input, "terminate");
      if (!x) return [];
      return idsIssues(
        x.act,
        "a real terminate had no call-creator either",
        " (the stanza file has call-creator optional and speculative; SIG-14 requires it)",
      );
    },
  },
  {
    name: "terminate-reason-empty",
    rule: 44,
    run(input) {
      const x = action(input, "terminate");
      if (x?.act.reason !== "") return [];
      return [
        { severity: "violation", message: '<terminate reason="">: an unspecified reason must be omitted' },
      ];
    },
  },
  {
    name: "terminate-destination",
    rule: 45,
    run(input) {
      const x = action(input, "terminate");
      if (!x) return [];
      const t: TerminateAction = x.act;
      const dests = t.childTags.filter((c) => c === "destination").length;
      const out: Issue[] = [];
      const sev = builtBy(input.direction);
      if (dests > 1)
        out.push({ severity: sev, message: `<terminate> has ${dests} <destination> children; at most one` });
      const d = t.destination;
      if (d) {
        if (d.targets.length === 0)
          out.push({
            severity: sev,
            message: "<terminate> has a <destination> without any <to>; it must be omitted",
          });
        const noJid = d.targets.filter((x) => !x.jid).length;
        if (noJid > 0)
          out.push({ severity: sev, message: `<terminate> <destination> has ${noJid} <to> without jid` });
      }
      return out;
    },
  },
  {
    name: "terminate-durations",
    rule: 46,
    run(input) {
      const x = action(input, "terminate");
      if (!x) return [];
      const out: Issue[] = [];
      for (const name of ["duration", "audio_duration"]) {
        const v = x.act.node.attrs[name];
        if (v === undefined) continue;
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff)
          out.push({
            severity: builtBy(input.direction),
            message: `<terminate ${name}="${v}"> is not a u32 count of seconds`,
          });
      }
      return out;
    },
  },
  {
    name: "relaylatency-envelope-ids",
    rule: 48,
    run(input) {
      const x = action(input, "relaylatency");
      if (!x) return [];
      const out: Issue[] = idsIssues(x.act, OLDER_WITHOUT_CREATOR);
      out.push(...wrapperCheck("relaylatency-envelope-ids", 48, "relaylatency").run(input));
      return out;
    },
  },
  {
    name: "relaylatency-te",
    rule: 49,
    run(input) {
      const x = action(input, "relaylatency");
      if (!x) return [];
      const r: RelayLatencyAction = x.act;
      const sev = builtBy(input.direction);
      if (r.te.length !== 1)
        return [{ severity: sev, message: `<relaylatency> has ${r.te.length} <te>; exactly one` }];
      const teNode = getChildren(r.node).find((c) => c.tag === "te");
      const lacks: string[] = [];
      // A present but malformed `latency` is rule 50's business.
      if (teNode?.attrs.latency === undefined) lacks.push("latency");
      if (r.te[0].relayName === undefined) lacks.push("relay_name");
      if (r.te[0].length === 0) lacks.push("address bytes");
      if (lacks.length === 0) return [];
      return [{ severity: sev, message: `relaylatency <te> lacks ${lacks.join(", ")}` }];
    },
  },
  {
    name: "relaylatency-latency",
    rule: 50,
    run(input) {
      const x = action(input, "relaylatency");
      if (!x) return [];
      const out: Issue[] = [];
      const sev = builtBy(input.direction);
      for (const te of getChildren(x.act.node).filter((c) => c.tag === "te")) {
        const raw = te.attrs.latency;
        if (raw === undefined) continue;
        if (!/^\d+$/.test(raw) || Number(raw) > 0xffffffff) {
          out.push({ severity: sev, message: `relaylatency latency="${raw}" is not a u32 decimal` });
          continue;
        }
        const v = Number(raw);
        if (v < RELAY_LATENCY_BASE) {
          const message = `relaylatency latency="${raw}" lacks the 0x02000000 offset SIG-15 requires (read as ${v} ms?)`;
          out.push(
            v <= MAX_PLAUSIBLE_RTT_MS
              ? seenInRealTraffic(`${message}; older real captures carry the plain RTT (590, 641, …)`)
              : { severity: sev, message },
          );
          continue;
        }
        const rtt = v - RELAY_LATENCY_BASE;
        if (rtt > MAX_PLAUSIBLE_RTT_MS)
          out.push({
            severity: "warning",
            message: `relaylatency latency="${raw}" decodes to an implausible RTT of ${rtt} ms`,
          });
      }
      return out;
    },
  },
  {
    name: "relaylatency-destination",
    rule: 51,
    run(input) {
      const x = action(input, "relaylatency");
      const d = x?.act.destination;
      if (!x || !d || d.targets.length > 0) return [];
      return [
        {
          severity: builtBy(input.direction),
          message: "relaylatency has a <destination> without any <to>; it must be omitted",
        },
      ];
    },
  },
  {
    name: "ack-sender",
    rule: 19,
    run(input) {
      const m = input.model;
      if (m.kind !== "ack" || m.ackClass !== "call" || input.direction !== "in") return [];
      const from = m.from;
      const server = jidServer(from);
      if (server !== "lid" && server !== "hosted.lid") return [];
      return [
        seenInRealTraffic(
          `ack${m.type ? ` of <${m.type}>` : ""} from="${from}" is a LID, not s.whatsapp.net, which the ack stanza file ` +
            "(draft) gives as the sender of server acks; a real server ack of an <accept> came from the caller's LID",
        ),
      ];
    },
  },
  {
    name: "inbound-envelope",
    rule: 54,
    run(input) {
      const m = input.model;
      if (m.kind !== "call" || input.direction !== "in") return [];
      const e = m.envelope;
      const out: Issue[] = [];
      if (!e.from) out.push({ severity: "violation", message: "inbound <call> has no `from`" });
      if (e.rawT === undefined) out.push({ severity: "violation", message: "inbound <call> has no `t`" });
      else if (e.t === undefined)
        out.push({ severity: "violation", message: `inbound <call t="${e.rawT}">: not epoch seconds` });
      if (e.id === undefined)
        out.push({
          severity: "warning",
          message:
            `inbound <call> (${m.action?.action ?? "no action"}) has no \`id\`; SIG-16 rejects it, but whatsapp-rust ` +
            "accepts it because transport and relaylatency can arrive without one (§8)",
        });
      return out;
    },
  },
  {
    name: "offer-audio-format",
    rule: 56,
    run(input) {
      const x = action(input, "offer");
      if (!x) return [];
      const bad = x.act.audio
        .map((a, i) => ({ a, i }))
        .filter(({ a }) => !a.enc || a.rateHz === undefined)
        .map(({ a, i }) => `audio[${i}] enc=${a.enc ?? "(none)"} rate=${a.rawRate ?? "(none)"}`);
      if (bad.length === 0) return [];
      return [
        {
          severity: builtBy(input.direction),
          message: `offer <audio> without enc or a numeric rate: ${bad.join("; ")}`,
        },
      ];
    },
  },
  {
    name: "relay-block",
    rule: 75,
    run(input) {
      const m = input.model;
      if (m.kind === "ack") return relayIssues(m.relay, "ack <relay>");
      if (m.kind === "call" && (m.action?.kind === "offer" || m.action?.kind === "group_update"))
        return relayIssues(m.action.relay, `${m.action.kind} <relay>`);
      return [];
    },
  },
];

/** The call-id a stanza names: its action's, or its receipt child's. */
export function stanzaCallId(model: StanzaModel): string | undefined {
  if (model.kind === "call") return model.action?.callId;
  if (model.kind === "receipt") return model.callId;
  return undefined;
}

/**
 * Runs every single-stanza rule check on one stanza. Pure; never throws (a check that fails
 * on an unexpected shape is skipped).
 * @param node the stanza (plain or portable node).
 * @param direction `out` = sent by this device, `in` = received.
 * @param seq the stanza's `seq`, copied into the findings.
 * @returns findings, in rule order; empty when the stanza breaks no checkable rule.
 */
export function checkStanza(node: AnyNode, direction: Direction, seq?: number): RuleFinding[] {
  let model: StanzaModel;
  try {
    model = readStanza(node);
  } catch {
    return []; // a node without the node shape: nothing to check
  }
  const input: StanzaCheckInput = { node, direction, model };
  const callId = stanzaCallId(model);
  return runChecks(STANZA_CHECKS, input, rulePart, (f) => {
    if (seq !== undefined) f.seq = seq;
    if (callId !== undefined) f.callId = callId;
  });
}
