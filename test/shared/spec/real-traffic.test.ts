import { describe, expect, it } from "vitest";
import {
  type AttrSpec,
  ENUMS,
  enumValue,
  findUnknowns,
  lookupAttr,
  lookupPath,
  lookupTag,
  REAL_TRAFFIC,
  REAL_TRAFFIC_KNOWN,
  REAL_TRAFFIC_SOURCE,
  realTrafficNote,
  vocabularyTitle,
  walkVocabulary,
} from "../../../src/shared/spec/vocabulary";
import { parseXml } from "./support";

// Stanzas written for this project in the shapes real-captures.md describes; every value is invented.
const OFFER_2026 = `
<call from="70001234567890@lid" id="4C1A9E0B7D2F3A5C6E8B0D1F2A3C4E5F" t="1790000000"
      offline="3" retry="3" platform="android" version="2.26.30.78" notify="Test Caller">
  <offer call-id="0A1B2C3D4E5F60718293A4B5C6D7E8F9" call-creator="70001234567890@lid"
         caller_pn="15550009999@s.whatsapp.net" joinable="1" caller_country_code="ZZ">
    <privacy><!-- 4 bytes --></privacy>
    <audio enc="opus" rate="16000"></audio>
    <audio enc="opus" rate="8000"></audio>
    <video enc="h.264" dec="H264,H265,AV1" device_orientation="0" screen_width="1080" screen_height="2400"></video>
    <net medium="3"></net>
    <capability ver="1"></capability>
    <destination>
      <to jid="70009876543210@lid">
        <enc v="2" type="pkmsg"></enc>
      </to>
    </destination>
    <encopt keygen="2"></encopt>
    <relay>
      <token id="0"></token>
      <te2 relay_id="7"></te2>
    </relay>
  </offer>
</call>`;

const OLD_OFFER = `
<call from="15550001234@s.whatsapp.net" id="1434000000-12" t="1434000000" offline="0">
  <offer call-id="1434000000-1" call-creator="15550001234@s.whatsapp.net" device_class="2">
    <audio enc="opus" rate="8000"></audio>
  </offer>
</call>`;

const NOTICE = `
<call from="70001234567890@lid" id="5223.12338-7" t="1790000100" offline="6">
  <offer_notice call-creator="70001234567890@lid" call-id="0A1B2C3D4E5F60718293A4B5C6D7E8F0"
                media="audio" type="group" reason="427" caller_pn="15550009999@s.whatsapp.net"></offer_notice>
</call>`;

const REJECT = `<call to="15550001234@s.whatsapp.net"><reject call-creator="15550001234@s.whatsapp.net" call-id="1434000000-2" count="0" reason="unsupported-audio-caps"></reject></call>`;

const TERMINATE = `<call from="70001234567890@lid" id="38.13-251" t="1790000200" offline="1">
  <terminate call-creator="70001234567890@lid" call-id="0A1B2C3D4E5F60718293A4B5C6D7E8F9" duration="20111" audio_duration="20111"></terminate>
</call>`;

const TRANSPORT = `<call from="15550001234@s.whatsapp.net" id="1640000000-9" t="1640000000">
  <transport call-id="1640000000-3" transport-message-type="9" p2p-cand-round="2">
    <te priority="1"></te>
    <net medium="2"></net>
  </transport>
</call>`;

const RELAYLATENCY = `<call from="15550001234@s.whatsapp.net" id="1640000000-10" t="1640000000">
  <relaylatency call-id="1640000000-3">
    <te latency="612" relay_name="zz1c01"></te>
  </relaylatency>
</call>`;

const ACK_500 = `<ack from="70001234567890@lid" id="ABCDEF0123456789ABCDEF0123456789" class="call" type="accept" error="500">
  <error call-creator="70001234567890@lid" call-id="0A1B2C3D4E5F60718293A4B5C6D7E8F9" jid="70005555555555:4@lid"></error>
</ack>`;

const ACK_427 = `<ack from="s.whatsapp.net" id="AB12" class="call" type="offer">
  <user error="427" jid="70001111111111@lid"></user>
</ack>`;

const OWN_ACK = `<ack to="70001234567890@lid" id="38.13-251" class="call" type="terminate"></ack>`;

const UNCALLABLE = `<call from="15550004444:99@hosted.lid" id="X1" t="1790000300"><terminate call-id="C-UNCALL" reason="uncallable"></terminate></call>`;

/** The attribute names of the issue's list, by the vocabulary path of their element. */
const ISSUE_LIST: [path: string, names: string[]][] = [
  ["call", ["offline", "retry", "platform", "version", "notify"]],
  ["call/offer", ["device_class", "caller_pn", "joinable", "caller_country_code"]],
  ["call/reject", ["count", "reason"]],
  ["call/terminate", ["duration", "audio_duration"]],
  ["call/relaylatency/te", ["latency"]],
  ["call/transport/te", ["priority"]],
  ["call/transport", ["transport-message-type", "p2p-cand-round"]],
  ["call/offer_notice", ["call-creator", "call-id", "media", "type", "reason", "caller_pn"]],
  ["ack/user", ["error", "jid"]],
  ["ack", ["error"]],
  ["ack/error", ["call-creator", "call-id", "jid"]],
  ["call/offer/audio", ["enc", "rate"]],
  ["call/offer/video", ["enc", "dec", "device_orientation", "screen_width", "screen_height"]],
  ["call/offer/net", ["medium"]],
  ["call/offer/capability", ["ver"]],
  ["call/offer/destination/to", ["jid"]],
  ["call/offer/destination/to/enc", ["v", "type"]],
  ["call/offer/encopt", ["keygen"]],
  ["call/offer/relay/te2", ["relay_id"]],
];

describe("the vocabulary's real-traffic items (research real-captures.md)", () => {
  it("marks every attribute of the issue's list as observed in real traffic, with what was seen", () => {
    for (const [path, names] of ISSUE_LIST) {
      for (const name of names) {
        const a = lookupAttr(path.split("/"), name);
        expect(a, `${path}@${name}`).toBeDefined();
        expect(a?.observed, `${path}@${name}`).toBe("real-traffic");
        expect(a?.seen?.length, `${path}@${name}`).toBeGreaterThan(0);
      }
    }
    for (const tag of ["call/offer/privacy", "call/offer/relay/token", "call/offer/relay/te2", "ack/error"])
      expect(lookupTag(tag.split("/"))?.observed, tag).toBe("real-traffic");
  });

  it("knows the values real traffic showed, with their meaning", () => {
    expect(enumValue("ack-error", "500")).toMatchObject({ observed: "real-traffic", confidence: "unknown" });
    expect(enumValue("ack-error", "439")).toMatchObject({
      observed: "real-traffic",
      confidence: "probable",
      parts: ["SIG-01"],
    });
    expect(enumValue("ack-error", "439")?.meaning).toMatch(/out of order/);
    expect(enumValue("group-offer-code", "427")?.meaning).toBe("a call already exists in this group");
    expect(enumValue("terminate-reasons", "uncallable")).toMatchObject({
      observed: "real-traffic",
      confidence: "unknown",
      parts: [],
    });
    expect(enumValue("terminate-reasons", "unsupported-audio-caps")?.observed).toBe("real-traffic");
    for (const v of ["1", "9"])
      expect(enumValue("transport-message-type", v)?.observed, v).toBe("real-traffic");
    // Value 3 is in the corpus but no real capture showed it.
    expect(enumValue("transport-message-type", "3")?.observed).toBeUndefined();
    expect(enumValue("audio-rate", "16000")?.observed).toBe("real-traffic");
  });

  it("keeps the corpus data of items it already knew and adds only the mark", () => {
    expect(REAL_TRAFFIC_KNOWN.length).toBeGreaterThan(50);
    for (const { item } of REAL_TRAFFIC_KNOWN) {
      const listed = REAL_TRAFFIC.find((r) => r.item === item);
      expect(listed, `${item} does not resolve to a vocabulary entry`).toBeDefined();
    }
    const caller = lookupAttr(["call", "offer"], "caller_pn");
    expect(caller).toMatchObject({ confidence: "probable", parts: ["SIG-16"] });
    expect(caller?.source).toBe("spec/signalling/flow-incoming-1to1.yaml");
    const duration = lookupAttr(["call", "terminate"], "duration");
    expect(duration).toMatchObject({ confidence: "speculative", parts: ["SIG-14"], type: "uint" });
    expect(duration?.seen).toMatch(/milliseconds/);
    const latency = lookupAttr(["call", "relaylatency", "te"], "latency");
    expect(latency?.meaning).toBe("0x02000000 + RTT in ms");
    expect(latency?.seen).toMatch(/without the 0x02000000 offset/);
    // Corpus items real traffic did not show stay unmarked.
    expect(lookupAttr(["call"], "e")?.observed).toBeUndefined();
    expect(lookupAttr(["ack", "error"], "code")?.observed).toBeUndefined();
    expect(lookupAttr(["call", "terminate"], "reason")?.observed).toBeUndefined();
  });

  it("gives the items only real traffic shows no corpus confidence, no part and the research source", () => {
    const only = walkVocabulary().filter((e) => e.spec.source === REAL_TRAFFIC_SOURCE);
    expect(only.map((e) => e.path).sort()).toEqual(
      [
        "ack/error@call-creator",
        "ack/error@call-id",
        "ack/error@jid",
        "ack/user",
        "ack/user@error",
        "ack/user@jid",
        "call/offer_notice@caller_pn",
        "call/offer_notice@reason",
        "call@retry",
      ].sort(),
    );
    for (const e of only) {
      expect(e.spec.confidence, e.path).toBe("unknown");
      expect(e.spec.parts, e.path).toEqual([]);
      expect(e.spec.observed, e.path).toBe("real-traffic");
      if (e.kind === "attribute") expect((e.spec as AttrSpec).required, e.path).toBe(false);
    }
    for (const en of Object.values(ENUMS))
      for (const v of en.values.filter((x) => x.confidence === "unknown" && x.observed))
        expect(v.parts, `${en.name}=${v.value}`).toEqual([]);
  });

  it("finds nothing unknown in stanzas shaped like the published ones", () => {
    for (const xml of [
      OFFER_2026,
      OLD_OFFER,
      NOTICE,
      REJECT,
      TERMINATE,
      TRANSPORT,
      RELAYLATENCY,
      ACK_500,
      ACK_427,
      OWN_ACK,
      UNCALLABLE,
    ]) {
      const node = parseXml(xml);
      expect(findUnknowns(node), xml.slice(0, 60)).toEqual([]);
    }
  });

  it("says what real traffic showed when an observed attribute has a value outside it", () => {
    const ack = parseXml(`<ack from="s.whatsapp.net" id="Q1" class="call" error="404"></ack>`);
    expect(findUnknowns(ack)).toEqual([
      {
        kind: "unknown-value",
        path: "ack",
        name: "error",
        value: "404",
        parent: "ack",
        note: "not in enum:ack-error; seen in real traffic: 500, and 439 on an offer whose children are out of order (research real-captures.md)",
        observed: "real-traffic",
      },
    ]);
    // An attribute real traffic did not show keeps the plain note.
    const transport = parseXml(
      `<call to="1@s.whatsapp.net"><transport call-id="C"><net medium="5"></net></transport></call>`,
    );
    expect(findUnknowns(transport)).toEqual([
      {
        kind: "unknown-value",
        path: "call/transport/net",
        name: "medium",
        value: "5",
        parent: "net",
        note: "not in enum:net-medium",
      },
    ]);
  });

  it("looks an entry up by an indexed element path and writes its tooltip with the observation", () => {
    expect(lookupPath("call/offer/audio[1]", "rate")).toBe(lookupAttr(["call", "offer", "audio"], "rate"));
    expect(lookupPath("call/offer/destination/to[0]/enc")).toBe(
      lookupTag(["call", "offer", "destination", "to", "enc"]),
    );
    expect(lookupPath("call/offer", "sparkle")).toBeUndefined();
    const title = vocabularyTitle(lookupAttr(["call"], "offline")!);
    expect(title.split("\n")).toEqual([
      "offline-queue replay marker (client code, §8)",
      "corpus confidence: speculative (SIG-16)",
      "source: client code (research notes §5, §8)",
      "seen in real traffic: 0, 1, 3 and 6 on stanzas queued while the client was offline (research real-captures.md)",
    ]);
    const retry = vocabularyTitle(lookupAttr(["call"], "retry")!);
    expect(retry).toContain("corpus confidence: unknown\n");
    expect(retry).toContain("source: research real-captures.md");
    expect(vocabularyTitle(lookupAttr(["call"], "e")!)).not.toContain("real traffic");
    expect(realTrafficNote(enumValue("ack-error", "500"))).toBe(
      "seen in real traffic: on a server ack of an `<accept>` that came from the caller's LID (research real-captures.md)",
    );
    expect(realTrafficNote(undefined)).toBe("");
  });
});
