/**
 * One chat WebSocket as seen by the simulated WA server: prologue and u24 framing (with deliberate
 * splitting and coalescing of outbound WebSocket messages), the Noise XX responder, the AES-GCM
 * transport, WABinary through whatsapp-rust-bridge (in the token dictionary the client's header
 * announces: 3, or the simulator's permutations 4 and 9, sim/page/dict.js), server and peer behaviour
 * for calls, scenarios, and background chatter.
 *
 * A connection whose ClientPayload carries `profile.wa = "2026"` also plays the 2026 transport
 * (sim/lib/transport2026.mjs): three compression wrappers (also on call stanzas), routing info of
 * varying length, and a soft close on `POST /sim/drop` (the socket stays open and delivers late
 * frames while the page's next handshake runs). Other connections behave as `wa=legacy` always did.
 * @module sim/lib/connection
 */
import zlib from "node:zlib";
import * as bridge from "whatsapp-rust-bridge";
import { dictCodec } from "../page/dict.js";
import {
  callAction,
  describeNode,
  el,
  incomingOffer,
  JIDS,
  ME,
  newCallId,
  newPhoneMessageId,
  PEER,
  randomBytes,
  randomHex,
  relayNode,
  unixSeconds,
} from "../page/shared.js";
import { NoiseResponder } from "./noise.mjs";
import {
  ABANDONED_HANDSHAKE_REASON,
  compressBody,
  detectWrapper,
  ensureTransportStats,
  parsePrologue,
  routingInfoFor,
  routingKey,
  SOFT_CLOSE_LINGER_MS,
  SOFT_CLOSE_WAIT_MS,
  SoftCloseRegistry,
  WRAPPERS,
} from "./transport2026.mjs";

const TIMING_KEYS = ["ackDelayMs", "ringMs", "talkMs", "chatterMs"];
let serverStanzaCounter = 0;
/**
 * 2026: how long (ms) the server hello waits after a soft-closed socket delivered its late frames,
 * so that the page processes them while its new handshake is still running (not after it).
 */
const LATE_FRAMES_HELLO_DELAY_MS = 100;

/** @returns {string} An id for a stanza the server originates (16 uppercase hex). */
function serverId() {
  return randomHex(8);
}

/** @returns {string} A numeric id, as the server uses for notifications and pings. */
function numericId() {
  serverStanzaCounter += 1;
  return String(Math.floor(Date.now() / 1000) * 1000 + (serverStanzaCounter % 1000));
}

/**
 * Simulated server end of one chat socket.
 */
export class SimConnection {
  /**
   * @param {import("ws").WebSocket} ws
   * @param {object} sim Shared simulator state: `{options, staticKey, certificate, record, stats, sessions}`.
   * @param {number} connId
   */
  constructor(ws, sim, connId) {
    this.ws = ws;
    this.sim = sim;
    this.connId = connId;
    this.cfg = { ...sim.options };
    this.session = null;
    /** "primary", or "secondary" for a passive login (the page's second socket with ?sockets=2) */
    this.role = "primary";
    this.codec = null;
    this.phase = "prologue";
    this.inBuf = Buffer.alloc(0);
    this.outQ = [];
    this.flushScheduled = false;
    this.flushNo = 0;
    this.timers = new Set();
    this.calls = new Map();
    this.idToCall = new Map();
    this.pendingReadReceipts = [];
    this.chatterNo = 0;
    this.closed = false;
    this.bytesIn = 0;
    /** The 2026 profile's `{wa, inflate, ed}` from the ClientPayload; null for a legacy page. */
    this.profile = null;
    /** 2026: compressed frames so far (chatter) and call stanzas so far (calls, acks), per counter. */
    this.wrapperNo = { chatter: 0, call: 0 };
    this.callStanzaNo = { call: 0, ack: 0 };
    /** 2026: `<ack class="call">` nodes whose ackDelayMs timer is running, by the call's id. */
    this.pendingCallAcks = new Map();
    /** 2026 soft close: `performance.now()` when soft-closed (null while open), its late frames. */
    this.softClosedAt = null;
    this.routingKey = null;
    this.successor = null;
    /** Soft-closed connections this one continues (2026). */
    this.predecessors = [];
    ensureTransportStats(sim.stats);
    sim.softCloses ??= new SoftCloseRegistry();
    /** Logins per session so far (2026 routing info rotates its length per login). */
    sim.loginsPerSession ??= new Map();
    ws.on("message", (data) => this.onData(Buffer.isBuffer(data) ? data : Buffer.concat([].concat(data))));
    ws.on("close", (_code, reason) => {
      if (this.phase === "prologue" && this.bytesIn === 0 && String(reason) === ABANDONED_HANDSHAKE_REASON)
        sim.stats.abandonedHandshakes += 1;
      this.dispose();
    });
    ws.on("error", () => this.dispose());
  }

  /** @returns {boolean} whether the page announced the 2026 profile in its ClientPayload */
  get is2026() {
    return this.profile?.wa === "2026";
  }

  /** Stops timers and forgets the session mapping. */
  dispose() {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.chatterTimer) clearInterval(this.chatterTimer);
    if (this.softCloseTimer) clearTimeout(this.softCloseTimer);
    this.sim.softCloses.delete(this);
    for (const map of [this.sim.sessions, this.sim.passiveSessions]) {
      if (this.session && map.get(this.session) === this) map.delete(this.session);
    }
  }

  /**
   * Drops the socket abruptly (no close frame), like a network failure: the page sees close code 1006
   * and its comms loop reconnects with a new socket and a new Noise handshake.
   * @returns {number} this connection's number
   */
  drop() {
    this.sim.stats.drops += 1;
    this.sim.stats.dropTimes.push(performance.timeOrigin + performance.now());
    if (this.is2026) return this.softClose();
    this.dispose();
    try {
      this.ws.terminate();
    } catch {
      // already gone
    }
    return this.connId;
  }

  /**
   * 2026 drop: a soft close. The server tells the page to go (`<stream:error code="503" t/>`, which
   * WAWebCommsHandleStanza answers with CLOSE_SOCKET) and stops its chatter, but keeps the
   * WebSocket open and its other timers running (peer reactions still go out on it, when due).
   * `<ack class="call">`s still waiting for their ackDelayMs, plus two chatter stanzas, go out on
   * it, with this connection's keys and counters, once the page's next Noise handshake starts on a
   * new socket (`takeOverSoftClosed`). It closes SOFT_CLOSE_LINGER_MS after that successor logged
   * in, or after SOFT_CLOSE_WAIT_MS without one.
   * @returns {number} this connection's number
   */
  softClose() {
    // With `t`, its bytes also differ between the v3 and the permuted dictionaries (sim/page/dict.js).
    this.send(el("stream:error", { code: "503", t: unixSeconds() }));
    if (this.chatterTimer) clearInterval(this.chatterTimer);
    this.chatterTimer = null;
    for (const map of [this.sim.sessions, this.sim.passiveSessions]) {
      if (this.session && map.get(this.session) === this) map.delete(this.session);
    }
    this.softClosedAt = performance.now();
    this.sim.stats.softCloses += 1;
    this.sim.softCloses.add(this);
    this.softCloseTimer = setTimeout(() => this.close(), SOFT_CLOSE_WAIT_MS);
    return this.connId;
  }

  /**
   * A new handshake continues this soft-closed connection: the frames it still had to deliver go
   * out now, while the page runs that handshake.
   * @param {SimConnection} successor
   */
  deliverLateFrames(successor) {
    this.successor = successor;
    const late = [...this.pendingCallAcks.values()];
    this.pendingCallAcks.clear();
    late.push(
      el("presence", { from: JIDS.peer, last: "deny" }),
      el("notification", { from: JIDS.server, id: numericId(), t: unixSeconds(), type: "server_sync" }, [
        el("collection", { name: "regular_low", version: "2" }),
      ]),
    );
    for (const node of late) this.send(node);
  }

  /** Closes the socket. */
  close() {
    this.dispose();
    try {
      this.ws.close(1000, "simulator closing");
    } catch {
      // already closed
    }
  }

  /**
   * Runs `fn` after `ms` unless the connection closed.
   * @param {number} ms
   * @param {() => void} fn
   */
  later(ms, fn) {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  /**
   * Like `later`, but precise to well under a millisecond: a timer that fires a little early, then
   * `setImmediate` turns until the deadline (used for acks, whose delay tests measure).
   * @param {number} ms
   * @param {() => void} fn
   */
  laterPrecise(ms, fn) {
    const deadline = performance.now() + ms;
    const spin = () => {
      if (this.closed || this.softClosedAt != null) return;
      if (performance.now() >= deadline) {
        const late = performance.now() - deadline;
        if (late > this.sim.stats.maxAckTimerLateMs) this.sim.stats.maxAckTimerLateMs = late;
        fn();
      } else setImmediate(spin);
    };
    this.later(Math.max(0, ms - 4), spin);
  }

  // ---- inbound bytes -------------------------------------------------------------------------------

  /** @param {Buffer} chunk */
  onData(chunk) {
    if (this.closed) return;
    this.bytesIn += chunk.length;
    this.inBuf = this.inBuf.length ? Buffer.concat([this.inBuf, chunk]) : chunk;
    try {
      if (this.phase === "prologue" && !this.readPrologue()) return;
      while (this.inBuf.length >= 3) {
        const len = this.inBuf.readUIntBE(0, 3);
        if (this.inBuf.length < 3 + len) break;
        const frame = this.inBuf.subarray(3, 3 + len);
        this.inBuf = this.inBuf.subarray(3 + len);
        this.onFrame(frame);
      }
    } catch (err) {
      this.sim.stats.errors.push(`conn ${this.connId}: ${err?.message ?? err}`);
      this.close();
    }
  }

  /**
   * Reads the optional ED preamble (by its u24 length) and the WA header.
   * @returns {boolean} true once both were consumed
   */
  readPrologue() {
    const p = parsePrologue(this.inBuf);
    if (!p) return false;
    const { header } = p;
    this.routingInfo = p.routing;
    const lengths = this.sim.stats.edPreambleLengths;
    const key = p.routing ? String(p.routing.length) : "none";
    lengths[key] = (lengths[key] ?? 0) + 1;
    const b = p.rest;
    this.dictVersion = header[3];
    this.codec = dictCodec(this.dictVersion, bridge); // throws on a version the server does not speak
    const versions = this.sim.stats.dictVersions;
    versions[this.dictVersion] = (versions[this.dictVersion] ?? 0) + 1;
    this.inBuf = b;
    this.noise = new NoiseResponder(this.sim.staticKey, this.sim.certificate, header);
    this.phase = "hello";
    return true;
  }

  /** @param {Buffer} frame */
  onFrame(frame) {
    if (this.phase === "hello") {
      const tookOver = this.takeOverSoftClosed();
      const hello = this.noise.onClientHello(frame);
      // After late frames, the server hello waits a little, so the page meets them mid-handshake.
      if (tookOver) this.later(LATE_FRAMES_HELLO_DELAY_MS, () => this.queueFrame(hello));
      else this.queueFrame(hello);
      this.phase = "finish";
    } else if (this.phase === "finish") {
      const { payload, transport } = this.noise.onClientFinish(frame);
      this.transport = transport;
      this.noise = null;
      this.onClientPayload(payload);
      this.phase = "open";
      this.afterLogin();
    } else if (this.phase === "open") {
      const plain = this.transport.decrypt(frame);
      const bin = this.codec.decodeNode(plain);
      const node = bin.toJSON();
      bin.free();
      this.onStanza(node);
    }
  }

  /**
   * The page's client hello arrived: soft-closed connections that this one continues deliver their
   * late frames now, before this server hello, so they reach the page during its handshake.
   * @returns {boolean} whether any did
   */
  takeOverSoftClosed() {
    const olds = this.sim.softCloses.takeOver(this.routingInfo, performance.now());
    for (const old of olds) {
      this.predecessors.push(old);
      old.deliverLateFrames(this);
    }
    return olds.length > 0;
  }

  /** @param {Buffer} payload The ClientPayload: raw JSON bytes (simplification of WA's protobuf). */
  onClientPayload(payload) {
    let info = {};
    try {
      info = JSON.parse(Buffer.from(payload).toString("utf8"));
    } catch {
      // keep defaults
    }
    this.clientInfo = info;
    for (const k of TIMING_KEYS) {
      const v = Number(info.overrides?.[k]);
      if (info.overrides?.[k] != null && Number.isFinite(v) && v >= 0) this.cfg[k] = v;
    }
    if (info.passive === true) this.role = "secondary";
    if (info.profile?.wa === "2026") {
      this.profile = {
        wa: "2026",
        inflate: WRAPPERS.includes(info.profile.inflate) ? info.profile.inflate : "mixed",
        ed: String(info.profile.ed ?? "auto"),
      };
    }
    if (typeof info.session === "string") {
      this.session = info.session;
      (this.role === "secondary" ? this.sim.passiveSessions : this.sim.sessions).set(info.session, this);
    }
  }

  // ---- outbound bytes ------------------------------------------------------------------------------

  /**
   * Encodes, optionally compresses (flags 0x02), encrypts and queues one stanza. Legacy: zlib, for
   * `opts.compress` only. 2026: the wrapper of `inflate` (`mixed` rotates zlib, gzip, raw DEFLATE),
   * and also every other `<call>` and every other `<ack class="call">` (the first of each included).
   * @param {object} node bridge-shaped node
   * @param {{compress?: boolean}} [opts]
   */
  send(node, opts = {}) {
    if (this.closed || this.phase !== "open") return;
    const v3 = bridge.encodeNode(node);
    let plain = this.codec.toWire(v3);
    if (this.codec.DICT_VERSION !== 3) {
      this.sim.stats.remappedFrames += 1;
      if (!Buffer.from(plain).equals(Buffer.from(v3))) this.sim.stats.remappedFramesChanged += 1;
    }
    const stats = this.sim.stats;
    let wrapper = null;
    if (!this.is2026) {
      if (opts.compress) {
        plain = Buffer.concat([Buffer.of(0x02), zlib.deflateSync(Buffer.from(plain.subarray(1)))]);
        wrapper = "zlib";
      }
    } else {
      const kind =
        node.tag === "call" ? "call" : node.tag === "ack" && node.attrs?.class === "call" ? "ack" : null;
      const compress = kind ? this.callStanzaNo[kind]++ % 2 === 0 : Boolean(opts.compress);
      if (compress) {
        wrapper = this.nextWrapper(kind ? "call" : "chatter");
        const body = compressBody(plain.subarray(1), wrapper);
        // Like fflate, the page tells the wrapper by the first bytes: a raw stream must not read as zlib
        // (node:zlib's never does; reported as a server error if it ever did).
        if (detectWrapper(body) !== wrapper)
          stats.errors.push(`conn ${this.connId}: a ${wrapper} body reads as ${detectWrapper(body)}`);
        plain = Buffer.concat([Buffer.of(0x02), body]);
        if (kind) stats.compressedCallStanzas[kind] += 1;
      }
    }
    if (wrapper) {
      stats.compressedFrames += 1;
      stats.compressedByWrapper[wrapper] += 1;
    }
    this.queueFrame(this.transport.encrypt(plain));
    if (this.softClosedAt != null) stats.softClosedFrames += 1;
    this.record("out", node, this.is2026 ? { wrapper, late: this.softClosedAt != null } : null);
  }

  /**
   * @param {"chatter"|"call"} stream which rotation (call stanzas rotate on their own, so they
   *   meet every wrapper whatever the chatter does)
   * @returns {"zlib"|"gzip"|"raw"} the wrapper of the next compressed frame (2026)
   */
  nextWrapper(stream) {
    const mode = this.profile.inflate;
    if (mode !== "mixed") return mode;
    return WRAPPERS[this.wrapperNo[stream]++ % WRAPPERS.length];
  }

  /** @param {Uint8Array} payload One frame payload; gets its u24 length and joins the outbound queue. */
  queueFrame(payload) {
    const f = Buffer.alloc(3 + payload.length);
    f.writeUIntBE(payload.length, 0, 3);
    f.set(payload, 3);
    this.outQ.push(f);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends the queued frames as WebSocket messages: frames queued together are coalesced, and some
   * messages are cut into pieces (sometimes inside the 3-byte length) so clients must buffer. */
  flush() {
    this.flushScheduled = false;
    const frames = this.outQ;
    this.outQ = [];
    if (this.closed || this.ws.readyState !== 1 || frames.length === 0) return;
    const all = frames.length === 1 ? frames[0] : Buffer.concat(frames);
    if (frames.length > 1) this.sim.stats.coalescedMessages += 1;
    this.flushNo += 1;
    const cuts = [];
    if (all.length >= 8 && this.flushNo % 3 === 0)
      cuts.push(1 + Math.floor(Math.random() * (all.length - 1)));
    if (all.length >= 8 && this.flushNo % 7 === 0) cuts.push(2);
    const points = [...new Set(cuts)].sort((a, b) => a - b);
    if (points.length) this.sim.stats.splitMessages += 1;
    let start = 0;
    for (const p of [...points, all.length]) {
      if (p > start) this.ws.send(all.subarray(start, p));
      start = p;
    }
    this.sim.stats.wsMessagesSent += points.length + 1;
  }

  /**
   * @param {"in"|"out"} dir from the server's point of view
   * @param {object} node
   * @param {{wrapper: string|null, late: boolean}|null} [transport] 2026 only: the frame's
   *   compression wrapper (`wrapper`, when compressed) and whether it went out on a soft-closed
   *   socket (`late: true`), added to the log entry
   */
  record(dir, node, transport = null) {
    const d = describeNode(node);
    if (d.callId && d.id) this.idToCall.set(d.id, d.callId);
    if (!d.callId && d.id && (node.tag === "ack" || node.tag === "receipt") && this.idToCall.has(d.id)) {
      d.callId = this.idToCall.get(d.id);
    }
    this.sim.record({
      t: performance.timeOrigin + performance.now(),
      dir,
      conn: this.connId,
      session: this.session,
      role: this.role,
      ...d,
      ...(transport?.wrapper ? { wrapper: transport.wrapper } : {}),
      ...(transport?.late ? { late: true } : {}),
    });
  }

  // ---- server behaviour ----------------------------------------------------------------------------

  /** First stanzas after the handshake, then background chatter. */
  afterLogin() {
    this.send(
      el("success", {
        t: unixSeconds(),
        props: "27",
        abprops: "31",
        location: "gru",
        lid: `${ME.lid}@lid`,
        creation: "1700000000",
      }),
    );
    let routing = Uint8Array.of(8, 8, 8, 2);
    if (this.is2026) {
      // Routing info of varying length (4, 6, 10 bytes per login in turn), naming the session.
      const logins = this.sim.loginsPerSession;
      const n = logins.get(this.session) ?? 0;
      logins.set(this.session, n + 1);
      routing = routingInfoFor(this.session, n);
      this.routingKey = routingKey(routing);
    }
    this.send(el("ib", { from: JIDS.server }, [el("edge_routing", {}, [el("routing_info", {}, routing)])]));
    // The soft-closed connections this one continues close a little after its login.
    for (const old of this.predecessors) {
      clearTimeout(old.softCloseTimer);
      old.softCloseTimer = setTimeout(() => old.close(), SOFT_CLOSE_LINGER_MS);
    }
    // A first notification right away, so every mode carries one early (chatter adds more).
    this.send(
      el("notification", { from: JIDS.server, id: numericId(), t: unixSeconds(), type: "server_sync" }, [
        el("collection", { name: "regular", version: "1" }),
      ]),
    );
    if (this.cfg.chatterMs > 0) this.chatterTimer = setInterval(() => this.chatterTick(), this.cfg.chatterMs);
  }

  /** @param {object} node a decoded stanza from the page */
  onStanza(node) {
    this.record("in", node);
    const a = node.attrs;
    switch (node.tag) {
      case "call":
        this.onCall(node);
        break;
      case "message":
        this.later(40, () =>
          this.send(el("ack", { class: "message", id: a.id, from: a.to, t: unixSeconds() })),
        );
        this.later(90, () => this.send(el("receipt", { from: a.to, id: a.id, t: unixSeconds() })));
        this.pendingReadReceipts.push({ id: a.id, from: a.to });
        break;
      case "receipt": {
        const attrs = { class: "receipt", id: a.id, from: a.to };
        if (a.type) attrs.type = a.type;
        this.later(20, () => this.send(el("ack", attrs)));
        break;
      }
      case "iq":
        if (a.type === "get" || a.type === "set") this.later(15, () => this.send(this.iqResult(node)));
        break;
      default:
        break;
    }
  }

  /** @param {object} iq @returns {object} the server's result */
  iqResult(iq) {
    const attrs = { from: JIDS.server, id: iq.attrs.id, type: "result" };
    if (iq.attrs.xmlns === "w:p") attrs.t = unixSeconds();
    const kids = iq.attrs.xmlns === "encrypt" ? [el("count", { value: "42" })] : null;
    return el("iq", attrs, kids);
  }

  /** Every `<call>` is acked exactly ackDelayMs after it arrived; peer reactions follow. */
  onCall(node) {
    const { id, to } = node.attrs;
    const action = Array.isArray(node.content) ? node.content[0] : null;
    if (!action) return;
    const ackAttrs = { class: "call", id, from: to, type: action.tag };
    const withRelay = action.tag === "offer" ? [relayNode()] : null;
    const ack = el("ack", ackAttrs, withRelay);
    // 2026: an ack still waiting when the socket is soft-closed goes out late, on that socket.
    if (this.is2026) this.pendingCallAcks.set(id, ack);
    this.laterPrecise(this.cfg.ackDelayMs, () => {
      this.pendingCallAcks.delete(id);
      this.send(ack);
    });
    const callId = action.attrs["call-id"];
    const creator = action.attrs["call-creator"];
    if (action.tag === "offer") {
      this.calls.set(callId, { outgoing: true, offerId: id, creator });
      // One offer receipt per peer device, sent in the same tick (coalesced into one WebSocket message).
      this.later(this.cfg.ackDelayMs + 30, () => {
        for (const from of JIDS.peerDevices) {
          this.send(
            el("receipt", { from, id, t: unixSeconds() }, [
              el("offer", { "call-id": callId, "call-creator": creator }),
            ]),
          );
        }
      });
    } else if (action.tag === "accept") {
      const call = this.calls.get(callId);
      if (call?.scenario === "incoming-answered") {
        const ids = { callId, creator };
        this.later(60, () =>
          this.sendPeerCall(call, callAction("transport", ids, { "transport-message-type": "3" })),
        );
        this.later(110, () => this.sendPeerCall(call, callAction("relaylatency", ids)));
        const secs = String(Math.max(1, Math.round(this.cfg.talkMs / 1000)));
        this.later(this.cfg.talkMs, () =>
          this.sendPeerCall(call, callAction("terminate", ids, { duration: secs, audio_duration: secs })),
        );
      }
    }
  }

  /**
   * Sends a `<call>` from the peer.
   * @param {{from: string}} call
   * @param {object} action
   * @param {Record<string, string>} [extra] extra wrapper attributes
   */
  sendPeerCall(call, action, extra = {}) {
    this.send(el("call", { from: call.from, id: serverId(), t: unixSeconds(), ...extra }, [action]));
  }

  /**
   * Starts the server's part of a scenario for this connection.
   * @param {string} name
   * @param {{callId?: string}} body
   * @returns {{callId: string|null}}
   */
  startScenario(name, body) {
    if (name === "outgoing-missed" || name === "outgoing-reconnect") return { callId: body.callId ?? null };
    const callId = newCallId();
    const lid = name === "incoming-accepted-elsewhere";
    const call = {
      scenario: name,
      from: lid ? JIDS.peerLid : JIDS.peer,
      creator: lid ? JIDS.peerLidDevice : JIDS.peerDevice,
    };
    this.calls.set(callId, call);
    const ids = { callId, creator: call.creator };
    this.later(30, () =>
      this.sendPeerCall(call, incomingOffer({ ...ids, callerPn: JIDS.peer }), {
        notify: PEER.pushName,
        platform: PEER.platform,
        version: PEER.version,
      }),
    );
    if (name === "incoming-accepted-elsewhere") {
      this.later(30 + Math.round(this.cfg.ringMs / 3), () =>
        this.sendPeerCall(call, callAction("terminate", ids, { reason: "accepted_elsewhere" })),
      );
    }
    if (name === "incoming-second-socket") {
      // Played on the passive connection: the caller gives up ringing.
      this.later(30 + Math.round(this.cfg.ringMs / 3), () =>
        this.sendPeerCall(call, callAction("terminate", ids, { reason: "timeout" })),
      );
    }
    return { callId };
  }

  /** Background traffic that is not call signalling; the extension must never show it. */
  chatterTick() {
    if (this.closed || this.phase !== "open") return;
    const k = this.chatterNo++ % 6;
    const t = unixSeconds();
    if (k === 0) {
      this.send(
        el("message", { from: JIDS.peer, id: newPhoneMessageId(), type: "text", t, notify: PEER.pushName }, [
          el("enc", { v: "2", type: "msg" }, randomBytes(48 + Math.floor(Math.random() * 80))),
        ]),
        { compress: this.is2026 },
      );
    } else if (k === 1) {
      // Two stanzas in one tick: coalesced into one WebSocket message.
      this.send(el("presence", { from: JIDS.peer, last: "deny" }));
      this.send(el("chatstate", { from: JIDS.peer }, [el("composing")]));
    } else if (k === 2) {
      const compress = this.is2026 || this.chatterNo % 4 === 3;
      this.send(
        el("notification", { from: JIDS.server, id: numericId(), t, type: "encrypt" }, [
          el("count", { value: "42" }),
        ]),
        { compress },
      );
    } else if (k === 3) {
      this.send(el("iq", { from: JIDS.server, id: numericId(), t, type: "get", xmlns: "urn:xmpp:ping" }));
    } else if (k === 4) {
      const r = this.pendingReadReceipts.shift();
      if (r) this.send(el("receipt", { from: r.from, id: r.id, t, type: "read" }));
      else this.send(el("ib", { from: JIDS.server }, [el("dirty", { type: "account_sync", timestamp: t })]));
    } else {
      this.send(
        el("notification", { from: JIDS.peer, id: numericId(), t, type: "devices" }, [
          el("devices", { dhash: randomHex(4) }, [el("device", { jid: JIDS.peerDevice })]),
        ]),
      );
    }
  }
}
