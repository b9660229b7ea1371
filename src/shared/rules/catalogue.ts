/**
 * The 75 normative rules of the call-signalling parts, numbered as in
 * ../shared/research/call-signalling.md §7, with whether a passive observer of ONE device's
 * decrypted stanza stream can check each one, and why not when it cannot.
 *
 * What such an observer sees: every `<call>`, `<ack class="call">` and offer `<receipt>` this
 * device sends or receives, with capture times. What it cannot see: decrypted `<enc>` payloads,
 * the UDP media plane, other devices' streams, and the client's internal state (how it parses,
 * correlates or decides). A rule only about that is not checkable.
 *
 * Some rules restate another rule's obligation for a narrower flow; such a rule is checkable
 * and `coveredBy` names the rule whose check reports it (so one problem yields one finding).
 */

/** One normative rule. */
export interface RuleInfo {
  /** 1..75, as in call-signalling.md §7. */
  rule: number;
  /** wacrg part code, e.g. `SIG-14`, `REL-01`. */
  part: string;
  /** The rule in one line. */
  text: string;
  /** Whether one device's stanza stream can show the rule broken. */
  checkable: boolean;
  /** Where the check runs: on one stanza, on a whole call, or on the whole session. */
  level?: "stanza" | "call" | "session";
  /** A checkable rule reported under another rule's check (same obligation). */
  coveredBy?: number;
  /** Why the rule is not checkable, or what part of it is. */
  reason?: string;
}

const INTERNAL = "internal client behaviour (parsing, correlation, state), not visible in the stanza stream";

function r(
  rule: number,
  part: string,
  text: string,
  checkable: boolean,
  extra: Partial<Pick<RuleInfo, "level" | "coveredBy" | "reason">> = {},
): RuleInfo {
  return { rule, part, text, checkable, ...extra };
}

/** All 75 rules, index = rule number − 1. */
export const RULES: readonly RuleInfo[] = [
  r(1, "SIG-01", "offer carries call-id and call-creator", true, { level: "stanza" }),
  r(2, "SIG-01", "offer children in the fixed order (else server error 439)", true, { level: "stanza" }),
  r(3, "SIG-01", "capability ver=1 body is 01 05 f7 09 e4 bb 13", true, { level: "stanza" }),
  r(4, "SIG-01", "each recipient device gets its own <enc> (pkmsg|msg)", true, {
    level: "stanza",
    reason: "partly: the device list is unknown; checks that keys exist, one per listed device, no repeats",
  }),
  r(5, "SIG-02", "a video offer carries <video>", false, {
    reason: "whether the user meant a video call is not in the stream; <video> itself is what marks it",
  }),
  r(6, "SIG-02", "video iff any <video> child; no attributes required; audio parsed as usual", false, {
    reason: INTERNAL,
  }),
  r(7, "SIG-02", "offer_notice is video iff media=video", false, { reason: INTERNAL }),
  r(8, "SIG-03", "accept wrapper has `to`; `id` may be omitted", true, { level: "stanza" }),
  r(9, "SIG-03", "accept carries the offer's call-id and call-creator verbatim", true, { level: "call" }),
  r(10, "SIG-03", "accept children in order; te right after audio; voip_settings last", true, {
    level: "stanza",
  }),
  r(11, "SIG-04", "a preaccept is followed by accept, reject or terminate", true, { level: "call" }),
  r(12, "SIG-04", "preaccept wrapper has `to` and a random `id`; action has call-id and call-creator", true, {
    level: "stanza",
  }),
  r(13, "SIG-04", "preaccept order audio+ → encopt(keygen=2) → capability(…bb 07)", true, {
    level: "stanza",
  }),
  r(14, "SIG-04", "receiver correlates by call-id + call-creator; no receipt expected", false, {
    reason: `${INTERNAL}; a receipt for a preaccept would be reported by rule 25`,
  }),
  r(15, "SIG-05", "transport call-id equals the offer's; call-creator present", true, { level: "call" }),
  r(16, "SIG-05", "transport contains <net>; te priority=1 precedes it", true, { level: "stanza" }),
  r(17, "SIG-05", "net medium=2; protocol=0 unless type 9 (then absent)", true, { level: "stanza" }),
  r(18, "SIG-05", "receiver reads ids, may read round/type, ignores unknown transport", false, {
    reason: INTERNAL,
  }),
  r(19, "SIG-07", "every received <call> gets a generic <ack> keyed by stanza id", true, {
    level: "call",
    reason: "only where this device's outbound acks are observable (not in WA Web worker mode)",
  }),
  r(20, "SIG-07", "a received offer (and only an offer) also gets a <receipt>", true, { level: "call" }),
  r(21, "SIG-07", "receipt `to` equals the offer's `from`", true, { level: "call" }),
  r(22, "SIG-07", "receipt `id` equals the <call> stanza id, not the call-id", true, { level: "call" }),
  r(23, "SIG-07", "receipt `from` is own LID/PN matching the caller's address space (SHOULD)", true, {
    level: "call",
  }),
  r(24, "SIG-07", "receipt <offer> has exactly call-id and call-creator, copied verbatim; no media", true, {
    level: "stanza",
  }),
  r(25, "SIG-07", "no receipt for non-offer actions", true, { level: "call" }),
  r(26, "SIG-07", "an unknown action neither fails nor gets a receipt (ack only)", true, {
    level: "session",
  }),
  r(27, "SIG-08", "reject wrapper has `to` = caller and no builder `id`", true, { level: "stanza" }),
  r(28, "SIG-08", "<reject> has exactly call-id and call-creator and is empty", true, { level: "stanza" }),
  r(29, "SIG-08", "no reject after a preaccept or accept from the same device", true, { level: "call" }),
  r(30, "SIG-08", "a reject without call-id/call-creator is treated as malformed", false, {
    reason: `${INTERNAL}; the missing attributes themselves are rule 28`,
  }),
  r(31, "SIG-12", "each callee device sends an offer receipt with id = stanza id", true, {
    level: "call",
    coveredBy: 20,
  }),
  r(32, "SIG-12", "receipt `from` is own LID when the offer came to a LID, else PN", true, { level: "call" }),
  r(33, "SIG-12", "a missed call ends with <terminate> carrying the offer's call-id and call-creator", true, {
    level: "call",
  }),
  r(34, "SIG-12", "<destination> lists ringing devices, else is omitted", true, {
    level: "stanza",
    coveredBy: 45,
  }),
  r(35, "SIG-12", "an unspecified reason is omitted, never empty", true, { level: "stanza", coveredBy: 44 }),
  r(36, "SIG-12", "duration counters are optional; absence means not reported", false, { reason: INTERNAL }),
  r(37, "SIG-12", "an unknown action child is ignored", false, {
    reason: `${INTERNAL}; a receipt or error for it is rule 26`,
  }),
  r(38, "SIG-13", "mute_v2 sent per change, `to` = peer, no `id`", true, {
    level: "stanza",
    reason: "partly: whether each change was sent is unknown; checks `to` and `id`",
  }),
  r(39, "SIG-13", "call-id equals the offer's; call-creator byte-identical across actions", true, {
    level: "call",
  }),
  r(40, "SIG-13", "mute-state is the new absolute state; tag mute_v2 with no children", true, {
    level: "stanza",
  }),
  r(41, "SIG-13", "muting does not renegotiate transport, codecs or keys", false, {
    reason: "whether a later transport or rekey was caused by a mute cannot be told from the stream",
  }),
  r(42, "SIG-14", "terminate wrapper has `to` and no builder `id`", true, { level: "stanza" }),
  r(43, "SIG-14", "terminate carries call-id (not a stanza id) and call-creator", true, { level: "stanza" }),
  r(44, "SIG-14", 'reason may be omitted but never `reason=""`', true, { level: "stanza" }),
  r(45, "SIG-14", "at most one <destination> with one <to jid> per device; omitted if none", true, {
    level: "stanza",
  }),
  r(46, "SIG-14", "duration / audio_duration are u32 seconds when present", true, {
    level: "stanza",
    reason: "partly: how the receiver reads them is internal; checks their form",
  }),
  r(47, "SIG-14", "an unrecognised action is ignored", false, { reason: INTERNAL }),
  r(48, "SIG-15", "relaylatency has call-id/call-creator; wrapper `to` = peer, no `id`", true, {
    level: "stanza",
  }),
  r(49, "SIG-15", "exactly one <te> with latency, relay_name and address bytes", true, { level: "stanza" }),
  r(50, "SIG-15", "latency = decimal(0x02000000 + rtt_ms)", true, { level: "stanza" }),
  r(51, "SIG-15", "<destination> when targeting devices; omitted if none", true, { level: "stanza" }),
  r(52, "SIG-15", "receiver keys by call-id/call-creator; tolerates missing te/destination", false, {
    reason: INTERNAL,
  }),
  r(53, "SIG-16", "a <call> with only unknown children is ignored (no error, no receipt)", true, {
    level: "session",
    coveredBy: 26,
  }),
  r(54, "SIG-16", "an inbound <call> without from, id or a valid t is rejected", true, {
    level: "stanza",
    reason: "checks that inbound calls carry them; the rejection itself is internal",
  }),
  r(55, "SIG-16", "call-id and stanza id are both retained", false, { reason: INTERNAL }),
  r(56, "SIG-16", "each offer <audio> has enc and a numeric rate", true, { level: "stanza" }),
  r(57, "SIG-16", "the offer receipt goes before (or with) the answer", true, { level: "call" }),
  r(58, "SIG-16", "preaccept/accept order as shown; ids copied verbatim", true, {
    level: "call",
    reason: "order is rules 10 and 13; this check covers verbatim ids on preaccept and reject",
  }),
  r(59, "SIG-17", "the caller makes the call-id before the offer and echoes it everywhere", true, {
    level: "call",
  }),
  r(60, "SIG-17", "call-creator is the caller's own id, constant for the call", true, { level: "call" }),
  r(61, "SIG-17", "enumerate devices, Signal sessions, one random 32-byte call key per call", false, {
    reason: "needs the <enc> plaintext and the device list",
  }),
  r(62, "SIG-17", "the call is pending until the server ack (by stanza id)", false, { reason: INTERNAL }),
  r(63, "SIG-17", "offer receipts are correlated by call-id + call-creator", false, { reason: INTERNAL }),
  r(64, "SIG-17", "a preaccept only means ringing: no media start, no tear-down", false, {
    reason: "media is not visible, and causality of a later terminate cannot be told",
  }),
  r(65, "SIG-17", "after accept, signalling addresses the accepting device", true, { level: "call" }),
  r(66, "SIG-17", "transport handled; relaylatency optional; steps may overlap", false, { reason: INTERNAL }),
  r(67, "SIG-17", "consent-freshness traffic while connected", false, {
    reason: "UDP media plane, not visible",
  }),
  r(68, "SIG-17", "after terminate: media stops, call-id never reused", true, {
    level: "call",
    reason: "partly: media is not visible; checks later offers and actions for the call-id",
  }),
  r(69, "SIG-17", "the caller may cancel before accept with terminate", false, {
    reason: "a permission, nothing to break",
  }),
  r(70, "SIG-17", "once one device answers, the others are no longer live", true, {
    level: "call",
    coveredBy: 65,
  }),
  r(71, "SIG-18", "ack and offer receipt are sent even when rejecting", true, {
    level: "call",
    coveredBy: 20,
  }),
  r(72, "SIG-18", "on the reject path: no preaccept/accept, no transport or relaylatency", true, {
    level: "call",
    reason: "partly: key decryption is not visible",
  }),
  r(73, "SIG-18", "no terminate for a call that never passed the offer", true, { level: "call" }),
  r(74, "SIG-18", "the caller treats a reject as that device's decline", false, { reason: INTERNAL }),
  r(75, "REL-01", "relay: hbh_key 30 bytes, te2 6/18 bytes, merge by id+name, FNA never probed", true, {
    level: "call",
    reason: "partly: merging is internal; checks key size, te2 sizes and that FNA relays are not probed",
  }),
];

/** The rule with number `n` (1..75). */
export function ruleInfo(n: number): RuleInfo | undefined {
  return RULES[n - 1]?.rule === n ? RULES[n - 1] : RULES.find((x) => x.rule === n);
}

/** The part code of rule `n`, or `"?"`. */
export function rulePart(n: number): string {
  return ruleInfo(n)?.part ?? "?";
}
