/** Public entry of the trace file format (docs/trace-format.md). */
export {
  analyzeTrace,
  formatDuration,
  formatLatency,
  type LatencyQuality,
  latencyQuality,
  type TraceAnalysis,
} from "./analyze";
export { lineColumn, liveTrace, looksLikeTrace, parseTrace, serializeTrace, type TraceLoad } from "./io";
export {
  type CreateTraceOptions,
  createTrace,
  type SanitizeInfo,
  type TimestampPrecision,
  TOOL_ID,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceBytes,
  type TraceFile,
  type TraceSource,
} from "./types";
export {
  formatTraceErrors,
  isStanzaList,
  MAX_ERRORS,
  MAX_NODE_DEPTH,
  type TraceError,
  type TraceErrorCode,
  type TraceValidation,
  validateNode,
  validateStanza,
  validateTrace,
} from "./validate";
