#!/usr/bin/env node
// Runs the TypeScript CLI (src/cli/main.ts) from a checkout through tsx's ESM loader, so
// `npx wa-call-inspector …` works after `npm install` without a build step.
// Exit codes: see src/cli/main.ts (0 ok, 1 usage, 2 input, 3 leak, 4 partial with --strict).
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(join(here, "..", "src", "cli", "main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
