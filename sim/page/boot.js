/**
 * Boot module (type="module", runs after the classic bundles): reads the page's modes
 * (sim/page/modes.js), loads whatsapp-rust-bridge (its inline WASM compiles synchronously; the simulator
 * page has no CSP), registers it wrapped for the page's token dictionary as "WASimWapBackend", defines
 * "WASimConfig", then starts the simulated app.
 *
 * With `?modules=hidden` the page has no classic bundles: the runtime and the same bundles come as one
 * ES module (`/bundles/hidden.js`) whose registry never reaches a global.
 * @module sim/page/boot
 */
import * as bridge from "/vendor/whatsapp-rust-bridge.js";
import { startApp } from "./app.js";
import { dictCodec } from "./dict.js";
import { bundleQuery, codecModuleName, modesQuery, parseModes } from "./modes.js";
import { warmUpCodec } from "./shared.js";
import { defineSimModules } from "./sim-modules.js";

const modes = parseModes(location.search);

async function boot() {
  let rt;
  if (modes.modules === "hidden") {
    rt = (await import(`/bundles/hidden.js?${modesQuery(modes)}`)).runtime;
  } else {
    rt = { __d: window.__d, require: window.require, importNamespace: window.importNamespace };
  }
  const codec = dictCodec(modes.dictVersion, bridge);
  const config = {
    ...modes,
    context: "page",
    bundleQuery: bundleQuery(modes),
    codecModule: codecModuleName(modes),
  };
  defineSimModules(rt.__d, { codec, config });
  warmUpCodec(codec);
  await startApp({ rt, codec, modes, config });
}

boot().catch((err) => {
  console.error("[sim] boot failed", err);
  const el = document.getElementById("state");
  if (el) el.textContent = `boot failed: ${err?.message ?? err}`;
});
