/*
 * The 2026 profile's early bundle (wa-web-2026.md), loaded only when the page is not `?wa=legacy`,
 * right after early.js and BEFORE runtime.js: its `__d` and `requireLazy` calls go to the inline stub
 * and are replayed by the runtime. On the page and in the backend worker. It holds:
 *
 * - `Env` (`clear_js_factory_after_used`) and the gatekeeper look-alikes `gkx`, `qex` and `justknobx`
 *   (values from the page's modes);
 * - `Bootloader`: fetches the on-demand bundles (`voip` when the first call starts, `late` some
 *   10-30 s after boot) and resolves once their modules are registered;
 * - `WAWebIsOfficialClient` (eager): turns `window.webpackChunkwhatsapp_web_client` into a getter
 *   that records every read with its stack (§4);
 * - `WAWebExternalInjectedSources`: the scan of the document for `chrome-extension://` sources (§4);
 * - `WAWebCommsHandleStanzaUtils.isCallReceipt`, and the backend worker's own stanza handling
 *   (`WAWebCommsHandleWorkerCompatibleStanza`, `WAWebWorkerHandleStanza`: call receipts and call
 *   placeholders stay in the worker, §3);
 * - simulator-only: `WASimFootprint` (the detection counters of `__sim.footprint()`) and
 *   `WASimVoipEngineHost` (the engine's side of the VoIP stack interface, and the echo counters of
 *   `__sim.echoes()`).
 */
__d(
  "Env",
  [],
  (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    // The build's environment flags that matter here (wa-web-2026.md §2): the runtime clears every
    // factory after it ran (sim/page/runtime.js reads the profile from the URL, not from here).
    exports.clear_js_factory_after_used = true;
  },
  66,
);

__d(
  "gkx",
  ["WASimConfig"],
  (_global, _require, _requireDynamic, _requireLazy, module, _exports) => {
    /** Gatekeeper values of this session: 18966 = comms in the worker (gate=gkx), 26258 = true. */
    module.exports = function gkx(id) {
      const cfg = _require("WASimConfig");
      switch (String(id)) {
        case "18966":
          return cfg.comms === "worker" && cfg.gate !== "qex";
        case "26258":
          return true;
        default:
          return false;
      }
    };
  },
  66,
);

__d(
  "qex",
  ["WASimConfig"],
  (_global, require, _requireDynamic, _requireLazy, _module, exports) => {
    /** QEX parameter values of this session: 5241 = where comms runs ("worker_hrp" with gate=qex). */
    exports._ = (id) => {
      const cfg = require("WASimConfig");
      if (String(id) === "5241")
        return cfg.comms === "worker" && cfg.gate === "qex" ? "worker_hrp" : "main_thread";
      return null;
    };
  },
  66,
);

__d(
  "justknobx",
  [],
  (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    /** Knob values: 360 (relay IP overrides for the VoIP engine) is on. */
    exports._ = (id) => String(id) === "360";
  },
  66,
);

__d(
  "Bootloader",
  ["WASimConfig", "WASimBus"],
  (global, _require, _importDefault, importNamespace, requireLazy, _module, exports) => {
    /** Which on-demand bundle registers a module. */
    const BUNDLE_OF = {
      WAWebVoipIncomingSignaling: "voip",
      WAWebVoipSendSignalingXmpp: "voip",
      WAWebVoipStackInterface: "voip",
      WAWebVoipStackInterfaceWorkerProxy: "voip",
      WAWebVoipRelayOverrides: "voip",
      WAWebHandleVoipCallReceipt: "voip",
      WAWebStickerPackCollection: "late",
      WAWebPollVoteTally: "late",
      WAWebNewsletterDirectoryCache: "late",
    };
    const loading = new Map();
    const now = () => global.performance.timeOrigin + global.performance.now();

    /** Fetches one bundle into this context's registry, as WA's Bootloader would: a script element on
     * the page, `import()` in a module worker, `importScripts` in a classic worker, and in the hidden
     * closure a module whose default export registers the definitions with the closure's `__d`. */
    function fetchBundle(name) {
      const cfg = importNamespace("WASimConfig");
      const query = cfg.bundleQuery ? `?${cfg.bundleQuery}` : "";
      if (typeof __WASIM_HIDDEN_RUNTIME__ !== "undefined") {
        const q = new global.URLSearchParams(cfg.bundleQuery ?? "");
        q.set("name", name);
        return import(`/bundles/hidden-ondemand.js?${q}`).then((m) => m.default(__d));
      }
      const url = `/bundles/${name}.js${query}`;
      if (cfg.context === "worker") {
        if (cfg.worker === "classic") {
          global.importScripts(url);
          return Promise.resolve();
        }
        return import(url);
      }
      return new Promise((resolve, reject) => {
        const script = global.document.createElement("script");
        script.src = url;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`Bootloader: ${url} failed to load`));
        global.document.head.append(script);
      });
    }

    /** @returns {Promise<void>} once the bundle's definitions are registered (fetched once). */
    function loadBundle(name) {
      if (!loading.has(name)) {
        const startedAt = now();
        loading.set(
          name,
          fetchBundle(name).then(() => {
            importNamespace("WASimBus").emit("bundle", {
              name,
              requestedAt: startedAt,
              t: now(),
              ctx: importNamespace("WASimConfig").context,
            });
          }),
        );
      }
      return loading.get(name);
    }

    /** Loads whatever bundles define `names`, then resolves with their modules (requireLazy). */
    function loadModules(names, callback) {
      const bundles = new Set(names.map((n) => BUNDLE_OF[n]).filter(Boolean));
      return Promise.all([...bundles].map(loadBundle)).then(
        () =>
          new Promise((resolve) => {
            requireLazy(names, (...mods) => {
              callback?.(...mods);
              resolve(mods);
            });
          }),
      );
    }
    exports.loadModules = loadModules;
    exports.loadBundle = loadBundle;
    exports.isLoaded = (name) => loading.has(name);
  },
  98,
);

__d(
  "WASimFootprint",
  [],
  (global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    // Simulator-only: what WA Web's own detection would notice (wa-web-2026.md §4), read by
    // `__sim.footprint()` and compared between a run with and without the extension.
    const pristine = global[Symbol.for("WASim.pristine")] ?? {};
    const NativeError = pristine.Error ?? global.Error;
    const fnToString = pristine.fnToString ?? global.Function.prototype.toString;
    const state = { honeypotReads: 0, honeypotStacks: [], extensionNodes: [] };
    const seen = new WeakSet();
    const MARK = "chrome-extension://";

    const isNative = (fn) => {
      try {
        return typeof fn === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(fnToString.call(fn));
      } catch {
        return false;
      }
    };

    function recordHoneypotRead() {
      state.honeypotReads++;
      state.honeypotStacks.push(String(new NativeError("honeypot read").stack ?? ""));
    }

    function inspect(el) {
      if (el == null || el.nodeType !== 1 || seen.has(el)) return;
      const tag = el.tagName.toLowerCase();
      if (tag !== "script" && tag !== "link" && tag !== "style") return;
      const src = tag === "script" ? el.getAttribute("src") : tag === "link" ? el.getAttribute("href") : null;
      const text = tag === "link" ? "" : (el.textContent ?? "");
      if (!(src ?? "").includes(MARK) && !text.includes(MARK)) return;
      seen.add(el);
      state.extensionNodes.push(src ? `${tag} ${src}` : `${tag} text: ${text.trim().slice(0, 160)}`);
    }

    /** Records every script, link or style element of the document that mentions chrome-extension://. */
    function scanDocument() {
      if (typeof global.document === "undefined") return;
      for (const el of global.document.querySelectorAll("script, link, style")) inspect(el);
    }

    // Also every such node added at any time, even if it is removed again before the next scan.
    if (typeof global.MutationObserver === "function" && typeof global.document !== "undefined") {
      new global.MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            inspect(n);
            if (n.nodeType === 1 && n.querySelectorAll)
              for (const el of n.querySelectorAll("script, link, style")) inspect(el);
          }
        }
      }).observe(global.document, { childList: true, subtree: true });
    }

    /** @param {{moduleErrors?: string[], factoryReads?: number}} runtime the runtime's counters */
    function snapshot(runtime = {}) {
      scanDocument();
      return {
        honeypotReads: state.honeypotReads,
        honeypotStacks: [...state.honeypotStacks],
        extensionNodes: [...state.extensionNodes],
        moduleErrors: [...(runtime.moduleErrors ?? [])],
        factoryReads: runtime.factoryReads ?? 0,
        errorOverridden: global.Error !== NativeError || !isNative(global.Error),
        toStringOverridden:
          global.Function.prototype.toString !== fnToString || !isNative(global.Function.prototype.toString),
      };
    }
    exports.recordHoneypotRead = recordHoneypotRead;
    exports.scanDocument = scanDocument;
    exports.snapshot = snapshot;
  },
  66,
);

__d(
  "WAWebIsOfficialClient",
  ["WASimFootprint"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Eager: runs as soon as the runtime replays it. Like WhatsApp's, it keeps the chunk array and
    // serves it through a getter; every read is recorded with its stack (a tap must never read it).
    const NAME = "webpackChunkwhatsapp_web_client";
    const official = !(
      global.navigator?.webdriver || /HeadlessChrome/.test(global.navigator?.userAgent ?? "")
    );
    let isOfficial = official;
    if (typeof global.window !== "undefined") {
      if (!(NAME in global)) global[NAME] = [];
      const chunks = global[NAME];
      Object.defineProperty(global, NAME, {
        get() {
          importNamespace("WASimFootprint").recordHoneypotRead();
          isOfficial = false;
          return chunks;
        },
      });
    }
    exports.isOfficialClient = official;
    exports.getIsOfficialClient = () => isOfficial;
  },
  99,
);

__d(
  "WAWebExternalInjectedSources",
  ["WASimFootprint"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Scans the document's scripts and links for extension URLs (run at boot and at each call). */
    function collect() {
      importNamespace("WASimFootprint").scanDocument();
      const ids = new Set();
      for (const el of global.document.querySelectorAll("script[src], link[href]")) {
        const m = String(el.src || el.href).match(/chrome-extension:\/\/([a-z0-9]+)\//i);
        if (m) ids.add(m[1]);
      }
      return { extensionIds: [...ids].join(",") };
    }
    exports.default = collect;
  },
  98,
);

__d(
  "WASimVoipEngineHost",
  [],
  (global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    // Simulator-only: the engine's end of the VoIP stack interface (WhatsApp's WebAssembly engine), and
    // the counters of `__sim.echoes()`. On the page the engine (sim/page/engine.js) registers itself;
    // in the backend worker the messages are forwarded to the page's engine.
    let engine = null;
    let forwarder = null;
    const stats = { encodes: 0, byTag: {}, payloadDecodes: 0, worker: { encodes: 0, byTag: {} } };
    /** Every echo seen here (page-made, and worker-made ones forwarded to the page), oldest first. */
    const entries = [];
    const MAX_ENTRIES = 5000;
    const now = () => global.performance.timeOrigin + global.performance.now();
    const str = (v) => (v == null ? null : String(v));
    /** `{tag, id, class, type, callId}` of an echoed node (the call-id of its first child, if any). */
    const describe = (node) => {
      const a = node?.attrs ?? {};
      const kid = Array.isArray(node?.content) ? node.content[0] : null;
      return {
        tag: node?.tag,
        id: str(a.id),
        class: str(a.class),
        type: str(a.type),
        callId: str(kid?.attrs?.["call-id"]),
      };
    };
    const record = (entry) => {
      entries.push(entry);
      if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
    };
    exports.describe = describe;
    exports.setEngine = (fn) => {
      engine = fn;
    };
    exports.setForwarder = (fn) => {
      forwarder = fn;
    };
    /**
     * One echo: the stack interface of this context re-encoded `node` with the codec (never sent).
     * @param {{tag: string, attrs?: object, content?: unknown}} node
     * @param {string} method the stack-interface call, e.g. handleIncomingSignalingAck
     */
    exports.countEcho = (node, method) => {
      stats.encodes++;
      stats.byTag[node.tag] = (stats.byTag[node.tag] ?? 0) + 1;
      record({ ctx: "page", method, ...describe(node), t: now() });
    };
    /** One engine payload decoded by WAWebVoipSendSignalingXmpp (decodeStanza with identity inflate). */
    exports.countPayloadDecode = () => {
      stats.payloadDecodes++;
    };
    /**
     * Delivers a stack-interface call (`{b64Stanza, peerJid, tag, ...}`) to the engine.
     * @param {string} method
     * @param {object} payload
     * @param {"page"|"worker"} [from] where the echo was made
     */
    exports.deliver = (method, payload, from = "page") => {
      if (from === "worker") {
        stats.worker.encodes++;
        stats.worker.byTag[payload.tag] = (stats.worker.byTag[payload.tag] ?? 0) + 1;
        record({ ctx: "worker", method, ...(payload.echo ?? { tag: payload.tag }), t: now() });
      }
      if (engine) return engine(method, payload);
      if (forwarder) return forwarder(method, payload);
      return undefined;
    };
    exports.stats = () => ({
      encodes: stats.encodes,
      byTag: { ...stats.byTag },
      payloadDecodes: stats.payloadDecodes,
      worker: { encodes: stats.worker.encodes, byTag: { ...stats.worker.byTag } },
      entries: entries.map((e) => ({ ...e })),
    });
  },
  66,
);

__d(
  "WAWebCommsHandleStanzaUtils",
  [],
  (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    /** A `<receipt>` whose first child is offer, accept or reject. */
    exports.isCallReceipt = (node) =>
      Array.isArray(node?.content) &&
      node.content.length > 0 &&
      ["offer", "accept", "reject"].includes(node.content[0].tag);
  },
  66,
);

__d(
  "WAWebCommsHandleWorkerCompatibleStanza",
  ["WAWebCommsHandleStanzaUtils"],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Stanzas either context can handle itself; here, call receipts. Null when not one of them. */
    function handleWorkerCompatibleStanza(node) {
      if (node.tag === "receipt" && importNamespace("WAWebCommsHandleStanzaUtils").isCallReceipt(node)) {
        return require("Bootloader")
          .loadModules(["WAWebHandleVoipCallReceipt"])
          .then(() => importNamespace("WAWebHandleVoipCallReceipt").handleCallReceipt(node));
      }
      return null;
    }
    exports.handleWorkerCompatibleStanza = handleWorkerCompatibleStanza;
  },
  98,
);

__d(
  "WAWebWorkerHandleStanza",
  ["WAWebCommsHandleWorkerCompatibleStanza"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /**
     * The backend worker's own handling, before anything is forwarded to the page: call receipts
     * (acked here) and offline call placeholders (`<call offline>`, kept, "NO_ACK"). Null: not handled
     * here, forward it.
     */
    function handleInWorker(node) {
      const handled = importNamespace("WAWebCommsHandleWorkerCompatibleStanza").handleWorkerCompatibleStanza(
        node,
      );
      if (handled != null) return handled;
      if (node.tag === "call" && node.attrs.offline != null) return Promise.resolve("NO_ACK");
      return null;
    }
    exports.handleInWorker = handleInWorker;
  },
  98,
);

// Like WA's HTML: a requireLazy queued before the runtime exists, replayed once it does.
if (typeof requireLazy === "function") {
  requireLazy(["WAWebDebugSetup"], (debugSetup) => debugSetup.setupDebugGlobal());
}
