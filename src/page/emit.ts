/**
 * The tap's side of the page → relay channel: queues messages and hands them over in a
 * later task as one `CustomEvent` whose `detail` is a JSON string (primitives cross the
 * MAIN/isolated world boundary unchanged; objects do not). Only our event name carries
 * them, so none of WhatsApp's own `message` listeners ever see our traffic.
 */
import { TAP_SOURCE, type TapMessage } from "../shared/protocol/messages";

/** The DOM event name the tap dispatches on `document` and the relay listens to. */
export const TAP_EVENT = `${TAP_SOURCE}:batch`;

/** Batches tap messages and flushes them from a timer task. */
export class Emitter {
  private queue: TapMessage[] = [];
  private scheduled = false;

  /** Queues one message; the flush happens in a later task. */
  send(message: TapMessage): void {
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 0);
  }

  /** Dispatches every queued message as one event. */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      document.dispatchEvent(new CustomEvent(TAP_EVENT, { detail: JSON.stringify(batch) }));
    } catch {
      // a relay error must never surface in the page
    }
  }
}
