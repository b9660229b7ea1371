/**
 * Readers of the parameters several call actions share (`<audio>`, `<video>`, `<net>`,
 * `<capability>`, `<enc>`, `<te>`, `<destination>`, `<group_info>`, opaque blobs). Tolerant:
 * a missing or malformed field is absent; never throws.
 * Sources: as in `./types`.
 */
import { spacedHex } from "../../codec/bytetext";
import {
  type AnyNode,
  contentLength,
  getChildByTag,
  getChildren,
  getChildrenByTag,
  isTruncated,
  nodeBytes,
  uintAttr,
} from "../../codec/node";
import { decodePackedAddress } from "../address";
import {
  type AudioParam,
  type BlobInfo,
  type CapabilityParam,
  type DestinationParam,
  type EncParam,
  type EndpointParam,
  type GroupInfo,
  KNOWN_CAPABILITIES,
  type NetParam,
  RELAY_LATENCY_BASE,
  type VideoParam,
} from "./types";

/** Size of an opaque byte payload (`undefined` when the node is absent). */
export function blob(node: AnyNode | undefined): BlobInfo | undefined {
  if (!node) return undefined;
  return { length: contentLength(node), truncated: isTruncated(node) };
}

/** Reads an `<audio enc rate>` node. */
export function readAudio(node: AnyNode): AudioParam {
  const rate = node.attrs.rate;
  return { enc: node.attrs.enc, rateHz: uintAttr(rate), rawRate: rate };
}

/** Reads a `<video>` parameter node (`undefined` when absent). */
export function readVideo(node: AnyNode | undefined): VideoParam | undefined {
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

/** Reads a `<net medium protocol>` node (`undefined` when absent). */
export function readNet(node: AnyNode | undefined): NetParam | undefined {
  if (!node) return undefined;
  return {
    medium: uintAttr(node.attrs.medium),
    protocol: uintAttr(node.attrs.protocol),
    hasProtocol: node.attrs.protocol !== undefined,
  };
}

/** Reads a `<capability ver>` node: version, body hex and which known blob it is. */
export function readCapability(node: AnyNode | undefined): CapabilityParam | undefined {
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

/** Reads an `<enc v type count>` node (ciphertext size only). */
export function readEnc(node: AnyNode): EncParam {
  return {
    v: uintAttr(node.attrs.v),
    type: node.attrs.type,
    count: uintAttr(node.attrs.count),
    length: contentLength(node),
  };
}

/** Reads a `<te>` / `<endpoint>` node (SIG-03/05/15 byte form, or the stanza files' attribute form). */
export function readEndpoint(node: AnyNode): EndpointParam {
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

/** Reads a `<destination>` node: `<to>` targets, endpoints, other tags (`undefined` when absent). */
export function readDestination(node: AnyNode | undefined): DestinationParam | undefined {
  if (!node) return undefined;
  const out: DestinationParam = { targets: [], endpoints: [], otherTags: [] };
  for (const c of getChildren(node)) {
    if (c.tag === "to") out.targets.push({ jid: c.attrs.jid, enc: getChildrenByTag(c, "enc").map(readEnc) });
    else if (c.tag === "te" || c.tag === "endpoint") out.endpoints.push(readEndpoint(c));
    else out.otherTags.push(c.tag);
  }
  return out;
}

/** Reads a `<group_info>` roster (`undefined` when absent). */
export function readGroupInfo(node: AnyNode | undefined): GroupInfo | undefined {
  if (!node) return undefined;
  const a = node.attrs;
  return {
    groupJid: a["group-jid"],
    media: a.media,
    transactionId: uintAttr(a["transaction-id"]),
    connectedLimit: uintAttr(a["connected-limit"]),
    joinable: a.joinable === "1",
    rekey: a.rekey === "1",
    participants: getChildrenByTag(node, "user").map((u) => ({
      jid: u.attrs.jid,
      pn: u.attrs.user_pn,
      state: u.attrs.state,
      type: u.attrs.type,
      devices: getChildrenByTag(u, "device").map((d) => ({
        jid: d.attrs.jid,
        platform: d.attrs.platform,
        pid: uintAttr(d.attrs.pid),
        capability: readCapability(getChildByTag(d, "capability")),
      })),
    })),
  };
}

/** `encopt@keygen` of an action (2 = the v2 SRTP key path). */
export const keygenOf = (node: AnyNode) => uintAttr(getChildByTag(node, "encopt")?.attrs.keygen);
