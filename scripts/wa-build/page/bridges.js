/*
 * Bridges of the compatibility check (`npm run check:wa-build`): our own modules that stand between
 * WhatsApp's own stanza-path modules (loaded from a local dump) and the simulator's look-alike app
 * layer, where the look-alike calls an API that WhatsApp's module does not have. They replace the
 * simulator's module of the same name (definitions queued first win). Nothing here is WhatsApp's
 * code; see scripts/wa-build/bridges.ts for why each exists.
 *
 * Run before the simulator's module runtime (`__d` is the queueing stub), on the page and, with comms
 * in the backend worker, in the worker (which imports the same early bundle).
 * scripts/wa-build/bundle.ts wraps it as `((bridges) => { <this file> })([...])`: `bridges` lists
 * the bridges to install (those whose WhatsApp modules the dump holds).
 */
/* global bridges */

// WAWebOpenChatSocket: WhatsApp's real one verifies WhatsApp's certificate chain and sends a
// protobuf ClientPayload, which the simulator's server does not speak. This one runs WhatsApp's
// generic Noise XX handshake (`WAOpenChatSocket`, with `WANoiseHandshake`, `WAFrameSocket`,
// `WANoiseSocket`, `WAWebOpenSocket`) and gives it the simulator's parts: its HandshakeMessage
// encoding (`WAHandshakeProto`), its JSON certificate and ClientPayload, and X25519 from WebCrypto.
// It resolves as WhatsApp's does, to a result-or-error of the Noise socket, which WAComms expects.
if (bridges.includes("WAWebOpenChatSocket")) {
  globalThis.__d(
    "WAWebOpenChatSocket",
    [
      "WAOpenChatSocket",
      "WAWebOpenSocket",
      "WAResultOrError",
      "WACryptoCurve25519",
      "WAWapDict",
      "WAHandshakeProto",
      "WAWebClientPayload",
      "WAWebRoutingInfo",
    ],
    (global, _require, _importDefault, ns, _requireLazy, _module, exports) => {
      const subtle = () => global.crypto.subtle;
      /** X25519 over WebCrypto, in the shape WACryptoCurve25519 takes ("signal dependencies"). */
      const x25519 = {
        async generateIdentityKeyPair() {
          const pair = await subtle().generateKey({ name: "X25519" }, true, ["deriveBits"]);
          const publicKey = new Uint8Array(await subtle().exportKey("raw", pair.publicKey));
          return { publicKey, privateKey: pair.privateKey };
        },
        async calculateAgreement(publicKey, privateKey) {
          const pub = await subtle().importKey("raw", publicKey, { name: "X25519" }, true, []);
          return new Uint8Array(await subtle().deriveBits({ name: "X25519", public: pub }, privateKey, 256));
        },
      };
      let staticPair = null;
      const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      const b64url = (bytes) =>
        global
          .btoa(String.fromCharCode(...bytes))
          .replace(/\+/g, "-")
          .replace(/\//g, "_")
          .replace(/=+$/, "");

      async function openChatSocket(onHandshake, signal, options) {
        staticPair ??= x25519.generateIdentityKeyPair();
        const Curve = ns("WACryptoCurve25519").Curve25519;
        const proto = ns("WAHandshakeProto");
        const routing = ns("WAWebRoutingInfo").getRoutingInfo();
        const config = {
          protoHeader: Uint8Array.of(0x57, 0x41, 6, ns("WAWapDict").DICT_VERSION),
          edgeInfo: routing ?? undefined,
          openSocket: () =>
            ns("WAWebOpenSocket")
              .openWebSocket(routing ? b64url(routing) : null)
              .then((socket) => ns("WAResultOrError").makeResult(socket)),
          getClientPayload: async () =>
            ns("WAWebClientPayload").getClientPayload({ passive: Boolean(options?.passive) }),
          curveSignalDependencies: x25519,
          staticKeyPair: new Curve(x25519, await staticPair),
          serverStaticKeyIfKnown: () => null,
          encodeHandshakeHello: ({ ephemeral }) => proto.encodeClientHello(new Uint8Array(ephemeral)),
          decodeServerHello: (bytes) => proto.decodeServerHello(new Uint8Array(bytes)),
          encodeHandshakeFinish: (finish) =>
            proto.encodeClientFinish(new Uint8Array(finish.static), new Uint8Array(finish.payload)),
          processCertificate({ certificate, serverStatic }) {
            const cert = JSON.parse(new global.TextDecoder().decode(new Uint8Array(certificate)));
            if (cert.key !== hex(new Uint8Array(serverStatic)))
              throw new Error("server certificate does not match its static key");
          },
        };
        return ns("WAOpenChatSocket").openChatSocket(config, onHandshake, signal);
      }
      exports.openChatSocket = openChatSocket;
    },
    98,
  );
}

// WADeprecatedSendIq: the simulator's look-alike asks the comms object for a method WhatsApp's
// Comms does not have. This one waits for the ack through Comms' own ack-handler API
// (`addAckHandler`, `callStanza`), matching acks with the simulator's `WAAckParser`, whose API the
// simulator's VoIP layer also uses (WhatsApp's `WAAckParser` has another API, so it is not loaded).
if (bridges.includes("WADeprecatedSendIq")) {
  globalThis.__d(
    "WADeprecatedSendIq",
    ["WAComms", "WAAckParser"],
    (_global, _require, _importDefault, ns, _requireLazy, _module, exports) => {
      exports.deprecatedSendIq = (iq, timeoutSeconds = 0) => ns("WAComms")._sendIq(iq, false, timeoutSeconds);
      exports.deprecatedSendStanzaAndReturnAck = (stanza, template) =>
        new Promise((resolve, reject) => {
          const Comms = ns("WAComms");
          const comms = Comms.singletonOrThrowIfUninitialized("deprecatedSendStanzaAndReturnAck");
          const parser = ns("WAAckParser");
          const handler = {
            type: "ack",
            stanza,
            resolve,
            attachedToSocketId: Comms.DEFAULT_SOCKET_ID,
            orderedId: Comms.getAndIncrementNextOrderedId(),
            parseAndTest: (ack) => (parser.ackMatchesTemplate(parser.parseAck(ack), template) ? ack : null),
          };
          comms.addAckHandler(handler);
          if (!comms.isSocketConnected()) return; // sent when the socket opens
          comms.callStanza(stanza).catch((err) => {
            comms.removeAckHandler(handler);
            reject(err);
          });
        });
    },
    98,
  );
}

// WAWebCommsConfigBase: the simulator's look-alike gives `socketReconnectBackoffAlgo` and
// `shouldCloseStaleSocket` as functions; WhatsApp's WAComms reads a backoff descriptor
// (`{jitter, max, algo: {type, first, second}, relativeDelay}`, for WAPromiseRetryLoop) and a
// boolean. This config factory has the simulator's values in WhatsApp's types, honours the
// simulator's `names=renamed` (no stanza handlers), and reports connection states and stanzas to
// the simulator's instrumentation bus (WASimBus) as the simulator's own WAComms does, so that
// `__sim.state` and `__sim.log` work.
if (bridges.includes("WAWebCommsConfigBase")) {
  globalThis.__d(
    "WAWebCommsConfigBase",
    ["WAWebOpenChatSocket", "WASimConfig", "WASimBus", "WAComms"],
    (global, _require, _importDefault, ns, _requireLazy, _module, exports) => {
      const now = () => global.performance.timeOrigin + global.performance.now();
      const STATES = { connected: "CONNECTED", disconnected: "DISCONNECTED", in_handshake: "CONNECTING" };
      const socketId = () => ns("WAComms").getComms()?.socketId ?? 0;
      function createGetCommsConfig({ isRegistered }) {
        return function getCommsConfig({ passive, pull } = {}) {
          let clockSkew = 0;
          const bus = () => ns("WASimBus");
          const stanza = (dir, node, id, byteLength) =>
            bus().emit("stanza", { dir, node, socketId: id, role: "primary", byteLength, t: now() });
          const config = {
            maxRetries: 5,
            openChatSocket: (onHandshake, signal) =>
              ns("WAWebOpenChatSocket").openChatSocket(onHandshake, signal, { passive: Boolean(passive) }),
            healthCheckInterval: 20,
            deadSocketTime: 20000,
            maxSocketLoopWaitTime: 60000,
            shouldCloseStaleSocket: false,
            socketReconnectBackoffAlgo: {
              jitter: 0.1,
              max: 10000,
              algo: { type: "fibonacci", first: 500, second: 500 },
              relativeDelay: true,
            },
            shouldBlockReceivingUntilSuccess: !passive && Boolean(isRegistered()),
            isPauseEnabled: Boolean(pull) && false,
            handlers: {
              onConnect() {},
              onDisconnect() {},
              onSocketOpen() {},
              onSocketLoopIteration(_abortController) {},
              onConnectionChange(state) {
                bus().emit("state", {
                  state: STATES[state] ?? String(state),
                  socketId: socketId(),
                  role: "primary",
                });
              },
              onOptimisticConnectionChange(_state) {},
              onBeforeCastStanzaForE2E(_node, _flags) {
                return null;
              },
              onCastStanza(node, _flags) {
                stanza("out", node, socketId(), 0);
              },
              onHandleAck(_ack) {},
              onHandleStanza(node, id, byteLength) {
                stanza("in", node, id, byteLength);
              },
              onSendIq(_iq) {},
              onClockSkewUpdate(seconds) {
                clockSkew = seconds;
                return clockSkew;
              },
            },
          };
          const cfg = ns("WASimConfig");
          if (cfg.wa !== "legacy" && cfg.names === "renamed") {
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
}
