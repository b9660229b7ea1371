/**
 * `npm run package` end to end: the script builds both extensions and writes the three zips (into
 * a temporary folder here, with `--out`); the Chrome and Firefox zips each hold a manifest at
 * package.json's version whose 16, 32, 48 and 128 px icons are PNGs of those sizes in the zip,
 * the source archive holds the build inputs and BUILD.md, without the screenshots; and every
 * screenshot of docs/screens/ has a 1280×800 RGB copy for the store listings.
 *
 * The source archive's rebuild check depends on what git tracks, so the main run skips it
 * (`--no-verify`: a file not yet added in a working checkout must not fail the tests) and it is
 * tested apart, in a throwaway git repository made of this checkout's files.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let out: string;
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "waci-package-"));
  run = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/package.ts", "--no-verify", "--out", out], {
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

describe("npm run package: the source archive's rebuild check", () => {
  let repo: string;
  /** Runs the package script in the throwaway repository, with `args`. */
  const pack = (...args: string[]) =>
    spawnSync(
      join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/package.ts", ...args, "--out", join(repo, "pk")],
      {
        cwd: repo,
        encoding: "utf8",
      },
    );
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.email=test@example.invalid", "-c", "user.name=test", ...args], {
      cwd: repo,
      encoding: "utf8",
    });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "waci-package-repo-"));
    const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    for (const path of listed.stdout.split("\0").filter(Boolean)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      try {
        cpSync(join(ROOT, path), join(repo, path));
      } catch {
        // listed but deleted in the working tree
      }
    }
    expect(git("init", "-q").status).toBe(0);
    expect(git("add", "-A").status).toBe(0);
    expect(git("commit", "-q", "-m", "snapshot").status).toBe(0);
    // A link, which .gitignore's `node_modules/` (a folder pattern) does not match.
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "junction");
    writeFileSync(join(repo, ".git/info/exclude"), "node_modules\n");
  });

  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it("passes when git tracks every file the build needs", () => {
    const r = pack(); // builds in the repository, from its own files
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("verifying: the source archive rebuilds the Firefox package");
  });

  it("writes nothing and names the untracked file when the build needs one git does not track", () => {
    rmSync(join(repo, "pk"), { recursive: true, force: true });
    expect(git("rm", "-q", "--cached", "src/panel/App.tsx").status).toBe(0);
    const r = pack("--no-build"); // the builds of the test above
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("package: the Firefox build fails in the unpacked source archive");
    expect(r.stderr).toMatch(
      /git does not track 1 file\(s\) that the build may need \(git add them\):\n {2}src\/panel\/App\.tsx/,
    );
    expect(r.stderr).toContain("package: nothing written");
    expect(readdirSync(repo)).not.toContain("pk");
  });
});
