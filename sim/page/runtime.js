/*
 * Meta-style module runtime for the WA Web simulator (classic script, loaded before any bundle that
 * is not stubbed). Reproduces the shapes of runtime doc §1: `__d(name, deps, factory, flags)`, lazy
 * factories, flag-98/66 argument lists with bit-2 truncation, distinct require / importNamespace /
 * importDefault with a one-time `defaultExport` copy, ignored redefinition, `require("__debug")`,
 * `__onBeforeModuleFactory` / `__onAfterModuleFactory` read on every factory run, and stub replay.
 *
 * It runs on the page (`window`) and, imported as a module, in the backend worker (`self`).
 *
 * Hidden mode (`?modules=hidden`): the server inlines this file into one ES module
 * (`/bundles/hidden.js`) that first declares `const __WASIM_HIDDEN_RUNTIME__ = {}`. The runtime then
 * hands its API to that module-scoped object only: no globals, no `__debug` module, and it never
 * reads `__onBeforeModuleFactory`, `__onAfterModuleFactory`, `ErrorGuard`, `TimeSlice` or the stubs.
 */
((global, hiddenSlot) => {
  const hidden = hiddenSlot != null;
  // 1. Bail when another runtime (or anything) already owns `require`.
  if (!hidden && global.require != null) return;
  // The 2026 profile (every page but `?wa=legacy`; a worker's URL carries the page's modes):
  // `Env.clear_js_factory_after_used` (a definition's `factory` is null once it ran, and it is an
  // accessor that counts reads by anyone but this runtime), and ModuleErrors recorded by name.
  const wa2026 = new URLSearchParams(global.location?.search ?? "").get("wa") !== "legacy";
  /** Simulator instrumentation, read through the `WASimRuntimeStats` module (2026). */
  const stats = { moduleErrors: [], factoryReads: 0 };
  /** The runtime's own view of each definition: `{factory, defined}` (2026). */
  const slots = new WeakMap();

  const FLAG_EAGER = 1;
  const FLAG_TRUNCATE = 2;
  const FLAG_RUNTIME_ARGS = 8;
  const FLAG_ES_INTEROP = 32;
  const FLAG_DEFAULT_EXPORT = 64;

  /** @type {Record<string, object|null>} */
  const modulesMap = {};
  const running = new Set();
  const lazyQueue = [];
  let dupCount = 0;
  let nextId = 0;

  class ModuleError extends Error {
    constructor(message) {
      super(message);
      this.name = "ModuleError";
    }
  }

  function makeDefinition(id) {
    const def = {
      id,
      numericId: nextId++,
      refcount: 0,
      exports: {},
      defaultExport: undefined,
      factory: undefined,
      factoryLength: -1,
      factoryFinished: false,
      dependencies: undefined,
      depPosition: 0,
      context: undefined,
      special: 0,
      hasError: false,
      error: undefined,
      ranRecursiveSideEffects: false,
      sideEffectDependencyException: null,
    };
    if (wa2026) {
      const slot = { factory: undefined, defined: false };
      slots.set(def, slot);
      Object.defineProperty(def, "factory", {
        configurable: true,
        enumerable: true,
        get() {
          stats.factoryReads++;
          return slot.factory;
        },
        set(v) {
          slot.factory = v;
        },
      });
    }
    return def;
  }

  /** The factory as the runtime sees it (a 2026 read through the accessor would count). */
  function factoryOf(def) {
    return wa2026 ? slots.get(def).factory : def.factory;
  }
  function setFactory(def, factory) {
    if (wa2026) {
      const slot = slots.get(def);
      slot.factory = factory;
      slot.defined = true;
    } else def.factory = factory;
  }
  /** Whether `__d` registered this definition (its factory may since have been cleared). */
  function defined(def) {
    return def != null && (wa2026 ? slots.get(def).defined : def.factory !== undefined);
  }
  function moduleError(message, id) {
    if (wa2026) stats.moduleErrors.push(id);
    return new ModuleError(message);
  }

  function getOrCreate(id) {
    let def = modulesMap[id];
    if (def == null) {
      def = makeDefinition(id);
      modulesMap[id] = def;
    }
    return def;
  }

  function define(id, deps, factory, special, context) {
    const existing = modulesMap[id];
    if (defined(existing)) {
      // A second definition is ignored unless modulesMap[id] was first set to null.
      dupCount++;
      return;
    }
    const def = getOrCreate(id);
    setFactory(def, factory);
    def.factoryLength = typeof factory === "function" ? factory.length : 0;
    def.special = special;
    def.context = context;
    def.dependencies = (deps || []).map(getOrCreate);
    if (special & FLAG_EAGER) requireModule(id);
    flushLazy();
  }

  function isDefined(id) {
    return defined(modulesMap[id]);
  }

  function requireModule(id) {
    const def = modulesMap[id];
    if (!defined(def)) throw moduleError(`Requiring unknown module "${id}"`, id);
    if (def.hasError) throw def.error;
    if (!def.factoryFinished && !running.has(def)) execute(def);
    return def;
  }

  function moduleValue(def) {
    return def.defaultExport !== undefined ? def.defaultExport : def.exports;
  }

  function execute(def) {
    for (const dep of def.dependencies) {
      if (!defined(dep)) {
        throw moduleError(`Requiring module "${def.id}" with unresolved dependency "${dep.id}"`, dep.id);
      }
    }
    const before = hidden ? null : global.__onBeforeModuleFactory;
    if (typeof before === "function") before(def);
    running.add(def);
    try {
      const special = def.special;
      const args = [];
      if (special & FLAG_RUNTIME_ARGS) {
        if (special & FLAG_ES_INTEROP) {
          args.push(global, require, importDefault, importNamespace, requireLazy, def, def.exports);
        } else {
          args.push(global, require, requireDynamic, requireLazy, def, def.exports);
        }
      }
      const base = args.length;
      const total = base + def.dependencies.length;
      const limit = special & FLAG_TRUNCATE ? Math.min(def.factoryLength, total) : total;
      for (let i = base; i < limit; i++) args.push(moduleValue(requireModule(def.dependencies[i - base].id)));
      def.refcount++;
      let ret;
      const factory = factoryOf(def);
      if (typeof factory === "function") {
        const guard = hidden ? null : global.ErrorGuard;
        ret =
          guard && typeof guard.applyWithGuard === "function"
            ? guard.applyWithGuard(factory, global, args, { name: def.id })
            : factory.apply(global, args);
      } else {
        ret = factory;
      }
      // Env.clear_js_factory_after_used (2026): nothing can read a factory's source once it ran.
      if (wa2026) slots.get(def).factory = null;
      if (ret) def.exports = ret;
      if (special & FLAG_DEFAULT_EXPORT && def.exports != null && Object.hasOwn(def.exports, "default")) {
        def.defaultExport = def.exports.default;
      }
      def.factoryFinished = true;
    } catch (err) {
      def.hasError = true;
      def.error = err;
      throw err;
    } finally {
      running.delete(def);
    }
    const after = hidden ? null : global.__onAfterModuleFactory;
    if (typeof after === "function") after(def);
  }

  function require(id) {
    return moduleValue(requireModule(id));
  }

  function importNamespace(id) {
    return requireModule(id).exports;
  }

  function importDefault(id) {
    const def = requireModule(id);
    return def.defaultExport !== undefined ? def.defaultExport : null;
  }

  function requireDynamic(id) {
    throw new ModuleError(`requireDynamic is not supported (${id})`);
  }

  function requireLazy(deps, callback, context) {
    lazyQueue.push({ deps: deps || [], callback, context });
    flushLazy();
  }

  function flushLazy() {
    for (let i = 0; i < lazyQueue.length; ) {
      const item = lazyQueue[i];
      if (item.deps.every(isDefined)) {
        lazyQueue.splice(i, 1);
        if (typeof item.callback === "function")
          item.callback.apply(item.context || null, item.deps.map(require));
      } else {
        i++;
      }
    }
  }

  function __d(name, deps, factory, flags, meta) {
    const special = (flags || FLAG_TRUNCATE) | FLAG_RUNTIME_ARGS;
    const run = () => define(name, deps, factory, special, null, meta);
    const timeSlice = hidden ? null : global.TimeSlice;
    if (timeSlice && typeof timeSlice.guard === "function") timeSlice.guard(run, `define ${name}`)();
    else run();
  }

  const debug = {
    getDupCount: () => dupCount,
    getModules: () => modulesMap,
    modulesMap,
    debugUnresolvedDependencies(ids) {
      const out = [];
      for (const id of ids || Object.keys(modulesMap)) {
        const def = modulesMap[id];
        if (defined(def)) {
          for (const dep of def.dependencies) if (!defined(dep)) out.push([id, dep.id]);
        }
      }
      return out;
    },
  };
  /** A module the runtime itself provides (its factory already ran). */
  function provide(id, exports) {
    const def = getOrCreate(id);
    setFactory(def, wa2026 ? null : () => {});
    def.factoryLength = 0;
    def.dependencies = [];
    def.exports = exports;
    def.factoryFinished = true;
  }
  if (wa2026) {
    // Simulator-only: the counters behind `__sim.footprint()` (ModuleErrors by name, factory reads).
    provide("WASimRuntimeStats", {
      get moduleErrors() {
        return [...stats.moduleErrors];
      },
      get factoryReads() {
        return stats.factoryReads;
      },
    });
  }
  if (hidden) {
    hiddenSlot.api = { __d, define, require, importDefault, importNamespace, requireDynamic, requireLazy };
    return;
  }

  provide("__debug", debug);

  // 2. Null both factory hooks (plain assignment: discards any earlier assignment).
  global.__onBeforeModuleFactory = null;
  global.__onAfterModuleFactory = null;

  // Globals, by plain assignment.
  global.define = define;
  global.require = require;
  global.requireInterop = require;
  global.importDefault = importDefault;
  global.importNamespace = importNamespace;
  global.requireDynamic = requireDynamic;
  global.requireLazy = requireLazy;
  global.__d = __d;

  // 3. Replay, then delete, the stubs queued before this script ran.
  const dStub = global.__d_stub;
  delete global.__d_stub;
  if (Array.isArray(dStub)) for (const args of dStub) __d.apply(null, Array.from(args));
  const rlStub = global.__rl_stub;
  delete global.__rl_stub;
  if (Array.isArray(rlStub)) for (const args of rlStub) requireLazy.apply(null, Array.from(args));
})(
  typeof window !== "undefined" ? window : self,
  // `__WASIM_HIDDEN_RUNTIME__` is declared (module-scoped) by /bundles/hidden.js in hidden mode only.
  typeof __WASIM_HIDDEN_RUNTIME__ === "undefined" ? null : __WASIM_HIDDEN_RUNTIME__,
);
