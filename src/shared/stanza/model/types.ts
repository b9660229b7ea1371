/**
 * The typed call model: a full, typed reading of every call action and of the server's
 * `<relay>` block, on top of the plain node model. Where {@link viewStanza} is the cheap
 * summary used for every stanza, this is the detailed reading used by the rule checks and
 * the stanza inspector.
 *
 * Reading is tolerant and never throws: a missing or malformed field is simply absent, an
 * unknown action is kept with `kind: "unknown"`, and children the model does not understand
 * are kept in `unknownChildren`.
 *
 * Sources: ../shared/research/call-signalling.md §2-§4; wacrg SIG-01..SIG-18 and REL-01
 * (`spec/signalling/*.yaml`, `spec/relay/relay-candidates.yaml`); stanza files
 * `spec/stanzas/call-*.yaml`; actions found only in client code (video, enc_rekey,
 * group_update, user_action, screen_share, waiting_room_update) from the research notes §2.
 */
import { base64ToBytes } from "../trace/portable";
import { decodePackedAddress, type PackedAddress } from "./address";
import { KNOWN_CALL_ACTIONS, type NodeLike } from "./call";
import {
  childByTag,
  childrenByTag,
  contentLength,
  isTruncated,
  nodeBytes,
  nodeChildren,
  nodeText,
  spacedHex,
  uintAttr,
} from "./content";

/** The offset added to the RTT in relaylatency `te@latency` (SIG-15): 0x02000000 = 33554432. */
export const RELAY_LATENCY_BASE = 0x02000000;

/**
 * `<video state=N>` codes of the in-call `video` action, with the project's names.
 * Source: research notes §4 (client code); codes 12..19 are not known.
 */
export const VIDEO_STATES: Readonly<Record<number, string>> = {
  0: "disabled",
  1: "enabled",
  2: "paused",
  3: "upgrade-request",
  4: "upgrade-accept",
  5: "upgrade-reject",
  6: "stopped",
  7: "upgrade-reject-timeout",
  8: "upgrade-cancel",
  9: "upgrade-cancel-timeout",
  10: "unknown-peer",
  11: "upgrade-request-v2",
  20: "error",
};

/** `transport-message-type` values (SIG-05): 1 relay candidate, 3 peer ICE candidate, 9 keepalive/reply. */
export const TRANSPORT_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: "relay-candidate",
  3: "peer-candidate",
  9: "keepalive-reply",
};

/** A capability blob the corpus or client code names, with where it comes from. */
export interface KnownCapability {
  hex: string;
  /** What sends it, e.g. "offer/accept (SIG-01, SIG-03)". */
  label: string;
  /** `spec` when a wacrg part states it, `client` when only client code uses it (§8). */
  origin: "spec" | "client";
}

/**
 * The 7-byte `<capability ver="1">` bodies known from wacrg (SIG-01/03/04) and from client
 * code (research notes §8: byte 4 `e0` instead of `e4`; byte 5 `fa` in video offers).
 */
export const KNOWN_CAPABILITIES: readonly KnownCapability[] = [
  { hex: "01 05 f7 09 e4 bb 13", label: "offer/accept (SIG-01, SIG-03)", origin: "spec" },
  { hex: "01 05 f7 09 e4 bb 07", label: "preaccept (SIG-04)", origin: "spec" },
  { hex: "01 05 f7 09 e0 bb 13", label: "offer/accept, client code", origin: "client" },
  { hex: "01 05 f7 09 e0 bb 07", label: "audio preaccept, client code", origin: "client" },
  { hex: "01 05 f7 09 e0 fa 13", label: "video offer, client code", origin: "client" },
];

// ---------------------------------------------------------------------------------------------
// Parameters shared by several actions

/** An opaque byte payload: only its size is kept (never the bytes of keys, tokens or ciphertexts). */
export interface BlobInfo {
  /** Content length in bytes (before any capture truncation). */
  length: number;
  /** The capture kept only the first bytes. */
  truncated: boolean;
}

/** `<audio enc rate>`: one advertised audio format (SIG-01, SIG-03, SIG-04, SIG-16). */
export interface AudioParam {
  /** Codec, `opus` in every known build. */
  enc?: string;
  /** Sample rate in Hz (8000 or 16000 known), when `rate` is a decimal. */
  rateHz?: number;
  /** `rate` exactly as on the wire. */
  rawRate?: string;
}

/** `<video>` inside an offer, preaccept or accept (SIG-02: its presence marks a video call). */
export interface VideoParam {
  enc?: string;
  dec?: string;
  orientation?: string;
  deviceOrientation?: string;
  /** Pixels. */
  screenWidth?: number;
  /** Pixels. */
  screenHeight?: number;
  /** All attributes, as on the wire. */
  attrs: Record<string, string>;
}

/** `<net medium [protocol]>` (SIG-01: medium 3 in offers; SIG-03/05: medium 2 in accept and transport). */
export interface NetParam {
  medium?: number;
  protocol?: number;
  /** `protocol` is present (SIG-05 requires its absence when transport-message-type is 9). */
  hasProtocol: boolean;
}

/** `<capability ver>` with its 7-byte body (SIG-01, SIG-03, SIG-04). */
export interface CapabilityParam {
  ver?: number;
  /** The body as spaced lowercase hex, e.g. `01 05 f7 09 e4 bb 13`. */
  hex?: string;
  /** Body length in bytes. */
  length: number;
  truncated: boolean;
  /** The known blob this body equals, if any. */
  knownAs?: KnownCapability;
}

/** `<enc v type count>`: the call key encrypted to one device (SIG-01). Only the ciphertext size is kept. */
export interface EncParam {
  v?: number;
  /** `pkmsg` (sets up a Signal session) or `msg` (uses one). */
  type?: string;
  count?: number;
  /** Ciphertext length in bytes. */
  length: number;
}

/** `<to jid>` inside `<destination>`: one target device, with its `<enc>` in offers (SIG-01, SIG-14, SIG-15). */
export interface DestinationTarget {
  jid?: string;
  enc: EncParam[];
}

/**
 * A transport endpoint: `<te>` (SIG-03/05/15, content = packed address or token bytes) or the
 * stanza files' `<te ip port …>` / `<endpoint>` candidate shapes.
 */
export interface EndpointParam {
  tag: string;
  priority?: number;
  /** relaylatency: the raw `latency` value (0x02000000 + RTT). */
  latency?: number;
  /** relaylatency: `latency` − 0x02000000, in ms, when `latency` ≥ the offset. */
  rttMs?: number;
  relayName?: string;
  /** Attribute-form address (stanza files' model). */
  ip?: string;
  port?: number;
  proto?: string;
  /** Content length in bytes. */
  length: number;
  /** The content decoded as a packed address (6 or 18 bytes), when it is one. */
  address?: PackedAddress;
}

/** `<destination>`: target devices (`<to jid>`) and, in the stanza files' model, endpoints. */
export interface DestinationParam {
  targets: DestinationTarget[];
  endpoints: EndpointParam[];
  /** Tags of children that are neither `to`, `te` nor `endpoint`. */
  otherTags: string[];
}

// ---------------------------------------------------------------------------------------------
// Actions

/** What every action view has. */
export interface ActionBase {
  /** The action tag, exactly as on the wire. */
  action: string;
  /** Whether the action is one of {@link KNOWN_CALL_ACTIONS}. */
  known: boolean;
  node: NodeLike;
  callId?: string;
  callCreator?: string;
  /** Tags of the action's children, in wire order. */
  childTags: string[];
  /** Children this model does not read, in wire order (kept, never dropped). */
  unknownChildren: NodeLike[];
}

/** `<offer>` (SIG-01, SIG-02, SIG-16). */
export interface OfferAction extends ActionBase {
  kind: "offer";
  /** Video call iff the offer has a `<video>` child (SIG-02). */
  isVideo: boolean;
  privacy?: BlobInfo;
  audio: AudioParam[];
  video?: VideoParam;
  net?: NetParam;
  capability?: CapabilityParam;
  /** Direct `<enc>` children (one-device form). */
  enc: EncParam[];
  /** `<destination><to jid><enc/></to>…` (several-device form). */
  destination?: DestinationParam;
  /** `encopt@keygen` (2 = the v2 SRTP key path). */
  keygen?: number;
  deviceIdentity?: BlobInfo;
  /** Inbound extras (SIG-16). */
  callerPn?: string;
  callerCountryCode?: string;
  deviceClass?: string;
  joinable: boolean;
  groupJid?: string;
  /** A `<relay>` inside the offer, when the server put one there. */
  relay?: RelayBlock;
  /** Group roster of group offers (client code). */
  groupInfo?: GroupInfo;
}

/** `<offer_notice media type>`: group fan-out notice (SIG-02, SIG-07). */
export interface OfferNoticeAction extends ActionBase {
  kind: "offer_notice";
  /** `video` iff `media="video"` (SIG-02). */
  media: "audio" | "video";
  rawMedia?: string;
  /** `type="group"`. */
  isGroup: boolean;
}

/** `<preaccept>`: the callee is ringing (SIG-04). */
export interface PreacceptAction extends ActionBase {
  kind: "preaccept";
  audio: AudioParam[];
  video?: VideoParam;
  keygen?: number;
  capability?: CapabilityParam;
  destination?: DestinationParam;
}

/** `<accept>`: the callee answered (SIG-03). */
export interface AcceptAction extends ActionBase {
  kind: "accept";
  audio: AudioParam[];
  video?: VideoParam;
  /** `<te priority="2">` relay endpoint. */
  te?: EndpointParam;
  net?: NetParam;
  keygen?: number;
  capability?: CapabilityParam;
  rte?: BlobInfo;
  voipSettings?: BlobInfo & { uncompressed: boolean };
  enc: EncParam[];
  destination?: DestinationParam;
}

/** `<reject>`: the callee declined (SIG-08). */
export interface RejectAction extends ActionBase {
  kind: "reject";
  /** Raw `reason`, when present (SIG-08 allows none; the stanza file and client code differ, §8). */
  reason?: string;
  count?: string;
}

/** `<terminate>`: the call ended (SIG-14). */
export interface TerminateAction extends ActionBase {
  kind: "terminate";
  reason?: string;
  /** Seconds, when a decimal u32 (inbound only). */
  durationS?: number;
  /** Seconds, when a decimal u32 (inbound only). */
  audioDurationS?: number;
  destination?: DestinationParam;
}

/** `<transport>`: relay and peer candidates (SIG-05). */
export interface TransportAction extends ActionBase {
  kind: "transport";
  p2pCandRound?: number;
  /** Raw `transport-message-type`. */
  rawMessageType?: string;
  messageType?: number;
  /** Name from {@link TRANSPORT_MESSAGE_TYPES}, when known. */
  messageTypeName?: string;
  /** `<te priority="1">` with the relay token. */
  te?: EndpointParam;
  net?: NetParam;
  /** `ver` (stanza file's model). */
  ver?: number;
  destination?: DestinationParam;
}

/** `<relaylatency>`: relay RTT report (SIG-15). */
export interface RelayLatencyAction extends ActionBase {
  kind: "relaylatency";
  /** Every `<te>` child (SIG-15 expects exactly one). */
  te: EndpointParam[];
  /** RTT of the first `<te>`, ms. */
  rttMs?: number;
  destination?: DestinationParam;
  /** The stanza file's `<relay ip token latency jitter>` samples. */
  samples: { ip?: string; token?: string; latency?: number; jitter?: number }[];
}

/** `<mute_v2 mute-state>` (SIG-13). */
export interface MuteV2Action extends ActionBase {
  kind: "mute_v2";
  muteState?: string;
}

/** `<video state>`: in-call video state change (client code; SIG-02 open question). */
export interface VideoAction extends ActionBase {
  kind: "video";
  state?: number;
  /** Name from {@link VIDEO_STATES}, when known. */
  stateName?: string;
  rawState?: string;
  dec?: string;
  deviceOrientation?: string;
  voipSettings?: string;
}

/** `<enc_rekey transaction-id>`: a group key epoch for one device (client code; SIG-06). */
export interface EncRekeyAction extends ActionBase {
  kind: "enc_rekey";
  transactionId?: number;
  keygen?: number;
  enc: EncParam[];
  deviceIdentity?: BlobInfo;
  destination?: DestinationParam;
}

/** One device of a group participant. */
export interface GroupDevice {
  jid?: string;
  platform?: string;
  pid?: number;
  capability?: CapabilityParam;
}

/** One participant of a group call roster. */
export interface GroupParticipant {
  jid?: string;
  pn?: string;
  state?: string;
  type?: string;
  devices: GroupDevice[];
}

/** `<group_info>`: a group call roster snapshot (client code; SIG-06). */
export interface GroupInfo {
  groupJid?: string;
  media?: string;
  transactionId?: number;
  connectedLimit?: number;
  joinable: boolean;
  rekey: boolean;
  participants: GroupParticipant[];
}

/** `<group_update>`: authoritative group roster (client code; SIG-06). */
export interface GroupUpdateAction extends ActionBase {
  kind: "group_update";
  groupInfo?: GroupInfo;
  avUpgradable?: boolean;
  relay?: RelayBlock;
}

/** `<user_action action>`; `raise_hand` carries `<raise_hand raise-hand-state="0|1">` (client code; SIG-09). */
export interface UserActionAction extends ActionBase {
  kind: "user_action";
  userAction?: string;
  /** raise_hand: true = raised, false = lowered, undefined = absent or another value. */
  handRaised?: boolean;
}

/** `<screen_share screenshare_state version screen_share_id>` (client code; SIG-11). */
export interface ScreenShareAction extends ActionBase {
  kind: "screen_share";
  state?: number;
  version?: number;
  screenShareId?: number;
}

/** `<waiting_room_update>` with a `<waiting_room>` (client code; SIG-06). */
export interface WaitingRoomUpdateAction extends ActionBase {
  kind: "waiting_room_update";
  linkToken?: string;
  media?: string;
  enabled?: boolean;
  isAdmin?: boolean;
  transactionId?: number;
  users: { jid?: string; pn?: string; state?: string }[];
}

/** `<heartbeat>`, sent `to="{call-id}@call"` (SIG-14 mentions it carries a builder id). */
export interface HeartbeatAction extends ActionBase {
  kind: "heartbeat";
  type?: string;
}

/** The stanza file's v1 `<mute media value>` model (`spec/stanzas/call-mute.yaml`, speculative). */
export interface MuteAction extends ActionBase {
  kind: "mute";
  media?: string;
  value?: string;
}

/** An action this model does not know (kept, never fatal). */
export interface UnknownAction extends ActionBase {
  kind: "unknown";
}

/** The typed view of one call action. Discriminate on `kind`. */
export type CallAction =
  | OfferAction
  | OfferNoticeAction
  | PreacceptAction
  | AcceptAction
  | RejectAction
  | TerminateAction
  | TransportAction
  | RelayLatencyAction
  | MuteV2Action
  | VideoAction
  | EncRekeyAction
  | GroupUpdateAction
  | UserActionAction
  | ScreenShareAction
  | WaitingRoomUpdateAction
  | HeartbeatAction
  | MuteAction
  | UnknownAction;

// ---------------------------------------------------------------------------------------------
// Server relay block (REL-01)

/** One `<te2>` of the server's `<relay>`, as on the wire. */
export interface Te2Entry {
  relayId: number;
  relayName: string;
  tokenId: number;
  authTokenId: number;
  /** `is_fna="1"`: fallback, inbound-only relay (REL-01: never probed for latency). */
  isFna: boolean;
  protocol: number;
  /** `c2r_rtt`, client-to-relay RTT in ms. */
  c2rRttMs?: number;
  /** Content length in bytes (6 = IPv4:port, 18 = IPv6:port). */
  length: number;
  address?: PackedAddress;
  /** The 6-byte IPv4 content as spaced hex (REL-01: echoed in relaylatency `<te>`). */
  ipv4Hex?: string;
}

/** Endpoints merged by `relay_id` + `relay_name` (REL-01). */
export interface RelayEndpoint {
  relayId: number;
  relayName: string;
  tokenId: number;
  authTokenId: number;
  isFna: boolean;
  /** Latest `c2r_rtt`, ms. */
  c2rRttMs?: number;
  addresses: PackedAddress[];
  /** Spaced hex of the first 6-byte IPv4 content. */
  ipv4Hex?: string;
}

/** A base64-carried key: sizes only (the key itself is never copied into the model). */
export interface RelayKeyInfo {
  /** Content length as captured, bytes. */
  rawLength: number;
  /** Length after base64 decoding (one layer; two for `hbh_key` when needed), bytes. */
  decodedLength?: number;
  /** How many base64 layers were removed (0 = used verbatim). */
  layers: number;
}

/**
 * The server's `<relay uuid self_pid peer_pid>` in the ack of an offer (REL-01): keys, token
 * tables and relay endpoints. Token and key contents are reduced to sizes.
 */
export interface RelayBlock {
  uuid?: string;
  selfPid?: number;
  peerPid?: number;
  /** `<key>`: 16 bytes after base64 (REL-01). */
  key?: RelayKeyInfo;
  /** `<hbh_key>`: MUST decode to 30 bytes (REL-01, rule 75). */
  hbhKey?: RelayKeyInfo;
  /** `<warp_mi_tag_len>` when a decimal > 0 (REL-01: else ignored). */
  warpMiTagLen?: number;
  /** Token table: byte length per slot (0 = empty slot). */
  tokenLengths: number[];
  /** Auth token table: byte length per slot. */
  authTokenLengths: number[];
  te2: Te2Entry[];
  /** `te2` entries whose content is not 6 or 18 bytes (REL-01: skipped). */
  skippedTe2: number;
  endpoints: RelayEndpoint[];
}

// ---------------------------------------------------------------------------------------------
// Stanzas

/** The `<call>` envelope (SIG-16; research notes §2). */
export interface CallEnvelope {
  /** Stanza id (not the call-id). */
  id?: string;
  from?: string;
  to?: string;
  /** `t` as epoch seconds, when a decimal. */
  t?: number;
  rawT?: string;
  /** `e` (SIG-16: `"1"` = offline delivery; client code reads it as a timestamp, §8). */
  e?: string;
  notify?: string;
  platform?: string;
  version?: string;
  /** `offline` attribute present (client code's offline marker, §8). */
  offline: boolean;
  participant?: string;
  recipient?: string;
}

/** A `<call>` stanza, fully typed. */
export interface CallModel {
  kind: "call";
  envelope: CallEnvelope;
  /** The first child (SIG-07: a `<call>` carries exactly one action). */
  action?: CallAction;
  /** Further children, which SIG-07 does not allow (kept for inspection). */
  extraActions: CallAction[];
}

/** An `<ack>` (SIG-07), with the server's `<relay>` for offers (REL-01). */
export interface AckModel {
  kind: "ack";
  id?: string;
  ackClass?: string;
  /** The acknowledged action, e.g. `offer`. */
  type?: string;
  from?: string;
  to?: string;
  t?: number;
  participant?: string;
  recipient?: string;
  /** `error` attribute or `<error code>`, e.g. `439` (mis-ordered offer). */
  error?: string;
  errorText?: string;
  relay?: RelayBlock;
  /** Group roster returned with a group offer's ack (client code). */
  groupInfo?: GroupInfo;
}

/** A `<receipt>` (SIG-07 offer receipt). */
export interface ReceiptModel {
  kind: "receipt";
  id?: string;
  from?: string;
  to?: string;
  /** Tag of the first child, e.g. `offer`. */
  child?: string;
  callId?: string;
  callCreator?: string;
  /** Attribute names of the child other than call-id and call-creator (SIG-07 forbids any). */
  extraChildAttrs: string[];
  /** Number of nodes under the child (SIG-07: none). */
  grandchildren: number;
}

/** Any other stanza. */
export interface OtherModel {
  kind: "other";
  tag: string;
}

/** The full typed reading of a captured stanza. */
export type StanzaModel = CallModel | AckModel | ReceiptModel | OtherModel;

// ---------------------------------------------------------------------------------------------
// Readers

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(KNOWN_CALL_ACTIONS);

function blob(node: NodeLike | undefined): BlobInfo | undefined {
  if (!node) return undefined;
  return { length: contentLength(node), truncated: isTruncated(node) };
}

function readAudio(node: NodeLike): AudioParam {
  const rate = node.attrs.rate;
  return { enc: node.attrs.enc, rateHz: uintAttr(rate), rawRate: rate };
}

function readVideo(node: NodeLike | undefined): VideoParam | undefined {
  if (!node) return undefined;
  const a = node.attrs;
  return {
    enc: a.enc,
    dec: a.dec,
    orientation: a.orientation,
    deviceOrientation: a.device_orientation,
    screenWidth: uintAttr(a.screen_width),
    screenHeight: uintAttr(a.screen_height),
    attrs: { ...a },
  };
}

function readNet(node: NodeLike | undefined): NetParam | undefined {
  if (!node) return undefined;
  return {
    medium: uintAttr(node.attrs.medium),
    protocol: uintAttr(node.attrs.protocol),
    hasProtocol: node.attrs.protocol !== undefined,
  };
}

/** Reads a `<capability ver>` node: version, body hex and which known blob it is. */
export function readCapability(node: NodeLike | undefined): CapabilityParam | undefined {
  if (!node) return undefined;
  const bytes = nodeBytes(node);
  const hex = bytes ? spacedHex(bytes) : undefined;
  const truncated = isTruncated(node);
  return {
    ver: uintAttr(node.attrs.ver),
    hex,
    length: contentLength(node),
    truncated,
    knownAs: truncated ? undefined : KNOWN_CAPABILITIES.find((k) => k.hex === hex),
  };
}

function readEnc(node: NodeLike): EncParam {
  return {
    v: uintAttr(node.attrs.v),
    type: node.attrs.type,
    count: uintAttr(node.attrs.count),
    length: contentLength(node),
  };
}

/** Reads a `<te>` / `<endpoint>` node (SIG-03/05/15 byte form, or the stanza files' attribute form). */
export function readEndpoint(node: NodeLike): EndpointParam {
  const a = node.attrs;
  const latency = uintAttr(a.latency);
  const out: EndpointParam = {
    tag: node.tag,
    priority: uintAttr(a.priority),
    latency,
    relayName: a.relay_name,
    ip: a.ip,
    port: uintAttr(a.port),
    proto: a.proto,
    length: contentLength(node),
  };
  if (latency !== undefined && latency >= RELAY_LATENCY_BASE) out.rttMs = latency - RELAY_LATENCY_BASE;
  if (!isTruncated(node)) {
    const address = decodePackedAddress(nodeBytes(node));
    if (address) out.address = address;
  }
  return out;
}

function readDestination(node: NodeLike | undefined): DestinationParam | undefined {
  if (!node) return undefined;
  const out: DestinationParam = { targets: [], endpoints: [], otherTags: [] };
  for (const c of nodeChildren(node)) {
    if (c.tag === "to") out.targets.push({ jid: c.attrs.jid, enc: childrenByTag(c, "enc").map(readEnc) });
    else if (c.tag === "te" || c.tag === "endpoint") out.endpoints.push(readEndpoint(c));
    else out.otherTags.push(c.tag);
  }
  return out;
}

function readGroupInfo(node: NodeLike | undefined): GroupInfo | undefined {
  if (!node) return undefined;
  const a = node.attrs;
  return {
    groupJid: a["group-jid"],
    media: a.media,
    transactionId: uintAttr(a["transaction-id"]),
    connectedLimit: uintAttr(a["connected-limit"]),
    joinable: a.joinable === "1",
    rekey: a.rekey === "1",
    participants: childrenByTag(node, "user").map((u) => ({
      jid: u.attrs.jid,
      pn: u.attrs.user_pn,
      state: u.attrs.state,
      type: u.attrs.type,
      devices: childrenByTag(u, "device").map((d) => ({
        jid: d.attrs.jid,
        platform: d.attrs.platform,
        pid: uintAttr(d.attrs.pid),
        capability: readCapability(childByTag(d, "capability")),
      })),
    })),
  };
}

function isBase64Text(s: string): boolean {
  return s.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Removes one base64 layer (standard alphabet, padding optional) when the bytes are base64 text. */
function unBase64(bytes: Uint8Array): Uint8Array | undefined {
  const text = latin1(bytes);
  if (!isBase64Text(text) || text.replace(/=+$/, "").length % 4 === 1) return undefined;
  return base64ToBytes(text);
}

/** HBH key length after decoding (REL-01): 16-byte master key + 14-byte salt. */
export const HBH_KEY_BYTES = 30;

function readKey(node: NodeLike | undefined, wantLength?: number): RelayKeyInfo | undefined {
  if (!node) return undefined;
  const raw = nodeBytes(node);
  if (!raw) return { rawLength: 0, layers: 0 };
  const once = unBase64(raw);
  if (!once) return { rawLength: raw.length, decodedLength: raw.length, layers: 0 };
  if (wantLength !== undefined && once.length !== wantLength) {
    const twice = unBase64(once);
    if (twice && twice.length === wantLength)
      return { rawLength: raw.length, decodedLength: wantLength, layers: 2 };
  }
  return { rawLength: raw.length, decodedLength: once.length, layers: 1 };
}

function tokenTable(nodes: NodeLike[]): number[] {
  const table: number[] = [];
  for (const n of nodes) {
    const id = uintAttr(n.attrs.id) ?? table.length;
    if (id >= 64) continue; // bound the table: a hostile id must not allocate without limit
    while (table.length <= id) table.push(0);
    table[id] = contentLength(n);
  }
  return table;
}

/**
 * Reads the server's `<relay>` block (REL-01). Never throws.
 * @param node a `<relay>` node (from an `<ack type="offer">`, an offer or a group_update).
 */
export function readRelay(node: NodeLike): RelayBlock {
  const a = node.attrs;
  const te2: Te2Entry[] = [];
  const endpoints: RelayEndpoint[] = [];
  const byKey = new Map<string, RelayEndpoint>();
  let skipped = 0;
  for (const c of childrenByTag(node, "te2")) {
    const bytes = isTruncated(c) ? undefined : nodeBytes(c);
    const address = decodePackedAddress(bytes);
    const entry: Te2Entry = {
      relayId: uintAttr(c.attrs.relay_id) ?? 0,
      relayName: c.attrs.relay_name ?? "",
      tokenId: uintAttr(c.attrs.token_id) ?? 0,
      authTokenId: uintAttr(c.attrs.auth_token_id) ?? 0,
      isFna: c.attrs.is_fna === "1",
      protocol: uintAttr(c.attrs.protocol) ?? 0,
      c2rRttMs: uintAttr(c.attrs.c2r_rtt),
      length: contentLength(c),
    };
    if (address) entry.address = address;
    if (bytes && bytes.length === 6) entry.ipv4Hex = spacedHex(bytes);
    te2.push(entry);
    if (!address) {
      skipped++;
      continue;
    }
    const key = `${entry.relayId}|${entry.relayName}`;
    let ep = byKey.get(key);
    if (!ep) {
      ep = {
        relayId: entry.relayId,
        relayName: entry.relayName,
        tokenId: entry.tokenId,
        authTokenId: entry.authTokenId,
        isFna: entry.isFna,
        addresses: [],
      };
      byKey.set(key, ep);
      endpoints.push(ep);
    }
    ep.addresses.push(address);
    if (entry.c2rRttMs !== undefined) ep.c2rRttMs = entry.c2rRttMs;
    if (entry.ipv4Hex && !ep.ipv4Hex) ep.ipv4Hex = entry.ipv4Hex;
  }
  const warp = childByTag(node, "warp_mi_tag_len");
  const warpText = warp ? nodeText(warp)?.trim() : a.warp_mi_tag_len;
  const warpN = uintAttr(warpText);
  return {
    uuid: a.uuid,
    selfPid: uintAttr(a.self_pid),
    peerPid: uintAttr(a.peer_pid),
    key: readKey(childByTag(node, "key")),
    hbhKey: readKey(childByTag(node, "hbh_key"), HBH_KEY_BYTES),
    warpMiTagLen: warpN !== undefined && warpN > 0 ? warpN : undefined,
    tokenLengths: tokenTable(childrenByTag(node, "token")),
    authTokenLengths: tokenTable(childrenByTag(node, "auth_token")),
    te2,
    skippedTe2: skipped,
    endpoints,
  };
}

/** Children each action reads; anything else lands in `unknownChildren`. */
const READ_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  offer: [
    "privacy",
    "audio",
    "video",
    "net",
    "capability",
    "enc",
    "destination",
    "encopt",
    "device-identity",
    "relay",
    "group_info",
  ],
  offer_notice: [],
  preaccept: ["audio", "video", "encopt", "capability", "destination"],
  accept: [
    "audio",
    "video",
    "te",
    "net",
    "encopt",
    "capability",
    "rte",
    "voip_settings",
    "enc",
    "destination",
  ],
  reject: [],
  terminate: ["destination"],
  transport: ["te", "net", "destination"],
  relaylatency: ["te", "destination", "relay"],
  mute_v2: [],
  video: [],
  enc_rekey: ["encopt", "enc", "device-identity", "destination"],
  group_update: ["group_info", "av_upgrade", "relay"],
  user_action: ["raise_hand"],
  screen_share: [],
  waiting_room_update: ["waiting_room"],
  heartbeat: [],
  mute: [],
};

function base(node: NodeLike): ActionBase {
  const children = nodeChildren(node);
  const read = READ_CHILDREN[node.tag] ?? [];
  return {
    action: node.tag,
    known: KNOWN_ACTIONS.has(node.tag),
    node,
    callId: node.attrs["call-id"],
    callCreator: node.attrs["call-creator"],
    childTags: children.map((c) => c.tag),
    unknownChildren: children.filter((c) => !read.includes(c.tag)),
  };
}

const keygenOf = (node: NodeLike) => uintAttr(childByTag(node, "encopt")?.attrs.keygen);

/**
 * Reads one call action (the child of `<call>`). Never throws; an unknown tag yields
 * `kind: "unknown"`.
 * @param node the action node, e.g. `<offer>`.
 */
export function readAction(node: NodeLike): CallAction {
  const b = base(node);
  const a = node.attrs;
  switch (node.tag) {
    case "offer": {
      const relayNode = childByTag(node, "relay");
      return {
        ...b,
        kind: "offer",
        isVideo: childByTag(node, "video") !== undefined,
        privacy: blob(childByTag(node, "privacy")),
        audio: childrenByTag(node, "audio").map(readAudio),
        video: readVideo(childByTag(node, "video")),
        net: readNet(childByTag(node, "net")),
        capability: readCapability(childByTag(node, "capability")),
        enc: childrenByTag(node, "enc").map(readEnc),
        destination: readDestination(childByTag(node, "destination")),
        keygen: keygenOf(node),
        deviceIdentity: blob(childByTag(node, "device-identity")),
        callerPn: a.caller_pn,
        callerCountryCode: a.caller_country_code,
        deviceClass: a.device_class,
        joinable: a.joinable === "1",
        groupJid: a["group-jid"],
        relay: relayNode ? readRelay(relayNode) : undefined,
        groupInfo: readGroupInfo(childByTag(node, "group_info")),
      };
    }
    case "offer_notice":
      return {
        ...b,
        kind: "offer_notice",
        media: a.media === "video" ? "video" : "audio",
        rawMedia: a.media,
        isGroup: a.type === "group",
      };
    case "preaccept":
      return {
        ...b,
        kind: "preaccept",
        audio: childrenByTag(node, "audio").map(readAudio),
        video: readVideo(childByTag(node, "video")),
        keygen: keygenOf(node),
        capability: readCapability(childByTag(node, "capability")),
        destination: readDestination(childByTag(node, "destination")),
      };
    case "accept": {
      const te = childByTag(node, "te");
      const vs = childByTag(node, "voip_settings");
      const vsBlob = blob(vs);
      return {
        ...b,
        kind: "accept",
        audio: childrenByTag(node, "audio").map(readAudio),
        video: readVideo(childByTag(node, "video")),
        te: te ? readEndpoint(te) : undefined,
        net: readNet(childByTag(node, "net")),
        keygen: keygenOf(node),
        capability: readCapability(childByTag(node, "capability")),
        rte: blob(childByTag(node, "rte")),
        voipSettings: vs && vsBlob ? { ...vsBlob, uncompressed: vs.attrs.uncompressed === "1" } : undefined,
        enc: childrenByTag(node, "enc").map(readEnc),
        destination: readDestination(childByTag(node, "destination")),
      };
    }
    case "reject":
      return { ...b, kind: "reject", reason: a.reason, count: a.count };
    case "terminate":
      return {
        ...b,
        kind: "terminate",
        reason: a.reason,
        durationS: u32(a.duration),
        audioDurationS: u32(a.audio_duration),
        destination: readDestination(childByTag(node, "destination")),
      };
    case "transport": {
      const te = childByTag(node, "te");
      const mt = uintAttr(a["transport-message-type"]);
      return {
        ...b,
        kind: "transport",
        p2pCandRound: uintAttr(a["p2p-cand-round"]),
        rawMessageType: a["transport-message-type"],
        messageType: mt,
        messageTypeName: mt === undefined ? undefined : TRANSPORT_MESSAGE_TYPES[mt],
        te: te ? readEndpoint(te) : undefined,
        net: readNet(childByTag(node, "net")),
        ver: uintAttr(a.ver),
        destination: readDestination(childByTag(node, "destination")),
      };
    }
    case "relaylatency": {
      const te = childrenByTag(node, "te").map(readEndpoint);
      return {
        ...b,
        kind: "relaylatency",
        te,
        rttMs: te[0]?.rttMs,
        destination: readDestination(childByTag(node, "destination")),
        samples: childrenByTag(node, "relay").map((r) => ({
          ip: r.attrs.ip,
          token: r.attrs.token,
          latency: uintAttr(r.attrs.latency),
          jitter: uintAttr(r.attrs.jitter),
        })),
      };
    }
    case "mute_v2":
      return { ...b, kind: "mute_v2", muteState: a["mute-state"] };
    case "mute":
      return { ...b, kind: "mute", media: a.media, value: a.value };
    case "video": {
      const state = uintAttr(a.state);
      return {
        ...b,
        kind: "video",
        state,
        stateName: state === undefined ? undefined : VIDEO_STATES[state],
        rawState: a.state,
        dec: a.dec,
        deviceOrientation: a.device_orientation,
        voipSettings: a.voip_settings,
      };
    }
    case "enc_rekey":
      return {
        ...b,
        kind: "enc_rekey",
        transactionId: uintAttr(a["transaction-id"]),
        keygen: keygenOf(node),
        enc: childrenByTag(node, "enc").map(readEnc),
        deviceIdentity: blob(childByTag(node, "device-identity")),
        destination: readDestination(childByTag(node, "destination")),
      };
    case "group_update": {
      const relayNode = childByTag(node, "relay");
      const av = childByTag(node, "av_upgrade");
      return {
        ...b,
        kind: "group_update",
        groupInfo: readGroupInfo(childByTag(node, "group_info")),
        avUpgradable: av ? av.attrs["av-upgradable"] === "1" : undefined,
        relay: relayNode ? readRelay(relayNode) : undefined,
      };
    }
    case "user_action": {
      const hand = childByTag(node, "raise_hand")?.attrs["raise-hand-state"];
      return {
        ...b,
        kind: "user_action",
        userAction: a.action,
        handRaised: hand === "1" ? true : hand === "0" ? false : undefined,
      };
    }
    case "screen_share":
      return {
        ...b,
        kind: "screen_share",
        state: uintAttr(a.screenshare_state),
        version: uintAttr(a.version),
        screenShareId: uintAttr(a.screen_share_id),
      };
    case "waiting_room_update": {
      const room = childByTag(node, "waiting_room");
      const r = room?.attrs ?? {};
      return {
        ...b,
        kind: "waiting_room_update",
        linkToken: r["link-token"],
        media: r.media,
        enabled: room ? r.enabled === "1" : undefined,
        isAdmin: room ? r.is_admin === "1" : undefined,
        transactionId: uintAttr(r["transaction-id"]),
        users: room
          ? childrenByTag(room, "user").map((u) => ({
              jid: u.attrs.jid,
              pn: u.attrs.user_pn,
              state: u.attrs.state,
            }))
          : [],
      };
    }
    case "heartbeat":
      return { ...b, kind: "heartbeat", type: a.type };
    default:
      return { ...b, kind: "unknown" };
  }
}

/** A decimal that fits an unsigned 32-bit value (SIG-14 `duration`, `audio_duration`). */
function u32(v: string | undefined): number | undefined {
  const n = uintAttr(v);
  return n !== undefined && n <= 0xffffffff ? n : undefined;
}

/**
 * Reads a `<call>` stanza: envelope and action(s). Never throws.
 * @param node a `<call>` node (plain or portable).
 */
export function readCall(node: NodeLike): CallModel {
  const a = node.attrs;
  const actions = nodeChildren(node).map(readAction);
  return {
    kind: "call",
    envelope: {
      id: a.id,
      from: a.from,
      to: a.to,
      t: uintAttr(a.t),
      rawT: a.t,
      e: a.e,
      notify: a.notify,
      platform: a.platform,
      version: a.version,
      offline: a.offline !== undefined,
      participant: a.participant,
      recipient: a.recipient,
    },
    action: actions[0],
    extraActions: actions.slice(1),
  };
}

/**
 * Reads an `<ack>`: its attributes, error code and the server's `<relay>` (REL-01). Never throws.
 * @param node an `<ack>` node.
 */
export function readAck(node: NodeLike): AckModel {
  const a = node.attrs;
  const err = childByTag(node, "error");
  const relay = childByTag(node, "relay");
  return {
    kind: "ack",
    id: a.id,
    ackClass: a.class,
    type: a.type,
    from: a.from,
    to: a.to,
    t: uintAttr(a.t),
    participant: a.participant,
    recipient: a.recipient,
    error: a.error ?? err?.attrs.code,
    errorText: err?.attrs.text,
    relay: relay ? readRelay(relay) : undefined,
    groupInfo: readGroupInfo(childByTag(node, "group_info")),
  };
}

/**
 * Reads a `<receipt>` (SIG-07 offer receipt). Never throws.
 * @param node a `<receipt>` node.
 */
export function readReceipt(node: NodeLike): ReceiptModel {
  const child = nodeChildren(node)[0];
  const ca = child?.attrs ?? {};
  return {
    kind: "receipt",
    id: node.attrs.id,
    from: node.attrs.from,
    to: node.attrs.to,
    child: child?.tag,
    callId: ca["call-id"],
    callCreator: ca["call-creator"],
    extraChildAttrs: Object.keys(ca).filter((k) => k !== "call-id" && k !== "call-creator"),
    grandchildren: child ? nodeChildren(child).length : 0,
  };
}

/**
 * The full typed reading of any captured stanza. Never throws.
 * @param node a plain or portable node.
 */
export function readStanza(node: NodeLike): StanzaModel {
  switch (node.tag) {
    case "call":
      return readCall(node);
    case "ack":
      return readAck(node);
    case "receipt":
      return readReceipt(node);
    default:
      return { kind: "other", tag: node.tag };
  }
}
