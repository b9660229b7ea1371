#!/usr/bin/env node
/**
 * A bounded CPU burner, to run tests under load: ONE busy-loop process that keeps one core busy
 * for the given number of seconds, then exits by itself (exit code 0).
 *
 *   node scripts/load.mjs <seconds> [--cpu <n>] &
 *
 * - `<seconds>`: how long to burn, 1..3600 (required; there is no "forever").
 * - `--cpu <n>`: pin the process to core `n` (re-executes itself under `taskset -c n`; fails
 *   when `taskset` is missing). Without it the scheduler picks the core, which still takes one
 *   core's worth of time from the machine.
 *
 * It prints one line when it starts (`load: pid … burning 1 core for N s`) and one when it
 * stops, with how many busy milliseconds it got (to see how much of a core it really had).
 * SIGINT/SIGTERM stop it early (the default handlers; nothing to clean up). Never spawns more
 * than the one burner.
 */
import { spawnSync } from "node:child_process";

const MAX_SECONDS = 3600;

function usage(message) {
  console.error(`load: ${message}\nusage: node scripts/load.mjs <seconds 1..${MAX_SECONDS}> [--cpu <n>]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let seconds;
let cpu;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--cpu") cpu = args[++i];
  else if (seconds === undefined) seconds = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
const s = Number(seconds);
if (!Number.isFinite(s) || s < 1 || s > MAX_SECONDS)
  usage(`seconds must be 1..${MAX_SECONDS}, got ${seconds}`);
if (cpu !== undefined && !/^\d+$/.test(cpu)) usage(`--cpu needs a core number, got ${cpu}`);

if (cpu !== undefined && process.env.WACI_LOAD_PINNED !== "1") {
  // Pin by re-running this script under taskset; the child is the only burner.
  const r = spawnSync("taskset", ["-c", cpu, process.execPath, process.argv[1], String(s)], {
    stdio: "inherit",
    env: { ...process.env, WACI_LOAD_PINNED: "1" },
  });
  if (r.error) usage(`cannot pin with taskset: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

const start = process.hrtime.bigint();
const end = start + BigInt(Math.round(s * 1e9));
console.log(`load: pid ${process.pid} burning 1 core for ${s} s${cpu !== undefined ? ` on cpu ${cpu}` : ""}`);
let x = 0;
let now = start;
while (now < end) {
  // Some arithmetic between clock reads, so the loop is CPU work, not clock syscalls.
  for (let i = 0; i < 100_000; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  now = process.hrtime.bigint();
}
const cpuMs = Math.round(process.cpuUsage().user / 1000);
console.log(`load: pid ${process.pid} done after ${s} s (${cpuMs} ms of CPU, checksum ${x & 0xff})`);
