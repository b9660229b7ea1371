import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AnyNode, nodeBytes } from "../../../src/shared/codec/node";
import { checkStanza } from "../../../src/shared/rules/stanza";
import { findUnknowns } from "../../../src/shared/spec/vocabulary";
import { decodePackedAddress } from "../../../src/shared/stanza/address";
import {
  type CallAction,
  readAck,
  readAction,
  readCall,
  readReceipt,
  readRelay,
  readStanza,
  VIDEO_STATES,
} from "../../../src/shared/stanza/model";
import { viewStanza } from "../../../src/shared/stanza/view";
import {
  acceptIn,
  actionOf,
  CAP_OFFER,
  filler,
  hex,
  ME_BARE,
  muteOut,
  n,
  offerAck,
  offerIn,
  offerOut,
  PEER,
  PEER_DEV,
  preacceptIn,
  receiptOut,
  rejectOut,
  relay,
  relayLatencyOut,
  terminateIn,
  transportOut,
} from "../spec/support";

function as<K extends CallAction["kind"]>(
  a: CallAction | undefined,
  kind: K,
): Extract<CallAction, { kind: K }> {
  expect(a?.kind).toBe(kind);
  return a as Extract<CallAction, { kind: K }>;
}

const ids = { "call-id": "C1", "call-creator": PEER };

describe("packed addresses (REL-01)", () => {
  it("decodes 6-byte IPv4 and 18-byte IPv6 addresses with big-endian ports", () => {
    expect(decodePackedAddress(new Uint8Array([157, 240, 1, 2, 0x0d, 0x96]))).toEqual({
      family: 4,
      ip: "157.240.1.2",
      port: 3478,
      text: "157.240.1.2:3478",
    });
    const v6 = new Uint8Array([0x2a, 0x03, 0x28, 0x80, 0xf0, 0x2d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x0d, 0x98]);
    expect(decodePackedAddress(v6)).toEqual({
      family: 6,
      ip: "2a03:2880:f02d::1",
      port: 3480,
      text: "[2a03:2880:f02d::1]:3480",
    });
  });

  it("skips any other length", () => {
    for (const len of [0, 5, 7, 16, 17, 19]) expect(decodePackedAddress(new Uint8Array(len))).toBeUndefined();
  });

  it("writes IPv6 without zero compression when no run of two zero groups exists", () => {
    const b = new Uint8Array(18);
    for (let i = 0; i < 16; i += 2) b[i + 1] = 1;
    b[2] = 0;
    b[3] = 0;
    expect(decodePackedAddress(b)?.ip).toBe("1:0:1:1:1:1:1:1");
  });
});

describe("typed call model: actions from realistic nodes", () => {
  it("reads an outgoing offer: audio, net, capability, per-device keys, encopt, identity", () => {
    const m = readCall(offerOut());
    expect(m.envelope).toMatchObject({ to: PEER, id: "O1", offline: false });
    const o = as(m.action, "offer");
    expect(o).toMatchObject({
      callId: "CID-OUT-1",
      callCreator: ME_BARE,
      isVideo: false,
      keygen: 2,
      known: true,
    });
    expect(o.audio).toEqual([
      { enc: "opus", rateHz: 8000, rawRate: "8000" },
      { enc: "opus", rateHz: 16000, rawRate: "16000" },
    ]);
    expect(o.net).toEqual({ medium: 3, protocol: undefined, hasProtocol: false });
    expect(o.capability).toMatchObject({ ver: 1, hex: CAP_OFFER, length: 7, knownAs: { origin: "spec" } });
    expect(o.destination?.targets.map((t) => [t.jid, t.enc[0].type, t.enc[0].length])).toEqual([
      ["15550002222@s.whatsapp.net", "pkmsg", 180],
      [PEER_DEV, "msg", 120],
    ]);
    expect(o.deviceIdentity).toEqual({ length: 140, truncated: false });
    expect(o.unknownChildren).toEqual([]);
  });

  it("reads an inbound offer's envelope and extras, and marks video offers", () => {
    const node = offerIn();
    node.attrs.offline = "";
    Object.assign(actionOf(node).attrs, { caller_pn: PEER, joinable: "1", "group-jid": "1203@g.us" });
    (actionOf(node).content as AnyNode[]).splice(
      2,
      0,
      n("video", { enc: "h264", dec: "h264", screen_width: "1920" }),
    );
    const m = readCall(node);
    expect(m.envelope).toMatchObject({
      from: PEER,
      t: 1700000100,
      notify: "Peer",
      platform: "iphone",
      offline: true,
    });
    const o = as(m.action, "offer");
    expect(o).toMatchObject({ isVideo: true, joinable: true, groupJid: "1203@g.us", callerPn: PEER });
    expect(o.video).toMatchObject({ enc: "h264", dec: "h264", screenWidth: 1920 });
    expect(o.enc).toEqual([{ v: 2, type: "msg", count: 0, length: 120 }]);
  });

  it("reads offer_notice media and group type", () => {
    const a = as(readAction(n("offer_notice", { ...ids, media: "video", type: "group" })), "offer_notice");
    expect(a).toMatchObject({ media: "video", isGroup: true });
    expect(as(readAction(n("offer_notice", ids)), "offer_notice").media).toBe("audio");
  });

  it("reads preaccept and accept children", () => {
    const p = as(readCall(preacceptIn()).action, "preaccept");
    expect(p).toMatchObject({
      keygen: 2,
      capability: { hex: "01 05 f7 09 e4 bb 07", knownAs: { label: "preaccept (SIG-04)" } },
    });
    expect(p.audio).toHaveLength(1);
    const a = as(readCall(acceptIn()).action, "accept");
    expect(a.te).toMatchObject({ priority: 2, length: 6, address: { text: "157.240.1.2:3480" } });
    expect(a).toMatchObject({
      net: { medium: 2 },
      keygen: 2,
      rte: { length: 12 },
      voipSettings: { uncompressed: true, length: 64 },
    });
    expect(a.childTags).toEqual(["audio", "te", "net", "encopt", "capability", "rte", "voip_settings"]);
  });

  it("reads reject and terminate, with durations as u32 seconds", () => {
    const r = as(readCall(rejectOut()).action, "reject");
    expect(r).toMatchObject({ callId: "CID-IN-2", reason: undefined });
    const t = as(readCall(terminateIn("C", "T", { reason: "accepted_elsewhere" })).action, "terminate");
    expect(t).toMatchObject({ reason: "accepted_elsewhere", durationS: 42, audioDurationS: 40 });
    const big = as(readAction(n("terminate", { ...ids, duration: "4294967296" })), "terminate");
    expect(big.durationS).toBeUndefined();
    const d = as(
      readAction(
        n("terminate", ids, [n("destination", {}, [n("to", { jid: PEER_DEV }), n("to", { jid: PEER })])]),
      ),
      "terminate",
    );
    expect(d.destination?.targets.map((x) => x.jid)).toEqual([PEER_DEV, PEER]);
  });

  it("reads transport: round, message type name, te token and net", () => {
    const t = as(readCall(transportOut()).action, "transport");
    expect(t).toMatchObject({
      p2pCandRound: 0,
      messageType: 1,
      messageTypeName: "relay-candidate",
      te: { priority: 1, length: 40 },
      net: { medium: 2, protocol: 0, hasProtocol: true },
    });
  });

  it("reads relaylatency: te latency to RTT and the relay address", () => {
    const r = as(readCall(relayLatencyOut()).action, "relaylatency");
    expect(r.rttMs).toBe(45);
    expect(r.te[0]).toMatchObject({
      latency: 33554477,
      rttMs: 45,
      relayName: "gru1c02",
      address: { ip: "157.240.1.2", port: 3480 },
    });
    expect(viewStanza(relayLatencyOut())).toMatchObject({ kind: "call", relayRttMs: 45 });
    const yamlShape = as(
      readAction(
        n("relaylatency", { "call-id": "9f" }, [
          n("relay", { ip: "203.0.113.10", latency: "28", jitter: "3" }),
        ]),
      ),
      "relaylatency",
    );
    expect(yamlShape.samples).toEqual([{ ip: "203.0.113.10", token: undefined, latency: 28, jitter: 3 }]);
  });

  it("reads mute_v2 and the stanza file's v1 mute", () => {
    expect(as(readCall(muteOut()).action, "mute_v2").muteState).toBe("1");
    const v1 = as(readAction(n("mute", { "call-id": "C", media: "audio", value: "true" })), "mute");
    expect(v1).toMatchObject({ media: "audio", value: "true", known: false });
  });

  it("reads the video action with state names 0..20", () => {
    const v = as(
      readAction(
        n("video", { ...ids, state: "11", dec: "H264", voip_settings: "video", device_orientation: "1" }),
      ),
      "video",
    );
    expect(v).toMatchObject({
      state: 11,
      stateName: "upgrade-request-v2",
      dec: "H264",
      voipSettings: "video",
      deviceOrientation: "1",
    });
    expect(VIDEO_STATES[20]).toBe("error");
    expect(as(readAction(n("video", { ...ids, state: "15" })), "video").stateName).toBeUndefined();
    expect(viewStanza(n("call", {}, [n("video", { ...ids, state: "4" })]))).toMatchObject({ videoState: 4 });
  });

  it("reads enc_rekey, group_update, user_action, screen_share, waiting_room_update, heartbeat", () => {
    const rk = as(
      readAction(
        n("enc_rekey", { ...ids, "transaction-id": "3" }, [
          n("encopt", { keygen: "2" }),
          n("enc", { v: "2", type: "pkmsg", count: "0" }, filler(90)),
          n("device-identity", {}, filler(10)),
        ]),
      ),
      "enc_rekey",
    );
    expect(rk).toMatchObject({
      transactionId: 3,
      keygen: 2,
      enc: [{ type: "pkmsg", length: 90 }],
      deviceIdentity: { length: 10 },
    });

    const gu = as(
      readAction(
        n("group_update", ids, [
          n("group_info", { media: "audio", "transaction-id": "7", "connected-limit": "32", joinable: "1" }, [
            n("user", { jid: "1@lid", state: "connected" }, [
              n("device", { jid: "1:2@lid", platform: "web", pid: "4" }, [
                n("capability", { ver: "1" }, hex(CAP_OFFER)),
              ]),
            ]),
          ]),
          n("av_upgrade", { "av-upgradable": "1" }),
          n("relay", { uuid: "u", participant_uuid: "p", "transaction-id": "7" }, []),
        ]),
      ),
      "group_update",
    );
    expect(gu.groupInfo).toMatchObject({
      media: "audio",
      transactionId: 7,
      connectedLimit: 32,
      joinable: true,
    });
    expect(gu.groupInfo?.participants[0].devices[0]).toMatchObject({
      pid: 4,
      capability: { hex: CAP_OFFER },
    });
    expect(gu).toMatchObject({ avUpgradable: true, relay: { uuid: "u" } });

    const ua = as(
      readAction(
        n("user_action", { ...ids, action: "raise_hand" }, [n("raise_hand", { "raise-hand-state": "1" })]),
      ),
      "user_action",
    );
    expect(ua).toMatchObject({ userAction: "raise_hand", handRaised: true });

    const ss = as(
      readAction(n("screen_share", { ...ids, screenshare_state: "1", version: "2", screen_share_id: "9" })),
      "screen_share",
    );
    expect(ss).toMatchObject({ state: 1, version: 2, screenShareId: 9 });

    const wr = as(
      readAction(
        n("waiting_room_update", ids, [
          n("waiting_room", { ...ids, "link-token": "tok", media: "video", enabled: "1", is_admin: "0" }, [
            n("user", { jid: "9@lid", state: "waiting" }),
          ]),
        ]),
      ),
      "waiting_room_update",
    );
    expect(wr).toMatchObject({
      linkToken: "tok",
      media: "video",
      enabled: true,
      isAdmin: false,
      users: [{ jid: "9@lid", state: "waiting" }],
    });

    expect(as(readAction(n("heartbeat", { ...ids, type: "waiting_room" })), "heartbeat").type).toBe(
      "waiting_room",
    );
  });

  it("keeps an unknown action and unknown children, never failing", () => {
    const m = readCall(
      n("call", { from: PEER, id: "X", t: "1" }, [n("teleport", ids, [n("beam")]), n("offer", ids)]),
    );
    expect(m.action).toMatchObject({ kind: "unknown", action: "teleport", known: false, callId: "C1" });
    expect(m.action?.unknownChildren.map((c) => c.tag)).toEqual(["beam"]);
    expect(m.extraActions.map((a) => a.kind)).toEqual(["offer"]);
    const o = as(
      readAction(n("offer", ids, [n("audio", { enc: "opus", rate: "16000" }), n("sparkle")])),
      "offer",
    );
    expect(o.unknownChildren.map((c) => c.tag)).toEqual(["sparkle"]);
    expect(readCall(n("call", { from: PEER })).action).toBeUndefined();
  });
});

describe("server relay block (REL-01)", () => {
  it("reads keys as sizes, token tables, te2 endpoints merged by relay_id + relay_name", () => {
    const r = readRelay(relay());
    expect(r).toMatchObject({ uuid: "r-uuid-1", selfPid: 1, peerPid: 2, warpMiTagLen: 4, skippedTe2: 0 });
    expect(r.key).toEqual({ rawLength: 24, decodedLength: 16, layers: 1 });
    expect(r.hbhKey).toEqual({ rawLength: 40, decodedLength: 30, layers: 1 });
    expect(r.tokenLengths).toEqual([48]);
    expect(r.authTokenLengths).toEqual([0, 32]);
    expect(r.te2.map((t) => t.address?.text)).toEqual([
      "157.240.1.2:3480",
      "[2a03:2880:f02d::1]:3480",
      "31.13.64.9:3478",
    ]);
    expect(r.endpoints).toHaveLength(2);
    expect(r.endpoints[0]).toMatchObject({
      relayId: 1,
      relayName: "gru1c02",
      c2rRttMs: 21,
      ipv4Hex: "9d f0 01 02 0d 98",
    });
    expect(r.endpoints[0].addresses).toHaveLength(2);
    expect(r.endpoints[1]).toMatchObject({ isFna: true, authTokenId: 0 });
  });

  it("handles a double-base64 hbh_key, skips odd te2 lengths, ignores warp_mi_tag_len 0", () => {
    const inner = btoa(String.fromCharCode(...new Uint8Array(30).fill(9)));
    const twice = btoa(inner);
    const r = readRelay(
      n("relay", {}, [
        n("hbh_key", {}, twice),
        n("warp_mi_tag_len", {}, "0"),
        n("te2", { relay_name: "x" }, hex("01 02 03")),
        n("token", {}, filler(5)),
        n("token", {}, filler(6)),
      ]),
    );
    expect(r.hbhKey).toMatchObject({ decodedLength: 30, layers: 2 });
    expect(r.warpMiTagLen).toBeUndefined();
    expect(r.skippedTe2).toBe(1);
    expect(r.endpoints).toEqual([]);
    expect(r.tokenLengths).toEqual([5, 6]);
  });

  it("reads the server ack of an offer with its relay", () => {
    const a = readAck(offerAck());
    expect(a).toMatchObject({ id: "O1", ackClass: "call", type: "offer", relay: { uuid: "r-uuid-1" } });
    const err = readAck(
      n("ack", { id: "O2", class: "call" }, [n("error", { code: "439", text: "bad order" })]),
    );
    expect(err).toMatchObject({ error: "439", errorText: "bad order" });
  });
});

describe("receipts and dispatch", () => {
  it("reads an offer receipt and notices extra attributes", () => {
    expect(readReceipt(receiptOut())).toMatchObject({
      to: PEER,
      id: "I1",
      child: "offer",
      callId: "CID-IN-1",
      extraChildAttrs: [],
    });
    const bad = receiptOut();
    (bad.content as AnyNode[])[0].attrs.media = "audio";
    expect(readReceipt(bad).extraChildAttrs).toEqual(["media"]);
    expect(readStanza(n("iq"))).toEqual({ kind: "other", tag: "iq" });
  });

  it("reads plain-node bytes, portable bytes and text alike", () => {
    expect(nodeBytes(n("x", {}, hex("01 02")))).toEqual(new Uint8Array([1, 2]));
    expect(nodeBytes({ tag: "x", attrs: {}, content: new Uint8Array([3]) })).toEqual(new Uint8Array([3]));
    expect(nodeBytes(n("x", {}, "AB"))).toEqual(new Uint8Array([65, 66]));
  });
});

describe("robustness", () => {
  const attrsArb = fc.dictionary(
    fc.constantFrom(
      "call-id",
      "call-creator",
      "rate",
      "latency",
      "id",
      "from",
      "to",
      "t",
      "reason",
      "state",
      "medium",
      "x",
    ),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "33554477", "2", "abc")),
    { maxKeys: 5 },
  );
  const tagArb = fc.constantFrom(
    "call",
    "offer",
    "accept",
    "preaccept",
    "reject",
    "terminate",
    "transport",
    "relaylatency",
    "mute_v2",
    "video",
    "relay",
    "te",
    "te2",
    "net",
    "audio",
    "capability",
    "destination",
    "to",
    "enc",
    "ack",
    "receipt",
    "hbh_key",
    "group_info",
    "zzz",
  );
  const { node } = fc.letrec<{ node: AnyNode }>((tie) => ({
    node: fc.record({
      tag: tagArb,
      attrs: attrsArb,
      content: fc.option(
        fc.oneof(
          fc.array(tie("node"), { maxLength: 4 }),
          fc.uint8Array({ maxLength: 20 }),
          fc.string({ maxLength: 8 }),
          fc.record({ b64: fc.string({ maxLength: 12 }) }),
        ),
        { nil: undefined },
      ),
    }),
  }));

  it("never throws on arbitrary node shapes (model, view, unknowns, rule checks)", () => {
    fc.assert(
      fc.property(node, fc.constantFrom("in" as const, "out" as const), (nd, dir) => {
        const root = { ...nd, tag: nd.tag === "zzz" ? "call" : nd.tag };
        readStanza(root);
        viewStanza(root);
        findUnknowns(root);
        checkStanza(root, dir, 0);
      }),
      { numRuns: 400 },
    );
  });
});
