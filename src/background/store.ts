/**
 * The per-tab session store of the background: numbers captured stanzas, keeps capture
 * health, and notifies subscribers (panels). Pure TypeScript, no browser APIs, so it is
 * tested in Node; persistence is injected.
 * Modelled on React DevTools' per-tab routing
 * (facebook/react packages/react-devtools-extensions/src/background/tabsManager.js).
 */
import type { PanelMessage } from "../shared/protocol/messages";
import {
  type CapturedStanza,
  type CapturedStanzaDraft,
  type CaptureHealth,
  emptyHealth,
} from "../shared/trace/types";

/** One tab's capture session. */
export interface TabSession {
  tabId: number;
  stanzas: CapturedStanza[];
  health: CaptureHealth;
  nextSeq: number;
  /** Stanzas removed by the cap (never silently: the panel shows the count). */
  dropped: number;
}

/** Loads and saves sessions (chrome.storage.session in the extension, a Map in tests). */
export interface SessionPersistence {
  load(tabId: number): Promise<TabSession | undefined>;
  save(session: TabSession): void;
  remove(tabId: number): void;
}

/** A subscriber to one tab's session. */
export type Subscriber = (message: PanelMessage) => void;

/** Default cap of stanzas kept per tab. */
export const DEFAULT_CAP = 50_000;

/** The background's sessions, one per inspected tab. */
export class SessionStore {
  private readonly sessions = new Map<number, TabSession>();
  private readonly loading = new Map<number, Promise<TabSession>>();
  private readonly subscribers = new Map<number, Set<Subscriber>>();

  constructor(
    private readonly persistence: SessionPersistence,
    private readonly cap = DEFAULT_CAP,
  ) {}

  /** The session of `tabId`, restored from persistence after a worker restart. */
  get(tabId: number): Promise<TabSession> {
    const live = this.sessions.get(tabId);
    if (live) return Promise.resolve(live);
    let pending = this.loading.get(tabId);
    if (!pending) {
      pending = this.persistence
        .load(tabId)
        .catch(() => undefined)
        .then((restored) => {
          const session = this.sessions.get(tabId) ?? restored ?? newSession(tabId);
          this.sessions.set(tabId, session);
          this.loading.delete(tabId);
          return session;
        });
      this.loading.set(tabId, pending);
    }
    return pending;
  }

  /** Appends a captured stanza, numbers it, and tells the tab's panels. */
  async addStanza(tabId: number, draft: CapturedStanzaDraft): Promise<CapturedStanza> {
    const s = await this.get(tabId);
    const stanza: CapturedStanza = { ...draft, seq: s.nextSeq++ };
    s.stanzas.push(stanza);
    if (s.stanzas.length > this.cap) {
      const excess = s.stanzas.length - this.cap;
      s.stanzas.splice(0, excess);
      s.dropped += excess;
    }
    this.persistence.save(s);
    this.publish(tabId, { type: "stanza", stanza });
    return stanza;
  }

  /** Replaces the tab's capture health. */
  async setHealth(tabId: number, health: CaptureHealth): Promise<void> {
    const s = await this.get(tabId);
    s.health = health;
    this.persistence.save(s);
    this.publish(tabId, { type: "health", health });
  }

  /** Starts a new session for the tab (page reload or user clear). */
  async clear(tabId: number, reason: "reload" | "user"): Promise<void> {
    const s = await this.get(tabId);
    s.stanzas = [];
    s.health = emptyHealth();
    s.dropped = 0;
    this.persistence.save(s);
    this.publish(tabId, { type: "cleared", reason });
  }

  /** Forgets a closed tab. */
  forget(tabId: number): void {
    this.sessions.delete(tabId);
    this.persistence.remove(tabId);
  }

  /**
   * Subscribes to a tab: the subscriber first gets the backlog, then live messages.
   * @returns the unsubscribe function.
   */
  async subscribe(tabId: number, subscriber: Subscriber): Promise<() => void> {
    let set = this.subscribers.get(tabId);
    if (!set) {
      set = new Set();
      this.subscribers.set(tabId, set);
    }
    const s = await this.get(tabId);
    subscriber({ type: "backlog", tabId, stanzas: s.stanzas.slice(), health: s.health });
    set.add(subscriber);
    return () => set?.delete(subscriber);
  }

  private publish(tabId: number, message: PanelMessage): void {
    const set = this.subscribers.get(tabId);
    if (!set) return;
    for (const sub of set) {
      try {
        sub(message);
      } catch {
        set.delete(sub);
      }
    }
  }
}

function newSession(tabId: number): TabSession {
  return { tabId, stanzas: [], health: emptyHealth(), nextSeq: 0, dropped: 0 };
}
