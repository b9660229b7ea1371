import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeReason, KNOWN_REASONS, reasonInfo } from "../../../src/shared/stanza/reasons";
import { WACRG_DIR } from "../../support/dirs";

describe("reason vocabulary", () => {
  it("knows both spellings of the elsewhere reasons", () => {
    expect(reasonInfo("accepted_elsewhere")?.canonical).toBe("accept_elsewhere");
    expect(reasonInfo("accept_elsewhere")?.canonical).toBe("accept_elsewhere");
    expect(reasonInfo("rejected_elsewhere")?.canonical).toBe("reject_elsewhere");
    expect(describeReason("timeout")).toMatch(/missed/);
    expect(describeReason("")).toMatch(/forbids/);
    expect(describeReason("nonsense")).toMatch(/unknown/);
  });

  it("covers every wire value of the wacrg terminate-reasons enum with its confidence", () => {
    const dir = WACRG_DIR;
    const yaml = readFileSync(join(dir, "spec/enums/terminate-reasons.yaml"), "utf8");
    // value / confidence pairs, read line by line (the enum file is flat).
    const pairs = [...yaml.matchAll(/- value: (\S+)\n\s+confidence: (\S+)/g)].map((m) => [m[1], m[2]]);
    expect(pairs.length).toBeGreaterThan(5);
    for (const [value, confidence] of pairs) {
      if (value === "unknown") continue; // a tooling placeholder, not a wire value
      const info = KNOWN_REASONS.find((r) => r.canonical === value);
      expect(info, value).toBeDefined();
      expect(info?.confidence, value).toBe(confidence);
    }
  });
});
