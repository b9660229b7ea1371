/**
 * The tap's outgoing channel: queues messages and hands them over in a later task as one
 * JSON string. The delivery function is injected: in the page it dispatches a `CustomEvent`
 * on `document` whose `detail` is the string (primitives cross the MAIN/isolated world
 * boundary unchanged; objects do not), so none of WhatsApp's own `message` listeners ever see
 * our traffic; inside a worker (deep capture, later) it can be a `postMessage` or a CDP binding.
 */
import { TAP_SOURCE, type TapMessage } from "../shared/protocol/messages";

/** The DOM event name the tap dispatches on `document` and the relay listens to. */
export const TAP_EVENT = `${TAP_SOURCE}:batch`;

/** Delivers one batch: a JSON array of {@link TapMessage}s. Must not throw (errors are swallowed). */
export type Deliver = (batchJson: string) => void;

/** The page's delivery: a `CustomEvent` named {@link TAP_EVENT} on `document`. */
export function documentDeliver(doc: Document): Deliver {
  return (json) => {
    doc.dispatchEvent(new CustomEvent(TAP_EVENT, { detail: json }));
  };
}

/** Batches tap messages and flushes them from a timer task. */
export class Emitter {
  private queue: TapMessage[] = [];
  private scheduled = false;

  /**
   * @param deliver where batches go.
   * @param setTimer timer used for the flush (default `setTimeout`).
   */
  constructor(
    private readonly deliver: Deliver,
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
  ) {}

  /** Queues one message; the flush happens in a later task. */
  send(message: TapMessage): void {
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    this.setTimer(() => this.flush(), 0);
  }

  /** Delivers every queued message as one batch. */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.deliver(JSON.stringify(batch));
    } catch {
      // a relay error must never surface in the page
    }
  }
}
