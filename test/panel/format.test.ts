import { describe, expect, it } from "vitest";
import { formatMs } from "../../src/panel/format";

describe("formatMs", () => {
  it("shows latencies with the precision the browser gave", () => {
    expect(formatMs(23, 1)).toBe("23 ms");
    expect(formatMs(22.5, 1)).toBe("23 ms");
    expect(formatMs(23.4, 0.1)).toBe("23.4 ms");
    expect(formatMs(23.4)).toBe("23.4 ms");
  });

  it("keeps seconds and the dash as before", () => {
    expect(formatMs(1234, 1)).toBe("1.23 s");
    expect(formatMs(12_345, 1)).toBe("12.3 s");
    expect(formatMs(undefined, 1)).toBe("—");
    expect(formatMs(Number.NaN)).toBe("—");
  });
});
