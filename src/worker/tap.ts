/**
 * The worker tap of deep capture: evaluated by the background (through `chrome.debugger`,
 * `Runtime.evaluate`) inside a dedicated worker of WhatsApp's page, either paused before the
 * worker's first script runs or, when deep capture was switched on later, in the running
 * worker. It installs the same tap core as the page (module taps, transport tap, dedupe; see
 * `src/tap/core.ts`) on `self` and hands its batches to the CDP binding
 * {@link WORKER_TAP_BINDING}, which the background added just before. Only call-related
 * stanzas leave the worker; everything else is counted by tag, as on the page.
 *
 * Built as a standalone IIFE string that the background embeds (vite.config.ts,
 * `workerTapSource`), so no code is fetched at run time.
 */

import { WORKER_TAP_BINDING } from "../shared/protocol/messages";
import { installTapCore, type TapScope } from "../tap/core";

const INSTALLED = Symbol.for("wa-call-inspector.worker-tap");

type WorkerScope = TapScope & {
  [INSTALLED]?: boolean;
  [WORKER_TAP_BINDING]?: unknown;
};

function install(scope: WorkerScope): void {
  const emit = scope[WORKER_TAP_BINDING];
  // The binding is ours: take it off the global before any of WhatsApp's code can see it.
  delete scope[WORKER_TAP_BINDING];
  if (typeof emit !== "function" || scope[INSTALLED]) return;
  scope[INSTALLED] = true;
  const send = emit as (json: string) => void;
  installTapCore(scope, { deliver: (json) => send(json), context: "worker" });
}

try {
  install(self as unknown as WorkerScope);
} catch {
  // The tap must never break the worker.
}
