/**
 * Import benchmark: how fast the CLI reads big library logs, and with how much memory, beside
 * `jq` and `grep -c` on the same files in the same run.
 *
 * Method:
 * 1. Generate (or reuse, from the OS temp directory) a Baileys pino NDJSON log of `--mb` MB
 *    (default 1024) and a whatsmeow stdout log of a quarter of that, with one call every
 *    5,000 lines among message traffic: 4 call stanzas per call, so one call-stanza line
 *    in ~1,250, denser than the 1 in 5,000 the issue asks for (bench/import-log.ts).
 * 2. For each log, run `wa-call-inspector analyze <log> --no-evidence` in a child process
 *    (bench/import-run.mjs: the real CLI, tsx loader included) and time it from spawn to exit;
 *    peak RSS is the child's own `maxRSS`. The number of call stanzas it kept must equal the
 *    number written, or the run fails.
 * 3. On the same file: `grep -c call` and, for the JSON log, `jq -c 'select(.xml? // "" |
 *    contains("call"))'` (the one-liner a user would write to pull call stanzas out), timed the
 *    same way; their peak RSS comes from `/usr/bin/time -f %M` when it exists.
 * Each command runs `--runs` times (default 3); the fastest run counts (the least disturbed).
 * The page cache is warmed by one untimed `grep` first, so every reader sees cached data.
 *
 * Usage: `npm run bench:import -- [--mb <n>] [--runs <n>] [--quick]` (`--quick`: 64 MB, 1 run).
 * Targets: ≥ 150 MB/s on the Baileys log (about 5× jq), peak RSS < 300 MB at any size.
 * The last line is `RESULT import_mb_per_s=<n> peak_rss_mb=<n> vs_jq=<ratio> vs_grep=<ratio>`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneratedLog, writeBaileysLog, writeWhatsmeowLog } from "./import-log";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const MB = Number(argValue("--mb") ?? (quick ? 64 : 1024));
const RUNS = Number(argValue("--runs") ?? (quick ? 1 : 3));
/** Bump when the generator changes, so that cached logs are regenerated. */
const GENERATOR_VERSION = 1;
const dir = join(tmpdir(), "wa-call-inspector-bench");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

interface Run {
  ms: number;
  rssMb?: number;
  detail?: string;
}

/** A generated log, reused when the cached copy was made by this generator for this size. */
function log(kind: "baileys" | "whatsmeow", mb: number): { path: string; meta: GeneratedLog } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${kind}-${mb}mb-v${GENERATOR_VERSION}.log`);
  const metaPath = `${path}.json`;
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as GeneratedLog;
    if (statSync(path).size === meta.bytes) return { path, meta };
  }
  const t0 = Date.now();
  const meta = (kind === "baileys" ? writeBaileysLog : writeWhatsmeowLog)(path, mb * 1e6);
  writeFileSync(metaPath, JSON.stringify(meta));
  console.log(`generated ${path}: ${(meta.bytes / 1e6).toFixed(0)} MB in ${Date.now() - t0} ms`);
  return { path, meta };
}

/** Runs a command once, timed from spawn to exit; stdout read and dropped, stderr kept. */
function timed(cmd: string, argv: string[]): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // stdout is a pipe that is read and dropped: GNU grep stops at the first match when its
    // output is /dev/null, which would time nothing.
    const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.resume();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

/** Our CLI on `path`: fastest of RUNS; fails when it did not keep `expected` call stanzas. */
async function ours(path: string, expected: number): Promise<Run> {
  let best: Run | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(process.execPath, [join(import.meta.dirname, "import-run.mjs"), path]);
    const last = r.stderr.trim().split("\n").pop() ?? "";
    let res: { code: number; kept: number | null; maxRssKb: number; errors: string[] };
    try {
      res = JSON.parse(last);
    } catch {
      throw new Error(`CLI run failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    }
    if (res.code !== 0 || res.kept !== expected)
      throw new Error(
        `CLI kept ${res.kept} call stanzas of ${expected} (exit ${res.code}): ${res.errors.join("; ")}`,
      );
    const run = { ms: r.ms, rssMb: res.maxRssKb / 1024, detail: `${res.kept} call stanzas` };
    if (!best || run.ms < best.ms) best = run;
  }
  return best as Run;
}

/** A peer command on `path`: fastest of RUNS, with peak RSS through /usr/bin/time when present. */
async function peer(cmd: string, argv: string[]): Promise<Run | undefined> {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) return undefined;
  let best: Run | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = TIME ? await timed(TIME, ["-f", "RSS %M", cmd, ...argv]) : await timed(cmd, argv);
    const rss = /RSS (\d+)\s*$/.exec(r.stderr);
    const run = { ms: r.ms, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
    if (!best || run.ms < best.ms) best = run;
  }
  return best;
}

const mbps = (bytes: number, r: Run) => bytes / 1e6 / (r.ms / 1000);
const fmt = (bytes: number, name: string, r: Run | undefined) =>
  r
    ? `  ${name.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${mbps(bytes, r).toFixed(0).padStart(6)} MB/s  peak RSS ${r.rssMb === undefined ? "?" : r.rssMb.toFixed(0)} MB${r.detail ? `  (${r.detail})` : ""}`
    : `  ${name.padEnd(22)} not installed`;

async function main(): Promise<void> {
  const baileys = log("baileys", MB);
  const meow = log("whatsmeow", Math.max(16, Math.round(MB / 4)));
  console.log(`runs per command: ${RUNS} (fastest counts)\n`);

  const results: Record<string, { bytes: number; ours: Run; jq?: Run; grep?: Run }> = {};
  for (const [name, l, json] of [
    ["Baileys pino NDJSON", baileys, true],
    ["whatsmeow stdout", meow, false],
  ] as const) {
    await timed("grep", ["-c", "call", l.path]); // warm the page cache
    const bytes = l.meta.bytes;
    console.log(
      `${name}: ${(bytes / 1e6).toFixed(0)} MB, ${l.meta.lines} lines, ${l.meta.callStanzas} call stanzas`,
    );
    const o = await ours(l.path, l.meta.callStanzas);
    console.log(fmt(bytes, "wa-call-inspector", o));
    const g = await peer("grep", ["-c", "call", l.path]);
    console.log(fmt(bytes, "grep -c call", g));
    const j = json ? await peer("jq", ["-c", 'select(.xml? // "" | contains("call"))', l.path]) : undefined;
    if (json) console.log(fmt(bytes, "jq select(call)", j));
    results[name] = { bytes, ours: o, jq: j, grep: g };
    console.log("");
  }
  const b = results["Baileys pino NDJSON"];
  const rate = mbps(b.bytes, b.ours);
  const peak = Math.max(...Object.values(results).map((r) => r.ours.rssMb ?? 0));
  const ratio = (p: Run | undefined) => (p ? (rate / mbps(b.bytes, p)).toFixed(2) : "na");
  console.log(
    `RESULT import_mb_per_s=${rate.toFixed(0)} peak_rss_mb=${peak.toFixed(0)} vs_jq=${ratio(b.jq)} vs_grep=${ratio(b.grep)}`,
  );
}

await main();
