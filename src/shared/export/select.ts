/**
 * Picking what to export from a sanitized trace: a call by its (pseudonymous) call-id, a
 * stanza by `seq`, and the lanes (parties) of a call for diagrams.
 */
import { stanzaLabel } from "../stanza/view";
import type { CallSummary, TimelineEntry } from "../trace/calls";
import type { CapturedStanza } from "../trace/types";
import { analyzeTrace, formatLatency, type TraceAnalysis } from "../tracefile/analyze";
import type { TraceFile } from "../tracefile/types";
import { ExportInputError } from "./finish";

/** A call and the analysis it came from. */
export interface SelectedCall {
  call: CallSummary;
  analysis: TraceAnalysis;
}

/**
 * The call with `callId`, or the only call when `callId` is omitted.
 * @returns the call, or an {@link ExportInputError} naming the available call ids.
 */
export function selectCall(trace: TraceFile, callId?: string): SelectedCall | ExportInputError {
  const analysis = analyzeTrace(trace);
  const calls = analysis.index.calls;
  const ids = calls.map((c) => c.callId).join(", ") || "none";
  if (callId === undefined) {
    if (calls.length === 1) return { call: calls[0], analysis };
    return new ExportInputError(
      calls.length === 0 ? "no-call" : "choose-call",
      calls.length === 0
        ? "the trace has no calls"
        : `the trace has ${calls.length} calls (${ids}); choose one`,
    );
  }
  const call = calls.find((c) => c.callId === callId);
  return call ? { call, analysis } : new ExportInputError("no-call", `no call "${callId}" (calls: ${ids})`);
}

/** The stanza with `seq`, or an {@link ExportInputError}. */
export function selectStanza(trace: TraceFile, seq: number): CapturedStanza | ExportInputError {
  return (
    trace.stanzas.find((s) => s.seq === seq) ?? new ExportInputError("no-stanza", `no stanza with seq ${seq}`)
  );
}

/** `outgoing` / `incoming` for capture records (relative to the capturing device). */
export function wacrgDirection(d: "in" | "out"): "outgoing" | "incoming" {
  return d === "out" ? "outgoing" : "incoming";
}

/** A lane of a ladder or sequence diagram. */
export interface Lane {
  /** Stable short id (`Me`, `Server`, `P1`, …). */
  id: string;
  /** Display text (pseudonymous JID or role). */
  label: string;
}

/** One arrow between two lanes. */
export interface Arrow {
  entry: TimelineEntry;
  from: string;
  to: string;
  /** Acks are drawn dashed. */
  dashed: boolean;
  label: string;
  /** Latency text when this stanza was answered, e.g. `ack 150.5 ms`. */
  latency?: string;
}

const isServerOnly = (jid: string | undefined): boolean => jid === undefined || !jid.includes("@");

/**
 * Lanes and arrows of a call: `Me` (this device), `Server` (WhatsApp's server: acks, stanzas
 * without a party), then one lane per other JID in order of appearance. Call stanzas and
 * receipts go between `Me` and the party in `to`/`from`; acks between `Me` and `Server`.
 */
export function callArrows(selected: SelectedCall): { lanes: Lane[]; arrows: Arrow[] } {
  const lanes: Lane[] = [
    { id: "Me", label: "this device" },
    { id: "Server", label: "server" },
  ];
  const byJid = new Map<string, string>();
  const lane = (jid: string | undefined): string => {
    if (isServerOnly(jid)) return "Server";
    const j = jid as string;
    let id = byJid.get(j);
    if (!id) {
      id = `P${byJid.size + 1}`;
      byJid.set(j, id);
      lanes.push({ id, label: j });
    }
    return id;
  };
  const quality = selected.analysis.latency;
  const arrows: Arrow[] = [];
  for (const e of selected.call.entries) {
    const v = e.view;
    const out = e.stanza.direction === "out";
    let other: string;
    if (v.kind === "ack") other = "Server";
    else if (v.kind === "call" || v.kind === "receipt") other = lane(out ? v.to : v.from);
    else other = "Server";
    let label = stanzaLabel(v);
    if (v.kind === "call" && v.reason !== undefined) label += ` reason=${v.reason === "" ? '""' : v.reason}`;
    if (v.kind === "ack" && v.error) label += ` error=${v.error}`;
    const id = v.kind === "other" ? undefined : v.id;
    if (id) label += ` ${id}`;
    const arrow: Arrow = {
      entry: e,
      from: out ? "Me" : other,
      to: out ? other : "Me",
      dashed: v.kind === "ack" || v.kind === "receipt",
      label,
    };
    if (e.ackLatencyMs !== undefined) arrow.latency = `ack ${formatLatency(e.ackLatencyMs, quality)}`;
    if (e.negative) arrow.latency = `${arrow.latency ?? ""} NEGATIVE`.trim();
    arrows.push(arrow);
  }
  return { lanes, arrows };
}

/** `+1.234 s` relative time of an entry, or `#seq` when the trace has no times. */
export function relTime(entry: TimelineEntry, analysis: TraceAnalysis): string {
  if (analysis.latency === "order-only") return `#${entry.stanza.seq}`;
  const digits = analysis.latency === "seconds" ? 0 : 3;
  return `+${(entry.relMs / 1000).toFixed(digits)} s`;
}
