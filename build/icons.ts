/**
 * Renders the extension's icons from their SVG sources at build time (@resvg/resvg-js, no
 * browser, no network) and emits them as assets of both builds: the toolbar and store icon
 * `assets/icon.svg` at {@link ICON_SIZES}, and the DevTools panel icon `assets/icon-panel.svg`.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import type { Plugin } from "vite";

/** The sizes of the extension icon, px (the manifest's `icons`). */
export const ICON_SIZES = [16, 32, 48, 128] as const;

/** The size the panel icon is rendered at, px (shown at 16 CSS px, sharp on 2× screens). */
const PANEL_ICON_SIZE = 32;

/** The output path of the extension icon at `size` px, relative to the build's root. */
export function iconPath(size: number): string {
  return `icons/icon-${size}.png`;
}

/**
 * The output path of the DevTools panel icon, relative to the build's root. `devtools.panels.create`
 * takes it with a leading `/` (src/devtools/devtools.ts), like the panel page.
 */
export const PANEL_ICON_PATH = "icons/panel-32.png";

/** `svg` rendered to a PNG `size` px wide (square sources give square icons). */
export function renderPng(svg: string | Buffer, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng();
}

/**
 * The plugin: at build start, emits {@link ICON_SIZES} PNGs of `assets/icon.svg` and the panel
 * icon from `assets/icon-panel.svg` (under `root`). It must come before crx() so that the icons
 * are in the bundle when CRXJS checks the manifest's files.
 */
export function icons(root: string): Plugin {
  return {
    name: "wa-call-inspector:icons",
    apply: "build",
    buildStart() {
      const icon = readFileSync(resolve(root, "assets/icon.svg"));
      const panel = readFileSync(resolve(root, "assets/icon-panel.svg"));
      this.addWatchFile(resolve(root, "assets/icon.svg"));
      this.addWatchFile(resolve(root, "assets/icon-panel.svg"));
      for (const size of ICON_SIZES)
        this.emitFile({ type: "asset", fileName: iconPath(size), source: renderPng(icon, size) });
      this.emitFile({ type: "asset", fileName: PANEL_ICON_PATH, source: renderPng(panel, PANEL_ICON_SIZE) });
    },
  };
}
