import { crx } from "@crxjs/vite-plugin";
import { defineConfig } from "vite";
import manifest from "./manifest.json" with { type: "json" };

// The MAIN-world tap and the relay run at document_start, so they are built as
// standalone IIFEs (CRXJS' default async loader would run them after the page's scripts).
// The panel HTML is only named in chrome.devtools.panels.create, so it is an explicit input.
export default defineConfig({
  plugins: [
    crx({
      manifest: manifest as Parameters<typeof crx>[0]["manifest"],
      contentScripts: { standaloneFiles: ["src/page/main.ts", "src/content/relay.ts"] },
    }),
  ],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { panel: "src/panel/panel.html" } },
  },
});
