/*
 * Worker-mode bundle (runtime doc §5), loaded both on the page and in the backend worker (factories are
 * lazy, so each context only runs its half):
 *
 * - both: WACrossWorkerPortal, the request/result envelope of §5.3 (batched arrays of
 *   `{type: "request", content: {requestId, expectsResponse, namespace, name, arg}}` and
 *   `{type: "result", content: {requestId, type, result}}`; byte payloads travel in transfer lists);
 * - page: WAWebStartBackendWorker (creates the same-origin module Worker "WAWebBackendWorker-<n>" and
 *   runs the §5.2 init handshake), WAWebCommsWorkerProxy (the comms object WAComms hands out when the
 *   gate is on: it ignores the config, encodes on the page and decodes what comes back),
 *   WAWebDeprecatedSendIqWorkerProxy, WAWebMainThreadComms (the `mainthread_comms.*` handlers);
 * - worker: WAWebCommsBackendWorkerHandlers (the `comms.*` handlers around the worker's own WAComms)
 *   and WAWebBackendWorkerBootstrap (the worker side of the init handshake).
 *
 * The 2026 profile (wa-web-2026.md §3) differs in three places: the worker is WebWorkerV4Resource's,
 * `/static_resources/webworker_v4/init_script/?worker_type=MODULE|CLASSIC&…`, a module or a classic
 * worker (`?worker=`); the worker handles call receipts and call placeholders itself
 * (WAWebWorkerHandleStanza) and never forwards them; and the VoIP stack interface in the worker
 * reaches the page's engine over a `voip_engine.*` namespace.
 */
__d(
  "WACrossWorkerPortal",
  [],
  (global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    /** A Uint8Array that owns its whole buffer can be transferred without detaching anyone else's data. */
    function transferable(value) {
      return value instanceof Uint8Array &&
        value.byteOffset === 0 &&
        value.byteLength === value.buffer.byteLength &&
        value.byteLength > 0
        ? [value.buffer]
        : [];
    }

    class Portal {
      /** @param {{postMessage: (msg: any, transfer: Transferable[]) => void, onmessage: any}} endpoint */
      constructor(endpoint) {
        this.endpoint = endpoint;
        this.nextRequestId = 1;
        this.pending = new Map();
        this.namespaces = new Map();
        this.outbox = [];
        this.transfer = [];
        this.flushScheduled = false;
        endpoint.onmessage = (e) => this.receive(e.data);
      }
      post(message, transfer) {
        this.outbox.push(message);
        for (const t of transfer) if (!this.transfer.includes(t)) this.transfer.push(t);
        if (this.flushScheduled) return;
        this.flushScheduled = true;
        global.queueMicrotask(() => {
          this.flushScheduled = false;
          const batch = this.outbox;
          const transferList = this.transfer;
          this.outbox = [];
          this.transfer = [];
          this.endpoint.postMessage(batch, transferList);
        });
      }
      /** @returns {Promise<any>} the handler's result on the other side */
      request(namespace, name, arg, transfer = []) {
        const requestId = this.nextRequestId++;
        return new Promise((resolve, reject) => {
          this.pending.set(requestId, { resolve, reject });
          this.post(
            { type: "request", content: { requestId, expectsResponse: true, namespace, name, arg } },
            transfer,
          );
        });
      }
      /** A request without a response. */
      notify(namespace, name, arg, transfer = []) {
        const requestId = this.nextRequestId++;
        this.post(
          { type: "request", content: { requestId, expectsResponse: false, namespace, name, arg } },
          transfer,
        );
      }
      register(namespace, handlers) {
        this.namespaces.set(namespace, handlers);
      }
      receive(data) {
        if (!Array.isArray(data)) return;
        for (const message of data) {
          if (message?.type === "request") this.handle(message.content);
          else if (message?.type === "result") {
            const { requestId, type, result } = message.content;
            const waiter = this.pending.get(requestId);
            if (!waiter) continue;
            this.pending.delete(requestId);
            if (type === "success") waiter.resolve(result);
            else waiter.reject(Object.assign(new Error(result?.message ?? "remote error"), result ?? {}));
          }
        }
      }
      async handle({ requestId, expectsResponse, namespace, name, arg }) {
        let type = "success";
        let result;
        try {
          const fn = this.namespaces.get(namespace)?.[name];
          if (typeof fn !== "function") throw new Error(`no handler for ${namespace}.${name}`);
          result = await fn(arg);
        } catch (err) {
          type = "error";
          result = { name: String(err?.name ?? "Error"), message: String(err?.message ?? err) };
        }
        if (!expectsResponse) {
          if (type === "error") console.error(`[WACrossWorkerPortal] ${namespace}.${name}:`, result.message);
          return;
        }
        this.post(
          { type: "result", content: { requestId, type, result: result ?? null } },
          transferable(result),
        );
      }
    }
    exports.createPortal = (endpoint) => new Portal(endpoint);
    exports.transferable = transferable;
  },
  98,
);

__d(
  "WAWebStartBackendWorker",
  ["WAWebBuildConstants", "WASimConfig"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Same-origin route of the backend worker's script; WA builds it with a route builder + SPIN params. */
    const WORKER_ROUTE = "/worker/backend.js";
    /** The 2026 route (WebWorkerV4Resource's init script). */
    const WORKER_V4_ROUTE = "/static_resources/webworker_v4/init_script/";
    let tab = 0;
    const wa2026 = () => importNamespace("WASimConfig").wa !== "legacy";
    /** The 2026 worker type: "module" (where supported, WA's default) or "classic" (`?worker=classic`). */
    const workerType = () => (importNamespace("WASimConfig").worker === "classic" ? "classic" : "module");

    function buildWorkerUrl() {
      const q = new global.URLSearchParams({
        worker_type: wa2026() ? workerType().toUpperCase() : "backend",
        __spin_r: String(importNamespace("WAWebBuildConstants").VERSION_TERTIARY),
        __spin_b: "trunk",
        __spin_t: String(Math.floor(Date.now() / 1000)),
      });
      // Simulator: the page's session, modes and timing overrides follow the worker.
      const extra = importNamespace("WASimConfig").workerParams ?? {};
      for (const k of Object.keys(extra)) q.set(k, String(extra[k]));
      return `${wa2026() ? WORKER_V4_ROUTE : WORKER_ROUTE}?${q}`;
    }

    /**
     * Starts the backend worker and runs the init handshake (runtime doc §5.2): the worker reports
     * `worker_setup/worker_started`, the page posts `ww-hrp-init`, the worker answers
     * `ww-init-complete`. Resolves to the bridge `{onmessage, postMessage, close}` (§5.3).
     */
    function startBackendWorker() {
      return new Promise((resolve, reject) => {
        tab += 1;
        const url = buildWorkerUrl();
        const options = { name: `WAWebBackendWorker-${tab}`, type: wa2026() ? workerType() : "module" };
        const worker = new global.Worker(url, options);
        // Simulator instrumentation (`__sim.backendWorker()`).
        importNamespace("WASimConfig").backendWorker = { url, ...options };
        const early = [];
        let handler = null;
        const bridge = {
          get onmessage() {
            return handler;
          },
          set onmessage(fn) {
            handler = fn;
            for (const e of early.splice(0)) handler?.(e);
          },
          postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
          close: () => worker.terminate(),
        };
        let phase = "setup";
        const fail = (err) => {
          if (phase === "ready" || phase === "failed") return;
          phase = "failed";
          global.clearTimeout(timer);
          worker.terminate();
          reject(err);
        };
        const timer = global.setTimeout(() => fail(new Error("the backend worker did not start")), 20000);
        worker.onerror = (e) => fail(new Error(`backend worker error: ${e.message ?? e}`));
        worker.onmessage = (e) => {
          const data = e.data;
          if (phase === "ready") {
            if (handler) handler(e);
            else early.push(e);
            return;
          }
          if (data?.type === "worker_setup") {
            if (data.message !== "worker_started") {
              fail(new Error(`backend worker: ${data.message}`));
              return;
            }
            phase = "init";
            worker.postMessage({
              type: "ww-hrp-init",
              hrp: { rev: importNamespace("WAWebBuildConstants").VERSION_TERTIARY },
              js_env: "prod",
              is_dev: false,
              tiered: true,
            });
          } else if (data?.type === "ww-init-complete") {
            phase = "ready";
            global.clearTimeout(timer);
            resolve(bridge);
          } else if (data?.type === "ww-init-error") {
            fail(new Error(`ww-init-error: ${data.error} (${data.reason})`));
          }
        };
      });
    }
    exports.startBackendWorker = startBackendWorker;
    exports.buildWorkerUrl = buildWorkerUrl;
  },
  98,
);

__d(
  "WAWebMainThreadComms",
  ["WAWap"],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const identity = (x) => x;
    /** The `mainthread_comms.*` handlers: what the worker asks of the page. */
    function createHandlers(proxy) {
      return {
        /**
         * An inbound non-ack stanza, as bytes: decoded here with WAWap.decodeStanza, handled by
         * WAWebCommsHandleStanza (looked up per call), and answered with reply bytes or a string.
         */
        async handleStanza({ size, socketId, stanza }) {
          const W = importNamespace("WAWap");
          const node = await W.decodeStanza(stanza, identity);
          const reply = await require("WAWebCommsHandleStanza")(node, socketId, size);
          if (reply == null) return "NO_ACK";
          if (typeof reply === "string") return reply;
          return W.encodeStanza(reply);
        },
        onSocketStateChange({ isConnected, socketId }) {
          proxy.isConnected = Boolean(isConnected);
          proxy.socketId = socketId;
        },
      };
    }
    exports.createHandlers = createHandlers;
  },
  98,
);

__d(
  "WAWebCommsWorkerProxy",
  ["WAWap", "WACrossWorkerPortal", "WAWebMainThreadComms", "WASimConfig"],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const identity = (x) => x;
    const unsupported = (name) => () => {
      throw new Error(`WAWebCommsWorkerProxy: ${name} is not available with comms in the worker`);
    };

    /**
     * The comms object of worker mode (runtime doc §5.1): it ignores the config and the job function
     * (so the page's onHandleStanza / onCastStanza never fire), encodes outgoing stanzas here and
     * decodes the bytes that come back. It has no `config`, no `socket` and no `ackHandlers`.
     */
    class CommsWorkerProxy {
      constructor(bridge) {
        const portal = importNamespace("WACrossWorkerPortal").createPortal(bridge);
        this.portal = portal;
        this.isConnected = false;
        this.socketId = 0;
        this.created = null;
        this.nextAbortToken = 1;
        portal.register("mainthread_comms", importNamespace("WAWebMainThreadComms").createHandlers(this));
        if (importNamespace("WASimConfig").wa !== "legacy") {
          // 2026: what the worker's VoIP stack interface sends the engine (its echoes of call receipts).
          const deliver = (method) => (payload) =>
            require("WASimVoipEngineHost").deliver(method, payload, "worker");
          portal.register("voip_engine", {
            handleIncomingSignalingOffer: deliver("handleIncomingSignalingOffer"),
            handleIncomingSignalingMessage: deliver("handleIncomingSignalingMessage"),
            handleIncomingSignalingReceipt: deliver("handleIncomingSignalingReceipt"),
            handleIncomingSignalingAck: deliver("handleIncomingSignalingAck"),
          });
        }
        this.handleStanza = unsupported("handleStanza");
        this.addAckHandler = unsupported("addAckHandler");
        this.setSocket = unsupported("setSocket");
        this.setOnBeforeCastStanzaForE2E = unsupported("setOnBeforeCastStanzaForE2E");
      }
      request(name, arg, transfer) {
        const created = this.created ?? Promise.reject(new Error("comms worker proxy not started"));
        return created.then(() => this.portal.request("comms", name, arg, transfer));
      }
      start(_jobFn, _config, _inflate, autoOpen = true) {
        this.created = this.portal.request("comms", "createComms", { passive: false, pull: true, autoOpen });
        this.created.catch((err) => console.error("[WAWebCommsWorkerProxy] createComms failed", err));
      }
      encode(node) {
        const bytes = importNamespace("WAWap").encodeStanza(node);
        return { bytes, transfer: importNamespace("WACrossWorkerPortal").transferable(bytes) };
      }
      decode(bytes) {
        return importNamespace("WAWap").decodeStanza(bytes, identity);
      }
      castStanza(node, flags) {
        const { bytes, transfer } = this.encode(node);
        return this.request("castStanza", { stanza: bytes, flags: flags ?? null }, transfer);
      }
      callStanza(node, flags) {
        const { bytes, transfer } = this.encode(node);
        return this.request("callStanza", { stanza: bytes, flags: flags ?? null }, transfer);
      }
      sendIq(iq, attachToSocket, timeoutSeconds = 0, signal, type = "iq") {
        if (typeof iq?.attrs?.id !== "string") throw new Error("sendIq: the iq needs a string id");
        const { bytes, transfer } = this.encode(iq);
        const abortToken = this.nextAbortToken++;
        signal?.addEventListener("abort", () => {
          this.request("abortSendIq", { abortToken }).catch(() => {});
        });
        return this.request(
          "sendIq",
          { iq: bytes, attachToSocket: Boolean(attachToSocket), timeoutSeconds, type, abortToken },
          transfer,
        ).then((result) => this.decode(result));
      }
      /** The ack of a page-made request comes back as bytes and is decoded here (§4.2). */
      deprecatedSendStanzaAndReturnAck(stanza, template) {
        const { bytes, transfer } = this.encode(stanza);
        return this.request(
          "deprecatedSendStanzaAndReturnAck",
          { stanza: bytes, expectedAck: template },
          transfer,
        ).then((ack) => this.decode(ack));
      }
      /** The pong stays in the worker. */
      sendPing() {
        return this.request("sendPing", null).then(() => null);
      }
      startHandlingRequests() {
        this.request("startHandlingRequests", null).catch(() => {});
      }
      close() {
        this.request("close", null).catch(() => {});
      }
    }
    exports.createCommsWorkerProxy = (bridge) => new CommsWorkerProxy(bridge);
    exports.CommsWorkerProxy = CommsWorkerProxy;
  },
  98,
);

__d(
  "WAWebDeprecatedSendIqWorkerProxy",
  ["WAComms"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Worker mode: the proxy encodes here, the worker matches the ack, the ack bytes are decoded here. */
    exports.deprecatedSendStanzaAndReturnAck = (stanza, template) =>
      importNamespace("WAComms").getComms().deprecatedSendStanzaAndReturnAck(stanza, template);
  },
  98,
);

__d(
  "WAWebCommsBackendWorkerHandlers",
  [
    "WAWap",
    "WAComms",
    "WASimCommsConfig",
    "WAWebInflate",
    "WAWebRoutingInfo",
    "WACrossWorkerPortal",
    "WASimConfig",
  ],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const identity = (x) => x;

    /**
     * The worker's `comms.*` handlers: WAComms runs here with its own config from getCommsConfig, the
     * WebSocket, Noise and ack matching. Its job forwards each stanza that reaches it to the page as
     * bytes (`mainthread_comms.handleStanza`) and casts the page's reply.
     */
    function createHandlers(portal) {
      const W = () => importNamespace("WAWap");
      const comms = () => importNamespace("WAComms").getComms();
      const decode = (bytes) => W().decodeStanza(bytes, identity);
      const aborts = new Map();
      const wa2026 = importNamespace("WASimConfig").wa !== "legacy";
      if (wa2026) {
        // The worker's VoIP stack interface reaches the page's engine through the portal.
        require("WASimVoipEngineHost").setForwarder((method, payload) =>
          portal.notify("voip_engine", method, payload),
        );
      }

      /** Keeps `<ib><edge_routing>` for the next connect: a worker has no sessionStorage of the page. */
      function peekRouting(node) {
        if (node.tag !== "ib" || !Array.isArray(node.content)) return;
        const edge = node.content.find((k) => k.tag === "edge_routing");
        const info = Array.isArray(edge?.content) ? edge.content.find((k) => k.tag === "routing_info") : null;
        if (info?.content instanceof Uint8Array)
          importNamespace("WAWebRoutingInfo").setRoutingInfo(info.content);
      }

      return {
        createComms({ passive, pull, autoOpen }) {
          const config = importNamespace("WASimCommsConfig").createCommsConfig({ passive, pull });
          const handlers = config.handlers;
          const report = (isConnected) => {
            let socketId = 0;
            try {
              socketId = comms().socketId;
            } catch {
              // not started yet
            }
            portal.notify("mainthread_comms", "onSocketStateChange", { isConnected, socketId });
          };
          const onConnect = handlers.onConnect;
          const onDisconnect = handlers.onDisconnect;
          handlers.onConnect = function (...args) {
            report(true);
            return onConnect?.apply(this, args);
          };
          handlers.onDisconnect = function (...args) {
            report(false);
            return onDisconnect?.apply(this, args);
          };
          const job = (node, socketId, size) => {
            peekRouting(node);
            if (wa2026) {
              // 2026: call receipts and call placeholders are handled here and never reach the page.
              const handled = require("WAWebWorkerHandleStanza").handleInWorker(node);
              if (handled != null) return handled;
            }
            const stanza = W().encodeStanza(node);
            return portal
              .request(
                "mainthread_comms",
                "handleStanza",
                { size, socketId, stanza },
                importNamespace("WACrossWorkerPortal").transferable(stanza),
              )
              .then((reply) =>
                reply == null || typeof reply === "string" ? (reply ?? "NO_ACK") : decode(reply),
              );
          };
          importNamespace("WAComms").startComms(
            job,
            config,
            importNamespace("WAWebInflate").gzipInflate,
            autoOpen !== false,
          );
          return true;
        },
        async castStanza({ stanza, flags }) {
          await comms().castStanza(await decode(stanza), flags ?? undefined);
          return null;
        },
        async callStanza({ stanza, flags }) {
          await comms().callStanza(await decode(stanza), flags ?? undefined);
          return null;
        },
        async sendIq({ iq, attachToSocket, timeoutSeconds, type, abortToken }) {
          const controller = new AbortController();
          aborts.set(abortToken, controller);
          try {
            const node = await decode(iq);
            const result = await comms().sendIq(
              node,
              attachToSocket,
              timeoutSeconds,
              controller.signal,
              type,
            );
            return W().encodeStanza(result);
          } finally {
            aborts.delete(abortToken);
          }
        },
        abortSendIq({ abortToken }) {
          aborts.get(abortToken)?.abort();
          return null;
        },
        async deprecatedSendStanzaAndReturnAck({ stanza, expectedAck }) {
          const ack = await comms().deprecatedSendStanzaAndReturnAck(await decode(stanza), expectedAck);
          return W().encodeStanza(ack);
        },
        sendPing() {
          comms().sendPing();
          return null;
        },
        startHandlingRequests() {
          comms().startHandlingRequests();
          return null;
        },
        closeSocket() {
          comms().socket?.close();
          return null;
        },
        close() {
          comms().close();
          return null;
        },
      };
    }
    exports.createHandlers = createHandlers;
  },
  98,
);

__d(
  "WAWebBackendWorkerBootstrap",
  ["WACrossWorkerPortal", "WAWebCommsBackendWorkerHandlers"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Worker side of the init handshake (runtime doc §5.2); then the portal carries `comms.*`. */
    function startWorker() {
      const endpoint = {
        onmessage: null,
        postMessage: (message, transfer) => global.postMessage(message, transfer ?? []),
      };
      let portal = null;
      global.addEventListener("message", (e) => {
        const data = e.data;
        if (Array.isArray(data)) {
          endpoint.onmessage?.(e);
          return;
        }
        if (data?.type !== "ww-hrp-init") return;
        try {
          portal ??= importNamespace("WACrossWorkerPortal").createPortal(endpoint);
          portal.register("comms", importNamespace("WAWebCommsBackendWorkerHandlers").createHandlers(portal));
          global.postMessage({ type: "ww-init-complete" });
        } catch (err) {
          global.postMessage({ type: "ww-init-error", error: String(err?.message ?? err), reason: "init" });
        }
      });
      global.postMessage({ type: "worker_setup", message: "worker_started" });
    }
    exports.startWorker = startWorker;
  },
  98,
);
