import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseConnectionHeader } from "../../../src/shared/capture/frames";
import {
  NoiseKeyRing,
  noiseCounter,
  noiseIv,
  noiseTransportKeyUsage,
} from "../../../src/shared/capture/noise";

const subtle = webcrypto.subtle;

const ownCrypto = {
  importDecryptKey: (raw: Uint8Array) => subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]),
  decrypt: async (key: webcrypto.CryptoKey, iv: Uint8Array, ct: Uint8Array) =>
    new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv, additionalData: new Uint8Array(0) }, key, ct)),
};

async function encryptWith(raw: Uint8Array, counter: number, plaintext: Uint8Array): Promise<Uint8Array> {
  const key = await subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
  const ct = await subtle.encrypt(
    { name: "AES-GCM", iv: noiseIv(counter), additionalData: new Uint8Array(0) },
    key,
    plaintext,
  );
  return new Uint8Array(ct);
}

const rawKey = (fill: number) => new Uint8Array(32).fill(fill);

describe("noise helpers", () => {
  it("recognise transport key imports only (raw, 32 bytes, AES-GCM, one usage)", () => {
    const k = new Uint8Array(32);
    expect(noiseTransportKeyUsage("raw", k, "AES-GCM", ["encrypt"])).toBe("encrypt");
    expect(noiseTransportKeyUsage("raw", k.buffer, { name: "aes-gcm" }, ["decrypt"])).toBe("decrypt");
    expect(noiseTransportKeyUsage("raw", k, "AES-GCM", ["encrypt", "decrypt"])).toBeUndefined();
    expect(noiseTransportKeyUsage("raw", new Uint8Array(16), "AES-GCM", ["encrypt"])).toBeUndefined();
    expect(noiseTransportKeyUsage("raw", k, "HKDF", ["deriveBits"])).toBeUndefined();
    expect(noiseTransportKeyUsage("jwk", k, "AES-GCM", ["encrypt"])).toBeUndefined();
    expect(noiseTransportKeyUsage("raw", k, "AES-CBC", ["decrypt"])).toBeUndefined();
  });

  it("read the counter of a Noise IV and nothing else", () => {
    expect(noiseCounter(noiseIv(0))).toBe(0);
    expect(noiseCounter(noiseIv(0xfffffffe))).toBe(0xfffffffe);
    const handshakeLike = noiseIv(3);
    handshakeLike[0] = 1;
    expect(noiseCounter(handshakeLike)).toBeUndefined();
    expect(noiseCounter(new Uint8Array(16))).toBeUndefined();
    expect(noiseCounter("x")).toBeUndefined();
  });
});

describe("NoiseKeyRing", () => {
  it("matches key objects to captured raw keys by trial, across two sockets and a reconnect", async () => {
    const ring = new NoiseKeyRing<object, webcrypto.CryptoKey>(ownCrypto);
    // socket A, then socket B (header v3), then a reconnect of A with new keys.
    ring.addKey("encrypt", rawKey(1), 3);
    ring.addKey("decrypt", rawKey(2), 3);
    ring.addKey("encrypt", rawKey(3), 3);
    ring.addKey("decrypt", rawKey(4), 3);
    const readA = {};
    const readB = {};
    const pt = new Uint8Array([0, 0xf8, 1, 0x64]);
    // B's first frame arrives before A's: the newest-first trial still finds the right keys.
    const b0 = await ring.decryptInbound(readB, noiseIv(0), await encryptWith(rawKey(4), 0, pt));
    const a0 = await ring.decryptInbound(readA, noiseIv(0), await encryptWith(rawKey(2), 0, pt));
    expect(b0.ok && a0.ok).toBe(true);
    if (!b0.ok || !a0.ok) return;
    expect(b0.plaintext).toEqual(pt);
    expect(a0.session.id).not.toBe(b0.session.id);
    const a1 = await ring.decryptInbound(readA, noiseIv(1), await encryptWith(rawKey(2), 1, pt));
    expect(a1.ok).toBe(true);
    ring.addKey("decrypt", rawKey(5), 3);
    const readA2 = {};
    const r0 = await ring.decryptInbound(readA2, noiseIv(0), await encryptWith(rawKey(5), 0, pt));
    expect(r0.ok && r0.session.id).toBe(3);
    expect(ring.keys).toBe(5);
  });

  it("reports frames no captured key decrypts, and tampered frames", async () => {
    const ring = new NoiseKeyRing<object, webcrypto.CryptoKey>(ownCrypto);
    const pt = new Uint8Array([0, 1, 2]);
    expect(await ring.decryptInbound({}, noiseIv(0), await encryptWith(rawKey(9), 0, pt))).toEqual({
      ok: false,
      reason: "no-key",
    });
    ring.addKey("decrypt", rawKey(7));
    const k = {};
    const ct = await encryptWith(rawKey(7), 0, pt);
    expect((await ring.decryptInbound(k, noiseIv(0), ct)).ok).toBe(true);
    ct[0] ^= 1;
    expect(await ring.decryptInbound(k, noiseIv(1), ct)).toEqual({ ok: false, reason: "decrypt-failed" });
  });

  it("tracks counters per session and counts gaps", () => {
    const ring = new NoiseKeyRing<object, webcrypto.CryptoKey>(ownCrypto);
    ring.addKey("encrypt", rawKey(1), 4);
    const s = ring.writeSession({});
    expect(s?.dictVersion).toBe(4);
    if (!s) return;
    expect(ring.observeCounter(s, 0)).toBe(true);
    expect(ring.observeCounter(s, 1)).toBe(true);
    expect(ring.observeCounter(s, 3)).toBe(false);
    expect(ring.observeCounter(s, 4)).toBe(true);
    expect(ring.gaps).toBe(1);
    expect(ring.writeSession({})).toBeUndefined();
  });

  it("keeps a bounded number of unmatched keys and wipes dropped ones", () => {
    const ring = new NoiseKeyRing<object, webcrypto.CryptoKey>(ownCrypto, 2);
    const keys = [rawKey(1), rawKey(2), rawKey(3)];
    for (const k of keys) ring.addKey("decrypt", k);
    expect(keys[0].every((b) => b === 0)).toBe(true);
    expect(keys[2][0]).toBe(3);
  });
});

describe("connection header", () => {
  it("reads the dictionary version with and without the ED routing preamble", () => {
    expect(parseConnectionHeader(Uint8Array.of(0x57, 0x41, 6, 3, 0, 0, 5))).toEqual({
      protocol: 6,
      dictVersion: 3,
      length: 4,
    });
    const routing = [9, 8, 7];
    const ed = Uint8Array.of(0x45, 0x44, 0, 1, 0, 0, 3, ...routing, 0x57, 0x41, 6, 4, 0, 0, 1, 0);
    expect(parseConnectionHeader(ed)).toEqual({ protocol: 6, dictVersion: 4, routingLength: 3, length: 14 });
    expect(parseConnectionHeader(Uint8Array.of(0, 0, 3, 1, 2, 3))).toBeUndefined();
    expect(parseConnectionHeader(Uint8Array.of(0x57, 0x41, 6))).toBeUndefined();
  });

  it("reads the routing preamble by its u24 length, whatever that length (wa-web-2026.md §5)", () => {
    for (const n of [4, 6, 8, 10, 300]) {
      const routing = Array.from({ length: n }, (_, i) => (i * 37 + 1) & 255);
      const bytes = Uint8Array.of(
        0x45,
        0x44,
        0,
        1,
        n >> 16,
        (n >> 8) & 255,
        n & 255,
        ...routing,
        0x57,
        0x41,
        6,
        3,
      );
      expect(parseConnectionHeader(bytes), `${n} routing bytes`).toEqual({
        protocol: 6,
        dictVersion: 3,
        routingLength: n,
        length: 7 + n + 4,
      });
    }
  });
});
