/**
 * The sanitizer: the only way to a {@link SanitizedTrace}, which is the only input every
 * exporter accepts. It replaces, with stable per-trace pseudonyms:
 * - JIDs: the user part of every JID becomes the party's letter (first party met → `A`, next
 *   `B`, …), keeping the server (`s.whatsapp.net`, `lid`, …, so LID/PN stay apart), the agent
 *   and the device (`B.0:7@s.whatsapp.net`); `{call-id}@call` JIDs take the call-id's
 *   pseudonym; group JIDs become `G1@g.us`, …;
 * - bare phone numbers (`caller_pn` without server, long digit values) → the party letter;
 * - push names (`notify`, …) → `Name1`, …; `caller_country_code` → `XX`;
 * - stanza ids (`id`) → `S0001`, …; call-ids → `CALLID0001`, …; relay `uuid` → `UUID0001`;
 *   `relay_name` → `relay1`, …; other opaque values → `value1`, … (equal stays equal);
 * - IPv4 addresses → 192.0.2.x, then 198.51.100.x, 203.0.113.x; IPv6 → 2001:db8::N, in
 *   attributes and in 6/18-byte `te`/`te2` contents (ports kept);
 * - every other byte or text content → a placeholder `{ b64: "", truncatedFrom: N, redacted }`
 *   keeping the length N (capability bytes may be kept with `keepCapability`);
 * - times: `t` of every stanza → ms since the first stanza; `t`/`e` timestamp attributes →
 *   seconds since the earliest one; `createdAt` → the epoch; health notes and error texts scrubbed.
 * What it replaced is remembered (never serialized) so that exporters can run the leak check.
 */
import { base64ToBytes, bytesToBase64 } from "../codec/bytetext";
import { formatJid, type Jid, parseJid } from "../codec/jid";
import { isPortableBytes } from "../codec/node";
import type { CapturedStanza, CaptureHealth, PortableNode, TapName } from "../trace/types";
import type { SanitizeInfo, TraceBytes, TraceFile } from "../tracefile/types";
import { Fingerprints } from "./leak";
import {
  docIpv4,
  docIpv6,
  isDocumentationIp,
  PseudonymTable,
  parseIpv4,
  parseIpv6,
  partyLetters,
} from "./pseudonyms";

/** Version of the sanitizing rules, written to `sanitized.version`. */
export const SANITIZER_VERSION = 1;

declare const sanitizedBrand: unique symbol;

/**
 * A trace that went through {@link sanitizeTrace}: deeply frozen, with `sanitized` set. Only the
 * sanitizer creates values of this type (the brand cannot be named elsewhere, and exporters
 * also check at run time with {@link fingerprintsOf}).
 */
export type SanitizedTrace = Readonly<TraceFile> & {
  readonly sanitized: SanitizeInfo;
  readonly [sanitizedBrand]: true;
};

/** Options of {@link sanitizeTrace}. */
export interface SanitizeOptions {
  /** Keep `<capability>` bytes (7-byte feature blobs, research SIG-01a); default false. */
  keepCapability?: boolean;
}

/** Counts of what was replaced, for the UI and the CLI. */
export interface SanitizeReport {
  parties: number;
  groups: number;
  stanzaIds: number;
  callIds: number;
  names: number;
  ips: number;
  payloads: number;
  otherValues: number;
}

const registry = new WeakMap<object, Fingerprints>();

/**
 * The leak fingerprints of a sanitized trace, or `undefined` when `trace` did not come from
 * {@link sanitizeTrace} (exporters refuse such input).
 */
export function fingerprintsOf(trace: object): Fingerprints | undefined {
  return registry.get(trace);
}

/** True when `x` came from {@link sanitizeTrace} in this process. */
export function isSanitizedTrace(x: unknown): x is SanitizedTrace {
  return typeof x === "object" && x !== null && registry.has(x);
}

/** Attributes holding JIDs or phone numbers. */
const PARTY_ATTRS = new Set([
  "from",
  "to",
  "participant",
  "recipient",
  "jid",
  "call-creator",
  "caller_pn",
  "creator",
  "sender_pn",
  "participant_pn",
  "participant_lid",
  "peer_jid",
  "lid",
  "pn",
  "phash",
]);
const CALL_ID_ATTRS = new Set(["call-id", "call_id", "callId"]);
const NAME_ATTRS = new Set(["notify", "push_name", "pushname", "verified_name", "display_name", "subject"]);
const TIME_ATTRS = new Set(["t", "e", "timestamp", "ts"]);
const IP_ATTRS = new Set(["ip", "addr", "address", "host", "ip4", "ip6"]);
/** Attributes whose values are protocol vocabulary or small numbers: kept as they are. */
const SAFE_ATTRS = new Set([
  "class",
  "type",
  "reason",
  "count",
  "v",
  "enc",
  "dec",
  "rate",
  "medium",
  "protocol",
  "ver",
  "keygen",
  "priority",
  "latency",
  "latency_ms",
  "latency-ms",
  "c2r_rtt",
  "jitter",
  "duration",
  "audio_duration",
  "media",
  "platform",
  "version",
  "device_class",
  "joinable",
  "offline",
  "state",
  "device_orientation",
  "orientation",
  "screen_width",
  "screen_height",
  "uncompressed",
  "mute-state",
  "transport-message-type",
  "p2p-cand-round",
  "relay_id",
  "token_id",
  "auth_token_id",
  "is_fna",
  "self_pid",
  "peer_pid",
  "pid",
  "code",
  "text",
  "error",
  "action",
  "screenshare_state",
  "port",
  "proto",
  "value",
  "category",
  "edit",
  "index",
  "result",
]);

/** Shapes of this sanitizer's own pseudonyms. */
const PSEUDONYM_SHAPE = /^(?:[A-Z]{1,3}|G\d+|S\d{4,}|CALLID\d{4,}|Name\d+|relay\d+|UUID\d{4,}|value\d+)$/;

/** A whole value shaped like a JID (`user@server`, no blanks). */
const JID_SHAPE = /^[^\s@"'<>]+@[A-Za-z0-9.-]+$/;

const SAFE_VALUE = /^[A-Za-z_.:/-]{0,40}$/;
const SMALL_NUMBER = /^-?\d{1,9}(\.\d+)?$/;

type Pseudonyms = {
  users: PseudonymTable;
  groups: PseudonymTable;
  stanzaIds: PseudonymTable;
  callIds: PseudonymTable;
  names: PseudonymTable;
  ipv4: PseudonymTable;
  ipv6: PseudonymTable;
  relayNames: PseudonymTable;
  uuids: PseudonymTable;
  other: PseudonymTable;
};

class Sanitizer {
  readonly prints = new Fingerprints();
  readonly p: Pseudonyms = {
    users: new PseudonymTable(partyLetters),
    groups: new PseudonymTable((i) => `G${i + 1}`),
    stanzaIds: new PseudonymTable((i) => `S${String(i + 1).padStart(4, "0")}`),
    callIds: new PseudonymTable((i) => `CALLID${String(i + 1).padStart(4, "0")}`),
    names: new PseudonymTable((i) => `Name${i + 1}`),
    ipv4: new PseudonymTable(docIpv4),
    ipv6: new PseudonymTable(docIpv6),
    relayNames: new PseudonymTable((i) => `relay${i + 1}`),
    uuids: new PseudonymTable((i) => `UUID${String(i + 1).padStart(4, "0")}`),
    other: new PseudonymTable((i) => `value${i + 1}`),
  };
  payloads = 0;
  timeBaseS: number | undefined;

  constructor(readonly keepCapability: boolean) {}

  /**
   * Records an identifier's original text and its ≥ 6-digit runs for the leak check. Values
   * shaped like this sanitizer's own pseudonyms (re-sanitizing a sanitized trace) are not
   * secrets and are skipped, since another value may legitimately map onto them.
   */
  remember(category: "jid-user" | "name" | "id" | "token", original: string, replacement: string): void {
    if (original === replacement || PSEUDONYM_SHAPE.test(original)) return;
    this.prints.addText(category, original);
    for (const m of original.matchAll(/\d{6,}/g)) this.prints.addText("phone", m[0]);
  }

  user(u: string): string {
    const out = this.p.users.get(u);
    this.remember("jid-user", u, out);
    return out;
  }

  callId(v: string): string {
    const out = this.p.callIds.get(v);
    this.remember("id", v, out);
    return out;
  }

  stanzaId(v: string): string {
    const out = this.p.stanzaIds.get(v);
    this.remember("id", v, out);
    return out;
  }

  jid(value: string, jid: Jid): string {
    if (jid.user === "") return value;
    const out: Jid = { ...jid };
    if (jid.server === "call") out.user = this.callId(jid.user);
    else if (jid.server === "g.us" || jid.server === "broadcast" || jid.server === "newsletter") {
      out.user = this.p.groups.get(jid.user);
      this.remember("jid-user", jid.user, out.user);
    } else out.user = this.user(jid.user);
    return formatJid(out);
  }

  ip(text: string): string | undefined {
    const v4 = parseIpv4(text);
    if (v4) {
      this.prints.addIp(text);
      return this.p.ipv4.get(v4.join("."));
    }
    const v6 = parseIpv6(text);
    if (v6) {
      this.prints.addIp(text);
      if (!isDocumentationIp(text)) this.prints.addPayload(v6, "ipv6");
      return this.p.ipv6.get(Array.from(v6).join(","));
    }
    return undefined;
  }

  /** `ip`, `ip:port`, `[ip6]:port`, or a value with embedded IPs, mapped. */
  ipValue(value: string): string | undefined {
    const direct = this.ip(value);
    if (direct !== undefined) return direct;
    const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value);
    if (v4port) {
      const ip = this.ip(v4port[1]);
      if (ip !== undefined) return `${ip}:${v4port[2]}`;
    }
    const v6port = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(value);
    if (v6port) {
      const ip = this.ip(v6port[1]);
      if (ip !== undefined) return `[${ip}]:${v6port[2]}`;
    }
    return undefined;
  }

  /** Replaces JIDs, IPs and long digit runs inside free text. */
  scrubText(s: string): string {
    let out = s.replace(/[^\s"'<>=,;()[\]{}]+@[A-Za-z0-9.-]+/g, (m) => {
      const jid = parseJid(m);
      return jid ? this.jid(m, jid) : "[redacted]";
    });
    out = out.replace(/(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9])/g, (m) => this.ip(m) ?? m);
    out = out.replace(/\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}\b/g, (m) => this.ip(m) ?? m);
    out = out.replace(/\d{6,}/g, (m) => {
      this.prints.addText("phone", m);
      return "#".repeat(m.length);
    });
    return out;
  }

  attr(name: string, value: string, top: boolean, timeBase: number | undefined): string {
    if (value === "") return value;
    if (CALL_ID_ATTRS.has(name)) return this.callId(value);
    if (name === "id") {
      if (!top && /^\d{1,4}$/.test(value)) return value;
      return this.stanzaId(value);
    }
    if (TIME_ATTRS.has(name) && /^\d{9,}$/.test(value)) {
      return timeBase === undefined ? value : String(Number(value) - timeBase);
    }
    if (PARTY_ATTRS.has(name) || value.includes("@")) {
      const jid = JID_SHAPE.test(value) || !value.includes("@") ? parseJid(value) : undefined;
      if (jid && (value.includes("@") || jid.user === "")) return this.jid(value, jid);
      if (/^\+?\d{5,}$/.test(value)) return this.user(value.replace(/^\+/, ""));
      if (PARTY_ATTRS.has(name)) {
        const out = this.p.other.get(value);
        this.remember("token", value, out);
        return out;
      }
    }
    if (NAME_ATTRS.has(name)) {
      const out = this.p.names.get(value);
      this.remember("name", value, out);
      return out;
    }
    if (name === "caller_country_code") return "XX";
    if (name === "relay_name" || name === "relay") {
      const out = this.p.relayNames.get(value);
      this.remember("token", value, out);
      return out;
    }
    if (name === "uuid") {
      const out = this.p.uuids.get(value);
      this.remember("token", value, out);
      return out;
    }
    if (name === "text") return this.scrubText(value);
    if (SAFE_ATTRS.has(name) && !/\d{10,}/.test(value)) return value;
    const ip = this.ipValue(value);
    if (ip !== undefined) return ip;
    if (IP_ATTRS.has(name)) return this.opaque(value);
    // Unknown attribute: a value known as an identifier elsewhere in the trace takes its
    // pseudonym; vocabulary-like words and small numbers are kept; anything else is mapped.
    const known = this.knownIdentifier(value);
    if (known !== undefined) return known;
    if (SAFE_VALUE.test(value) || SMALL_NUMBER.test(value)) return value;
    if (/^\d{10,}$/.test(value)) return this.user(value);
    return this.opaque(value);
  }

  /** The pseudonym of a value met as a JID user, call-id, stanza id or name anywhere in the trace. */
  knownIdentifier(value: string): string | undefined {
    const p = this.p;
    return p.users.peek(value) ?? p.callIds.peek(value) ?? p.stanzaIds.peek(value) ?? p.names.peek(value);
  }

  opaque(value: string): string {
    const out = this.p.other.get(value);
    this.remember("token", value, out);
    return out;
  }

  content(node: PortableNode, out: PortableNode, depth: number, timeBase: number | undefined): void {
    const c = node.content;
    if (c === undefined) return;
    if (Array.isArray(c)) {
      out.content = c.map((child) => this.node(child, depth + 1, timeBase));
      return;
    }
    const tag = node.tag;
    if (typeof c === "string") {
      const bytes = new TextEncoder().encode(c);
      this.prints.addPayload(bytes, tag);
      if (c.length >= 8) this.prints.addText("token", c);
      this.payloads++;
      out.content = placeholder(bytes.length, tag);
      return;
    }
    if (!isPortableBytes(c)) return;
    const tb = c as TraceBytes;
    const bytes = base64ToBytes(tb.b64);
    const length = tb.truncatedFrom ?? bytes.length;
    if (tb.b64 === "" && tb.truncatedFrom !== undefined) {
      // Already a placeholder or bytes the log omitted: nothing to hide.
      out.content = placeholder(length, tb.redacted ?? tag);
      return;
    }
    if (
      (tag === "te" || tag === "te2") &&
      tb.truncatedFrom === undefined &&
      (bytes.length === 6 || bytes.length === 18)
    ) {
      out.content = { b64: bytesToBase64(this.packedAddress(bytes, tag)) };
      return;
    }
    if (tag === "capability" && this.keepCapability) {
      out.content = { ...tb, b64: tb.b64 };
      return;
    }
    this.prints.addPayload(bytes, tag);
    this.payloads++;
    out.content = placeholder(length, tag);
  }

  packedAddress(bytes: Uint8Array, tag: string): Uint8Array {
    const out = new Uint8Array(bytes.length);
    out.set(bytes.subarray(bytes.length - 2), bytes.length - 2);
    if (bytes.length === 6) {
      const ip = Array.from(bytes.subarray(0, 4)).join(".");
      const mapped = this.ip(ip) ?? ip;
      this.prints.addPacked(bytes, tag);
      out.set(parseIpv4(mapped) ?? bytes.subarray(0, 4), 0);
    } else {
      const groups = Array.from({ length: 8 }, (_, i) =>
        ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16),
      );
      const ip = groups.join(":");
      const mapped = this.ip(ip) ?? ip;
      this.prints.addPacked(bytes, tag);
      out.set(parseIpv6(mapped) ?? bytes.subarray(0, 16), 0);
    }
    return out;
  }

  node(node: PortableNode, depth: number, timeBase: number | undefined): PortableNode {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(node.attrs)) attrs[k] = this.attr(k, v, depth === 0, timeBase);
    const out: PortableNode = { tag: node.tag, attrs };
    this.content(node, out, depth, timeBase);
    return out;
  }

  /**
   * Health is counts and short diagnostic texts: every string (and every object key, such as
   * the reasons of `undecodableByReason`) goes through {@link scrubText}, `hex` fields and tap
   * notes are dropped, error and worker times become relative, and the public WA build is kept. Generic,
   * so fields added to `CaptureHealth` later are scrubbed too.
   */
  health(h: CaptureHealth, t0: number): CaptureHealth {
    const walk = (v: unknown, key: string, parent: string): unknown => {
      if (typeof v === "string") return key === "build" && parent === "" ? v : this.scrubText(v);
      if (typeof v === "number" && key === "t" && RELATIVE_T_PARENTS.has(parent)) return relMs(v, t0);
      if (typeof v === "number" && key === "since" && parent === "deepCapture") return relMs(v, t0);
      if (Array.isArray(v)) return v.map((x) => walk(x, key, key));
      if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (k === "hex" || (k === "note" && parent === "taps")) continue;
          out[this.scrubText(k)] = walk(x, k, key);
        }
        return out;
      }
      return v;
    };
    return walk(h, "", "") as CaptureHealth;
  }
}

/** Health objects whose `t` is an epoch time, made relative like stanza times. */
const RELATIVE_T_PARENTS: ReadonlySet<string> = new Set(["lastError", "decodeErrors", "workers"]);

/** A labelled placeholder keeping the payload's length: `{ b64: "", truncatedFrom: N, redacted }`. */
function placeholder(length: number, label: string): TraceBytes {
  return { b64: "", truncatedFrom: length, redacted: label };
}

const relMs = (t: number, t0: number): number => Math.round((t - t0) * 1000) / 1000;

function earliestTimeAttr(stanzas: readonly CapturedStanza[]): number | undefined {
  let min: number | undefined;
  const walk = (n: PortableNode): void => {
    for (const k of TIME_ATTRS) {
      const v = n.attrs[k];
      if (v !== undefined && /^\d{9,}$/.test(v)) {
        const x = Number(v);
        if (min === undefined || x < min) min = x;
      }
    }
    if (Array.isArray(n.content)) for (const c of n.content) walk(c);
  };
  for (const s of stanzas) if (s.node) walk(s.node);
  return min;
}

const escapeRegExp = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/**
 * Sanitizes a trace (see the module comment for every rule). Pure: the input is not changed.
 * Pseudonyms are assigned in stanza order (`seq`), attributes in their order, depth first.
 * @returns the frozen, branded sanitized trace and counts of what was replaced.
 */
export function sanitizeTrace(
  trace: TraceFile,
  options: SanitizeOptions = {},
): { trace: SanitizedTrace; report: SanitizeReport } {
  const s = new Sanitizer(options.keepCapability === true);
  const stanzas = [...trace.stanzas].sort((a, b) => a.seq - b.seq);
  const t0 = stanzas.length ? stanzas[0].t : 0;
  const timeBase = earliestTimeAttr(stanzas);
  // Pass 1 assigns every pseudonym in first-seen order, so that pass 2 also recognises an
  // identifier in an unknown attribute that comes before its first proper use.
  for (const st of stanzas) if (st.node) s.node(st.node, 0, timeBase);
  s.payloads = 0;
  const out: CapturedStanza[] = stanzas.map((st) => {
    const o: CapturedStanza = { seq: st.seq, direction: st.direction, t: relMs(st.t, t0), tap: st.tap };
    if (st.seenBy) o.seenBy = [...st.seenBy];
    if (st.synthetic) o.synthetic = st.synthetic;
    if (st.seenAt) {
      o.seenAt = {};
      for (const [tap, at] of Object.entries(st.seenAt))
        if (typeof at === "number") o.seenAt[tap as TapName] = relMs(at, t0);
    }
    if (st.node) o.node = s.node(st.node, 0, timeBase);
    if (st.error) {
      o.error = { message: s.scrubText(st.error.message) };
      if (st.error.offset !== undefined) o.error.offset = st.error.offset;
      if (st.error.hex) {
        const raw = st.error.hex.replace(/[^0-9a-fA-F]/g, "");
        const bytes = new Uint8Array(raw.length >> 1);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(raw.slice(2 * i, 2 * i + 2), 16);
        s.prints.addPayload(bytes, "error.hex");
        o.error.message += ` [${bytes.length} bytes redacted]`;
      }
    }
    return o;
  });
  // The WhatsApp Web build (e.g. 2.3000.1023456789) is public release information: kept.
  const source = { ...trace.source };
  const result: TraceFile = {
    format: trace.format,
    version: trace.version,
    createdAt: new Date(0).toISOString(),
    source,
    sanitized: { version: SANITIZER_VERSION, keptCapability: s.keepCapability, relativeTime: true },
    stanzas: out,
  };
  if (trace.health) result.health = s.health(trace.health, t0);
  // Short push names that are also ordinary words of the sanitized trace (tags, vocabulary
  // values such as "opus") would make every export fail: they are not checked.
  const json = JSON.stringify(result);
  for (const [name] of s.p.names.entries()) {
    if (name.length < 8 && new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(name)}([^A-Za-z0-9]|$)`).test(json)) {
      s.prints.removeText(name);
    }
  }
  deepFreeze(result);
  registry.set(result, s.prints);
  const report: SanitizeReport = {
    parties: s.p.users.size,
    groups: s.p.groups.size,
    stanzaIds: s.p.stanzaIds.size,
    callIds: s.p.callIds.size,
    names: s.p.names.size,
    ips: s.p.ipv4.size + s.p.ipv6.size,
    payloads: s.payloads,
    otherValues: s.p.other.size + s.p.relayNames.size + s.p.uuids.size,
  };
  return { trace: result as SanitizedTrace, report };
}

/**
 * The leak fingerprints of several sanitized traces together (for outputs built from more
 * than one trace, such as evidence reports). `undefined` when any input is not sanitized.
 */
export function combinedFingerprints(traces: readonly SanitizedTrace[]): Fingerprints | undefined {
  const all = new Fingerprints();
  for (const t of traces) {
    const f = fingerprintsOf(t);
    if (!f) return undefined;
    all.merge(f);
  }
  return all;
}
