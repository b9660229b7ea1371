/**
 * Simulator modes, chosen per page load by query parameters on https://web.whatsapp.com/ (and passed on
 * to the backend worker's URL). Browser- and Node-safe (the server renders the page per mode).
 *
 * | parameter   | values                       | default   |
 * | ----------- | ---------------------------- | --------- |
 * | `comms`     | `main`, `worker`             | `main`    |
 * | `modules`   | `visible`, `hidden`          | `visible` |
 * | `dict`      | `v3`, `alt` (4), `unknown` (9) | `v3`    |
 * | `sockets`   | `1`, `2`                     | `1`       |
 * | `wa`        | `2026`, `legacy`             | `2026`    |
 * | `worker`    | `module`, `classic`          | `module`  |
 * | `gate`      | `gkx`, `qex`                 | `gkx`     |
 * | `names`     | `standard`, `renamed`        | `standard`|
 * | `inflate`   | `mixed`, `zlib`, `gzip`, `raw` | `mixed` |
 * | `ed`        | `auto`, `none`, `4`, `6`, `8` | `auto`   |
 *
 * `wa` picks the WhatsApp Web being reproduced: `2026` (the default) is WhatsApp Web as its own code
 * of August 2026 behaves (../shared/research/wa-web-2026.md: the VoIP engine's codec echo, late and
 * lazy modules, the worker switch, detection, compression wrappers, overlapping Noise sessions);
 * `legacy` is the older look-alike (wa-web-runtime.md), kept for regression. `worker`, `gate`,
 * `names`, `inflate` and `ed` only change the `2026` profile:
 * - `worker`: the backend worker's type (`new Worker(url, {type})`), with comms in the worker;
 * - `gate`: the body of `WAWebCommsGating.isCommsInWorker()`: `gkx("18966")` or
 *   `qex._("5241")` ∈ {worker, worker_hrp, worker_hrp_bundle};
 * - `names`: `renamed` moves the codec to another module name, makes the comms config reachable
 *   only through the live comms object, and leaves `onHandleStanza`/`onCastStanza` out of it;
 * - `inflate`: the wrapper of `flags & 2` payloads (`mixed` rotates zlib, gzip and raw DEFLATE);
 * - `ed`: the routing preamble's length before `WA 06 vv` (`auto`: real WA's, absent on the
 *   first connection).
 *
 * Every combination is allowed. Unknown values fall back to the default and are listed in `invalid`.
 * @module sim/page/modes
 */

/** The query parameter names that select a mode. */
export const MODE_PARAMS = Object.freeze([
  "comms",
  "modules",
  "dict",
  "sockets",
  "wa",
  "worker",
  "gate",
  "names",
  "inflate",
  "ed",
]);

/** Dictionary version announced in the connection header (`57 41 06 vv`) for each `dict` value. */
export const DICT_VERSIONS = Object.freeze({ v3: 3, alt: 4, unknown: 9 });

const ALLOWED = {
  comms: ["main", "worker"],
  modules: ["visible", "hidden"],
  dict: ["v3", "alt", "unknown"],
  sockets: ["1", "2"],
  wa: ["2026", "legacy"],
  worker: ["module", "classic"],
  gate: ["gkx", "qex"],
  names: ["standard", "renamed"],
  inflate: ["mixed", "zlib", "gzip", "raw"],
  ed: ["auto", "none", "4", "6", "8"],
};

/** The default value of every mode parameter (what `modesQuery` leaves out). */
const DEFAULTS = Object.freeze({
  comms: "main",
  modules: "visible",
  dict: "v3",
  sockets: "1",
  wa: "2026",
  worker: "module",
  gate: "gkx",
  names: "standard",
  inflate: "mixed",
  ed: "auto",
});

/**
 * @typedef {object} SimModes
 * @property {"main"|"worker"} comms where WAComms, the WebSocket and Noise live
 * @property {"visible"|"hidden"} modules whether the module registry is reachable from the page
 * @property {"v3"|"alt"|"unknown"} dict token dictionary on the wire
 * @property {number} dictVersion 3, 4 or 9
 * @property {1|2} sockets authenticated chat sockets kept open
 * @property {"2026"|"legacy"} wa which WhatsApp Web is reproduced (see the module comment)
 * @property {"module"|"classic"} worker the backend worker's type (2026, comms in the worker)
 * @property {"gkx"|"qex"} gate the body of `isCommsInWorker()` (2026)
 * @property {"standard"|"renamed"} names module renames that keep the shape (2026)
 * @property {"mixed"|"zlib"|"gzip"|"raw"} inflate the wrapper of compressed payloads (2026)
 * @property {"auto"|"none"|"4"|"6"|"8"} ed the routing preamble's length (2026)
 * @property {string[]} invalid query parameters whose value was not understood (ignored)
 */

/**
 * @param {string|URLSearchParams} search a query string (`?comms=worker&dict=alt`) or its params
 * @returns {SimModes}
 */
export function parseModes(search) {
  const q = search instanceof URLSearchParams ? search : new URLSearchParams(search ?? "");
  const invalid = [];
  const pick = (name, fallback) => {
    const v = q.get(name);
    if (v == null || v === "") return fallback;
    if (ALLOWED[name].includes(v)) return v;
    invalid.push(`${name}=${v}`);
    return fallback;
  };
  const dict = /** @type {"v3"|"alt"|"unknown"} */ (pick("dict", "v3"));
  return {
    comms: /** @type {"main"|"worker"} */ (pick("comms", "main")),
    modules: /** @type {"visible"|"hidden"} */ (pick("modules", "visible")),
    dict,
    dictVersion: DICT_VERSIONS[dict],
    sockets: pick("sockets", "1") === "2" ? 2 : 1,
    wa: /** @type {"2026"|"legacy"} */ (pick("wa", DEFAULTS.wa)),
    worker: /** @type {"module"|"classic"} */ (pick("worker", DEFAULTS.worker)),
    gate: /** @type {"gkx"|"qex"} */ (pick("gate", DEFAULTS.gate)),
    names: /** @type {"standard"|"renamed"} */ (pick("names", DEFAULTS.names)),
    inflate: /** @type {"mixed"|"zlib"|"gzip"|"raw"} */ (pick("inflate", DEFAULTS.inflate)),
    ed: /** @type {"auto"|"none"|"4"|"6"|"8"} */ (pick("ed", DEFAULTS.ed)),
    invalid,
  };
}

/**
 * @param {SimModes} modes
 * @returns {string} the non-default mode parameters as a query string without `?` ("" for the default)
 */
export function modesQuery(modes) {
  const q = new URLSearchParams();
  if (modes.comms !== "main") q.set("comms", modes.comms);
  if (modes.modules !== "visible") q.set("modules", modes.modules);
  if (modes.dict !== "v3") q.set("dict", modes.dict);
  if (modes.sockets !== 1) q.set("sockets", String(modes.sockets));
  for (const name of /** @type {const} */ (["wa", "worker", "gate", "names", "inflate", "ed"])) {
    if (modes[name] !== undefined && modes[name] !== DEFAULTS[name]) q.set(name, modes[name]);
  }
  return q.toString();
}

/** Socket ids of the second (passive) connection start above this; the primary's stay below. */
export const SECONDARY_SOCKET_BASE = 100;

/**
 * @param {number} socketId
 * @returns {"primary"|"secondary"} which connection a comms socket id belongs to
 */
export function socketRole(socketId) {
  return Number(socketId) > SECONDARY_SOCKET_BASE ? "secondary" : "primary";
}

/**
 * The classic bundles of a page, in load order (`runtime.js` comes right after those of
 * `PRE_RUNTIME_BUNDLES`, which the inline `__d` stub queues). A page whose dictionary is unknown to it
 * (`dict=unknown`) ships without `wawap-dict` (no WAWapDict module). The 2026 profile adds `wa2026`
 * (gatekeepers, Bootloader, the honeypot, the worker resource, ...) and loads `voip` on demand, when
 * the first call starts (Bootloader), and `late` 10-30 s after boot; `legacy` loads `voip` at boot.
 * @param {SimModes} modes
 * @returns {string[]} names under `/bundles/` without `.js`
 */
export function bundleNames(modes) {
  const wa2026 = modes.wa !== "legacy";
  return [
    "early",
    ...(wa2026 ? ["wa2026"] : []),
    "wawap",
    ...(modes.dict === "unknown" ? [] : ["wawap-dict"]),
    "socket",
    "comms",
    ...(wa2026 ? [] : ["voip"]),
    "worker",
  ];
}

/** Bundles loaded before `runtime.js` (their `__d` calls go to the stub and are replayed). */
export const PRE_RUNTIME_BUNDLES = Object.freeze(["early", "wa2026"]);

/** Bundles the 2026 profile's Bootloader fetches after boot: `voip` (first call), `late` (10-30 s). */
export const ON_DEMAND_BUNDLES = Object.freeze(["voip", "late"]);

/** The codec module's name: `WAWap`, or `WAWebWapCodec` in the 2026 profile with `names=renamed`. */
export function codecModuleName(modes) {
  return modes.wa !== "legacy" && modes.names === "renamed" ? "WAWebWapCodec" : "WAWap";
}

/**
 * The query the server needs to serve a bundle for this mode (`names=renamed` rewrites the codec
 * module's name in every bundle); "" when the files are served as they are.
 * @param {SimModes} modes
 * @returns {string}
 */
export function bundleQuery(modes) {
  return codecModuleName(modes) === "WAWap" ? "" : "names=renamed";
}
