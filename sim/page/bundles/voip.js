/*
 * VoIP bundle (runtime doc §4.2; wa-web-2026.md §1-§2): the modules between comms and the VoIP engine.
 *
 * - legacy: loaded at boot; WAWebVoipIncomingSignaling hands inbound `<call>`s and offer receipts to
 *   the engine's listener as nodes, and WAWebVoipSendSignalingXmpp sends the engine's action bytes.
 * - 2026: fetched by the Bootloader when the first call starts (so none of these modules is
 *   registered before). Like WhatsApp's WebAssembly engine behind WAWebVoipStackInterfaceWorkerProxy,
 *   the engine receives every inbound signalling node, every offer receipt and the server's
 *   `<ack class="call">` of every `<call>` the page sent as stanza BYTES, re-encoded with the codec
 *   module's `encodeStanza` (looked up per call) and base64'd: the "engine echo", which never goes on
 *   the wire. Every other relay-bearing node first has its relay address changed
 *   (WAWebVoipRelayOverrides.overrideRelayIp). The engine side is the simulator's
 *   WASimVoipEngineHost (bundles/wa2026.js), which also counts the echoes for `__sim.echoes()`.
 */
__d(
  "WAWebVoipIncomingSignaling",
  ["WASimConfig"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Hand-off from WAWebCommsHandleStanza to the (simulated) VoIP engine.
    let listener = null;
    exports.setListener = (fn) => {
      listener = fn;
    };
    exports.handleIncomingSignaling = (node) => {
      if (importNamespace("WASimConfig").wa !== "legacy") {
        // 2026: through the stack interface, which re-encodes the node for the engine.
        importNamespace("WAWebVoipStackInterface")
          .getVoipStackInterface()
          .then((stack) => {
            const peerJid = String(node.attrs.from);
            if (node.tag === "receipt") return stack.handleIncomingSignalingReceipt(node, peerJid);
            const action = Array.isArray(node.content) ? node.content[0]?.tag : null;
            return action === "offer"
              ? stack.handleIncomingSignalingOffer(node, peerJid)
              : stack.handleIncomingSignalingMessage(node, peerJid);
          })
          .catch((err) => console.error("[WAWebVoipIncomingSignaling]", err));
        return;
      }
      try {
        listener?.(node);
      } catch (err) {
        console.error("[WAWebVoipIncomingSignaling]", err);
      }
    };
  },
  98,
);

__d(
  "WAWebVoipSendSignalingXmpp",
  ["invariant", "WAWap", "WAAckParser", "WAWebDeprecatedSendIqMainThread", "WASimConfig"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports, invariant) => {
    const identity = (x) => x;
    const wa2026 = () => importNamespace("WASimConfig").wa !== "legacy";
    function handleIncomingSignalingAck(error, type, extra) {
      return { error, type, ...extra };
    }
    /**
     * Wraps the VoIP engine's action bytes in `<call to id>` and waits for the server's
     * `<ack class="call">` (runtime doc §4.2). In 2026 the ack then goes back to the engine through the
     * stack interface, re-encoded (the echo of `handleIncomingSignalingAck`).
     */
    async function sendWAWebVoipSignalingXmpp({ peerJid, xmlPayload }) {
      const W = importNamespace("WAWap");
      const payload = await W.decodeStanza(xmlPayload, identity);
      if (wa2026()) importNamespace("WASimVoipEngineHost").countPayloadDecode();
      invariant(payload != null && typeof payload.tag === "string", "VoIP payload must decode to a node");
      const kids = Array.isArray(payload.content) ? payload.content : [];
      const fanOut =
        (payload.tag === "offer" || payload.tag === "enc_rekey") && kids.some((k) => k.tag === "destination");
      const to = fanOut ? W.USER_JID(peerJid) : W.DEVICE_JID(peerJid);
      const id = W.generateId();
      const stanza = W.wap("call", { to, id }, payload);
      const parser = importNamespace("WAAckParser");
      const ack = await importNamespace("WAWebDeprecatedSendIqMainThread").deprecatedSendStanzaAndReturnAck(
        stanza,
        parser.toCoreAckTemplate({ id: String(id), class: "call", from: to, participant: null }),
      );
      const parsed = parser.parseAck(ack);
      if (wa2026()) {
        const stack = await importNamespace("WAWebVoipStackInterface").getVoipStackInterface();
        await stack.handleIncomingSignalingAck({
          xmlNode: ack,
          ackInfoError: parsed.error ?? "0",
          ackInfoType: parsed.type,
          peerJid: String(peerJid),
        });
      }
      return handleIncomingSignalingAck(parsed.error ?? "0", parsed.type, { id, stanza, ack });
    }
    exports.sendWAWebVoipSignalingXmpp = sendWAWebVoipSignalingXmpp;
  },
  98,
);

if (new URLSearchParams(self.location.search).get("wa") !== "legacy") {
  __d(
    "WAWebVoipRelayOverrides",
    [],
    (_global, _require, _requireDynamic, _requireLazy, _module, exports) => {
      // Relay names whose addresses are replaced before the engine sees them (our own table: the
      // documentation ranges 192.0.2.0/24 and 2001:db8::/32).
      const OVERRIDES = {
        gru1c01: { v4: [192, 0, 2, 17], v6: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11] },
        gru2c01: { v4: [192, 0, 2, 18], v6: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12] },
      };
      /** Walks the node and rewrites, in place, the address of every `<te2 relay_name>` it knows. */
      function overrideRelayIp(node) {
        if (node == null || typeof node !== "object") return;
        if (String(node.tag) === "te2" && node.content instanceof Uint8Array && node.attrs != null) {
          const o = OVERRIDES[String(node.attrs.relay_name)];
          const c = node.content;
          if (o && c.length === 6) c.set(o.v4, 0);
          else if (o && c.length === 18) c.set(o.v6, 0);
        }
        if (Array.isArray(node.content)) for (const kid of node.content) overrideRelayIp(kid);
      }
      exports.overrideRelayIp = overrideRelayIp;
    },
    66,
  );

  __d(
    "WAWebVoipStackInterfaceWorkerProxy",
    ["WAWap", "WAWebVoipRelayOverrides", "WASimVoipEngineHost", "justknobx"],
    (global, require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
      let relayNodes = 0;
      const hasRelay = (node) =>
        Array.isArray(node.content) && node.content.some((k) => k.tag === "relay" || hasRelay(k));
      const b64 = (u8) => {
        let s = "";
        for (let i = 0; i < u8.length; i += 0x8000)
          s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
        return global.btoa(s);
      };
      /**
       * The engine's copy of a node: maybe a relay override first (justknobx 360; here every other
       * relay-bearing node), then the codec's encodeStanza, looked up now, then base64.
       */
      function reencode(node, method) {
        if (require("justknobx")._("360") && hasRelay(node) && relayNodes++ % 2 === 1) {
          importNamespace("WAWebVoipRelayOverrides").overrideRelayIp(node);
        }
        const bytes = importNamespace("WAWap").encodeStanza(node);
        const host = importNamespace("WASimVoipEngineHost");
        host.countEcho(node, method);
        // `tag` and `echo` are simulator instrumentation (the page counts the worker's echoes by them).
        return { b64Stanza: b64(bytes), tag: node.tag, echo: host.describe(node) };
      }
      const rpc = (method, payload) => importNamespace("WASimVoipEngineHost").deliver(method, payload);
      /** The stack interface the rest of the page talks to; the engine sits behind `rpc`. */
      function createStackInterface() {
        const call = (method, node, extra) => rpc(method, { ...reencode(node, method), ...extra });
        return {
          handleIncomingSignalingOffer: async (node, peerJid) =>
            call("handleIncomingSignalingOffer", node, { peerJid }),
          handleIncomingSignalingMessage: async (node, peerJid) =>
            call("handleIncomingSignalingMessage", node, { peerJid }),
          handleIncomingSignalingReceipt: async (node, peerJid) =>
            call("handleIncomingSignalingReceipt", node, { peerJid }),
          handleIncomingSignalingAck: async ({ xmlNode, ackInfoError, ackInfoType, peerJid }) =>
            call("handleIncomingSignalingAck", xmlNode, { ackInfoError, ackInfoType, peerJid }),
        };
      }
      exports.createStackInterface = createStackInterface;
    },
    98,
  );

  __d(
    "WAWebVoipStackInterface",
    ["WAWebVoipStackInterfaceWorkerProxy"],
    (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
      let stack = null;
      /** Resolves to the (one) VoIP stack interface of this context. */
      exports.getVoipStackInterface = () => {
        stack ??= Promise.resolve(
          importNamespace("WAWebVoipStackInterfaceWorkerProxy").createStackInterface(),
        );
        return stack;
      };
    },
    98,
  );

  __d(
    "WAWebHandleVoipCallReceipt",
    ["WAWap", "WAWebVoipStackInterface"],
    (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
      /**
       * A call receipt (`<receipt>` whose child is offer, accept or reject): handed to the VoIP stack
       * (re-encoded there), then acked with `<ack class="receipt">`. Runs on the page, or in the backend
       * worker, which then keeps the receipt to itself (wa-web-2026.md §3).
       */
      async function handleCallReceipt(node) {
        const W = importNamespace("WAWap");
        const a = node.attrs;
        const stack = await importNamespace("WAWebVoipStackInterface").getVoipStackInterface();
        await stack.handleIncomingSignalingReceipt(node, String(a.from));
        return W.wap("ack", {
          id: a.id,
          to: a.from,
          class: "receipt",
          type: a.type != null ? a.type : W.DROP_ATTR,
          participant: a.participant ?? W.DROP_ATTR,
          recipient: a.recipient ?? W.DROP_ATTR,
        });
      }
      exports.handleCallReceipt = handleCallReceipt;
    },
    98,
  );
}
