/**
 * Screenshot output of the panel end-to-end tests: PNGs go to `docs/screens/` (committed,
 * linked from the README), or to `$SCREENS_DIR`; `SCREENS=0` turns them off.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Locator, Page } from "playwright-core";

/** Where screenshots are written. */
export const SCREENS_DIR = process.env.SCREENS_DIR || resolve(import.meta.dirname, "../../docs/screens");

/**
 * Saves a PNG of the page (or of one element) as `<name>.png`.
 * @returns the file path, or `undefined` when screenshots are off.
 */
export async function shoot(target: Page | Locator, name: string): Promise<string | undefined> {
  if (process.env.SCREENS === "0") return undefined;
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await target.screenshot({ path, animations: "disabled" });
  return path;
}
