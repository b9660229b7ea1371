/**
 * The transport tap: sees Noise frames through WebCrypto and the chat socket's header through
 * `WebSocket.prototype.send`, with no knowledge of WA's modules (so it survives module renames
 * and pages whose modules cannot be found). Main-thread comms only: in worker mode the socket
 * and crypto live in the worker (wa-web-capture.md §6); the same class can be installed there
 * later ("deep capture"), since it only needs `SubtleCrypto` and `WebSocket` from its scope.
 *
 * Wrapped, on the prototypes (WA calls `getCrypto().subtle.encrypt(...)`, looked up per call):
 * - `SubtleCrypto.prototype.importKey`: a raw 32-byte AES-GCM key with exactly one usage is a
 *   Noise transport key (`encrypt` = write, `decrypt` = read; handshake keys have both
 *   usages). Its bytes are copied synchronously; our own key is imported from the copy later.
 * - `encrypt(params, key, data)` with a write key and a Noise IV: `data` IS the plaintext frame
 *   (flags byte + node); it is copied synchronously. No key is needed to read it.
 * - `decrypt(params, key, data)` with a read key and a Noise IV: the ciphertext is copied
 *   synchronously (the IV is rebuilt from its counter); in a timer task we decrypt the copy
 *   with our own key. WA's Promise is
 *   returned untouched and never observed. The first frame of each key object tells which
 *   captured raw key it is (trial decryption; see `shared/capture/noise.ts`), which also
 *   handles several sockets and reconnects (new keys, counters from 0).
 * - `WebSocket.prototype.send`: each socket's FIRST message is read for the connection header
 *   `[ED 00 01 u24 routing] 57 41 06 <dict>` (the routing part's length varies, or it is absent:
 *   wa-web-2026.md §5), whose dictionary version says which token tables decode that
 *   connection's frames. While encrypted frames await their send, a send's u24 frame lengths are
 *   read (nothing is copied) to time each sent frame at the moment it went to the socket.
 *
 * Not wrapped: inbound WebSocket messages. WA makes one `decrypt` call per frame with that
 * frame's IV, so u24 reassembly of inbound messages is not needed, and the server sends no
 * header. Also not wrapped: the WebSocket constructor (nothing to learn before the header).
 *
 * Frames are delivered to the capture in the order WA saw them (an inbound frame waiting for
 * our decryption holds back later frames), so that a call stanza is always classified before
 * a receipt answering it.
 */
import { copyBufferSource, viewBufferSource } from "../shared/capture/bytes";
import type { FrameOrigin } from "../shared/capture/dictionary";
import { parseConnectionHeader } from "../shared/capture/frames";
import { NoiseKeyRing, noiseCounter, noiseIv, noiseTransportKeyUsage } from "../shared/capture/noise";
import type { Direction, TransportHealth } from "../shared/trace/types";
import type { Capture } from "./capture";
import { emptyTransportHealth } from "./capture";
import { isTapWrapper, type TapGuard, tapWrapper, unwrap } from "./guard";

/** What the transport tap needs from its global scope (a window or a worker's `self`). */
export interface TransportScope {
  SubtleCrypto?: { prototype: object };
  WebSocket?: { prototype: object };
  crypto?: { subtle?: unknown };
}

/** Largest plaintext frame copied at `encrypt` / ciphertext at `decrypt`, bytes. */
export const MAX_FRAME_COPY = 1 << 20;
/** Most frames waiting for in-order delivery; beyond it frames are counted as dropped. */
export const MAX_PENDING_FRAMES = 5000;
/** An inbound frame whose decryption takes longer than this stops holding back later frames, ms. */
const STUCK_MS = 5000;
/**
 * A sent frame waits this long for the `WebSocket.send` that carries it (its time is taken there,
 * the moment it crossed to the socket); past it, the `encrypt` call's time stands, ms.
 */
const SEND_WAIT_MS = 1000;
/** Sent frames remembered while their `WebSocket.send` is awaited. */
const MAX_UNSENT = 64;

type AnyFn = (...args: unknown[]) => unknown;
type KeyKind = "write" | "read" | "other";

interface Item {
  direction: Direction;
  /** Capture time: `encrypt`/`decrypt` call; for a sent frame, then the `WebSocket.send` that carried it. */
  t: number;
  ready: boolean;
  /** Sent frames: ciphertext length (plaintext + the 16-byte GCM tag), to find it in a send. */
  ctLength?: number;
  /** Sent frames: the `WebSocket.send` carrying it was seen. */
  sent?: boolean;
  bytes?: Uint8Array;
  origin?: FrameOrigin;
  failed?: string;
  truncatedFrom?: number;
}

interface PendingDecrypt {
  item: Item;
  key: object;
  ct: Uint8Array;
  /** The frame's Noise counter; its IV is rebuilt from it (8 zero bytes + u32, checked at copy time). */
  counter: number;
}

interface PendingEncrypt {
  item: Item;
  key: object;
  counter: number;
}

/** Callbacks for comms-mode evidence. */
export interface TransportEvents {
  /** A chat socket sent its connection header on this scope. */
  onChatSocket?(dictVersion: number): void;
  /** A Noise transport key was imported on this scope. */
  onTransportKey?(): void;
}

/** See the module comment. */
export class TransportTap {
  /** Counters for capture health (sockets, keys, sessions, frames, counter gaps). */
  readonly stats: TransportHealth = emptyTransportHealth();
  private readonly ring: NoiseKeyRing<object, CryptoKey>;
  private readonly kinds = new WeakMap<object, KeyKind>();
  private readonly headerRead = new WeakSet<object>();
  private readonly chains = new WeakMap<object, Promise<void>>();
  private readonly ordered: Item[] = [];
  /** Sent frames (FIFO) whose `WebSocket.send` was not seen yet. */
  private readonly unsent: Item[] = [];
  private deliverTimer = false;
  private decrypts: PendingDecrypt[] = [];
  private encrypts: PendingEncrypt[] = [];
  private scheduled = false;
  private subtle: unknown;
  private origImportKey?: AnyFn;
  private origDecrypt?: AnyFn;

  constructor(
    private readonly capture: Capture,
    private readonly guard: TapGuard,
    private readonly events: TransportEvents = {},
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
  ) {
    this.ring = new NoiseKeyRing<object, CryptoKey>({
      // Our own calls go to the ORIGINAL functions (never through any wrapper), and our own
      // key objects are marked so that no wrapper could mistake them for WA's.
      importDecryptKey: async (raw) => {
        const key = (await (this.origImportKey as AnyFn).call(
          this.subtle,
          "raw",
          raw,
          { name: "AES-GCM" },
          false,
          ["decrypt"],
        )) as CryptoKey;
        this.kinds.set(key, "other");
        return key;
      },
      decrypt: async (key, iv, ct) =>
        new Uint8Array(
          (await (this.origDecrypt as AnyFn).call(
            this.subtle,
            { name: "AES-GCM", iv, additionalData: new Uint8Array(0) },
            key,
            ct,
          )) as ArrayBuffer,
        ),
    });
  }

  /**
   * Installs the wrappers on the scope's prototypes (idempotent per prototype).
   * @returns a note for capture health: what was wrapped, or why nothing was.
   */
  install(scope: TransportScope): string {
    const done: string[] = [];
    const sp = scope.SubtleCrypto?.prototype as Record<string, unknown> | undefined;
    if (sp) {
      this.subtle = scope.crypto?.subtle;
      const importKey = sp.importKey;
      const decrypt = sp.decrypt;
      if (typeof importKey === "function") this.origImportKey = unwrap(importKey as AnyFn);
      if (typeof decrypt === "function") this.origDecrypt = unwrap(decrypt as AnyFn);
      if (this.wrapImportKey(sp)) done.push("importKey");
      if (this.wrapEncrypt(sp)) done.push("encrypt");
      if (this.wrapDecrypt(sp)) done.push("decrypt");
    }
    const wp = scope.WebSocket?.prototype as Record<string, unknown> | undefined;
    if (wp && this.wrapSend(wp)) done.push("WebSocket.send");
    return done.length ? `wrapped ${done.join(", ")}` : "no SubtleCrypto or WebSocket in this scope";
  }

  private keyKind(key: unknown): KeyKind {
    if (!key || typeof key !== "object") return "other";
    const known = this.kinds.get(key);
    if (known) return known;
    let kind: KeyKind = "other";
    try {
      const k = key as { algorithm?: { name?: unknown }; usages?: unknown };
      const usages = k.usages;
      if (k.algorithm?.name === "AES-GCM" && Array.isArray(usages) && usages.length === 1) {
        if (usages[0] === "encrypt") kind = "write";
        else if (usages[0] === "decrypt") kind = "read";
      }
    } catch {
      // not a CryptoKey
    }
    this.kinds.set(key, kind);
    return kind;
  }

  private wrapImportKey(proto: Record<string, unknown>): boolean {
    const original = proto.importKey;
    if (typeof original !== "function") return false;
    if (isTapWrapper(original)) return true;
    const wrapper = tapWrapper(original as AnyFn, this.guard, "transport.importKey", {
      before: (self, args) => {
        const usage = noiseTransportKeyUsage(args[0], args[1], args[2], args[4]);
        if (!usage) return;
        const raw = copyBufferSource(args[1]);
        if (!raw) return;
        if (self && typeof self === "object") this.subtle = self;
        this.ring.addKey(usage, raw, this.capture.dictionary.latestHeaderVersion);
        this.stats.keys = this.ring.keys;
        this.events.onTransportKey?.();
      },
    });
    return setMethod(proto, "importKey", wrapper);
  }

  private wrapEncrypt(proto: Record<string, unknown>): boolean {
    return this.wrapCipher(proto, "encrypt", "write", (key, counter, data) =>
      this.onEncrypt(key, counter, data),
    );
  }

  private wrapDecrypt(proto: Record<string, unknown>): boolean {
    return this.wrapCipher(proto, "decrypt", "read", (key, counter, data) =>
      this.onDecrypt(key, counter, data),
    );
  }

  /**
   * Wraps `SubtleCrypto.prototype[method]`: for a Noise transport key of `kind`, hands the key,
   * the IV's counter and the data argument to `seen` (which copies synchronously), then calls
   * WA's original with the same `this` and arguments and returns its Promise untouched.
   */
  private wrapCipher(
    proto: Record<string, unknown>,
    method: "encrypt" | "decrypt",
    kind: "write" | "read",
    seen: (key: object, counter: number, data: unknown) => void,
  ): boolean {
    const original = proto[method];
    if (typeof original !== "function") return false;
    if (isTapWrapper(original)) return true;
    const wrapper = tapWrapper(original as AnyFn, this.guard, `transport.${method}`, {
      before: (_self, args) => {
        if (this.keyKind(args[1]) !== kind) return;
        const counter = noiseCounter((args[0] as { iv?: unknown } | null)?.iv);
        if (counter !== undefined) seen(args[1] as object, counter, args[2]);
      },
    });
    return setMethod(proto, method, wrapper);
  }

  private wrapSend(proto: Record<string, unknown>): boolean {
    const original = proto.send;
    if (typeof original !== "function") return false;
    if (isTapWrapper(original)) return true;
    // Each socket's first message is read for its header; every send is read for the u24
    // lengths of the frames it carries (only while sent frames await their send).
    const wrapper = tapWrapper(original as AnyFn, this.guard, "transport.send", {
      before: (self, args) => {
        let start = 0;
        if (self && typeof self === "object" && !this.headerRead.has(self)) {
          this.headerRead.add(self);
          start = this.onFirstSend(args[0]);
        }
        if (this.unsent.length > 0) this.onSend(args[0], start);
      },
    });
    return setMethod(proto, "send", wrapper);
  }

  /** Synchronous part of an outbound frame: copy the plaintext. */
  private onEncrypt(key: object, counter: number, data: unknown): void {
    const item: Item = { direction: "out", t: this.capture.clock(), ready: false };
    const copy = copyBufferSource(data, MAX_FRAME_COPY);
    if (!copy) return;
    if (!this.admit(item)) return;
    item.bytes = copy;
    const n = (data as { byteLength?: number }).byteLength ?? copy.length;
    if (n > copy.length) item.truncatedFrom = n;
    item.ctLength = n + 16;
    this.unsent.push(item);
    if (this.unsent.length > MAX_UNSENT) this.unsent.shift();
    this.encrypts.push({ item, key, counter });
    this.schedule();
  }

  /**
   * A `WebSocket.send` (synchronous, on WA's path): the frames it carries are u24-length-prefixed
   * ciphertexts; each one whose length is that of an awaited sent frame takes this moment as its
   * time, in FIFO order. Reads lengths only, copies nothing.
   * @param start where the frames begin (after a connection header in a socket's first message).
   */
  private onSend(data: unknown, start: number): void {
    const view = viewBufferSource(data);
    if (!view) return;
    const t = this.capture.clock();
    let matched = false;
    for (let p = start; p + 3 <= view.length && this.unsent.length > 0; ) {
      const n = (view[p] << 16) | (view[p + 1] << 8) | view[p + 2];
      let i = 0;
      while (i < this.unsent.length && this.unsent[i].ctLength !== n) i++;
      if (i < this.unsent.length) {
        const item = this.unsent[i];
        this.unsent.splice(i, 1);
        item.t = t;
        item.sent = true;
        matched = true;
      }
      p += 3 + n;
    }
    if (matched) this.schedule();
  }

  /**
   * Synchronous part of an inbound frame: copy the ciphertext. The IV is not copied: it was
   * checked to be a Noise IV, which is fully determined by its counter.
   */
  private onDecrypt(key: object, counter: number, data: unknown): void {
    const item: Item = { direction: "in", t: this.capture.clock(), ready: false };
    const ct = copyBufferSource(data, MAX_FRAME_COPY);
    if (!ct) return;
    if (!this.admit(item)) return;
    this.decrypts.push({ item, key, ct, counter });
    this.schedule();
  }

  private admit(item: Item): boolean {
    if (this.ordered.length >= MAX_PENDING_FRAMES) {
      this.capture.countUndecodable("transport queue full");
      return false;
    }
    this.ordered.push(item);
    return true;
  }

  /** @returns where frames begin in this first message (after the connection header, if any). */
  private onFirstSend(data: unknown): number {
    const view = viewBufferSource(data);
    if (!view) return 0;
    const header = parseConnectionHeader(view);
    if (!header) return 0;
    this.stats.sockets++;
    this.capture.dictionary.addHeaderVersion(header.dictVersion);
    this.events.onChatSocket?.(header.dictVersion);
    this.capture.scheduleHealth();
    return header.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.setTimer(() => {
      this.scheduled = false;
      this.work();
    }, 0);
  }

  /** Timer task: matches write keys, starts our decryptions, delivers ready frames in order. */
  private work(): void {
    if (!this.guard.enabled) return;
    try {
      const encrypts = this.encrypts;
      this.encrypts = [];
      for (const e of encrypts) {
        const session = this.ring.writeSession(e.key);
        if (session) this.ring.observeCounter(session, e.counter);
        e.item.origin = { kind: "socket", dictVersion: session?.dictVersion };
        e.item.ready = true;
        this.stats.framesOut++;
      }
      const decrypts = this.decrypts;
      this.decrypts = [];
      for (const d of decrypts) this.startDecrypt(d);
      this.deliver();
    } catch (e) {
      this.guard.disable(e);
    }
  }

  private startDecrypt(d: PendingDecrypt): void {
    const previous = this.chains.get(d.key) ?? Promise.resolve();
    const next = previous
      .then(() => this.ring.decryptInbound(d.key, noiseIv(d.counter), d.ct))
      .then((r) => {
        if (r.ok) {
          this.ring.observeCounter(r.session, d.counter);
          d.item.bytes = r.plaintext;
          d.item.origin = { kind: "socket", dictVersion: r.session.dictVersion };
          this.stats.framesIn++;
        } else {
          d.item.failed = r.reason === "no-key" ? "no captured key decrypts the frame" : "decryption failed";
          this.stats.undecryptable++;
        }
        d.item.ready = true;
        this.stats.sessions = this.ring.sessions;
        this.stats.counterGaps = this.ring.gaps;
        this.deliver();
      })
      .catch((e) => this.guard.disable(e));
    this.chains.set(d.key, next);
  }

  private deliver(): void {
    const now = this.capture.clock();
    while (this.ordered.length) {
      const head = this.ordered[0];
      if (!head.ready && now - head.t < STUCK_MS) break;
      if (head.direction === "out" && !head.sent && now - head.t < SEND_WAIT_MS) {
        // Its send is still to come (WA's encrypt resolves first): look again then.
        if (!this.deliverTimer) {
          this.deliverTimer = true;
          this.setTimer(() => {
            this.deliverTimer = false;
            this.deliver();
          }, SEND_WAIT_MS);
        }
        break;
      }
      this.ordered.shift();
      if (!head.ready) {
        // Released late by its own chain: count it there, not here.
        head.failed = "decryption took too long";
        continue;
      }
      if (head.bytes && head.origin) {
        this.capture.observeFrame(
          head.bytes,
          head.direction,
          "transport",
          head.t,
          head.origin,
          head.truncatedFrom,
        );
      } else if (head.failed) {
        this.capture.countUndecodable(head.failed);
      }
    }
  }
}

function setMethod(proto: Record<string, unknown>, name: string, fn: AnyFn): boolean {
  try {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, {
      value: fn,
      writable: d?.writable ?? true,
      enumerable: d?.enumerable ?? true,
      configurable: true,
    });
    return proto[name] === fn;
  } catch {
    return false;
  }
}
