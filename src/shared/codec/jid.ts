/**
 * JIDs as strings: parsing, formatting and the wire form WhatsApp Web would choose.
 *
 * String forms (WhatsApp Web `WapJid.toString()`, wa-web-runtime.md §2.3):
 * - `user@server` or a bare `server` (JID_PAIR);
 * - `user[:device]@s.whatsapp.net|lid|hosted|hosted.lid` (AD_JID; `:0` is omitted);
 * - `user:device@msgr` (FB_JID; the device is always printed);
 * - `integrator-user:device@interop` (INTEROP_JID; the device is always printed).
 *
 * `user.agent` is accepted in the user part (whatsmeow's notation). WhatsApp Web's `WapJid`
 * has no agent field, so the agent never gets its own wire field here: it stays inside the
 * user string that goes on the wire (as the whatsapp-rust-bridge encoder does). whatsmeow
 * instead puts an agent into the AD_JID domain byte, which WhatsApp Web rejects unless it is
 * a known domain (wabinary.md §7).
 */

/** Well-known JID servers. */
export const SERVER = {
  WHATSAPP: "s.whatsapp.net",
  LID: "lid",
  HOSTED: "hosted",
  HOSTED_LID: "hosted.lid",
  LEGACY_USER: "c.us",
  GROUP: "g.us",
  BROADCAST: "broadcast",
  CALL: "call",
  NEWSLETTER: "newsletter",
  BOT: "bot",
  MESSENGER: "msgr",
  INTEROP: "interop",
} as const;

/**
 * Servers for which the encoder writes a JID form; other `x@y` strings stay plain strings.
 * WhatsApp Web only writes JID forms for `WapJid` objects, which only carry these servers.
 */
export const JID_SERVERS: ReadonlySet<string> = new Set(Object.values(SERVER));

/** AD_JID domain bytes (WhatsApp Web `WapJid.DomainType`, wabinary.md §6). */
export const AD_DOMAIN = { WHATSAPP: 0, LID: 1, HOSTED: 128, HOSTED_LID: 129 } as const;

/**
 * A parsed JID. `user` is "" only for a bare server. `agent`, `device` and `integrator` are
 * present only when the string had them (`.agent`, `:device`, `integrator-` for interop).
 */
export interface Jid {
  user: string;
  server: string;
  agent?: number;
  device?: number;
  integrator?: number;
}

/** Which wire construct carries a JID (wabinary.md §6). */
export type JidWireForm = "jid-pair" | "ad-jid" | "fb-jid" | "interop-jid";

/**
 * Server for an AD_JID domain byte, or `undefined` when WhatsApp Web would throw.
 * Follows WhatsApp Web (wabinary.md §6/§7): 0 = s.whatsapp.net, 1 = lid, 129 = hosted.lid,
 * any other even value with bit 7 set (e.g. 128) = hosted. Baileys falls back to
 * s.whatsapp.net and whatsmeow keeps a raw agent instead; we reject, as WA does.
 */
export function adDomainToServer(domain: number): string | undefined {
  if (domain === AD_DOMAIN.WHATSAPP) return SERVER.WHATSAPP;
  if (domain === AD_DOMAIN.LID) return SERVER.LID;
  if (domain === AD_DOMAIN.HOSTED_LID) return SERVER.HOSTED_LID;
  if ((domain & 0x81) === 0x80 && domain <= 0xff) return SERVER.HOSTED;
  return undefined;
}

/** AD_JID domain byte for a server (s.whatsapp.net, lid, hosted, hosted.lid), else `undefined`. */
export function serverToAdDomain(server: string): number | undefined {
  switch (server) {
    case SERVER.WHATSAPP:
      return AD_DOMAIN.WHATSAPP;
    case SERVER.LID:
      return AD_DOMAIN.LID;
    case SERVER.HOSTED:
      return AD_DOMAIN.HOSTED;
    case SERVER.HOSTED_LID:
      return AD_DOMAIN.HOSTED_LID;
    default:
      return undefined;
  }
}

/** Parses a canonical unsigned decimal (no sign, no leading zeros) up to `max`; else -1. */
function parseUint(s: string, max: number): number {
  const n = s.length;
  if (n === 0 || n > 10 || (n > 1 && s.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= max ? v : -1;
}

/**
 * Parses `user[.agent][:device]@server`, `integrator-user:device@interop`, or a bare known
 * server (e.g. `g.us`). Returns `undefined` for anything else: no `@` (unless a bare known
 * server), more than one `@` or `:`, an empty user or server, a device that is not a
 * canonical decimal ≤ 65535. The agent is taken from a trailing `.N` (canonical decimal
 * ≤ 255) of the user when what precedes it is non-empty; otherwise the dot stays in `user`.
 * An interop user without a valid `integrator-` prefix has no `integrator`.
 */
export function parseJid(s: string): Jid | undefined {
  const at = s.indexOf("@");
  if (at < 0) return JID_SERVERS.has(s) ? { user: "", server: s } : undefined;
  if (at === 0 || at === s.length - 1 || s.indexOf("@", at + 1) >= 0) return undefined;
  const server = s.slice(at + 1);
  let user = s.slice(0, at);
  const jid: Jid = { user, server };
  const colon = user.indexOf(":");
  if (colon >= 0) {
    if (colon === 0 || user.indexOf(":", colon + 1) >= 0) return undefined;
    const device = parseUint(user.slice(colon + 1), 0xffff);
    if (device < 0) return undefined;
    jid.device = device;
    user = user.slice(0, colon);
  }
  if (server === SERVER.INTEROP && jid.device !== undefined) {
    const dash = user.indexOf("-");
    const integrator = dash > 0 ? parseUint(user.slice(0, dash), 0xffff) : -1;
    if (integrator >= 0 && dash < user.length - 1) {
      jid.integrator = integrator;
      user = user.slice(dash + 1);
    }
  }
  const dot = user.lastIndexOf(".");
  if (dot > 0) {
    const agent = parseUint(user.slice(dot + 1), 0xff);
    if (agent >= 0) {
      jid.agent = agent;
      user = user.slice(0, dot);
    }
  }
  jid.user = user;
  return jid;
}

/**
 * Formats a JID the way WhatsApp Web's `WapJid.toString()` does: bare server when `user` is
 * ""; `:device` omitted for device 0 on AD servers (s.whatsapp.net, lid, hosted, hosted.lid)
 * and always printed elsewhere when present; `integrator-` prefix when `integrator` is set.
 */
export function formatJid(jid: Jid): string {
  let user = jid.user;
  if (jid.agent !== undefined) user += `.${jid.agent}`;
  if (jid.integrator !== undefined) user = `${jid.integrator}-${user}`;
  if (user === "") return jid.server;
  const showDevice =
    jid.device !== undefined && (jid.device !== 0 || serverToAdDomain(jid.server) === undefined);
  return showDevice ? `${user}:${jid.device}@${jid.server}` : `${user}@${jid.server}`;
}

/** True when `s` parses as a JID (see `parseJid`). */
export function isJid(s: string): boolean {
  return parseJid(s) !== undefined;
}

/** `user@server` of a JID string (device and agent dropped), or the raw string when it does not parse. */
export function bareJid(jid: string): string {
  const j = parseJid(jid);
  return j ? `${j.user}@${j.server}` : jid;
}

/** The server of a JID string (`lid`, `s.whatsapp.net`, …), or `undefined`. */
export function jidServer(jid: string | undefined): string | undefined {
  return jid === undefined ? undefined : parseJid(jid)?.server;
}

/** The device number of a JID string, or `undefined` when it has none. */
export function jidDevice(jid: string | undefined): number | undefined {
  return jid === undefined ? undefined : parseJid(jid)?.device;
}

/**
 * The wire form WhatsApp Web would use for this JID (wabinary.md §4, §6), or `undefined`
 * when no JID form can carry it:
 * - `fb-jid`: server msgr with a device;
 * - `interop-jid`: server interop with a device and an integrator;
 * - `ad-jid`: s.whatsapp.net / lid / hosted / hosted.lid with device 1..255;
 * - `jid-pair`: no device and no integrator (a bare server or `user@server`).
 */
export function jidWireForm(jid: Jid): JidWireForm | undefined {
  if (jid.device === undefined) return jid.integrator === undefined ? "jid-pair" : undefined;
  if (jid.server === SERVER.MESSENGER) return jid.integrator === undefined ? "fb-jid" : undefined;
  if (jid.server === SERVER.INTEROP) return jid.integrator !== undefined ? "interop-jid" : undefined;
  if (jid.integrator !== undefined || serverToAdDomain(jid.server) === undefined) return undefined;
  return jid.device >= 1 && jid.device <= 0xff ? "ad-jid" : undefined;
}

/**
 * Decides whether the encoder writes string `s` as a JID: it must contain `@`, parse, use a
 * server from `JID_SERVERS`, have a wire form, and format back to exactly `s` (so decoding
 * gives the same string). Returns the parsed JID and its form, or `undefined` (plain string).
 * The encoder applies these rules in place without building objects (encoder.ts
 * `jidString`); a property test checks that both always agree.
 */
export function jidForEncoding(s: string): { jid: Jid; form: JidWireForm } | undefined {
  if (s.indexOf("@") < 0) return undefined;
  const jid = parseJid(s);
  if (jid === undefined || !JID_SERVERS.has(jid.server)) return undefined;
  const form = jidWireForm(jid);
  if (form === undefined || formatJid(jid) !== s) return undefined;
  return { jid, form };
}
