/**
 * The capture sink inside WhatsApp's page: takes every stanza a hook sees, counts it,
 * keeps only call-related ones (privacy filter), normalizes them and queues them for the
 * relay. Runs synchronously inside WhatsApp's call path, so it never awaits, never throws
 * (callers wrap it too) and defers all messaging to a later task.
 */
import { type CallIdMemory, classifyStanza } from "../shared/stanza/filter";
import { attrValueToString, isNormalizeError, normalizeNode } from "../shared/stanza/normalize";
import { toPortable } from "../shared/trace/portable";
import type { CapturedStanzaDraft, CaptureHealth, Direction, TapName } from "../shared/trace/types";

/** Where captured messages go (the emitter to the relay). */
export interface CaptureOutput {
  stanza(draft: CapturedStanzaDraft): void;
  health(health: CaptureHealth): void;
}

/** A monotonic epoch-ms clock with sub-millisecond precision. */
export type Clock = () => number;

/** The default clock: `performance.timeOrigin + performance.now()`. */
export const highResClock: Clock = () => performance.timeOrigin + performance.now();

function readFilterInput(node: unknown): {
  tag: string;
  ackClass?: string;
  id?: string;
  firstChildTag?: string;
} {
  const n = node as { tag?: unknown; attrs?: Record<string, unknown>; content?: unknown } | null;
  const tag = typeof n?.tag === "string" ? n.tag : "(unreadable)";
  const attrs = n?.attrs && typeof n.attrs === "object" ? n.attrs : undefined;
  const content = n?.content;
  const first = Array.isArray(content) ? (content[0] as { tag?: unknown } | undefined) : undefined;
  return {
    tag,
    ackClass: attrs ? attrValueToString(attrs.class) : undefined,
    id: attrs ? attrValueToString(attrs.id) : undefined,
    firstChildTag: typeof first?.tag === "string" ? first.tag : undefined,
  };
}

/** Capture state of one page: health counters, the call-id memory and the output. */
export class Capture {
  readonly health: CaptureHealth;
  private healthTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly output: CaptureOutput,
    private readonly memory: CallIdMemory,
    health: CaptureHealth,
    private readonly clock: Clock = highResClock,
  ) {
    this.health = health;
  }

  /**
   * Handles one stanza seen by a hook. Synchronous and exception-free.
   * @param node WhatsApp's node object (or any supported node form).
   * @param direction `in` for received, `out` for sent.
   * @param tap the hook that saw it.
   */
  onStanza(node: unknown, direction: Direction, tap: TapName): void {
    const t = this.clock();
    try {
      const input = readFilterInput(node);
      const h = this.health;
      h.seenByTag[input.tag] = (h.seenByTag[input.tag] ?? 0) + 1;
      this.markLive(tap);
      const verdict = classifyStanza(input, this.memory);
      if (verdict === "drop") {
        h.filtered++;
        this.scheduleHealth();
        return;
      }
      const normalized = normalizeNode(node);
      const draft: CapturedStanzaDraft = { direction, t, tap };
      if (isNormalizeError(normalized)) {
        h.errors++;
        draft.error = { message: normalized.message, offset: normalized.offset };
      } else {
        draft.node = toPortable(normalized);
      }
      h.forwarded++;
      this.output.stanza(draft);
      this.scheduleHealth();
    } catch (e) {
      this.reportError(e);
    }
  }

  /** Records an error inside the tap (shown as capture health, never thrown). */
  reportError(e: unknown): void {
    try {
      this.health.errors++;
      this.health.lastError = { message: String(e instanceof Error ? e.message : e), t: this.clock() };
      this.scheduleHealth();
    } catch {
      // nothing left to do safely
    }
  }

  /** Sets one tap's installed state and note. */
  setTap(name: TapName, installed: boolean, note?: string): void {
    const existing = this.health.taps.find((x) => x.name === name);
    if (existing) {
      existing.installed = installed;
      existing.note = note;
    } else {
      this.health.taps.push({ name, installed, live: false, note });
    }
    this.scheduleHealth();
  }

  private markLive(tap: TapName): void {
    const entry = this.health.taps.find((x) => x.name === tap);
    if (entry && !entry.live) entry.live = true;
  }

  /** Sends health at most every 500 ms, from a timer (never inside WhatsApp's path). */
  scheduleHealth(): void {
    if (this.healthTimer !== undefined) return;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = undefined;
      try {
        this.output.health(structuredClone(this.health));
      } catch {
        // the relay may be gone; nothing to do
      }
    }, 500);
  }
}
