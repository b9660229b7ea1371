/**
 * The chat socket's byte stream as the client writes it (wa-web-capture.md §4,
 * wa-web-runtime.md §6): an optional routing preamble `45 44 00 01` + u24 length + routing
 * bytes, then the 4-byte header `57 41 06 <dictionary version>`, then u24 big-endian
 * length-prefixed frames. Only the header matters to the tap: it names the token dictionary
 * the connection's frames use. Pure.
 */

/** What the first bytes of a chat socket say. */
export interface ConnectionHeader {
  /** Protocol byte (6 today). */
  protocol: number;
  /** Dictionary version byte (3 today). */
  dictVersion: number;
  /** Length of the `ED` routing bytes, when the preamble is present. */
  routingLength?: number;
  /** Bytes taken by preamble + header; frames start here. */
  length: number;
}

/**
 * Parses the start of a client → server chat-socket stream.
 * @param bytes the first WebSocket message the client sent.
 * @returns the header, or `undefined` when the bytes are not a WA chat-socket start.
 */
export function parseConnectionHeader(bytes: Uint8Array): ConnectionHeader | undefined {
  let p = 0;
  let routingLength: number | undefined;
  if (bytes.length >= 7 && bytes[0] === 0x45 && bytes[1] === 0x44 && bytes[2] === 0x00 && bytes[3] === 0x01) {
    routingLength = (bytes[4] << 16) | (bytes[5] << 8) | bytes[6];
    p = 7 + routingLength;
  }
  if (bytes.length < p + 4 || bytes[p] !== 0x57 || bytes[p + 1] !== 0x41) return undefined;
  const header: ConnectionHeader = { protocol: bytes[p + 2], dictVersion: bytes[p + 3], length: p + 4 };
  if (routingLength !== undefined) header.routingLength = routingLength;
  return header;
}
