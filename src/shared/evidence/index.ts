/** Public entry of the research evidence (call-signalling.md §9 open questions). */
export { type Observability, partOf, QUESTIONS, type Question } from "./catalogue";
export { buildContext, type CallCtx, type EvidenceContext, type Item, roleOf } from "./context";
export {
  type CountFinding,
  type Finding,
  type HistogramFinding,
  type NoteFinding,
  type SequenceFinding,
  stats,
  type TimingFinding,
  type ValuesFinding,
} from "./findings";
export {
  computeEvidence,
  type EvidenceMarkdownOptions,
  type EvidenceReport,
  type EvidenceResult,
  type EvidenceStatus,
  evidenceMarkdown,
  exportEvidenceMarkdown,
  formatEvidenceSummary,
} from "./report";
