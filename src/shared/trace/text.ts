/**
 * Plain-text rendering of calls and their timelines, for terminals (`npm start -- --headless`,
 * the CLI) and plain-text exports.
 */
import { describeReason } from "../stanza/reasons";
import { type CallIndex, type CallSummary, callReasonText, callStateText, type TimelineEntry } from "./calls";

function ms(v: number | undefined): string {
  return v === undefined ? "—" : `${v.toFixed(1)} ms`;
}

function entryLine(e: TimelineEntry): string {
  const v = e.view;
  const rel = `+${(e.relMs / 1000).toFixed(3)}s`.padStart(9);
  const dir = e.stanza.direction === "out" ? "→ sent" : "← recv";
  let what: string;
  let id = "";
  if (v.kind === "call") {
    what = `call/${v.action}${v.known ? "" : " (unknown action)"}`;
    id = v.id ?? "";
    if (v.reason !== undefined) what += ` reason=${v.reason}`;
  } else if (v.kind === "ack") {
    what = `ack class=${v.ackClass ?? "?"}${v.type ? ` type=${v.type}` : ""}${v.error ? ` error=${v.error}` : ""}`;
    id = v.id ?? "";
  } else if (v.kind === "receipt") {
    what = `receipt/${v.child ?? "?"}`;
    id = v.id ?? "";
  } else {
    what = v.tag;
  }
  const lat =
    e.ackLatencyMs !== undefined ? `  ack ${ms(e.ackLatencyMs)}${e.negative ? " (NEGATIVE)" : ""}` : "";
  const rcpt = e.receiptDelayMs !== undefined ? `  receipt ${ms(e.receiptDelayMs)}` : "";
  return `  ${rel}  ${dir}  ${what.padEnd(38)} id=${id}${lat}${rcpt}`;
}

/** One call as text: a header line, the reason with its meaning, then one line per stanza. */
export function formatCall(call: CallSummary): string {
  const dir =
    call.direction === "out" ? "outgoing" : call.direction === "in" ? "incoming" : "unknown direction";
  const lines = [
    `Call ${call.callId} · ${dir} · peer ${call.peer ?? "?"} · ${call.media ?? "?"} · ${callStateText(call)}`,
    `  duration ${ms(call.durationMs)} · offer ack ${ms(call.offerAckLatencyMs)} · ${call.entries.length} stanzas`,
  ];
  if (call.reasonAction) {
    lines.push(`  ${call.reasonAction} reason: ${callReasonText(call)} — ${describeReason(call.reason)}`);
  }
  for (const e of call.entries) lines.push(entryLine(e));
  return lines.join("\n");
}

/** Every call of an index as text, then unpaired and unreadable stanzas. */
export function formatCallIndex(index: CallIndex): string {
  const parts = index.calls.map(formatCall);
  if (index.unpaired.length) parts.push(`Unpaired stanzas:\n${index.unpaired.map(entryLine).join("\n")}`);
  if (index.errors.length) {
    parts.push(
      `Unreadable stanzas:\n${index.errors.map((s) => `  #${s.seq} ${s.direction}: ${s.error?.message ?? "?"}`).join("\n")}`,
    );
  }
  return parts.join("\n\n");
}
