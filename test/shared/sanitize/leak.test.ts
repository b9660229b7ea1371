import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToBase64, bytesToHex } from "../../../src/shared/codec/bytetext";
import { finishOne } from "../../../src/shared/export/finish";
import { exportJsonTrace, exportStanza } from "../../../src/shared/export/index";
import { fingerprintsOf, isLeakError, sanitizeTrace } from "../../../src/shared/sanitize/index";
import { byteRuns, Fingerprints, maskValue } from "../../../src/shared/sanitize/leak";
import { b, bytes, el, Session, threeCalls } from "../tracefile/fixtures";

const KEY = bytes(32, 99);

function prints(): Fingerprints {
  const f = new Fingerprints();
  f.addText("jid-user", "15550002222");
  f.addText("phone", "15550002222");
  f.addText("name", "Alice");
  f.addIp("157.240.222.62");
  f.addIp("2a03:2880:f24f:c::1234");
  f.addPacked(Uint8Array.of(157, 240, 222, 62, 0x0d, 0x96), "te2");
  f.addPayload(KEY, "hbh_key");
  return f;
}

describe("leak check", () => {
  const f = prints();
  const cases: [string, string][] = [
    ["jid user", '{"to":"15550002222@s.whatsapp.net"}'],
    ["phone inside digits", "call x915550002222y"],
    ["name as a word", "notify=Alice here"],
    ["ipv4", "relay 157.240.222.62:3478"],
    ["ipv6 compressed", "at [2a03:2880:f24f:c::1234]:3478"],
    ["ipv6 expanded", "2a03:2880:f24f:000c:0000:0000:0000:1234"],
    ["packed ip hex", "<te2><!-- 6 bytes: 9df0de3e0d96 --></te2>"],
    ["payload hex", `<hbh_key><!-- 32 bytes: ${bytesToHex(KEY)} --></hbh_key>`],
    [
      "payload HEX spaced",
      bytesToHex(KEY.subarray(3, 14))
        .toUpperCase()
        .replace(/(..)(?!$)/g, "$1 "),
    ],
    ["payload base64", `{"b64":"${bytesToBase64(KEY)}"}`],
    ["payload base64 inner slice", `x${bytesToBase64(KEY.subarray(5, 20))}`],
    ["payload base64url", bytesToBase64(KEY).replace(/\+/g, "-").replace(/\//g, "_")],
    ["payload decimal list", `{"type":"Buffer","data":[${Array.from(KEY.subarray(2, 12)).join(",")}]}`],
    ["payload raw", new TextDecoder("latin1").decode(KEY)],
  ];
  for (const [label, text] of cases) {
    it(`finds a ${label}`, () => {
      expect(f.check(text, "x").length, label).toBeGreaterThan(0);
    });
  }

  it("finds every run of 8 payload bytes at any offset, and no run of 7", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 300 }).filter((p) => new Set(p).size > 8),
        fc.nat(),
        fc.integer({ min: 8, max: 40 }),
        (payload, at, len) => {
          const g = new Fingerprints();
          g.addPayload(payload, "enc");
          const from = at % (payload.length - 7);
          const run = payload.subarray(from, Math.min(payload.length, from + len));
          if (new Set(run).size >= 3) expect(g.check(`x${bytesToHex(run)}y`, "t").length).toBe(1);
          const short = new Fingerprints();
          short.addPayload(payload, "enc");
          const seven = bytesToHex(payload.subarray(from, from + 7));
          // A 7-byte run alone is never enough (unless the payload repeats it elsewhere with an 8th byte).
          expect(short.check(`<${seven}>`, "t").length).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds nothing in clean text, documentation addresses or short names inside words", () => {
    expect(f.check("Malice 192.0.2.1 2001:db8::1 1555000222 S0001 CALLID0001 deadbeef", "x")).toEqual([]);
  });

  it("reports masked values with line and column", () => {
    const [hit] = f.check("ok\n  to=15550002222@s.whatsapp.net", "file.txt");
    expect(hit).toMatchObject({ category: "jid-user", where: "file.txt", line: 2, column: 6 });
    expect(hit.value).toBe(maskValue("15550002222"));
    expect(hit.value).not.toContain("5000");
  });

  it("extracts hex, base64 and decimal runs", () => {
    const runs = byteRuns("aa bb cc dd ee ff 11 | QUJDREVGR0g= | 1, 2, 3, 4, 5, 6");
    const hexes = runs.map((r) => bytesToHex(r.bytes));
    expect(hexes).toContain("aabbccddeeff11");
    expect(hexes).toContain(bytesToHex(new TextEncoder().encode("ABCDEFGH")));
    expect(hexes).toContain("010203040506");
  });

  it("refuses an export whose final text contains an original value", () => {
    const { trace: st } = sanitizeTrace(threeCalls());
    const r = finishOne([st], {
      format: "ladder",
      text: "peer is 15550002222",
      fileName: "x.txt",
      mime: "text/plain",
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(isLeakError(r.error)).toBe(true);
      expect(r.error.message).toMatch(/export refused: 1 leaked value/);
    }
    expect(fingerprintsOf(st)?.stats.payloadBytes).toBeGreaterThan(100);
  });

  it("refuses a kept capability that repeats secret payload bytes", () => {
    const secret = bytes(24, 5);
    const s = new Session();
    s.add(
      "out",
      1,
      el("call", { to: "15551112222@s.whatsapp.net", id: "Q1" }, [
        el("offer", { "call-id": "CALL1", "call-creator": "15553334444@s.whatsapp.net" }, [
          el("capability", { ver: "1" }, b(secret.subarray(0, 12))),
          el("enc", { v: "2", type: "msg" }, b(secret)),
        ]),
      ]),
    );
    const st = sanitizeTrace(s.trace(), { keepCapability: true }).trace;
    const json = exportJsonTrace(st);
    expect(json.ok).toBe(false);
    if (!json.ok) expect(json.error.name).toBe("LeakError");
    const xml = exportStanza(st, 0, "xml");
    expect(xml.ok).toBe(false);
    // Without the option the same trace exports fine.
    expect(exportJsonTrace(sanitizeTrace(s.trace()).trace).ok).toBe(true);
  });
});
