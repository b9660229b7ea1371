/**
 * Server (responder) side of the simulator's Noise_XX_25519_AESGCM_SHA256 handshake and the AES-GCM
 * transport, with node:crypto (synchronous, so frame counters follow send order).
 * Handshake messages use WA's `HandshakeMessage` protobuf field numbers; the certificate and
 * ClientPayload inside are raw bytes (JSON) rather than protobufs.
 * @module sim/lib/noise
 */
import crypto from "node:crypto";

/** `Noise_XX_25519_AESGCM_SHA256\0\0\0\0`, exactly 32 bytes. */
export const NOISE_PATTERN = Buffer.concat([Buffer.from("Noise_XX_25519_AESGCM_SHA256"), Buffer.alloc(4)]);
/** Connection header: "WA", protocol 6, dictionary version 3. */
export const WA_HEADER = Buffer.from([0x57, 0x41, 0x06, 0x03]);

/** @returns {{privateKey: crypto.KeyObject, pub: Buffer}} A fresh X25519 key pair with its raw public key. */
export function x25519KeyPair() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("x25519");
  return { privateKey, pub: Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url") };
}

/**
 * @param {crypto.KeyObject} privateKey
 * @param {Uint8Array} rawPub
 * @returns {Buffer} The 32-byte X25519 shared secret.
 */
export function x25519(privateKey, rawPub) {
  const publicKey = crypto.createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(rawPub).toString("base64url") },
    format: "jwk",
  });
  return crypto.diffieHellman({ privateKey, publicKey });
}

/**
 * @param {number} counter
 * @returns {Buffer} 12-byte IV: 8 zero bytes + u32 big-endian counter.
 */
export function ivFor(counter) {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(counter, 8);
  return iv;
}

/**
 * @param {Uint8Array} key
 * @param {number} counter
 * @param {Uint8Array} data
 * @param {Uint8Array} aad
 * @returns {Buffer} ciphertext || 16-byte tag
 */
export function aesGcmEncrypt(key, counter, data, aad) {
  const c = crypto.createCipheriv("aes-256-gcm", key, ivFor(counter));
  c.setAAD(aad);
  return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
}

/**
 * @param {Uint8Array} key
 * @param {number} counter
 * @param {Uint8Array} data ciphertext || tag
 * @param {Uint8Array} aad
 * @returns {Buffer} plaintext (throws on a bad tag)
 */
export function aesGcmDecrypt(key, counter, data, aad) {
  const buf = Buffer.from(data);
  const d = crypto.createDecipheriv("aes-256-gcm", key, ivFor(counter));
  d.setAAD(aad);
  d.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]);
}

/**
 * Minimal protobuf: encodes length-delimited fields `[[fieldNo, bytes|fieldsArray], ...]`.
 * @param {Array<[number, Uint8Array|Array<any>]>} fields
 * @returns {Buffer}
 */
export function pbEncode(fields) {
  const parts = [];
  for (const [no, value] of fields) {
    const body = Array.isArray(value) ? pbEncode(value) : Buffer.from(value);
    const head = [(no << 3) | 2];
    let len = body.length;
    while (len > 0x7f) {
      head.push((len & 0x7f) | 0x80);
      len >>>= 7;
    }
    head.push(len);
    parts.push(Buffer.from(head), body);
  }
  return Buffer.concat(parts);
}

/**
 * Minimal protobuf: decodes the length-delimited fields of one message (other wire types are skipped).
 * @param {Uint8Array} buf
 * @returns {Map<number, Buffer>}
 */
export function pbDecode(buf) {
  const b = Buffer.from(buf);
  const out = new Map();
  let i = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const x = b[i++];
      v += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return v;
      shift += 7;
    }
  };
  while (i < b.length) {
    const key = varint();
    const wt = key & 7;
    if (wt === 2) {
      const len = varint();
      out.set(key >>> 3, b.subarray(i, i + len));
      i += len;
    } else if (wt === 0) varint();
    else if (wt === 5) i += 4;
    else if (wt === 1) i += 8;
    else throw new Error(`protobuf wire type ${wt}`);
  }
  return out;
}

/** Symmetric Noise state (h, ck, k, n) for the responder. */
class SymmetricState {
  constructor() {
    this.h = Buffer.from(NOISE_PATTERN);
    this.ck = Buffer.from(NOISE_PATTERN);
    this.key = Buffer.from(NOISE_PATTERN);
    this.counter = 0;
  }
  mixHash(data) {
    this.h = crypto.createHash("sha256").update(this.h).update(data).digest();
  }
  mixKey(ikm) {
    const okm = Buffer.from(crypto.hkdfSync("sha256", ikm, this.ck, Buffer.alloc(0), 64));
    this.ck = okm.subarray(0, 32);
    this.key = okm.subarray(32, 64);
    this.counter = 0;
  }
  encrypt(pt) {
    const ct = aesGcmEncrypt(this.key, this.counter++, pt, this.h);
    this.mixHash(ct);
    return ct;
  }
  decrypt(ct) {
    const pt = aesGcmDecrypt(this.key, this.counter++, ct, this.h);
    this.mixHash(ct);
    return pt;
  }
  split() {
    const okm = Buffer.from(crypto.hkdfSync("sha256", Buffer.alloc(0), this.ck, Buffer.alloc(0), 64));
    return { clientWrite: okm.subarray(0, 32), clientRead: okm.subarray(32, 64) };
  }
}

/** Established transport: server reads with the client's write key and writes with the client's read key. */
export class NoiseTransport {
  /**
   * @param {Uint8Array} readKey
   * @param {Uint8Array} writeKey
   */
  constructor(readKey, writeKey) {
    this.readKey = readKey;
    this.writeKey = writeKey;
    this.readCounter = 0;
    this.writeCounter = 0;
  }
  /** @param {Uint8Array} pt @returns {Buffer} */
  encrypt(pt) {
    return aesGcmEncrypt(this.writeKey, this.writeCounter++, pt, Buffer.alloc(0));
  }
  /** @param {Uint8Array} ct @returns {Buffer} */
  decrypt(ct) {
    return aesGcmDecrypt(this.readKey, this.readCounter++, ct, Buffer.alloc(0));
  }
}

/**
 * XX responder: `onClientHello(frame)` → serverHello frame; `onClientFinish(frame)` →
 * `{clientStatic, payload, transport}`.
 */
export class NoiseResponder {
  /**
   * @param {{privateKey: crypto.KeyObject, pub: Buffer}} staticKey The server's static key pair.
   * @param {Uint8Array} certificate Opaque certificate bytes sent (encrypted) in the server hello.
   * @param {Uint8Array} prologue The header the client sent ("WA" 6 3).
   */
  constructor(staticKey, certificate, prologue = WA_HEADER) {
    this.s = staticKey;
    this.certificate = certificate;
    this.state = new SymmetricState();
    this.state.mixHash(prologue);
  }
  /** @param {Uint8Array} frame HandshakeMessage{clientHello=2{ephemeral=1}} @returns {Buffer} */
  onClientHello(frame) {
    const hello = pbDecode(pbDecode(frame).get(2) ?? Buffer.alloc(0));
    const ce = hello.get(1);
    if (ce?.length !== 32) throw new Error("clientHello without a 32-byte ephemeral");
    this.ce = Buffer.from(ce);
    const st = this.state;
    st.mixHash(this.ce);
    this.e = x25519KeyPair();
    st.mixHash(this.e.pub);
    st.mixKey(x25519(this.e.privateKey, this.ce));
    const encStatic = st.encrypt(this.s.pub);
    st.mixKey(x25519(this.s.privateKey, this.ce));
    const encPayload = st.encrypt(this.certificate);
    return pbEncode([
      [
        3,
        [
          [1, this.e.pub],
          [2, encStatic],
          [3, encPayload],
        ],
      ],
    ]);
  }
  /** @param {Uint8Array} frame HandshakeMessage{clientFinish=4{static=1, payload=2}} */
  onClientFinish(frame) {
    const fin = pbDecode(pbDecode(frame).get(4) ?? Buffer.alloc(0));
    const st = this.state;
    const clientStatic = st.decrypt(fin.get(1) ?? Buffer.alloc(0));
    st.mixKey(x25519(this.e.privateKey, clientStatic));
    const payload = st.decrypt(fin.get(2) ?? Buffer.alloc(0));
    const { clientWrite, clientRead } = st.split();
    return { clientStatic, payload, transport: new NoiseTransport(clientWrite, clientRead) };
  }
}
