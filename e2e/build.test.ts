/**
 * Checks on the built extension that Chromium itself would otherwise reveal only as
 * "extension failed to load": content scripts must be valid UTF-8 text without Unicode
 * noncharacters (Chromium refuses them), and the page tap must not carry the XML parser;
 * the permissions are only those used (the debugger one optional, for deep capture); the
 * worker tap of deep capture is embedded in the background, never fetched. The Firefox build
 * (`dist-firefox/`, built here when missing) has Firefox's manifest and no deep-capture code; both
 * builds carry the icons rendered from assets/*.svg.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "vite";
import { beforeAll, describe, expect, it } from "vitest";
import { GECKO_ID } from "../build/firefox";
import { ICON_SIZES, iconPath, PANEL_ICON_PATH } from "../build/icons";
import { DIST } from "./harness";

/** The Firefox build (`npm run build:firefox`). */
const DIST_FIREFOX = resolve(DIST, "../dist-firefox");

const manifest = JSON.parse(readFileSync(join(DIST, "manifest.json"), "utf8")) as {
  content_scripts: { js: string[]; world?: string }[];
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  background: { service_worker: string };
};

/** U+FDD0..U+FDEF and every code point ending in FFFE/FFFF. */
function nonCharacters(text: string): string[] {
  const found: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe)
      found.push(`U+${cp.toString(16).toUpperCase()}`);
  }
  return found;
}

describe("built extension", () => {
  it("has content scripts Chromium can load", () => {
    const scripts = manifest.content_scripts.flatMap((c) => c.js);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const file of scripts) {
      const bytes = readFileSync(join(DIST, file));
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      expect(nonCharacters(text), file).toEqual([]);
    }
  });

  it("keeps the MAIN-world tap small and free of the XML parser", () => {
    const main = manifest.content_scripts.find((c) => c.world === "MAIN");
    expect(main).toBeDefined();
    const text = readFileSync(join(DIST, main?.js[0] ?? ""), "utf8");
    expect(text).not.toMatch(/XMLParser|fast-xml-parser/);
    expect(text.length).toBeLessThan(200_000);
  });

  it("asks for no permission beyond storage, debugger only as optional, and no host permission", () => {
    expect(manifest.permissions ?? []).toEqual(["storage"]);
    expect(manifest.optional_permissions ?? []).toEqual(["debugger"]);
    expect(manifest.host_permissions ?? []).toEqual([]);
  });

  it("embeds the worker tap in the background as one self-contained script, free of the XML parser", async () => {
    const assets = readdirSync(join(DIST, "assets")).filter((f) => f.endsWith(".js"));
    const withTap = assets.filter((f) =>
      readFileSync(join(DIST, "assets", f), "utf8").includes("__waCallInspectorWorkerTap"),
    );
    expect(withTap.length).toBeGreaterThan(0);
    // The source the background evaluates in the worker: the default export of the embedded module.
    const bg = readFileSync(
      join(DIST, "assets", withTap.find((f) => f.startsWith("index")) ?? withTap[0]),
      "utf8",
    );
    const m = /"(\(function\(\)\{.*?\}\)\(\);?\n?)"/s.exec(bg);
    expect(m, "an IIFE string literal in the background").not.toBeNull();
    const source = JSON.parse(`"${m?.[1] ?? ""}"`) as string;
    expect(source).not.toMatch(/\bimport\s*[({"']|\bimport\(|XMLParser|fast-xml-parser|fetch\(/);
    expect(source).toContain("__waCallInspectorWorkerTap");
    expect(nonCharacters(source)).toEqual([]);
  });
});

/** Every JavaScript file of a build, path → text. */
function scripts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" }))
    if (f.endsWith(".js")) out.set(f, readFileSync(join(dir, f), "utf8"));
  return out;
}

/** Width and height of a PNG file (IHDR). */
function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Marks of deep-capture code: the worker tap's global, CDP commands, the debugger API. */
const DEEP_CAPTURE_CODE =
  /__waCallInspectorWorkerTap|Target\.setAutoAttach|Runtime\.runIfWaitingForDebugger|debugger\.attach|\.debugger\b/;

beforeAll(async () => {
  if (!existsSync(join(DIST_FIREFOX, "manifest.json")))
    await build({ configFile: resolve(DIST, "../vite.config.ts"), mode: "firefox", logLevel: "warn" });
});

describe("Firefox build", () => {
  let ff: {
    background?: { scripts?: string[]; service_worker?: string; type?: string };
    browser_specific_settings?: unknown;
    optional_permissions?: string[];
    minimum_chrome_version?: string;
    permissions?: string[];
    icons?: Record<string, string>;
    content_scripts: { js: string[]; world?: string; run_at?: string }[];
  };
  beforeAll(() => {
    ff = JSON.parse(readFileSync(join(DIST_FIREFOX, "manifest.json"), "utf8"));
  });

  it("runs the background as event-page scripts, with the loader that CRXJS wrote", () => {
    expect(ff.background?.service_worker).toBeUndefined();
    expect(ff.background?.scripts).toHaveLength(1);
    expect(existsSync(join(DIST_FIREFOX, ff.background?.scripts?.[0] ?? "?"))).toBe(true);
  });

  it("has Firefox's settings and none of Chrome's", () => {
    expect(ff.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: "140.0",
        data_collection_permissions: { required: ["none"] },
      },
    });
    expect(ff.optional_permissions).toBeUndefined();
    expect(ff.minimum_chrome_version).toBeUndefined();
    expect(ff.permissions).toEqual(["storage"]);
    // The content scripts are Chrome's: the MAIN-world tap and the relay at document_start.
    expect(ff.content_scripts.map((c) => [c.world ?? "ISOLATED", c.run_at])).toEqual(
      manifest.content_scripts.map((c) => [c.world ?? "ISOLATED", "document_start"]),
    );
  });

  it("leaves the deep-capture code out, which the Chrome build has", () => {
    const chrome = [...scripts(DIST).values()].filter((t) => DEEP_CAPTURE_CODE.test(t));
    expect(chrome.length).toBeGreaterThan(0);
    const firefox = [...scripts(DIST_FIREFOX)].filter(([, t]) => DEEP_CAPTURE_CODE.test(t)).map(([f]) => f);
    expect(firefox).toEqual([]);
  });
});

describe("both builds", () => {
  it.each([
    ["dist", DIST],
    ["dist-firefox", DIST_FIREFOX],
  ])("%s has the icons of its manifest and the panel icon, rendered at their sizes", (_name, dir) => {
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
      icons: Record<string, string>;
    };
    expect(Object.keys(m.icons)).toEqual(ICON_SIZES.map(String));
    for (const size of ICON_SIZES) {
      expect(m.icons[String(size)]).toBe(iconPath(size));
      expect(pngSize(join(dir, iconPath(size)))).toEqual([size, size]);
    }
    expect(pngSize(join(dir, PANEL_ICON_PATH))).toEqual([32, 32]);
  });

  it.each([
    ["dist", DIST],
    ["dist-firefox", DIST_FIREFOX],
  ])("%s creates the panel from absolute paths that exist in the build", (_name, dir) => {
    const devtools = [...scripts(dir).values()].filter((t) => t.includes("panels.create"));
    expect(devtools).toHaveLength(1);
    expect(devtools[0]).toContain("/src/panel/panel.html");
    expect(devtools[0]).toContain(`/${PANEL_ICON_PATH}`);
    expect(existsSync(join(dir, "src/panel/panel.html"))).toBe(true);
  });
});
