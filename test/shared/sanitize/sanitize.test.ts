import { describe, expect, it } from "vitest";
import { base64ToBytes } from "../../../src/shared/codec/bytetext";
import { exportJsonTrace, exportLadder } from "../../../src/shared/export/index";
import { isSanitizedTrace, type SanitizedTrace, sanitizeTrace } from "../../../src/shared/sanitize/index";
import { isDocumentationIp } from "../../../src/shared/sanitize/pseudonyms";
import { decodePackedAddress } from "../../../src/shared/stanza/address";
import { buildCalls } from "../../../src/shared/trace/calls";
import type { PortableNode } from "../../../src/shared/trace/types";
import { parseTrace, serializeTrace } from "../../../src/shared/tracefile/io";
import { b, el, FIXTURE_SECRETS, Session, threeCalls } from "../tracefile/fixtures";
import { allExports } from "./exports";

const find = (n: PortableNode | undefined, tag: string): PortableNode[] => {
  if (!n) return [];
  const here = n.tag === tag ? [n] : [];
  return Array.isArray(n.content) ? here.concat(n.content.flatMap((c) => find(c, tag))) : here;
};

describe("sanitizeTrace", () => {
  const original = threeCalls();
  const { trace: st, report } = sanitizeTrace(original);

  it("gives parties letters in order of appearance, keeping server, device and LID/PN", () => {
    const s0 = st.stanzas[0].node!;
    expect(s0.attrs.to).toBe("A@s.whatsapp.net"); // the peer, first party seen
    const offer = (s0.content as PortableNode[])[0];
    expect(offer.attrs["call-creator"]).toBe("B:12@s.whatsapp.net"); // this device, device kept
    expect(find(s0, "to")[0].attrs.jid).toBe("A:3@s.whatsapp.net");
    const inOffer = st.stanzas[7].node!;
    expect(inOffer.attrs.from).toBe("C@lid"); // LID caller stays a LID
    const o = (inOffer.content as PortableNode[])[0];
    expect(o.attrs.caller_pn).toBe("A@s.whatsapp.net"); // caller_pn is the same PN party
    expect(o.attrs.caller_country_code).toBe("XX");
    expect(inOffer.attrs.notify).toBe("Name1");
    expect(inOffer.attrs.platform).toBe("iphone");
    expect(inOffer.attrs.version).toBe("2.26.2.1");
    expect(report.parties).toBe(4);
  });

  it("maps stanza ids and call-ids to synthetic values keeping correlation", () => {
    const calls = buildCalls(st.stanzas).calls;
    const before = buildCalls(original.stanzas).calls;
    expect(calls.map((c) => c.callId)).toEqual(["CALLID0001", "CALLID0002", "CALLID0003"]);
    expect(calls.map((c) => c.state)).toEqual(before.map((c) => c.state));
    expect(calls.map((c) => c.entries.map((e) => e.ackLatencyMs))).toEqual(
      before.map((c) => c.entries.map((e) => e.ackLatencyMs)),
    );
    expect(calls.map((c) => c.entries.map((e) => e.answersSeq))).toEqual(
      before.map((c) => c.entries.map((e) => e.answersSeq)),
    );
    expect(st.stanzas[0].node!.attrs.id).toBe("S0001");
    expect(st.stanzas[1].node!.attrs.id).toBe("S0001");
  });

  it("makes times relative to the first stanza", () => {
    expect(st.stanzas[0].t).toBe(0);
    expect(st.stanzas[1].t).toBe(151.25);
    expect(st.createdAt).toBe("1970-01-01T00:00:00.000Z");
    expect(st.stanzas[3].node!.attrs.t).toBe("0");
    expect(st.stanzas[7].node!.attrs.t).toBe("119");
  });

  it("replaces payloads by labelled placeholders of the same length", () => {
    const enc = find(st.stanzas[0].node, "enc")[0];
    expect(enc.content).toEqual({ b64: "", truncatedFrom: 72, redacted: "enc" });
    expect(find(st.stanzas[1].node, "hbh_key")[0].content).toMatchObject({ b64: "", redacted: "hbh_key" });
    expect(find(st.stanzas[0].node, "capability")[0].content).toEqual({
      b64: "",
      truncatedFrom: 7,
      redacted: "capability",
    });
    const vs = find(st.stanzas[12].node, "voip_settings")[0];
    expect(vs.content).toMatchObject({ b64: "", redacted: "voip_settings" });
  });

  it("keeps capability bytes only with the explicit option", () => {
    const kept = sanitizeTrace(original, { keepCapability: true }).trace;
    expect(kept.sanitized.keptCapability).toBe(true);
    expect(find(kept.stanzas[0].node, "capability")[0].content).toEqual(
      find(original.stanzas[0].node, "capability")[0].content,
    );
  });

  it("maps packed te/te2 addresses into documentation ranges, keeping ports and equality", () => {
    const te2 = find(st.stanzas[1].node, "te2").map(
      (n) => decodePackedAddress(base64ToBytes((n.content as { b64: string }).b64))!,
    );
    expect(te2[0]).toMatchObject({ family: 4, ip: "192.0.2.1", port: 3478 });
    expect(te2[1]).toMatchObject({ family: 6, port: 3478 });
    expect(isDocumentationIp(te2[1].ip)).toBe(true);
    const rl = find(st.stanzas[14].node, "te")[0];
    const addr = decodePackedAddress(base64ToBytes((rl.content as { b64: string }).b64))!;
    expect(addr.text).toBe("192.0.2.1:3478"); // same relay as the te2 → same mapped address
    expect(find(st.stanzas[14].node, "te")[0].attrs.relay_name).toBe("relay1");
  });

  it("maps IPs in attributes (with ports) and scrubs free text", () => {
    const s = new Session();
    s.add(
      "in",
      1,
      el("call", { from: "15551230000@s.whatsapp.net", id: "X1" }, [
        el("transport", { "call-id": "CID", "call-creator": "15551230000@s.whatsapp.net" }, [
          el("te", { ip: "203.0.113.200", port: "3478" }),
          el("endpoint", { addr: "8.8.8.8:19302" }),
          el("endpoint", { addr: "[2606:4700::1111]:443" }),
          el("error", { text: "from 15551230000@s.whatsapp.net via 8.8.4.4" }),
        ]),
      ]),
    );
    const out = sanitizeTrace(s.trace()).trace;
    const text = JSON.stringify(out);
    expect(text).not.toContain("8.8.8.8");
    expect(text).not.toContain("2606:4700");
    expect(text).not.toContain("8.8.4.4");
    expect(text).not.toContain("15551230000");
    expect(text).toContain('"addr":"192.0.2.2:19302"');
    expect(text).toMatch(/"addr":"\[2001:db8::1\]:443"/);
  });

  it("handles heartbeat call JIDs, group JIDs and bare digits", () => {
    const s = new Session();
    s.add(
      "out",
      1,
      el("call", { to: "ABCDEF0123456789@call", id: "H1" }, [
        el("heartbeat", { "call-id": "ABCDEF0123456789" }),
      ]),
    );
    s.add(
      "in",
      2,
      el("call", { from: "15550009999@s.whatsapp.net", id: "H2" }, [
        el("offer", {
          "call-id": "ABCDEF0123456789",
          "call-creator": "15550009999@s.whatsapp.net",
          "group-jid": "120363012345678901@g.us",
          caller_pn: "15550009999",
        }),
      ]),
    );
    const out = sanitizeTrace(s.trace()).trace;
    expect(out.stanzas[0].node!.attrs.to).toBe("CALLID0001@call");
    const offer = (out.stanzas[1].node!.content as PortableNode[])[0];
    expect(offer.attrs["group-jid"]).toBe("G1@g.us");
    expect(offer.attrs.caller_pn).toBe("A");
    expect(offer.attrs["call-creator"]).toBe("A@s.whatsapp.net");
  });

  it("is idempotent on sanitized traces and does not touch its input", () => {
    const before = serializeTrace(original);
    const again = sanitizeTrace(JSON.parse(serializeTrace(st))).trace;
    expect(serializeTrace(again)).toBe(serializeTrace(st));
    expect(serializeTrace(original)).toBe(before);
  });

  it("brands and freezes its output; exporters refuse anything else", () => {
    expect(isSanitizedTrace(st)).toBe(true);
    expect(Object.isFrozen(st.stanzas[0].node)).toBe(true);
    const fake = JSON.parse(serializeTrace(st)) as SanitizedTrace;
    expect(isSanitizedTrace(fake)).toBe(false);
    const r = exportJsonTrace(fake);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.name).toBe("ExportInputError");
    expect(exportLadder(original as unknown as SanitizedTrace).ok).toBe(false);
  });

  it("leaves no fixture secret in any export format", () => {
    for (const { label, result } of allExports(st)) {
      expect(result.ok, label).toBe(true);
      if (!result.ok) continue;
      for (const secret of FIXTURE_SECRETS)
        expect(result.output.text, `${label}: ${secret}`).not.toContain(secret);
    }
  });

  it("sanitizes health: notes dropped, error text scrubbed, times relative", () => {
    const t = threeCalls();
    t.health = {
      ...t.health!,
      taps: [{ name: "codec", installed: false, live: false, note: "hook failed for 15550001111" }],
      lastError: { message: "bad frame from 15550002222@s.whatsapp.net", t: t.stanzas[0].t + 5 },
    };
    t.stanzas.push({
      seq: 99,
      direction: "in",
      t: t.stanzas[0].t + 9,
      tap: "transport",
      error: { message: "decode failed", hex: "00112233445566778899aabbccddeeff" },
    });
    const out = sanitizeTrace(t).trace;
    expect(out.health!.taps[0].note).toBeUndefined();
    expect(out.health!.lastError).toEqual({ message: "bad frame from A@s.whatsapp.net", t: 5 });
    const err = out.stanzas.find((s) => s.seq === 99)!.error!;
    expect(err.hex).toBeUndefined();
    expect(err.message).toBe("decode failed [16 bytes redacted]");
    const r = exportJsonTrace(out);
    expect(r.ok).toBe(true);
  });

  it("keeps multi-tap capture times relative and scrubs newer health fields generically", () => {
    const t = threeCalls();
    const t0 = t.stanzas[0].t;
    t.stanzas[0] = {
      ...t.stanzas[0],
      seenBy: ["codec", "transport"],
      seenAt: { codec: t0, transport: t0 + 0.5 },
    };
    const h = t.health as unknown as Record<string, unknown>;
    h.decodeErrors = [
      {
        t: t0 + 2,
        tap: "transport",
        direction: "in",
        message: "bad tag near 15550002222@s.whatsapp.net",
        hex: "deadbeefcafebabe0011",
      },
    ];
    h.undecodableByReason = { "frame from 157.240.222.62": 2 };
    h.commsEvidence = ["chat socket on the page"];
    const out = sanitizeTrace(t).trace;
    expect(out.stanzas[0].seenBy).toEqual(["codec", "transport"]);
    expect(out.stanzas[0].seenAt).toEqual({ codec: 0, transport: 0.5 });
    const oh = out.health as unknown as Record<string, unknown>;
    expect(oh.decodeErrors).toEqual([
      { t: 2, tap: "transport", direction: "in", message: "bad tag near A@s.whatsapp.net" },
    ]);
    expect(oh.undecodableByReason).toEqual({ "frame from 192.0.2.1": 2 });
    expect(oh.commsEvidence).toEqual(["chat socket on the page"]);
    expect(oh.build).toBe("2.3000.1023456789");
    expect(exportJsonTrace(out).ok).toBe(true);
  });

  it("keeps deep-capture health with worker tap names, relative times and scrubbed texts", () => {
    const t = threeCalls();
    const t0 = t.stanzas[0].t;
    t.stanzas[0] = {
      ...t.stanzas[0],
      tap: "worker:transport",
      seenBy: ["worker:transport", "codec"],
      seenAt: { "worker:transport": t0, codec: t0 + 3 },
    };
    t.health = {
      ...t.health!,
      deepCapture: {
        state: "on",
        since: t0 - 1000,
        merged: 4,
        workers: [
          {
            name: "WAWebBackendWorker-1",
            path: "/worker/backend.js",
            installed: "start",
            t: t0 - 500,
            error: "could not install the taps for 15550002222@s.whatsapp.net",
            health: { taps: [], seenByTag: { call: 2 }, forwarded: 2, filtered: 0, errors: 0 },
          },
        ],
      },
    };
    const out = sanitizeTrace(t).trace;
    expect(out.stanzas[0]).toMatchObject({
      tap: "worker:transport",
      seenAt: { "worker:transport": 0, codec: 3 },
    });
    const w = out.health!.deepCapture!.workers[0];
    expect(out.health!.deepCapture).toMatchObject({ state: "on", since: -1000, merged: 4 });
    expect(w).toMatchObject({ name: "WAWebBackendWorker-1", path: "/worker/backend.js", t: -500 });
    expect(w.error).toBe("could not install the taps for A@s.whatsapp.net");
    expect(w.health?.forwarded).toBe(2);
    const r = exportJsonTrace(out);
    expect(r.ok).toBe(true);
    if (r.ok) expect(parseTrace(r.output.text).ok).toBe(true);
  });

  it("keeps pseudonym numbering stable for unknown attributes that name a party before its JID", () => {
    const s = new Session();
    s.add(
      "in",
      1,
      el("call", { from: "15557770000@s.whatsapp.net", id: "Z1", peer_hint: "15557770000" }, [
        el("offer", { "call-id": "Q1", "call-creator": "15557770000@s.whatsapp.net" }, [
          el("enc", {}, b(new Uint8Array(9))),
        ]),
      ]),
    );
    const out = sanitizeTrace(s.trace()).trace;
    expect(out.stanzas[0].node!.attrs.peer_hint).toBe("A");
  });
});
