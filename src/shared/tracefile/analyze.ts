/**
 * Calls of a trace with latency quality: wraps `buildCalls` (trace/calls.ts, unchanged) and
 * says how far its latencies can be trusted given the trace's timestamp precision
 * (peer-tools.md §3: sub-second ack latency cannot be computed from second-precision logs).
 */
import { buildCalls, type CallIndex } from "../trace/calls";
import type { TraceFile } from "./types";

/**
 * How trustworthy a latency is:
 * - `exact`: both times in ms (live capture, ms logs);
 * - `seconds`: times have 1 s resolution, a latency is only known to ±1000 ms;
 * - `order-only`: no real times (XML paste, untimed records): latencies are meaningless.
 */
export type LatencyQuality = "exact" | "seconds" | "order-only";

/** {@link buildCalls} result plus what its latencies are worth. */
export interface TraceAnalysis {
  index: CallIndex;
  latency: LatencyQuality;
  /** Resolution of the times in ms (1 for exact, 1000 for seconds, `undefined` for order-only). */
  resolutionMs?: number;
}

/** The latency quality of a trace, from `source.timestampPrecision` (and `subSecond`). */
export function latencyQuality(trace: Pick<TraceFile, "source">): LatencyQuality {
  switch (trace.source.timestampPrecision) {
    case "ms":
      return "exact";
    case "s":
      return "seconds";
    case "time-of-day":
      return trace.source.subSecond === false ? "seconds" : "exact";
    default:
      return "order-only";
  }
}

/**
 * Groups a trace's stanzas into calls (exactly `buildCalls(trace.stanzas)`) and labels the
 * latency quality. Pure.
 */
export function analyzeTrace(trace: TraceFile): TraceAnalysis {
  const latency = latencyQuality(trace);
  return {
    index: buildCalls(trace.stanzas),
    latency,
    resolutionMs: latency === "exact" ? 1 : latency === "seconds" ? 1000 : undefined,
  };
}

/**
 * A latency for display, marked by quality: `150.5 ms`; `~1 s (±1 s, s-precision log)`;
 * `n/a (no times)`; `—` when undefined.
 * @param ms latency in milliseconds.
 */
export function formatLatency(ms: number | undefined, quality: LatencyQuality): string {
  if (ms === undefined) return "—";
  if (quality === "order-only") return "n/a (no times)";
  if (quality === "seconds") return `~${Math.round(ms / 1000)} s (±1 s, s-precision log)`;
  return `${ms.toFixed(1)} ms`;
}

/**
 * A duration for display: ms below 10 s (`850.0 ms`), else seconds (`45.120 s`); whole seconds
 * for second-precision traces, `n/a` without times, `—` when undefined.
 */
export function formatDuration(ms: number | undefined, quality: LatencyQuality): string {
  if (ms === undefined) return "—";
  if (quality === "order-only") return "n/a (no times)";
  if (quality === "seconds") return `${Math.round(ms / 1000)} s`;
  return Math.abs(ms) < 10_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
