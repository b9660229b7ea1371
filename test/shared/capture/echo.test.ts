import { describe, expect, it } from "vitest";
import { EchoDetector, isAddressedFrom } from "../../../src/shared/capture/echo";
import { DEFAULT_TABLES, encodeFrame } from "../../../src/shared/codec/index";
import type { WANode } from "../../../src/shared/codec/node";
import { recordingCapture } from "../../tap/support";
import { CALL_ACK, OFFER } from "./support";

/** The peer's offer receipt for OFFER (received), as the VoIP engine re-encodes it. */
const OFFER_RECEIPT: WANode = {
  tag: "receipt",
  attrs: { id: "123.456-7", from: "15550002222@s.whatsapp.net" },
  content: [{ tag: "offer", attrs: { "call-id": "0123456789ABCDEF0123456789ABCDEF" } }],
};

/** An inbound offer from the peer. */
const INBOUND_OFFER: WANode = {
  tag: "call",
  attrs: { from: "15550002222@s.whatsapp.net", id: "999.1-2" },
  content: [{ tag: "offer", attrs: { "call-id": "FEDCBA9876543210FEDCBA9876543210" } }],
};

/** This device's ack of INBOUND_OFFER: a real send (same id, other tag). */
const OUR_ACK: WANode = {
  tag: "ack",
  attrs: { id: "999.1-2", class: "call", to: "15550002222@s.whatsapp.net" },
};

describe("EchoDetector", () => {
  it("calls an encode of a received tag+id an echo, and a send with a fresh id a send", () => {
    const d = new EchoDetector();
    d.noteReceived("ack", "A1", "call");
    expect(d.classify("ack", "A1", "call", false)).toBe("received");
    expect(d.classify("receipt", "A1", undefined, false)).toBeUndefined();
    expect(d.classify("ack", "A2", "call", false)).toBeUndefined();
    expect(d.classify("ack", "A2", "call", true)).toBe("addressed-from");
    // This device's ack of the peer's receipt of its call X shares the id of the server's ack of X.
    expect(d.classify("ack", "A1", "receipt", false)).toBeUndefined();
  });

  it("forgets the oldest received stanza past its bound", () => {
    const d = new EchoDetector(2);
    d.noteReceived("call", "1");
    d.noteReceived("call", "2");
    d.noteReceived("call", "3");
    expect(d.classify("call", "1", undefined, false)).toBeUndefined();
    expect(d.classify("call", "3", undefined, false)).toBe("received");
  });

  it("reads from/to without copying", () => {
    expect(isAddressedFrom(CALL_ACK)).toBe(true);
    expect(isAddressedFrom(OFFER)).toBe(false);
    expect(isAddressedFrom({ tag: "ack", attrs: { from: "a@s.whatsapp.net", to: "b@s.whatsapp.net" } })).toBe(
      false,
    );
    expect(isAddressedFrom(null)).toBe(false);
  });
});

describe("capture: the VoIP engine's codec echo (wa-web-2026.md §1)", () => {
  it("never shows an echoed ack, receipt or inbound call as sent, and counts each echo", () => {
    const { capture, stanzas } = recordingCapture();
    capture.dictionary.setPageTables(DEFAULT_TABLES);
    // The page sends OFFER; the server's ack and the peer's receipt arrive and are decoded...
    capture.observeNode(OFFER, "out", "codec", 10);
    capture.observeFrame(encodeFrame(CALL_ACK), "in", "codec", 160, { kind: "codec" });
    // ...and the engine re-encodes the ack it was handed (not wire traffic).
    capture.observeNode(CALL_ACK, "out", "codec", 161);
    capture.observeFrame(encodeFrame(OFFER_RECEIPT), "in", "codec", 170, { kind: "codec" });
    capture.observeNode(OFFER_RECEIPT, "out", "codec", 171);
    // An inbound offer, its echo, and this device's real ack of it.
    capture.observeFrame(encodeFrame(INBOUND_OFFER), "in", "codec", 200, { kind: "codec" });
    capture.observeNode(INBOUND_OFFER, "out", "codec", 201);
    capture.observeNode(OUR_ACK, "out", "codec", 202);
    capture.pump(true);
    expect(stanzas.map((s) => `${s.direction} ${s.node?.tag} ${s.node?.attrs.id}`)).toEqual([
      "out call 123.456-7",
      "in ack 123.456-7",
      "in receipt 123.456-7",
      "in call 999.1-2",
      "out ack 999.1-2",
    ]);
    const h = capture.snapshot();
    expect(h.codecEchoes).toEqual({ ack: 1, receipt: 1, call: 1 });
    expect(h.seenByTap?.codec).toEqual({ call: 2, ack: 2, receipt: 1 });
    expect(h.codecOnly).toBe(5);
  });

  it("calls an encode addressed from the peer an echo even before anything with its id was received", () => {
    const { capture, stanzas } = recordingCapture();
    capture.dictionary.setPageTables(DEFAULT_TABLES);
    // An ack template `{id, class, from}` encoded before the ack itself arrives.
    capture.observeNode(CALL_ACK, "out", "codec", 100);
    capture.observeFrame(encodeFrame(CALL_ACK), "in", "codec", 160, { kind: "codec" });
    capture.pump(true);
    expect(stanzas.map((s) => `${s.direction} ${s.node?.tag}`)).toEqual(["in ack"]);
    expect(capture.snapshot().codecEchoes).toEqual({ ack: 1 });
  });

  it("keeps comms-config and transport sends as they are (only codec encodes can be echoes)", () => {
    const { capture, stanzas } = recordingCapture();
    capture.dictionary.setPageTables(DEFAULT_TABLES);
    capture.observeFrame(encodeFrame(CALL_ACK), "in", "transport", 1, { kind: "socket", dictVersion: 3 });
    capture.observeNode(CALL_ACK, "out", "comms-config", 2);
    capture.pump(true);
    expect(stanzas.map((s) => s.direction)).toEqual(["in", "out"]);
    expect(capture.snapshot().codecEchoes).toBeUndefined();
  });
});
