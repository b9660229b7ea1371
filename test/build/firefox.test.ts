/** The Firefox manifest transform and the icons of both builds (build/firefox.ts, build/icons.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firefoxManifest, GECKO_ID, GECKO_MIN_VERSION } from "../../build/firefox";
import { ICON_SIZES, iconPath, renderPng } from "../../build/icons";
import manifest from "../../manifest.json" with { type: "json" };

describe("firefoxManifest", () => {
  const firefox = firefoxManifest(manifest);

  it("runs the background as event-page scripts instead of a service worker", () => {
    expect(firefox.background).toEqual({ scripts: [manifest.background.service_worker], type: "module" });
  });

  it("names the add-on, its minimum Firefox and that no data is collected", () => {
    expect(firefox.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: "140.0",
        data_collection_permissions: { required: ["none"] },
      },
    });
    expect(GECKO_MIN_VERSION).toBe("140.0");
    // Firefox's id syntax: an email-like string (or a GUID).
    expect(GECKO_ID).toMatch(/^[a-zA-Z0-9-._]*@[a-zA-Z0-9-._]+$/);
  });

  it("drops the debugger permission and the Chrome version, and changes nothing else", () => {
    expect(firefox).not.toHaveProperty("optional_permissions");
    expect(firefox).not.toHaveProperty("minimum_chrome_version");
    const { background: _b, browser_specific_settings: _s, ...rest } = firefox;
    const {
      background: _cb,
      optional_permissions: _o,
      minimum_chrome_version: _m,
      ...chromeRest
    } = manifest as typeof manifest & Record<string, unknown>;
    expect(rest).toEqual(chromeRest);
    // The Chrome manifest itself is untouched.
    expect(manifest.optional_permissions).toEqual(["debugger"]);
    expect(manifest.background).toEqual({ service_worker: "src/background/index.ts", type: "module" });
  });

  it("keeps other optional permissions", () => {
    const out = firefoxManifest({
      optional_permissions: ["debugger", "tabs"],
      background: { scripts: ["a.js"] },
    });
    expect(out.optional_permissions).toEqual(["tabs"]);
    expect(out.background).toEqual({ scripts: ["a.js"] });
  });
});

describe("icons", () => {
  it("the manifest names the rendered icon of every size", () => {
    expect(manifest.icons).toEqual(Object.fromEntries(ICON_SIZES.map((s) => [String(s), iconPath(s)])));
  });

  it("renders the SVG sources to PNGs of the asked size", () => {
    for (const [file, size] of [
      ["assets/icon.svg", 16],
      ["assets/icon.svg", 128],
      ["assets/icon-panel.svg", 32],
    ] as const) {
      const png = renderPng(readFileSync(file), size);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});
