/*
 * Comms bundle (runtime doc §3-§4): WAAckParser, WAComms, WAWebCommsConfigBase, WAWebCommsConfig,
 * WAWebCommsGating, WADeprecatedSendIq, WAWebDeprecatedSendIqMainThread, WAWebInflate,
 * WAWebCommsHandleStanza, WAWebStartBackend, plus the simulator-only WASimBus (instrumentation for
 * window.__sim.log and the page UI), WASimSockets and WASimSecondBackend (the second, passive
 * connection of ?sockets=2). The VoIP modules (WAWebVoipIncomingSignaling,
 * WAWebVoipSendSignalingXmpp, ...) are in voip.js, loaded at boot (legacy) or by the Bootloader when
 * the first call starts (2026); the worker-mode modules (§5) are in worker.js. WASimConfig (the
 * page's modes and timings) is defined by boot.js, or by the worker entry.
 *
 * In the 2026 profile (`WASimConfig.wa !== "legacy"`, wa-web-2026.md) a few bodies differ: the
 * gate, the inflate (gzip, zlib or raw DEFLATE), call receipts (WAWebHandleVoipCallReceipt), and
 * with `names=renamed` no module exports `getCommsConfig` and configs have no
 * `onHandleStanza`/`onCastStanza`.
 */
__d(
  "WASimBus",
  [],
  (global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    const target = new global.EventTarget();
    exports.emit = (type, detail) => target.dispatchEvent(new global.CustomEvent(type, { detail }));
    exports.on = (type, fn) => target.addEventListener(type, (e) => fn(e.detail));
  },
  66,
);

__d(
  "WAAckParser",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    const str = (v) => (v == null ? null : String(v));
    const FIELDS = ["class", "type", "from", "participant", "recipient"];
    /** A `from` on device 0 equals the user. */
    const normJid = (s) => (s == null ? null : s.replace(/:0@/, "@"));
    function parseAck(ack) {
      const a = ack.attrs;
      return {
        id: str(a.id),
        ts: a.t != null ? Number(String(a.t)) : null,
        class: str(a.class),
        type: str(a.type),
        from: str(a.from),
        participant: str(a.participant),
        recipient: str(a.recipient),
        error: str(a.error),
      };
    }
    function toCoreAckTemplate(t) {
      const out = { id: String(t.id) };
      for (const k of FIELDS) if (k in t) out[k] = t[k] == null ? null : String(t[k]);
      return out;
    }
    /** Equal `id`; other fields only when the template defines them (null means "absent"). */
    function ackMatchesTemplate(ack, template) {
      if (ack.id !== String(template.id)) return false;
      for (const k of FIELDS) {
        if (!(k in template) || template[k] === undefined) continue;
        const want = template[k] == null ? null : normJid(String(template[k]));
        const got = ack[k] == null ? null : normJid(ack[k]);
        if (want !== got) return false;
      }
      return true;
    }
    exports.parseAck = parseAck;
    exports.toCoreAckTemplate = toCoreAckTemplate;
    exports.ackMatchesTemplate = ackMatchesTemplate;
  },
  98,
);

__d(
  "WAComms",
  ["WAWap", "WAAckParser", "WAFrameSocket", "WASimBus"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const now = () => global.performance.timeOrigin + global.performance.now();
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const bus = () => importNamespace("WASimBus");

    class Comms {
      constructor() {
        this.config = null;
        this.jobFn = null;
        this.inflate = null;
        this.socket = null;
        this.socketId = 0;
        this.ackHandlers = [];
        this.pendingIqs = new Map();
        this.pendingSmaxStanzas = new Map();
        this.orderedId = 0;
        this.handlingRequests = false;
        this.heldStanzas = [];
        this.activePing = null;
        this.state = "CLOSED";
        this.stopped = false;
        this.deadSocketTimer = null;
        this.inboundChain = Promise.resolve();
      }

      /** Calls `this.config.handlers[name]` as read now (wrappers installed later are honoured). */
      callHandler(name, ...args) {
        const handlers = this.config?.handlers;
        if (!handlers || typeof handlers[name] !== "function") return undefined;
        try {
          return handlers[name](...args);
        } catch (err) {
          console.error(`[WAComms] handler ${name} threw`, err);
          return undefined;
        }
      }

      start(jobFn, config, inflate, autoOpen = true) {
        this.jobFn = jobFn;
        this.config = config;
        this.inflate = inflate;
        if (autoOpen) this.socketLoop();
      }

      setState(state) {
        this.state = state;
        this.callHandler("onConnectionChange", state);
        this.callHandler("onOptimisticConnectionChange", state);
        bus().emit("state", { state, socketId: this.socketId, role: this.simRole ?? "primary" });
      }

      async socketLoop() {
        let attempt = 0;
        while (!this.stopped) {
          const abortController = new AbortController();
          this.callHandler("onSocketLoopIteration", abortController);
          this.setState("CONNECTING");
          let socket;
          try {
            socket = await this.config.openChatSocket(
              () => this.callHandler("onSocketOpen"),
              abortController.signal,
            );
            if (this.stopped) {
              socket.close();
              break;
            }
          } catch (err) {
            console.warn("[WAComms] openChatSocket failed", err);
            attempt++;
            await sleep(this.backoff(attempt));
            continue;
          }
          attempt = 0;
          const socketId = ++this.socketId;
          this.socket = socket;
          const closed = new Promise((resolve) => socket.setOnClose(resolve));
          socket.setOnFrame((buf) => this.parseAndHandleStanza(buf, socketId));
          this.callHandler("onConnect");
          this.setState("CONNECTED");
          this.resendPending();
          await closed;
          if (this.socketId === socketId) this.socket = null;
          this.clearDeadSocketTimer();
          this.activePing = null;
          this.callHandler("onDisconnect");
          this.setState("DISCONNECTED");
          if (this.stopped) break;
          await sleep(this.backoff(++attempt));
        }
      }

      backoff(attempt) {
        const algo = this.config?.socketReconnectBackoffAlgo;
        return typeof algo === "function" ? algo(attempt) : Math.min(1000 * attempt, 10000);
      }

      resendPending() {
        const entries = [
          ...this.pendingIqs.values(),
          ...this.pendingSmaxStanzas.values(),
          ...this.ackHandlers,
        ];
        entries.sort((a, b) => a.orderedId - b.orderedId);
        for (const e of entries) this.castStanza(e.iq ?? e.stanza).catch(() => {});
      }

      armDeadSocketTimer() {
        if (this.deadSocketTimer || !this.config?.deadSocketTime) return;
        const socket = this.socket;
        this.deadSocketTimer = setTimeout(() => {
          this.deadSocketTimer = null;
          if (socket && socket === this.socket) socket.close();
        }, this.config.deadSocketTime);
      }

      clearDeadSocketTimer() {
        if (this.deadSocketTimer) clearTimeout(this.deadSocketTimer);
        this.deadSocketTimer = null;
      }

      // ---- inbound (§3.3) ----
      parseAndHandleStanza(buf, socketId) {
        if (socketId !== this.socketId) return;
        this.clearDeadSocketTimer();
        let decoded;
        try {
          decoded = importNamespace("WAWap").decodeStanza(buf, this.inflate);
        } catch (err) {
          console.error("[WAComms] decodeStanza failed", err);
          return;
        }
        this.inboundChain = this.inboundChain
          .then(() => decoded)
          .then(
            (node) => this.onDecoded(node, socketId, buf.byteLength),
            (err) => console.error("[WAComms] decodeStanza rejected", err),
          );
      }

      onDecoded(node, socketId, byteLength) {
        bus().emit("stanza", {
          dir: "in",
          node,
          socketId,
          role: this.simRole ?? "primary",
          byteLength,
          t: now(),
        });
        this.callHandler("onHandleStanza", node, socketId, byteLength);
        const a = node.attrs;
        const ping = this.activePing;
        if (ping && node.tag === "iq" && String(a.id) === ping.id && a.type === "result") {
          this.activePing = null;
          if (a.t != null)
            this.callHandler("onClockSkewUpdate", Number(String(a.t)) - Math.round(Date.now() / 1000));
          ping.resolve(node);
          return;
        }
        this.handleStanza(node, socketId, byteLength);
      }

      handleStanza(node, socketId, size) {
        const a = node.attrs;
        const id = a.id != null ? String(a.id) : null;
        if (id && node.tag !== "receipt" && this.pendingSmaxStanzas.has(id)) {
          const p = this.pendingSmaxStanzas.get(id);
          this.pendingSmaxStanzas.delete(id);
          p.resolve(node);
          return;
        }
        if (
          node.tag === "iq" &&
          (a.type === "result" || a.type === "error") &&
          id &&
          this.pendingIqs.has(id)
        ) {
          const p = this.pendingIqs.get(id);
          this.pendingIqs.delete(id);
          p.resolve(node);
          return;
        }
        if (node.tag === "ack") {
          this.handleAck(node);
          return;
        }
        if (!this.handlingRequests) {
          this.heldStanzas.push([node, socketId, size]);
          return;
        }
        this.runJob(node, socketId, size);
      }

      runJob(node, socketId, size) {
        let result;
        try {
          result = this.jobFn(node, socketId, size);
        } catch (err) {
          console.error("[WAComms] job failed", err);
          return;
        }
        Promise.resolve(result)
          .then((reply) => {
            if (socketId !== this.socketId || reply == null || reply === "NO_ACK") return;
            if (reply === "CLOSE_SOCKET") this.socket?.close();
            else if (this.socket) this.castStanza(reply).catch(() => {});
          })
          .catch((err) => console.error("[WAComms] job rejected", err));
      }

      handleAck(ack) {
        const i = this.ackHandlers.findIndex((h) => {
          try {
            return h.parseAndTest(ack);
          } catch {
            return false;
          }
        });
        if (i < 0) return;
        const [handler] = this.ackHandlers.splice(i, 1);
        this.callHandler("onHandleAck", ack);
        handler.resolve(ack);
      }

      startHandlingRequests() {
        this.handlingRequests = true;
        const held = this.heldStanzas;
        this.heldStanzas = [];
        for (const [node, socketId, size] of held) this.runJob(node, socketId, size);
      }

      // ---- outbound (§3.4) ----
      castStanza(node, flags) {
        const mock = this.callHandler("onBeforeCastStanzaForE2E", node, flags);
        if (mock != null) {
          for (const m of Array.isArray(mock) ? mock : [mock]) this.handleStanza(m, this.socketId, 0);
          return Promise.resolve();
        }
        const socket = this.socket;
        if (!socket) throw new Error("castStanza: no chat socket");
        const bytes = importNamespace("WAWap").encodeStanza(node);
        const socketId = this.socketId;
        return socket.sendFrame(bytes).then(
          () => {
            bus().emit("stanza", {
              dir: "out",
              node,
              socketId,
              role: this.simRole ?? "primary",
              byteLength: bytes.byteLength,
              t: now(),
            });
            this.callHandler("onCastStanza", node, flags);
          },
          (err) => {
            if (err instanceof importNamespace("WAFrameSocket").BufferTooLargeError) throw err;
          },
        );
      }

      callStanza(node, flags) {
        const p = this.castStanza(node, flags);
        this.armDeadSocketTimer();
        return p;
      }

      sendIq(iq, attachToSocket, timeoutSeconds = 0, signal, type = "iq") {
        const id = iq?.attrs?.id;
        if (typeof id !== "string") throw new Error("sendIq: the iq needs a string id");
        return new Promise((resolve, reject) => {
          const table = type === "smax" ? this.pendingSmaxStanzas : this.pendingIqs;
          let timer = null;
          const done = (fn) => (v) => {
            if (timer) clearTimeout(timer);
            table.delete(id);
            fn(v);
          };
          const entry = {
            iq,
            type,
            resolve: done(resolve),
            reject: done(reject),
            orderedId: ++this.orderedId,
            attachedToSocketId: attachToSocket ? this.socketId : 0,
          };
          table.set(id, entry);
          if (timeoutSeconds > 0)
            timer = setTimeout(() => entry.reject(new Error(`iq ${id} timed out`)), timeoutSeconds * 1000);
          signal?.addEventListener("abort", () => entry.reject(new Error(`iq ${id} aborted`)));
          if (type !== "smax") this.callHandler("onSendIq", iq);
          if (this.socket) this.callStanza(iq).catch(() => {});
        });
      }

      deprecatedSendStanzaAndReturnAck(stanza, template) {
        const parser = importNamespace("WAAckParser");
        return new Promise((resolve) => {
          this.ackHandlers.push({
            type: "ack",
            parseAndTest: (ack) => parser.ackMatchesTemplate(parser.parseAck(ack), template),
            resolve,
            stanza,
            attachedToSocketId: 0,
            orderedId: ++this.orderedId,
          });
          if (this.socket) this.callStanza(stanza).catch(() => {});
        });
      }

      sendPing() {
        if (!this.socket || this.activePing) return this.activePing?.promise ?? Promise.resolve(null);
        const W = importNamespace("WAWap");
        const id = W.generateId();
        let resolve;
        const promise = new Promise((r) => {
          resolve = r;
        });
        this.activePing = { id, sentAt: Date.now(), resolve, promise };
        this.castStanza(
          W.wap("iq", { id, to: W.S_WHATSAPP_NET, type: "get", xmlns: "w:p" }, W.wap("ping", null)),
        ).catch(() => {});
        return promise;
      }

      setOnBeforeCastStanzaForE2E(fn) {
        this.config.handlers.onBeforeCastStanzaForE2E = fn;
      }

      close() {
        this.stopped = true;
        this.socket?.close();
      }
    }

    let comms = null;
    let commsFactory = () => new Comms();
    function setCommsFactory(factory) {
      commsFactory = factory;
    }
    function startComms(jobFn, config, inflate, autoOpen = true) {
      if (comms) return comms;
      comms = commsFactory();
      comms.start(jobFn, config, inflate, autoOpen);
      return comms;
    }
    function getComms() {
      if (!comms) throw new Error("getComms: comms not started");
      return comms;
    }

    exports.Comms = Comms;
    exports.setCommsFactory = setCommsFactory;
    exports.startComms = startComms;
    exports.getComms = getComms;
    exports.castStanza = (node, flags) => getComms().castStanza(node, flags);
    exports.callStanza = (node, flags) => getComms().callStanza(node, flags);
    exports.sendIq = (...args) => getComms().sendIq(...args);
    exports.deprecatedSendStanzaAndReturnAck = (stanza, template) =>
      getComms().deprecatedSendStanzaAndReturnAck(stanza, template);
    exports.setOnBeforeCastStanzaForE2E = (fn) => getComms().setOnBeforeCastStanzaForE2E(fn);
  },
  98,
);

__d(
  "WAWebCommsConfigBase",
  ["WAWebOpenChatSocket", "WASimConfig"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    function createGetCommsConfig({ isRegistered }) {
      /** Returns a NEW config object on every call (runtime doc §3.1). */
      return function getCommsConfig({ passive, pull } = {}) {
        let clockSkew = 0;
        const cfg = importNamespace("WASimConfig");
        const config = {
          maxRetries: 5,
          openChatSocket: (onHandshake, signal) =>
            importNamespace("WAWebOpenChatSocket").openChatSocket(onHandshake, signal, {
              passive: Boolean(passive),
            }),
          healthCheckInterval: 20,
          deadSocketTime: 20000,
          maxSocketLoopWaitTime: 60000,
          shouldCloseStaleSocket: () => false,
          socketReconnectBackoffAlgo: (attempt) => Math.min(500 * 2 ** Math.min(attempt, 5), 10000),
          shouldBlockReceivingUntilSuccess: !passive && Boolean(isRegistered()),
          isPauseEnabled: Boolean(pull) && false,
          handlers: {
            onConnect() {},
            onDisconnect() {},
            onSocketOpen() {},
            onSocketLoopIteration(_abortController) {},
            onConnectionChange(_state) {},
            onOptimisticConnectionChange(_state) {},
            onBeforeCastStanzaForE2E(_node, _flags) {
              return null;
            },
            onCastStanza(_node, _flags) {},
            onHandleAck(_ack) {},
            onHandleStanza(_node, _socketId, _byteLength) {},
            onSendIq(_iq) {},
            onClockSkewUpdate(seconds) {
              clockSkew = seconds;
              return clockSkew;
            },
          },
        };
        if (cfg.wa !== "legacy" && cfg.names === "renamed") {
          // 2026, renamed: these builds' configs carry no stanza handlers (wa-web-2026.md, issue #10).
          delete config.handlers.onHandleStanza;
          delete config.handlers.onCastStanza;
        }
        return config;
      };
    }
    exports.createGetCommsConfig = createGetCommsConfig;
  },
  98,
);

__d(
  "WAWebCommsConfig",
  ["WAWebCommsConfigBase", "WASimConfig"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const cfg = importNamespace("WASimConfig");
    const isRegistered = () => true;
    if (cfg.wa !== "legacy" && cfg.names === "renamed") {
      // 2026, renamed: the config factory is internal to its callers (createCommsConfig below); the
      // live config is reachable only as WAComms.getComms().config.
      exports.isRegistered = isRegistered;
    } else {
      exports.getCommsConfig = importNamespace("WAWebCommsConfigBase").createGetCommsConfig({ isRegistered });
    }
  },
  98,
);

__d(
  "WASimCommsConfig",
  ["WAWebCommsConfigBase", "WAWebCommsConfig", "WASimConfig"],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Simulator-only: where WAWebStartBackend, the second socket and the worker's comms get a new
    // config: WAWebCommsConfig.getCommsConfig (looked up per call, so a wrapper installed on it is
    // used), else (2026, names=renamed) a config factory built on the spot and never exported.
    exports.createCommsConfig = (opts) => {
      const cfg = importNamespace("WASimConfig");
      if (cfg.wa !== "legacy" && cfg.names === "renamed") {
        return importNamespace("WAWebCommsConfigBase").createGetCommsConfig({
          isRegistered: importNamespace("WAWebCommsConfig").isRegistered,
        })(opts);
      }
      return require("WAWebCommsConfig").getCommsConfig(opts);
    };
  },
  98,
);

__d(
  "WAWebCommsGating",
  ["WASimConfig"],
  (_global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const cfg = importNamespace("WASimConfig");
    if (cfg.wa === "legacy") {
      // WA reads an AB prop or a QEX parameter (runtime doc §5.1); the simulator reads ?comms=worker.
      exports.isCommsInWorker = () => importNamespace("WASimConfig").comms === "worker";
    } else if (cfg.gate === "qex") {
      // 2026, as reported for build 2.3000.1048653945 (wa-web-2026.md §3).
      const WORKER_VALUES = new Set(["worker", "worker_hrp", "worker_hrp_bundle"]);
      exports.isCommsInWorker = () => WORKER_VALUES.has(require("qex")._("5241"));
    } else {
      // 2026, the August 2026 source (wa-web-2026.md §3).
      exports.isCommsInWorker = () => require("gkx")("18966");
    }
  },
  98,
);

__d(
  "WADeprecatedSendIq",
  ["WAComms"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    exports.deprecatedSendIq = (iq, timeoutSeconds = 0) =>
      importNamespace("WAComms").getComms().sendIq(iq, false, timeoutSeconds);
    exports.deprecatedSendStanzaAndReturnAck = (stanza, template) =>
      importNamespace("WAComms").getComms().deprecatedSendStanzaAndReturnAck(stanza, template);
  },
  98,
);

__d(
  "WAWebDeprecatedSendIqMainThread",
  ["WAWebCommsGating", "WADeprecatedSendIq", "WAWebDeprecatedSendIqWorkerProxy"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** Main-thread comms: WADeprecatedSendIq; worker comms: the proxy (bytes both ways, §4.2). */
    function deprecatedSendStanzaAndReturnAck(stanza, template) {
      if (importNamespace("WAWebCommsGating").isCommsInWorker()) {
        return importNamespace("WAWebDeprecatedSendIqWorkerProxy").deprecatedSendStanzaAndReturnAck(
          stanza,
          template,
        );
      }
      return importNamespace("WADeprecatedSendIq").deprecatedSendStanzaAndReturnAck(stanza, template);
    }
    exports.deprecatedSendStanzaAndReturnAck = deprecatedSendStanzaAndReturnAck;
  },
  98,
);

__d(
  "WAWebInflate",
  ["WASimConfig"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const legacy = () => importNamespace("WASimConfig").wa === "legacy";
    /**
     * The wrapper of a compressed body, as `fflate.decompressSync` tells them apart (wa-web-2026.md):
     * gzip (1F 8B), zlib (CMF/FLG check), else raw DEFLATE.
     */
    function wrapperOf(bytes) {
      if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
      if (bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0)
        return "deflate";
      return "deflate-raw";
    }
    /**
     * Inflates a frame body whose flags byte had bit 0x02: zlib only (legacy), or gzip, zlib and raw
     * DEFLATE (2026, like WAGzip's fflate.decompressSync).
     */
    async function gzipInflate(bytes) {
      const run = async (format) => {
        const stream = new global.Blob([bytes]).stream().pipeThrough(new global.DecompressionStream(format));
        return new Uint8Array(await new global.Response(stream).arrayBuffer());
      };
      if (legacy()) return run("deflate");
      const format = wrapperOf(bytes);
      // A raw DEFLATE stream can start with two bytes that pass the zlib header check.
      return format === "deflate" ? run(format).catch(() => run("deflate-raw")) : run(format);
    }
    exports.gzipInflate = gzipInflate;
    exports.wrapperOf = wrapperOf;
  },
  98,
);

__d(
  "WAWebCommsHandleStanza",
  ["WAWap", "WAComms", "WAWebRoutingInfo", "WASimBus", "WASimSockets", "WASimConfig"],
  (global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const wa2026 = () => importNamespace("WASimConfig").wa !== "legacy";
    /**
     * Hands a signalling node to the VoIP stack: at once (legacy: the VoIP modules are registered at
     * boot), or once the Bootloader has fetched the VoIP bundle (2026: registered when the first call
     * starts).
     */
    function toVoip(node) {
      if (!wa2026()) {
        later(() => importNamespace("WAWebVoipIncomingSignaling").handleIncomingSignaling(node));
        return;
      }
      require("Bootloader")
        .loadModules(["WAWebVoipIncomingSignaling"])
        .then(() => importNamespace("WAWebVoipIncomingSignaling").handleIncomingSignaling(node))
        .catch((err) => console.error("[WAWebCommsHandleStanza] VoIP hand-off", err));
    }
    const later = (fn) =>
      global.setTimeout(() => {
        try {
          fn();
        } catch (err) {
          console.error("[WAWebCommsHandleStanza]", err);
        }
      }, 0);

    function ackFor(node, cls, type) {
      const W = importNamespace("WAWap");
      const a = node.attrs;
      return W.wap("ack", {
        id: a.id,
        to: a.from,
        class: cls,
        type: type ?? W.DROP_ATTR,
        participant: a.participant ?? W.DROP_ATTR,
        recipient: a.recipient ?? W.DROP_ATTR,
      });
    }

    /** The comms that owns `socketId` (the second connection's, or WAComms.getComms()). */
    const commsFor = (socketId) => importNamespace("WASimSockets").commsFor(socketId);

    function handleCall(node, socketId) {
      const W = importNamespace("WAWap");
      const action = Array.isArray(node.content) ? node.content[0] : null;
      const ack = ackFor(node, "call", action ? action.tag : null);
      if (action?.tag === "offer") {
        const receipt = W.wap(
          "receipt",
          { id: node.attrs.id, to: node.attrs.from },
          W.wap("offer", {
            "call-id": action.attrs["call-id"],
            "call-creator": action.attrs["call-creator"],
          }),
        );
        later(() => commsFor(socketId).castStanza(receipt));
      }
      toVoip(node);
      return ack;
    }

    /** The main-thread job: returns the reply node, or "NO_ACK" / "CLOSE_SOCKET". */
    function handleStanza(node, socketId, _size) {
      const W = importNamespace("WAWap");
      const a = node.attrs;
      switch (node.tag) {
        case "call":
          return handleCall(node, socketId);
        case "message": {
          const receipt = W.wap("receipt", {
            id: a.id,
            to: a.from,
            participant: a.participant ?? W.DROP_ATTR,
          });
          later(() => commsFor(socketId).castStanza(receipt));
          return ackFor(node, "message", null);
        }
        case "receipt": {
          const kids = Array.isArray(node.content) ? node.content : [];
          if (wa2026() && require("WAWebCommsHandleStanzaUtils").isCallReceipt(node)) {
            // 2026: WAWebHandleVoipCallReceipt hands the receipt to the VoIP stack (which re-encodes it)
            // and returns the ack (wa-web-2026.md §1).
            return require("Bootloader")
              .loadModules(["WAWebHandleVoipCallReceipt"])
              .then(() => importNamespace("WAWebHandleVoipCallReceipt").handleCallReceipt(node));
          }
          if (kids[0]?.tag === "offer") {
            later(() => importNamespace("WAWebVoipIncomingSignaling").handleIncomingSignaling(node));
          }
          return ackFor(node, "receipt", a.type != null ? a.type : null);
        }
        case "notification":
          return ackFor(node, "notification", a.type != null ? a.type : null);
        case "iq":
          if (a.type === "get" && a.xmlns === "urn:xmpp:ping") {
            return W.wap("iq", { id: a.id, to: a.from, type: "result" });
          }
          return "NO_ACK";
        case "ib": {
          const kids = Array.isArray(node.content) ? node.content : [];
          const edge = kids.find((k) => k.tag === "edge_routing");
          const info = Array.isArray(edge?.content)
            ? edge.content.find((k) => k.tag === "routing_info")
            : null;
          if (info?.content instanceof Uint8Array)
            importNamespace("WAWebRoutingInfo").setRoutingInfo(info.content);
          return "NO_ACK";
        }
        case "success":
          importNamespace("WASimBus").emit("success", { node, socketId });
          return "NO_ACK";
        case "failure":
        case "stream:error":
          return "CLOSE_SOCKET";
        default:
          return "NO_ACK";
      }
    }
    exports.default = handleStanza;
  },
  98,
);

__d(
  "invariant",
  [],
  (_global, _require, _requireDynamic, _requireLazy, module, _exports) => {
    module.exports = function invariant(condition, message) {
      if (!condition) throw new Error(`Invariant Violation: ${message ?? ""}`);
    };
  },
  66,
);

__d(
  "WAWebStartBackend",
  [
    "WASimCommsConfig",
    "WAComms",
    "WAWebCommsHandleStanza",
    "WAWebInflate",
    "WAWebBuildConstants",
    "WAWebCommsGating",
    "WAWebStartBackendWorker",
    "WAWebCommsWorkerProxy",
  ],
  (global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const waitForMain = () => new Promise((resolve) => global.setTimeout(resolve, 0));
    /**
     * getCommsConfig → await → startComms (runtime doc §3.2). With comms in the worker (§5.1), the
     * backend worker is started first and WAComms gets a factory that builds the worker proxy, which
     * ignores the config.
     */
    async function startBackend() {
      const comms = importNamespace("WAComms");
      if (importNamespace("WAWebCommsGating").isCommsInWorker()) {
        const bridge = await importNamespace("WAWebStartBackendWorker").startBackendWorker();
        comms.setCommsFactory(() => importNamespace("WAWebCommsWorkerProxy").createCommsWorkerProxy(bridge));
      }
      const config = importNamespace("WASimCommsConfig").createCommsConfig({ passive: false, pull: true });
      await waitForMain();
      comms.startComms(
        require("WAWebCommsHandleStanza"),
        config,
        importNamespace("WAWebInflate").gzipInflate,
        !importNamespace("WAWebBuildConstants").WINDOWS_OFFLINE,
      );
      comms.getComms().startHandlingRequests();
    }
    exports.startBackend = startBackend;
  },
  98,
);

__d(
  "WASimSockets",
  ["WAComms"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Simulator-only: which comms instance owns a socket id, so that replies cast outside the job's
    // return value (offer and delivery receipts) leave on the socket the stanza came from.
    let secondary = null;
    exports.SECONDARY_SOCKET_BASE = 100;
    exports.register = (comms) => {
      secondary = comms;
    };
    exports.commsFor = (socketId) =>
      secondary && Number(socketId) > exports.SECONDARY_SOCKET_BASE
        ? secondary
        : importNamespace("WAComms").getComms();
  },
  98,
);

__d(
  "WASimSecondBackend",
  ["WAComms", "WASimCommsConfig", "WAWebCommsHandleStanza", "WAWebInflate", "WASimSockets", "WAWap"],
  (global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Simulator-only (?sockets=2): a second, passive, authenticated chat socket kept open next to the
    // primary one, in whichever context owns comms (page or backend worker). It is a second WAComms
    // `Comms` instance with its own config from getCommsConfig({passive: true}), its own WebSocket,
    // Noise keys and counters, and socket ids from 101. Its job is WAWebCommsHandleStanza, run in its
    // own context; a few stanzas of its own (presence, pings) keep it busy.
    let second = null;
    let timer = null;
    function start({ chatterMs = 250 } = {}) {
      if (second) return second;
      const sockets = importNamespace("WASimSockets");
      second = new (importNamespace("WAComms").Comms)();
      second.socketId = sockets.SECONDARY_SOCKET_BASE;
      second.simRole = "secondary";
      sockets.register(second);
      const config = importNamespace("WASimCommsConfig").createCommsConfig({ passive: true, pull: false });
      second.start(
        require("WAWebCommsHandleStanza"),
        config,
        importNamespace("WAWebInflate").gzipInflate,
        true,
      );
      second.startHandlingRequests();
      if (chatterMs > 0) {
        let n = 0;
        timer = global.setInterval(() => {
          if (!second.socket) return;
          const W = importNamespace("WAWap");
          try {
            if (n++ % 2 === 0) second.castStanza(W.wap("presence", { type: "available" })).catch(() => {});
            else second.sendPing();
          } catch {
            // socket gone in between
          }
        }, chatterMs * 4);
      }
      return second;
    }
    function stop() {
      if (timer) global.clearInterval(timer);
      second?.close();
    }
    exports.start = start;
    exports.stop = stop;
    exports.getSecondComms = () => second;
  },
  98,
);
