/**
 * The typed call model, its types: every call action, the server's `<relay>` block and the
 * stanzas that carry them, with the constants their fields are named from. The readers are in
 * `./params`, `./relay`, `./actions` and `./index`.
 *
 * Sources: ../shared/research/call-signalling.md §2-§4; wacrg SIG-01..SIG-18 and REL-01
 * (`spec/signalling/*.yaml`, `spec/relay/relay-candidates.yaml`); stanza files
 * `spec/stanzas/call-*.yaml`; actions found only in client code (video, enc_rekey,
 * group_update, user_action, screen_share, waiting_room_update) from the research notes §2.
 */
import type { AnyNode } from "../../codec/node";
import type { PackedAddress } from "../address";
import type { ReceiptView } from "../view";

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
  /** Whether the action is one of `KNOWN_CALL_ACTIONS` (`../view`). */
  known: boolean;
  node: AnyNode;
  callId?: string;
  callCreator?: string;
  /** Tags of the action's children, in wire order. */
  childTags: string[];
  /** Children this model does not read, in wire order (kept, never dropped). */
  unknownChildren: AnyNode[];
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
export interface ReceiptModel extends ReceiptView {
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
