// Child process of bench/import.ts: runs the CLI's `analyze` in-process on one file (output
// discarded) and prints the import's figures and this process's peak RSS as one JSON line on
// stderr, so the benchmark measures the real CLI, tsx loader included.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(join(here, "..", "src", "cli", "main.ts")).href);
const errors = [];
let out = "";
const code = await main(["analyze", process.argv[2], "--no-evidence"], {
  out: (s) => {
    out += s;
  },
  err: (s) => errors.length < 20 && errors.push(s),
  progress: () => {},
});
const kept = /(\d+) call stanzas?/.exec(out)?.[1];
process.stderr.write(
  `${JSON.stringify({ code, kept: kept === undefined ? null : Number(kept), maxRssKb: process.resourceUsage().maxRSS, errors })}\n`,
);
