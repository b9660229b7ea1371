/**
 * Passive rule checks of call signalling: the wacrg normative rules (call-signalling.md §7)
 * that one device's stanza stream can show broken.
 */
export {
  CALL_CHECKS,
  type CallCheck,
  type CallCheckContext,
  type CallItem,
  callItems,
  checkCall,
} from "./call";
export { RULES, type RuleInfo, ruleInfo, rulePart } from "./catalog";
export { checkSession, ownJidsOf, SESSION_CHECKS, type SessionCheckOptions } from "./session";
export { checkStanza, MAX_PLAUSIBLE_RTT_MS, STANZA_CHECKS, type StanzaCheck, stanzaCallId } from "./stanza";
export type { Issue, RuleFinding, Severity } from "./types";
