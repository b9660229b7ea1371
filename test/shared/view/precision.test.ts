import { describe, expect, it } from "vitest";
import { msDecimals, timerPrecisionMs } from "../../../src/shared/view/precision";
import { signedMs, tableTime, timeCells } from "../../../src/shared/view/time";

// Capture times as taps make them: timeOrigin + performance.now(), epoch ms near 1.7e12.
const ORIGIN = 1_764_980_000_123.456;

describe("timerPrecisionMs", () => {
  it("reads Firefox's 1 ms from whole-millisecond differences, despite float rounding at epoch scale", () => {
    expect(timerPrecisionMs([0, 12, 150, 151, 2003].map((d) => ORIGIN + d))).toBe(1);
  });

  it("reads Chromium's 100 µs", () => {
    expect(timerPrecisionMs([0, 12.3, 150.1, 151, 2003.7].map((d) => ORIGIN + d))).toBe(0.1);
  });

  it("says nothing when the clock is finer (isolated page, or page and worker clocks mixed)", () => {
    expect(timerPrecisionMs([0, 12.345, 150.1, 151, 2003].map((d) => ORIGIN + d))).toBeUndefined();
  });

  it("says nothing from too few distinct times (a whole number by chance is likely)", () => {
    expect(timerPrecisionMs([])).toBeUndefined();
    expect(timerPrecisionMs([0, 0, 12, 150, 2003].map((d) => ORIGIN + d))).toBeUndefined();
    expect(timerPrecisionMs([0, 0, 12, 150, 2003, 2004].map((d) => ORIGIN + d))).toBe(1);
  });
});

describe("durations at the timer's precision", () => {
  it("drops the decimal at 1 ms and keeps one at 100 µs or unknown", () => {
    expect([msDecimals(1), msDecimals(0.1), msDecimals(undefined)]).toEqual([0, 1, 1]);
    expect(signedMs(23, 1)).toBe("+23 ms");
    expect(signedMs(-23.4, 0.1)).toBe("−23.4 ms");
    expect(signedMs(23)).toBe("+23.0 ms");
  });

  it("the delta column follows the context's precision", () => {
    const times = [ORIGIN, ORIGIN + 12, ORIGIN + 40];
    expect(timeCells(times, "delta", { offerT: ORIGIN, precisionMs: 1 }).map((c) => c.text)).toEqual([
      "+0 ms",
      "+12 ms",
      "+28 ms",
    ]);
  });

  it("so does the stanza table's, when its context carries the precision", () => {
    const rows = [{ t: ORIGIN }, { t: ORIGIN + 12 }];
    const ctx = { offerT: () => undefined };
    expect(tableTime(rows, 1, "delta", { ...ctx, precisionMs: 1 }).text).toBe("+12 ms");
    expect(tableTime(rows, 1, "delta", ctx).text).toBe("+12.0 ms");
  });
});
