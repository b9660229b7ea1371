/**
 * The compatibility check's prepended script (scripts/wa-build/bundle.ts with page/env.js and
 * page/bridges.js): evaluated in a VM against a queueing `__d` stub like the page's, on a fake dump
 * of our own tiny modules.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BABEL_HELPERS_DEFINED, buildBundle, SIM_PAGE_DIR } from "../../../scripts/wa-build/bundle";
import { definedModuleNames, ModuleDump } from "../../../scripts/wa-build/dump";
import { BRIDGES, ENV_STUBS, REQUIRED_ROOTS, TRANSPORT_ROOTS } from "../../../scripts/wa-build/plan";

type Def = [name: string, deps: string[], factory: (...a: unknown[]) => unknown, flags: number];

/** A value of a stub module, reached through any chain of properties and calls (loose on purpose). */
// biome-ignore lint/suspicious/noExplicitAny: stub modules are probed dynamically
type Loose = any;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wa-build-bundle-"));
  const write = (name: string, deps: string[], body = "") =>
    writeFileSync(
      join(dir, `${name}.js`),
      `__d("${name}", ${JSON.stringify(deps)}, function (global, require, importDefault, importNamespace, requireLazy, module, exports) {\n  ${body}\n}, 98);\n`,
    );
  for (const r of [...REQUIRED_ROOTS, ...TRANSPORT_ROOTS]) write(r, []);
  write(
    "WAComms",
    ["WALogger", "WATagsLogger", "fb-error", "cr:6640", "tweetnacl-1.0.3", "cr:8712", "Gone"],
    "exports.x = 1;",
  );
  write(
    "WAErrors",
    [],
    "const Base = babelHelpers.wrapNativeSuper(Error); function Closed(text) { return Base.call(this, text) || this; } babelHelpers.inheritsLoose(Closed, Base); exports.Closed = Closed;",
  );
  write("WAWap", ["WAErrors"], "babelHelpers.taggedTemplateLiteralLoose(['a']);");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script with a page-like `__d` queue; returns the queued definitions and the window. */
function evaluate(script: string) {
  const queue: Def[] = [];
  const window: Record<string, unknown> = {
    __d: (...args: Def) => {
      queue.push(args);
    },
  };
  // The context is the global object (`globalThis`), as the page's window or the worker's self.
  vm.runInContext(script, vm.createContext(window));
  return { queue, window };
}

/** Runs one queued stub factory the way the runtime does for its flags; returns the module's value. */
function run(def: Def): unknown {
  const module: { exports: Record<string, unknown> | null } = { exports: {} };
  const exports = module.exports as Record<string, unknown>;
  const args =
    def[3] & 32 ? [{}, null, null, null, null, module, exports] : [{}, null, null, null, module, exports];
  const ret = def[2](...args);
  if (ret) return ret;
  if (def[3] & 64 && module.exports && "default" in module.exports) return module.exports.default;
  return module.exports;
}

describe("the prepended script", () => {
  it("queues our stubs first, then WhatsApp's modules verbatim, then the bridges", () => {
    const bundle = buildBundle(new ModuleDump(dir), [], definedModuleNames(SIM_PAGE_DIR));
    const { queue } = evaluate(bundle.script);
    const names = queue.map((d) => d[0]);
    const stubs = ["WALogger", "WATagsLogger", "fb-error", "cr:6640", "tweetnacl-1.0.3", "cr:8712", "Gone"];
    expect(names.slice(0, stubs.length).sort()).toEqual([...stubs].sort());
    const firstReal = names.indexOf("WAWap");
    expect(firstReal).toBe(stubs.length);
    expect(names.slice(-Object.keys(BRIDGES).length).sort()).toEqual(Object.keys(BRIDGES).sort());
    expect(bundle.plan.placeholders).toEqual(["Gone"]);
    // Module text is served as it is in the dump.
    expect(bundle.script).toContain(
      `__d("WAErrors", [], function (global, require, importDefault, importNamespace, requireLazy, module, exports) {`,
    );
    expect(bundle.babel.used).toEqual(["inheritsLoose", "taggedTemplateLiteralLoose", "wrapNativeSuper"]);
    expect(bundle.babel.missing).toEqual([]);
  });

  it("gives loggers that chain and log nothing, and error helpers that format", () => {
    const { queue } = evaluate(buildBundle(new ModuleDump(dir)).script);
    const get = (n: string) => run(queue.find((d) => d[0] === n) as Def) as Loose;
    const log = get("WALogger");
    expect(log.LOG(["a ", ""], 1).tags("x").sendLogs("y").verbose()).toBeDefined();
    expect(get("WATagsLogger").TAGS(["t"]).ERROR(["e"]).catching(new Error("x")).color("red")).toBeDefined();
    const fb = get("fb-error");
    expect(fb.err("bad %s at %s", "frame", 3).message).toBe("bad frame at 3");
    expect(fb.getErrorSafe("x").message).toBe("x");
    expect(Object.keys(fb.TAALOpcode)).toEqual([]);
    expect(get("cr:6640")).toBeNull();
    expect(get("Gone")).toEqual({});
    const nacl = get("cr:8712");
    expect(() => nacl.lowlevel.scalarmult()).toThrow(/not available/);
    expect(() => (get("tweetnacl-1.0.3") as unknown as () => Loose)().box.keyPair()).toThrow(/not available/);
  });

  it("defines every babelHelper it claims, and they build working Error subclasses", () => {
    const env = evaluate(
      buildBundle(new ModuleDump(dir)).script.replace(
        /\(\[[^\]]*\], \[[^\]]*\]\);/,
        `([], ${JSON.stringify(BABEL_HELPERS_DEFINED)});`,
      ),
    );
    const b = env.window.babelHelpers as Loose;
    for (const n of BABEL_HELPERS_DEFINED) expect(typeof b[n], n).toBe("function");
    const Base = b.wrapNativeSuper(Error);
    function MyError(this: Loose, m: string) {
      const self = Base.call(this, m) || this;
      self.name = "MyError";
      return self;
    }
    b.inheritsLoose(MyError, Base);
    const e = new (MyError as Loose)("boom");
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(MyError);
    expect(e.message).toBe("boom");
    const strings = b.taggedTemplateLiteralLoose(["a", "b"]);
    expect(strings.raw).toEqual(["a", "b"]);
    expect(b.extends({ a: 1 }, { b: 2 })).toEqual({ a: 1, b: 2 });
  });

  it("registers only the stubs it is asked for, and no bridge whose WhatsApp modules are absent", () => {
    const { queue } = evaluate(
      buildBundle(new ModuleDump(dir))
        .script.replace(/\(\[[^\]]*\], (\[[^\]]*\])\);/, "([], $1);")
        .replace(/\}\)\(\[[^\]]*\]\);\s*$/, "})([]);\n"),
    );
    const names = queue.map((d) => d[0]);
    for (const s of Object.keys(ENV_STUBS)) expect(names).not.toContain(s);
    for (const b of Object.keys(BRIDGES)) expect(names).not.toContain(b);
    expect(names).toContain("WAComms");
  });
});
