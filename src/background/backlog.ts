/**
 * Backlog streaming: what a panel gets when it subscribes to a session (or when a new cap
 * dropped stanzas it had): one `backlog` message with the session's meta and its first
 * stanzas, then the rest in `backlog-chunk` messages of {@link BACKLOG_CHUNK} stanzas. A
 * flow-controlled subscriber gets each further chunk only when it asks ({@link Backlogs.next});
 * the others get them all at once. Pure TypeScript, no browser APIs.
 */
import type { PanelMessage } from "../shared/protocol/messages";
import type { CapturedStanza } from "../shared/trace/types";
import type { TabSession } from "./session";

/** A subscriber to one tab's session (a panel's port); it throws once the panel is gone. */
export type Subscriber = (message: PanelMessage) => void;

/** Stanzas per backlog message: larger sessions are sent in several messages. */
export const BACKLOG_CHUNK = 2_500;

/** Stanzas in the first backlog message, kept small so that a panel can paint its first rows early. */
export const BACKLOG_FIRST_CHUNK = 1_000;

/** A backlog being sent to one flow-controlled subscriber. */
interface BacklogCursor {
  stanzas: CapturedStanza[];
  next: number;
}

/** The backlogs being streamed to subscribers, and which subscribers asked for flow control. */
export class Backlogs {
  /** Backlogs not yet fully sent to flow-controlled subscribers. */
  private readonly cursors = new Map<Subscriber, BacklogCursor>();
  /** Subscribers that asked for flow control. */
  private readonly pullers = new WeakSet<Subscriber>();

  /** Marks `subscriber` as flow-controlled: after the first message, it asks for each chunk. */
  pull(subscriber: Subscriber): void {
    this.pullers.add(subscriber);
  }

  /** Stops streaming to `subscriber` (it unsubscribed). */
  stop(subscriber: Subscriber): void {
    this.cursors.delete(subscriber);
  }

  /**
   * Sends the backlog of session `s` of tab `tabId` to each of `to` (a backlog still being
   * streamed to one of them is replaced).
   * @returns the subscribers that threw (gone; the caller drops them).
   */
  send(tabId: number, s: TabSession, to: Iterable<Subscriber>): Subscriber[] {
    const failed: Subscriber[] = [];
    const first = Math.min(s.stanzas.length, BACKLOG_FIRST_CHUNK);
    const chunks = Math.ceil((s.stanzas.length - first) / BACKLOG_CHUNK);
    for (const sub of to) {
      this.cursors.delete(sub);
      try {
        sub({
          type: "backlog",
          tabId,
          stanzas: s.stanzas.slice(0, first),
          health: s.health,
          dropped: s.dropped,
          settings: s.settings,
          marks: s.marks?.slice(),
          more: chunks,
        });
        if (this.pullers.has(sub)) {
          if (chunks > 0) this.cursors.set(sub, { stanzas: s.stanzas.slice(), next: first });
          continue;
        }
        for (let i = 0; i < chunks; i++) {
          const from = first + i * BACKLOG_CHUNK;
          sub({
            type: "backlog-chunk",
            stanzas: s.stanzas.slice(from, from + BACKLOG_CHUNK),
            more: chunks - 1 - i,
          });
        }
      } catch {
        failed.push(sub);
      }
    }
    return failed;
  }

  /** Sends a flow-controlled subscriber the next chunk of its backlog, if any is left. */
  next(subscriber: Subscriber): void {
    const c = this.cursors.get(subscriber);
    if (!c) return;
    const stanzas = c.stanzas.slice(c.next, c.next + BACKLOG_CHUNK);
    c.next += stanzas.length;
    const more = Math.ceil((c.stanzas.length - c.next) / BACKLOG_CHUNK);
    if (more === 0) this.cursors.delete(subscriber);
    try {
      subscriber({ type: "backlog-chunk", stanzas, more });
    } catch {
      this.cursors.delete(subscriber);
    }
  }
}
