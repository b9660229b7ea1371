/** Public entry of the research evidence (call-signalling.md §9 open questions). */
export { partOf, QUESTIONS } from "./catalogue";

export type { Finding } from "./findings";
export {
  computeEvidence,
  type EvidenceReport,
  exportEvidenceMarkdown,
  formatEvidenceSummary,
} from "./report";
