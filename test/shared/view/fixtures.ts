/** Synthetic call sessions for the view tests. */
import type { CapturedStanza, PortableNode } from "../../../src/shared/trace/types";

export const ME = "15550001111:12@s.whatsapp.net";
export const PEER = "15550002222@s.whatsapp.net";
export const PEER7 = "15550002222:7@s.whatsapp.net";

let seq = 0;
/** Resets the sequence counter. */
export function resetSeq(): void {
  seq = 0;
}

function call(
  id: string,
  attrs: Record<string, string>,
  action: string,
  a: Record<string, string>,
  kids?: PortableNode[],
): PortableNode {
  return { tag: "call", attrs: { id, ...attrs }, content: [{ tag: action, attrs: a, content: kids }] };
}

/** One stanza. */
export function st(direction: "in" | "out", t: number, node: PortableNode): CapturedStanza {
  return { seq: seq++, direction, t, tap: "comms-config", node };
}

/** An outgoing call that rings out (timeout), with server acks and two device receipts. */
export function outgoingMissed(callId: string, t0: number, prefix = callId): CapturedStanza[] {
  const ca = { "call-id": callId, "call-creator": ME };
  return [
    st(
      "out",
      t0,
      call(`${prefix}-1`, { to: PEER }, "offer", ca, [
        { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
      ]),
    ),
    st("in", t0 + 100, {
      tag: "ack",
      attrs: { class: "call", id: `${prefix}-1`, type: "offer", from: PEER },
    }),
    st("in", t0 + 120, {
      tag: "receipt",
      attrs: { id: `${prefix}-1`, from: PEER },
      content: [{ tag: "offer", attrs: ca }],
    }),
    st("in", t0 + 121, {
      tag: "receipt",
      attrs: { id: `${prefix}-1`, from: PEER7 },
      content: [{ tag: "offer", attrs: ca }],
    }),
    st("out", t0 + 1500, call(`${prefix}-2`, { to: PEER }, "terminate", { ...ca, reason: "timeout" })),
    st("in", t0 + 1600, {
      tag: "ack",
      attrs: { class: "call", id: `${prefix}-2`, type: "terminate", from: PEER },
    }),
  ];
}

/** An incoming answered call. */
export function incomingAnswered(callId: string, t0: number, prefix = callId): CapturedStanza[] {
  const ca = { "call-id": callId, "call-creator": PEER };
  return [
    st("in", t0, call(`${prefix}-1`, { from: PEER }, "offer", ca, [{ tag: "video", attrs: {} }])),
    st("out", t0 + 2, { tag: "ack", attrs: { class: "call", id: `${prefix}-1`, to: PEER } }),
    st("out", t0 + 3, {
      tag: "receipt",
      attrs: { id: `${prefix}-1`, to: PEER },
      content: [{ tag: "offer", attrs: ca }],
    }),
    st("out", t0 + 30, call(`${prefix}-2`, { to: PEER }, "preaccept", ca)),
    st("out", t0 + 400, call(`${prefix}-3`, { to: PEER }, "accept", ca)),
    st("in", t0 + 480, { tag: "ack", attrs: { class: "call", id: `${prefix}-3`, type: "accept" } }),
    st("in", t0 + 2000, call(`${prefix}-4`, { from: PEER }, "terminate", ca)),
    st("out", t0 + 2001, { tag: "ack", attrs: { class: "call", id: `${prefix}-4`, to: PEER } }),
  ];
}
