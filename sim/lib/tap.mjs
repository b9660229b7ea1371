/**
 * The self-check's taps and their offline analysis.
 *
 * `TAP_SCRIPT` is injected before any script of the page (Playwright init script) and, with
 * `?comms=worker`, into the backend worker before its script runs (CDP auto-attach with
 * waitForDebuggerOnStart + Runtime.evaluate, the route the extension's deep capture would take with
 * chrome.debugger). In either context it installs, like the extension would:
 *
 * - a **module tap**: chains `__onAfterModuleFactory` through an accessor (counting every read), wraps
 *   `getCommsConfig` (config handlers `onHandleStanza`/`onCastStanza`) and `WAWap.encodeStanza`/
 *   `decodeStanza`, all found by export shape;
 * - read counters on `__onBeforeModuleFactory`, `ErrorGuard` and `TimeSlice`;
 * - a **transport tap**: a `WebSocket` subclass recording every binary message both ways, and wrappers
 *   on `SubtleCrypto.prototype` counting every call and keeping raw single-usage AES-GCM keys;
 * - on the page, a `Worker` subclass recording workers and their init messages.
 *
 * `decryptTransport` then does offline what a WAIncognito-style transport tap does: reassembles u24
 * frames, pairs sockets with captured keys, decrypts with per-direction counters, inflates, and decodes
 * with the given dictionary codec.
 * @module sim/lib/tap
 */
import zlib from "node:zlib";
import * as bridge from "whatsapp-rust-bridge";
import { describeNode } from "../page/shared.js";
import { aesGcmDecrypt } from "./noise.mjs";

/** Runs in a page or a worker, before its own scripts. */
export const TAP_SCRIPT = `(() => {
  const g = globalThis;
  if (g.__tap) return;
  const tap = (g.__tap = {
    ctx: typeof window === "undefined" ? "worker" : "page",
    modules: 0, configWrapped: 0, codecWrapped: 0, seen: [], codec: [], errors: [],
    reads: {}, subtle: {}, aesKeys: [], sockets: [], workers: [], workerMessages: [],
  });
  const now = () => performance.timeOrigin + performance.now();
  const isJid = (v) => v != null && typeof v === "object" && typeof v.getInnerJid === "function";
  const b64 = (u8) => {
    let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const bytesOf = (d) => d instanceof ArrayBuffer ? new Uint8Array(d) :
    ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
  const summary = (node) => {
    const a = node.attrs || {};
    const kids = Array.isArray(node.content) ? node.content : [];
    const k0 = kids[0] && kids[0].attrs ? kids[0] : null;
    const jidAttrs = {};
    for (const k of ["from", "to", "participant", "recipient"]) if (k in a) jidAttrs[k] = isJid(a[k]);
    const creator = k0 ? k0.attrs["call-creator"] : undefined;
    return {
      tag: node.tag, id: a.id == null ? null : String(a.id),
      class: a.class == null ? null : String(a.class), type: a.type == null ? null : String(a.type),
      action: node.tag === "call" || (node.tag === "receipt" && k0 && k0.tag === "offer") ? (k0 ? k0.tag : null) :
        node.tag === "ack" && a.type != null ? String(a.type) : null,
      callId: k0 && k0.attrs["call-id"] != null ? String(k0.attrs["call-id"]) : null,
      jidAttrs, creatorIsJid: creator === undefined ? null : isJid(creator),
      contentKind: node.content == null ? "null" : Array.isArray(node.content) ? "array" :
        node.content instanceof Uint8Array ? "bytes" : typeof node.content,
    };
  };
  const push = (list, dir, node, extra) => {
    try { list.push({ t: now(), dir, ...summary(node), ...extra }); } catch (e) { tap.errors.push(String(e)); }
  };

  // ---- module tap ----
  const onModule = (def) => {
    tap.modules++;
    const ex = def.exports;
    if (!ex) return;
    if (typeof ex.getCommsConfig === "function" && !ex.getCommsConfig.__tapped) {
      const original = ex.getCommsConfig;
      ex.getCommsConfig = function (...args) {
        const cfg = original.apply(this, args);
        tap.configWrapped++;
        const h = cfg.handlers;
        const inbound = h.onHandleStanza;
        const outbound = h.onCastStanza;
        h.onHandleStanza = function (node, socketId, ...rest) {
          push(tap.seen, "in", node, { socketId });
          return inbound.call(this, node, socketId, ...rest);
        };
        h.onCastStanza = function (node, ...rest) { push(tap.seen, "out", node); return outbound.call(this, node, ...rest); };
        h.__tapped = true;
        return cfg;
      };
      ex.getCommsConfig.__tapped = true;
    }
    if (typeof ex.encodeStanza === "function" && typeof ex.decodeStanza === "function" && !ex.encodeStanza.__tapped) {
      tap.codecWrapped++;
      const enc = ex.encodeStanza;
      const dec = ex.decodeStanza;
      ex.encodeStanza = function (node) {
        const out = enc.apply(this, arguments);
        push(tap.codec, "encode", node);
        return out;
      };
      ex.decodeStanza = function () {
        const p = dec.apply(this, arguments);
        p.then((node) => push(tap.codec, "decode", node), () => {});
        return p;
      };
      ex.encodeStanza.__tapped = true;
    }
  };
  let pageHook = null;
  const ourHook = function (def) {
    try { onModule(def); wrapSubtle(); } catch (e) { tap.errors.push(String(e)); }
    if (typeof pageHook === "function") return pageHook.apply(this, arguments);
  };
  const count = (name) => { tap.reads[name] = (tap.reads[name] || 0) + 1; };
  Object.defineProperty(g, "__onAfterModuleFactory", {
    configurable: true,
    get() { count("__onAfterModuleFactory"); return ourHook; },
    set(v) { pageHook = v === ourHook ? null : v; },
  });
  for (const name of ["__onBeforeModuleFactory", "ErrorGuard", "TimeSlice"]) {
    let value = g[name];
    Object.defineProperty(g, name, {
      configurable: true,
      get() { count(name); return value; },
      set(v) { value = v; },
    });
  }

  // ---- transport tap ----
  // A worker paused before its script has no secure-context interfaces yet (no SubtleCrypto), so the
  // wrapper is (re)applied whenever the tap runs again: on every module factory and every WebSocket.
  const wrapSubtle = () => {
    const protos = new Set();
    if (g.SubtleCrypto && g.SubtleCrypto.prototype) protos.add(g.SubtleCrypto.prototype);
    try { if (g.crypto && g.crypto.subtle) protos.add(Object.getPrototypeOf(g.crypto.subtle)); } catch (e) {}
    for (const S of protos) {
      if (!S || Object.prototype.hasOwnProperty.call(S, "__tapWrapped")) continue;
      Object.defineProperty(S, "__tapWrapped", { value: true });
      wrapSubtleProto(S);
    }
  };
  const wrapSubtleProto = (S) => {
    for (const m of ["importKey", "encrypt", "decrypt", "digest", "deriveBits", "deriveKey", "generateKey", "exportKey", "sign", "verify"]) {
      const original = S[m];
      if (typeof original !== "function") continue;
      S[m] = function (...args) {
        tap.subtle[m] = (tap.subtle[m] || 0) + 1;
        if (m === "importKey") {
          const [format, keyData, algorithm, , usages] = args;
          const name = typeof algorithm === "string" ? algorithm : algorithm && algorithm.name;
          const bytes = bytesOf(keyData);
          if (format === "raw" && name === "AES-GCM" && usages && usages.length === 1 && bytes)
            tap.aesKeys.push({ t: now(), usage: usages[0], raw: b64(bytes) });
        }
        return original.apply(this, args);
      };
    }
  };
  wrapSubtle();
  const NativeWS = g.WebSocket;
  if (typeof NativeWS === "function") {
    const recs = new WeakMap();
    g.WebSocket = class extends NativeWS {
      constructor(url, protocols) {
        wrapSubtle();
        super(url, protocols);
        const rec = { url: String(url), t: now(), out: [], in: [] };
        recs.set(this, rec);
        tap.sockets.push(rec);
        this.addEventListener("message", (e) => {
          const b = bytesOf(e.data);
          if (b) rec.in.push([now(), b64(b)]);
        });
      }
      send(data) {
        const rec = recs.get(this);
        const b = bytesOf(data);
        if (rec && b) rec.out.push([now(), b64(b)]);
        return super.send(data);
      }
    };
  }
  const NativeWorker = g.Worker;
  if (typeof NativeWorker === "function" && tap.ctx === "page") {
    g.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        tap.workers.push({ url: String(url), name: options && options.name, type: options && options.type });
        this.addEventListener("message", (e) => {
          const d = e.data;
          if (d && !Array.isArray(d) && typeof d.type === "string") tap.workerMessages.push({ dir: "from", type: d.type, message: d.message });
        });
      }
      postMessage(message, transfer) {
        if (message && !Array.isArray(message) && typeof message.type === "string") tap.workerMessages.push({ dir: "to", type: message.type });
        return super.postMessage(message, transfer);
      }
    };
  }
})();`;

/**
 * @param {Array<[number, string]>} messages `[t, base64]` per WebSocket message
 * @returns {{bytes: Buffer, ends: Array<[number, number]>}} the concatenation and `[endOffset, t]` per message
 */
function concatMessages(messages) {
  const parts = messages.map(([, b]) => Buffer.from(b, "base64"));
  const ends = [];
  let off = 0;
  parts.forEach((p, i) => {
    off += p.length;
    ends.push([off, messages[i][0]]);
  });
  return { bytes: Buffer.concat(parts), ends };
}

/**
 * @param {Buffer} b
 * @param {number} start
 * @param {Array<[number, number]>} ends
 * @returns {Array<{frame: Buffer, t: number}>} u24 frames from `start`, with the time of the message that completed each
 */
function splitFrames(b, start, ends) {
  const out = [];
  let pos = start;
  while (pos + 3 <= b.length) {
    const len = b.readUIntBE(pos, 3);
    if (pos + 3 + len > b.length) break;
    const end = pos + 3 + len;
    const t = ends.find(([e]) => e >= end)?.[1] ?? 0;
    out.push({ frame: b.subarray(pos + 3, end), t });
    pos = end;
  }
  return out;
}

/**
 * Inflates a compressed body in whichever wrapper it came (2026: gzip, zlib or raw DEFLATE, told apart
 * like fflate.decompressSync does: gzip magic, zlib header check, else raw).
 * @param {Buffer} body
 * @returns {Buffer}
 */
export function inflateAny(body) {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) return zlib.gunzipSync(body);
  if (body.length >= 2 && (body[0] & 0x0f) === 8 && ((body[0] << 8) | body[1]) % 31 === 0) {
    try {
      return zlib.inflateSync(body);
    } catch {
      // a raw DEFLATE stream that happens to look like a zlib header
    }
  }
  return zlib.inflateRawSync(body);
}

/**
 * Offline transport tap: decrypts every captured chat socket.
 * @param {{sockets: any[], aesKeys: any[]}} tap what TAP_SCRIPT captured in one context
 * @param {import("../page/dict.js").DictCodec} codec the dictionary the page announced
 * @returns {{sockets: Array<{url: string, header: string, ed: boolean, frames: number, decrypted: number}>,
 *   stanzas: Array<{t: number, dir: string, socket: number, plain: Buffer, tag?: string, id?: string}>,
 *   errors: string[]}}
 */
export function decryptTransport(tap, codec) {
  const keys = tap.aesKeys.map((k) => ({ ...k, raw: Buffer.from(k.raw, "base64"), used: false }));
  const tryKey = (usage, frame) => {
    for (const k of keys) {
      if (k.used || k.usage !== usage) continue;
      try {
        aesGcmDecrypt(k.raw, 0, frame, Buffer.alloc(0));
        k.used = true;
        return k.raw;
      } catch {
        // not this one
      }
    }
    return null;
  };
  const sockets = [];
  const stanzas = [];
  const errors = [];
  tap.sockets.forEach((rec, socketNo) => {
    const out = concatMessages(rec.out);
    const inb = concatMessages(rec.in);
    let start = 0;
    let ed = false;
    if (out.bytes.length >= 7 && out.bytes[0] === 0x45 && out.bytes[1] === 0x44) {
      ed = true;
      start = 7 + out.bytes.readUIntBE(4, 3);
    }
    const header = out.bytes.subarray(start, start + 4).toString("hex");
    const outFrames = splitFrames(out.bytes, start + 4, out.ends);
    const inFrames = splitFrames(inb.bytes, 0, inb.ends);
    const info = { url: rec.url, header, ed, frames: outFrames.length + inFrames.length, decrypted: 0 };
    sockets.push(info);
    if (outFrames.length < 2 || inFrames.length < 1) return; // never authenticated (race loser)
    for (const [dir, frames, usage] of [
      ["out", outFrames.slice(2), "encrypt"],
      ["in", inFrames.slice(1), "decrypt"],
    ]) {
      if (!frames.length) continue;
      const key = tryKey(usage, frames[0].frame);
      if (!key) {
        errors.push(`socket ${socketNo} (${rec.url}): no captured ${usage} key opens its first ${dir} frame`);
        continue;
      }
      frames.forEach(({ frame, t }, counter) => {
        let plain;
        try {
          plain = aesGcmDecrypt(key, counter, frame, Buffer.alloc(0));
        } catch {
          errors.push(`socket ${socketNo}: ${dir} frame ${counter} does not decrypt with counter ${counter}`);
          return;
        }
        if (plain[0] & 2) plain = Buffer.concat([Buffer.of(0), inflateAny(plain.subarray(1))]);
        const s = { t, dir, socket: socketNo, plain };
        try {
          const node = codec.decodeNode(plain);
          Object.assign(s, describeNode(node.toJSON()));
          node.free?.();
        } catch (err) {
          errors.push(`socket ${socketNo}: ${dir} frame ${counter} does not decode: ${err?.message ?? err}`);
        }
        info.decrypted += 1;
        stanzas.push(s);
      });
    }
  });
  return { sockets, stanzas, errors };
}

/**
 * Decodes a plaintext frame with the v3 dictionary (as a tap that ignores the header would).
 * @param {Buffer} plain
 * @returns {string} `tag id=…` or `throws`
 */
export function decodeAsV3(plain) {
  try {
    const node = bridge.decodeNode(plain);
    const j = node.toJSON();
    node.free?.();
    return `${j.tag} ${Object.keys(j.attrs ?? {}).join(",")}`;
  } catch {
    return "throws";
  }
}
