/*
 * Socket bundle (runtime doc §6): WebSocket → WAWebWatchedSocket → WAFrameSocket → WANoiseHandshake →
 * WANoiseSocket. All crypto goes through WACryptoDependencies.getCrypto().subtle: SHA-256, HKDF,
 * X25519 and AES-GCM (handshake keys with ["encrypt","decrypt"], transport keys with one usage each).
 * Runs wherever comms runs: on the page, or in the backend worker with ?comms=worker.
 *
 * The 2026 profile (every page but `?wa=legacy`; wa-web-2026.md §5 and "Compression") adds:
 * - the `ED` routing preamble per `?ed=`: `auto` as real WA (absent until routing info is known),
 *   `none`, or a routing field of exactly 4, 6 or 8 bytes on every connection;
 * - a soft close: when comms closes a NoiseSocket, comms is told at once, but the WebSocket stays
 *   open for a while and its frames are still decrypted (old keys, old counters) and delivered, as
 *   WA's comms does with `shouldCloseStaleSocket` false; a closing socket also delivers the frames
 *   it already received before reporting the close;
 * - once per context, the primary comms' first Noise handshake is abandoned after its first
 *   `importKey` (its socket closed), and a fresh one on a new socket completes.
 */
__d(
  "WACryptoDependencies",
  [],
  (global, _require, _requireDynamic, _requireLazy, _module, exports) => {
    let cryptoInstance = global.self ? global.self.crypto : global.crypto;
    exports.getCrypto = () => cryptoInstance;
    exports.setCryptoInstance = (c) => {
      cryptoInstance = c;
    };
  },
  66,
);

__d(
  "WACryptoHkdf",
  ["WACryptoDependencies"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    /** HKDF-SHA256(ikm, salt, info) → `length` bytes, via subtle HKDF. */
    async function extractWithSaltAndExpand(ikm, salt, info, length) {
      const subtle = importNamespace("WACryptoDependencies").getCrypto().subtle;
      const key = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
      const bits = await subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt, info: new global.TextEncoder().encode(info || "") },
        key,
        length * 8,
      );
      return new Uint8Array(bits);
    }
    exports.extractWithSaltAndExpand = extractWithSaltAndExpand;
  },
  98,
);

__d(
  "WACryptoCurve25519",
  ["WACryptoDependencies"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const subtle = () => importNamespace("WACryptoDependencies").getCrypto().subtle;
    /** @returns {Promise<{privKey: CryptoKey, pubKey: Uint8Array}>} */
    async function generateKeyPair() {
      const pair = await subtle().generateKey({ name: "X25519" }, false, ["deriveBits"]);
      const pubKey = new Uint8Array(await subtle().exportKey("raw", pair.publicKey));
      return { privKey: pair.privateKey, pubKey };
    }
    /** @returns {Promise<Uint8Array>} the 32-byte X25519 shared secret */
    async function sharedSecret(privKey, pubKeyBytes) {
      const pub = await subtle().importKey("raw", pubKeyBytes, { name: "X25519" }, true, []);
      return new Uint8Array(await subtle().deriveBits({ name: "X25519", public: pub }, privKey, 256));
    }
    exports.generateKeyPair = generateKeyPair;
    exports.sharedSecret = sharedSecret;
  },
  98,
);

__d(
  "WAHandshakeProto",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    // HandshakeMessage { clientHello = 2 { ephemeral = 1 }, serverHello = 3 { ephemeral = 1, static = 2,
    // payload = 3 }, clientFinish = 4 { static = 1, payload = 2 } } — length-delimited fields only.
    function encode(fields) {
      const parts = [];
      let total = 0;
      for (const [no, value] of fields) {
        const body = Array.isArray(value) ? encode(value) : value;
        const head = [(no << 3) | 2];
        let len = body.length;
        while (len > 0x7f) {
          head.push((len & 0x7f) | 0x80);
          len >>>= 7;
        }
        head.push(len);
        parts.push(Uint8Array.from(head), body);
        total += head.length + body.length;
      }
      const out = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        out.set(p, off);
        off += p.length;
      }
      return out;
    }
    function decode(buf) {
      const out = new Map();
      let i = 0;
      const varint = () => {
        let v = 0;
        let mul = 1;
        for (;;) {
          const x = buf[i++];
          v += (x & 0x7f) * mul;
          if (!(x & 0x80)) return v;
          mul *= 128;
        }
      };
      while (i < buf.length) {
        const key = varint();
        const wt = key & 7;
        if (wt === 2) {
          const len = varint();
          out.set(key >>> 3, buf.subarray(i, i + len));
          i += len;
        } else if (wt === 0) varint();
        else if (wt === 5) i += 4;
        else if (wt === 1) i += 8;
        else throw new Error(`protobuf wire type ${wt}`);
      }
      return out;
    }
    const EMPTY = new Uint8Array(0);
    exports.encodeClientHello = (ephemeral) => encode([[2, [[1, ephemeral]]]]);
    exports.decodeServerHello = (buf) => {
      const hello = decode(decode(buf).get(3) ?? EMPTY);
      return { ephemeral: hello.get(1), static: hello.get(2), payload: hello.get(3) };
    };
    exports.encodeClientFinish = (encStatic, encPayload) =>
      encode([
        [
          4,
          [
            [1, encStatic],
            [2, encPayload],
          ],
        ],
      ]);
  },
  98,
);

__d(
  "WAWebWatchedSocket",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    /** Thin wrapper over a WebSocket: `onMessage(ArrayBuffer)` / `onClose(event)` are assignable. */
    class WatchedSocket {
      constructor(ws) {
        this.ws = ws;
        this.url = ws.url;
        this.onMessage = null;
        this.onClose = null;
        ws.onmessage = (e) => this.onMessage?.(e.data);
        ws.onclose = (e) => this.onClose?.(e);
        ws.onerror = () => {};
      }
      get readyState() {
        return this.ws.readyState;
      }
      send(data) {
        this.ws.send(data);
      }
      close(code = 1000, reason = "") {
        this.ws.close(code, reason);
      }
    }
    exports.WatchedSocket = WatchedSocket;
  },
  98,
);

__d(
  "WAWebOpenSocket",
  ["WAWebWatchedSocket"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const URLS = ["wss://web.whatsapp.com/ws/chat", "wss://web.whatsapp.com:5222/ws/chat"];
    /** Races both chat URLs (with `?ED=` when routing info exists); the loser is closed. */
    function openWebSocket(edB64url) {
      return new Promise((resolve, reject) => {
        const urls = URLS.map((u) => (edB64url ? `${u}?ED=${edB64url}` : u));
        let settled = false;
        let failures = 0;
        const sockets = urls.map((u) => {
          const ws = new global.WebSocket(u);
          ws.binaryType = "arraybuffer";
          return ws;
        });
        for (const ws of sockets) {
          ws.onopen = () => {
            ws.onopen = null;
            ws.onerror = null;
            if (settled) {
              ws.close(1000, "loser socket");
              return;
            }
            settled = true;
            for (const other of sockets) {
              if (other !== ws && other.readyState <= 1) {
                other.onopen = null;
                other.onerror = null;
                other.close(1000, "loser socket");
              }
            }
            resolve(new (importNamespace("WAWebWatchedSocket").WatchedSocket)(ws));
          };
          ws.onerror = () => {
            failures++;
            if (!settled && failures === sockets.length) {
              settled = true;
              reject(new Error("openWebSocket: every chat socket failed"));
            }
          };
        }
      });
    }
    exports.openWebSocket = openWebSocket;
  },
  98,
);

__d(
  "WAFrameSocket",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    const MAX = 1 << 24;
    class BufferTooLargeError extends Error {
      constructor(size) {
        super(`frame of ${size} bytes is too large`);
        this.name = "BufferTooLargeError";
      }
    }
    /** u24 big-endian framing; the header goes out once, before the first frame. */
    class FrameSocket {
      constructor(watchedSocket, header) {
        this.socket = watchedSocket;
        this.header = header;
        this.headerSent = false;
        this.buf = new Uint8Array(0);
        this.onFrame = null;
        this.onClose = null;
        watchedSocket.onMessage = (data) => this.receive(new Uint8Array(data));
        watchedSocket.onClose = (e) => this.onClose?.(e);
      }
      sendFrame(buf) {
        const len = buf.byteLength;
        if (len >= MAX) throw new BufferTooLargeError(len);
        const head = this.headerSent ? 0 : this.header.length;
        const out = new Uint8Array(head + 3 + len);
        if (head) out.set(this.header, 0);
        out[head] = len >>> 16;
        out[head + 1] = (len >>> 8) & 0xff;
        out[head + 2] = len & 0xff;
        out.set(buf instanceof Uint8Array ? buf : new Uint8Array(buf), head + 3);
        this.headerSent = true;
        this.socket.send(out);
      }
      receive(chunk) {
        let b = chunk;
        if (this.buf.length) {
          b = new Uint8Array(this.buf.length + chunk.length);
          b.set(this.buf, 0);
          b.set(chunk, this.buf.length);
        }
        while (b.length >= 3) {
          const len = (b[0] << 16) | (b[1] << 8) | b[2];
          if (b.length < 3 + len) break;
          const frame = b.subarray(3, 3 + len);
          b = b.subarray(3 + len);
          this.onFrame?.(frame);
        }
        this.buf = b;
      }
      close() {
        this.socket.close(1000, "");
      }
    }
    exports.FrameSocket = FrameSocket;
    exports.BufferTooLargeError = BufferTooLargeError;
  },
  98,
);

__d(
  "WANoiseHandshake",
  ["WACryptoDependencies", "WACryptoHkdf"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const subtle = () => importNamespace("WACryptoDependencies").getCrypto().subtle;
    const importAesKey = (raw, usages) => subtle().importKey("raw", raw, "AES-GCM", false, usages);
    const ivFor = (counter) => {
      const iv = new Uint8Array(12);
      new DataView(iv.buffer).setUint32(8, counter);
      return iv;
    };
    const concat = (a, b) => {
      const out = new Uint8Array(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      return out;
    };

    class NoiseHandshake {
      constructor(frameSocket) {
        this.frameSocket = frameSocket;
        this.queued = [];
        this.waiter = null;
        this.closed = false;
        frameSocket.onFrame = (frame) => {
          if (this.waiter) {
            const w = this.waiter;
            this.waiter = null;
            w.resolve(frame);
          } else this.queued.push(frame);
        };
        frameSocket.onClose = () => {
          this.closed = true;
          this.waiter?.reject(new Error("socket closed during the handshake"));
          this.waiter = null;
        };
      }
      async start(patternName, prologue) {
        this.hash = patternName;
        this.salt = patternName;
        this.cryptoKey = await importAesKey(patternName, ["encrypt", "decrypt"]);
        this.counter = 0;
        await this.authenticate(prologue);
      }
      async authenticate(data) {
        this.hash = new Uint8Array(await subtle().digest("SHA-256", concat(this.hash, data)));
      }
      async mixIntoKey(data) {
        const okm = await importNamespace("WACryptoHkdf").extractWithSaltAndExpand(data, this.salt, "", 64);
        this.salt = okm.slice(0, 32);
        this.cryptoKey = await importAesKey(okm.slice(32, 64), ["encrypt", "decrypt"]);
        this.counter = 0;
      }
      async encrypt(plaintext) {
        const params = { name: "AES-GCM", iv: ivFor(this.counter++), additionalData: this.hash };
        const ct = new Uint8Array(await subtle().encrypt(params, this.cryptoKey, plaintext));
        await this.authenticate(ct);
        return ct;
      }
      async decrypt(ciphertext) {
        const params = { name: "AES-GCM", iv: ivFor(this.counter++), additionalData: this.hash };
        const pt = new Uint8Array(await subtle().decrypt(params, this.cryptoKey, ciphertext));
        await this.authenticate(ciphertext);
        return pt;
      }
      /** @returns {Promise<{writeKey: CryptoKey, readKey: CryptoKey}>} */
      async finish() {
        const okm = await importNamespace("WACryptoHkdf").extractWithSaltAndExpand(
          new Uint8Array(0),
          this.salt,
          "",
          64,
        );
        const writeKey = await importAesKey(okm.slice(0, 32), ["encrypt"]);
        const readKey = await importAesKey(okm.slice(32, 64), ["decrypt"]);
        return { writeKey, readKey };
      }
      sendFrame(bytes) {
        this.frameSocket.sendFrame(bytes);
      }
      readFrame(timeoutMs = 20000) {
        if (this.queued.length) return Promise.resolve(this.queued.shift());
        if (this.closed) return Promise.reject(new Error("socket closed during the handshake"));
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiter = null;
            reject(new Error("handshake timeout"));
          }, timeoutMs);
          this.waiter = {
            resolve: (f) => {
              clearTimeout(timer);
              resolve(f);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          };
        });
      }
      /** Frames that arrived after the last handshake read (first transport frames). */
      takeQueuedFrames() {
        const q = this.queued;
        this.queued = [];
        this.frameSocket.onFrame = null;
        this.frameSocket.onClose = null;
        return q;
      }
    }
    exports.NoiseHandshake = NoiseHandshake;
  },
  98,
);

__d(
  "WANoiseSocket",
  ["WACryptoDependencies"],
  (_global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const subtle = () => importNamespace("WACryptoDependencies").getCrypto().subtle;
    const ivFor = (counter) => {
      const iv = new Uint8Array(12);
      new DataView(iv.buffer).setUint32(8, counter);
      return iv;
    };
    /**
     * AES-256-GCM transport: one subtle call per frame, a counter per direction, empty AAD.
     * `options.softCloseMs` (2026): `close()` becomes a soft close that keeps the WebSocket open
     * that long (or until the server closes it), still delivering its frames; and a close of the
     * WebSocket is reported only after the frames received before it were delivered.
     */
    class NoiseSocket {
      constructor(frameSocket, writeKey, readKey, earlyFrames = [], options = undefined) {
        this.softCloseMs = options?.softCloseMs ?? 0;
        /** 2026: frames still reach `onFrameCb` after `closed` (soft close, or draining a close). */
        this.deliverWhileClosed = false;
        this.frameSocket = frameSocket;
        this.writeKey = writeKey;
        this.readKey = readKey;
        this.writeCounter = 0;
        this.readCounter = 0;
        this.writeChain = Promise.resolve();
        this.readChain = Promise.resolve();
        this.onFrameCb = null;
        this.onCloseCb = null;
        this.undelivered = [];
        this.closed = false;
        frameSocket.onFrame = (frame) => this.receive(frame);
        frameSocket.onClose = (e) => this.handleClose(e);
        for (const f of earlyFrames) this.receive(f);
      }
      /** @returns {Promise<void>} resolves once the encrypted frame was handed to the WebSocket. */
      sendFrame(plaintext) {
        if (this.closed) return Promise.reject(new Error("NoiseSocket closed"));
        const params = { name: "AES-GCM", iv: ivFor(this.writeCounter++), additionalData: new Uint8Array(0) };
        const encrypted = subtle().encrypt(params, this.writeKey, plaintext);
        const sent = this.writeChain
          .then(() => encrypted)
          .then((ct) => {
            if (this.closed) throw new Error("NoiseSocket closed");
            this.frameSocket.sendFrame(new Uint8Array(ct));
          });
        this.writeChain = sent.catch(() => {});
        return sent;
      }
      receive(frame) {
        const params = { name: "AES-GCM", iv: ivFor(this.readCounter++), additionalData: new Uint8Array(0) };
        const decrypted = subtle().decrypt(params, this.readKey, frame);
        this.readChain = this.readChain
          .then(() => decrypted)
          .then(
            (buf) => {
              if (this.closed && !this.deliverWhileClosed) return;
              if (this.onFrameCb) this.onFrameCb(buf);
              else this.undelivered.push(buf);
            },
            (err) => {
              console.error("[WANoiseSocket] decrypt failed", err);
              this.close();
            },
          );
      }
      setOnFrame(cb) {
        this.onFrameCb = cb;
        const q = this.undelivered;
        this.undelivered = [];
        for (const buf of q) cb(buf);
      }
      setOnClose(cb) {
        this.onCloseCb = cb;
        if (this.closed) cb();
      }
      handleClose(e) {
        if (this.softCloseMs) {
          // The WebSocket closed: deliver what it had received, then report (once).
          const wasClosed = this.closed;
          this.closed = true;
          this.deliverWhileClosed = true;
          clearTimeout(this.softCloseTimer);
          this.readChain.then(() => {
            this.deliverWhileClosed = false;
            if (!wasClosed) this.onCloseCb?.(e);
          });
          return;
        }
        if (this.closed) return;
        this.closed = true;
        this.onCloseCb?.(e);
      }
      close() {
        if (this.closed) return;
        if (this.softCloseMs) {
          // Soft close: comms is done with this socket, but the WebSocket stays open a while and
          // its frames still reach comms; sends fail from now on.
          this.closed = true;
          this.deliverWhileClosed = true;
          this.softCloseTimer = setTimeout(() => this.frameSocket.close(), this.softCloseMs);
          this.onCloseCb?.();
          return;
        }
        this.frameSocket.close();
        this.handleClose();
      }
    }
    exports.NoiseSocket = NoiseSocket;
  },
  98,
);

__d(
  "WAWebRoutingInfo",
  [],
  (global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    // sessionStorage on the page; a worker has none, so it keeps the value in memory.
    const KEY = "WASim:edgeRouting";
    let memory = null;
    function getRoutingInfo() {
      try {
        const hex = global.sessionStorage?.getItem(KEY);
        if (hex) return Uint8Array.from(hex.match(/../g).map((h) => parseInt(h, 16)));
      } catch {
        // storage unavailable
      }
      return memory ? Uint8Array.from(memory) : null;
    }
    function setRoutingInfo(bytes) {
      memory = Uint8Array.from(bytes);
      try {
        global.sessionStorage.setItem(
          KEY,
          Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""),
        );
      } catch {
        // storage unavailable
      }
    }
    exports.getRoutingInfo = getRoutingInfo;
    exports.setRoutingInfo = setRoutingInfo;
  },
  98,
);

__d(
  "WAWebClientPayload",
  ["WAWebBuildConstants"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    // Simplification: WA sends a ClientPayload protobuf; the simulator sends JSON bytes, which also
    // carry the page's simulator session (so POST /sim/scenario can find this socket) and overrides,
    // and in the 2026 profile `profile: {wa, inflate, ed}` (how the server learns the page's modes).
    let simInfo = {};
    function setSimInfo(info) {
      simInfo = { ...info };
    }
    function getClientPayload(options) {
      const payload = {
        username: "15550001111",
        device: 12,
        passive: Boolean(options?.passive),
        pull: true,
        userAgent: { platform: "WEB", appVersion: importNamespace("WAWebBuildConstants").VERSION_STR },
        webInfo: { webSubPlatform: "WEB_BROWSER" },
        ...simInfo,
      };
      const modes = importNamespace("WASimConfig");
      if (modes.wa !== "legacy") payload.profile = { wa: "2026", inflate: modes.inflate, ed: modes.ed };
      return new global.TextEncoder().encode(JSON.stringify(payload));
    }
    exports.setSimInfo = setSimInfo;
    exports.getClientPayload = getClientPayload;
  },
  98,
);

__d(
  "WAWebOpenChatSocket",
  [
    "WAWebOpenSocket",
    "WAFrameSocket",
    "WANoiseHandshake",
    "WANoiseSocket",
    "WACryptoCurve25519",
    "WAHandshakeProto",
    "WASimWapBackend",
    "WAWebRoutingInfo",
    "WAWebClientPayload",
  ],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const NOISE_XX = new Uint8Array(32);
    NOISE_XX.set(new global.TextEncoder().encode("Noise_XX_25519_AESGCM_SHA256"), 0);
    let staticKeyPromise = null;

    function b64url(bytes) {
      return global
        .btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    }

    /** Close reason of an abandoned handshake's socket (the server counts them by it). */
    const ABANDONED_REASON = "handshake abandoned";
    /** How long a soft-closed socket stays open at most (2026). */
    const SOFT_CLOSE_MS = 10000;
    let abandonedOnce = false;

    /**
     * The header's dictionary byte: WAWapDict.DICT_VERSION, or the codec's own version on a build
     * without WAWapDict (`?dict=unknown`). 2026: the page's mode says which, so that no
     * unregistered name is ever required (the 2026 runtime counts those as ModuleErrors).
     * @param {{wa: string, dict: string}} modes
     */
    function dictVersion(modes) {
      if (modes.wa !== "legacy") {
        return importNamespace(modes.dict === "unknown" ? "WASimWapBackend" : "WAWapDict").DICT_VERSION;
      }
      try {
        return importNamespace("WAWapDict").DICT_VERSION;
      } catch {
        return importNamespace("WASimWapBackend").DICT_VERSION;
      }
    }

    /**
     * The routing field of the `ED` preamble, or null for none. Legacy and `ed=auto`: the known
     * routing info (none before the server sent any). `ed=none`: never. `ed=4|6|8`: exactly that many
     * bytes on every connection: the known routing info cut or padded with further varint fields,
     * or made-up bytes before any is known.
     * @param {Uint8Array|null} routing
     * @param {string|undefined} ed the `?ed=` mode (2026), undefined for legacy
     * @returns {Uint8Array|null}
     */
    function routingField(routing, ed) {
      if (ed === undefined || ed === "auto") return routing;
      if (ed === "none") return null;
      const n = Number(ed);
      const out = new Uint8Array(n);
      const known = routing ?? Uint8Array.of(0x08, 0, 0x10, 0);
      out.set(known.subarray(0, n), 0);
      for (let i = known.length, field = 3; i < n; i += 2, field++) {
        out[i] = (field << 3) & 0xff;
        if (i + 1 < n) out[i + 1] = 1;
      }
      return out;
    }

    /** `ED 00 01`, u24 length, the routing bytes, then the WA header; or the WA header alone. */
    function connectionHeader(field, waHeader) {
      if (!field) return waHeader;
      const header = new Uint8Array(7 + field.length + 4);
      header.set([0x45, 0x44, 0, 1, field.length >>> 16, (field.length >>> 8) & 0xff, field.length & 0xff]);
      header.set(field, 7);
      header.set(waHeader, 7 + field.length);
      return header;
    }

    /**
     * 2026: a Noise handshake that starts on a socket of its own, imports its first key, and is
     * abandoned: the socket closes before a byte was sent.
     */
    async function abandonHandshake(edParam, header, waHeader) {
      const watched = await importNamespace("WAWebOpenSocket").openWebSocket(edParam);
      try {
        const frameSocket = new (importNamespace("WAFrameSocket").FrameSocket)(watched, header);
        const hs = new (importNamespace("WANoiseHandshake").NoiseHandshake)(frameSocket);
        await hs.start(NOISE_XX, waHeader);
      } finally {
        watched.close(1000, ABANDONED_REASON);
      }
    }

    /**
     * Opens the chat socket and runs Noise XX; resolves to a WANoiseSocket. `options.passive` goes into
     * the ClientPayload (the simulator's second, passive connection sets it).
     */
    async function openChatSocket(onHandshake, signal, options) {
      const modes = importNamespace("WASimConfig");
      const wa2026 = modes.wa !== "legacy";
      const routing = importNamespace("WAWebRoutingInfo").getRoutingInfo();
      const edParam = routing ? b64url(routing) : null;
      const waHeader = Uint8Array.of(0x57, 0x41, 6, dictVersion(modes));
      const header = connectionHeader(routingField(routing, wa2026 ? modes.ed : undefined), waHeader);
      if (wa2026 && !options?.passive && !abandonedOnce) {
        abandonedOnce = true;
        try {
          await abandonHandshake(edParam, header, waHeader);
        } catch (err) {
          console.warn("[WAWebOpenChatSocket] abandoned handshake", err);
        }
      }
      const watched = await importNamespace("WAWebOpenSocket").openWebSocket(edParam);
      if (signal?.aborted) {
        watched.close(1000, "aborted");
        throw new Error("aborted");
      }
      const frameSocket = new (importNamespace("WAFrameSocket").FrameSocket)(watched, header);
      onHandshake?.();
      const curve = importNamespace("WACryptoCurve25519");
      const proto = importNamespace("WAHandshakeProto");
      const hs = new (importNamespace("WANoiseHandshake").NoiseHandshake)(frameSocket);
      try {
        await hs.start(NOISE_XX, waHeader);
        const ephemeral = await curve.generateKeyPair();
        await hs.authenticate(ephemeral.pubKey);
        hs.sendFrame(proto.encodeClientHello(ephemeral.pubKey));
        const hello = proto.decodeServerHello(await hs.readFrame());
        if (!hello.ephemeral || !hello.static || !hello.payload) throw new Error("bad server hello");
        await hs.authenticate(hello.ephemeral);
        await hs.mixIntoKey(await curve.sharedSecret(ephemeral.privKey, hello.ephemeral));
        const serverStatic = await hs.decrypt(hello.static);
        await hs.mixIntoKey(await curve.sharedSecret(ephemeral.privKey, serverStatic));
        const certificate = JSON.parse(new global.TextDecoder().decode(await hs.decrypt(hello.payload)));
        const staticHex = Array.from(serverStatic, (b) => b.toString(16).padStart(2, "0")).join("");
        if (certificate.key !== staticHex)
          throw new Error("server certificate does not match its static key");
        staticKeyPromise ??= curve.generateKeyPair();
        const noiseKey = await staticKeyPromise;
        const encStatic = await hs.encrypt(noiseKey.pubKey);
        await hs.mixIntoKey(await curve.sharedSecret(noiseKey.privKey, hello.ephemeral));
        const encPayload = await hs.encrypt(
          importNamespace("WAWebClientPayload").getClientPayload({ passive: Boolean(options?.passive) }),
        );
        hs.sendFrame(proto.encodeClientFinish(encStatic, encPayload));
        const { writeKey, readKey } = await hs.finish();
        if (hs.closed) throw new Error("socket closed during the handshake");
        return new (importNamespace("WANoiseSocket").NoiseSocket)(
          frameSocket,
          writeKey,
          readKey,
          hs.takeQueuedFrames(),
          wa2026 ? { softCloseMs: SOFT_CLOSE_MS } : undefined,
        );
      } catch (err) {
        watched.close(1000, "handshake failed");
        throw err;
      }
    }
    exports.openChatSocket = openChatSocket;
  },
  98,
);
