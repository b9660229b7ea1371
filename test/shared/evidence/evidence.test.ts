import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  computeEvidence,
  type EvidenceReport,
  exportEvidenceMarkdown,
  type Finding,
  formatEvidenceSummary,
  partOf,
  QUESTIONS,
} from "../../../src/shared/evidence/index";
import { importText } from "../../../src/shared/importers/index";
import { sanitizeTrace } from "../../../src/shared/sanitize/index";
import { RESEARCH_DIR } from "../../support/dirs";
import { FIXTURE_SECRETS, threeCalls } from "../tracefile/fixtures";

function section9(): { ids: string[]; obs: string }[] {
  const md = readFileSync(path.join(RESEARCH_DIR, "call-signalling.md"), "utf8");
  const s = md.slice(md.indexOf("## 9."));
  return s
    .split("\n")
    .filter((l) => /^\| [A-Za-z]/.test(l) && !l.startsWith("| ID "))
    .map((l) => {
      const cells = l.split("|").map((c) => c.trim());
      return { ids: cells[1].split(/,\s*/), obs: cells[3].replace(/ \(.*\)$/, "") };
    });
}

const result = (r: EvidenceReport, id: string) => {
  const x = r.results.find((q) => q.ids.includes(id));
  if (!x) throw new Error(`no question ${id}`);
  return x;
};
const finding = <K extends Finding["kind"]>(r: EvidenceReport, id: string, label: string, kind: K) => {
  const f = result(r, id).findings.find((x) => x.kind === kind && "label" in x && x.label === label);
  if (!f) throw new Error(`no ${kind} "${label}" in ${id}`);
  return f as Extract<Finding, { kind: K }>;
};

describe("catalogue", () => {
  it("covers every open question of call-signalling.md §9 with its observability", () => {
    const rows = section9();
    expect(rows.length).toBeGreaterThan(50);
    const byId = new Map(QUESTIONS.flatMap((q) => q.ids.map((id) => [id, q] as const)));
    for (const row of rows) {
      for (const id of row.ids) {
        const q = byId.get(id);
        expect(q, id).toBeDefined();
        expect(q?.obs, id).toBe(row.obs);
      }
    }
    const listed = new Set(rows.flatMap((r) => r.ids));
    const extra = QUESTIONS.flatMap((q) => q.ids).filter((id) => !listed.has(id));
    expect(extra.sort()).toEqual(["CRY-06c", "ENC-02b", "ENC-05a", "ENC-06", "ENC-07", "REL-01b", "REL-01c"]);
  });

  it("derives part codes from labels", () => {
    expect(partOf("SIG-12a")).toBe("SIG-12");
    expect(partOf("miss-b")).toBe("SIG-12");
    expect(partOf("rejF-c")).toBe("SIG-18");
    expect(partOf("rl-e")).toBe("SIG-15");
    expect(partOf("REL-01b")).toBe("REL-01");
    expect(QUESTIONS.find((q) => q.ids[0] === "SIG-04a")?.parts).toEqual(["SIG-04", "SIG-16", "SIG-17"]);
  });

  it("has an evidence function for every observable question", () => {
    for (const q of QUESTIONS)
      expect(q.obs === "N" ? q.compute === undefined : q.compute !== undefined, q.ids[0]).toBe(true);
  });
});

describe("evidence over a 1:1 audio capture", () => {
  const report = computeEvidence([threeCalls()]);

  it("times the missed call and names who ended it", () => {
    expect(finding(report, "SIG-12a", "offer → first terminate", "timing")).toMatchObject({
      samples: [45_000],
      precision: "exact",
    });
    expect(finding(report, "miss-b", "terminate origin", "histogram").counts).toEqual({
      "outgoing call, terminate sent by this device, reason timeout": 1,
    });
  });

  it("histograms reasons and duration counters", () => {
    expect(finding(report, "SIG-14a", "reason by action and direction", "histogram").counts).toEqual({
      "terminate out: timeout": 1,
      "terminate in: (absent)": 1,
      "reject out: (absent)": 1,
    });
    expect(finding(report, "SIG-12d", "duration/audio_duration values (s)", "values").values).toEqual([
      "audio_duration=59",
      "duration=60",
    ]);
    expect(finding(report, "SIG-08a", "reject attribute names (direction)", "histogram").counts).toEqual({
      "call-creator,call-id,count (out)": 1,
    });
  });

  it("checks that a preaccept precedes every accept", () => {
    expect(finding(report, "SIG-04a", "answered calls", "histogram").counts).toEqual({
      "accept out: preaccept first": 1,
    });
    expect(finding(report, "SIG-04a", "preaccept → accept", "timing").samples).toEqual([4970]);
  });

  it("classifies who sends inbound call acks (server vs device)", () => {
    expect(finding(report, "ack-a", "sender of inbound call acks", "histogram").counts).toEqual({
      "peer @s.whatsapp.net": 3,
      "peer @lid": 3,
    });
  });

  it("reads receipt from, mute-state, relaylatency RTT and transport types", () => {
    expect(finding(report, "SIG-16c", "own offer receipt from", "histogram").counts).toEqual({
      "present, lid (offer came from lid)": 1,
      absent: 1,
    });
    expect(finding(report, "SIG-13a", "mute-state (direction)", "histogram").counts).toEqual({
      "1 (out)": 1,
    });
    expect(finding(report, "rl-a", "relaylatency RTT (latency − 0x02000000, ms)", "values").values).toEqual([
      "45 (out)",
    ]);
    expect(finding(report, "SIG-05b", "transport-message-type (direction)", "histogram").counts).toEqual({
      "3 (in)": 1,
    });
    expect(
      finding(report, "SIG-15a", "relaylatency>te body vs relay>te2 bodies of the same trace", "histogram")
        .counts,
    ).toEqual({ "equals a te2 body": 1 });
  });

  it("marks questions without data and not observable ones", () => {
    expect(result(report, "SIG-02a").status).toBe("no-data");
    expect(result(report, "SIG-14c").status).toBe("not-observable");
    expect(formatEvidenceSummary(report)).toMatch(/Questions: \d+ computed, 3 not-observable, \d+ no-data/);
  });

  it("marks timings from second-precision logs", () => {
    const log = [
      '[2026-05-21T12:00:01Z DEBUG Client/Send] <call id="3EB0A" to="15550002222@s.whatsapp.net"><offer call-creator="15550001111@s.whatsapp.net" call-id="K"/></call>',
      '[2026-05-21T12:00:46Z DEBUG Client/Send] <call id="3EB0B" to="15550002222@s.whatsapp.net"><terminate call-creator="15550001111@s.whatsapp.net" call-id="K" reason="timeout"/></call>',
    ].join("\n");
    const r = computeEvidence([importText(log).trace]);
    expect(finding(r, "SIG-12a", "offer → first terminate", "timing")).toMatchObject({
      samples: [45_000],
      precision: "seconds",
    });
  });
});

describe("evidence Markdown export", () => {
  it("is computed from sanitized traces, leak-checked and ready to paste", () => {
    const st = sanitizeTrace(threeCalls()).trace;
    const r = exportEvidenceMarkdown([st]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const md = r.output.text;
    expect(md).toMatch(/^## Passive call-signalling evidence/);
    expect(md).toContain("| Question | Obs | Status | Observations |");
    expect(md).toContain("### SIG-12a · miss-a · miss-b (SIG-12, Obs Y)");
    expect(md).toContain("- offer → first terminate: 45.000 s");
    expect(md).toContain("_Not observable from one device's stanza stream._");
    for (const s of FIXTURE_SECRETS) expect(md).not.toContain(s);
    const computedOnly = exportEvidenceMarkdown([st], { all: false });
    expect(computedOnly.ok && computedOnly.output.text.includes("no-data")).toBe(false);
  });

  it("counts capability byte values only when they were kept", () => {
    const kept = computeEvidence([sanitizeTrace(threeCalls(), { keepCapability: true }).trace]);
    const keys = Object.keys(
      finding(kept, "SIG-01a", "capability body per (action, direction, peer platform, media)", "histogram")
        .counts,
    );
    expect(keys).toContain("offer out · android 2.26.1.5 · audio → 01 05 f7 09 e4 bb 13");
    const redacted = computeEvidence([sanitizeTrace(threeCalls()).trace]);
    expect(result(redacted, "SIG-01a").findings.some((f) => f.kind === "note")).toBe(true);
  });
});
