/**
 * Telling wire sends from codec echoes. WhatsApp Web's VoIP engine (2026) re-encodes, with
 * `WAWap.encodeStanza`, stanzas the page RECEIVED: every inbound signalling `<call>`, the peer's
 * offer `<receipt>`, and the server's `<ack class="call">` of each `<call>` the page sent
 * (`WAWebVoipStackInterfaceWorkerProxy.handleIncomingSignaling*`, wa-web-2026.md §1). None of
 * those encodes goes on the wire, so a codec tap that calls every `encodeStanza` a sent stanza
 * invents phantom rows (a "sent" ack, a second offer).
 *
 * Two signs, either one enough:
 * - **received**: a stanza with the same tag, ack class and id was received before. A client
 *   never sends one: it answers an inbound `<call id=Y>` with `<ack id=Y>` and `<receipt id=Y>`
 *   (other tags), its own `<call>` ids are fresh (`WAWap.generateId`; wacrg SIG-07, SIG-17), and
 *   where it acks something that shares an id with an ack it received (the peer's receipt of its
 *   `<call id=X>` after the server's `<ack id=X class="call">`), the class differs
 *   (`class="receipt"`). The class is part of the key for that reason.
 * - **addressed from**: the node has a `from` attribute and no `to`. Stanzas a client sends are
 *   addressed with `to`; `from` is set by the server on what it delivers. This covers an echo
 *   whose original was not decoded yet (e.g. a frame still waiting for its token dictionary)
 *   and ack templates (`deprecatedSendStanzaAndReturnAck`'s `{id, class, from}`) that a page
 *   may encode to hand to its comms worker.
 *
 * Pure and bounded; used by the capture sink (`src/tap/capture.ts`).
 */

/** Why an `encodeStanza` call is not a wire send, or `undefined` when it is one. */
export type EchoSign = "received" | "addressed-from";

/** How many received (tag, id) pairs are remembered (oldest forgotten first). */
export const ECHO_MEMORY = 4096;

/** Remembers received stanzas and classifies encoded ones. */
export class EchoDetector {
  private readonly received = new Set<string>();

  /** @param max how many received stanzas to remember (default {@link ECHO_MEMORY}). */
  constructor(private readonly max = ECHO_MEMORY) {}

  /**
   * Records one received stanza (any tap). Stanzas without an id are not remembered.
   * @param ackClass the `class` attribute of an `<ack>` (undefined for other tags).
   */
  noteReceived(tag: string, id: string | undefined, ackClass?: string): void {
    if (id === undefined) return;
    const key = echoKey(tag, id, ackClass);
    if (this.received.has(key)) return;
    this.received.add(key);
    if (this.received.size > this.max) {
      const oldest = this.received.values().next().value as string;
      this.received.delete(oldest);
    }
  }

  /**
   * Classifies the node of one `encodeStanza` call.
   * @param ackClass the `class` attribute of an `<ack>`.
   * @param addressedFrom the node has `from` and no `to`.
   * @returns the sign that makes it an echo, or `undefined` for a send.
   */
  classify(
    tag: string,
    id: string | undefined,
    ackClass: string | undefined,
    addressedFrom: boolean,
  ): EchoSign | undefined {
    if (id !== undefined && this.received.has(echoKey(tag, id, ackClass))) return "received";
    if (addressedFrom) return "addressed-from";
    return undefined;
  }
}

function echoKey(tag: string, id: string, ackClass: string | undefined): string {
  return tag === "ack" ? `ack\u0000${ackClass ?? ""}\u0000${id}` : `${tag}\u0000${id}`;
}

/**
 * Whether a node (any node form with `attrs`) is addressed `from` and not `to`. Cheap: reads two
 * attributes, never copies.
 */
export function isAddressedFrom(node: unknown): boolean {
  const attrs = (node as { attrs?: Record<string, unknown> } | null)?.attrs;
  if (!attrs || typeof attrs !== "object") return false;
  return attrs.from !== undefined && attrs.from !== null && (attrs.to === undefined || attrs.to === null);
}
