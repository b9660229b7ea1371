/**
 * Rule-check findings and the helpers the checks share.
 *
 * Severity:
 * - `violation`: the captured stanzas themselves break a MUST;
 * - `warning`: broken according to the capture, but the capture may be incomplete (an absence),
 *   the stanza was built by another client and relayed by the server (inbound), the rule is a
 *   SHOULD, or real clients are known to differ from the corpus (call-signalling.md §8);
 * - `info`: an observation that bears on a rule without breaking it. This includes a stanza that
 *   breaks a wacrg draft rule the way real traffic does (research real-captures.md: rejects with
 *   `count`, terminates and older transport/relaylatency without `call-creator`, plain relay
 *   latencies, acks from a LID): such a finding is about the draft, not a fault of the input,
 *   and carries `observed: "real-traffic"` and `cites`.
 */
import { type Observed, REAL_TRAFFIC_SOURCE } from "../spec/vocabulary";
import type { Direction } from "../trace/types";

/** How bad a finding is (see the module comment). */
export type Severity = "violation" | "warning" | "info";

/** One rule finding. */
export interface RuleFinding {
  /** Rule number 1..75 (call-signalling.md §7). */
  rule: number;
  /** wacrg part code of the rule, e.g. `SIG-14`. */
  part: string;
  severity: Severity;
  /** What was seen, in one or two sentences. */
  message: string;
  /** Name of the check that reported it, e.g. `terminate-envelope`. */
  check: string;
  /** `seq` of the stanza the finding is about, when there is one. */
  seq?: number;
  /** The call it belongs to, when known. */
  callId?: string;
  /**
   * Set when real traffic breaks the rule the same way: the finding questions the draft rule,
   * it is not a fault of the input (severity `info`).
   */
  observed?: Observed;
  /** Where the observation is documented, e.g. `research real-captures.md`. */
  cites?: string;
}

/** What a check returns: the rest is filled in by the runner. */
export interface Issue {
  severity: Severity;
  message: string;
  /** Stanza `seq` (call checks). */
  seq?: number;
  /** A rule number other than the check's own (one check can report several rules). */
  rule?: number;
  /** See {@link RuleFinding.observed}. */
  observed?: Observed;
  /** See {@link RuleFinding.cites}. */
  cites?: string;
}

/**
 * An `info` issue for a stanza that breaks a draft rule the way real traffic does (research
 * real-captures.md): a finding about the draft, not a fault of the input.
 * @param message what was seen and which rule it breaks; the citation is appended.
 */
export function seenInRealTraffic(message: string, seq?: number): Issue {
  const issue: Issue = {
    severity: "info",
    message: `${message} (${REAL_TRAFFIC_SOURCE}); a finding about the draft rule, not a fault of the input`,
    observed: "real-traffic",
    cites: REAL_TRAFFIC_SOURCE,
  };
  if (seq !== undefined) issue.seq = seq;
  return issue;
}

/**
 * Severity for a rule about how a stanza is built: a `violation` when this device built it
 * (outbound), a `warning` when another client built it and the server relayed it (inbound).
 */
export function builtBy(direction: Direction): Severity {
  return direction === "out" ? "violation" : "warning";
}

/**
 * Checks that the known tags in `tags` follow `rank` order (unknown tags are ignored).
 * @returns the first pair `[earlier, later]` where `later` should have come before `earlier`.
 */
export function firstOrderBreak(
  tags: readonly string[],
  rank: Readonly<Record<string, number>>,
): [string, string] | undefined {
  let maxTag: string | undefined;
  let max = -1;
  for (const t of tags) {
    const r = rank[t];
    if (r === undefined) continue;
    if (r < max && maxTag !== undefined) return [maxTag, t];
    if (r > max) {
      max = r;
      maxTag = t;
    }
  }
  return undefined;
}

/** A named check: what {@link runChecks} runs. */
export interface NamedCheck<I> {
  name: string;
  /** The rule the check reports unless an issue names another. */
  rule: number;
  run(input: I): Issue[];
}

/**
 * Runs every check on `input` and turns their issues into findings. A check that throws is
 * skipped (a bug in one check never hides the others' findings).
 * @param part the wacrg part code of a rule number.
 * @param place adds the finding's `seq`/`callId` from the issue and the caller's context.
 */
export function runChecks<I>(
  checks: readonly NamedCheck<I>[],
  input: I,
  part: (rule: number) => string,
  place: (finding: RuleFinding, issue: Issue) => void,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const check of checks) {
    let issues: Issue[];
    try {
      issues = check.run(input);
    } catch {
      continue;
    }
    for (const i of issues) {
      const rule = i.rule ?? check.rule;
      const f: RuleFinding = {
        rule,
        part: part(rule),
        severity: i.severity,
        message: i.message,
        check: check.name,
      };
      if (i.observed) f.observed = i.observed;
      if (i.cites) f.cites = i.cites;
      place(f, i);
      out.push(f);
    }
  }
  return out;
}
