/**
 * The server's `<relay uuid self_pid peer_pid>` block (REL-01), as it comes in the ack of an
 * offer, in an offer, or in a group_update: keys and token tables reduced to sizes, `<te2>`
 * entries with their packed addresses, and endpoints merged by relay. Never throws.
 * Sources: wacrg REL-01 (`spec/relay/relay-candidates.yaml`); call-signalling.md §4.
 */
import { base64ToBytes, spacedHex } from "../../codec/bytetext";
import {
  type AnyNode,
  contentLength,
  getChildByTag,
  getChildrenByTag,
  isTruncated,
  nodeBytes,
  nodeText,
  uintAttr,
} from "../../codec/node";
import { decodePackedAddress } from "../address";
import type { RelayBlock, RelayEndpoint, RelayKeyInfo, Te2Entry } from "./types";

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
const HBH_KEY_BYTES = 30;

function readKey(node: AnyNode | undefined, wantLength?: number): RelayKeyInfo | undefined {
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

function tokenTable(nodes: AnyNode[]): number[] {
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
export function readRelay(node: AnyNode): RelayBlock {
  const a = node.attrs;
  const te2: Te2Entry[] = [];
  const endpoints: RelayEndpoint[] = [];
  const byKey = new Map<string, RelayEndpoint>();
  let skipped = 0;
  for (const c of getChildrenByTag(node, "te2")) {
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
  const warp = getChildByTag(node, "warp_mi_tag_len");
  const warpText = warp ? nodeText(warp)?.trim() : a.warp_mi_tag_len;
  const warpN = uintAttr(warpText);
  return {
    uuid: a.uuid,
    selfPid: uintAttr(a.self_pid),
    peerPid: uintAttr(a.peer_pid),
    key: readKey(getChildByTag(node, "key")),
    hbhKey: readKey(getChildByTag(node, "hbh_key"), HBH_KEY_BYTES),
    warpMiTagLen: warpN !== undefined && warpN > 0 ? warpN : undefined,
    tokenLengths: tokenTable(getChildrenByTag(node, "token")),
    authTokenLengths: tokenTable(getChildrenByTag(node, "auth_token")),
    te2,
    skippedTe2: skipped,
    endpoints,
  };
}
