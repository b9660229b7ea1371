/**
 * Worker-thread entry: runs the simulator core away from the caller's event loop (a test runner driving
 * Chromium through playwright-core can block its own loop for several milliseconds, which would skew
 * the server's ack timing). Log entries and stats are posted to the parent as they happen.
 * @module sim/lib/worker
 */
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { startCore } from "./core.mjs";

// Best effort: on Linux this renices only this thread (needs root or CAP_SYS_NICE; ignored otherwise), so
// the simulated server keeps its timing when the machine is shared with busy builds.
try {
  os.setPriority(0, -10);
} catch {
  // not permitted: keep the default priority
}
let core = null;
core = await startCore(workerData.options, {
  record: (entry) => parentPort.postMessage({ type: "log", entry, stats: core?.stats }),
});
parentPort.postMessage({ type: "started", port: core.port, options: core.options, stats: core.stats });
parentPort.on("message", async (msg) => {
  if (msg.type === "sync") parentPort.postMessage({ type: "synced", seq: msg.seq, stats: core.stats });
  else if (msg.type === "close") {
    await core.close();
    parentPort.postMessage({ type: "closed" });
    parentPort.close();
  }
});
