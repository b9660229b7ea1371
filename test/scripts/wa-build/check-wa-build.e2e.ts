/**
 * End to end, the compatibility check itself (scripts/check-wa-build.ts) on our look-alikes, so CI
 * needs no dump: a fake dump of two tiny modules of our own (one displaces the simulator's
 * `WAWebBuildConstants`, one needs a `cr:` build resolution) is served in front of the simulator's
 * early bundle; the built extension captures the four scripted calls; the report pairs its rows
 * with the server's wire record.
 *
 * Not collected by the unit project (the name does not end in `.test.ts`): an e2e test file imports
 * it (`import "../test/scripts/wa-build/check-wa-build.e2e";`), after `npx vite build`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle } from "../../../scripts/wa-build/bundle";
import { ModuleDump, resolveModulesDir } from "../../../scripts/wa-build/dump";
import { BRIDGES, REQUIRED_ROOTS, stubInfo } from "../../../scripts/wa-build/plan";
import { buildReport, type CompatReport } from "../../../scripts/wa-build/report";
import { type RunData, runCheck, SCRIPTED_FLOWS } from "../../../scripts/wa-build/run";

const FAKE_BUILD = "2.3000.4242";

/** Writes a dump folder of our own tiny modules, in the dump's file shape. */
function fakeDump(): string {
  const top = mkdtempSync(join(tmpdir(), "wa-build-fake-dump-"));
  mkdirSync(join(top, "modules"));
  const write = (name: string, deps: string[], body: string) =>
    writeFileSync(
      join(top, "modules", `${name}.js`),
      `__d("${name}", ${JSON.stringify(deps)}, function (global, require, importDefault, importNamespace, requireLazy, module, exports) {\n\t${body}\n}, 98);\n`,
    );
  write(
    "WAWebBuildConstants",
    [],
    `exports.VERSION_BASE = "${FAKE_BUILD}"; exports.VERSION_STR = "${FAKE_BUILD}"; exports.VERSION_TERTIARY = 4242; exports.WINDOWS_OFFLINE = false;`,
  );
  write("WACheckFixture", ["WAWebBuildConstants", "cr:4242"], "exports.ok = require('cr:4242') === null;");
  return top;
}

let top: string;
let data: RunData;
let report: CompatReport;

beforeAll(async () => {
  top = fakeDump();
  const bundle = buildBundle(new ModuleDump(resolveModulesDir(top)), [
    "WAWebBuildConstants",
    "WACheckFixture",
  ]);
  data = await runCheck(bundle, { query: "" });
  report = buildReport({
    plan: bundle.plan,
    stubInfo,
    bridgeWhy: BRIDGES,
    babelHelpersMissing: bundle.babel.missing,
    query: "",
    connected: data.connected,
    served: data.served,
    failure: data.failure,
    scenarios: data.scenarios,
    rows: data.session?.stanzas ?? [],
    health: data.session?.health,
    wire: data.wire,
    footprint: data.footprint,
    modulesRan: data.modules.filter((m) => m.ran).map((m) => m.name),
    probes: data.probes,
    dupCount: data.dupCount,
    pageErrors: data.pageErrors,
    build: data.build,
    expectedScenarios: SCRIPTED_FLOWS,
    requiredRoots: REQUIRED_ROOTS,
  });
});

afterAll(() => {
  if (top) rmSync(top, { recursive: true, force: true });
});

describe("check:wa-build on a fake dump of our own modules", () => {
  it("serves the dump's modules first, so they displace the simulator's look-alikes of the same name", () => {
    expect(data.connected, data.failure).toBe(true);
    expect(data.served).toBeGreaterThanOrEqual(1);
    expect(report.build).toBe(FAKE_BUILD);
    expect(report.loaded.real).toEqual(["WAWebBuildConstants", "WACheckFixture"]);
    expect(report.loaded.ran).toContain("WAWebBuildConstants");
    expect(report.loaded.stubs).toContainEqual(
      expect.objectContaining({ name: "cr:4242", kind: "build resolution" }),
    );
    expect(report.loaded.bridges).toEqual([]);
    // The stanza path stayed the simulator's, and the report says so.
    expect(report.loaded.absentRoots).toEqual(expect.arrayContaining([...REQUIRED_ROOTS]));
    expect(Object.values(report.loaded.probes).some(Boolean)).toBe(false);
    expect(report.failures).toContain("WAComms is not in the dump");
    expect(report.ok).toBe(false);
  });

  it("drives the four flows and finds each call in the extension", () => {
    expect(report.calls.map((c) => c.scenario).sort()).toEqual([...SCRIPTED_FLOWS].sort());
    for (const c of report.calls) expect(c.captured, c.scenario).toBe(true);
    for (const f of SCRIPTED_FLOWS) expect(report.failures.join("\n")).not.toContain(`flow ${f}`);
  });

  it("pairs the extension's rows with the server's wire record", () => {
    const r = report.rows;
    expect(r.wireCallStanzas).toBeGreaterThanOrEqual(30);
    expect(r.missing).toEqual([]);
    expect(r.matched).toBe(r.wireCallStanzas);
    expect(r.phantoms.length).toBe(r.rows - r.matched);
    const sent = report.calls.flatMap((c) => c.acks).filter((a) => a.direction === "out");
    expect(sent.length).toBeGreaterThan(0);
    for (const a of sent) expect(a.wireMs, `${a.action} ${a.id}`).toBeGreaterThanOrEqual(145);
  });
});
