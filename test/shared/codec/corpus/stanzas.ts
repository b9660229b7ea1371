/**
 * Realistic call-signalling stanzas for the flows of call-signalling.md §6 (outgoing and
 * incoming 1:1 audio, rejected, missed) with the shapes of §3. Synthetic: identities, ids and
 * blobs are made up; blobs come from a seeded generator so the corpus is reproducible.
 *
 * `generate.ts` encodes these with an independent encoder (whatsapp-rust-bridge) into
 * `call-stanzas.json`; corpus.test.ts checks our codec against that file. `largeOffer` builds
 * bigger offers (many destination devices) for the benchmark.
 */
import type { WANode } from "../../../../src/shared/codec";
import { hexToBytes } from "../../../../src/shared/codec/bytetext";

/** Deterministic bytes (xorshift32), so regenerating gives the same corpus. */
function bytes(seed: number, n: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = hexToBytes;

/** Own account: LID user, this device (12), another own device (5), own phone number. */
const ME_LID = "236395184570386@lid";
const ME = "236395184570386:12@lid";
const ME_OTHER = "236395184570386:5@lid";
const ME_PN = "447700900123@s.whatsapp.net";
/** Peer: LID user and devices 0 (phone), 3, 17. */
const PEER_LID = "118044262518885@lid";
const PEER_D3 = "118044262518885:3@lid";
const PEER_D17 = "118044262518885:17@lid";
/** An incoming caller known by phone number (device 2). */
const CALLER_PN = "5511987654321@s.whatsapp.net";
const CALLER_PN_D2 = "5511987654321:2@s.whatsapp.net";

const CALL_ID = "2E7C5A1F09B3D4E6A8C0B2D4F6081A3C";
const CALL_ID_IN = "8F1D2C3B4A5968778695A4B3C2D1E0F1";
const T = "1747830000";

/** `capability ver=1` blobs: offers (SIG-01 rule 3) and preaccepts (SIG-04 rule 13). */
const CAP_OFFER = hex("0105f709e4bb13");
const CAP_PREACCEPT = hex("0105f709e4bb07");
/** IPv4 relay endpoint 157.240.12.53:3478 and an IPv6 one (6 / 18 bytes, REL-01). */
const TE_V4 = hex("9df00c350d96");
const TE_V6 = hex("2a0302880016000100000000000000350d96");
const VOIP_SETTINGS = ascii(
  '{"options":{"enable_48khz_rtp_clock":"1","use_mlow_codec_v1":"0","audio_redundancy":"2"},"v":"1"}',
);

const offerAttrs = { "call-id": CALL_ID, "call-creator": ME };
const inAttrs = { "call-id": CALL_ID_IN, "call-creator": CALLER_PN_D2 };

function audio(): WANode[] {
  return [
    { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
    { tag: "audio", attrs: { enc: "opus", rate: "8000" } },
  ];
}

function destination(devices: { jid: string; type: "pkmsg" | "msg"; size: number }[], seed: number): WANode {
  return {
    tag: "destination",
    attrs: {},
    content: devices.map((d, i) => ({
      tag: "to",
      attrs: { jid: d.jid },
      content: [
        { tag: "enc", attrs: { v: "2", type: d.type, count: "0" }, content: bytes(seed + i, d.size) },
      ],
    })),
  };
}

/** An outgoing offer (SIG-01 child order) with one `<to>` per destination device. */
function offer(
  id: string,
  devices: { jid: string; type: "pkmsg" | "msg"; size: number }[],
  video = false,
): WANode {
  const children: WANode[] = [...audio()];
  if (video) children.push({ tag: "video", attrs: { enc: "vp8", dec: "H264,AV1", device_orientation: "0" } });
  children.push(
    { tag: "net", attrs: { medium: "3" } },
    { tag: "capability", attrs: { ver: "1" }, content: CAP_OFFER },
    destination(devices, 100),
    { tag: "encopt", attrs: { keygen: "2" } },
  );
  return {
    tag: "call",
    attrs: { to: PEER_LID, id },
    content: [{ tag: "offer", attrs: offerAttrs, content: children }],
  };
}

/** A larger offer (e.g. to a peer and own devices across many devices), for the benchmark. */
export function largeOffer(devices: number, encBytes = 420): WANode {
  const list = Array.from({ length: devices }, (_, i) => ({
    jid:
      i % 4 === 3
        ? `236395184570386:${i + 1}@lid`
        : `1180442625188${String(10 + (i >> 2)).padStart(2, "0")}:${i + 1}@lid`,
    type: (i % 2 === 0 ? "pkmsg" : "msg") as "pkmsg" | "msg",
    size: i % 2 === 0 ? encBytes : encBytes >> 1,
  }));
  return offer(`3EB0${(0x1000 + devices).toString(16).toUpperCase()}9F7D5E6B8C40`, list);
}

/** One corpus entry: the stanza and where it sits in the flows of call-signalling.md §6. */
export interface CorpusStanza {
  /** Unique, kebab-case. */
  name: string;
  /** Flow and step, e.g. `outgoing-1to1-audio 1`. */
  flow: string;
  /** As seen by our client: `out` = sent, `in` = received. */
  direction: "in" | "out";
  node: WANode;
}

/** The corpus stanzas, in flow order. */
export const CORPUS: CorpusStanza[] = [
  {
    name: "offer-out",
    flow: "outgoing-1to1-audio 1 (SIG-17): offer to 3 peer devices + 1 own device",
    direction: "out",
    node: offer("3EB0C1A29F7D5E6B8C40", [
      { jid: PEER_LID, type: "pkmsg", size: 412 },
      { jid: PEER_D3, type: "msg", size: 182 },
      { jid: PEER_D17, type: "pkmsg", size: 405 },
      { jid: ME_OTHER, type: "msg", size: 178 },
    ]),
  },
  {
    name: "ack-offer-relay-in",
    flow: "outgoing-1to1-audio 2: server ack of the offer with <relay> (REL-01)",
    direction: "in",
    node: {
      tag: "ack",
      attrs: { from: PEER_LID, class: "call", type: "offer", id: "3EB0C1A29F7D5E6B8C40", t: T },
      content: [
        {
          tag: "relay",
          attrs: { uuid: "Jq0n6mF2cJtW4Zx1", self_pid: "1", peer_pid: "2" },
          content: [
            { tag: "participant", attrs: { jid: PEER_D3 } },
            { tag: "key", attrs: {}, content: ascii("yV3mB1qXz8bQk2W5n0rLcA==") },
            { tag: "hbh_key", attrs: {}, content: ascii("dGhpcnR5LWJ5dGUtaG9wLWJ5LWhvcC1rZXktZGVtbw==") },
            { tag: "token", attrs: { id: "0" }, content: bytes(7, 96) },
            { tag: "token", attrs: { id: "1" }, content: bytes(8, 96) },
            { tag: "auth_token", attrs: { id: "0" }, content: bytes(9, 64) },
            {
              tag: "te2",
              attrs: {
                relay_id: "0",
                relay_name: "gru1c02",
                token_id: "0",
                auth_token_id: "0",
                protocol: "1",
                c2r_rtt: "18",
              },
              content: TE_V4,
            },
            {
              tag: "te2",
              attrs: {
                relay_id: "0",
                relay_name: "gru1c02",
                token_id: "0",
                auth_token_id: "0",
                protocol: "1",
              },
              content: TE_V6,
            },
            {
              tag: "te2",
              attrs: {
                relay_id: "1",
                relay_name: "gig2c01",
                token_id: "1",
                auth_token_id: "0",
                is_fna: "1",
                c2r_rtt: "41",
              },
              content: hex("b3d2a41f0d96"),
            },
          ],
        },
      ],
    },
  },
  {
    name: "receipt-offer-in",
    flow: "outgoing-1to1-audio 3: offer receipt from a callee device (SIG-07)",
    direction: "in",
    node: {
      tag: "receipt",
      attrs: { from: PEER_D3, id: "3EB0C1A29F7D5E6B8C40", t: T },
      content: [{ tag: "offer", attrs: offerAttrs }],
    },
  },
  {
    name: "preaccept-in",
    flow: "outgoing-1to1-audio 5: preaccept (SIG-04)",
    direction: "in",
    node: {
      tag: "call",
      attrs: {
        from: PEER_D3,
        id: "9A3E71C0B25D",
        t: "1747830001",
        platform: "android",
        version: "2.25.14.78",
      },
      content: [
        {
          tag: "preaccept",
          attrs: offerAttrs,
          content: [
            { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
            { tag: "encopt", attrs: { keygen: "2" } },
            { tag: "capability", attrs: { ver: "1" }, content: CAP_PREACCEPT },
          ],
        },
      ],
    },
  },
  {
    name: "ack-preaccept-out",
    flow: "outgoing-1to1-audio 5: our ack of the inbound preaccept (SIG-07 rule 19)",
    direction: "out",
    node: { tag: "ack", attrs: { id: "9A3E71C0B25D", to: PEER_D3, class: "call", type: "preaccept" } },
  },
  {
    name: "relaylatency-out",
    flow: "outgoing-1to1-audio 6: relaylatency, 45 ms (SIG-15)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: PEER_LID, id: "3EB0C1A29F7D5E6B8C41" },
      content: [
        {
          tag: "relaylatency",
          attrs: offerAttrs,
          content: [
            { tag: "te", attrs: { latency: "33554477", relay_name: "gru1c02" }, content: TE_V4 },
            { tag: "destination", attrs: {}, content: [{ tag: "to", attrs: { jid: PEER_D3 } }] },
          ],
        },
      ],
    },
  },
  {
    name: "accept-in",
    flow: "outgoing-1to1-audio 7: accept (SIG-03 order)",
    direction: "in",
    node: {
      tag: "call",
      attrs: {
        from: PEER_D3,
        id: "9A3E71C0B25E",
        t: "1747830004",
        platform: "android",
        version: "2.25.14.78",
      },
      content: [
        {
          tag: "accept",
          attrs: offerAttrs,
          content: [
            { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
            { tag: "te", attrs: { priority: "2" }, content: hex("c0a8016b9c41") },
            { tag: "net", attrs: { medium: "2" } },
            { tag: "encopt", attrs: { keygen: "2" } },
            { tag: "capability", attrs: { ver: "1" }, content: CAP_PREACCEPT },
            { tag: "rte", attrs: {}, content: bytes(11, 18) },
            { tag: "voip_settings", attrs: { uncompressed: "1" }, content: VOIP_SETTINGS },
          ],
        },
      ],
    },
  },
  {
    name: "transport-out",
    flow: "outgoing-1to1-audio 8: transport, relay candidate (SIG-05)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: PEER_D3, id: "3EB0C1A29F7D5E6B8C42" },
      content: [
        {
          tag: "transport",
          attrs: { ...offerAttrs, "transport-message-type": "1", "p2p-cand-round": "0" },
          content: [
            { tag: "te", attrs: { priority: "1" }, content: TE_V4 },
            { tag: "net", attrs: { medium: "2", protocol: "0" } },
          ],
        },
      ],
    },
  },
  {
    name: "transport-keepalive-in",
    flow: "outgoing-1to1-audio 8: transport keepalive reply, type 9 without protocol (SIG-05 rule 17)",
    direction: "in",
    node: {
      tag: "call",
      attrs: { from: PEER_D3, id: "9A3E71C0B25F", t: "1747830009" },
      content: [
        {
          tag: "transport",
          attrs: { ...offerAttrs, "transport-message-type": "9" },
          content: [{ tag: "net", attrs: { medium: "2" } }],
        },
      ],
    },
  },
  {
    name: "mute-out",
    flow: "in call: mute_v2, no wrapper id (SIG-13)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: PEER_D3 },
      content: [{ tag: "mute_v2", attrs: { ...offerAttrs, "mute-state": "1" } }],
    },
  },
  {
    name: "heartbeat-out",
    flow: "in call: heartbeat to {call-id}@call (§2)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: `${CALL_ID}@call`, id: "3EB0C1A29F7D5E6B8C43" },
      content: [{ tag: "heartbeat", attrs: offerAttrs }],
    },
  },
  {
    name: "terminate-out",
    flow: "outgoing-1to1-audio 10: hang-up, no reason (SIG-14 rule 44)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: PEER_D3, id: "3EB0C1A29F7D5E6B8C44" },
      content: [{ tag: "terminate", attrs: offerAttrs }],
    },
  },
  {
    name: "ack-terminate-in",
    flow: "outgoing-1to1-audio 10: server ack of our terminate",
    direction: "in",
    node: {
      tag: "ack",
      attrs: { from: PEER_D3, class: "call", type: "terminate", id: "3EB0C1A29F7D5E6B8C44", t: "1747830095" },
    },
  },
  {
    name: "terminate-duration-in",
    flow: "outgoing-1to1-audio 10: peer hang-up with duration counters (SIG-14 rule 46)",
    direction: "in",
    node: {
      tag: "call",
      attrs: {
        from: PEER_D3,
        id: "9A3E71C0B260",
        t: "1747830095",
        platform: "android",
        version: "2.25.14.78",
      },
      content: [{ tag: "terminate", attrs: { ...offerAttrs, duration: "91", audio_duration: "90" } }],
    },
  },
  {
    name: "offer-in",
    flow: "incoming-1to1-audio 2 (SIG-16): offer with <enc type=msg>, caller by phone number",
    direction: "in",
    node: {
      tag: "call",
      attrs: {
        from: CALLER_PN_D2,
        id: "A1B2C3D4E5F60718",
        t: T,
        notify: "Ana Souza",
        platform: "iphone",
        version: "2.25.10.72",
      },
      content: [
        {
          tag: "offer",
          attrs: { ...inAttrs, caller_pn: CALLER_PN, device_class: "2016" },
          content: [
            ...audio(),
            { tag: "net", attrs: { medium: "3" } },
            { tag: "capability", attrs: { ver: "1" }, content: CAP_OFFER },
            { tag: "enc", attrs: { v: "2", type: "msg", count: "0" }, content: bytes(21, 186) },
            { tag: "encopt", attrs: { keygen: "2" } },
          ],
        },
      ],
    },
  },
  {
    name: "ack-offer-out",
    flow: "incoming-1to1-audio 3: our ack of the inbound offer (SIG-07 rule 19)",
    direction: "out",
    node: { tag: "ack", attrs: { to: CALLER_PN_D2, id: "A1B2C3D4E5F60718", class: "call", type: "offer" } },
  },
  {
    name: "receipt-offer-out",
    flow: "incoming-1to1-audio: our offer receipt, from = own PN (SIG-07 rules 20-24)",
    direction: "out",
    node: {
      tag: "receipt",
      attrs: { to: CALLER_PN_D2, id: "A1B2C3D4E5F60718", from: ME_PN },
      content: [{ tag: "offer", attrs: inAttrs }],
    },
  },
  {
    name: "reject-out",
    flow: "call-rejected 3: reject with count=0 as the libraries send it (SIG-08, §8)",
    direction: "out",
    node: {
      tag: "call",
      attrs: { to: CALLER_PN_D2, id: "3EB0D2B3A08E6F7C9D51" },
      content: [{ tag: "reject", attrs: { ...inAttrs, count: "0" } }],
    },
  },
  {
    name: "ack-reject-in",
    flow: "call-rejected 4: server ack of our reject",
    direction: "in",
    node: {
      tag: "ack",
      attrs: { from: CALLER_PN, class: "call", type: "reject", id: "3EB0D2B3A08E6F7C9D51", t: "1747830006" },
    },
  },
  {
    name: "terminate-elsewhere-in",
    flow: "call-rejected 6 / incoming 7: sibling dismiss, reason rejected_elsewhere (SIG-14)",
    direction: "in",
    node: {
      tag: "call",
      attrs: { from: CALLER_PN_D2, id: "B7C8D9E0F1A2B3C4", t: "1747830006" },
      content: [{ tag: "terminate", attrs: { ...inAttrs, reason: "rejected_elsewhere" } }],
    },
  },
  {
    name: "terminate-timeout-in",
    flow: "call-missed-timeout 5: terminate reason=timeout with <destination> (SIG-12)",
    direction: "in",
    node: {
      tag: "call",
      attrs: { from: CALLER_PN_D2, id: "B7C8D9E0F1A2B3C5", t: "1747830045", offline: "0" },
      content: [
        {
          tag: "terminate",
          attrs: { ...inAttrs, reason: "timeout" },
          content: [
            {
              tag: "destination",
              attrs: {},
              content: [
                { tag: "to", attrs: { jid: ME_LID } },
                { tag: "to", attrs: { jid: ME_OTHER } },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    name: "offer-video-out",
    flow: "video call (SIG-02): offer with <video>, lowercase stanza id (raw string)",
    direction: "out",
    node: offer("3eb0f00dfeedc0de", [{ jid: PEER_D17, type: "msg", size: 176 }], true),
  },
];
