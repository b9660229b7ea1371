/**
 * Boot module (type="module", runs after the classic bundles): loads whatsapp-rust-bridge (its inline
 * WASM compiles synchronously; the simulator page has no CSP), registers it as the codec backend
 * module "WASimWapBackend", then starts the simulated app.
 * @module sim/page/boot
 */
import { decodeNode, encodeNode } from "/vendor/whatsapp-rust-bridge.js";
import { startApp } from "./app.js";
import { warmUpCodec } from "./shared.js";

window.__d(
  "WASimWapBackend",
  [],
  (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    exports.encodeNode = encodeNode;
    exports.decodeNode = decodeNode;
  },
  66,
);

warmUpCodec({ encodeNode, decodeNode });
startApp({ encodeNode }).catch((err) => {
  console.error("[sim] boot failed", err);
  const el = document.getElementById("state");
  if (el) el.textContent = `boot failed: ${err?.message ?? err}`;
});
