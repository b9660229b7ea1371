/**
 * The page's fake VoIP engine: plays this device's side of each scenario. Like WA's engine it emits
 * action bytes with its OWN codec (the bridge in the page's token dictionary: flags byte 0, then
 * WABinary; never the page's WAWap) and sends them through `WAWebVoipSendSignalingXmpp`.
 *
 * Inbound signalling: legacy, as nodes from `WAWebCommsHandleStanza` through
 * `WAWebVoipIncomingSignaling`'s listener; 2026 (wa-web-2026.md §1), as base64 stanza bytes the VoIP
 * stack interface re-encoded with the codec module (the "echo": every inbound `<call>`, every offer
 * receipt, and the server's ack of every `<call>` sent), delivered through `WASimVoipEngineHost` and
 * decoded here with the engine's own codec. In 2026 the VoIP modules are fetched by the Bootloader
 * when the first call starts. The second-socket scenario, whose stanzas may be handled in the backend
 * worker, is followed through the `WASimBus` stanza events instead.
 * @module sim/page/engine
 */
import { callAction, describeNode, JIDS, newCallId, outgoingOffer } from "./shared.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
/** Pause after the out-of-band POST, so the control request's network work is over before timed stanzas. */
const POST_SETTLE_MS = 60;

/** Plays scenarios against the simulator server. */
export class VoipEngine {
  /**
   * @param {{require: (name: string) => any, encodeNode: (node: object) => Uint8Array,
   *   decodeNode: (bytes: Uint8Array) => {toJSON: () => any, free?: () => void}, session: string,
   *   config: {ackDelayMs: number, ringMs: number, talkMs: number, wa?: string},
   *   reconnect: () => Promise<{socketId: number}>, onCallStart?: (name: string) => void}} deps
   *   `encodeNode`/`decodeNode` are the engine's private codec; `onCallStart` runs as each scenario starts
   */
  constructor({ require, encodeNode, decodeNode, session, config, reconnect, onCallStart }) {
    this.require = require;
    this.encodeNode = encodeNode;
    this.decodeNode = decodeNode;
    this.session = session;
    this.config = config;
    this.reconnect = reconnect;
    this.onCallStart = onCallStart;
    this.wa2026 = config.wa !== "legacy";
    /** 2026: what the stack interface sent the engine, `{method, tag, id, t}` (echoes decoded here). */
    this.engineInbox = [];
    /** Stanza events of the page log (`describeNode` + dir/socketId), for waits on any socket. */
    this.logged = [];
    this.logWaiters = [];
    /** @type {Array<{node: any, tag: string, action?: string, callId?: string, reason?: string}>} */
    this.inbound = [];
    this.waiters = [];
    /** When each of this page's call actions left (from the comms log), keyed `${callId}:${action}`. */
    this.sentAt = new Map();
    if (this.wa2026)
      require("WASimVoipEngineHost").setEngine((method, payload) => this.onEngine(method, payload));
    else require("WAWebVoipIncomingSignaling").setListener((node) => this.onIncoming(node));
    const idToCall = new Map();
    require("WASimBus").on("stanza", ({ dir, node, t, socketId }) => {
      const d = describeNode(node);
      if (d.callId && d.id) idToCall.set(d.id, d.callId);
      if (!d.callId && d.id && (d.tag === "ack" || d.tag === "receipt")) d.callId = idToCall.get(d.id);
      if (d.callId) {
        const ev = { ...d, dir, t, socketId };
        this.logged.push(ev);
        if (this.logged.length > 2000) this.logged.splice(0, 1000);
        for (const w of [...this.logWaiters]) {
          if (w.pred(ev)) {
            this.logWaiters.splice(this.logWaiters.indexOf(w), 1);
            w.resolve(ev);
          }
        }
      }
      if (dir !== "out" || node.tag !== "call") return;
      this.sentAt.set(`${d.callId}:${d.action}`, t);
    });
  }

  /**
   * Resolves with the first page-log event (already logged or future) that matches.
   * @param {(ev: any) => boolean} pred
   * @param {number} timeoutMs
   * @param {string} what
   */
  waitForLogged(pred, timeoutMs, what) {
    const seen = this.logged.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: null };
      const timer = setTimeout(() => {
        this.logWaiters.splice(this.logWaiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      w.resolve = (ev) => {
        clearTimeout(timer);
        resolve(ev);
      };
      this.logWaiters.push(w);
    });
  }

  /**
   * 2026: a stack-interface call from the page (or the backend worker): the stanza arrives as base64
   * bytes, decoded with the engine's own codec. Acks are kept; `<call>`s and receipts are inbound events.
   * @param {string} method e.g. handleIncomingSignalingOffer
   * @param {{b64Stanza: string}} payload
   */
  onEngine(method, payload) {
    const bin = atob(payload.b64Stanza);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const decoded = this.decodeNode(bytes);
    const node = decoded.toJSON();
    decoded.free?.();
    this.engineInbox.push({ method, tag: node.tag, id: node.attrs?.id, t: now() });
    if (this.engineInbox.length > 2000) this.engineInbox.splice(0, 1000);
    if (method !== "handleIncomingSignalingAck") this.onIncoming(node);
  }

  /** @param {any} node an inbound `<call>` or offer `<receipt>` (WapNode; a plain node in 2026) */
  onIncoming(node) {
    const ev = { node, ...describeNode(node) };
    this.inbound.push(ev);
    for (const w of [...this.waiters]) {
      if (w.pred(ev)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(ev);
      }
    }
  }

  /**
   * Resolves with the first inbound event (already received or future) that matches.
   * @param {(ev: any) => boolean} pred
   * @param {number} timeoutMs
   * @param {string} what
   */
  waitFor(pred, timeoutMs, what) {
    const seen = this.inbound.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: null };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      w.resolve = (ev) => {
        clearTimeout(timer);
        resolve(ev);
      };
      this.waiters.push(w);
    });
  }

  /**
   * Sends one call action the way WA's engine does; resolves with the server ack result.
   * @param {string} peerJid
   * @param {object} action bridge-shaped action node
   */
  send(peerJid, action) {
    const sendNow = () =>
      this.require("WAWebVoipSendSignalingXmpp").sendWAWebVoipSignalingXmpp({
        peerJid,
        xmlPayload: this.encodeNode(action),
      });
    if (!this.wa2026 || this.voipLoaded) return sendNow();
    // 2026: the VoIP modules are registered only once the first call starts (Bootloader).
    return this.require("Bootloader")
      .loadModules(["WAWebVoipSendSignalingXmpp"])
      .then(() => {
        this.voipLoaded = true;
        return sendNow();
      });
  }

  /**
   * Asks the server to play its side (out of band, not through the chat stream).
   * @param {string} name
   * @param {object} [body]
   * @returns {Promise<{callId: string|null}>}
   */
  async post(name, body = {}) {
    const res = await fetch("/sim/scenario", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ session: this.session, name, ...body }),
    });
    if (!res.ok) throw new Error(`POST /sim/scenario ${name}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /**
   * @param {string} name one of SCENARIOS
   * @returns {Promise<{name: string, callId: string}>}
   */
  async run(name) {
    const fn = {
      "outgoing-missed": () => this.outgoingMissed(),
      "incoming-rejected-busy": () => this.incomingRejectedBusy(),
      "incoming-answered": () => this.incomingAnswered(),
      "incoming-accepted-elsewhere": () => this.incomingAcceptedElsewhere(),
      "outgoing-reconnect": () => this.outgoingReconnect(),
      "incoming-second-socket": () => this.incomingSecondSocket(),
    }[name];
    if (!fn) throw new Error(`unknown scenario ${name}`);
    this.onCallStart?.(name);
    const { ackDelayMs, ringMs, talkMs } = this.config;
    const limit = 10000 + 4 * ackDelayMs + ringMs + talkMs + (name === "outgoing-reconnect" ? 20000 : 0);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`scenario ${name} timed out after ${limit} ms`)), limit);
    });
    try {
      const callId = await Promise.race([fn(), timeout]);
      return { name, callId };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Offer → server ack → offer receipts → ring timeout → terminate reason=timeout → ack. */
  async outgoingMissed() {
    const callId = newCallId();
    const ids = { callId, creator: JIDS.me };
    await this.post("outgoing-missed", { callId });
    await sleep(POST_SETTLE_MS);
    const wait = 5000 + this.config.ackDelayMs * 2;
    const receipts = this.waitFor((e) => e.tag === "receipt" && e.callId === callId, wait, "offer receipt");
    await this.send(JIDS.peer, outgoingOffer({ ...ids, devices: JIDS.peerDevices }));
    await receipts;
    const offeredAt = this.sentAt.get(`${callId}:offer`) ?? now();
    await sleep(Math.max(0, this.config.ringMs - (now() - offeredAt)));
    await this.send(JIDS.peer, callAction("terminate", ids, { reason: "timeout" }));
    return callId;
  }

  /** @returns {Promise<{callId: string, creator: string}>} after the server's offer arrived */
  async incomingOffer(name) {
    const { callId } = await this.post(name);
    const offer = await this.waitFor(
      (e) => e.tag === "call" && e.action === "offer" && e.callId === callId,
      5000,
      `incoming offer ${callId}`,
    );
    return { callId, creator: String(offer.node.content[0].attrs["call-creator"]) };
  }

  /** Offer in → ack + receipt → reject reason=busy → server ack. */
  async incomingRejectedBusy() {
    const ids = await this.incomingOffer("incoming-rejected-busy");
    await sleep(40);
    await this.send(ids.creator, callAction("reject", ids, { count: "0", reason: "busy" }));
    return ids.callId;
  }

  /** Offer in → preaccept → accept → relaylatency/transport → mute_v2 → peer terminate (duration). */
  async incomingAnswered() {
    const ids = await this.incomingOffer("incoming-answered");
    const { ringMs, talkMs, ackDelayMs } = this.config;
    const terminated = this.waitFor(
      (e) => e.tag === "call" && e.action === "terminate" && e.callId === ids.callId,
      talkMs + ringMs + 5000 + 4 * ackDelayMs,
      "peer terminate",
    );
    await sleep(30);
    await this.send(ids.creator, callAction("preaccept", ids));
    await sleep(Math.max(0, Math.round(ringMs / 3) - ackDelayMs));
    await this.send(ids.creator, callAction("accept", ids));
    const acceptedAt = performance.now();
    const sends = [this.send(ids.creator, callAction("relaylatency", ids))];
    const peerTransport = await this.waitFor(
      (e) => e.tag === "call" && e.action === "transport" && e.callId === ids.callId,
      5000,
      "peer transport",
    );
    if (peerTransport) sends.push(this.send(ids.creator, callAction("transport", ids)));
    await sleep(Math.max(0, talkMs / 2 - ackDelayMs - (performance.now() - acceptedAt)));
    sends.push(this.send(ids.creator, callAction("mute_v2", ids, { "mute-state": "1" })));
    await Promise.all(sends);
    await terminated;
    await sleep(50);
    return ids.callId;
  }

  /** Offer in (LID addressing) → ack + receipt + preaccept → terminate reason=accepted_elsewhere. */
  async incomingAcceptedElsewhere() {
    const ids = await this.incomingOffer("incoming-accepted-elsewhere");
    const terminated = this.waitFor(
      (e) => e.tag === "call" && e.action === "terminate" && e.callId === ids.callId,
      this.config.ringMs + 5000,
      "accepted_elsewhere terminate",
    );
    await sleep(30);
    await this.send(ids.creator, callAction("preaccept", ids));
    await terminated;
    await sleep(50);
    return ids.callId;
  }

  /**
   * Offer → server ack → offer receipts → the chat socket drops and comms reconnects (new WebSocket,
   * new Noise keys, counters from 0) → after ringMs, terminate reason=timeout on the new socket → ack.
   */
  async outgoingReconnect() {
    const callId = newCallId();
    const ids = { callId, creator: JIDS.me };
    await this.post("outgoing-reconnect", { callId });
    await sleep(POST_SETTLE_MS);
    const wait = 5000 + this.config.ackDelayMs * 2;
    const receipts = this.waitFor((e) => e.tag === "receipt" && e.callId === callId, wait, "offer receipt");
    await this.send(JIDS.peer, outgoingOffer({ ...ids, devices: JIDS.peerDevices }));
    await receipts;
    // Both receipts acked before the drop, so the call's stanzas are the same as outgoing-missed's.
    await this.waitForLogged(
      (e) => e.dir === "out" && e.tag === "ack" && e.callId === callId && e.class === "receipt",
      wait,
      "ack of the offer receipt",
    );
    await sleep(50);
    await this.reconnect();
    const offeredAt = this.sentAt.get(`${callId}:offer`) ?? now();
    await sleep(Math.max(0, this.config.ringMs - (now() - offeredAt)));
    await this.send(JIDS.peer, callAction("terminate", ids, { reason: "timeout" }));
    return callId;
  }

  /**
   * On the second (passive) socket of ?sockets=2: offer in → ack + offer receipt (sent by
   * WAWebCommsHandleStanza in the context that owns that socket) → the caller gives up:
   * terminate reason=timeout → ack. The page's engine does not take part.
   */
  async incomingSecondSocket() {
    const { callId } = await this.post("incoming-second-socket");
    const { ringMs, ackDelayMs } = this.config;
    const limit = ringMs + 5000 + 4 * ackDelayMs;
    await this.waitForLogged(
      (e) => e.dir === "in" && e.tag === "call" && e.action === "terminate" && e.callId === callId,
      limit,
      "terminate on the second socket",
    );
    await this.waitForLogged(
      (e) => e.dir === "out" && e.tag === "ack" && e.action === "terminate" && e.callId === callId,
      5000,
      "ack of the terminate on the second socket",
    );
    await sleep(50);
    return callId;
  }
}
