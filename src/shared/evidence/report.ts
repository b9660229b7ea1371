/**
 * Running the catalogue over loaded traces, and rendering the result: Markdown ready to paste
 * into a wacrg discussion (exported only from sanitized traces, leak-checked), and a compact
 * plain-text summary for the terminal.
 */
import { type ExportResult, finishOne } from "../export/finish";
import type { SanitizedTrace } from "../sanitize/sanitize";
import type { TraceFile } from "../tracefile/types";
import { type Observability, QUESTIONS, type Question } from "./catalogue";
import { buildContext } from "./context";
import { type Finding, stats, weight } from "./findings";

/**
 * Status of one question:
 * - `computed`: the evidence function ran and found observations;
 * - `no-data`: it ran but the traces hold nothing relevant (e.g. no video call);
 * - `not-yet-computed`: observable, but no evidence function exists yet;
 * - `not-observable`: Obs = N (cannot be answered from a stanza stream).
 */
export type EvidenceStatus = "computed" | "no-data" | "not-yet-computed" | "not-observable";

/** The evidence for one question. */
export interface EvidenceResult {
  ids: string[];
  parts: string[];
  obs: Observability;
  question: string;
  evidence: string;
  status: EvidenceStatus;
  /** Sum of the findings' observation counts. */
  observations: number;
  findings: Finding[];
  /** Set when the evidence function failed (a bug): its message. */
  failure?: string;
}

/** Evidence over a set of traces. */
export interface EvidenceReport {
  traces: number;
  calls: number;
  stanzas: number;
  /** Traces per timestamp precision, e.g. `{ ms: 2, s: 1 }`. */
  precisions: Record<string, number>;
  results: EvidenceResult[];
}

function run(q: Question, ctx: ReturnType<typeof buildContext>): EvidenceResult {
  const base = { ids: q.ids, parts: q.parts, obs: q.obs, question: q.question, evidence: q.evidence };
  if (q.obs === "N") return { ...base, status: "not-observable", observations: 0, findings: [] };
  if (!q.compute) return { ...base, status: "not-yet-computed", observations: 0, findings: [] };
  try {
    const findings = q.compute(ctx);
    const observations = findings.reduce((n, f) => n + weight(f), 0);
    return { ...base, status: observations ? "computed" : "no-data", observations, findings };
  } catch (e) {
    return { ...base, status: "no-data", observations: 0, findings: [], failure: String(e) };
  }
}

/**
 * Runs every catalogue question over the traces. Pure; works on raw or sanitized traces
 * (exports must use sanitized ones, see {@link exportEvidenceMarkdown}).
 */
export function computeEvidence(traces: readonly TraceFile[]): EvidenceReport {
  const ctx = buildContext(traces);
  const precisions: Record<string, number> = {};
  for (const t of traces)
    precisions[t.source.timestampPrecision] = (precisions[t.source.timestampPrecision] ?? 0) + 1;
  return {
    traces: traces.length,
    calls: ctx.calls.length,
    stanzas: ctx.items.length,
    precisions,
    results: QUESTIONS.map((q) => run(q, ctx)),
  };
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function duration(ms: number): string {
  return Math.abs(ms) < 10_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}

function timingText(f: Extract<Finding, { kind: "timing" }>): string {
  const s = stats(f.samples);
  if (!s) return "no samples";
  const p = f.precision === "seconds" ? " (includes second-precision logs: ±1 s)" : "";
  return s.n === 1
    ? `${duration(s.min)}${p}`
    : `n=${s.n}, min ${duration(s.min)}, median ${duration(s.median)}, max ${duration(s.max)}${p}`;
}

function findingMarkdown(f: Finding): string[] {
  switch (f.kind) {
    case "histogram": {
      const rows = Object.entries(f.counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (!rows.length) return [`- ${f.label}: none`];
      return [
        `| ${cell(f.label)} | count |`,
        "|---|---:|",
        ...rows.map(([k, n]) => `| ${cell(k)} | ${n} |`),
        "",
      ];
    }
    case "count":
      return [`- ${f.label}: ${f.n}${f.of === undefined ? "" : ` of ${f.of}`}`];
    case "values":
      return [`- ${f.label}: ${f.values.length ? f.values.map((v) => `\`${v}\``).join(", ") : "none"}`];
    case "timing":
      return [`- ${f.label}: ${timingText(f)}`];
    case "sequence":
      return f.rows.length ? [`- ${f.label}:`, ...f.rows.map((r) => `  - ${r}`)] : [`- ${f.label}: none`];
    default:
      return [`> ${f.text}`];
  }
}

/** Options of {@link evidenceMarkdown}. */
export interface EvidenceMarkdownOptions {
  /** Include questions without observations (no-data, not yet computed, not observable); default true. */
  all?: boolean;
  /** Heading text. */
  title?: string;
}

/** Markdown of a report: a summary table, then one section per question with its findings. */
export function evidenceMarkdown(report: EvidenceReport, options: EvidenceMarkdownOptions = {}): string {
  const all = options.all ?? true;
  const prec = Object.entries(report.precisions)
    .map(([k, n]) => `${n} × ${k}`)
    .join(", ");
  const lines = [
    `## ${options.title ?? "Passive call-signalling evidence (WA Call Inspector)"}`,
    "",
    `${report.traces} sanitized trace(s), ${report.calls} call(s), ${report.stanzas} stanza(s); timestamp precision: ${prec || "—"}. ` +
      "Parties appear as roles (this user, peer, server), identifiers as per-trace pseudonyms. " +
      "Question labels follow the wacrg open_questions order (SIG-nnx = x-th question of part SIG-nn).",
    "",
    "| Question | Obs | Status | Observations |",
    "|---|:-:|---|---:|",
  ];
  const shown = report.results.filter((r) => all || r.status === "computed");
  for (const r of shown)
    lines.push(`| ${cell(r.ids.join(", "))} | ${r.obs} | ${r.status} | ${r.observations} |`);
  lines.push("");
  for (const r of shown) {
    lines.push(
      `### ${r.ids.join(" · ")} (${r.parts.join(", ")}, Obs ${r.obs})`,
      "",
      `**${r.question}**`,
      "",
      `Evidence: ${r.evidence}`,
      "",
    );
    if (r.status === "not-observable") lines.push("_Not observable from one device's stanza stream._", "");
    else if (r.status === "not-yet-computed") lines.push("_Not yet computed._", "");
    else if (r.status === "no-data")
      lines.push(
        `_No relevant stanzas in these traces${r.failure ? ` (evidence function failed: ${r.failure})` : ""}._`,
        "",
      );
    else {
      for (const f of r.findings) lines.push(...findingMarkdown(f));
      if (lines[lines.length - 1] !== "") lines.push("");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/**
 * Evidence over sanitized traces as Markdown, leak-checked against all of them.
 * @returns the Markdown output, or the leak/input error.
 */
export function exportEvidenceMarkdown(
  traces: readonly SanitizedTrace[],
  options: EvidenceMarkdownOptions = {},
): ExportResult {
  const report = computeEvidence(traces);
  return finishOne(traces, {
    format: "evidence",
    text: evidenceMarkdown(report, options),
    fileName: "evidence.md",
    mime: "text/markdown",
  });
}

/** One finding as one line of plain text (label, then counts, values, timings or rows). */
export function findingText(f: Finding): string {
  switch (f.kind) {
    case "histogram": {
      const rows = Object.entries(f.counts).sort((a, b) => b[1] - a[1]);
      return `${f.label}: ${rows.length ? rows.map(([k, n]) => `${k} ×${n}`).join("; ") : "none"}`;
    }
    case "count":
      return `${f.label}: ${f.n}${f.of === undefined ? "" : `/${f.of}`}`;
    case "values":
      return `${f.label}: ${f.values.join(", ") || "none"}`;
    case "timing":
      return `${f.label}: ${timingText(f)}`;
    case "sequence":
      return `${f.label}: ${f.rows.join(" | ") || "none"}`;
    default:
      return f.text;
  }
}

/** Compact plain text for terminals: one block per question with observations, then a status tally. */
export function formatEvidenceSummary(report: EvidenceReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.status !== "computed") continue;
    lines.push(`[${r.ids.join(", ")}] (Obs ${r.obs}) ${r.question}`);
    for (const f of r.findings) if (f.kind === "note" || weight(f) > 0) lines.push(`    ${findingText(f)}`);
  }
  const tally: Record<string, number> = {};
  for (const r of report.results) tally[r.status] = (tally[r.status] ?? 0) + 1;
  lines.push(
    "",
    `Questions: ${Object.entries(tally)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")}`,
  );
  return lines.join("\n");
}
