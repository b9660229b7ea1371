/**
 * The panel's session state: an incremental {@link SessionIndex} plus health, settings and
 * counters, changed by background messages. Listeners are told at most once per animation
 * frame, so a burst of live stanzas costs one render, not one per stanza.
 * While paused, messages are held (in order) and applied on resume: nothing is lost.
 */
import type { NavigationMark, PanelMessage, SessionSettings } from "../shared/protocol/messages";
import { type CaptureHealth, emptyHealth } from "../shared/trace/types";
import { SessionIndex } from "../shared/view/sessionIndex";

/** A read-only snapshot of the panel's state for rendering. */
export interface PanelSnapshot {
  connected: boolean;
  index: SessionIndex;
  /** Changes whenever anything shown changes. */
  version: number;
  health: CaptureHealth;
  dropped: number;
  settings?: SessionSettings;
  marks: NavigationMark[];
  paused: boolean;
  /** Stanzas received while paused, not applied yet. */
  held: number;
  /** Backlog messages still expected after the first one. */
  loading: number;
  /** Why the session was last emptied. */
  lastClear?: "reload" | "user";
}

type Schedule = (fn: () => void) => void;

const defaultSchedule: Schedule =
  typeof requestAnimationFrame === "function"
    ? (fn) => {
        // rAF does not run in a hidden DevTools panel: fall back to a timer after 250 ms.
        let done = false;
        const run = () => {
          if (done) return;
          done = true;
          fn();
        };
        requestAnimationFrame(run);
        setTimeout(run, 250);
      }
    : (fn) => setTimeout(fn, 16);

/** The panel's state store. */
export class PanelStore {
  readonly index = new SessionIndex();
  private connected = false;
  private health: CaptureHealth = emptyHealth();
  private dropped = 0;
  private settings?: SessionSettings;
  private marks: NavigationMark[] = [];
  private paused = false;
  private held: PanelMessage[] = [];
  private heldStanzas = 0;
  private loading = 0;
  private lastClear?: "reload" | "user";
  /** Live messages that arrived while the backlog was still loading (applied after it). */
  private early: PanelMessage[] = [];
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private snap?: PanelSnapshot;

  /**
   * Called after a backlog part has been applied and painted, to ask for the next one
   * (flow control: the panel paints its first rows before the rest of a large session arrives).
   */
  onNeedMore?: () => void;

  /** @param schedule how notifications are deferred (per animation frame by default; tests pass a sync one). */
  constructor(private readonly schedule: Schedule = defaultSchedule) {}

  /** The current state. The same object is returned until something changes. */
  snapshot(): PanelSnapshot {
    if (!this.snap || this.snap.version !== this.version) {
      this.snap = {
        connected: this.connected,
        index: this.index,
        version: this.version,
        health: this.health,
        dropped: this.dropped,
        settings: this.settings,
        marks: this.marks,
        paused: this.paused,
        held: this.heldStanzas,
        loading: this.loading,
        lastClear: this.lastClear,
      };
    }
    return this.snap;
  }

  /** Registers a listener; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks the connection lost (the background went away; a reconnect brings a fresh backlog). */
  disconnected(): void {
    this.connected = false;
    this.changed();
  }

  /** Pauses or resumes; resuming applies every held message in order. */
  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (!paused) {
      const held = this.held;
      this.held = [];
      this.heldStanzas = 0;
      for (const m of held) this.apply(m);
    }
    this.changed();
  }

  /** Takes one background message. */
  receive(message: PanelMessage): void {
    const live = message.type === "stanza" || message.type === "stanzas";
    if (this.loading > 0 && live) {
      // Not yet: the rest of the backlog (older stanzas) comes first.
      this.early.push(message);
      return;
    }
    if (this.paused && message.type !== "settings") {
      this.held.push(message);
      if (message.type === "stanza") this.heldStanzas++;
      else if (message.type === "stanzas") this.heldStanzas += message.stanzas.length;
      this.changed();
      return;
    }
    this.apply(message);
    if (
      (message.type === "backlog" || message.type === "backlog-chunk") &&
      this.loading === 0 &&
      this.early.length
    ) {
      const early = this.early;
      this.early = [];
      for (const m of early) this.receive(m);
    }
    this.changed();
    if ((message.type === "backlog" || message.type === "backlog-chunk") && this.loading > 0)
      this.requestMore();
  }

  /** Asks for the next backlog part once the current state has been painted. */
  private requestMore(): void {
    const ask = () => this.onNeedMore?.();
    this.schedule(() => setTimeout(ask, 0));
  }

  private apply(message: PanelMessage): void {
    switch (message.type) {
      case "backlog":
        this.early = [];
        this.index.reset();
        this.index.add(message.stanzas);
        this.connected = true;
        this.health = message.health;
        this.dropped = message.dropped ?? 0;
        if (message.settings) this.settings = message.settings;
        this.marks = message.marks ?? [];
        this.loading = message.more ?? 0;
        break;
      case "backlog-chunk":
        this.index.add(message.stanzas);
        this.loading = message.more;
        break;
      case "stanza":
        this.index.add([message.stanza]);
        break;
      case "stanzas":
        this.index.add(message.stanzas);
        if (message.dropped !== undefined && message.dropped !== this.dropped) {
          this.dropped = message.dropped;
          this.trimToCap();
        }
        break;
      case "health":
        this.health = message.health;
        break;
      case "cleared":
        this.index.reset();
        if (message.reason === "reload") this.health = emptyHealth();
        this.dropped = 0;
        this.marks = [];
        this.lastClear = message.reason;
        break;
      case "settings":
        this.settings = message.settings;
        this.trimToCap();
        break;
      case "navigated":
        this.marks = [...this.marks, message.mark];
        break;
    }
  }

  /**
   * Keeps the panel's copy near the background's cap (the background drops the oldest too).
   * Trimming rebuilds the index, so it waits for 10% slack and then trims to the cap.
   */
  private trimToCap(): void {
    const cap = this.settings?.cap;
    const rows = this.index.rows;
    if (cap === undefined || rows.length <= cap + Math.max(100, cap / 10)) return;
    this.index.dropBelow(rows[rows.length - cap].seq);
  }

  private changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (const l of this.listeners) l();
    });
  }
}

/** A store whose notifications run synchronously (tests, benchmarks). */
export function syncStore(): PanelStore {
  return new PanelStore((fn) => fn());
}
