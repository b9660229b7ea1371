#!/usr/bin/env node
/**
 * WA Web simulator server. `startSimulator()` runs the server core (`sim/lib/core.mjs`: HTTPS on
 * 127.0.0.1 with a self-signed web.whatsapp.com certificate, the page in every mode of
 * `sim/page/modes.js`, `/ws/chat`, the control API) in a worker thread by default, so the caller's event
 * loop cannot delay its acks; `inProcess: true` runs it in the calling thread.
 *
 * CLI: `node sim/server.mjs --port 8443 --ack-delay 150 [--ring MS] [--talk MS] [--chatter MS]
 * [--cert-dir DIR]` prints the port on stdout.
 * @module sim/server
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ORIGIN, startCore } from "./lib/core.mjs";

export { ORIGIN };

/**
 * @typedef {import("./lib/core.mjs").SimLogEntry} SimLogEntry
 * @typedef {import("./lib/core.mjs").SimulatorOptions & {inProcess?: boolean}} StartOptions
 */

/**
 * @typedef {object} Simulator
 * @property {number} port the local port (Chromium: `--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:<port>`)
 * @property {string} origin always "https://web.whatsapp.com"
 * @property {SimLogEntry[]} log every stanza the server sent ("out") or received ("in"), filled live
 * @property {object} stats connections, wsMessagesSent, splitMessages, coalescedMessages, compressedFrames,
 *   maxAckTimerLateMs, dictVersions (connections per header dictionary version), remappedFrames,
 *   remappedFramesChanged, drops, dropTimes, errors
 * @property {object} options effective timings, port and certDir
 * @property {() => Promise<void>} sync resolves once every log entry made so far is in `log`
 * @property {() => Promise<void>} close stops the server (idempotent)
 */

/**
 * Starts the simulator.
 * @param {StartOptions} [options] `{port = 0, ackDelayMs = 150, ringMs = 1500, talkMs = 1000,
 *   chatterMs = 250, certDir = "sim/.cert", inProcess = false}`
 * @returns {Promise<Simulator>}
 */
export async function startSimulator(options = {}) {
  const { inProcess = false, ...coreOptions } = options;
  if (inProcess) {
    const core = await startCore(coreOptions);
    return { ...core, sync: async () => {} };
  }
  const worker = new Worker(fileURLToPath(new URL("./lib/worker.mjs", import.meta.url)), {
    workerData: { options: coreOptions },
  });
  const log = [];
  const stats = { errors: [] };
  const waiting = new Map();
  let seq = 0;
  let closed = null;
  const started = new Promise((resolve, reject) => {
    worker.on("message", (msg) => {
      if (msg.stats) Object.assign(stats, msg.stats);
      if (msg.type === "log") log.push(msg.entry);
      else if (msg.type === "started") resolve(msg);
      else if (msg.type === "synced") {
        waiting.get(msg.seq)?.();
        waiting.delete(msg.seq);
      }
    });
    worker.once("error", (err) => {
      stats.errors.push(String(err?.stack ?? err));
      reject(err);
    });
    worker.once("exit", (code) => {
      for (const resolveWait of waiting.values()) resolveWait();
      waiting.clear();
      if (code !== 0) reject(new Error(`simulator worker exited with ${code}`));
    });
  });
  const info = await started;
  return {
    port: info.port,
    origin: ORIGIN,
    log,
    stats,
    options: info.options,
    sync() {
      if (closed) return Promise.resolve();
      return new Promise((resolve) => {
        seq += 1;
        waiting.set(seq, resolve);
        worker.postMessage({ type: "sync", seq });
      });
    },
    close() {
      closed ??= new Promise((resolve) => {
        worker.once("exit", () => resolve());
        worker.postMessage({ type: "close" });
      });
      return closed;
    },
  };
}

/**
 * Parses `--port N --ack-delay MS --ring MS --talk MS --chatter MS --cert-dir DIR`.
 * @param {string[]} argv
 * @returns {import("./lib/core.mjs").SimulatorOptions}
 */
export function parseArgs(argv) {
  const names = {
    "--port": "port",
    "--ack-delay": "ackDelayMs",
    "--ring": "ringMs",
    "--talk": "talkMs",
    "--chatter": "chatterMs",
    "--cert-dir": "certDir",
  };
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const key = names[flag];
    if (!key) throw new Error(`unknown option ${argv[i]}`);
    const value = inline ?? argv[++i];
    out[key] = key === "certDir" ? value : Number(value);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sim = await startCore(parseArgs(process.argv.slice(2)));
  console.log(sim.port);
  console.error(
    `WA Web simulator on 127.0.0.1:${sim.port}: launch Chromium with ` +
      `--host-resolver-rules="MAP web.whatsapp.com 127.0.0.1:${sim.port}, MAP * ~NOTFOUND" ` +
      `--ignore-certificate-errors and open ${ORIGIN}/`,
  );
  const stop = () => sim.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
