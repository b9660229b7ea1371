/**
 * Watches WhatsApp Web's Meta module runtime for module definitions, without knowing
 * minified names: (1) a trap on `window.__onAfterModuleFactory`, which the runtime reads
 * and calls after every factory run (the runtime assigns it `null` at boot; the trap keeps
 * our hook and chains whatever the page assigns); (2) a poll over
 * `require("__debug").modulesMap` for modules whose factories ran before the trap.
 * Source: ../shared/research/wa-web-runtime.md §1.3, wa-web-capture.md §2 and §10.
 */

/** The part of a Meta `ModuleDefinition` the tap reads. */
export interface ModuleDefinitionLike {
  id?: string;
  exports?: unknown;
  defaultExport?: unknown;
  factoryFinished?: boolean;
}

/** Called once per module definition whose factory has run. */
export type ModuleVisitor = (def: ModuleDefinitionLike) => void;

/** The global scope the hook works on: a window, or a worker's `self`. */
export interface HookScope {
  __onAfterModuleFactory?: unknown;
  require?: unknown;
}

/**
 * Installs the definition-time trap. The page's own assignments are kept and called
 * after ours with the same `this` and arguments, and their return value is returned.
 * @returns a note describing what was installed, for capture health.
 */
export function trapAfterModuleFactory(
  win: HookScope,
  visit: ModuleVisitor,
  onError: (e: unknown) => void,
): string {
  let pageHook: unknown = win.__onAfterModuleFactory;
  const hook = function (this: unknown, ...args: unknown[]): unknown {
    try {
      visit(args[0] as ModuleDefinitionLike);
    } catch (e) {
      onError(e);
    }
    if (typeof pageHook === "function") return (pageHook as (...a: unknown[]) => unknown).apply(this, args);
    return undefined;
  };
  try {
    Object.defineProperty(win, "__onAfterModuleFactory", {
      configurable: true,
      enumerable: true,
      get: () => hook,
      set: (v: unknown) => {
        pageHook = v;
      },
    });
    return "definition-time hook on __onAfterModuleFactory";
  } catch (e) {
    onError(e);
    return "could not trap __onAfterModuleFactory";
  }
}

/**
 * Visits every module whose factory has finished, once, by reading the runtime's
 * registry. Safe to call repeatedly (a poll).
 * @returns the number of modules in the registry, or -1 when there is no registry yet.
 */
export function scanRegistry(win: HookScope, seen: WeakSet<object>, visit: ModuleVisitor): number {
  const req = win.require;
  if (typeof req !== "function") return -1;
  let debug: { modulesMap?: Record<string, ModuleDefinitionLike | null> } | undefined;
  try {
    debug = (req as (name: string) => typeof debug)("__debug");
  } catch {
    return -1;
  }
  const map = debug?.modulesMap;
  if (!map || typeof map !== "object") return -1;
  let count = 0;
  for (const name of Object.keys(map)) {
    count++;
    const def = map[name];
    if (!def || typeof def !== "object" || seen.has(def)) continue;
    if (!def.factoryFinished) continue;
    seen.add(def);
    visit(def);
  }
  return count;
}
