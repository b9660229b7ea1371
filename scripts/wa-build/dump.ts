/**
 * Reading a local copy of WhatsApp Web's public module dump (`modules/<Name>.js`, each exactly
 * `__d("Name", [deps], factory, flags)`; ../shared/research/wa-web-2026.md) and choosing the
 * modules the compatibility check loads: the dependency closure of the stanza-path roots, cut at
 * environment stubs and at the simulator look-alikes the bridges rely on.
 *
 * The dump is Meta's code: it is read from the given directory at run time, never copied into the
 * project.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The `__d("Name", [deps], …)` header of one module file. */
export interface ModuleHeader {
  name: string;
  deps: string[];
}

const HEADER = /^\s*__d\(\s*"((?:[^"\\]|\\.)+)"\s*,\s*\[([^\]]*)\]/;

/**
 * Parses the header of a module file.
 * @param source the file's text (only its start is read).
 * @returns the module name and its dependency names in order, or `null` when the text does not
 *   start with `__d("Name", [ … ]`.
 */
export function parseModuleHeader(source: string): ModuleHeader | null {
  const m = HEADER.exec(source.slice(0, 20_000));
  if (!m) return null;
  let deps: unknown;
  try {
    deps = JSON.parse(`[${m[2]}]`);
  } catch {
    return null;
  }
  if (!Array.isArray(deps) || !deps.every((d) => typeof d === "string")) return null;
  return { name: JSON.parse(`"${m[1]}"`) as string, deps };
}

/** How the closure treats a module name it meets. */
export type Cut = "stub" | "simulator";

/** The modules to load, found by {@link moduleClosure}. */
export interface Closure {
  /** Modules read from the dump, in discovery order (breadth first from the roots). */
  real: string[];
  /** Names replaced by our environment stubs (reached, not followed). */
  stubbed: string[];
  /** Names left to the simulator's look-alike (reached, not followed); a real module needing one is a conflict. */
  simulator: string[];
  /** Names neither in the dump nor cut: loaded as empty placeholders. */
  missing: string[];
  /** For every non-root name: the first module that required it. */
  requiredBy: Record<string, string>;
}

/**
 * The dependency closure of `roots`, following each real module's header.
 * @param roots module names to start from (roots are never cut).
 * @param depsOf the header dependencies of a dump module, or `undefined` when the dump lacks it.
 * @param cut which names not to follow: stubbed by us, or kept as the simulator's.
 */
export function moduleClosure(
  roots: readonly string[],
  depsOf: (name: string) => readonly string[] | undefined,
  cut: (name: string) => Cut | undefined,
): Closure {
  const out: Closure = { real: [], stubbed: [], simulator: [], missing: [], requiredBy: {} };
  const seen = new Set<string>();
  const queue: Array<[string, boolean]> = roots.map((r) => [r, true]);
  for (let i = 0; i < queue.length; i++) {
    const [name, isRoot] = queue[i];
    if (seen.has(name)) continue;
    seen.add(name);
    const c = isRoot ? undefined : cut(name);
    if (c === "stub") {
      out.stubbed.push(name);
      continue;
    }
    if (c === "simulator") {
      out.simulator.push(name);
      continue;
    }
    const deps = depsOf(name);
    if (deps === undefined) {
      out.missing.push(name);
      continue;
    }
    out.real.push(name);
    for (const d of deps) {
      if (!(d in out.requiredBy) && !roots.includes(d)) out.requiredBy[d] = name;
      queue.push([d, false]);
    }
  }
  return out;
}

/**
 * The `modules/` folder of a dump: `dir/modules` when it exists, else `dir` itself.
 * @throws when that folder holds no `.js` file.
 */
export function resolveModulesDir(dir: string): string {
  const sub = join(dir, "modules");
  const d = existsSync(sub) && statSync(sub).isDirectory() ? sub : dir;
  if (!existsSync(d) || !statSync(d).isDirectory() || !readdirSync(d).some((f) => f.endsWith(".js"))) {
    throw new Error(
      `no module dump in ${dir} (expected ${join(dir, "modules", "WAWap.js")}); see the README: ` +
        "fetch github:polymorfa/jigger, then `git archive 0fbd5e1a0 modules | tar -x`",
    );
  }
  return d;
}

/**
 * The module names a folder of simulator scripts defines (`__d("Name", …)` or `define("Name", …)`),
 * e.g. sim/page: a dump module of one of these names displaces the simulator's look-alike.
 */
export function definedModuleNames(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js"))
        for (const m of readFileSync(p, "utf8").matchAll(/\b(?:__d|define)\(\s*"([^"]+)"/g)) out.add(m[1]);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** A module name that is safe as a file name inside the dump folder. */
function safeName(name: string): boolean {
  return name.length > 0 && !name.includes("/") && !name.includes("\\") && name !== "." && name !== "..";
}

/** Read access to a dump folder, with a cache of the files read. */
export class ModuleDump {
  private readonly cache = new Map<string, string | null>();

  constructor(readonly dir: string) {}

  /** The text of `<dir>/<name>.js`, or `undefined` when absent or when it is not that module. */
  source(name: string): string | undefined {
    if (!this.cache.has(name)) {
      let text: string | null = null;
      const file = join(this.dir, `${name}.js`);
      if (safeName(name) && existsSync(file)) {
        const t = readFileSync(file, "utf8");
        text = parseModuleHeader(t)?.name === name ? t : null;
      }
      this.cache.set(name, text);
    }
    return this.cache.get(name) ?? undefined;
  }

  /** The header dependencies of `name`, or `undefined` when the dump lacks it. */
  deps(name: string): string[] | undefined {
    const s = this.source(name);
    return s === undefined ? undefined : (parseModuleHeader(s)?.deps ?? undefined);
  }
}

/**
 * The `babelHelpers.<name>` helpers the given module sources call (WhatsApp's transpiled modules
 * expect the page to define that global).
 */
export function babelHelpersUsed(sources: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const s of sources) for (const m of s.matchAll(/\bbabelHelpers\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  return [...names].sort();
}
