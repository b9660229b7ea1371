/**
 * Checks on the built extension that Chromium itself would otherwise reveal only as
 * "extension failed to load": content scripts must be valid UTF-8 text without Unicode
 * noncharacters (Chromium refuses them), and the page tap must not carry the XML parser.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST } from "./harness";

const manifest = JSON.parse(readFileSync(join(DIST, "manifest.json"), "utf8")) as {
  content_scripts: { js: string[]; world?: string }[];
  permissions?: string[];
  host_permissions?: string[];
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

  it("asks for no permission beyond storage and no host permission", () => {
    expect(manifest.permissions ?? []).toEqual(["storage"]);
    expect(manifest.host_permissions ?? []).toEqual([]);
  });
});
