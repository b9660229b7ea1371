/**
 * Page assets that depend on the page's mode (sim/page/modes.js): the index HTML, the bundles (with
 * `names=renamed` the codec module's name is rewritten in them), the closure bundle of
 * `?modules=hidden` and its on-demand parts, and the 2026 backend worker's init script.
 * @module sim/lib/assets
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  bundleNames,
  bundleQuery,
  codecModuleName,
  ON_DEMAND_BUNDLES,
  PRE_RUNTIME_BUNDLES,
} from "../page/modes.js";

const PAGE_DIR = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), "page");
const read = (rel) => fs.readFileSync(path.join(PAGE_DIR, rel), "utf8");

/** Every bundle file the server may serve under `/bundles/` (without `.js`). */
export const BUNDLE_FILES = Object.freeze([
  "early",
  "wa2026",
  "wawap",
  "wawap-dict",
  "socket",
  "comms",
  "voip",
  "worker",
  "late",
]);

/**
 * The first inline script of a 2026 page: keeps `Error` and `Function.prototype.toString` as they were
 * before any of the page's code (a symbol-keyed slot, for `__sim.footprint()`), then, with visible
 * modules, WA's stub as of 2026: `__d` and `requireLazy` queue their arguments until the runtime
 * replays them (wa-web-2026.md §2).
 * @param {boolean} withStub
 * @returns {string}
 */
function firstScript2026(withStub) {
  const lines = [
    "    <script>",
    '      Object.defineProperty(window, Symbol.for("WASim.pristine"), {',
    "        value: Object.freeze({ Error: window.Error, fnToString: Function.prototype.toString }),",
    "      });",
  ];
  if (withStub) {
    lines.push(
      "      __d_stub = [], __d = function (e, t, n, r) { __d_stub.push([e, t, n, r]); },",
      "        __rl_stub = [], requireLazy = function () { __rl_stub.push(arguments); };",
    );
  }
  lines.push("    </script>");
  return `${lines.join("\n")}\n`;
}

/**
 * The page for a mode. Visible modules: the stub, then the classic bundles of `bundleNames(modes)`
 * with `runtime.js` after the pre-runtime ones. Hidden modules: no `__d` stub and no classic bundles;
 * boot.js imports `/bundles/hidden.js`. The 2026 profile starts with `firstScript2026`.
 * @param {import("../page/modes.js").SimModes} modes
 * @returns {string}
 */
export function renderIndex(modes) {
  let html = read("index.html");
  const wa2026 = modes.wa !== "legacy";
  const cut = (startMarker, endMarker, replacement) => {
    const start = html.indexOf(startMarker);
    const end = html.indexOf(endMarker);
    if (start < 0 || end < 0) throw new Error(`index.html: ${startMarker} markers missing`);
    const lineStart = html.lastIndexOf("\n", start) + 1;
    html = html.slice(0, lineStart) + replacement + html.slice(end + endMarker.length).replace(/^\n/, "");
  };
  if (modes.modules === "hidden") {
    cut(
      "<!-- wasim:visible-modules",
      "<!-- /wasim:visible-modules -->",
      wa2026 ? firstScript2026(false) : "",
    );
    return html;
  }
  const q = bundleQuery(modes) ? `?${bundleQuery(modes)}` : "";
  const tags = [];
  const names = bundleNames(modes);
  for (const name of names.filter((n) => PRE_RUNTIME_BUNDLES.includes(n)))
    tags.push(`    <script src="/bundles/${name}.js${q}"></script>`);
  tags.push('    <script src="/runtime.js"></script>');
  for (const name of names.filter((n) => !PRE_RUNTIME_BUNDLES.includes(n)))
    tags.push(`    <script src="/bundles/${name}.js${q}"></script>`);
  cut("<!-- wasim:bundles", "<!-- /wasim:bundles -->", `${tags.join("\n")}\n`);
  if (wa2026) {
    // WA's stub of 2026 instead of the legacy one (the first <script> of the visible-modules block).
    const block = html.indexOf("<!-- wasim:visible-modules");
    const start = html.indexOf("    <script>", block);
    const endTag = "</script>\n";
    const end = html.indexOf(endTag, start) + endTag.length;
    html = html.slice(0, start) + firstScript2026(true) + html.slice(end);
  }
  return html;
}

/**
 * One bundle's source for a mode: the file as it is, or with `names=renamed` (2026) every `"WAWap"`
 * module name rewritten to the codec's other name (so no module is called WAWap).
 * @param {string} name a name of `BUNDLE_FILES`
 * @param {import("../page/modes.js").SimModes} modes
 * @returns {string}
 */
export function bundleSource(name, modes) {
  if (!BUNDLE_FILES.includes(name)) throw new Error(`unknown bundle ${name}`);
  const text = read(`bundles/${name}.js`);
  const codec = codecModuleName(modes);
  return codec === "WAWap" ? text : text.replaceAll('"WAWap"', JSON.stringify(codec));
}

/**
 * The `?modules=hidden` bundle: ONE ES module holding the module runtime and the same bundles, so the
 * registry, `__d` and `require` live in module scope only (the files are inlined verbatim; their
 * top-level `__d(...)` calls bind to the module-scoped `__d`). Its only export is the runtime API,
 * which boot.js (or the worker entry) imports.
 * @param {import("../page/modes.js").SimModes} modes
 * @returns {string}
 */
export function hiddenBundle(modes) {
  const parts = [
    "// Generated by sim/lib/assets.mjs for ?modules=hidden: the module runtime and the bundles in one",
    "// module scope. Nothing here is assigned to a global.",
    "const __WASIM_HIDDEN_RUNTIME__ = {};",
    read("runtime.js"),
    "const __d = __WASIM_HIDDEN_RUNTIME__.api.__d;",
    "const requireLazy = __WASIM_HIDDEN_RUNTIME__.api.requireLazy;",
  ];
  for (const name of bundleNames(modes))
    parts.push(`// ---- bundles/${name}.js ----`, bundleSource(name, modes));
  parts.push("export const runtime = __WASIM_HIDDEN_RUNTIME__.api;", "");
  return parts.join("\n");
}

/**
 * An on-demand bundle (`voip`, `late`) for the hidden closure (2026): a module whose default export
 * registers the bundle's definitions with the `__d` it is given (the closure's, never a global).
 * @param {string} name one of `ON_DEMAND_BUNDLES`
 * @param {import("../page/modes.js").SimModes} modes
 * @returns {string}
 */
export function hiddenOnDemandBundle(name, modes) {
  if (!ON_DEMAND_BUNDLES.includes(name)) throw new Error(`not an on-demand bundle: ${name}`);
  return [
    `// Generated by sim/lib/assets.mjs: bundles/${name}.js for the hidden closure.`,
    "export default function register(__d) {",
    bundleSource(name, modes),
    "}",
    "",
  ].join("\n");
}

/**
 * The 2026 backend worker's script, `/static_resources/webworker_v4/init_script/?worker_type=…`:
 * MODULE imports the worker entry; CLASSIC loads the stub, the runtime and the bundles with
 * `importScripts` (nothing but the stub with hidden modules), then imports the entry (the simulator's
 * own plumbing, an ES module) with `?preloaded=1`.
 * @param {"MODULE"|"CLASSIC"} workerType
 * @param {import("../page/modes.js").SimModes} modes
 * @returns {string}
 */
export function workerInitScript(workerType, modes) {
  const head = "// Generated by sim/lib/assets.mjs: the backend worker's init script (webworker_v4).";
  if (workerType !== "CLASSIC")
    return [head, 'import "/worker/pristine.js";', 'import "/worker/backend.js";', ""].join("\n");
  if (modes.modules === "hidden")
    return [head, 'importScripts("/worker/pristine.js");', 'import("/worker/backend.js");', ""].join("\n");
  const q = bundleQuery(modes) ? `?${bundleQuery(modes)}` : "";
  const names = bundleNames(modes);
  const urls = [
    "/worker/pristine.js",
    "/worker/stub.js",
    ...names.filter((n) => PRE_RUNTIME_BUNDLES.includes(n)).map((n) => `/bundles/${n}.js${q}`),
    "/runtime.js",
    ...names.filter((n) => !PRE_RUNTIME_BUNDLES.includes(n)).map((n) => `/bundles/${n}.js${q}`),
  ];
  return [
    head,
    `importScripts(${urls.map((u) => JSON.stringify(u)).join(", ")});`,
    'import("/worker/backend.js?preloaded=1").catch((err) => {',
    '  self.postMessage({ type: "worker_setup", message: "worker_failed", error: String(err && err.message) });',
    "});",
    "",
  ].join("\n");
}
