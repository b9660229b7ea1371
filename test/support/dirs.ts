/**
 * Where the tests find the data they read but never copy: the wacrg corpus snapshot
 * (`WACRG_DIR`, default `../shared/wacrg`) and the research notes (`RESEARCH_DIR`, default
 * `../shared/research`), both beside the checkout. Relative values are taken from the
 * project root (where vitest runs), so a test's own folder never changes the answer.
 */
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Absolute path of a directory from an environment variable, or of `fallback` beside the checkout. */
function dir(variable: string | undefined, fallback: string): string {
  return path.resolve(ROOT, variable ?? fallback);
}

/** The wacrg data snapshot (CI sets `WACRG_DIR=../shared/wacrg`). */
export const WACRG_DIR = dir(process.env.WACRG_DIR, "../shared/wacrg");

/** The research notes (`RESEARCH_DIR`, default `../shared/research`). */
export const RESEARCH_DIR = dir(process.env.RESEARCH_DIR, "../shared/research");
