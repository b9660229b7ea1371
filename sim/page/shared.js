/**
 * Constants and plain-object stanza builders shared by the simulator's Node server and its page
 * (the page's fake VoIP engine and chatter). Browser- and Node-safe: uses only `globalThis.crypto`
 * and `TextEncoder`. Nodes are bridge-shaped `{tag, attrs, content}` objects with JIDs as strings.
 * @module sim/page/shared
 */

/** The core scenario names, in the order `runAll()` plays them. */
export const SCENARIOS = Object.freeze([
  "outgoing-missed",
  "incoming-rejected-busy",
  "incoming-answered",
  "incoming-accepted-elsewhere",
]);

/**
 * Further scenarios, run by name (or by `runAll("all")`): `outgoing-reconnect` in every mode,
 * `incoming-second-socket` only with `?sockets=2`.
 */
export const MORE_SCENARIOS = Object.freeze(["outgoing-reconnect", "incoming-second-socket"]);

/** Every scenario name the server accepts. */
export const ALL_SCENARIOS = Object.freeze([...SCENARIOS, ...MORE_SCENARIOS]);

/** Default timings in milliseconds (server options and page query parameters override them). */
export const DEFAULT_TIMING = Object.freeze({ ackDelayMs: 150, ringMs: 1500, talkMs: 1000, chatterMs: 250 });

/** Obviously fake accounts. `me` is this page's device; `peer` is played by the server. */
export const ME = Object.freeze({
  pn: "15550001111",
  lid: "100000000000001",
  device: 12,
  pushName: "Sim Me",
});
/** The peer account and its devices (device 0 is the primary phone). */
export const PEER = Object.freeze({
  pn: "15550002222",
  lid: "200000000000002",
  devices: Object.freeze([0, 7]),
  callDevice: 7,
  pushName: "Sim Peer",
  platform: "android",
  version: "2.25.21.78",
});

/**
 * @param {string} user
 * @param {number} device
 * @param {string} [server]
 * @returns {string} `user[:device]@server`, without `:0`.
 */
export function jidString(user, device, server = "s.whatsapp.net") {
  return device ? `${user}:${device}@${server}` : `${user}@${server}`;
}

/** JID strings used on the wire. */
export const JIDS = Object.freeze({
  server: "s.whatsapp.net",
  me: jidString(ME.pn, ME.device),
  meUser: jidString(ME.pn, 0),
  meLid: jidString(ME.lid, ME.device, "lid"),
  peer: jidString(PEER.pn, 0),
  peerDevice: jidString(PEER.pn, PEER.callDevice),
  peerDevices: Object.freeze(PEER.devices.map((d) => jidString(PEER.pn, d))),
  peerLid: jidString(PEER.lid, 0, "lid"),
  peerLidDevice: jidString(PEER.lid, PEER.callDevice, "lid"),
});

/** `capability ver=1` body of an offer (SIG-01). */
export const OFFER_CAPABILITY = Object.freeze([0x01, 0x05, 0xf7, 0x09, 0xe4, 0xbb, 0x13]);
/** `capability ver=1` body of a preaccept (SIG-04). */
export const PREACCEPT_CAPABILITY = Object.freeze([0x01, 0x05, 0xf7, 0x09, 0xe4, 0xbb, 0x07]);

/**
 * @param {number} n
 * @returns {Uint8Array} n random bytes.
 */
export function randomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/**
 * @param {number} nBytes
 * @returns {string} 2*nBytes uppercase hex characters.
 */
export function randomHex(nBytes) {
  let s = "";
  for (const b of randomBytes(nBytes)) s += b.toString(16).padStart(2, "0");
  return s.toUpperCase();
}

/** @returns {string} A call-id: 32 uppercase hex characters. */
export function newCallId() {
  return randomHex(16);
}

/** @returns {string} A WA Web style outgoing message id (`3EB0` + 18 hex, 22 chars). */
export function newWebMessageId() {
  return `3EB0${randomHex(9)}`;
}

/** @returns {string} A phone-style incoming message id (`3A` + 18 hex, 20 chars). */
export function newPhoneMessageId() {
  return `3A${randomHex(9)}`;
}

/** @returns {string} Unix time in whole seconds, as a string. */
export function unixSeconds() {
  return String(Math.floor(Date.now() / 1000));
}

/**
 * Builds a bridge-shaped node; `content` is omitted when empty.
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {Array<object>|Uint8Array|null} [content]
 * @returns {{tag: string, attrs: Record<string, string>, content?: Array<object>|Uint8Array}}
 */
export function el(tag, attrs = {}, content = null) {
  const n = { tag, attrs };
  if (content instanceof Uint8Array || (Array.isArray(content) && content.length > 0)) n.content = content;
  return n;
}

/**
 * The `<relay>` block the server adds to an offer's ack or to an inbound offer (REL-01 shape).
 * @returns {object}
 */
export function relayNode() {
  const te2v4 = Uint8Array.of(157, 240, 222, 62, 0x0d, 0x96); // 157.240.222.62:3478
  const te2v6 = new Uint8Array(18);
  te2v6.set([0x2a, 0x03, 0x28, 0x80, 0xf2, 0x4f, 0x00, 0x0c], 0);
  te2v6.set([0x0d, 0x96], 16);
  return el("relay", { uuid: randomHex(8).toLowerCase(), self_pid: "1", peer_pid: "2" }, [
    el("participant", { jid: JIDS.peerDevice, pid: "2" }),
    el("key", {}, new TextEncoder().encode(btoa(String.fromCharCode(...randomBytes(16))))),
    el("hbh_key", {}, new TextEncoder().encode(btoa(String.fromCharCode(...randomBytes(30))))),
    el("warp_mi_tag_len", {}, Uint8Array.of(0x31, 0x30)),
    el("token", { id: "0" }, randomBytes(40)),
    el("auth_token", { id: "0" }, randomBytes(24)),
    el(
      "te2",
      {
        relay_id: "0",
        relay_name: "gru1c01",
        token_id: "0",
        auth_token_id: "0",
        protocol: "1",
        c2r_rtt: "45",
      },
      te2v4,
    ),
    el(
      "te2",
      {
        relay_id: "0",
        relay_name: "gru1c01",
        token_id: "0",
        auth_token_id: "0",
        protocol: "1",
        c2r_rtt: "47",
      },
      te2v6,
    ),
  ]);
}

/**
 * An outbound `<offer>` action as the page's fake VoIP engine emits it (SIG-01 child order).
 * @param {{callId: string, creator: string, devices: string[]}} p
 * @returns {object}
 */
export function outgoingOffer({ callId, creator, devices }) {
  return el("offer", { "call-id": callId, "call-creator": creator }, [
    el("audio", { enc: "opus", rate: "8000" }),
    el("audio", { enc: "opus", rate: "16000" }),
    el("net", { medium: "3" }),
    el("capability", { ver: "1" }, Uint8Array.from(OFFER_CAPABILITY)),
    el(
      "destination",
      {},
      devices.map((jid, i) =>
        el("to", { jid }, [
          el("enc", { v: "2", type: i === 0 ? "msg" : "pkmsg", count: "0" }, randomBytes(i ? 180 : 72)),
        ]),
      ),
    ),
    el("encopt", { keygen: "2" }),
    el("device-identity", {}, randomBytes(150)),
  ]);
}

/**
 * An inbound `<offer>` action as the server relays it from the peer (SIG-16 extras, `<relay>` last).
 * @param {{callId: string, creator: string, callerPn: string}} p
 * @returns {object}
 */
export function incomingOffer({ callId, creator, callerPn }) {
  return el(
    "offer",
    {
      "call-id": callId,
      "call-creator": creator,
      caller_pn: callerPn,
      caller_country_code: "US",
      device_class: "2016",
      joinable: "1",
    },
    [
      el("audio", { enc: "opus", rate: "8000" }),
      el("audio", { enc: "opus", rate: "16000" }),
      el("net", { medium: "3" }),
      el("capability", { ver: "1" }, Uint8Array.from(OFFER_CAPABILITY)),
      el("enc", { v: "2", type: "pkmsg", count: "0" }, randomBytes(196)),
      el("encopt", { keygen: "2" }),
      relayNode(),
    ],
  );
}

/**
 * @param {string} tag One of preaccept, accept, reject, terminate, transport, relaylatency, mute_v2.
 * @param {{callId: string, creator: string}} ids
 * @param {Record<string, string>} [extra] Extra action attributes (reason, count, duration, ...).
 * @returns {object} A call action with realistic children (SIG-03/04/05/08/13/14/15).
 */
export function callAction(tag, { callId, creator }, extra = {}) {
  const attrs = { "call-id": callId, "call-creator": creator, ...extra };
  switch (tag) {
    case "preaccept":
      return el(tag, attrs, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("encopt", { keygen: "2" }),
        el("capability", { ver: "1" }, Uint8Array.from(PREACCEPT_CAPABILITY)),
      ]);
    case "accept":
      return el(tag, attrs, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("te", { priority: "2" }, randomBytes(6)),
        el("net", { medium: "2" }),
        el("encopt", { keygen: "2" }),
        el("voip_settings", { uncompressed: "1" }, new TextEncoder().encode('{"use_mlow_codec_v1":"1"}')),
      ]);
    case "transport":
      return el(tag, { "p2p-cand-round": "1", "transport-message-type": "1", ...attrs }, [
        el("te", { priority: "1" }, randomBytes(6)),
        el("net", { medium: "2", protocol: "0" }),
      ]);
    case "relaylatency":
      return el(tag, attrs, [
        el(
          "te",
          { latency: String(0x02000000 + 45), relay_name: "gru1c01" },
          Uint8Array.of(157, 240, 222, 62, 13, 150),
        ),
      ]);
    default:
      return el(tag, attrs);
  }
}

/**
 * Summarises a node for logs. Works on bridge nodes (string attrs) and WAWap `WapNode`s (attrs may be
 * `WapJid`s, children `WapNode`s).
 * @param {{tag: string, attrs: object, content?: unknown}} node
 * @returns {{tag: string, id?: string, callId?: string, action?: string, class?: string, type?: string, from?: string, to?: string}}
 */
export function describeNode(node) {
  const a = node.attrs || {};
  const str = (v) => (v == null ? undefined : String(v));
  const out = { tag: node.tag, id: str(a.id) };
  const kids = Array.isArray(node.content) ? node.content : [];
  if (a.class != null) out.class = str(a.class);
  if (a.type != null) out.type = str(a.type);
  if (a.from != null) out.from = str(a.from);
  if (a.to != null) out.to = str(a.to);
  if (node.tag === "call" && kids[0]) {
    out.action = kids[0].tag;
    out.callId = str(kids[0].attrs?.["call-id"]);
    const reason = kids[0].attrs?.reason;
    if (reason != null) out.reason = str(reason);
  } else if (node.tag === "receipt" && kids[0]?.tag === "offer") {
    out.action = "offer";
    out.callId = str(kids[0].attrs?.["call-id"]);
  } else if (node.tag === "ack") {
    out.action = str(a.type);
  }
  return out;
}

/**
 * Runs the codec over representative stanzas so that lazily compiled WASM and JIT paths are warm before
 * the first timed exchange.
 * @param {{encodeNode: (n: object) => Uint8Array, decodeNode: (b: Uint8Array) => any}} codec
 * @param {number} [rounds]
 */
export function warmUpCodec({ encodeNode, decodeNode }, rounds = 20) {
  const ids = { callId: newCallId(), creator: JIDS.me };
  const samples = [
    el("call", { to: JIDS.peer, id: "1.2-3" }, [outgoingOffer({ ...ids, devices: JIDS.peerDevices })]),
    el("call", { from: JIDS.peerLid, id: randomHex(8), t: unixSeconds() }, [
      incomingOffer({ ...ids, callerPn: JIDS.peer }),
    ]),
    el("ack", { class: "call", id: "1.2-3", from: JIDS.peerDevice, type: "offer" }, [relayNode()]),
    el("receipt", { to: JIDS.peer, id: randomHex(8) }, [
      el("offer", { "call-id": ids.callId, "call-creator": JIDS.me }),
    ]),
    ...["preaccept", "accept", "transport", "relaylatency", "terminate", "mute_v2"].map((tag) =>
      el("call", { to: JIDS.peerDevice, id: "1.2-4" }, [callAction(tag, ids, { reason: "timeout" })]),
    ),
    el("message", { to: JIDS.peer, id: newWebMessageId(), type: "text" }, [
      el("enc", { v: "2" }, randomBytes(80)),
    ]),
  ];
  for (let i = 0; i < rounds; i++) {
    for (const n of samples) {
      const node = decodeNode(encodeNode(n));
      node.toJSON();
      node.free?.();
    }
  }
}
