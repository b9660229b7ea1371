/**
 * The shapes evidence functions return: histograms, counts, distinct values, timings and
 * ordered sequences, with helpers to build them. Values never name a party: JIDs appear as
 * roles (see `roleOf`), identifiers only as pseudonyms from sanitized traces.
 */
import type { LatencyQuality } from "../tracefile/analyze";

/** Counts per value, e.g. reason → number of terminates. */
export interface HistogramFinding {
  kind: "histogram";
  label: string;
  counts: Record<string, number>;
}

/** One number, optionally out of a total. */
export interface CountFinding {
  kind: "count";
  label: string;
  n: number;
  of?: number;
}

/** Distinct values seen. */
export interface ValuesFinding {
  kind: "values";
  label: string;
  values: string[];
}

/** Durations in ms between two events, with the worst timestamp precision among the samples. */
export interface TimingFinding {
  kind: "timing";
  label: string;
  /** Milliseconds, in the order observed. */
  samples: number[];
  /** `exact` when every sample came from ms times, `seconds` when any came from a s-precision log. */
  precision: Exclude<LatencyQuality, "order-only">;
}

/** Ordered per-call rows (e.g. transport exchanges). */
export interface SequenceFinding {
  kind: "sequence";
  label: string;
  rows: string[];
}

/** A remark (limits of the data, what to capture next). */
export interface NoteFinding {
  kind: "note";
  text: string;
}

/** Any evidence finding. */
export type Finding =
  | HistogramFinding
  | CountFinding
  | ValuesFinding
  | TimingFinding
  | SequenceFinding
  | NoteFinding;

/** A histogram of `keys` (empty keys list → empty counts). */
export function histogram(label: string, keys: Iterable<string>): HistogramFinding {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return { kind: "histogram", label, counts };
}

/** A count. */
export const count = (label: string, n: number, of?: number): CountFinding =>
  of === undefined ? { kind: "count", label, n } : { kind: "count", label, n, of };

/** Distinct values, sorted. */
export function values(label: string, vs: Iterable<string>): ValuesFinding {
  return { kind: "values", label, values: [...new Set(vs)].sort() };
}

/** A timing from `(ms, quality)` samples; samples from traces without times are dropped. */
export function timing(label: string, samples: { ms: number; quality: LatencyQuality }[]): TimingFinding {
  const usable = samples.filter((s) => s.quality !== "order-only");
  return {
    kind: "timing",
    label,
    samples: usable.map((s) => s.ms),
    precision: usable.some((s) => s.quality === "seconds") ? "seconds" : "exact",
  };
}

/** A sequence. */
export const sequence = (label: string, rows: string[]): SequenceFinding => ({
  kind: "sequence",
  label,
  rows,
});

/** A note. */
export const note = (text: string): NoteFinding => ({ kind: "note", text });

/** Minimum, median and maximum of numbers (`undefined` when empty). */
export function stats(
  xs: readonly number[],
): { n: number; min: number; median: number; max: number } | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, min: s[0], median, max: s[s.length - 1] };
}

/** Number of observations a finding carries (histogram total, count, samples, rows, values). */
export function weight(f: Finding): number {
  switch (f.kind) {
    case "histogram":
      return Object.values(f.counts).reduce((a, b) => a + b, 0);
    case "count":
      return f.n;
    case "values":
      return f.values.length;
    case "timing":
      return f.samples.length;
    case "sequence":
      return f.rows.length;
    default:
      return 0;
  }
}
