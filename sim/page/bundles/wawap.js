/*
 * Codec bundle: WAWapJid and WAWap (runtime doc §2); WAWapDict is in wawap-dict.js. Bytes are encoded
 * and decoded by whatsapp-rust-bridge, which boot.js (or the worker entry) registers as the module
 * "WASimWapBackend", wrapped for the page's token dictionary (sim/page/dict.js); these modules only
 * reproduce WA's shapes around it (WapNode, WapJid, wap(), generateId(), the Promise-returning
 * decodeStanza that throws synchronously, ...).
 */
__d(
  "WAWapJid",
  [],
  (_global, _require, _importDefault, _importNamespace, _requireLazy, _module, exports) => {
    const DomainType = Object.freeze({ WHATSAPP: 0, LID: 1, HOSTED: 128, HOSTED_LID: 129 });
    const DOMAIN_SERVER = { 0: "s.whatsapp.net", 1: "lid", 128: "hosted", 129: "hosted.lid" };
    const SERVER_DOMAIN = { "s.whatsapp.net": 0, lid: 1, hosted: 128, "hosted.lid": 129 };
    const KNOWN_SERVERS = new Set([
      "s.whatsapp.net",
      "c.us",
      "g.us",
      "lid",
      "hosted",
      "hosted.lid",
      "broadcast",
      "newsletter",
      "call",
      "msgr",
      "interop",
      "bot",
    ]);

    class WapJid {
      constructor(jid) {
        this._jid = jid;
      }
      static create(user, server) {
        return new WapJid({ type: 0, user, server });
      }
      static createJidU(user, domainType, device) {
        return new WapJid({ type: 1, user, domainType, device });
      }
      static createFbJid(user, device) {
        return new WapJid({ type: 3, user, device });
      }
      static createInteropJid(user, device, integrator) {
        return new WapJid({ type: 4, user, device, integrator });
      }
      getInnerJid() {
        return this._jid;
      }
      toString() {
        const j = this._jid;
        switch (j.type) {
          case 1: {
            const server = DOMAIN_SERVER[j.domainType] ?? (j.domainType & 128 ? "hosted" : "s.whatsapp.net");
            return `${j.user}${j.device ? `:${j.device}` : ""}@${server}`;
          }
          case 3:
            return `${j.user}:${j.device}@msgr`;
          case 4:
            return `${j.integrator}-${j.user}:${j.device}@interop`;
          default:
            return j.user != null ? `${j.user}@${j.server}` : j.server;
        }
      }
    }

    /**
     * Parses "user[:device]@server" (or a bare known server) into a WapJid; null when not a JID.
     * Type 1 only for a non-zero device on a WhatsApp/LID/hosted server, like WAWap.JID().
     */
    function parseWapJid(s) {
      if (typeof s !== "string") return null;
      const at = s.indexOf("@");
      if (at < 0) return KNOWN_SERVERS.has(s) ? WapJid.create(null, s) : null;
      const server = s.slice(at + 1);
      if (!KNOWN_SERVERS.has(server)) return null;
      let user = s.slice(0, at);
      let device = 0;
      const colon = user.indexOf(":");
      if (colon >= 0) {
        device = Number(user.slice(colon + 1)) || 0;
        user = user.slice(0, colon);
      }
      if (server === "msgr") return WapJid.createFbJid(user, device);
      if (server === "interop") {
        const dash = user.indexOf("-");
        return WapJid.createInteropJid(user.slice(dash + 1), device, Number(user.slice(0, dash)) || 0);
      }
      const domain = SERVER_DOMAIN[server];
      if (domain !== undefined && device) return WapJid.createJidU(user, domain, device);
      return WapJid.create(user, server);
    }

    exports.WapJid = WapJid;
    exports.DomainType = DomainType;
    exports.parseWapJid = parseWapJid;
    exports.DOMAIN_SERVER = DOMAIN_SERVER;
    exports.SERVER_DOMAIN = SERVER_DOMAIN;
  },
  98,
);

__d(
  "WAWap",
  ["WAWapJid", "WASimWapBackend"],
  (global, _require, _importDefault, importNamespace, _requireLazy, _module, exports) => {
    const { WapJid, DomainType, parseWapJid, SERVER_DOMAIN } = importNamespace("WAWapJid");
    const utf8Encoder = new global.TextEncoder();
    const utf8Decoder = new global.TextDecoder();
    const sharedEmptyAttrs = {};
    const DROP_ATTR = Object.freeze({ sentinel: "DROP_ATTR" });
    const JID_ATTRS = new Set(["from", "to", "participant", "recipient"]);
    let xmlFormat = false;

    function escapeXml(s) {
      return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    }

    function bytesDebug(bytes) {
      if (bytes.length === 0) return "<!-- empty binary -->";
      if (bytes.length < 50) {
        const printable = bytes.every((b) => b >= 0x20 && b < 0x7f);
        if (printable) return escapeXml(utf8Decoder.decode(bytes));
        return `<!-- ${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")} -->`;
      }
      return `<!-- ${bytes.length} bytes -->`;
    }

    function render(node, depth) {
      const pad = depth >= 0 ? "  ".repeat(depth) : "";
      const nl = depth >= 0 ? "\n" : "";
      let s = `${pad}<${node.tag}`;
      for (const k of Object.keys(node.attrs)) s += ` ${k}="${escapeXml(String(node.attrs[k]))}"`;
      const c = node.content;
      if (c == null || (Array.isArray(c) && c.length === 0)) return `${s} />`;
      if (Array.isArray(c)) {
        const kids = c.map((k) => render(k, depth >= 0 ? depth + 1 : -1)).join(nl);
        return `${s}>${nl}${kids}${nl}${pad}</${node.tag}>`;
      }
      return `${s}>${bytesDebug(c)}</${node.tag}>`;
    }

    class WapNode {
      constructor(tag, attrs = sharedEmptyAttrs, content = null) {
        this.tag = tag;
        this.attrs = attrs;
        this.content = content;
      }
      toString() {
        return render(this, xmlFormat ? 0 : -1);
      }
    }

    function enableXMLFormat() {
      xmlFormat = true;
    }

    // ---- encode ----
    function invalid(what) {
      return new Error(`Invalid payload type: ${what}`);
    }
    function toBackendNode(node) {
      if (node == null || typeof node !== "object" || typeof node.tag !== "string")
        throw invalid(typeof node);
      const attrs = {};
      const src = node.attrs || sharedEmptyAttrs;
      for (const k of Object.keys(src)) {
        const v = src[k];
        if (v == null) continue;
        if (typeof v === "string") attrs[k] = v;
        else if (v instanceof WapJid) attrs[k] = v.toString();
        else throw invalid(`attribute ${k} (${typeof v})`);
      }
      const out = { tag: node.tag, attrs };
      const c = node.content;
      if (c == null) return out;
      if (Array.isArray(c)) {
        if (c.length) out.content = c.map(toBackendNode);
      } else if (c instanceof Uint8Array) out.content = c;
      else if (typeof c === "string") out.content = utf8Encoder.encode(c);
      else if (c instanceof WapJid) out.content = utf8Encoder.encode(c.toString());
      else throw invalid(`content of <${node.tag}>`);
      return out;
    }
    /** Synchronous; returns a Uint8Array whose byte 0 is the flags byte 0x00. */
    function encodeStanza(node) {
      return importNamespace("WASimWapBackend").encodeNode(toBackendNode(node));
    }

    // ---- decode ----
    function attrValue(key, value) {
      if (typeof value !== "string") return String(value);
      if (value.includes("@") || JID_ATTRS.has(key)) {
        const jid = parseWapJid(value);
        if (jid) return jid;
      }
      return value;
    }
    function fromBackend(obj) {
      const keys = Object.keys(obj.attrs || {});
      let attrs = sharedEmptyAttrs;
      if (keys.length) {
        attrs = {};
        for (const k of keys) attrs[k] = attrValue(k, obj.attrs[k]);
      }
      let content = null;
      const c = obj.content;
      if (Array.isArray(c)) content = c.map(fromBackend);
      else if (c instanceof Uint8Array) content = c;
      else if (typeof c === "string") content = utf8Encoder.encode(c);
      return new WapNode(obj.tag, attrs, content);
    }
    function decodeFlagged(u8) {
      let bin;
      try {
        bin = importNamespace("WASimWapBackend").decodeNode(u8);
      } catch (err) {
        throw new Error(`decodeStanza: ${err?.message ?? err}`);
      }
      const plain = bin.toJSON();
      bin.free?.();
      return fromBackend(plain);
    }
    function withFlags(raw) {
      const u8 = new Uint8Array(raw.length + 1);
      u8.set(raw, 1);
      return u8;
    }
    function asBytes(buf) {
      if (buf instanceof Uint8Array) return buf;
      if (buf instanceof ArrayBuffer) return new Uint8Array(buf);
      if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      throw invalid("decodeStanza input");
    }
    /** Returns a Promise; throws synchronously on a bad uncompressed frame. */
    function decodeStanza(buf, inflate) {
      const u8 = asBytes(buf);
      if (u8.length === 0) throw new Error("decodeStanza: empty frame");
      if (u8[0] & 2) {
        return Promise.resolve(inflate(u8.subarray(1))).then((raw) => decodeFlagged(withFlags(asBytes(raw))));
      }
      return Promise.resolve(decodeFlagged(u8));
    }
    /** Synchronous; rejects compressed input. */
    function decodeStanzaDebug(buf) {
      const u8 = asBytes(buf);
      if (u8[0] & 2) throw new Error("decodeStanzaDebug: compressed stanza");
      return decodeFlagged(u8);
    }

    // ---- builders ----
    function wap(tag, attrs, ...rest) {
      let a = sharedEmptyAttrs;
      if (attrs) {
        const keys = Object.keys(attrs);
        if (keys.length) {
          a = {};
          for (const k of keys) {
            if (k === "children") throw new Error(`wap: <${tag}> has a "children" attribute`);
            const v = attrs[k];
            if (v === DROP_ATTR) continue;
            if (v == null) throw new Error(`wap: attribute ${k} of <${tag}> is ${v}`);
            a[k] = v;
          }
        }
      }
      let content;
      const third = rest[0];
      if (Array.isArray(third)) content = third.filter(Boolean);
      else if (typeof third === "string") content = utf8Encoder.encode(third);
      else if (third instanceof ArrayBuffer) content = new Uint8Array(third);
      else if (third instanceof Uint8Array) content = third;
      else content = rest.filter(Boolean);
      if (Array.isArray(content) && content.length === 0) content = null;
      return new WapNode(tag, a, content);
    }

    let idPrefix = null;
    let idCounter = 1;
    function generateId() {
      if (idPrefix == null) {
        const r = new Uint16Array(2);
        global.crypto.getRandomValues(r);
        idPrefix = `${r[0]}.${r[1]}`;
      }
      return `${idPrefix}-${idCounter++}`;
    }

    function toWapJid(jid) {
      if (jid instanceof WapJid) return jid;
      const parsed = parseWapJid(String(jid));
      if (!parsed) throw new Error(`not a JID: ${jid}`);
      return parsed;
    }
    function inner(jid) {
      const w = toWapJid(jid);
      const j = w.getInnerJid();
      return { user: j.user, server: w.toString().split("@").pop(), device: j.device ?? 0 };
    }
    const JID = (s) => toWapJid(s);
    const USER_JID = (jid) => {
      const j = inner(jid);
      return WapJid.create(j.user, j.server);
    };
    const DEVICE_JID = (jid) => {
      const j = inner(jid);
      const domain = SERVER_DOMAIN[j.server];
      return domain === undefined
        ? WapJid.create(j.user, j.server)
        : WapJid.createJidU(j.user, domain, j.device || 0);
    };
    const CALL_JID = (callId) => WapJid.create(callId, "call");
    const GROUP_JID = (id) => WapJid.create(id, "g.us");
    const decodeAsString = (v) => {
      if (v == null) return v;
      if (v instanceof Uint8Array) return utf8Decoder.decode(v);
      return String(v);
    };
    const BIG_ENDIAN_CONTENT = (n, size = 4) => {
      const out = new Uint8Array(size);
      let x = Number(n);
      for (let i = size - 1; i >= 0; i--) {
        out[i] = x & 0xff;
        x = Math.floor(x / 256);
      }
      return out;
    };

    exports.WapNode = WapNode;
    exports.WapJid = WapJid;
    exports.DomainType = DomainType;
    exports.encodeStanza = encodeStanza;
    exports.decodeStanza = decodeStanza;
    exports.decodeStanzaDebug = decodeStanzaDebug;
    exports.enableXMLFormat = enableXMLFormat;
    exports.wap = wap;
    exports.makeWapNode = wap;
    exports.makeStanza = wap;
    exports.generateId = generateId;
    exports.DROP_ATTR = DROP_ATTR;
    exports.decodeAsString = decodeAsString;
    exports.JID = JID;
    exports.USER_JID = USER_JID;
    exports.DEVICE_JID = DEVICE_JID;
    exports.CALL_JID = CALL_JID;
    exports.GROUP_JID = GROUP_JID;
    exports.TO_WAP_JID = toWapJid;
    exports.CUSTOM_STRING = (s) => s;
    exports.CALL_ID = (s) => s;
    exports.INT = (n) => String(n);
    exports.BIG_ENDIAN_CONTENT = BIG_ENDIAN_CONTENT;
    exports.S_WHATSAPP_NET = WapJid.create(null, "s.whatsapp.net");
    exports.G_US = WapJid.create(null, "g.us");
    exports.CALL = WapJid.create(null, "call");
  },
  98,
);
