/** Public entry of the sanitizer and the leak check. */
export {
  type Fingerprints,
  isLeakError,
  type LeakCategory,
  LeakError,
  type LeakFinding,
  maskValue,
} from "./leak";
export { isDocumentationIp } from "./pseudonyms";
export {
  fingerprintsOf,
  isSanitizedTrace,
  SANITIZER_VERSION,
  type SanitizedTrace,
  type SanitizeOptions,
  type SanitizeReport,
  sanitizeTrace,
} from "./sanitize";
