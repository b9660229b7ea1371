/**
 * `npm run package` end to end: the script builds both extensions and writes the three zips (into
 * a temporary folder here, with `--out`); the Chrome and Firefox zips each hold a manifest at
 * package.json's version whose 16, 32, 48 and 128 px icons are PNGs of those sizes in the zip,
 * the source archive holds the build inputs and BUILD.md, without the screenshots; and every
 * screenshot of docs/screens/ has a 1280×800 RGB copy for the store listings.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let out: string;
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "waci-package-"));
  run = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/package.ts", "--out", out], {
    cwd: ROOT,
    encoding: "utf8",
  });
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** The entries of the zip `kind` written by the run. */
function entries(kind: "chrome" | "firefox" | "source"): Record<string, Uint8Array> {
  return unzipSync(readFileSync(join(out, `wa-call-inspector-${VERSION}-${kind}.zip`)));
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  return [view.getUint32(16), view.getUint32(20)];
}

describe("npm run package", () => {
  it("exits 0", () => {
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it.each(["chrome", "firefox"] as const)("writes the %s zip with its manifest and icons", (kind) => {
    const zip = entries(kind);
    const manifest = JSON.parse(new TextDecoder().decode(zip["manifest.json"])) as {
      version: string;
      icons: Record<string, string>;
      browser_specific_settings?: { gecko?: { id?: string } };
    };
    expect(manifest.version).toBe(VERSION);
    for (const size of [16, 32, 48, 128]) {
      const path = manifest.icons[String(size)]!.replace(/^\//, "");
      expect(zip[path], path).toBeDefined();
      expect(pngSize(zip[path]!)).toEqual([size, size]);
    }
    expect(Object.keys(zip).some((p) => p.startsWith(".vite/"))).toBe(false);
    if (kind === "firefox") expect(manifest.browser_specific_settings?.gecko?.id).toEqual(expect.any(String));
  });

  it("writes the source archive with BUILD.md and the build inputs, without the screenshots", () => {
    const zip = entries("source");
    for (const path of [
      "BUILD.md",
      "package.json",
      "package-lock.json",
      "vite.config.ts",
      "assets/icon.svg",
    ]) {
      expect(zip[path], path).toBeDefined();
    }
    expect(new TextDecoder().decode(zip["BUILD.md"])).toContain("npm run build:firefox");
    expect(Object.keys(zip).filter((p) => p.startsWith("docs/screens/"))).toEqual([]);
  });

  it("writes a 1280×800 RGB copy of every docs/screens/ screenshot", () => {
    const shots = readdirSync(join(ROOT, "docs/screens")).filter((n) => n.endsWith(".png"));
    expect(shots.length).toBeGreaterThan(0);
    expect(readdirSync(join(out, "screens")).sort()).toEqual(shots.sort());
    for (const name of shots) {
      const png = readFileSync(join(out, "screens", name));
      expect(pngSize(png), name).toEqual([1280, 800]);
      expect(png[25], `${name}: colour type`).toBe(2); // RGB, no alpha
    }
  });
});
