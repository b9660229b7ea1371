/*
 * Early bundle: loaded BEFORE runtime.js, so its `__d` calls go to the inline stub
 * (`window.__d_stub`) and are replayed by the runtime (runtime doc §1.3).
 */
__d(
  "WAWebBuildConstants",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    const CLIENT_REVISION = 1012345678;
    const VERSION_BASE = `2.3000.${CLIENT_REVISION}`;
    exports.VERSION_BASE = VERSION_BASE;
    exports.VERSION_STR = VERSION_BASE;
    exports.VERSION_TERTIARY = CLIENT_REVISION;
    exports.WINDOWS_OFFLINE = false;
    exports.PUSH_PHASE = "C3";
  },
  98,
);

__d(
  "WAWebDebugSetup",
  ["WAWebBuildConstants"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    function setupDebugGlobal() {
      global.Debug = { VERSION: importNamespace("WAWebBuildConstants").VERSION_STR };
    }
    exports.setupDebugGlobal = setupDebugGlobal;
  },
  98,
);

__d(
  "ErrorGuard",
  [],
  (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    let skipGlobal = false;
    function skipGuardGlobal(value) {
      skipGlobal = Boolean(value);
    }
    function inGuard() {
      return !skipGlobal;
    }
    function applyWithGuard(fn, context, args, meta) {
      if (skipGlobal) return fn.apply(context, args || []);
      try {
        return fn.apply(context, args || []);
      } catch (err) {
        console.error(`[ErrorGuard] ${meta?.name ?? fn.name ?? "anonymous"}:`, err);
        return undefined;
      }
    }
    function guard(fn, meta) {
      return function guarded(...args) {
        return applyWithGuard(fn, this, args, meta);
      };
    }
    exports.skipGuardGlobal = skipGuardGlobal;
    exports.inGuard = inGuard;
    exports.applyWithGuard = applyWithGuard;
    exports.guard = guard;
  },
  66,
);
