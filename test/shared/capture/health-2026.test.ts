import { describe, expect, it } from "vitest";
import { limitationsFor } from "../../../src/shared/capture/health";
import { type CaptureHealth, emptyHealth } from "../../../src/shared/trace/types";
import { isUnconfirmed, toRow } from "../../../src/shared/view/rows";

function health(over: Partial<CaptureHealth>): CaptureHealth {
  return { ...emptyHealth(), ...over };
}

describe("capture health on WhatsApp Web 2026 (wa-web-2026.md)", () => {
  it("says which rows only the codec saw when no wire tap is live on the page", () => {
    const codecOnly = health({
      commsMode: "worker",
      codecOnly: 7,
      taps: [
        { name: "codec", installed: true, live: true },
        { name: "transport", installed: true, live: false },
      ],
    });
    const l = limitationsFor(codecOnly).find((x) => x.code === "codec-only");
    expect(l?.message).toMatch(/^7 call stanzas were seen only by WhatsApp's codec/);
    // With the transport tap live, rows it missed are races, not a mode limitation.
    const wire = health({ ...codecOnly, taps: [{ name: "transport", installed: true, live: true }] });
    expect(limitationsFor(wire).map((x) => x.code)).not.toContain("codec-only");
  });

  it("says the VoIP modules are not loaded yet until they are", () => {
    const early = health({ modules: { codec: true, comms: true, dictionary: true, voip: false } });
    expect(limitationsFor(early).map((x) => x.code)).toContain("voip-modules-pending");
    const later = health({ modules: { codec: true, comms: true, dictionary: true, voip: true } });
    expect(limitationsFor(later).map((x) => x.code)).not.toContain("voip-modules-pending");
    // Where no module can be seen at all, nothing is claimed about them.
    expect(limitationsFor(health({})).map((x) => x.code)).not.toContain("voip-modules-pending");
  });

  it("marks a row unconfirmed only when the codec alone saw it", () => {
    const node = { tag: "ack", attrs: { id: "1", class: "call" } };
    const base = { seq: 1, t: 1, direction: "out" as const, node };
    expect(isUnconfirmed({ tap: "codec", seenBy: ["codec"] })).toBe(true);
    expect(isUnconfirmed({ tap: "codec" })).toBe(true);
    expect(isUnconfirmed({ tap: "codec", seenBy: ["codec", "worker:transport"] })).toBe(false);
    expect(isUnconfirmed({ tap: "transport", seenBy: ["transport"] })).toBe(false);
    expect(toRow({ ...base, tap: "codec", seenBy: ["codec"] }).unconfirmed).toBe(true);
    expect(toRow({ ...base, tap: "transport", seenBy: ["transport", "codec"] }).unconfirmed).toBeUndefined();
  });
});
