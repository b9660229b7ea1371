import { describe, expect, it } from "vitest";
import {
  adDomainToServer,
  decodeNode,
  encodeNode,
  formatJid,
  isCodecError,
  isJid,
  jidForEncoding,
  jidWireForm,
  parseJid,
  serverToAdDomain,
} from "../../../src/shared/codec";
import { bridgeDecode, bridgeEncode, fromHex, hex } from "./support";

/** `<a j="…"/>` — prefix of its encoding before the value: LIST_8 3, "a", "j". */
const PREFIX = "f803fc0161fc016a";
const attrNode = (j: string) => ({ tag: "a", attrs: { j } });
const valueHex = (j: string) => {
  const h = hex(encodeNode(attrNode(j)));
  expect(h.startsWith(PREFIX)).toBe(true);
  return h.slice(PREFIX.length);
};

describe("parseJid / formatJid", () => {
  it.each([
    ["1234@s.whatsapp.net", { user: "1234", server: "s.whatsapp.net" }],
    ["1234:5@lid", { user: "1234", server: "lid", device: 5 }],
    ["1234.1:5@s.whatsapp.net", { user: "1234", server: "s.whatsapp.net", agent: 1, device: 5 }],
    ["1234.7@s.whatsapp.net", { user: "1234", server: "s.whatsapp.net", agent: 7 }],
    ["x.y:3@lid", { user: "x.y", server: "lid", device: 3 }],
    ["1234:99@hosted", { user: "1234", server: "hosted", device: 99 }],
    ["12:0@msgr", { user: "12", server: "msgr", device: 0 }],
    ["7-12:2@interop", { user: "12", server: "interop", device: 2, integrator: 7 }],
    ["123-456@g.us", { user: "123-456", server: "g.us" }],
    ["status@broadcast", { user: "status", server: "broadcast" }],
    ["g.us", { user: "", server: "g.us" }],
  ])("%s", (s, jid) => {
    expect(parseJid(s)).toEqual(jid);
    expect(formatJid(jid)).toBe(s);
    expect(isJid(s)).toBe(true);
  });

  it("omits device 0 on AD servers (WapJid type 1) but prints it for msgr (type 3)", () => {
    expect(formatJid({ user: "1", server: "lid", device: 0 })).toBe("1@lid");
    expect(formatJid({ user: "1", server: "msgr", device: 0 })).toBe("1:0@msgr");
    expect(formatJid({ user: "12", server: "interop", device: 0, integrator: 7 })).toBe("7-12:0@interop");
  });

  it.each([
    "",
    "@",
    "a@",
    "@g.us",
    "a@b@c",
    "1:2:3@lid",
    "1:x@lid",
    "1:01@lid",
    ":3@lid",
    "1:70000@msgr",
    "foo",
  ])("rejects %j", (s) => {
    expect(parseJid(s)).toBeUndefined();
    expect(isJid(s)).toBe(false);
  });

  it("maps AD_JID domain bytes as WhatsApp Web does (wabinary.md §6)", () => {
    expect([0, 1, 128, 129, 130, 254].map(adDomainToServer)).toEqual([
      "s.whatsapp.net",
      "lid",
      "hosted",
      "hosted.lid",
      "hosted",
      "hosted",
    ]);
    for (const d of [2, 3, 127, 131, 255, 256]) expect(adDomainToServer(d), String(d)).toBeUndefined();
    expect(["s.whatsapp.net", "lid", "hosted", "hosted.lid", "g.us"].map(serverToAdDomain)).toEqual([
      0,
      1,
      128,
      129,
      undefined,
    ]);
  });

  it("chooses the wire form WhatsApp Web would use", () => {
    const form = (s: string) => jidForEncoding(s)?.form;
    expect(form("1@s.whatsapp.net")).toBe("jid-pair");
    expect(form("1.2@s.whatsapp.net")).toBe("jid-pair");
    expect(form("1:3@lid")).toBe("ad-jid");
    expect(form("1:99@hosted")).toBe("ad-jid");
    expect(form("1:255@hosted.lid")).toBe("ad-jid");
    expect(form("12:5@msgr")).toBe("fb-jid");
    expect(form("12@msgr")).toBe("jid-pair");
    expect(form("7-12:2@interop")).toBe("interop-jid");
    // Not written as JIDs: device does not fit a u8, device 0 (not canonical), device on a
    // non-AD server, interop without integrator, unknown server.
    for (const s of ["1:256@lid", "1:0@lid", "1:3@g.us", "12:2@interop", "a@foo", "a@b.com"]) {
      expect(form(s), s).toBeUndefined();
    }
    expect(jidWireForm({ user: "1", server: "lid", device: 0 })).toBeUndefined();
  });
});

describe("JID encodings (wabinary.md §6)", () => {
  it("JID_PAIR, AD_JID and agents match whatsapp-rust-bridge byte for byte", () => {
    for (const j of [
      "1234567890@s.whatsapp.net",
      "status@broadcast",
      "123-456@g.us",
      "1:99@hosted",
      "1:99@hosted.lid",
      "123456789012345:7@lid",
      "1.2:3@s.whatsapp.net",
      "1.2@s.whatsapp.net",
      "120363012345678901@newsletter",
    ]) {
      expect(hex(encodeNode(attrNode(j))), j).toBe(hex(bridgeEncode(attrNode(j))).slice(2));
      expect(decodeNode(encodeNode(attrNode(j)))).toEqual(attrNode(j));
    }
  });

  it("encodes the §6 example `…:7@lid` as F7 01 07 FF 88 … 5F", () => {
    expect(valueHex("123456789012345:7@lid")).toBe("f70107ff88123456789012345f");
  });

  it("writes the agent inside the wire user string (as WA and the bridge)", () => {
    expect(valueHex("1.2:3@s.whatsapp.net")).toBe("f70003ff821b2f");
  });

  it("FB_JID: user, device u16, server", () => {
    // "12" is itself a token (0xCF), so the user is written as one byte.
    expect(valueHex("12:5@msgr")).toBe("f6cf0005cc");
    expect(valueHex("1234:5@msgr")).toBe("f6ff0212340005cc");
    expect(valueHex("1234:0@msgr")).toBe("f6ff0212340000cc");
    expect(decodeNode(fromHex(`${PREFIX}f6ff0212340005cc`))).toEqual(attrNode("1234:5@msgr"));
    // The bridge's decoder reads our FB_JID (its ENCODER would write AD_JID instead, see below).
    expect(bridgeDecode(fromHex(`00${PREFIX}f6ff0212340005cc`))).toEqual(attrNode("1234:5@msgr"));
  });

  it("INTEROP_JID: the encoder omits the server, the decoder reads it (both as WhatsApp Web)", () => {
    expect(valueHex("7-1234:2@interop")).toBe("f5ff02123400020007");
    const withServer = fromHex(`${PREFIX}f5ff02123400020007fc07${hex(new TextEncoder().encode("interop"))}`);
    expect(decodeNode(withServer)).toEqual(attrNode("7-1234:2@interop"));
    // Consequence: our own interop bytes do not decode (the server string is missing).
    const own = decodeNode(encodeNode(attrNode("7-1234:2@interop")));
    expect(isCodecError(own) && own.code).toBe("truncated");
  });

  it("decodes JID_PAIR without user as the bare server, and AD_JID device 0 without `:0`", () => {
    expect(decodeNode(fromHex(`${PREFIX}fa0003`))).toEqual(attrNode("s.whatsapp.net"));
    expect(decodeNode(fromHex(`${PREFIX}f7010055`))).toEqual(attrNode("1@lid"));
    expect(decodeNode(fromHex(`${PREFIX}f7826355`))).toEqual(attrNode("1:99@hosted"));
    expect(decodeNode(fromHex(`${PREFIX}f7816355`))).toEqual(attrNode("1:99@hosted.lid"));
  });

  it("rejects unknown AD_JID domains as WhatsApp Web does (the bridge accepts domain 2)", () => {
    const bytes = fromHex(`${PREFIX}f7020355`);
    const r = decodeNode(bytes);
    expect(isCodecError(r) && [r.code, r.offset]).toEqual(["invalid-jid", 9]);
    // Bridge quirk (wabinary.md §8): it accepts domain 2.
    expect(() => bridgeDecode(new Uint8Array([0, ...bytes]))).not.toThrow();
    for (const d of ["03", "7f", "83", "ff"]) {
      const e = decodeNode(fromHex(`${PREFIX}f7${d}0355`));
      expect(isCodecError(e) && e.code, d).toBe("invalid-jid");
    }
  });

  it("rejects a JID nested inside a JID", () => {
    const r = decodeNode(fromHex(`${PREFIX}fafa550303`));
    expect(isCodecError(r) && [r.code, r.offset]).toEqual(["invalid-jid", 9]);
  });

  it("bridge quirks, documented: strings it writes as (lossy) JIDs are plain strings for us", () => {
    // [string, what the bridge's bytes decode to]
    const cases: [string, string][] = [
      ["12:5@msgr", "12:5@s.whatsapp.net"], // bridge: AD_JID domain 0
      ["7-12:2@interop", "7-12:2@s.whatsapp.net"], // bridge: AD_JID domain 0
      ["1:0@lid", "1@lid"], // bridge: AD_JID device 0
      ["x:3@foo", "x:3@s.whatsapp.net"], // bridge: AD_JID for any server
      ["@g.us", "g.us"], // bridge: JID_PAIR without user
    ];
    for (const [s, viaBridge] of cases) {
      expect(bridgeDecode(bridgeEncode(attrNode(s))), s).toEqual(attrNode(viaBridge));
      const ours = encodeNode(attrNode(s));
      expect(hex(ours)).not.toBe(hex(bridgeEncode(attrNode(s))).slice(2));
      if (!s.endsWith("@interop")) expect(decodeNode(ours)).toEqual(attrNode(s));
    }
    // FB device 0: WA prints `user:0@msgr`; the bridge's decoder prints `user@msgr`.
    expect(decodeNode(encodeNode(attrNode("12:0@msgr")))).toEqual(attrNode("12:0@msgr"));
    expect(bridgeDecode(new Uint8Array([0, ...encodeNode(attrNode("12:0@msgr"))]))).toEqual(
      attrNode("12@msgr"),
    );
  });
});
