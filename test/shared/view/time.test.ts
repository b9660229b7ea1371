import { describe, expect, it } from "vitest";
import { buildCalls } from "../../../src/shared/trace/calls";
import { offerTime, tableTime, timeCell, timeCells } from "../../../src/shared/view/time";
import { outgoingMissed, resetSeq } from "./fixtures";

describe("time cells", () => {
  it("one cell is the cell of a row in a run", () => {
    const times = [1000, 1250, 1200, 4000];
    for (const mode of ["absolute", "offer", "delta", "selected"] as const) {
      const ctx = { offerT: 1250, selectedT: 1200 };
      expect(times.map((t, i) => timeCell(t, times[i - 1], mode, ctx))).toEqual(timeCells(times, mode, ctx));
    }
  });
});

describe("tableTime", () => {
  const rows = [{ t: 1000, callId: "A" }, { t: 1500 }, { t: 1400, callId: "A" }, { t: 2500, callId: "B" }];
  const ctx = { offerT: (id: string) => (id === "A" ? 900 : undefined) };

  it("counts since the row's own call's offer, else since the first shown row", () => {
    expect(tableTime(rows, 0, "offer", ctx)).toEqual({ text: "+0.100 s", backwards: false, negative: false });
    expect(tableTime(rows, 1, "offer", ctx).text).toBe("+0.500 s");
    expect(tableTime(rows, 2, "offer", ctx)).toEqual({ text: "+0.500 s", backwards: true, negative: false });
    expect(tableTime(rows, 3, "offer", ctx).text).toBe("+1.500 s");
    const late = { offerT: () => 1200 };
    expect(tableTime(rows, 0, "offer", late)).toEqual({ text: "−0.200 s", backwards: false, negative: true });
  });

  it("flags a delta that goes backwards, and counts from the selected row", () => {
    expect(tableTime(rows, 0, "delta", ctx)).toEqual({ text: "+0.0 ms", backwards: false, negative: false });
    expect(tableTime(rows, 2, "delta", ctx)).toEqual({ text: "−100.0 ms", backwards: true, negative: true });
    expect(tableTime(rows, 3, "selected", { ...ctx, selectedT: 1500 })).toEqual({
      text: "+1000.0 ms",
      backwards: false,
      negative: false,
    });
    expect(tableTime(rows, 3, "selected", ctx).text).toBe(tableTime(rows, 3, "absolute", ctx).text);
  });

  it("a call's offer time is its first offer", () => {
    resetSeq();
    const [c] = buildCalls(outgoingMissed("A", 1000)).calls;
    expect(offerTime(c)).toBe(1000);
    expect(offerTime({ entries: c.entries.slice(1) })).toBe(c.entries[1].stanza.t);
  });
});
