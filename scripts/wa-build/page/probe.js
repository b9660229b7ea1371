/*
 * Page-side probe of the compatibility check (evaluated by scripts/wa-build/run.ts after the run,
 * after the footprint was read): which of the loaded module names the page's registry holds and
 * which ran, how many simulator definitions the runtime ignored, and exports that only WhatsApp's
 * modules have. An expression: a function of the loaded names.
 */
(names) => {
  let map = {};
  let dupCount;
  try {
    const debug = window.require("__debug");
    map = debug.modulesMap;
    dupCount = debug.getDupCount();
  } catch {
    // no registry on this page
  }
  const modules = names.map((name) => {
    const def = map[name];
    return { name, registered: def != null && def.factory !== undefined, ran: Boolean(def?.factoryFinished) };
  });
  const exportsOf = (name) => {
    try {
      return map[name]?.factoryFinished ? (window.require(name) ?? {}) : {};
    } catch {
      return {};
    }
  };
  const fn = (v) => typeof v === "function";
  const wapDeps = (map.WAWap?.dependencies ?? []).map((d) => d.id);
  const probes = {
    "WAComms is WhatsApp's (singletonOrThrowIfUninitialized)": fn(
      exportsOf("WAComms").singletonOrThrowIfUninitialized,
    ),
    "WAFrameSocket is WhatsApp's (SocketClosed)": fn(exportsOf("WAFrameSocket").SocketClosed),
    "WANoiseSocket is WhatsApp's (sendFrameAsync)": fn(
      exportsOf("WANoiseSocket").NoiseSocket?.prototype?.sendFrameAsync,
    ),
    "WAWap is WhatsApp's (depends on WABinary, not on the simulator's codec)":
      wapDeps.includes("WABinary") && !wapDeps.includes("WASimWapBackend"),
    "the chat socket ran WhatsApp's handshake (WAOpenChatSocket ran)": Boolean(
      map.WAOpenChatSocket?.factoryFinished,
    ),
  };
  return { modules, dupCount, probes, build: window.Debug?.VERSION };
};
