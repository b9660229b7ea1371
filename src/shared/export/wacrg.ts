/**
 * wacrg capture records (`corpus/schema/capture.schema.json`, research call-signalling.md §1.2)
 * and the body of a wacrg "Stanza capture" issue (`.github/ISSUE_TEMPLATE/stanza_capture.yml`),
 * built from a sanitized trace: technique `websocket-capture`, `sanitized: true`, the raw
 * stanza as codec XML, `decoded` as an outline (or the call's ladder), `attributes` flattened
 * from the stanza. Timing travels in `capture.*` attributes and, for per-call records, in
 * `<!-- seq=N dir=in|out t_ms=X -->` markers before each stanza of the body, so that the
 * importer can restore it. A call state inferred from the flow (no reason stated it) is marked
 * `(inferred)` in titles and decoded text, and a `state.inferred` attribute gives its basis.
 */
import { stringify } from "yaml";
import type { SanitizedTrace } from "../sanitize/sanitize";
import { stanzaLabel, viewStanza } from "../stanza/view";
import { type CallSummary, callStateText, type TimelineEntry } from "../trace/calls";
import type { CapturedStanza } from "../trace/types";
import { analyzeTrace, formatLatency, type TraceAnalysis } from "../tracefile/analyze";
import { TOOL_ID } from "../tracefile/types";
import {
  type ExportFilesResult,
  ExportInputError,
  type ExportOutput,
  type ExportResult,
  finishExport,
  finishOne,
  isExportInputError,
} from "./finish";
import { ladderLines } from "./ladder";
import { flatAttributes, outline, stanzaXml } from "./render";
import { wacrgDirection } from "./select";

/** wacrg confidence values. */
export type WacrgConfidence = "confirmed" | "probable" | "speculative" | "unknown";

/** A capture record as the wacrg schema defines it (all keys the schema allows, no others). */
export interface CaptureRecord {
  id: string;
  title?: string;
  status?: "draft" | "review" | "stable" | "deprecated";
  source: {
    technique: "websocket-capture";
    issue?: number;
    contributor?: string;
    captured_at?: string;
    tools?: string[];
  };
  stanza_tag: string;
  direction: "outgoing" | "incoming" | "bidirectional";
  confidence: WacrgConfidence;
  raw: { format: "xml"; body: string };
  decoded?: string;
  attributes?: { name: string; value: string; note?: string }[];
  notes?: string;
  sanitized: true;
}

/** Options of the wacrg exporters. */
export interface WacrgOptions {
  /** One record per stanza (default) or one per call. */
  per?: "stanza" | "call";
  /** Only this (pseudonymous) call-id; default every call (and, per stanza, every call-related stanza). */
  callId?: string;
  /** Only this stanza (`seq`); implies `per: "stanza"`. */
  seq?: number;
  /** Trust in the decode; default `probable` (a decoded live capture). */
  confidence?: WacrgConfidence;
  /** GitHub handle for `source.contributor`. */
  contributor?: string;
  /** Issue number for `source.issue`. */
  issue?: number;
}

const NOTES =
  "Real capture, sanitized by wa-call-inspector before export: parties are pseudonyms (A, B, … with " +
  "server and device kept), stanza ids and call-ids are synthetic (S0001, CALLID0001) with their " +
  "correlation kept, IP addresses are in documentation ranges (ports kept), every byte payload is a " +
  "[label: N bytes redacted] placeholder of the original length, and times are relative to the " +
  "first stanza of the trace.";

const recordId = (callId: string | undefined, seq?: number): string =>
  `wci-${(callId ?? "nocall").toLowerCase().replace(/[^a-z0-9-]/g, "-")}${seq === undefined ? "" : `-${seq}`}`;

function stanzaRecord(
  trace: SanitizedTrace,
  stanza: CapturedStanza,
  entry: TimelineEntry | undefined,
  call: CallSummary | undefined,
  analysis: TraceAnalysis,
  o: WacrgOptions,
): CaptureRecord | undefined {
  if (!stanza.node) return undefined;
  const view = viewStanza(stanza.node);
  const dir = wacrgDirection(stanza.direction);
  const label = stanzaLabel(view);
  const decoded = [...outline(stanza.node), ""];
  decoded.push(`${dir} ${label}, captured ${(stanza.t / 1000).toFixed(3)} s after the trace's first stanza.`);
  if (view.kind !== "other" && view.id)
    decoded.push(`Stanza id ${view.id} (acks and receipts answer this id).`);
  if (call)
    decoded.push(
      `Part of call ${call.callId} (${callStateText(call)}${call.stateInferred ? `: ${call.stateInferred}` : ""}).`,
    );
  if (entry?.ackLatencyMs !== undefined) {
    decoded.push(`Acknowledged after ${formatLatency(entry.ackLatencyMs, analysis.latency)}.`);
  }
  const attributes = flatAttributes(stanza.node);
  attributes.push(
    { name: "capture.seq", value: String(stanza.seq), note: "position in the sanitized trace" },
    { name: "capture.t_ms", value: String(stanza.t), note: "capture time, ms after the first stanza" },
  );
  const rec: CaptureRecord = {
    id: recordId(call?.callId, stanza.seq),
    title: `${dir} ${label}${call ? ` of ${call.media === "video" ? "a video" : call.media === "audio" ? "an audio" : "a"} call` : ""} (sanitized capture)`,
    status: "draft",
    source: source(o),
    stanza_tag: stanza.node.tag,
    direction: dir,
    confidence: o.confidence ?? "probable",
    raw: { format: "xml", body: `${stanzaXml(stanza.node)}\n` },
    decoded: `${decoded.join("\n")}\n`,
    attributes,
    notes: precisionNote(trace, NOTES),
    sanitized: true,
  };
  return rec;
}

function source(o: WacrgOptions): CaptureRecord["source"] {
  const s: CaptureRecord["source"] = { technique: "websocket-capture", tools: [TOOL_ID] };
  if (o.contributor) s.contributor = o.contributor;
  if (o.issue !== undefined) s.issue = o.issue;
  return s;
}

function precisionNote(trace: SanitizedTrace, base: string): string {
  const src = trace.source;
  const origin =
    src.kind === "live"
      ? `Captured live from WhatsApp Web${src.build ? ` ${src.build}` : ""}.`
      : `Imported from a log (${src.importer ?? "unknown importer"}, timestamp precision ${src.timestampPrecision}${src.directionInferred ? ", direction inferred" : ""}).`;
  const synthetic = trace.stanzas.filter((x) => x.synthetic === "call-wrapper").length;
  const wrapped = synthetic
    ? ` The <call> wrapper of ${synthetic} stanza(s) is synthetic: the source had only the call action, so its attributes and direction are unknown.`
    : "";
  return `${origin}${wrapped} ${base}`;
}

/** The per-call body: each stanza's XML preceded by a `<!-- seq=N dir=… t_ms=… -->` marker. */
export function callBody(call: CallSummary): string {
  return call.entries
    .filter((e) => e.stanza.node)
    .map((e) => {
      const s = e.stanza;
      return `<!-- seq=${s.seq} dir=${s.direction} t_ms=${s.t} -->\n${stanzaXml(s.node!)}`;
    })
    .join("\n");
}

function callRecord(
  trace: SanitizedTrace,
  call: CallSummary,
  analysis: TraceAnalysis,
  o: WacrgOptions,
): CaptureRecord {
  const dirs = new Set(call.entries.map((e) => e.stanza.direction));
  const direction = dirs.size === 2 ? "bidirectional" : wacrgDirection([...dirs][0] ?? "in");
  const attributes: { name: string; value: string; note?: string }[] = [
    { name: "call-id", value: call.callId, note: "pseudonym; correlates every stanza of the call" },
  ];
  if (call.callCreator) attributes.push({ name: "call-creator", value: call.callCreator });
  if (call.peer) attributes.push({ name: "peer", value: call.peer });
  if (call.media) attributes.push({ name: "media", value: call.media });
  attributes.push({
    name: "state",
    value: call.state,
    note: call.stateInferred
      ? "final state as the capturing device saw it, inferred from the flow (no reason stated it)"
      : "final state as the capturing device saw it",
  });
  if (call.stateInferred)
    attributes.push({ name: "state.inferred", value: "true", note: `basis: ${call.stateInferred}` });
  if (call.reasonAction) {
    attributes.push(
      call.reason === undefined
        ? { name: `${call.reasonAction}.reason`, value: "(absent)", note: "no reason given" }
        : { name: `${call.reasonAction}.reason`, value: call.reason },
    );
  }
  if (call.offerAckLatencyMs !== undefined) {
    attributes.push({
      name: "offer.ack_latency_ms",
      value: String(call.offerAckLatencyMs),
      note:
        analysis.latency === "exact"
          ? "server ack latency of the offer"
          : `latency quality: ${analysis.latency}`,
    });
  }
  attributes.push({ name: "capture.stanzas", value: String(call.entries.length) });
  return {
    id: recordId(call.callId),
    title:
      `${call.direction === "out" ? "Outgoing" : call.direction === "in" ? "Incoming" : "A"} ${call.media ?? ""} call, ${callStateText(call)} (sanitized capture)`.replace(
        "  ",
        " ",
      ),
    status: "draft",
    source: source(o),
    stanza_tag: "call",
    direction,
    confidence: o.confidence ?? "probable",
    raw: { format: "xml", body: `${callBody(call)}\n` },
    decoded: `${ladderLines({ call, analysis }).join("\n")}\n`,
    attributes,
    notes: precisionNote(trace, NOTES),
    sanitized: true,
  };
}

/** Builds the records without leak-checking them (internal; {@link exportWacrgRecords} checks). */
function buildRecords(trace: SanitizedTrace, o: WacrgOptions): CaptureRecord[] | ExportInputError {
  const analysis = analyzeTrace(trace);
  const calls = analysis.index.calls.filter((c) => o.callId === undefined || c.callId === o.callId);
  if (o.callId !== undefined && !calls.length)
    return new ExportInputError("no-call", `no call "${o.callId}"`);
  if (o.seq !== undefined) {
    const stanza = trace.stanzas.find((s) => s.seq === o.seq);
    if (!stanza?.node) return new ExportInputError("no-stanza", `no readable stanza with seq ${o.seq}`);
    const call = analysis.index.calls.find((c) => c.entries.some((e) => e.stanza.seq === o.seq));
    const entry = call?.entries.find((e) => e.stanza.seq === o.seq);
    const rec = stanzaRecord(trace, stanza, entry, call, analysis, o);
    return rec ? [rec] : [];
  }
  if ((o.per ?? "stanza") === "call") return calls.map((c) => callRecord(trace, c, analysis, o));
  const records: CaptureRecord[] = [];
  for (const call of calls) {
    for (const e of call.entries) {
      const r = stanzaRecord(trace, e.stanza, e, call, analysis, o);
      if (r) records.push(r);
    }
  }
  if (o.callId === undefined) {
    for (const e of analysis.index.unpaired) {
      const r = stanzaRecord(trace, e.stanza, e, undefined, analysis, o);
      if (r) records.push(r);
    }
  }
  if (!records.length)
    return new ExportInputError(
      "nothing-to-export",
      "nothing to export: the trace has no readable call stanzas",
    );
  return records;
}

/** YAML text of one capture record (YAML 1.2, block scalars for multi-line text). */
export function recordYaml(rec: CaptureRecord): string {
  return stringify(rec, { lineWidth: 0, blockQuote: "literal" });
}

/**
 * Capture records as separate files `<id>.yaml` (the corpus keeps one record per file), leak-checked.
 */
export function exportWacrgRecords(trace: SanitizedTrace, options: WacrgOptions = {}): ExportFilesResult {
  const recs = buildRecords(trace, options);
  if (isExportInputError(recs)) return { ok: false, error: recs };
  const outputs: ExportOutput[] = recs.map((r) => ({
    format: "wacrg",
    text: recordYaml(r),
    fileName: `${r.id}.yaml`,
    mime: "application/yaml",
  }));
  return finishExport([trace], outputs);
}

/** Capture records as one YAML stream (documents separated by `---`), leak-checked. */
export function exportWacrg(trace: SanitizedTrace, options: WacrgOptions = {}): ExportResult {
  const recs = buildRecords(trace, options);
  if (isExportInputError(recs)) return { ok: false, error: recs };
  const text = recs.map(recordYaml).join("---\n");
  return finishOne([trace], {
    format: "wacrg",
    text,
    fileName: recs.length === 1 ? `${recs[0].id}.yaml` : "captures.yaml",
    mime: "application/yaml",
  });
}

/** The issue form's sections, in its order (labels of its non-markdown fields). */
export const ISSUE_SECTIONS = [
  "Stanza tag",
  "Direction",
  "Client / platform",
  "Capture technique",
  "Tools used",
  "Confidence",
  "Raw stanza",
  "Decoded structure",
  "Observed attributes",
  "Provenance",
  "Notes / open questions",
] as const;

/** Options of {@link exportIssueBody}. */
export interface IssueOptions {
  /** One stanza; otherwise the call `callId` (or the trace's only call) with all its stanzas. */
  seq?: number;
  callId?: string;
  /** Client / platform text; default derived from the trace. */
  clientPlatform?: string;
  confidence?: WacrgConfidence;
  /** Extra provenance text (issue or PR references, cross-checks). */
  provenance?: string;
  /** Notes / open questions text. */
  notes?: string;
}

/**
 * The body of a wacrg "Stanza capture" issue: one `### Label` section per form field, in the
 * form's order; an empty optional field is `_No response_` as GitHub writes it.
 */
export function exportIssueBody(trace: SanitizedTrace, options: IssueOptions = {}): ExportResult {
  let rec: CaptureRecord;
  if (options.seq !== undefined) {
    const recs = buildRecords(trace, { seq: options.seq, confidence: options.confidence });
    if (isExportInputError(recs)) return { ok: false, error: recs };
    rec = recs[0];
  } else {
    const analysis = analyzeTrace(trace);
    const calls = analysis.index.calls;
    const call = options.callId === undefined ? calls[0] : calls.find((c) => c.callId === options.callId);
    if (!call || (options.callId === undefined && calls.length > 1)) {
      const ids = calls.map((c) => c.callId).join(", ") || "none";
      return {
        ok: false,
        error: new ExportInputError(
          call ? "choose-call" : "no-call",
          call ? `the trace has ${calls.length} calls (${ids}); choose one` : `no such call (calls: ${ids})`,
        ),
      };
    }
    rec = callRecord(trace, call, analysis, { confidence: options.confidence });
  }
  const src = trace.source;
  const platform =
    options.clientPlatform ??
    (src.kind === "live" ? `WhatsApp Web${src.build ? ` ${src.build}` : ""}` : (src.importer ?? ""));
  const values: Record<(typeof ISSUE_SECTIONS)[number], string> = {
    "Stanza tag": rec.stanza_tag,
    Direction: rec.direction,
    "Client / platform": platform,
    "Capture technique": rec.source.technique,
    "Tools used": (rec.source.tools ?? []).join(", "),
    Confidence: rec.confidence,
    "Raw stanza": `\`\`\`text\n${rec.raw.body.trimEnd()}\n\`\`\``,
    "Decoded structure": rec.decoded?.trimEnd() ?? "",
    "Observed attributes": (rec.attributes ?? [])
      .map((a) => `${a.name} = ${a.value}${a.note ? ` — ${a.note}` : ""}`)
      .join("\n"),
    Provenance: [
      `Technique: websocket-capture (${src.kind === "live" ? "in-page tap of WhatsApp Web's decoded stanzas" : `imported ${src.importer ?? "log"}`}).`,
      `Tooling: ${TOOL_ID} (WABinary codec, sanitizer v${trace.sanitized.version}).`,
      options.provenance ?? "",
    ]
      .filter(Boolean)
      .join("\n"),
    "Notes / open questions": [options.notes ?? "", rec.notes ?? ""].filter(Boolean).join("\n\n"),
  };
  const body = ISSUE_SECTIONS.map((s) => `### ${s}\n\n${values[s].trim() || "_No response_"}\n`).join("\n");
  return finishOne([trace], {
    format: "issue",
    text: body,
    fileName: `${rec.id}.issue.md`,
    mime: "text/markdown",
  });
}
