/**
 * The transport of the simulator's `wa=2026` profile, server side (facts:
 * ../shared/research/wa-web-2026.md §5 and "Compression"):
 * - `flags & 2` payloads in three wrappers (zlib, gzip, raw DEFLATE), which WhatsApp Web's inflate
 *   (fflate's `decompressSync`) tells apart by their first bytes;
 * - the `ED` routing preamble before `57 41 06 vv`, of varying length, parsed by its u24 length;
 * - soft-closed sockets that still deliver frames while the page's next handshake runs;
 * - the counters the end-to-end tests read from `startSimulator().stats`.
 *
 * `wa=legacy` connections never reach the 2026-only paths here; `parsePrologue` serves both.
 * @module sim/lib/transport2026
 */
import zlib from "node:zlib";

/** The compression wrappers of a `flags & 2` payload, in the order `inflate=mixed` rotates them. */
export const WRAPPERS = Object.freeze(/** @type {const} */ (["zlib", "gzip", "raw"]));

/**
 * The close reason the page gives the socket of a Noise handshake it abandoned after its first
 * `importKey` (sim/page/bundles/socket.js). Simulator convention: it lets the server count such
 * sockets apart from race losers (`"loser socket"`), which send no byte either.
 */
export const ABANDONED_HANDSHAKE_REASON = "handshake abandoned";

/** How long (ms) a soft-closed connection waits for the page's next handshake before it closes. */
export const SOFT_CLOSE_WAIT_MS = 8000;
/** How long (ms) a soft-closed connection stays open after its successor logged in. */
export const SOFT_CLOSE_LINGER_MS = 300;
/** A new handshake without routing bytes takes over a soft-closed connection at most this old (ms). */
const SOFT_CLOSE_MATCH_WINDOW_MS = 5000;

/**
 * Adds the 2026 transport counters to the server's `stats` object (idempotent; missing fields only):
 * - `compressedByWrapper: {zlib, gzip, raw}`: frames sent with `flags & 2`, per wrapper (legacy
 *   connections count their zlib frames here too);
 * - `compressedCallStanzas: {call, ack}`: of those, `<call>` and `<ack class="call">` stanzas;
 * - `edPreambleLengths: {none?, "<n>"?}`: connection headers per `ED` routing-field length n (the
 *   preamble's u24 value; the whole preamble is 7 + n bytes), `none` without a preamble;
 * - `softCloses`: connections soft-closed by `POST /sim/drop` (2026);
 * - `softClosedFrames`: frames the server sent on a soft-closed connection;
 * - `abandonedHandshakes`: sockets the page closed with {@link ABANDONED_HANDSHAKE_REASON} before
 *   sending a byte.
 * @param {Record<string, any>} stats the `stats` object of sim/lib/core.mjs
 * @returns {Record<string, any>} the same object
 */
export function ensureTransportStats(stats) {
  stats.compressedByWrapper ??= { zlib: 0, gzip: 0, raw: 0 };
  stats.compressedCallStanzas ??= { call: 0, ack: 0 };
  stats.edPreambleLengths ??= {};
  stats.softCloses ??= 0;
  stats.softClosedFrames ??= 0;
  stats.abandonedHandshakes ??= 0;
  return stats;
}

/**
 * Compresses a frame body (the bytes after the flags byte).
 * @param {Uint8Array} body
 * @param {"zlib"|"gzip"|"raw"} wrapper zlib (RFC 1950), gzip (RFC 1952) or raw DEFLATE (RFC 1951)
 * @returns {Buffer}
 */
export function compressBody(body, wrapper) {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (wrapper === "gzip") return zlib.gzipSync(b);
  if (wrapper === "raw") return zlib.deflateRawSync(b);
  return zlib.deflateSync(b);
}

/**
 * Which wrapper a compressed body has, by the rule fflate's `decompressSync` applies: gzip magic
 * `1f 8b 08`; else a valid zlib header (CM 8, CINFO ≤ 7, header divisible by 31); else raw DEFLATE.
 * @param {Uint8Array} body
 * @returns {"zlib"|"gzip"|"raw"}
 */
export function detectWrapper(body) {
  if (body.length >= 3 && body[0] === 0x1f && body[1] === 0x8b && body[2] === 8) return "gzip";
  if (
    body.length >= 2 &&
    (body[0] & 0x0f) === 8 &&
    body[0] >> 4 <= 7 &&
    ((body[0] << 8) | body[1]) % 31 === 0
  )
    return "zlib";
  return "raw";
}

/**
 * Inflates a compressed body in whichever wrapper it has (for offline taps, e.g. sim/lib/tap.mjs).
 * @param {Uint8Array} body
 * @returns {Buffer} the inflated bytes (throws on corrupt data)
 */
export function inflateAny(body) {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const w = detectWrapper(b);
  if (w === "gzip") return zlib.gunzipSync(b);
  if (w === "zlib") return zlib.inflateSync(b);
  return zlib.inflateRawSync(b);
}

/**
 * Parses the start of a chat socket's client bytes: the optional `ED` preamble (`45 44 00 01`, u24
 * length n, n routing bytes; WA writes it as `"ED", 0, 1`, then the u24, then the bytes), then the
 * 4-byte header `57 41 06 vv`. The routing field is read by its length, never at fixed offsets.
 * @param {Buffer} buf the bytes received so far
 * @returns {null | {routing: Buffer|null, preambleLength: number, header: Buffer, rest: Buffer}}
 *   null while incomplete; throws on a malformed preamble or header
 */
export function parsePrologue(buf) {
  let b = buf;
  let routing = null;
  let preambleLength = 0;
  if (b.length >= 1 && b[0] === 0x45) {
    if (b.length < 7) return null;
    if (b[1] !== 0x44 || b[2] !== 0 || b[3] !== 1)
      throw new Error(`bad ED preamble ${b.subarray(0, 4).toString("hex")}`);
    const len = b.readUIntBE(4, 3);
    if (b.length < 7 + len) return null;
    routing = Buffer.from(b.subarray(7, 7 + len));
    preambleLength = 7 + len;
    b = b.subarray(preambleLength);
  }
  if (b.length < 4) return null;
  const header = Buffer.from(b.subarray(0, 4));
  if (header[0] !== 0x57 || header[1] !== 0x41 || header[2] !== 0x06)
    throw new Error(`bad header ${header.toString("hex")}`);
  return { routing, preambleLength, header, rest: b.subarray(4) };
}

/**
 * Two bytes 1..127 that stand for a session in its routing info (so a reconnect's `ED` preamble
 * says which session it continues, before the ClientPayload does).
 * @param {string} session
 * @returns {[number, number]}
 */
function sessionTag(session) {
  let h = 2166136261;
  for (let i = 0; i < session.length; i++) h = Math.imul(h ^ session.charCodeAt(i), 16777619) >>> 0;
  return [1 + (h % 127), 1 + ((h >>> 8) % 127)];
}

/** Routing-info lengths (bytes) the 2026 server hands out, in turn per session login. */
const ROUTING_LENGTHS = [4, 6, 10];

/**
 * The `<routing_info>` bytes for a session's n-th login (2026): protobuf-like varint fields
 * (`08 a 10 b 18 c …`, all single-byte), 4, 6 or 10 bytes long in turn; the first four bytes name
 * the session (see {@link routingKey}).
 * @param {string} session
 * @param {number} login 0-based login number of that session
 * @returns {Uint8Array}
 */
export function routingInfoFor(session, login) {
  const [a, b] = sessionTag(session ?? "");
  const len = ROUTING_LENGTHS[login % ROUTING_LENGTHS.length];
  const out = [0x08, a, 0x10, b];
  for (let field = 3; out.length < len; field++) out.push(field << 3, 1 + ((login + field) % 100));
  return Uint8Array.from(out);
}

/**
 * @param {Uint8Array|null} routing routing bytes (sent in `<routing_info>` or read from a preamble)
 * @returns {string|null} the session key of routing bytes from {@link routingInfoFor}, else null
 */
export function routingKey(routing) {
  if (!routing || routing.length < 4 || routing[0] !== 0x08 || routing[2] !== 0x10) return null;
  return Buffer.from(routing.subarray(0, 4)).toString("hex");
}

/**
 * The soft-closed connections of one server, waiting for the page's next handshake.
 * A connection registers when it is soft-closed; a new connection's first handshake message
 * (`takeOver`) picks the ones it continues: those whose routing key its `ED` preamble carries, or
 * without routing bytes, every one soft-closed in the last 5 s.
 * @template {{softClosedAt: number, routingKey: string|null}} C
 */
export class SoftCloseRegistry {
  constructor() {
    /** @type {Set<C>} */
    this.waiting = new Set();
  }
  /** @param {C} conn */
  add(conn) {
    this.waiting.add(conn);
  }
  /** @param {C} conn */
  delete(conn) {
    this.waiting.delete(conn);
  }
  /**
   * Removes and returns the connections a new handshake continues.
   * @param {Uint8Array|null} routing the new connection's `ED` routing bytes
   * @param {number} now `performance.now()`
   * @returns {C[]}
   */
  takeOver(routing, now) {
    const key = routingKey(routing);
    const picked = [];
    for (const c of this.waiting) {
      const match = key ? c.routingKey === key : now - c.softClosedAt < SOFT_CLOSE_MATCH_WINDOW_MS;
      if (match) picked.push(c);
    }
    for (const c of picked) this.waiting.delete(c);
    return picked;
  }
}
