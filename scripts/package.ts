/**
 * `npm run package [-- --no-build] [--out <dir>]`: writes the store packages into `packages/`
 * (gitignored; `--out` for another folder):
 *
 * - `wa-call-inspector-<version>-chrome.zip`: `dist/`, for the Chrome Web Store and Edge Add-ons;
 * - `wa-call-inspector-<version>-firefox.zip`: `dist-firefox/`, for addons.mozilla.org (AMO);
 * - `wa-call-inspector-<version>-source.zip`: the source archive AMO asks for: the files git
 *   tracks (`git ls-files`, read from the working tree) minus the screenshots, plus a `BUILD.md`
 *   with the exact build steps.
 *
 * `<version>` is package.json's; both built manifests must carry the same version and list the
 * 16, 32, 48 and 128 px icons, with the files present, or nothing is written (exit 1, each problem
 * named). Both builds are made first (`vite build --mode firefox`, then `vite build`), so a
 * package never holds a stale build; `--no-build` packages the existing `dist/` and
 * `dist-firefox/` as they are. Zips are made with fflate's `zipSync`, entries sorted by path and
 * dated 1980-01-01 00:00, so the same files give the same bytes.
 *
 * Exit status: 0 when the three zips were written; 1 on a build or package problem; 2 on a usage
 * error.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Zippable, zipSync } from "fflate";

const ROOT = resolve(import.meta.dirname, "..");
const NAME = "wa-call-inspector";

/** The icon sizes (px) every built manifest must list under `icons` (issue #13, item 4). */
export const ICON_SIZES = [16, 32, 48, 128] as const;

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
 * the manifest's `version` differs from package.json's `version`; an icon size of
 * {@link ICON_SIZES} is not listed under `icons`, or its file is not among `files`; the Firefox
 * build has no `browser_specific_settings.gecko.id`.
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

- Node.js 20 (20.19 or later; tested with 20.20) and the npm that ships with it (10 or later).
- Any OS Node runs on (Linux, macOS, Windows). No other tools are needed.

## Steps

From the folder this archive was unpacked into:

1. \`npm ci\`: installs the exact dependency versions pinned in \`package-lock.json\`.
2. \`npm run build:firefox\`: runs \`vite build --mode firefox\`.

The add-on is then in **\`dist-firefox/\`**: its \`manifest.json\` carries version ${version}. The
submitted zip holds every file of \`dist-firefox/\` except the \`.vite/\` folder (Vite's build
index, not part of the add-on).

\`npm run build\` makes the Chrome and Edge build in \`dist/\` the same way. \`npm run package\`
runs both builds and writes the three zips (Chrome, Firefox, this source archive) into
\`packages/\`.

## What is left out of this archive

The panel screenshots in \`docs/screens/\`, which the end-to-end tests write and the build does not
read. Everything else the repository tracks is here, tests included (\`npm test\` runs them).
`;
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

/** Runs `vite build` (with `--mode firefox` for Firefox); returns false when it failed. */
function runBuild(firefox: boolean): boolean {
  const args = ["build", "--logLevel", "warn", ...(firefox ? ["--mode", "firefox"] : [])];
  console.log(`building: vite ${args.join(" ")}`);
  const env = { ...process.env };
  delete env.WACI_GRANT_DEBUGGER; // the e2e-only build that grants debugger up front
  const r = spawnSync(resolve(ROOT, "node_modules/.bin/vite"), args, { cwd: ROOT, stdio: "inherit", env });
  return r.status === 0;
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

function main(): number {
  let noBuild: boolean;
  let outDir: string;
  try {
    const { values } = parseArgs({ options: { "no-build": { type: "boolean" }, out: { type: "string" } } });
    noBuild = Boolean(values["no-build"]);
    outDir = resolve(values.out ?? join(ROOT, "packages"));
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: npm run package [-- --no-build] [--out <dir>]`);
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

  mkdirSync(outDir, { recursive: true });
  for (const z of zips) {
    const bytes = makeZip(z.files);
    writeFileSync(join(outDir, z.name), bytes);
    console.log(
      `${relative(process.cwd(), join(outDir, z.name))}: ${z.files.length} files, ${(bytes.length / 1024).toFixed(1)} KiB`,
    );
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
