/**
 * Test fixtures: realistic call-signalling nodes built as plain objects, and conforming
 * sessions (outgoing answered call, incoming answered call, incoming rejected call).
 * JIDs and ids are synthetic.
 */
import { bytesToBase64, hexToBytes } from "../../../src/shared/codec/bytetext";
import { getChildren } from "../../../src/shared/codec/node";
import type { CapturedStanza, Direction, PortableBytes, PortableNode } from "../../../src/shared/trace/types";

export const ME = "15550001111:12@s.whatsapp.net";
export const ME_BARE = "15550001111@s.whatsapp.net";
export const PEER = "15550002222@s.whatsapp.net";
export const PEER_DEV = "15550002222:3@s.whatsapp.net";
export const PEER_DEV2 = "15550002222:5@s.whatsapp.net";
export const CAP_OFFER = "01 05 f7 09 e4 bb 13";
export const CAP_PREACCEPT = "01 05 f7 09 e4 bb 07";
/** Relay te2 address 157.240.1.2:3480, and an FNA one 31.13.64.9:3478. */
export const RELAY_ADDR = "9d f0 01 02 0d 98";
export const FNA_ADDR = "1f 0d 40 09 0d 96";

/** Portable bytes from spaced or plain hex. */
export function hex(h: string): PortableBytes {
  return { b64: bytesToBase64(hexToBytes(h.replace(/\s+/g, ""))) };
}

/** `n` bytes of filler (ciphertexts, tokens). */
export function filler(n: number, seed = 7): PortableBytes {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return { b64: bytesToBase64(out) };
}

/** Base64 text (as bytes) of `n` filler bytes: how `<key>` and `<hbh_key>` arrive. */
export function b64Text(n: number): PortableBytes {
  const inner = filler(n).b64;
  return { b64: bytesToBase64(new TextEncoder().encode(inner)) };
}

/** A node. */
export function n(
  tag: string,
  attrs: Record<string, string> = {},
  content?: PortableNode["content"],
): PortableNode {
  return content === undefined ? { tag, attrs } : { tag, attrs, content };
}

/** A deep copy, for mutating a fixture. */
export function clone<T>(x: T): T {
  return structuredClone(x);
}

/** The action child of a `<call>`. */
export function actionOf(call: PortableNode): PortableNode {
  return (call.content as PortableNode[])[0];
}

/** The children of a node: the node's own list, so that a test can mutate it. */
export function kids(node: PortableNode): PortableNode[] {
  return getChildren(node);
}

const ids = (callId: string, creator: string) => ({ "call-id": callId, "call-creator": creator });

// ---------------------------------------------------------------------------------------------
// Stanzas

export function offerOut(callId = "CID-OUT-1", id = "O1"): PortableNode {
  return n("call", { to: PEER, id }, [
    n("offer", ids(callId, ME_BARE), [
      n("audio", { enc: "opus", rate: "8000" }),
      n("audio", { enc: "opus", rate: "16000" }),
      n("net", { medium: "3" }),
      n("capability", { ver: "1" }, hex(CAP_OFFER)),
      n("destination", {}, [
        n("to", { jid: "15550002222@s.whatsapp.net" }, [
          n("enc", { v: "2", type: "pkmsg", count: "0" }, filler(180)),
        ]),
        n("to", { jid: PEER_DEV }, [n("enc", { v: "2", type: "msg", count: "0" }, filler(120))]),
      ]),
      n("encopt", { keygen: "2" }),
      n("device-identity", {}, filler(140)),
    ]),
  ]);
}

export function relay(): PortableNode {
  return n("relay", { uuid: "r-uuid-1", self_pid: "1", peer_pid: "2" }, [
    n("key", {}, b64Text(16)),
    n("hbh_key", {}, b64Text(30)),
    n("warp_mi_tag_len", {}, "4"),
    n("token", { id: "0" }, filler(48)),
    n("auth_token", { id: "0" }, filler(0)),
    n("auth_token", { id: "1" }, filler(32)),
    n(
      "te2",
      {
        relay_id: "1",
        relay_name: "gru1c02",
        token_id: "0",
        auth_token_id: "1",
        protocol: "0",
        c2r_rtt: "21",
      },
      hex(RELAY_ADDR),
    ),
    n(
      "te2",
      { relay_id: "1", relay_name: "gru1c02", token_id: "0", auth_token_id: "1" },
      hex("2a 03 28 80 f0 2d 00 00 00 00 00 00 00 00 00 01 0d 98"),
    ),
    n(
      "te2",
      { relay_id: "2", relay_name: "gru2c01", token_id: "0", auth_token_id: "0", is_fna: "1" },
      hex(FNA_ADDR),
    ),
  ]);
}

export function offerAck(id = "O1"): PortableNode {
  return n("ack", { id, class: "call", type: "offer", from: PEER }, [relay()]);
}

export function receiptIn(callId = "CID-OUT-1", id = "O1"): PortableNode {
  return n("receipt", { from: PEER_DEV, id }, [n("offer", ids(callId, ME_BARE))]);
}

export function preacceptIn(callId = "CID-OUT-1", id = "P1"): PortableNode {
  return n("call", { from: PEER_DEV, to: ME, id, t: "1700000001", platform: "android", version: "2.25.1" }, [
    n("preaccept", ids(callId, ME_BARE), [
      n("audio", { enc: "opus", rate: "16000" }),
      n("encopt", { keygen: "2" }),
      n("capability", { ver: "1" }, hex(CAP_PREACCEPT)),
    ]),
  ]);
}

export function ackOut(id: string, to: string, type: string): PortableNode {
  return n("ack", { id, to, class: "call", type });
}

export function acceptIn(callId = "CID-OUT-1", id = "A1"): PortableNode {
  return n("call", { from: PEER_DEV, to: ME, id, t: "1700000005" }, [
    n("accept", ids(callId, ME_BARE), [
      n("audio", { enc: "opus", rate: "16000" }),
      n("te", { priority: "2" }, hex(RELAY_ADDR)),
      n("net", { medium: "2" }),
      n("encopt", { keygen: "2" }),
      n("capability", { ver: "1" }, hex(CAP_OFFER)),
      n("rte", {}, filler(12)),
      n("voip_settings", { uncompressed: "1" }, filler(64)),
    ]),
  ]);
}

export function transportOut(callId = "CID-OUT-1", to = PEER_DEV): PortableNode {
  return n("call", { to }, [
    n("transport", { ...ids(callId, ME_BARE), "p2p-cand-round": "0", "transport-message-type": "1" }, [
      n("te", { priority: "1" }, filler(40)),
      n("net", { medium: "2", protocol: "0" }),
    ]),
  ]);
}

export function relayLatencyOut(callId = "CID-OUT-1", to = PEER_DEV, addr = RELAY_ADDR): PortableNode {
  return n("call", { to }, [
    n("relaylatency", ids(callId, ME_BARE), [
      n("te", { latency: "33554477", relay_name: "gru1c02" }, hex(addr)),
    ]),
  ]);
}

export function muteOut(callId = "CID-OUT-1", to = PEER_DEV): PortableNode {
  return n("call", { to }, [n("mute_v2", { ...ids(callId, ME_BARE), "mute-state": "1" })]);
}

export function terminateOut(callId = "CID-OUT-1", to = PEER_DEV, creator = ME_BARE): PortableNode {
  return n("call", { to }, [n("terminate", ids(callId, creator))]);
}

export function offerIn(callId = "CID-IN-1", id = "I1"): PortableNode {
  return n(
    "call",
    { from: PEER, to: ME, id, t: "1700000100", notify: "Peer", platform: "iphone", version: "2.25" },
    [
      n("offer", ids(callId, PEER), [
        n("audio", { enc: "opus", rate: "8000" }),
        n("audio", { enc: "opus", rate: "16000" }),
        n("net", { medium: "3" }),
        n("capability", { ver: "1" }, hex(CAP_OFFER)),
        n("enc", { v: "2", type: "msg", count: "0" }, filler(120)),
        n("encopt", { keygen: "2" }),
      ]),
    ],
  );
}

export function receiptOut(callId = "CID-IN-1", id = "I1", from = ME): PortableNode {
  return n("receipt", { to: PEER, id, from }, [n("offer", ids(callId, PEER))]);
}

export function preacceptOut(callId = "CID-IN-1", id = "P2"): PortableNode {
  return n("call", { to: PEER, id }, [
    n("preaccept", ids(callId, PEER), [
      n("audio", { enc: "opus", rate: "16000" }),
      n("encopt", { keygen: "2" }),
      n("capability", { ver: "1" }, hex(CAP_PREACCEPT)),
    ]),
  ]);
}

export function acceptOut(callId = "CID-IN-1", id = "A2"): PortableNode {
  return n("call", { to: PEER, id }, [
    n("accept", ids(callId, PEER), [
      n("audio", { enc: "opus", rate: "16000" }),
      n("net", { medium: "2" }),
      n("encopt", { keygen: "2" }),
    ]),
  ]);
}

export function terminateIn(
  callId = "CID-IN-1",
  id = "T2",
  extra: Record<string, string> = {},
): PortableNode {
  return n("call", { from: PEER, to: ME, id, t: "1700000200" }, [
    n("terminate", { ...ids(callId, PEER), duration: "42", audio_duration: "40", ...extra }),
  ]);
}

export function rejectOut(callId = "CID-IN-2"): PortableNode {
  return n("call", { to: PEER }, [n("reject", ids(callId, PEER))]);
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** One stanza of a session under construction. */
export type Step = [Direction, PortableNode];

/** Numbered captured stanzas, 10 ms apart. */
export function session(steps: Step[]): CapturedStanza[] {
  return steps.map(([direction, node], seq) => ({
    seq,
    direction,
    t: 1000 + seq * 10,
    tap: "comms-config",
    node,
  }));
}

/** An outgoing call: offer, server ack with relay, receipt, preaccept, accept, transport, relaylatency, mute, terminate. */
export function outgoingSteps(): Step[] {
  return [
    ["out", offerOut()],
    ["in", offerAck()],
    ["in", receiptIn()],
    ["in", preacceptIn()],
    ["out", ackOut("P1", PEER_DEV, "preaccept")],
    ["in", acceptIn()],
    ["out", ackOut("A1", PEER_DEV, "accept")],
    ["out", transportOut()],
    ["out", relayLatencyOut()],
    ["out", muteOut()],
    ["out", terminateOut()],
  ];
}

/** An incoming call: offer, ack, receipt, preaccept, accept, inbound terminate and its ack. */
export function incomingSteps(): Step[] {
  return [
    ["in", offerIn()],
    ["out", ackOut("I1", PEER, "offer")],
    ["out", receiptOut()],
    ["out", preacceptOut()],
    ["out", acceptOut()],
    ["in", terminateIn()],
    ["out", ackOut("T2", PEER, "terminate")],
  ];
}

/** An incoming call this device rejects: offer, ack, receipt, reject. */
export function rejectedSteps(): Step[] {
  return [
    ["in", offerIn("CID-IN-2", "I3")],
    ["out", ackOut("I3", PEER, "offer")],
    ["out", receiptOut("CID-IN-2", "I3")],
    ["out", rejectOut()],
  ];
}

/**
 * A tiny XML reader for the corpus examples: elements, attributes (double quotes),
 * self-closing tags; comments and text are dropped.
 */
export function parseXml(xml: string): PortableNode {
  const src = xml.replace(/<!--[\s\S]*?-->/g, "");
  const stack: PortableNode[] = [];
  let root: PortableNode | undefined;
  const re = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const [, close, tag, attrText, selfClose] = m;
    if (close) {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    const node: PortableNode = { tag, attrs };
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.content ??= [];
      (parent.content as PortableNode[]).push(node);
    } else root = node;
    if (!selfClose) stack.push(node);
  }
  if (!root) throw new Error("no element");
  return root;
}
