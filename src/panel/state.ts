/**
 * The panel's session state and how each background message changes it. Pure, so that
 * a reopened panel (backlog) and a live one (stanza by stanza) provably agree.
 */
import type { PanelMessage } from "../shared/protocol/messages";
import { type CapturedStanza, type CaptureHealth, emptyHealth } from "../shared/trace/types";

/** What the panel shows. */
export interface PanelState {
  connected: boolean;
  stanzas: CapturedStanza[];
  health: CaptureHealth;
}

/** The state before the backlog arrives. */
export function initialState(): PanelState {
  return { connected: false, stanzas: [], health: emptyHealth() };
}

/** Applies one background message; returns a new state (inputs are not mutated). */
export function applyMessage(state: PanelState, message: PanelMessage): PanelState {
  switch (message.type) {
    case "backlog":
      return { connected: true, stanzas: message.stanzas, health: message.health };
    case "stanza": {
      const last = state.stanzas[state.stanzas.length - 1];
      if (last && last.seq >= message.stanza.seq) return state; // already in the backlog
      return { ...state, stanzas: [...state.stanzas, message.stanza] };
    }
    case "health":
      return { ...state, health: message.health };
    case "cleared":
      return { ...state, stanzas: [], health: emptyHealth() };
    default:
      return state;
  }
}
