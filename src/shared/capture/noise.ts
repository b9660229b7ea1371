/**
 * Noise transport bookkeeping for the transport tap: recognising WA's transport key imports,
 * reading the counter out of an AES-GCM IV, matching WA's (non-extractable) key objects to
 * the raw key bytes copied at `importKey`, and tracking counters per direction.
 *
 * Facts (wa-web-capture.md §4, wa-web-runtime.md §6): after the handshake WA imports bytes
 * 0–31 of the final HKDF output as a raw, non-extractable AES-GCM key with usages
 * `["encrypt"]` (write key) and bytes 32–63 with `["decrypt"]` (read key). Handshake keys
 * have both usages. Each transport frame is one `encrypt`/`decrypt` call with
 * IV = 8 zero bytes + u32 big-endian counter (one counter per direction, from 0) and empty AAD.
 * The raw bytes exist only at `importKey`, and the key object only in WA's promise, which a
 * tap must not observe; so a key object is matched to its raw bytes by trial decryption on
 * its first frame (a wrong key fails the GCM tag check). Pure logic; the crypto is injected.
 */
import type { Result } from "../errors";
import { bufferSourceLength } from "./bytes";

/** Usage of a Noise transport key: `encrypt` = write (outbound), `decrypt` = read (inbound). */
export type NoiseUsage = "encrypt" | "decrypt";

/** The algorithm name of a WebCrypto `AlgorithmIdentifier` (string or `{name}`), upper-cased. */
export function algorithmName(algorithm: unknown): string | undefined {
  if (typeof algorithm === "string") return algorithm.toUpperCase();
  if (algorithm && typeof algorithm === "object") {
    const name = (algorithm as { name?: unknown }).name;
    if (typeof name === "string") return name.toUpperCase();
  }
  return undefined;
}

/**
 * Whether an `importKey(format, keyData, algorithm, extractable, usages)` call imports a Noise
 * transport key: format `raw`, 32 bytes, AES-GCM, exactly one usage.
 * @returns the usage, or `undefined` for any other import (handshake keys have two usages).
 */
export function noiseTransportKeyUsage(
  format: unknown,
  keyData: unknown,
  algorithm: unknown,
  usages: unknown,
): NoiseUsage | undefined {
  if (format !== "raw" || !Array.isArray(usages) || usages.length !== 1) return undefined;
  const usage = usages[0];
  if (usage !== "encrypt" && usage !== "decrypt") return undefined;
  if (algorithmName(algorithm) !== "AES-GCM") return undefined;
  if (bufferSourceLength(keyData) !== 32) return undefined;
  return usage;
}

/**
 * The Noise counter in a transport IV: 12 bytes, the first 8 zero, then a u32 big-endian counter.
 * @returns the counter, or `undefined` when `iv` does not have that shape (not a Noise frame).
 */
export function noiseCounter(iv: unknown): number | undefined {
  let u8: Uint8Array;
  if (iv instanceof Uint8Array) u8 = iv;
  else if (iv instanceof ArrayBuffer) u8 = new Uint8Array(iv);
  else if (ArrayBuffer.isView(iv)) u8 = new Uint8Array(iv.buffer, iv.byteOffset, iv.byteLength);
  else return undefined;
  if (u8.length !== 12) return undefined;
  for (let i = 0; i < 8; i++) if (u8[i] !== 0) return undefined;
  return ((u8[8] << 24) | (u8[9] << 16) | (u8[10] << 8) | u8[11]) >>> 0;
}

/** The IV of Noise transport frame number `counter`. */
export function noiseIv(counter: number): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, counter >>> 0);
  return iv;
}

/** The crypto the key ring uses: our OWN key objects, imported from the copied raw bytes. */
export interface NoiseCrypto<O> {
  /** Imports 32 raw bytes as an AES-GCM decrypt key. */
  importDecryptKey(raw: Uint8Array): Promise<O>;
  /** AES-256-GCM decryption with empty AAD; rejects when the tag does not verify. */
  decrypt(key: O, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** One Noise session as far as one direction's key goes. */
export interface NoiseSession {
  /** 1-based, in order of association. */
  id: number;
  usage: NoiseUsage;
  /** Dictionary version of the chat-socket header sent before the key was imported. */
  dictVersion?: number;
  /** Next expected counter. */
  expected: number;
  /** Frames whose counter was not the expected one. */
  gaps: number;
}

interface Candidate<O> {
  usage: NoiseUsage;
  raw: Uint8Array;
  dictVersion?: number;
  own?: Promise<O>;
  session?: NoiseSession;
}

/**
 * Result of {@link NoiseKeyRing.decryptInbound}. The failure is an expected outcome, not an
 * error value: `reason` is the code alone (no captured key fits; a key fit but decryption failed).
 */
export type InboundResult = Result<
  { plaintext: Uint8Array; session: NoiseSession },
  { reason: "no-key" | "decrypt-failed" }
>;

/**
 * Raw transport keys captured at `importKey` and the sessions they belong to.
 * `K` is WA's key object (only used as a WeakMap key, never read), `O` our own key.
 */
export class NoiseKeyRing<K extends object, O> {
  private readonly candidates: Candidate<O>[] = [];
  private readonly byKey = new WeakMap<K, NoiseSession>();
  private readonly ownByKey = new WeakMap<K, Promise<O>>();
  private readonly failedKeys = new WeakSet<K>();
  private nextSession = 1;
  /** Raw keys captured. */
  keys = 0;
  /** Key objects matched to a session. */
  sessions = 0;
  /** Counter gaps over all sessions. */
  gaps = 0;

  /**
   * @param crypto our own crypto (never WA's wrapped functions).
   * @param maxCandidates how many unmatched raw keys to keep (oldest dropped; default 8).
   */
  constructor(
    private readonly crypto: NoiseCrypto<O>,
    private readonly maxCandidates = 8,
  ) {}

  /** Records a raw transport key copied at `importKey`. `raw` must be a copy the ring may keep. */
  addKey(usage: NoiseUsage, raw: Uint8Array, dictVersion?: number): void {
    this.keys++;
    this.candidates.push({ usage, raw, dictVersion });
    const unmatched = this.candidates.filter((c) => !c.session);
    if (unmatched.length > this.maxCandidates) {
      const oldest = unmatched[0];
      oldest.raw.fill(0);
      this.candidates.splice(this.candidates.indexOf(oldest), 1);
    }
  }

  /**
   * The session of a write key object: the oldest unmatched `encrypt` candidate is assigned to
   * a key object the first time it is seen (WA imports a socket's keys right before its first
   * frame; the plaintext is captured directly, so the raw write key is not needed to decrypt).
   */
  writeSession(key: K): NoiseSession | undefined {
    const known = this.byKey.get(key);
    if (known) return known;
    const c = this.candidates.find((x) => x.usage === "encrypt" && !x.session);
    if (!c) return undefined;
    c.raw.fill(0);
    c.session = this.newSession("encrypt", c.dictVersion);
    this.byKey.set(key, c.session);
    return c.session;
  }

  /**
   * Decrypts one inbound frame with our own copy of the read key that belongs to `key`,
   * matching `key` to a captured raw key by trial on its first frame (newest candidate first).
   * Callers serialise calls per key so that frames keep their order.
   */
  async decryptInbound(key: K, iv: Uint8Array, ciphertext: Uint8Array): Promise<InboundResult> {
    const session = this.byKey.get(key);
    const own = this.ownByKey.get(key);
    if (session && own) {
      try {
        return { ok: true, plaintext: await this.crypto.decrypt(await own, iv, ciphertext), session };
      } catch {
        return { ok: false, reason: "decrypt-failed" };
      }
    }
    if (this.failedKeys.has(key)) return { ok: false, reason: "no-key" };
    const tries = this.candidates.filter((c) => c.usage === "decrypt" && !c.session).reverse();
    for (const c of tries) {
      try {
        c.own ??= this.crypto.importDecryptKey(c.raw);
        const plaintext = await this.crypto.decrypt(await c.own, iv, ciphertext);
        if (c.session) continue; // matched meanwhile by another key object
        c.session = this.newSession("decrypt", c.dictVersion);
        c.raw.fill(0);
        this.byKey.set(key, c.session);
        this.ownByKey.set(key, c.own);
        return { ok: true, plaintext, session: c.session };
      } catch {
        // not this one
      }
    }
    if (tries.length > 0) this.failedKeys.add(key);
    return { ok: false, reason: "no-key" };
  }

  /** Tracks a frame's counter on its session; returns whether it was the expected one. */
  observeCounter(session: NoiseSession, counter: number): boolean {
    const ok = counter === session.expected;
    if (!ok) {
      session.gaps++;
      this.gaps++;
    }
    session.expected = counter + 1;
    return ok;
  }

  private newSession(usage: NoiseUsage, dictVersion: number | undefined): NoiseSession {
    this.sessions++;
    return { id: this.nextSession++, usage, dictVersion, expected: 0, gaps: 0 };
  }
}
