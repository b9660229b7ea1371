/** Public entry of the trace file format (docs/trace-format.md). */
export { analyzeTrace, formatDuration, formatLatency, latencyQuality } from "./analyze";
export { liveTrace, looksLikeTrace, parseTrace, serializeTrace } from "./io";

export { validateTrace } from "./validate";
