/**
 * Passive rule checks of call signalling: the wacrg normative rules (call-signalling.md §7)
 * that one device's stanza stream can show broken.
 */
export { checkCall } from "./call";

export { checkStanza } from "./stanza";
export type { RuleFinding } from "./types";
