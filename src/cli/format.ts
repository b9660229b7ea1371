/**
 * Terminal text for `analyze`: an import header (format, precision and direction badges,
 * counts, errors), the call list, and per-call timelines whose latencies are marked by the
 * trace's timestamp precision.
 */
import type { ImportResult } from "../shared/importers/index";
import { describeReason } from "../shared/stanza/reasons";
import { stanzaLabel } from "../shared/stanza/view";
import { type CallSummary, callReasonText, callStateText, type TimelineEntry } from "../shared/trace/calls";
import {
  analyzeTrace,
  formatDuration,
  formatLatency,
  type LatencyQuality,
  type TraceAnalysis,
} from "../shared/tracefile/analyze";

/** `[ms]`, `[s: latencies ±1 s]`, `[time of day]`, `[no times]` and `[direction inferred]` badges. */
export function badges(r: ImportResult): string {
  const s = r.trace.source;
  const p =
    s.timestampPrecision === "ms"
      ? "[ms times]"
      : s.timestampPrecision === "s"
        ? "[second times: latencies ±1 s]"
        : s.timestampPrecision === "time-of-day"
          ? `[time of day${s.subSecond === false ? ", seconds: latencies ±1 s" : ", ms"}]`
          : "[no times: order only]";
  return `${p}${s.directionInferred ? " [direction inferred]" : ""}`;
}

/** The import header of one file. */
export function importHeader(name: string, r: ImportResult): string {
  const dropped = Object.entries(r.stats.droppedByTag)
    .map(([k, n]) => `${k} ×${n}`)
    .join(", ");
  const lines = [
    `${name}: ${r.format} ${badges(r)}`,
    `  ${r.stats.kept} call stanzas kept of ${r.stats.stanzas} read${dropped ? ` (not call-related: ${dropped})` : ""}` +
      `${r.stats.otherLines ? `, ${r.stats.otherLines} other log lines` : ""}` +
      `${r.stats.prefiltered ? `, ${r.stats.prefiltered} lines without a call marker skipped unparsed` : ""}` +
      `${r.stats.bytesOmitted ? `, ${r.stats.bytesOmitted} byte contents not in the log` : ""}` +
      `${r.stats.errors ? `, ${r.stats.errors} problem(s)` : ""}` +
      `${r.stats.repairs ? `, ${r.stats.repairs} repair(s)` : ""}`,
  ];
  return lines.join("\n");
}

function entryLine(e: TimelineEntry, q: LatencyQuality): string {
  const v = e.view;
  const rel =
    q === "order-only"
      ? `#${e.stanza.seq}`.padStart(9)
      : `+${(e.relMs / 1000).toFixed(q === "seconds" ? 0 : 3)}s`.padStart(9);
  const dir = e.stanza.direction === "out" ? "→ sent" : "← recv";
  let what = stanzaLabel(v);
  if (v.kind === "call" && v.reason !== undefined) what += ` reason=${v.reason === "" ? '""' : v.reason}`;
  if (v.kind === "ack" && v.error) what += ` error=${v.error}`;
  if (e.stanza.synthetic === "call-wrapper") what += " [synthetic <call>: direction unknown]";
  const id = v.kind === "other" ? "" : (v.id ?? "");
  const lat =
    e.ackLatencyMs !== undefined
      ? `  ack ${formatLatency(e.ackLatencyMs, q)}${e.negative ? " (NEGATIVE)" : ""}`
      : "";
  const rc = e.receiptDelayMs !== undefined ? `  receipt ${formatLatency(e.receiptDelayMs, q)}` : "";
  return `  ${rel}  ${dir}  ${what.padEnd(34)} id=${id}${lat}${rc}`;
}

/** Whether every stanza of the call had a synthetic `<call>` wrapper (its direction is a guess). */
function onlySynthetic(call: CallSummary): boolean {
  return call.entries.length > 0 && call.entries.every((e) => e.stanza.synthetic === "call-wrapper");
}

/** One call: header, reason and its meaning, then its timeline. */
export function formatCallText(call: CallSummary, a: TraceAnalysis): string {
  const q = a.latency;
  const dir = onlySynthetic(call)
    ? "direction unknown (synthetic <call>)"
    : call.direction === "out"
      ? "outgoing"
      : call.direction === "in"
        ? "incoming"
        : "direction unknown";
  const lines = [
    `Call ${call.callId} · ${dir} · peer ${call.peer ?? "?"} · ${call.media ?? "?"} · ${callStateText(call)}`,
    `  duration ${formatDuration(call.durationMs, q)} · offer ack ${formatLatency(call.offerAckLatencyMs, q)} · ${call.entries.length} stanzas`,
  ];
  if (call.reasonAction) {
    if (call.reason === undefined) lines.push(`  ${call.reasonAction}: no reason given`);
    else
      lines.push(`  ${call.reasonAction} reason: ${callReasonText(call)} — ${describeReason(call.reason)}`);
  }
  if (call.stateInferred) lines.push(`  state inferred from the flow: ${call.stateInferred}`);
  for (const e of call.entries) lines.push(entryLine(e, q));
  return lines.join("\n");
}

/** The call list table of one analysis. */
export function callList(a: TraceAnalysis): string {
  if (!a.index.calls.length) return "  (no calls)";
  const rows = a.index.calls.map((c, i) => [
    String(i + 1),
    c.callId,
    onlySynthetic(c) ? "?" : (c.direction ?? "?"),
    c.media ?? "?",
    callStateText(c),
    c.reasonAction ? `${c.reasonAction}:${callReasonText(c)}` : "",
    formatDuration(c.durationMs, a.latency),
    formatLatency(c.offerAckLatencyMs, a.latency),
    String(c.entries.length),
  ]);
  const head = ["#", "call-id", "dir", "media", "state", "reason", "duration", "offer ack", "stanzas"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => `  ${r.map((x, i) => x.padEnd(widths[i])).join("  ")}`.trimEnd();
  return [fmt(head), ...rows.map(fmt)].join("\n");
}

/** Everything `analyze` prints for one imported file (without evidence). */
export function formatImport(name: string, r: ImportResult): string {
  const a = analyzeTrace(r.trace);
  const parts = [importHeader(name, r), "", callList(a)];
  for (const c of a.index.calls) parts.push("", formatCallText(c, a));
  if (a.index.unpaired.length) parts.push("", `Unpaired stanzas: ${a.index.unpaired.length}`);
  if (a.index.errors.length) parts.push("", `Unreadable stanzas: ${a.index.errors.length}`);
  return parts.join("\n");
}
