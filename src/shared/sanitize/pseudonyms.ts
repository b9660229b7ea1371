/**
 * Stable per-trace pseudonyms: every distinct original value of one kind gets the next
 * synthetic value, in the order the values are first met. Also the documentation address
 * ranges that IPs are mapped into (RFC 5737 for IPv4, RFC 3849 for IPv6).
 */

/** Letters for the n-th party (0-based): A … Z, AA … AZ, BA …, like spreadsheet columns. */
export function partyLetters(n: number): string {
  let s = "";
  let k = n + 1;
  while (k > 0) {
    const r = (k - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    k = Math.floor((k - 1) / 26);
  }
  return s;
}

/** Maps originals to synthetic values made by `make(index)`; the same original always gets the same value. */
export class PseudonymTable {
  private readonly map = new Map<string, string>();
  private readonly used = new Set<string>();
  constructor(private readonly make: (index: number) => string) {}

  /** The pseudonym of `original`, assigning the next one on first sight. */
  get(original: string): string {
    const known = this.map.get(original);
    if (known !== undefined) return known;
    let value = this.make(this.map.size);
    // Never hand out a value twice (a make() may collide after wrapping).
    for (let i = this.map.size + 1; this.used.has(value); i++) value = this.make(i);
    this.map.set(original, value);
    this.used.add(value);
    return value;
  }

  /** The pseudonym of `original` if one was assigned. */
  peek(original: string): string | undefined {
    return this.map.get(original);
  }

  /** Number of distinct originals seen. */
  get size(): number {
    return this.map.size;
  }

  /** `[original, pseudonym]` pairs, in assignment order. */
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** The three IPv4 documentation networks (RFC 5737), in the order they are used. */
export const IPV4_DOC_NETS = ["192.0.2", "198.51.100", "203.0.113"] as const;

/** The n-th (0-based) IPv4 documentation address: 192.0.2.1 … 192.0.2.254, then 198.51.100.1 …, wrapping. */
export function docIpv4(n: number): string {
  const net = IPV4_DOC_NETS[Math.floor(n / 254) % 3];
  return `${net}.${(n % 254) + 1}`;
}

/** The n-th (0-based) IPv6 documentation address, `2001:db8::N` (hex N ≥ 1). */
export function docIpv6(n: number): string {
  return `2001:db8::${(n + 1).toString(16)}`;
}

/** True for addresses inside 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 or 2001:db8::/32. */
export function isDocumentationIp(ip: string): boolean {
  const v4 = parseIpv4(ip);
  if (v4) {
    const p = `${v4[0]}.${v4[1]}.${v4[2]}`;
    return (IPV4_DOC_NETS as readonly string[]).includes(p);
  }
  const v6 = parseIpv6(ip);
  return v6 !== undefined && v6[0] === 0x20 && v6[1] === 0x01 && v6[2] === 0x0d && v6[3] === 0xb8;
}

/** The 4 bytes of a dotted IPv4 address (each part 0..255, no leading zeros beyond one digit), else `undefined`. */
export function parseIpv4(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** The 16 bytes of an IPv6 address in text form (with `::` and an optional dotted IPv4 tail), else `undefined`. */
export function parseIpv6(s: string): Uint8Array | undefined {
  if (!s.includes(":") || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    const items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      const g = items[i];
      if (i === items.length - 1 && g.includes(".")) {
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        groups.push(Number.parseInt(g, 16));
      }
    }
    return groups;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else groups = head;
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
