/**
 * Readers of the call actions (the child of `<call>`): one table entry per action, naming the
 * children it reads and reading its own fields. Tolerant: a missing or malformed field is
 * absent, an unknown action is kept as `kind: "unknown"`, children an entry does not read are
 * kept in `unknownChildren`. Never throws.
 * Sources: as in `./types`.
 */
import { type AnyNode, getChildByTag, getChildren, getChildrenByTag, uintAttr } from "../../codec/node";
import { KNOWN_CALL_ACTIONS } from "../view";
import {
  blob,
  keygenOf,
  readAudio,
  readCapability,
  readDestination,
  readEnc,
  readEndpoint,
  readGroupInfo,
  readNet,
  readVideo,
} from "./params";
import { readRelay } from "./relay";
import { type ActionBase, type CallAction, TRANSPORT_MESSAGE_TYPES, VIDEO_STATES } from "./types";

/** The actions the table reads (every `kind` but `unknown`); each kind is its tag. */
type ReadKind = Exclude<CallAction["kind"], "unknown">;

/** What an entry reads: the action's own fields, without the common ones and `kind`. */
type OwnFields<K extends ReadKind> = Omit<Extract<CallAction, { kind: K }>, keyof ActionBase | "kind">;

/** How one action is read. */
interface ActionReader<K extends ReadKind> {
  /** Child tags the entry reads; any other child lands in `unknownChildren`. */
  children: readonly string[];
  /** Reads the action's own fields from the node and its attributes `a`. */
  read(node: AnyNode, a: Record<string, string>): OwnFields<K>;
}

/** A decimal that fits an unsigned 32-bit value (SIG-14 `duration`, `audio_duration`). */
function u32(v: string | undefined): number | undefined {
  const n = uintAttr(v);
  return n !== undefined && n <= 0xffffffff ? n : undefined;
}

const relayOf = (node: AnyNode) => {
  const relay = getChildByTag(node, "relay");
  return relay ? readRelay(relay) : undefined;
};

const endpointOf = (node: AnyNode) => {
  const te = getChildByTag(node, "te");
  return te ? readEndpoint(te) : undefined;
};

/** Every action the model reads, by tag. */
const ACTION_READERS: { readonly [K in ReadKind]: ActionReader<K> } = {
  offer: {
    children: [
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
    read: (node, a) => ({
      isVideo: getChildByTag(node, "video") !== undefined,
      privacy: blob(getChildByTag(node, "privacy")),
      audio: getChildrenByTag(node, "audio").map(readAudio),
      video: readVideo(getChildByTag(node, "video")),
      net: readNet(getChildByTag(node, "net")),
      capability: readCapability(getChildByTag(node, "capability")),
      enc: getChildrenByTag(node, "enc").map(readEnc),
      destination: readDestination(getChildByTag(node, "destination")),
      keygen: keygenOf(node),
      deviceIdentity: blob(getChildByTag(node, "device-identity")),
      callerPn: a.caller_pn,
      callerCountryCode: a.caller_country_code,
      deviceClass: a.device_class,
      joinable: a.joinable === "1",
      groupJid: a["group-jid"],
      relay: relayOf(node),
      groupInfo: readGroupInfo(getChildByTag(node, "group_info")),
    }),
  },
  offer_notice: {
    children: [],
    read: (_, a) => ({
      media: a.media === "video" ? "video" : "audio",
      rawMedia: a.media,
      isGroup: a.type === "group",
    }),
  },
  preaccept: {
    children: ["audio", "video", "encopt", "capability", "destination"],
    read: (node) => ({
      audio: getChildrenByTag(node, "audio").map(readAudio),
      video: readVideo(getChildByTag(node, "video")),
      keygen: keygenOf(node),
      capability: readCapability(getChildByTag(node, "capability")),
      destination: readDestination(getChildByTag(node, "destination")),
    }),
  },
  accept: {
    children: [
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
    read: (node) => {
      const vs = getChildByTag(node, "voip_settings");
      const vsBlob = blob(vs);
      return {
        audio: getChildrenByTag(node, "audio").map(readAudio),
        video: readVideo(getChildByTag(node, "video")),
        te: endpointOf(node),
        net: readNet(getChildByTag(node, "net")),
        keygen: keygenOf(node),
        capability: readCapability(getChildByTag(node, "capability")),
        rte: blob(getChildByTag(node, "rte")),
        voipSettings: vs && vsBlob ? { ...vsBlob, uncompressed: vs.attrs.uncompressed === "1" } : undefined,
        enc: getChildrenByTag(node, "enc").map(readEnc),
        destination: readDestination(getChildByTag(node, "destination")),
      };
    },
  },
  reject: {
    children: [],
    read: (_, a) => ({ reason: a.reason, count: a.count }),
  },
  terminate: {
    children: ["destination"],
    read: (node, a) => ({
      reason: a.reason,
      durationS: u32(a.duration),
      audioDurationS: u32(a.audio_duration),
      destination: readDestination(getChildByTag(node, "destination")),
    }),
  },
  transport: {
    children: ["te", "net", "destination"],
    read: (node, a) => {
      const mt = uintAttr(a["transport-message-type"]);
      return {
        p2pCandRound: uintAttr(a["p2p-cand-round"]),
        rawMessageType: a["transport-message-type"],
        messageType: mt,
        messageTypeName: mt === undefined ? undefined : TRANSPORT_MESSAGE_TYPES[mt],
        te: endpointOf(node),
        net: readNet(getChildByTag(node, "net")),
        ver: uintAttr(a.ver),
        destination: readDestination(getChildByTag(node, "destination")),
      };
    },
  },
  relaylatency: {
    children: ["te", "destination", "relay"],
    read: (node) => {
      const te = getChildrenByTag(node, "te").map(readEndpoint);
      return {
        te,
        rttMs: te[0]?.rttMs,
        destination: readDestination(getChildByTag(node, "destination")),
        samples: getChildrenByTag(node, "relay").map((r) => ({
          ip: r.attrs.ip,
          token: r.attrs.token,
          latency: uintAttr(r.attrs.latency),
          jitter: uintAttr(r.attrs.jitter),
        })),
      };
    },
  },
  mute_v2: {
    children: [],
    read: (_, a) => ({ muteState: a["mute-state"] }),
  },
  mute: {
    children: [],
    read: (_, a) => ({ media: a.media, value: a.value }),
  },
  video: {
    children: [],
    read: (_, a) => {
      const state = uintAttr(a.state);
      return {
        state,
        stateName: state === undefined ? undefined : VIDEO_STATES[state],
        rawState: a.state,
        dec: a.dec,
        deviceOrientation: a.device_orientation,
        voipSettings: a.voip_settings,
      };
    },
  },
  enc_rekey: {
    children: ["encopt", "enc", "device-identity", "destination"],
    read: (node, a) => ({
      transactionId: uintAttr(a["transaction-id"]),
      keygen: keygenOf(node),
      enc: getChildrenByTag(node, "enc").map(readEnc),
      deviceIdentity: blob(getChildByTag(node, "device-identity")),
      destination: readDestination(getChildByTag(node, "destination")),
    }),
  },
  group_update: {
    children: ["group_info", "av_upgrade", "relay"],
    read: (node) => {
      const av = getChildByTag(node, "av_upgrade");
      return {
        groupInfo: readGroupInfo(getChildByTag(node, "group_info")),
        avUpgradable: av ? av.attrs["av-upgradable"] === "1" : undefined,
        relay: relayOf(node),
      };
    },
  },
  user_action: {
    children: ["raise_hand"],
    read: (node, a) => {
      const hand = getChildByTag(node, "raise_hand")?.attrs["raise-hand-state"];
      return {
        userAction: a.action,
        handRaised: hand === "1" ? true : hand === "0" ? false : undefined,
      };
    },
  },
  screen_share: {
    children: [],
    read: (_, a) => ({
      state: uintAttr(a.screenshare_state),
      version: uintAttr(a.version),
      screenShareId: uintAttr(a.screen_share_id),
    }),
  },
  waiting_room_update: {
    children: ["waiting_room"],
    read: (node) => {
      const room = getChildByTag(node, "waiting_room");
      const r = room?.attrs ?? {};
      return {
        linkToken: r["link-token"],
        media: r.media,
        enabled: room ? r.enabled === "1" : undefined,
        isAdmin: room ? r.is_admin === "1" : undefined,
        transactionId: uintAttr(r["transaction-id"]),
        users: room
          ? getChildrenByTag(room, "user").map((u) => ({
              jid: u.attrs.jid,
              pn: u.attrs.user_pn,
              state: u.attrs.state,
            }))
          : [],
      };
    },
  },
  heartbeat: {
    children: [],
    read: (_, a) => ({ type: a.type }),
  },
};

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(KNOWN_CALL_ACTIONS);

/**
 * Reads one call action (the child of `<call>`). Never throws; a tag the table does not know
 * yields `kind: "unknown"` with every child in `unknownChildren`.
 * @param node the action node, e.g. `<offer>`.
 */
export function readAction(node: AnyNode): CallAction {
  const reader = Object.hasOwn(ACTION_READERS, node.tag) ? ACTION_READERS[node.tag as ReadKind] : undefined;
  const read = reader?.children ?? [];
  const children = getChildren(node);
  const base: ActionBase = {
    action: node.tag,
    known: KNOWN_ACTIONS.has(node.tag),
    node,
    callId: node.attrs["call-id"],
    callCreator: node.attrs["call-creator"],
    childTags: children.map((c) => c.tag),
    unknownChildren: children.filter((c) => !read.includes(c.tag)),
  };
  if (!reader) return { ...base, kind: "unknown" };
  return { ...base, kind: node.tag, ...reader.read(node, node.attrs) } as CallAction;
}
