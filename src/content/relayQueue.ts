/**
 * The relay's outbox: numbers every tap message, keeps it until the background acknowledges it
 * (`RelayAck`, sent once the message's effect is durable in IndexedDB), and sends everything
 * unacknowledged again on each new connection. A service worker that stops at any moment (idle
 * timeout, update, a crash, a test through CDP) therefore loses nothing the tap handed over; the
 * background skips the numbers it has already applied. No browser APIs: the port is injected.
 */
import type { RelayAck, RelayEnvelope, TapMessage } from "../shared/protocol/messages";

/** Most messages kept unacknowledged; beyond it the oldest are given up (counted in {@link RelayQueue.givenUp}). */
export const MAX_UNACKED = 20_000;

/** The part of a runtime port the queue uses. */
export interface RelayPortLike {
  postMessage(message: RelayEnvelope): void;
}

/** See the module comment. */
export class RelayQueue {
  private nextSeq = 1;
  private unacked: RelayEnvelope[] = [];
  /** Messages dropped because {@link MAX_UNACKED} was reached while the background was away. */
  givenUp = 0;

  /**
   * @param id this relay instance (random, one per page load).
   * @param max most messages kept unacknowledged.
   */
  constructor(
    readonly id: string,
    private readonly max = MAX_UNACKED,
  ) {}

  /** Messages sent or waiting, not yet acknowledged. */
  get pending(): number {
    return this.unacked.length;
  }

  /**
   * Numbers and keeps one message, and posts it on `port` when there is one.
   * @throws what `port.postMessage` throws (the port went away); the message stays queued.
   */
  send(message: TapMessage, port: RelayPortLike | undefined): void {
    const envelope: RelayEnvelope = { relay: this.id, seq: this.nextSeq++, message };
    this.unacked.push(envelope);
    if (this.unacked.length > this.max) {
      const excess = this.unacked.length - this.max;
      this.unacked.splice(0, excess);
      this.givenUp += excess;
    }
    port?.postMessage(envelope);
  }

  /**
   * Posts every unacknowledged message again, in order (after a reconnect).
   * @throws what `port.postMessage` throws.
   */
  resend(port: RelayPortLike): void {
    for (const e of this.unacked) port.postMessage(e);
  }

  /** Forgets every message up to `ack.seq`. */
  acknowledge(ack: RelayAck): void {
    let n = 0;
    while (n < this.unacked.length && this.unacked[n].seq <= ack.seq) n++;
    if (n > 0) this.unacked.splice(0, n);
  }
}
