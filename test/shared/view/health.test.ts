import { describe, expect, it } from "vitest";
import { type CaptureHealth, emptyHealth, type TapHealth } from "../../../src/shared/trace/types";
import { type EmptyState, emptyReason } from "../../../src/shared/view/health";

function state(health: Partial<CaptureHealth>, more: Partial<EmptyState> = {}, rows = 0): EmptyState {
  return {
    connected: true,
    health: { ...emptyHealth(), ...health },
    index: { rows: { length: rows } },
    ...more,
  };
}

const tap: TapHealth = { name: "comms-config", installed: true, live: true };

describe("emptyReason", () => {
  it("says what is missing, from the connection to the calls", () => {
    expect(emptyReason(state({}, { connected: false }))).toBe("Connecting to the extension's background…");
    expect(emptyReason(state({}, {}, 3))).toMatch(/^3 stanzas captured, none belongs to a call yet/);
    expect(emptyReason(state({}))).toMatch(/^No tap has reported from this tab yet/);
    expect(emptyReason(state({ taps: [{ ...tap, installed: false }] }))).toBe(
      "Tap not installed: no comms module found.",
    );
    expect(emptyReason(state({ taps: [tap], commsMode: "worker" }))).toMatch(/^Comms run in a worker/);
    expect(emptyReason(state({ taps: [tap] }))).toBe(
      "Tap installed; no stanza seen yet. Make or receive a call.",
    );
  });

  it("counts the stanzas seen over every tag, as the health bar does", () => {
    const seenByTag = { message: 4, iq: 2 };
    expect(emptyReason(state({ taps: [tap], seenByTag }))).toBe(
      "6 stanzas seen, none were call stanzas. Make or receive a call.",
    );
    expect(emptyReason(state({ taps: [tap], seenByTag, forwarded: 1 }, { lastClear: "user" }))).toBe(
      "Cleared. The tap is live (6 stanzas seen since the page loaded, 1 forwarded); new call stanzas will appear here.",
    );
  });

  it("prefers the tap's own diagnosis, noting a reload that cleared the log", () => {
    const emptyReasonOfTap = { code: "nothing-seen", message: "nothing seen yet" } as const;
    expect(emptyReason(state({ taps: [tap], emptyReason: emptyReasonOfTap }))).toBe("nothing seen yet");
    expect(emptyReason(state({ taps: [tap], emptyReason: emptyReasonOfTap }, { lastClear: "reload" }))).toBe(
      "Page reloaded, log cleared. nothing seen yet",
    );
  });
});
