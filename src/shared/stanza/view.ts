/**
 * The cheap view of a stanza: the few fields of a `<call>`, `<ack>` or `<receipt>` that call
 * grouping, timelines and labels need, read for every captured stanza. The full typed reading
 * is the call model (`./model`).
 * Sources: ../shared/research/call-signalling.md §2-§5; wacrg SIG-01..SIG-18.
 */
import { type AnyNode, getChildByTag, getChildren, uintAttr } from "../codec/node";
import { RELAY_LATENCY_BASE } from "./model/types";

/** Call actions the parse allow-lists of SIG-07/15/16 know, plus the specified `mute_v2`. */
export const KNOWN_CALL_ACTIONS = [
  "offer",
  "offer_notice",
  "preaccept",
  "accept",
  "reject",
  "terminate",
  "transport",
  "relaylatency",
  "mute_v2",
  "video",
  "enc_rekey",
  "group_update",
  "user_action",
  "screen_share",
  "waiting_room_update",
  "heartbeat",
] as const;

const KNOWN_ACTION_SET: ReadonlySet<string> = new Set(KNOWN_CALL_ACTIONS);

/** Media of a call, from the offer's children (SIG-02: video iff a `<video>` child). */
export type CallMedia = "audio" | "video";

/**
 * A `<call>` stanza: the envelope (SIG-16) and its single action child.
 * An unknown action child is kept (`known: false`), never dropped.
 */
export interface CallStanzaView {
  kind: "call";
  /** Stanza id of the `<call>` wrapper (not the call-id). */
  id?: string;
  from?: string;
  to?: string;
  /** Server timestamp attribute `t` (seconds, as a string). */
  t?: string;
  /** Tag of the action child, e.g. `offer`; `"(none)"` when the wrapper has no child. */
  action: string;
  /** Whether `action` is one of {@link KNOWN_CALL_ACTIONS}. */
  known: boolean;
  /** The action child node. */
  actionNode?: AnyNode;
  callId?: string;
  callCreator?: string;
  /** `reason` of a terminate or reject, exactly as on the wire (may be `""`). */
  reason?: string;
  /** For offers and offer_notice: audio or video (SIG-02). */
  media?: CallMedia;
  /** terminate `duration` / `audio_duration`, seconds (SIG-14, inbound only). */
  durationS?: number;
  audioDurationS?: number;
  /** relaylatency: `te@latency` − 0x02000000, in ms (SIG-15 rule 50). */
  relayRttMs?: number;
  /** mute_v2 `mute-state` (SIG-13). */
  muteState?: string;
  /**
   * In-call `video` action: the `state` code (0..20; names in `VIDEO_STATES` of `./model`).
   * Source: research notes §4 (client code).
   */
  videoState?: number;
}

/** An `<ack>` stanza (SIG-07), paired to what it answers by stanza `id`. */
export interface AckView {
  kind: "ack";
  id?: string;
  ackClass?: string;
  /** `type`: for call acks the action being acknowledged, e.g. `offer`. */
  type?: string;
  from?: string;
  to?: string;
  /** `error` attribute, when the server refused the stanza (e.g. 439). */
  error?: string;
}

/** A `<receipt>`; for calls, the offer receipt whose id equals the offer's `<call>` id (SIG-07). */
export interface ReceiptView {
  kind: "receipt";
  id?: string;
  from?: string;
  to?: string;
  /** Tag of the first child, e.g. `offer`. */
  child?: string;
  callId?: string;
  callCreator?: string;
}

/** Anything else (never expected in a capture: only counted by the tap). */
export interface OtherView {
  kind: "other";
  tag: string;
}

/** The typed view of a captured stanza. */
export type StanzaView = CallStanzaView | AckView | ReceiptView | OtherView;

/** Any unsigned decimal (no digit limit, unlike the call model's 15). */
const num = (v: string | undefined) => uintAttr(v, Number.POSITIVE_INFINITY);

function viewCall(node: AnyNode): CallStanzaView {
  const child = getChildren(node)[0];
  const a = child?.attrs ?? {};
  const action = child?.tag ?? "(none)";
  const view: CallStanzaView = {
    kind: "call",
    id: node.attrs.id,
    from: node.attrs.from,
    to: node.attrs.to,
    t: node.attrs.t,
    action,
    known: KNOWN_ACTION_SET.has(action),
    actionNode: child,
    callId: a["call-id"],
    callCreator: a["call-creator"],
  };
  if (child === undefined) return view;
  if (action === "terminate" || action === "reject") view.reason = a.reason;
  if (action === "offer") view.media = getChildByTag(child, "video") ? "video" : "audio";
  if (action === "offer_notice") view.media = a.media === "video" ? "video" : "audio";
  if (action === "terminate") {
    view.durationS = num(a.duration);
    view.audioDurationS = num(a.audio_duration);
  }
  if (action === "relaylatency") {
    const te = getChildByTag(child, "te");
    const latency = num(te?.attrs.latency);
    if (latency !== undefined) view.relayRttMs = latency - RELAY_LATENCY_BASE;
  }
  if (action === "mute_v2") view.muteState = a["mute-state"];
  if (action === "video") view.videoState = num(a.state);
  return view;
}

/**
 * Builds the typed view of one stanza. Never throws: an unexpected shape yields a
 * view with the fields it could read.
 * @param node a plain or portable node.
 */
export function viewStanza(node: AnyNode): StanzaView {
  switch (node.tag) {
    case "call":
      return viewCall(node);
    case "ack":
      return {
        kind: "ack",
        id: node.attrs.id,
        ackClass: node.attrs.class,
        type: node.attrs.type,
        from: node.attrs.from,
        to: node.attrs.to,
        error: node.attrs.error ?? getChildByTag(node, "error")?.attrs.code,
      };
    case "receipt": {
      const child = getChildren(node)[0];
      return {
        kind: "receipt",
        id: node.attrs.id,
        from: node.attrs.from,
        to: node.attrs.to,
        child: child?.tag,
        callId: child?.attrs["call-id"],
        callCreator: child?.attrs["call-creator"],
      };
    }
    default:
      return { kind: "other", tag: node.tag };
  }
}

/** A short label for a stanza in timelines, e.g. `offer`, `ack(offer)`, `receipt(offer)`. */
export function stanzaLabel(view: StanzaView): string {
  switch (view.kind) {
    case "call":
      return view.action;
    case "ack":
      return `ack${view.type ? `(${view.type})` : ""}`;
    case "receipt":
      return `receipt${view.child ? `(${view.child})` : ""}`;
    default:
      return view.tag;
  }
}
