/** Public entry of the sanitizer and the leak check. */
export { isLeakError } from "./leak";

export { fingerprintsOf, isSanitizedTrace, type SanitizedTrace, sanitizeTrace } from "./sanitize";
