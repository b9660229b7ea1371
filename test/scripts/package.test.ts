/**
 * The store packaging script's pure parts (scripts/package.ts): file list → zip entries, the
 * deterministic zip, which build and source files are shipped, and the version and icon checks.
 */
import { unzipSync, unzlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ICON_SIZES } from "../../build/icons";
import {
  type BuildCheck,
  buildDifferences,
  buildInstructions,
  buildProblems,
  encodeRgbPng,
  isShippedBuildFile,
  makeZip,
  packageName,
  pngSize,
  STORE_SCREEN,
  screenBackground,
  sourceFiles,
  storeScreenSvg,
  ZIP_DATE,
  zipEntries,
} from "../../scripts/package";

const text = (s: string) => new TextEncoder().encode(s);
const ICONS = Object.fromEntries(ICON_SIZES.map((s) => [String(s), `icons/icon-${s}.png`]));
const ICON_FILES = Object.values(ICONS);

/** The little-endian u16 at `offset`. */
const u16 = (b: Uint8Array, offset: number) => b[offset]! | (b[offset + 1]! << 8);

describe("zipEntries / makeZip", () => {
  it("sorts the entries by path and dates each one 1980-01-01, deflate level 9", () => {
    const entries = zipEntries([
      { path: "src/b.js", data: text("b") },
      { path: "manifest.json", data: text("{}") },
      { path: "assets/a.js", data: text("a") },
    ]);
    expect(Object.keys(entries)).toEqual(["assets/a.js", "manifest.json", "src/b.js"]);
    for (const value of Object.values(entries)) {
      expect(Array.isArray(value)).toBe(true);
      const [, opts] = value as [Uint8Array, { mtime: Date; level: number }];
      expect(opts).toEqual({ mtime: ZIP_DATE, level: 9 });
    }
  });

  it("gives the same bytes for the same files in any order, and unzips to them", () => {
    const files = [
      { path: "b.txt", data: text("bee ".repeat(50)) },
      { path: "a/c.txt", data: text("sea") },
    ];
    const one = makeZip(files);
    const two = makeZip([...files].reverse());
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
    const back = unzipSync(one);
    expect(Object.keys(back).sort()).toEqual(["a/c.txt", "b.txt"]);
    expect(new TextDecoder().decode(back["b.txt"])).toBe("bee ".repeat(50));
  });

  it("writes the MS-DOS date 1980-01-01 00:00 in every local header", () => {
    const zip = makeZip([{ path: "x", data: text("x") }]);
    expect(u16(zip, 0)).toBe(0x4b50); // "PK"
    expect(u16(zip, 10)).toBe(0); // time: 00:00:00
    expect(u16(zip, 12)).toBe((0 << 9) | (1 << 5) | 1); // date: 1980 + 0, month 1, day 1
  });

  it.each([["/abs"], ["a\\b"], ["../up"], ["a/../../b"], [""]])("refuses the path %j", (path) => {
    expect(() => zipEntries([{ path, data: text("") }])).toThrow(/not a relative zip path/);
  });

  it("refuses a duplicate path", () => {
    expect(() =>
      zipEntries([
        { path: "m.json", data: text("1") },
        { path: "m.json", data: text("2") },
      ]),
    ).toThrow("duplicate zip path: m.json");
  });
});

describe("buildDifferences", () => {
  const f = (path: string, body: string) => ({ path, data: text(body) });

  it("finds none between builds with the same paths and bytes, in any order", () => {
    expect(
      buildDifferences([f("a.js", "1"), f("m.json", "{}")], [f("m.json", "{}"), f("a.js", "1")]),
    ).toEqual([]);
  });

  it("names each file missing from the rebuild, only in it, or with other bytes", () => {
    expect(
      buildDifferences(
        [f("a.js", "1"), f("b.js", "2"), f("m.json", "{}")],
        [f("a.js", "1"), f("m.json", '{"x":1}'), f("c.js", "3")],
      ),
    ).toEqual(["b.js: not rebuilt", "c.js: only in the rebuild", "m.json: rebuilt with other bytes"]);
  });
});

describe("isShippedBuildFile", () => {
  it("ships the build's files but not Vite's .vite/ index or dot-files", () => {
    expect(isShippedBuildFile("manifest.json")).toBe(true);
    expect(isShippedBuildFile("icons/icon-16.png")).toBe(true);
    expect(isShippedBuildFile(".vite/manifest.json")).toBe(false);
    expect(isShippedBuildFile("assets/.DS_Store")).toBe(false);
  });
});

describe("sourceFiles", () => {
  it("keeps the tracked files, sorted, minus the screenshots, a BUILD.md and empty names", () => {
    const tracked = [
      "src/panel/App.tsx",
      "docs/screens/call-list-light.png",
      "package.json",
      "docs/trace-format.md",
      "BUILD.md",
      "",
      "assets/icon.svg",
    ];
    expect(sourceFiles(tracked)).toEqual([
      "assets/icon.svg",
      "docs/trace-format.md",
      "package.json",
      "src/panel/App.tsx",
    ]);
  });
});

describe("buildProblems", () => {
  const chrome = (
    manifest: BuildCheck["manifest"],
    files = ["manifest.json", ...ICON_FILES],
  ): BuildCheck => ({
    label: "Chrome build",
    manifest,
    files,
  });

  it("finds nothing wrong with a build at the package's version with its four icons", () => {
    expect(buildProblems("1.2.3", chrome({ version: "1.2.3", icons: ICONS }))).toEqual([]);
  });

  it("accepts icon paths written with a leading slash", () => {
    const icons = Object.fromEntries(Object.entries(ICONS).map(([k, v]) => [k, `/${v}`]));
    expect(buildProblems("1.2.3", chrome({ version: "1.2.3", icons }))).toEqual([]);
  });

  it("names a version that differs from package.json's", () => {
    expect(buildProblems("1.2.3", chrome({ version: "1.2.4", icons: ICONS }))).toEqual([
      'Chrome build: manifest version "1.2.4" differs from package.json\'s "1.2.3" ' +
        "(set the same version in manifest.json and package.json, then build again)",
    ]);
    expect(buildProblems("1.2.3", chrome({ icons: ICONS }))[0]).toMatch(/manifest version undefined differs/);
  });

  it("names every missing icon size and every listed icon file the build lacks", () => {
    const { "32": _, ...without32 } = ICONS;
    expect(
      buildProblems(
        "1.0.0",
        chrome({ version: "1.0.0", icons: without32 }, ["manifest.json", "icons/icon-16.png"]),
      ),
    ).toEqual([
      'Chrome build: manifest lists no 32 px icon under "icons"',
      "Chrome build: the 48 px icon icons/icon-48.png is listed but not in the build",
      "Chrome build: the 128 px icon icons/icon-128.png is listed but not in the build",
    ]);
    expect(buildProblems("1.0.0", chrome({ version: "1.0.0" }))).toHaveLength(ICON_SIZES.length);
  });

  it("asks the Firefox build for a gecko id, and only the Firefox build", () => {
    const manifest = { version: "1.0.0", icons: ICONS };
    const files = ["manifest.json", ...ICON_FILES];
    expect(buildProblems("1.0.0", { label: "Firefox build", manifest, files, firefox: true })).toEqual([
      "Firefox build: manifest has no browser_specific_settings.gecko.id (AMO needs one)",
    ]);
    const withId = { ...manifest, browser_specific_settings: { gecko: { id: "x@y" } } };
    expect(
      buildProblems("1.0.0", { label: "Firefox build", manifest: withId, files, firefox: true }),
    ).toEqual([]);
  });
});

describe("packageName / buildInstructions", () => {
  it("names the zips by version and store", () => {
    expect(packageName("0.1.0", "chrome")).toBe("wa-call-inspector-0.1.0-chrome.zip");
    expect(packageName("0.1.0", "firefox")).toBe("wa-call-inspector-0.1.0-firefox.zip");
    expect(packageName("0.1.0", "source")).toBe("wa-call-inspector-0.1.0-source.zip");
  });

  it("gives AMO's reviewers the Node version, the commands and the output folder", () => {
    const md = buildInstructions("0.1.0");
    expect(md).toContain("Node.js 20");
    expect(md).toContain("`npm ci`");
    expect(md).toContain("`npm run build:firefox`");
    expect(md).toContain("**`dist-firefox/`**");
    expect(md).toContain("wa-call-inspector-0.1.0-firefox.zip");
  });
});

/** The chunks of a PNG: type, data, and whether the stored CRC-32 matches one computed here. */
function pngChunks(png: Uint8Array): { type: string; data: Uint8Array; crcOk: boolean }[] {
  const crc = (bytes: Uint8Array) => {
    let c = ~0;
    for (const b of bytes) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return ~c >>> 0;
  };
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = [];
  for (let at = 8; at < png.length; ) {
    const n = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    out.push({
      type,
      data: png.subarray(at + 8, at + 8 + n),
      crcOk: crc(png.subarray(at + 4, at + 8 + n)) === view.getUint32(at + 8 + n),
    });
    at += 12 + n;
  }
  return out;
}

describe("store screenshots", () => {
  it("encodes an opaque RGB PNG (no alpha) whose rows hold the pixels", () => {
    // 2 × 2: red, green / blue, white; alpha dropped.
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const png = encodeRgbPng(rgba, 2, 2);
    expect(pngSize(png)).toEqual({ width: 2, height: 2 });
    const chunks = pngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    expect(Array.from(chunks[0]!.data.subarray(8))).toEqual([8, 2, 0, 0, 0]); // 8-bit RGB
    expect(Array.from(unzlibSync(chunks[1]!.data))).toEqual([
      0,
      255,
      0,
      0,
      0,
      255,
      0, // row 0: filter none, red, green
      0,
      0,
      0,
      255,
      255,
      255,
      255, // row 1: blue, white
    ]);
    expect(() => encodeRgbPng(rgba, 3, 2)).toThrow("expected 24 RGBA bytes, got 16");
  });

  it("reads a PNG's size and refuses what is not a PNG", () => {
    expect(pngSize(encodeRgbPng(new Uint8Array(7 * 3 * 4), 7, 3))).toEqual({ width: 7, height: 3 });
    expect(() => pngSize(new TextEncoder().encode("GIF89a................."))).toThrow("not a PNG");
  });

  it("fits a 1400×820 screenshot into 1280×800: full width, at the top, on the theme's background", () => {
    const svg = storeScreenSvg(new Uint8Array([1, 2, 3]), 1400, 820, "#202124");
    expect(STORE_SCREEN).toEqual({ width: 1280, height: 800 });
    expect(svg).toContain('width="1280" height="800"');
    expect(svg).toContain('fill="#202124"');
    // scale = min(1280/1400, 800/820) = 0.9142857…: 1280 × 749.7…, centred horizontally (x = 0).
    const image = /<image x="([\d.]+)" y="0" width="([\d.]+)" height="([\d.]+)"/.exec(svg);
    expect(image).not.toBeNull();
    expect(Number(image![1])).toBe(0);
    expect(Number(image![2])).toBe(1280);
    expect(Number(image![3])).toBeCloseTo(749.71, 2);
    expect(svg).toContain(`href="data:image/png;base64,${Buffer.from([1, 2, 3]).toString("base64")}"`);
    // A tall one is fitted to the height and centred.
    const tall = /<image x="([\d.]+)" y="0" width="([\d.]+)" height="([\d.]+)"/.exec(
      storeScreenSvg(new Uint8Array(), 400, 1600, "#fff"),
    );
    expect(tall!.slice(1).map(Number)).toEqual([540, 200, 800]);
  });

  it("pads dark screenshots with the dark panel background and the others with white", () => {
    expect(screenBackground("call-list-dark.png")).toBe("#202124");
    expect(screenBackground("call-list-light.png")).toBe("#fff");
    expect(screenBackground("darkroom.png")).toBe("#fff");
  });
});
