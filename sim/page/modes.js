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
 *
 * Every combination is allowed. Unknown values fall back to the default and are listed in `invalid`.
 * @module sim/page/modes
 */

/** The query parameter names that select a mode. */
export const MODE_PARAMS = Object.freeze(["comms", "modules", "dict", "sockets"]);

/** Dictionary version announced in the connection header (`57 41 06 vv`) for each `dict` value. */
export const DICT_VERSIONS = Object.freeze({ v3: 3, alt: 4, unknown: 9 });

const ALLOWED = {
  comms: ["main", "worker"],
  modules: ["visible", "hidden"],
  dict: ["v3", "alt", "unknown"],
  sockets: ["1", "2"],
};

/**
 * @typedef {object} SimModes
 * @property {"main"|"worker"} comms where WAComms, the WebSocket and Noise live
 * @property {"visible"|"hidden"} modules whether the module registry is reachable from the page
 * @property {"v3"|"alt"|"unknown"} dict token dictionary on the wire
 * @property {number} dictVersion 3, 4 or 9
 * @property {1|2} sockets authenticated chat sockets kept open
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
 * The classic bundles of a page, in load order (`runtime.js` comes right after `early`). A page whose
 * dictionary is unknown to it (`dict=unknown`) ships without `wawap-dict` (no WAWapDict module).
 * @param {SimModes} modes
 * @returns {string[]} names under `/bundles/` without `.js`
 */
export function bundleNames(modes) {
  return ["early", "wawap", ...(modes.dict === "unknown" ? [] : ["wawap-dict"]), "socket", "comms", "worker"];
}
