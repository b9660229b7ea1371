/**
 * Terminate and reject reasons: what each value means, its spelling variants and
 * how sure the wacrg corpus is of it.
 * Sources: wacrg `spec/enums/terminate-reasons.yaml`, SIG-08 (call-reject), SIG-12
 * (flow-call-missed), SIG-14 (call-terminate); spelling variants from
 * ../shared/research/call-signalling.md §4.
 */

/** Corpus confidence, as wacrg states it. */
export type Confidence = "confirmed" | "probable" | "speculative" | "unknown";

/** One known reason value. */
export interface ReasonInfo {
  /** The spelling used for grouping (the corpus enum's value). */
  canonical: string;
  /** Every spelling seen on the wire or in client code, canonical first. */
  spellings: string[];
  /** What the reason means, in one short phrase (e.g. "missed: rang until the timeout"). */
  meaning: string;
  /** The corpus confidence of the value. */
  confidence: Confidence;
  /** wacrg part codes that describe it. */
  parts: string[];
}

const REASONS: ReasonInfo[] = [
  {
    canonical: "timeout",
    spellings: ["timeout"],
    meaning: "missed: rang until the ring timeout",
    confidence: "probable",
    parts: ["SIG-12", "SIG-14"],
  },
  {
    canonical: "busy",
    spellings: ["busy"],
    meaning: "busy: the callee's device could not take the call",
    confidence: "probable",
    parts: ["SIG-08", "SIG-14"],
  },
  {
    canonical: "declined",
    spellings: ["declined"],
    meaning: "declined by the callee",
    confidence: "probable",
    parts: ["SIG-08", "SIG-14"],
  },
  {
    canonical: "accept_elsewhere",
    spellings: ["accept_elsewhere", "accepted_elsewhere"],
    meaning: "answered on another of the user's devices",
    confidence: "speculative",
    parts: ["SIG-14", "SIG-16"],
  },
  {
    canonical: "reject_elsewhere",
    spellings: ["reject_elsewhere", "rejected_elsewhere"],
    meaning: "declined on another of the user's devices",
    confidence: "speculative",
    parts: ["SIG-14", "SIG-18"],
  },
  {
    canonical: "connection_lost",
    spellings: ["connection_lost"],
    meaning: "failed: the media connection dropped",
    confidence: "speculative",
    parts: ["SIG-14"],
  },
  {
    canonical: "retry",
    spellings: ["retry"],
    meaning: "set-up to be retried",
    confidence: "speculative",
    parts: ["SIG-14"],
  },
  {
    canonical: "cancelled",
    spellings: ["cancelled"],
    meaning: "cancelled by the caller before an answer",
    confidence: "speculative",
    parts: ["SIG-14", "SIG-17"],
  },
  {
    canonical: "group_call_ended",
    spellings: ["group_call_ended"],
    meaning: "the group call ended",
    confidence: "unknown",
    parts: ["SIG-06"],
  },
];

const BY_SPELLING = new Map<string, ReasonInfo>();
for (const info of REASONS) for (const s of info.spellings) BY_SPELLING.set(s, info);

/**
 * Looks a raw `reason` attribute value up.
 * @param raw the attribute value exactly as captured (case-sensitive).
 * @returns the known reason, or `undefined` when the value is not in the vocabulary
 *   (an unknown value is a research finding, not an error).
 */
export function reasonInfo(raw: string): ReasonInfo | undefined {
  return BY_SPELLING.get(raw);
}

/**
 * Reasons seen in real traffic that the wacrg corpus does not list, with their meaning as the
 * posts describe it (source: research real-captures.md; the vocabulary lists them too).
 */
const REAL_TRAFFIC_REASONS: ReadonlyMap<string, string> = new Map([
  ["uncallable", "the callee's device cannot take calls"],
  ["unsupported-audio-caps", "the callee cannot use the offered audio formats"],
]);

/**
 * A one-line human description of a raw reason: its meaning when known (marked when only real
 * traffic, not the corpus, knows it), else `"unknown reason"`; an empty value is flagged
 * because SIG-12/SIG-14 forbid `reason=""`.
 */
export function describeReason(raw: string | undefined): string {
  if (raw === undefined) return "no reason given";
  if (raw === "") return 'empty reason="" (SIG-14 forbids it)';
  const known = reasonInfo(raw)?.meaning;
  if (known) return known;
  const seen = REAL_TRAFFIC_REASONS.get(raw);
  return seen
    ? `${seen} (seen in real traffic; not in the wacrg vocabulary)`
    : "unknown reason (not in the wacrg vocabulary)";
}

/** All known reasons, for vocabularies and tests. */
export const KNOWN_REASONS: readonly ReasonInfo[] = REASONS;
