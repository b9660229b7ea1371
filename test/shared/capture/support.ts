/**
 * Shared fixtures for the capture tests (not a test file itself): call and non-call stanzas
 * as plain nodes, and a permuted token table set standing in for a future dictionary.
 */
import type { WANode } from "../../../src/shared/codec/node";
import { DEFAULT_TABLES, type TokenTables } from "../../../src/shared/codec/tokens";
import { type CaptureHealth, emptyHealth, type WorkerCaptureHealth } from "../../../src/shared/trace/types";

/**
 * A comms worker tapped by deep capture from its start, with one live transport tap and the
 * given health counters.
 */
export function tappedWorker(
  counts: Partial<CaptureHealth> = {},
): WorkerCaptureHealth & { health: CaptureHealth } {
  return {
    name: "WAWebBackendWorker-1",
    path: "/worker/backend.js",
    installed: "start",
    t: 1,
    health: { ...emptyHealth(), taps: [{ name: "transport", installed: true, live: true }], ...counts },
  };
}

/** An outbound offer `<call>` with binary content. */
export const OFFER: WANode = {
  tag: "call",
  attrs: { to: "15550002222@s.whatsapp.net", id: "123.456-7" },
  content: [
    {
      tag: "offer",
      attrs: {
        "call-id": "0123456789ABCDEF0123456789ABCDEF",
        "call-creator": "15550001111:12@s.whatsapp.net",
      },
      content: [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
        { tag: "enc", attrs: { v: "2", type: "pkmsg" }, content: new Uint8Array([1, 2, 3, 4, 5]) },
      ],
    },
  ],
};

/** The server's `<ack class="call">` answering {@link OFFER}. */
export const CALL_ACK: WANode = {
  tag: "ack",
  attrs: { id: "123.456-7", class: "call", type: "offer", from: "15550002222@s.whatsapp.net" },
};

/** A chat message (must never leave the page). */
export const MESSAGE: WANode = {
  tag: "message",
  attrs: { id: "3EB0AABBCCDDEEFF001122", to: "15550002222@s.whatsapp.net", type: "text" },
  content: [{ tag: "enc", attrs: { v: "2", type: "msg" }, content: new Uint8Array(64).fill(7) }],
};

/** A presence stanza (no id). */
export const PRESENCE: WANode = { tag: "presence", attrs: { type: "available", name: "Sim" } };

/**
 * Dictionary tables with the same tokens in other slots (rotated), version 4: decoding v4
 * bytes with v3 tables misreads every token.
 */
export function permutedTables(version = 4): TokenTables {
  const single = ["", ...DEFAULT_TABLES.single.slice(2, 236), DEFAULT_TABLES.single[1]];
  const double = DEFAULT_TABLES.double.map((d) => [...d.slice(7), ...d.slice(0, 7)]);
  return { version, single, double };
}
