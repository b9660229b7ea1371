/**
 * Realistic 1:1 audio call traces for the trace-file, sanitizer, exporter, evidence and CLI
 * tests (shapes follow sim/page/shared.js and wacrg SIG-01..SIG-18). Identifiers are fake but
 * look real: phone-number and LID users, WA-style stanza ids, 32-hex call-ids, relay IPs.
 */
import { bytesToBase64 } from "../../../src/shared/codec/bytetext";
import type { CapturedStanza, Direction, PortableNode } from "../../../src/shared/trace/types";
import { createTrace, type TraceFile } from "../../../src/shared/tracefile/types";

export const ME_PN = "15550001111";
export const ME = `${ME_PN}:12@s.whatsapp.net`;
export const PEER_PN = "15550002222";
export const PEER = `${PEER_PN}@s.whatsapp.net`;
export const PEER_DEVICE = `${PEER_PN}:3@s.whatsapp.net`;
export const PEER_LID = "987654321012345@lid";
export const RELAY_V4 = [157, 240, 222, 62];
export const RELAY_V6 = [0x2a, 0x03, 0x28, 0x80, 0xf2, 0x4f, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0x12, 0x34];
export const CALL_OUT = "A1B2C3D4E5F60718293A4B5C6D7E8F90";
export const CALL_IN = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";
export const CALL_REJ = "DEADBEEFCAFEBABE0123456789ABCDEF";

/** Deterministic pseudo-random bytes (xorshift), so fixtures are stable. */
export function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const b = (u: Uint8Array): { b64: string } => ({ b64: bytesToBase64(u) });

export function el(
  tag: string,
  attrs: Record<string, string> = {},
  content?: PortableNode["content"],
): PortableNode {
  const n: PortableNode = { tag, attrs };
  if (content !== undefined) n.content = content;
  return n;
}

const packed = (ip: number[], port: number): Uint8Array => Uint8Array.from([...ip, port >> 8, port & 0xff]);

export function relay(): PortableNode {
  return el("relay", { uuid: "f3a9c2e1b4d5", self_pid: "1", peer_pid: "2" }, [
    el("participant", { jid: PEER_DEVICE, pid: "2" }),
    el("key", {}, b(new TextEncoder().encode(bytesToBase64(bytes(16, 7))))),
    el("hbh_key", {}, b(new TextEncoder().encode(bytesToBase64(bytes(30, 8))))),
    el("token", { id: "0" }, b(bytes(40, 9))),
    el("auth_token", { id: "0" }, b(bytes(24, 10))),
    el(
      "te2",
      {
        relay_id: "0",
        relay_name: "gru1c01",
        token_id: "0",
        auth_token_id: "0",
        protocol: "1",
        c2r_rtt: "45",
      },
      b(packed(RELAY_V4, 3478)),
    ),
    el(
      "te2",
      {
        relay_id: "0",
        relay_name: "gru1c01",
        token_id: "0",
        auth_token_id: "0",
        protocol: "1",
        c2r_rtt: "47",
      },
      b(packed(RELAY_V6, 3478)),
    ),
  ]);
}

const CAP_OFFER = Uint8Array.of(0x01, 0x05, 0xf7, 0x09, 0xe4, 0xbb, 0x13);
const CAP_PRE = Uint8Array.of(0x01, 0x05, 0xf7, 0x09, 0xe4, 0xbb, 0x07);

/** A session builder: stanzas with increasing seq. */
export class Session {
  readonly stanzas: CapturedStanza[] = [];
  add(direction: Direction, t: number, node: PortableNode): this {
    this.stanzas.push({ seq: this.stanzas.length, direction, t, tap: "comms-config", node });
    return this;
  }
  trace(): TraceFile {
    return createTrace(
      this.stanzas,
      {
        kind: "live",
        tool: "wa-call-inspector@0.1.0",
        build: "2.3000.1023456789",
        timestampPrecision: "ms",
        directionInferred: false,
      },
      {
        createdAt: new Date("2026-05-21T12:00:00Z"),
        health: {
          build: "2.3000.1023456789",
          commsMode: "main-thread",
          taps: [{ name: "comms-config", installed: true, live: true }],
          seenByTag: { call: 10, ack: 8, message: 40 },
          forwarded: 18,
          filtered: 40,
          errors: 0,
        },
      },
    );
  }
}

const T0 = 1_779_364_800_000;
const callNode = (attrs: Record<string, string>, action: PortableNode): PortableNode =>
  el("call", attrs, [action]);
const act = (
  tag: string,
  callId: string,
  creator: string,
  extra: Record<string, string> = {},
  content?: PortableNode[],
) => el(tag, { "call-id": callId, "call-creator": creator, ...extra }, content);

/** Outgoing call, unanswered: offer, server ack with relay, receipt, preaccept, own terminate after 45 s. */
export function outgoingMissed(s: Session, t0 = T0): Session {
  const offer = act("offer", CALL_OUT, ME, {}, [
    el("audio", { enc: "opus", rate: "8000" }),
    el("audio", { enc: "opus", rate: "16000" }),
    el("net", { medium: "3" }),
    el("capability", { ver: "1" }, b(CAP_OFFER)),
    el("destination", {}, [
      el("to", { jid: PEER_DEVICE }, [el("enc", { v: "2", type: "msg", count: "0" }, b(bytes(72, 11)))]),
    ]),
    el("encopt", { keygen: "2" }),
    el("device-identity", {}, b(bytes(150, 12))),
  ]);
  s.add("out", t0, callNode({ to: PEER, id: "3EB0A1B2C3D4E5F6A7B8C9" }, offer));
  s.add(
    "in",
    t0 + 151.25,
    el("ack", { class: "call", id: "3EB0A1B2C3D4E5F6A7B8C9", from: PEER, type: "offer" }, [relay()]),
  );
  s.add(
    "in",
    t0 + 420,
    el("receipt", { from: PEER_DEVICE, id: "3EB0A1B2C3D4E5F6A7B8C9" }, [act("offer", CALL_OUT, ME)]),
  );
  s.add(
    "in",
    t0 + 900,
    callNode(
      {
        from: PEER_DEVICE,
        id: "3A5F0E1D2C3B4A596877",
        t: "1779364801",
        platform: "android",
        version: "2.26.1.5",
      },
      act("preaccept", CALL_OUT, ME, {}, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("encopt", { keygen: "2" }),
        el("capability", { ver: "1" }, b(CAP_PRE)),
      ]),
    ),
  );
  s.add(
    "out",
    t0 + 904,
    el("ack", { class: "call", id: "3A5F0E1D2C3B4A596877", to: PEER_DEVICE, type: "preaccept" }),
  );
  s.add(
    "out",
    t0 + 45_000,
    callNode(
      { to: PEER, id: "3EB0FFEEDDCCBBAA998877" },
      act("terminate", CALL_OUT, ME, { reason: "timeout" }),
    ),
  );
  s.add(
    "in",
    t0 + 45_120,
    el("ack", { class: "call", id: "3EB0FFEEDDCCBBAA998877", from: PEER, type: "terminate" }),
  );
  return s;
}

/** Incoming answered call from a LID caller: offer, ack, receipt, preaccept, accept, relaylatency, transport, mute, peer terminate. */
export function incomingAnswered(s: Session, t0 = T0 + 120_000): Session {
  const offer = act(
    "offer",
    CALL_IN,
    PEER_LID,
    { caller_pn: PEER, caller_country_code: "US", device_class: "2016", joinable: "1" },
    [
      el("audio", { enc: "opus", rate: "8000" }),
      el("audio", { enc: "opus", rate: "16000" }),
      el("net", { medium: "3" }),
      el("capability", { ver: "1" }, b(CAP_OFFER)),
      el("enc", { v: "2", type: "pkmsg", count: "0" }, b(bytes(196, 13))),
      el("encopt", { keygen: "2" }),
      relay(),
    ],
  );
  s.add(
    "in",
    t0,
    callNode(
      {
        from: PEER_LID,
        id: "3A0011223344556677AA",
        t: "1779364920",
        notify: "Alice Example",
        platform: "iphone",
        version: "2.26.2.1",
      },
      offer,
    ),
  );
  s.add(
    "out",
    t0 + 3.5,
    el("ack", { class: "call", id: "3A0011223344556677AA", to: PEER_LID, type: "offer" }),
  );
  s.add(
    "out",
    t0 + 4.25,
    el("receipt", { to: PEER_LID, id: "3A0011223344556677AA", from: "55443322110099@lid" }, [
      act("offer", CALL_IN, PEER_LID),
    ]),
  );
  s.add(
    "out",
    t0 + 30,
    callNode(
      { to: PEER_LID, id: "3EB01122334455667788AA" },
      act("preaccept", CALL_IN, PEER_LID, {}, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("encopt", { keygen: "2" }),
        el("capability", { ver: "1" }, b(CAP_PRE)),
      ]),
    ),
  );
  s.add(
    "in",
    t0 + 140,
    el("ack", { class: "call", id: "3EB01122334455667788AA", from: PEER_LID, type: "preaccept" }),
  );
  s.add(
    "out",
    t0 + 5_000,
    callNode(
      { to: PEER_LID, id: "3EB099887766554433BB" },
      act("accept", CALL_IN, PEER_LID, {}, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("te", { priority: "2" }, b(packed([10, 1, 2, 3], 50_000))),
        el("net", { medium: "2" }),
        el("encopt", { keygen: "2" }),
        el(
          "voip_settings",
          { uncompressed: "1" },
          b(new TextEncoder().encode('{"use_mlow_codec_v1":"1","k":"secretvalue"}')),
        ),
      ]),
    ),
  );
  s.add(
    "in",
    t0 + 5_130,
    el("ack", { class: "call", id: "3EB099887766554433BB", from: PEER_LID, type: "accept" }),
  );
  s.add(
    "out",
    t0 + 5_300,
    callNode(
      { to: PEER_LID, id: "3EB0AABBCCDDEEFF0011" },
      act("relaylatency", CALL_IN, PEER_LID, {}, [
        el("te", { latency: String(0x02000000 + 45), relay_name: "gru1c01" }, b(packed(RELAY_V4, 3478))),
      ]),
    ),
  );
  s.add(
    "in",
    t0 + 5_420,
    el("ack", { class: "call", id: "3EB0AABBCCDDEEFF0011", from: PEER_LID, type: "relaylatency" }),
  );
  s.add(
    "in",
    t0 + 5_500,
    callNode(
      { from: PEER_LID, id: "3A99887766554433CCDD", t: "1779364925" },
      act("transport", CALL_IN, PEER_LID, { "p2p-cand-round": "1", "transport-message-type": "3" }, [
        el("te", { priority: "1" }, b(bytes(20, 14))),
        el("net", { medium: "2", protocol: "0" }),
      ]),
    ),
  );
  s.add(
    "out",
    t0 + 5_502,
    el("ack", { class: "call", id: "3A99887766554433CCDD", to: PEER_LID, type: "transport" }),
  );
  s.add(
    "out",
    t0 + 9_000,
    callNode({ to: PEER_LID }, act("mute_v2", CALL_IN, PEER_LID, { "mute-state": "1" })),
  );
  s.add(
    "in",
    t0 + 65_000,
    callNode(
      { from: PEER_LID, id: "3AFFEE00112233445566", t: "1779364985" },
      act("terminate", CALL_IN, PEER_LID, { duration: "60", audio_duration: "59" }),
    ),
  );
  s.add(
    "out",
    t0 + 65_004,
    el("ack", { class: "call", id: "3AFFEE00112233445566", to: PEER_LID, type: "terminate" }),
  );
  return s;
}

/** Incoming call rejected by this device. */
export function incomingRejected(s: Session, t0 = T0 + 300_000): Session {
  s.add(
    "in",
    t0,
    callNode(
      { from: PEER, id: "3A7766554433221100EE", t: "1779365100" },
      act("offer", CALL_REJ, PEER, {}, [
        el("audio", { enc: "opus", rate: "16000" }),
        el("enc", { v: "2", type: "msg" }, b(bytes(64, 15))),
      ]),
    ),
  );
  s.add("out", t0 + 2, el("ack", { class: "call", id: "3A7766554433221100EE", to: PEER, type: "offer" }));
  s.add(
    "out",
    t0 + 3,
    el("receipt", { to: PEER, id: "3A7766554433221100EE" }, [act("offer", CALL_REJ, PEER)]),
  );
  s.add(
    "out",
    t0 + 2_000,
    callNode({ to: PEER, id: "3EB0123123123123123123" }, act("reject", CALL_REJ, PEER, { count: "0" })),
  );
  s.add(
    "in",
    t0 + 2_090,
    el("ack", { class: "call", id: "3EB0123123123123123123", from: PEER, type: "reject" }),
  );
  return s;
}

/** All three calls in one session. */
export function threeCalls(): TraceFile {
  const s = new Session();
  outgoingMissed(s);
  incomingAnswered(s);
  incomingRejected(s);
  return s.trace();
}

/** Every identifying string of the fixtures (for leak assertions). */
export const FIXTURE_SECRETS = [
  ME_PN,
  PEER_PN,
  "987654321012345",
  "55443322110099",
  CALL_OUT,
  CALL_IN,
  CALL_REJ,
  "3EB0A1B2C3D4E5F6A7B8C9",
  "3A0011223344556677AA",
  "Alice Example",
  "157.240.222.62",
  "2a03:2880:f24f:c::1234",
  "10.1.2.3",
  "gru1c01",
  "f3a9c2e1b4d5",
  "secretvalue",
];
