import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CALL_CHECKS } from "../../../src/shared/rules/call";
import { RULES, ruleInfo } from "../../../src/shared/rules/catalogue";
import { SESSION_CHECKS } from "../../../src/shared/rules/session";
import { STANZA_CHECKS } from "../../../src/shared/rules/stanza";
import { RESEARCH_DIR } from "../../support/dirs";

const RESEARCH = path.join(RESEARCH_DIR, "call-signalling.md");

/** Rule numbers some check reports. */
function implemented(): Set<number> {
  const s = new Set<number>();
  for (const c of STANZA_CHECKS) s.add(c.rule);
  for (const c of CALL_CHECKS) {
    s.add(c.rule);
    for (const r of c.alsoReports ?? []) s.add(r);
  }
  for (const c of SESSION_CHECKS) s.add(c.rule);
  return s;
}

describe("the rule catalog", () => {
  it("lists rules 1..75 in order", () => {
    expect(RULES.map((r) => r.rule)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    expect(ruleInfo(50)?.part).toBe("SIG-15");
    expect(ruleInfo(76)).toBeUndefined();
  });

  it.skipIf(!existsSync(RESEARCH))("has the part codes of call-signalling.md §7", () => {
    const md = readFileSync(RESEARCH, "utf8");
    const section = md.slice(md.indexOf("## 7."), md.indexOf("## 8."));
    const parts = new Map<number, string>();
    let current = "";
    for (const m of section.matchAll(/^\| (\d+) \| ([A-Z]{3}-\d\d)?[^|]*\|/gm)) {
      if (m[2]) current = m[2];
      parts.set(Number(m[1]), current);
    }
    expect(parts.size).toBe(75);
    for (const r of RULES) expect(r.part, `rule ${r.rule}`).toBe(parts.get(r.rule));
  });

  it("implements every checkable rule, directly or through the rule that covers it", () => {
    const done = implemented();
    for (const r of RULES) {
      if (!r.checkable) continue;
      if (r.coveredBy !== undefined) {
        expect(done.has(r.coveredBy), `rule ${r.rule} covered by ${r.coveredBy}`).toBe(true);
        expect(done.has(r.rule), `rule ${r.rule} has its own check though covered`).toBe(false);
      } else {
        expect(done.has(r.rule), `rule ${r.rule} has no check`).toBe(true);
      }
    }
  });

  it("says why each non-checkable rule is not checkable, and checks no such rule", () => {
    const done = implemented();
    for (const r of RULES.filter((x) => !x.checkable)) {
      expect(r.reason, `rule ${r.rule}`).toBeTruthy();
      expect(done.has(r.rule), `rule ${r.rule}`).toBe(false);
    }
  });

  it("counts: 55 checkable rules, 49 with their own check, 20 not checkable", () => {
    expect(RULES.filter((r) => r.checkable)).toHaveLength(55);
    expect(RULES.filter((r) => r.checkable && r.coveredBy === undefined)).toHaveLength(49);
    expect(RULES.filter((r) => !r.checkable).map((r) => r.rule)).toEqual([
      5, 6, 7, 14, 18, 30, 36, 37, 41, 47, 52, 55, 61, 62, 63, 64, 66, 67, 69, 74,
    ]);
  });

  it("names every check uniquely", () => {
    const names = [...STANZA_CHECKS, ...CALL_CHECKS].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
