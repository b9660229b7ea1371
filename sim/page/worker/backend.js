/**
 * The backend worker's script (legacy: `/worker/backend.js?worker_type=backend&__spin_r=…&session=…&<modes>`),
 * started by WAWebStartBackendWorker as `new Worker(url, {name: "WAWebBackendWorker-1", type: "module"})`
 * when the page runs with `?comms=worker`. In the 2026 profile the worker's URL is
 * `/static_resources/webworker_v4/init_script/?worker_type=MODULE|CLASSIC&…`, whose script (made by
 * sim/lib/assets.mjs) imports this module (MODULE), or first loads the stub, runtime and bundles with
 * `importScripts` and then imports this module with `?preloaded=1` (CLASSIC).
 *
 * It loads the same module runtime and bundles as the page (runtime.js runs on `self` here), or, with
 * `modules=hidden`, the same closure bundle; registers the bridge for the page's token dictionary; and
 * hands over to WAWebBackendWorkerBootstrap, which runs the init handshake and the `comms.*` handlers.
 * Nothing runs before the bundles, so a tap installed in the worker before its script (a debugger's
 * `Runtime.evaluate` while it waits to start) meets the runtime's boot like a page tap does.
 * @module sim/page/worker/backend
 */
import * as bridge from "/vendor/whatsapp-rust-bridge.js";
import { dictCodec } from "../dict.js";
import "./pristine.js";
import {
  bundleNames,
  bundleQuery,
  codecModuleName,
  modesQuery,
  PRE_RUNTIME_BUNDLES,
  parseModes,
} from "../modes.js";
import { DEFAULT_TIMING, warmUpCodec } from "../shared.js";
import { defineSimModules, forwardBus, startSecondSocketAfterPrimary, TIMING_KEYS } from "../sim-modules.js";

const params = new URLSearchParams(self.location.search);
const modes = parseModes(params);

/** A classic worker's init script has already loaded the stub, the runtime and the bundles. */
const preloaded = new URL(import.meta.url).searchParams.has("preloaded");

async function loadRuntime() {
  if (modes.modules === "hidden") return (await import(`/bundles/hidden.js?${modesQuery(modes)}`)).runtime;
  if (!preloaded) {
    const q = bundleQuery(modes) ? `?${bundleQuery(modes)}` : "";
    const names = bundleNames(modes);
    await import("./stub.js");
    for (const name of names) if (PRE_RUNTIME_BUNDLES.includes(name)) await import(`/bundles/${name}.js${q}`);
    await import("/runtime.js");
    for (const name of names)
      if (!PRE_RUNTIME_BUNDLES.includes(name)) await import(`/bundles/${name}.js${q}`);
  }
  return { __d: self.__d, require: self.require, importNamespace: self.importNamespace };
}

async function start() {
  const rt = await loadRuntime();
  const session = params.get("session") ?? "";
  const serverConfig = await fetch("/sim/config").then((r) => r.json());
  const timing = { ...DEFAULT_TIMING };
  const overrides = {};
  for (const k of TIMING_KEYS) {
    if (serverConfig[k] != null) timing[k] = Number(serverConfig[k]);
    if (params.has(k) && Number.isFinite(Number(params.get(k)))) {
      timing[k] = Number(params.get(k));
      overrides[k] = timing[k];
    }
  }
  const codec = dictCodec(modes.dictVersion, bridge);
  const config = {
    ...modes,
    ...timing,
    session,
    context: "worker",
    bundleQuery: bundleQuery(modes),
    codecModule: codecModuleName(modes),
  };
  defineSimModules(rt.__d, { codec, config });
  warmUpCodec(codec);
  forwardBus(rt, session, "worker");
  rt.importNamespace("WAWebClientPayload").setSimInfo({ session, overrides });
  if (modes.sockets === 2) startSecondSocketAfterPrimary(rt, timing);
  rt.importNamespace("WAWebBackendWorkerBootstrap").startWorker();
}

start().catch((err) => {
  console.error("[sim worker] start failed", err);
  self.postMessage({ type: "worker_setup", message: "worker_failed", error: String(err?.message ?? err) });
});
