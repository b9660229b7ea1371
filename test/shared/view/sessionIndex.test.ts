import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { CapturedStanza } from "../../../src/shared/trace/types";
import { SessionIndex } from "../../../src/shared/view/sessionIndex";
import { incomingAnswered, outgoingMissed, resetSeq, st } from "./fixtures";

beforeEach(resetSeq);

function strip(calls: ReturnType<typeof buildCalls>["calls"]) {
  return calls.map((c) => ({ ...c, entries: c.entries.map((e) => ({ ...e, view: undefined })) }));
}

describe("SessionIndex", () => {
  it("equals buildCalls on the whole session, whatever the batch boundaries", () => {
    const all: CapturedStanza[] = [
      ...outgoingMissed("A", 1000),
      ...incomingAnswered("B", 1200),
      ...outgoingMissed("C", 5000),
    ].sort((a, b) => a.seq - b.seq);
    const expected = strip(buildCalls(all).calls);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const index = new SessionIndex();
        let i = 0;
        let k = 0;
        while (i < all.length) {
          const n = sizes[k++ % sizes.length];
          index.add(all.slice(i, i + n));
          index.calls(); // interleaved reads must not change the result
          i += n;
        }
        expect(strip(index.calls())).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("joins an ack captured before its stanza once the stanza arrives, and flags it negative", () => {
    const offer = outgoingMissed("A", 1000);
    // The ack (seq 1) gets an earlier capture time than the offer.
    offer[1] = { ...offer[1], t: 900 };
    const index = new SessionIndex();
    index.add([offer[1]].map((s) => ({ ...s, seq: 0 })));
    expect(index.unpaired()).toHaveLength(1);
    index.add(offer.filter((_, i) => i !== 1).map((s, i) => ({ ...s, seq: i + 1 })));
    expect(index.unpaired()).toHaveLength(0);
    const call = index.calls()[0];
    expect(call.entries.find((e) => e.view.kind === "call" && e.view.action === "offer")?.negative).toBe(
      true,
    );
  });

  it("ignores stanzas it already has, drops below a seq, and counts unreadable ones", () => {
    const s = outgoingMissed("A", 1000);
    const index = new SessionIndex();
    index.add(s);
    expect(index.add(s.slice(0, 3))).toBe(0);
    index.add([
      { seq: 100, direction: "in", t: 9000, tap: "comms-config", error: { message: "bad", hex: "00ff" } },
    ]);
    expect(index.errors()).toHaveLength(1);
    index.dropBelow(4);
    expect(index.rows.map((r) => r.seq)).toEqual([4, 5, 100]);
    expect(index.calls()[0].entries).toHaveLength(2);
  });

  it("recomputes only the calls that changed", () => {
    const index = new SessionIndex();
    index.add([...outgoingMissed("A", 1000), ...incomingAnswered("B", 3000).slice(0, 3)]);
    const [a1] = index.calls();
    index.add(
      incomingAnswered("B", 3000)
        .slice(3)
        .map((x) => ({ ...x, seq: x.seq + 100 })),
    );
    const [a2, b] = index.calls();
    expect(a2).toBe(a1);
    expect(b.entries.length).toBeGreaterThan(3);
    void st;
  });
});
