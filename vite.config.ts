import { resolve } from "node:path";
import { crx } from "@crxjs/vite-plugin";
import { build, defineConfig, type Plugin } from "vite";
import { firefoxManifest } from "./build/firefox";
import { icons } from "./build/icons";
import baseManifest from "./manifest.json" with { type: "json" };

/** The module id under which the background imports the worker tap's source text. */
const WORKER_TAP_ID = "virtual:worker-tap-source";

/**
 * Embeds the worker tap of deep capture (`src/worker/tap.ts`) as a string in the background: it
 * is built here as one standalone, minified IIFE (no imports, no global name), with the same
 * `define`s as the extension (so the fault-injection build's worker tap throws too). The
 * background evaluates it in WhatsApp's worker through `chrome.debugger`; nothing is fetched.
 */
function workerTapSource(): Plugin {
  let define: Record<string, unknown> | undefined;
  let firefox = false;
  return {
    name: "wa-call-inspector:worker-tap-source",
    configResolved(config) {
      define = config.define;
      firefox = config.mode === FIREFOX_MODE;
    },
    resolveId(id) {
      return id === WORKER_TAP_ID ? `\0${WORKER_TAP_ID}` : undefined;
    },
    async load(id) {
      if (id !== `\0${WORKER_TAP_ID}`) return undefined;
      // Firefox has no debugger API: the build leaves deep capture out, worker tap included.
      if (firefox) return "export default '';";
      const entry = resolve(import.meta.dirname, "src/worker/tap.ts");
      const result = await build({
        configFile: false,
        logLevel: "warn",
        define,
        build: {
          write: false,
          minify: true,
          lib: { entry, formats: ["iife"], name: "_" },
        },
      });
      const outputs = Array.isArray(result) ? result : [result];
      const chunk = outputs
        .flatMap((o) => ("output" in o ? o.output : []))
        .find((c) => c.type === "chunk" && c.isEntry);
      if (chunk?.type !== "chunk") throw new Error("worker tap build produced no entry chunk");
      return `export default ${JSON.stringify(chunk.code)};`;
    },
  };
}

/**
 * `WACI_GRANT_DEBUGGER=1` (end-to-end tests only, written to `.tmp/dist-deep`): the optional
 * `debugger` permission is made a granted one, because a browser under automation cannot click
 * Chrome's permission prompt. The shipped manifest keeps it optional.
 */
const grantDebugger = process.env.WACI_GRANT_DEBUGGER === "1";
const manifest = grantDebugger
  ? { ...baseManifest, permissions: [...baseManifest.permissions, "debugger"] }
  : baseManifest;

/** The mode of the Firefox build (`vite build --mode firefox`, `npm run build:firefox`). */
const FIREFOX_MODE = "firefox";

type CrxOptions = Parameters<typeof crx>[0];
/** CRXJS reads its options when its config hooks run, so {@link browserTarget} may set them first. */
const crxOptions: CrxOptions = {
  manifest: manifest as CrxOptions["manifest"],
  contentScripts: { standaloneFiles: ["src/page/main.ts", "src/content/relay.ts"] },
};

/**
 * Picks the target browser from the mode, before CRXJS reads its options: in `firefox` mode, the
 * Firefox manifest (build/firefox.ts), CRXJS' `browser: "firefox"` (`background.scripts` with its
 * loader) and `dist-firefox/`; else Chrome's (also Edge's) manifest and `dist/`. A plugin rather
 * than a config function, so that vite.faulty.config.ts can still merge this config.
 */
function browserTarget(): Plugin {
  return {
    name: "wa-call-inspector:browser-target",
    enforce: "pre",
    config(_config, { mode }) {
      const firefox = mode === FIREFOX_MODE;
      crxOptions.browser = firefox ? "firefox" : "chrome";
      crxOptions.manifest = (firefox ? firefoxManifest(manifest) : manifest) as CrxOptions["manifest"];
      return firefox ? { build: { outDir: "dist-firefox" } } : undefined;
    },
  };
}

// The MAIN-world tap and the relay run at document_start, so they are built as
// standalone IIFEs (CRXJS' default async loader would run them after the page's scripts).
// The panel HTML is only named in chrome.devtools.panels.create, so it is an explicit input.
export default defineConfig({
  plugins: [browserTarget(), icons(import.meta.dirname), workerTapSource(), crx(crxOptions)],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: grantDebugger ? ".tmp/dist-deep" : "dist",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    // The panel is one chunk read from the extension's own files, never the network; with the
    // importers of its Open dialog (acorn among them) it is about 630 kB.
    chunkSizeWarningLimit: 800,
    rollupOptions: { input: { panel: "src/panel/panel.html" } },
  },
});
