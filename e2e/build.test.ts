/**
 * Checks on the built extension that Chromium itself would otherwise reveal only as
 * "extension failed to load": content scripts must be valid UTF-8 text without Unicode
 * noncharacters (Chromium refuses them), and the page tap must not carry the XML parser;
 * the permissions are only those used (the debugger one optional, for deep capture); the
 * worker tap of deep capture is embedded in the background, never fetched.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST } from "./harness";

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
