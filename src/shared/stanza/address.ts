/**
 * Packed relay addresses, as carried in the content of `<te2>` (the server's `<relay>`) and of
 * `<te>` (relaylatency, accept, transport).
 * Source: wacrg REL-01 (`spec/relay/relay-candidates.yaml`): 6 bytes = IPv4 a.b.c.d + port,
 * 18 bytes = IPv6 as 8 big-endian 16-bit groups + port; the port is big-endian in the last
 * 2 bytes; any other length is not an address.
 */

/** A decoded packed address. */
export interface PackedAddress {
  family: 4 | 6;
  /** Dotted IPv4, or IPv6 in its shortest text form (RFC 5952 style, lowercase). */
  ip: string;
  /** UDP port, 0..65535. */
  port: number;
  /** `ip:port` for IPv4, `[ip]:port` for IPv6. */
  text: string;
}

function ipv6Text(groups: number[]): string {
  // Find the longest run (length >= 2) of zero groups, leftmost on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLen).join(":");
  return `${head}::${tail}`;
}

/**
 * Decodes a packed address.
 * @param bytes 6 bytes (IPv4 + port) or 18 bytes (IPv6 + port).
 * @returns the address, or `undefined` for any other length (REL-01: such content is skipped).
 */
export function decodePackedAddress(bytes: Uint8Array | undefined): PackedAddress | undefined {
  if (bytes === undefined) return undefined;
  if (bytes.length === 6) {
    const ip = `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
    const port = (bytes[4] << 8) | bytes[5];
    return { family: 4, ip, port, text: `${ip}:${port}` };
  }
  if (bytes.length === 18) {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
    const ip = ipv6Text(groups);
    const port = (bytes[16] << 8) | bytes[17];
    return { family: 6, ip, port, text: `[${ip}]:${port}` };
  }
  return undefined;
}
