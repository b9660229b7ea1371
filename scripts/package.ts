/**
 * `npm run package [-- --no-build] [--no-verify] [--out <dir>]`: writes the store packages into
 * `packages/` (gitignored; `--out` for another folder):
 *
 * - `wa-call-inspector-<version>-chrome.zip`: `dist/`, for the Chrome Web Store and Edge Add-ons;
 * - `wa-call-inspector-<version>-firefox.zip`: `dist-firefox/`, for addons.mozilla.org (AMO);
 * - `wa-call-inspector-<version>-source.zip`: the source archive AMO asks for: the files git
 *   tracks (`git ls-files`, read from the working tree) minus the screenshots, plus a `BUILD.md`
 *   with the exact build steps.
 *
 * It also writes `packages/screens/<name>.png`: each panel screenshot of `docs/screens/` (which
 * the end-to-end tests write, 1400×820) fitted into the stores' 1280×800 on the panel's own
 * background, as 24-bit PNG without alpha (the Chrome Web Store's rule), for the store listings
 * (docs/store/listing.md).
 *
 * `<version>` is package.json's; both built manifests must carry the same version and list the
 * 16, 32, 48 and 128 px icons, with the files present, or nothing is written (exit 1, each problem
 * named). Both builds are made first (`vite build --mode firefox`, then `vite build`), so a
 * package never holds a stale build; `--no-build` packages the existing `dist/` and
 * `dist-firefox/` as they are. Zips are made with fflate's `zipSync`, entries sorted by path and
 * dated 1980-01-01 00:00, so the same files give the same bytes.
 *
 * Before writing, the source archive is checked the way AMO's reviewers use it: its files are
 * unpacked into a temporary folder (with this checkout's `node_modules` linked in, in place of
 * `npm ci`), `vite build --mode firefox` runs there, and its `dist-firefox/` must hold the same
 * files, byte for byte, as the Firefox zip. A file the build needs but git does not track fails
 * this check. `--no-verify` skips it.
 *
 * Exit status: 0 when the three zips were written; 1 on a build or package problem; 2 on a usage
 * error.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Zippable, zipSync, zlibSync } from "fflate";
import { ICON_SIZES } from "../build/icons";

const ROOT = resolve(import.meta.dirname, "..");
const NAME = "wa-call-inspector";

/**
 * The date of every zip entry: the earliest a zip (MS-DOS) timestamp can hold. fflate reads it
 * with local-time getters, so a local-time date gives the same entry bytes in every time zone.
 */
export const ZIP_DATE = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Tracked paths left out of the AMO source archive: the panel screenshots (about 0.9 MB of PNG
 * that the end-to-end tests write and the build never reads).
 */
export const SOURCE_EXCLUDES: readonly string[] = ["docs/screens/"];

/** The screenshot size the Chrome Web Store, Edge Add-ons and AMO all accept, px. */
export const STORE_SCREEN = { width: 1280, height: 800 } as const;

/**
 * The SVG that renders a screenshot into a {@link STORE_SCREEN}-sized image: the PNG scaled to
 * fit the frame (aspect kept), centred horizontally, at the top, on `bg` (a CSS colour) below and
 * beside it. `width` and `height` are the PNG's own size, px.
 */
export function storeScreenSvg(png: Uint8Array, width: number, height: number, bg: string): string {
  const { width: W, height: H } = STORE_SCREEN;
  const scale = Math.min(W / width, H / height);
  const w = width * scale;
  const h = height * scale;
  const href = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="${bg}"/>` +
    `<image x="${(W - w) / 2}" y="0" width="${w}" height="${h}" href="${href}"/></svg>`
  );
}

/**
 * The panel's background colour for a screenshot named `*-dark.png` or otherwise (light theme):
 * `--bg` of src/panel/panel.css in each theme.
 */
export function screenBackground(fileName: string): string {
  return /-dark\.png$/.test(fileName) ? "#202124" : "#fff";
}

/** Width and height of a PNG, px, from its IHDR chunk; throws an `Error` when `png` is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) throw new Error("not a PNG");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** CRC-32 (ISO-HDLC, as PNG chunks use it) of `bytes`. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * An opaque 8-bit RGB PNG (colour type 2, no alpha, as the Chrome Web Store wants its
 * screenshots) of `rgba`: `width` × `height` pixels, 4 bytes each, row by row, alpha dropped
 * (the caller's image is opaque). Rows are unfiltered, deflated at level 9. Throws an `Error`
 * when `rgba` does not hold `width` × `height` × 4 bytes.
 */
export function encodeRgbPng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0, o = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      raw[o++] = rgba[i]!;
      raw[o++] = rgba[i + 1]!;
      raw[o++] = rgba[i + 2]!;
    }
  }
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlibSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    png.set(p, at);
    at += p.length;
  }
  return png;
}

/** One file to zip: its path inside the zip (`/`-separated, relative) and its bytes. */
export interface PackFile {
  path: string;
  data: Uint8Array;
}

/** The fields of a built manifest.json this script checks. */
export interface BuiltManifest {
  version?: unknown;
  icons?: unknown;
  browser_specific_settings?: { gecko?: { id?: unknown } };
}

/** One built extension to package: its label for messages, its manifest and its file paths. */
export interface BuildCheck {
  label: string;
  manifest: BuiltManifest;
  files: readonly string[];
  /** True for the Firefox build: it must carry `browser_specific_settings.gecko.id` for AMO. */
  firefox?: boolean;
}

/**
 * The entries of a deterministic zip: paths sorted (code-unit order), each entry dated
 * {@link ZIP_DATE} and deflated at level 9. Throws an `Error` naming the path on a duplicate,
 * absolute or `..` path, or a path with a backslash (zip paths are `/`-separated and relative).
 */
export function zipEntries(files: readonly PackFile[]): Zippable {
  const out: Zippable = {};
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    if (!f.path || f.path.startsWith("/") || f.path.includes("\\") || f.path.split("/").includes("..")) {
      throw new Error(`not a relative zip path: ${JSON.stringify(f.path)}`);
    }
    if (Object.hasOwn(out, f.path)) throw new Error(`duplicate zip path: ${f.path}`);
    out[f.path] = [f.data, { mtime: ZIP_DATE, level: 9 }];
  }
  return out;
}

/** The zip archive (bytes) of `files`, made from {@link zipEntries}; same files, same bytes. */
export function makeZip(files: readonly PackFile[]): Uint8Array {
  return zipSync(zipEntries(files));
}

/**
 * Whether a file of a build folder goes into its store zip: every file except those under a
 * dot-folder or named with a leading dot (Vite's `.vite/manifest.json` build index among them).
 * `path` is `/`-separated and relative to the build folder.
 */
export function isShippedBuildFile(path: string): boolean {
  return !path.split("/").some((part) => part.startsWith("."));
}

/**
 * The tracked paths that go into the AMO source archive: `tracked` (from `git ls-files`) minus
 * the paths under {@link SOURCE_EXCLUDES} and minus `BUILD.md` (the archive's own is written by
 * {@link buildInstructions}), sorted.
 */
export function sourceFiles(tracked: readonly string[]): string[] {
  return tracked
    .filter((p) => p && p !== "BUILD.md" && !SOURCE_EXCLUDES.some((ex) => p.startsWith(ex)))
    .sort();
}

/**
 * The problems that keep a built extension out of a package, as sentences (empty when none):
 * the manifest's `version` differs from package.json's `version`; an icon size of `ICON_SIZES`
 * (build/icons.ts: 16, 32, 48, 128) is not listed under `icons`, or its file is not among
 * `files`; the Firefox build has no `browser_specific_settings.gecko.id`.
 */
export function buildProblems(version: string, build: BuildCheck): string[] {
  const problems: string[] = [];
  const { label, manifest, files } = build;
  if (manifest.version !== version) {
    problems.push(
      `${label}: manifest version ${JSON.stringify(manifest.version)} differs from package.json's "${version}" ` +
        "(set the same version in manifest.json and package.json, then build again)",
    );
  }
  const icons =
    typeof manifest.icons === "object" && manifest.icons !== null
      ? (manifest.icons as Record<string, unknown>)
      : {};
  const present = new Set(files);
  for (const size of ICON_SIZES) {
    const path = icons[String(size)];
    if (typeof path !== "string") {
      problems.push(`${label}: manifest lists no ${size} px icon under "icons"`);
    } else if (!present.has(path.replace(/^\//, ""))) {
      problems.push(`${label}: the ${size} px icon ${path} is listed but not in the build`);
    }
  }
  if (build.firefox && typeof manifest.browser_specific_settings?.gecko?.id !== "string") {
    problems.push(`${label}: manifest has no browser_specific_settings.gecko.id (AMO needs one)`);
  }
  return problems;
}

/** The zip file name for `kind` at `version`: `wa-call-inspector-<version>-<kind>.zip`. */
export function packageName(version: string, kind: "chrome" | "firefox" | "source"): string {
  return `${NAME}-${version}-${kind}.zip`;
}

/**
 * The `BUILD.md` of the source archive (Markdown text): how a reviewer rebuilds the files of
 * `wa-call-inspector-<version>-firefox.zip` from it.
 */
export function buildInstructions(version: string): string {
  return `# Building WA Call Inspector ${version} from this source archive

These steps rebuild the files of \`${packageName(version, "firefox")}\` (the add-on submitted to
addons.mozilla.org). The build bundles and minifies TypeScript with Vite; no file of the add-on is
written by hand, and nothing is fetched at build time except the npm packages in step 2.

## Requirements

- Node.js 20 (20.19 or later; tested with 20.20) and npm 10 or later (Node 20 ships with npm 10).
- Any OS Node runs on (Linux, macOS, Windows). No other tools are needed.

## Steps

From the folder this archive was unpacked into:

1. \`npm ci\`: installs the exact dependency versions pinned in \`package-lock.json\`.
2. \`npm run build:firefox\`: runs \`vite build --mode firefox\`.

The add-on is then in **\`dist-firefox/\`**: its \`manifest.json\` carries version ${version}. The
submitted zip holds every file of \`dist-firefox/\` except the \`.vite/\` folder (Vite's build
index, not part of the add-on). The files are the same, byte for byte: before this archive was
written, \`npm run package\` unpacked it into an empty folder, ran step 2 there (with the dependencies of
step 1 already installed) and compared the result with the submitted zip.

\`npm run build\` makes the Chrome and Edge build in \`dist/\` the same way. \`npm run package\`
runs both builds and writes the three zips (Chrome, Firefox, this source archive) into
\`packages/\`.

## What is left out of this archive

The panel screenshots in \`docs/screens/\`, which the end-to-end tests write and the build does not
read. Everything else the repository tracks is here, tests included (\`npm test\` runs them).
`;
}

/**
 * How a rebuilt extension differs from the packaged one, as sentences (empty when the two hold
 * the same paths with the same bytes): each path only in `packaged`, only in `rebuilt`, or with
 * other bytes. Paths are compared as given, `/`-separated and relative.
 */
export function buildDifferences(packaged: readonly PackFile[], rebuilt: readonly PackFile[]): string[] {
  const mine = new Map(rebuilt.map((f) => [f.path, f.data]));
  const out: string[] = [];
  for (const f of packaged) {
    const other = mine.get(f.path);
    if (other === undefined) out.push(`${f.path}: not rebuilt`);
    else if (!Buffer.from(other).equals(Buffer.from(f.data))) out.push(`${f.path}: rebuilt with other bytes`);
    mine.delete(f.path);
  }
  for (const path of mine.keys()) out.push(`${path}: only in the rebuild`);
  return out.sort();
}

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Runs `vite build` in `cwd` (with `--mode firefox` for Firefox); returns false when it failed.
 * `quiet` keeps the build's output unless it fails.
 */
function runBuild(firefox: boolean, cwd = ROOT, quiet = false): boolean {
  const args = ["build", "--logLevel", "warn", ...(firefox ? ["--mode", "firefox"] : [])];
  if (!quiet) console.log(`building: vite ${args.join(" ")}`);
  // A production build whatever the caller's NODE_ENV: under `test` (vitest sets it), the JSX
  // transform's development mode writes source paths into the panel chunk, so builds differ by
  // folder. Never the e2e-only build that grants debugger up front.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  delete env.WACI_GRANT_DEBUGGER;
  const r = spawnSync(join(cwd, "node_modules/.bin/vite"), args, {
    cwd,
    env,
    stdio: quiet ? "pipe" : "inherit",
    encoding: "utf8",
  });
  if (quiet && r.status !== 0) process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`);
  return r.status === 0;
}

/**
 * Unpacks `source` into a temporary folder, links this checkout's `node_modules` in, runs the
 * Firefox build there and compares its shipped files with `firefox`. Returns the problems (empty
 * when the rebuild matches); the folder is removed.
 */
function verifySourceRebuild(source: readonly PackFile[], firefox: readonly PackFile[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "waci-source-"));
  try {
    for (const f of source) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.data);
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "junction");
    console.log("verifying: the source archive rebuilds the Firefox package (vite build --mode firefox)");
    if (!runBuild(true, dir, true)) return ["the Firefox build fails in the unpacked source archive"];
    const rebuilt = readBuild(join(dir, "dist-firefox"), "rebuild");
    if (typeof rebuilt === "string") return [rebuilt];
    return buildDifferences(firefox, rebuilt.files).map((d) => `source archive rebuild: ${d}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files git neither tracks nor ignores (`git ls-files --others --exclude-standard`). */
function untrackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
}

/** Reads a build folder: its shipped files and its manifest, or the problem that stops it. */
function readBuild(dir: string, label: string): { files: PackFile[]; manifest: BuiltManifest } | string {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) {
    return `${label}: no build in ${relative(ROOT, dir)}/ (no manifest.json)`;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BuiltManifest;
  const files = listFiles(dir)
    .filter(isShippedBuildFile)
    .map((path) => ({ path, data: readFileSync(join(dir, path)) }));
  return { files, manifest };
}

/** Writes the store-sized copy of every docs/screens/*.png into `dir` (none when there are none). */
async function writeStoreScreens(dir: string): Promise<void> {
  const from = join(ROOT, "docs/screens");
  const names = existsSync(from) ? readdirSync(from).filter((n) => n.endsWith(".png")) : [];
  if (names.length === 0) {
    console.warn("package: no screenshots in docs/screens/ (the end-to-end tests write them)");
    return;
  }
  const { Resvg } = await import("@resvg/resvg-js");
  mkdirSync(dir, { recursive: true });
  for (const name of names.sort()) {
    const png = readFileSync(join(from, name));
    const { width, height } = pngSize(png);
    const svg = storeScreenSvg(png, width, height, screenBackground(name));
    const image = new Resvg(svg).render();
    writeFileSync(join(dir, name), encodeRgbPng(image.pixels, image.width, image.height));
  }
  const { width: W, height: H } = STORE_SCREEN;
  console.log(`${relative(process.cwd(), dir)}/: ${names.length} screenshots at ${W}×${H}`);
}

async function main(): Promise<number> {
  let noBuild: boolean;
  let noVerify: boolean;
  let outDir: string;
  try {
    const { values } = parseArgs({
      options: { "no-build": { type: "boolean" }, "no-verify": { type: "boolean" }, out: { type: "string" } },
    });
    noBuild = Boolean(values["no-build"]);
    noVerify = Boolean(values["no-verify"]);
    outDir = resolve(values.out ?? join(ROOT, "packages"));
  } catch (err) {
    console.error(
      `${(err as Error).message}\nusage: npm run package [-- --no-build] [--no-verify] [--out <dir>]`,
    );
    return 2;
  }
  const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string })
    .version;
  if (!noBuild && !(runBuild(true) && runBuild(false))) {
    console.error("package: the build failed; nothing written");
    return 1;
  }

  const builds = [
    { kind: "chrome" as const, dir: join(ROOT, "dist"), label: "Chrome build (dist/)", firefox: false },
    {
      kind: "firefox" as const,
      dir: join(ROOT, "dist-firefox"),
      label: "Firefox build (dist-firefox/)",
      firefox: true,
    },
  ];
  const problems: string[] = [];
  const zips: { name: string; files: PackFile[] }[] = [];
  for (const b of builds) {
    const read = readBuild(b.dir, b.label);
    if (typeof read === "string") {
      problems.push(`${read}: run \`npm run ${b.firefox ? "build:firefox" : "build"}\` or drop --no-build`);
      continue;
    }
    const files = read.files.map((f) => f.path);
    problems.push(
      ...buildProblems(version, { label: b.label, manifest: read.manifest, files, firefox: b.firefox }),
    );
    zips.push({ name: packageName(version, b.kind), files: read.files });
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`package: ${p}`);
    console.error("package: nothing written");
    return 1;
  }

  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0");
  const modified = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  if (modified.length > 0) {
    console.warn(
      `package: warning: ${modified.length} tracked file(s) differ from the last commit; the source archive holds ` +
        `the working tree's copies:\n${modified.map((m) => `  ${m}`).join("\n")}`,
    );
  }
  const source: PackFile[] = sourceFiles(tracked)
    .filter((p) => existsSync(join(ROOT, p)) && statSync(join(ROOT, p)).isFile())
    .map((path) => ({ path, data: readFileSync(join(ROOT, path)) }));
  source.push({ path: "BUILD.md", data: new TextEncoder().encode(buildInstructions(version)) });
  zips.push({ name: packageName(version, "source"), files: source });

  if (!noVerify) {
    const firefox = zips.find((z) => z.name === packageName(version, "firefox"))!.files;
    const differences = verifySourceRebuild(source, firefox);
    if (differences.length > 0) {
      for (const d of differences) console.error(`package: ${d}`);
      const untracked = untrackedFiles();
      if (untracked.length > 0) {
        console.error(
          `package: git does not track ${untracked.length} file(s) that the build may need (git add them):\n` +
            untracked.map((u) => `  ${u}`).join("\n"),
        );
      }
      console.error("package: nothing written");
      return 1;
    }
  }

  mkdirSync(outDir, { recursive: true });
  for (const z of zips) {
    const bytes = makeZip(z.files);
    writeFileSync(join(outDir, z.name), bytes);
    console.log(
      `${relative(process.cwd(), join(outDir, z.name))}: ${z.files.length} files, ${(bytes.length / 1024).toFixed(1)} KiB`,
    );
  }
  await writeStoreScreens(join(outDir, "screens"));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
