/*
 * The environment of WhatsApp's own modules in the compatibility check (`npm run check:wa-build`):
 * our own tiny stand-ins for what WhatsApp Web's page provides around its stanza-path modules and
 * that the check does not load from the dump (loggers, error reporting, build resolutions, a
 * third-party library the dump does not hold), plus the `babelHelpers` global its transpiled
 * modules call. Nothing here is WhatsApp's code.
 *
 * It runs on the page and, with comms in the backend worker, in the worker too (the worker imports
 * the same early bundle), so it uses `globalThis`. scripts/wa-build/bundle.ts wraps it as
 * `((selected, babelNames) => { <this file> })([...], [...])`: `selected` lists the stub names
 * to register (the closure decides), `babelNames` the helpers the loaded modules call. It runs
 * before the simulator's module runtime, so `__d` is the page's queueing stub and every stub is
 * replayed, in order, before the simulator's own definitions.
 */
/* global selected, babelNames */

// ---- babelHelpers: the loose-mode helpers of Babel, in our own words ----
const helpers = {
  /** `class Sub extends Super` for functions. */
  inheritsLoose(sub, sup) {
    sub.prototype = Object.create(sup.prototype);
    sub.prototype.constructor = sub;
    Object.setPrototypeOf(sub, sup);
  },
  /** A function-style base class for a native class (Error): `Base.call(this, …)` builds the native. */
  wrapNativeSuper(Native) {
    function Wrapper(...args) {
      return Reflect.construct(Native, args, Object.getPrototypeOf(this).constructor);
    }
    Wrapper.prototype = Object.create(Native.prototype, {
      constructor: { value: Wrapper, writable: true, configurable: true },
    });
    Object.setPrototypeOf(Wrapper, Native);
    return Wrapper;
  },
  /** The strings array of a tagged template, with its `raw` strings. */
  taggedTemplateLiteralLoose(strings, raw) {
    strings.raw = raw ?? strings.slice();
    return strings;
  },
  extends: (...objects) => Object.assign(...objects),
  objectWithoutPropertiesLoose(source, excluded) {
    const out = {};
    if (source == null) return out;
    for (const k of Object.keys(source)) if (!excluded.includes(k)) out[k] = source[k];
    return out;
  },
  objectSpread2: (...objects) => Object.assign({}, ...objects),
  arrayLikeToArray: (a, n) => Array.from(a).slice(0, n ?? a.length),
  createForOfIteratorHelperLoose(iterable) {
    const it = iterable[Symbol.iterator]();
    return () => it.next();
  },
};
const babel = globalThis.babelHelpers ?? {};
for (const name of babelNames) if (helpers[name] && !babel[name]) babel[name] = helpers[name];
globalThis.babelHelpers = babel;

// ---- loggers: every level is a tagged-template function whose result chains, and logs nothing ----
const chain = {};
for (const m of ["verbose", "color", "devConsole", "sendLogs", "tags", "expect", "catching"]) {
  chain[m] = () => chain;
}
const LEVELS = ["COUNT", "DEV", "DEV_XMPP", "ERROR", "EXPECTED_ERROR", "LOG", "WARN", "CATCHING"];
const levels = () => Object.fromEntries(LEVELS.map((l) => [l, () => chain]));

/** printf-style `%s` substitution, as the error helpers of the page format their messages. */
const format = (message, args) => {
  let i = 0;
  return String(message).replace(/%s/g, () => String(args[i++]));
};

/** Stub factories by module name: [deps, factory, flags]. */
const STUBS = {
  WALogger: [
    [],
    (_g, _r, _d, _n, _l, _m, exports) => {
      Object.assign(exports, levels());
      exports.SendLogsType = {};
      exports.SadSendLogsTypes = new Set();
    },
    98,
  ],
  WATagsLogger: [
    [],
    (_g, _r, _d, _n, _l, _m, exports) => {
      exports.TAGS = () => levels();
      exports.whenReady = () => Promise.resolve();
      exports.initializeWaLogger = () => {};
    },
    98,
  ],
  "fb-error": [
    [],
    (_g, _r, _d, _l, _m, exports) => {
      const err = (message, ...args) => {
        const e = new Error(format(message, args));
        e.messageFormat = message;
        e.messageParams = args;
        return e;
      };
      const logger = () => {
        const l = {};
        for (const m of ["mustfix", "warn", "info", "debug", "event", "blameToPreviousFile", "catching"])
          l[m] = () => l;
        return l;
      };
      exports.default = {
        err,
        FBLogger: logger,
        getErrorSafe: (e) => (e instanceof Error ? e : new Error(String(e))),
        // Stack-blame opcodes for the error reports, which the check does not make: none defined.
        TAALOpcode: Object.freeze({}),
      };
    },
    66,
  ],
  // tweetnacl is a third-party library that the dump does not hold; nothing on the stanza path
  // calls it (key generation and signatures do). Its functions throw if anything does.
  "tweetnacl-1.0.3": [
    [],
    (_g, _r, _d, _l, module) => {
      module.exports = () => naclStub();
    },
    66,
  ],
  "cr:8712": [
    [],
    (_g, _r, _d, _l, module) => {
      module.exports = naclStub();
    },
    66,
  ],
  removeFromArray: [
    [],
    (_g, _r, _d, _l, module) => {
      module.exports = (array, item) => {
        const i = array.indexOf(item);
        if (i !== -1) array.splice(i, 1);
      };
    },
    66,
  ],
};

/** tweetnacl's public API (nacl.lowlevel, nacl.box, nacl.sign, …), every function throwing. */
function naclStub() {
  const unavailable = (name) => () => {
    throw new Error(`tweetnacl.${name} is not available in the wa-build check`);
  };
  const LOWLEVEL =
    "crypto_hash scalarbase modL pack25519 unpack25519 S M A Z D pow2523 crypto_verify_32 set25519 add scalarmult";
  const lowlevel = Object.fromEntries(LOWLEVEL.split(" ").map((n) => [n, unavailable(`lowlevel.${n}`)]));
  const keyPair = Object.assign(unavailable("box.keyPair"), {
    fromSecretKey: unavailable("box.keyPair.fromSecretKey"),
  });
  return {
    lowlevel,
    box: { keyPair },
    sign: { detached: { verify: unavailable("sign.detached.verify") } },
    hash: unavailable("hash"),
    scalarMult: unavailable("scalarMult"),
    secretbox: unavailable("secretbox"),
    verify: unavailable("verify"),
    randomBytes: unavailable("randomBytes"),
    setPRNG: () => {},
  };
}

for (const name of selected) {
  const stub = STUBS[name];
  if (stub) {
    globalThis.__d(name, stub[0], stub[1], stub[2]);
  } else if (name.startsWith("cr:")) {
    // A build resolution ("cr:NNNN") the page's HTML did not resolve: the module is null, and the
    // requiring module uses its native fallback.
    globalThis.__d(
      name,
      [],
      (_g, _r, _d, _l, module) => {
        module.exports = null;
      },
      66,
    );
  } else {
    // Not in the dump and not ours: an empty module, so that the runtime resolves the dependency.
    globalThis.__d(name, [], () => {}, 66);
  }
}
