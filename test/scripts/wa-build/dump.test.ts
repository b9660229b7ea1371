/**
 * The compatibility check's dump reading and module choice (scripts/wa-build/dump.ts, plan.ts),
 * on small module files of our own (no WhatsApp code).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  babelHelpersUsed,
  definedModuleNames,
  ModuleDump,
  moduleClosure,
  parseModuleHeader,
  resolveModulesDir,
} from "../../../scripts/wa-build/dump";
import {
  BRIDGES,
  cutFor,
  ENV_STUBS,
  KEEP_SIMULATOR,
  planLoad,
  REQUIRED_ROOTS,
  stubInfo,
  TRANSPORT_ROOTS,
} from "../../../scripts/wa-build/plan";

/** A module file in the dump's shape: `__d("Name", [deps], factory, flags)`. */
function mod(name: string, deps: string[] = [], body = ""): string {
  const list = deps.map((d) => `\n\t"${d}"`).join(",");
  return `__d("${name}", [${list}${deps.length ? "\n" : ""}], function (global, require, importDefault, importNamespace, requireLazy, module, exports) {\n\t${body}\n}, 98);\n`;
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "wa-build-test-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("parseModuleHeader", () => {
  it("reads the name and the dependencies of a one-line and a multi-line header", () => {
    expect(parseModuleHeader('__d("A", ["B", "cr:12"], (function(){}), 98);')).toEqual({
      name: "A",
      deps: ["B", "cr:12"],
    });
    expect(parseModuleHeader(mod("$Enum", ["X", "Y-1.0"]))).toEqual({ name: "$Enum", deps: ["X", "Y-1.0"] });
    expect(parseModuleHeader(mod("Empty"))).toEqual({ name: "Empty", deps: [] });
  });

  it("refuses text that is not a module header", () => {
    expect(parseModuleHeader("var x = 1;")).toBeNull();
    expect(parseModuleHeader('__d("A", [1, 2], function(){})')).toBeNull();
    expect(parseModuleHeader('__d("A", ["B",], function(){})')).toBeNull();
    expect(parseModuleHeader('define("A", [], function(){})')).toBeNull();
  });
});

describe("moduleClosure", () => {
  const graph: Record<string, string[]> = {
    Root: ["Mid", "Log", "cr:1"],
    Mid: ["Leaf", "Missing", "Kept"],
    Leaf: ["Mid"],
    Other: [],
  };
  const cut = (n: string) =>
    n === "Log" || n.startsWith("cr:") ? "stub" : n === "Kept" ? "simulator" : undefined;

  it("follows real modules breadth first and stops at stubs, simulator names and missing modules", () => {
    const c = moduleClosure(["Root"], (n) => graph[n], cut);
    expect(c.real).toEqual(["Root", "Mid", "Leaf"]);
    expect(c.stubbed).toEqual(["Log", "cr:1"]);
    expect(c.simulator).toEqual(["Kept"]);
    expect(c.missing).toEqual(["Missing"]);
    expect(c.requiredBy).toMatchObject({ Mid: "Root", Leaf: "Mid", Missing: "Mid", Kept: "Mid" });
  });

  it("never cuts a root, even one with a stub's name", () => {
    const c = moduleClosure(["Log", "Other"], (n) => (n === "Log" ? [] : graph[n]), cut);
    expect(c.real).toEqual(["Log", "Other"]);
    expect(c.stubbed).toEqual([]);
  });
});

describe("ModuleDump and the dump folder", () => {
  it("reads module files, refusing names that are not file names or not the file's module", () => {
    const d = tempDir();
    writeFileSync(join(d, "A.js"), mod("A", ["B"]));
    writeFileSync(join(d, "Wrong.js"), mod("Other"));
    const dump = new ModuleDump(d);
    expect(dump.deps("A")).toEqual(["B"]);
    expect(dump.source("A")).toContain('__d("A"');
    expect(dump.deps("B")).toBeUndefined();
    expect(dump.deps("Wrong")).toBeUndefined();
    expect(dump.deps("../A")).toBeUndefined();
  });

  it("finds modules/ under the given folder, or the folder itself", () => {
    const top = tempDir();
    mkdirSync(join(top, "modules"));
    writeFileSync(join(top, "modules", "A.js"), mod("A"));
    expect(resolveModulesDir(top)).toBe(join(top, "modules"));
    expect(resolveModulesDir(join(top, "modules"))).toBe(join(top, "modules"));
    expect(() => resolveModulesDir(tempDir())).toThrow(/git archive 0fbd5e1a0 modules/);
  });

  it("lists the module names a folder of scripts defines", () => {
    const d = tempDir();
    mkdirSync(join(d, "bundles"));
    writeFileSync(join(d, "bundles", "a.js"), '__d(\n  "SimA",\n  [],\n  () => {},\n);\n__d("SimB", [], f);');
    writeFileSync(join(d, "boot.js"), 'define("SimC", [], f, 66);');
    writeFileSync(join(d, "notes.txt"), '__d("NotScript", [])');
    expect([...definedModuleNames(d)].sort()).toEqual(["SimA", "SimB", "SimC"]);
  });

  it("lists the babelHelpers the sources call", () => {
    expect(
      babelHelpersUsed([
        "babelHelpers.inheritsLoose(a, b); babelHelpers.extends({}, x)",
        "const strings = babelHelpers.taggedTemplateLiteralLoose(['x'])",
      ]),
    ).toEqual(["extends", "inheritsLoose", "taggedTemplateLiteralLoose"]);
  });
});

describe("the load plan", () => {
  it("stubs environment modules and build resolutions, and keeps the bridges' look-alikes", () => {
    expect(cutFor("WALogger")).toBe("stub");
    expect(cutFor("fb-error")).toBe("stub");
    expect(cutFor("cr:4242")).toBe("stub");
    expect(stubInfo("cr:4242")?.kind).toBe("build resolution");
    expect(stubInfo("WATagsLogger")?.kind).toBe("logger");
    expect(cutFor("WAAckParser")).toBe("simulator");
    expect(cutFor("WAWebOpenChatSocket")).toBe("simulator");
    expect(cutFor("WAWap")).toBeUndefined();
    expect(stubInfo("WAWap")).toBeUndefined();
    for (const b of Object.values(BRIDGES)) for (const u of b.uses) expect(KEEP_SIMULATOR).toContain(u);
    // Every stub says why.
    for (const info of Object.values(ENV_STUBS)) expect(info.why.length).toBeGreaterThan(20);
  });

  /** A fake dump holding every root, with a few dependencies of our own. */
  function fakeDump(extra: Record<string, string[]> = {}, omit: string[] = []) {
    const graph: Record<string, string[]> = {};
    for (const r of [...REQUIRED_ROOTS, ...TRANSPORT_ROOTS]) graph[r] = [];
    graph.WAComms = ["WALogger", "Shared", "cr:9"];
    graph.WAWap = ["Shared", "NotInDump", "SimOnly"];
    graph.Shared = [];
    Object.assign(graph, extra);
    for (const o of omit) delete graph[o];
    return { deps: (n: string) => graph[n] };
  }

  it("loads the roots' closure, installs the bridges whose modules all came from the dump", () => {
    const plan = planLoad(fakeDump(), new Set(["SimOnly", "WAWap"]));
    expect(plan.real).toEqual(expect.arrayContaining([...REQUIRED_ROOTS, ...TRANSPORT_ROOTS, "Shared"]));
    expect(plan.stubbed).toEqual(expect.arrayContaining(["WALogger", "cr:9"]));
    expect(plan.placeholders).toEqual(["NotInDump"]);
    expect(plan.simulator).toContain("SimOnly");
    expect(plan.conflicts).toEqual([{ module: "WAWap", needs: "SimOnly" }]);
    expect(plan.absentRoots).toEqual([]);
    expect(plan.bridges.sort()).toEqual(Object.keys(BRIDGES).sort());
  });

  it("leaves absent roots to the simulator and skips the bridges that need them", () => {
    const plan = planLoad(fakeDump({}, ["WAOpenChatSocket"]));
    expect(plan.absentRoots).toEqual(["WAOpenChatSocket"]);
    expect(plan.placeholders).not.toContain("WAOpenChatSocket");
    expect(plan.bridges).not.toContain("WAWebOpenChatSocket");
    expect(plan.bridges).toContain("WADeprecatedSendIq");
  });

  it("flags a dump module that needs a look-alike the bridges keep", () => {
    const plan = planLoad(fakeDump({ WAFrameSocket: ["WAAckParser"] }));
    expect(plan.conflicts).toContainEqual({ module: "WAFrameSocket", needs: "WAAckParser" });
  });

  it("adds extra roots with their closure", () => {
    const plan = planLoad(fakeDump({ Extra: ["Shared", "ExtraDep"], ExtraDep: [] }), new Set(), ["Extra"]);
    expect(plan.real).toEqual(expect.arrayContaining(["Extra", "ExtraDep"]));
  });
});
