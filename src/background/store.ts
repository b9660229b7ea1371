/**
 * The per-tab session store of the background: numbers captured stanzas, keeps capture
 * health and the tab's settings (Preserve log, cap), and notifies subscribers (panels).
 * Pure TypeScript, no browser APIs, so it is tested in Node; persistence is injected.
 * The session record is session.ts; backlog streaming (backlog.ts) and the page/worker merge
 * of deep capture (pageWorkerMerge.ts) are modules of their own.
 *
 * Durability: tap messages of a tab are handled strictly in arrival order. Stanzas that
 * arrive while a write is in flight are grouped into the next write (group commit), and a
 * batch is shown to panels only once {@link SessionPersistence.commit} has resolved, so a
 * service worker stopped at any moment never loses a stanza a panel has already shown.
 * Modelled on React DevTools' per-tab routing
 * (facebook/react packages/react-devtools-extensions/src/background/tabsManager.js).
 */
import type { CaptureContext } from "../shared/capture/contexts";
import { withHints } from "../shared/capture/health";
import type { NavigationMark, PanelMessage, TapMessage } from "../shared/protocol/messages";
import type {
  CapturedStanza,
  CapturedStanzaDraft,
  CaptureHealth,
  DeepCaptureHealth,
} from "../shared/trace/types";
import { Backlogs, type Subscriber } from "./backlog";
import { type MergeOptions, PageWorkerMerges } from "./pageWorkerMerge";
import {
  clampCap,
  DEFAULT_CAP,
  defaultSettings,
  freshHealth,
  newSession,
  type RelayMark,
  type SessionChange,
  type SessionPersistence,
  type TabSession,
} from "./session";

// The session's type, for the e2e tests and scripts that read the mirrored session.
export type { TabSession } from "./session";

interface Batch {
  drafts: CapturedStanzaDraft[];
  /** The latest relay message whose stanzas this batch holds (or already applied before it). */
  mark?: RelayMark;
}

/** Options of {@link SessionStore}: the clock and timers of the page/worker merge. */
export type SessionStoreOptions = MergeOptions;

/** The background's sessions, one per inspected tab. */
export class SessionStore {
  private readonly sessions = new Map<number, TabSession>();
  private readonly loading = new Map<number, Promise<TabSession>>();
  private readonly subscribers = new Map<number, Set<Subscriber>>();
  /** Per-tab serial queue: every change of a tab runs after the previous one. */
  private readonly queues = new Map<number, Promise<unknown>>();
  /** The batch still collecting stanzas, per tab. */
  private readonly open = new Map<number, Batch>();
  /** Backlogs being streamed to subscribers. */
  private readonly backlogs = new Backlogs();

  /** The highest relay message accepted per tab (in this worker's lifetime). */
  private readonly accepted = new Map<number, RelayMark>();
  /** Called once a relay message's effect is durable: the relay may forget up to `mark.seq`. */
  onDurable?: (tabId: number, mark: RelayMark) => void;
  /** Page/worker merges of tabs with deep capture on. */
  private readonly merges: PageWorkerMerges;

  /**
   * @param persistence where sessions live across worker restarts.
   * @param defaultCap the cap of sessions that have no settings yet.
   */
  constructor(
    private readonly persistence: SessionPersistence,
    private defaultCap = DEFAULT_CAP,
    options: SessionStoreOptions = {},
  ) {
    this.merges = new PageWorkerMerges((tabId, drafts) => this.enqueue(tabId, drafts), options);
  }

  /** Changes the cap given to new sessions. */
  setDefaultCap(cap: number): void {
    this.defaultCap = clampCap(cap);
  }

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
          const session = this.sessions.get(tabId) ?? restored ?? newSession(tabId, this.defaultCap);
          session.settings ??= defaultSettings(this.defaultCap);
          session.marks ??= [];
          this.sessions.set(tabId, session);
          this.loading.delete(tabId);
          return session;
        });
      this.loading.set(tabId, pending);
    }
    return pending;
  }

  /**
   * Takes one message from the tab's relay (`page`) or from a worker tap of deep capture
   * (`worker`, health excluded: see {@link setDeepCapture}). Messages are applied in arrival
   * order; consecutive stanzas are stored as one batch. While deep capture is on, stanzas first
   * wait up to `mergeHoldMs` for their copy from the other context, so that a stanza seen by the
   * page and by the worker is stored once (shared/capture/contexts.ts).
   * @returns a promise that settles when this message's effect is durable (for a held stanza:
   *   when it was accepted).
   */
  receive(
    tabId: number,
    message: TapMessage,
    context: CaptureContext = "page",
    mark?: RelayMark,
  ): Promise<void> {
    if (mark) this.accepted.set(tabId, mark);
    if (message.type === "stanza") {
      if (this.merges.has(tabId) || context === "worker")
        return this.merges.offer(tabId, message.stanza, context, context === "page" ? mark?.seq : undefined);
      return this.enqueue(tabId, [message.stanza]);
    }
    if (context === "worker") return Promise.resolve();
    if (message.type === "hello") void this.merges.flush(tabId, true);
    this.open.delete(tabId);
    const opMark = this.accepted.get(tabId);
    if (message.type === "health")
      return this.run(tabId, () => this.applyHealth(tabId, message.health, opMark));
    if (message.type === "hello")
      return this.run(tabId, () => this.applyHello(tabId, message.url, message.t, opMark));
    return Promise.resolve();
  }

  /**
   * Whether relay message `seq` of relay `id` is new for the tab, i.e. neither applied in this
   * worker's lifetime nor durable from an earlier one. Call once the tab's session is loaded
   * ({@link get}); a relay sends unacknowledged messages again after every reconnect.
   */
  acceptRelayed(tabId: number, id: string, seq: number): boolean {
    const durable = this.sessions.get(tabId)?.relay;
    const seen = this.accepted.get(tabId);
    if (durable?.id === id && seq <= durable.seq) return false;
    if (seen?.id === id && seq <= seen.seq) return false;
    return true;
  }

  /** The tab's durable relay mark, when its session is loaded. */
  durableMark(tabId: number): RelayMark | undefined {
    return this.sessions.get(tabId)?.relay;
  }

  /**
   * Sets the tab's deep-capture state (from background/deepCapture.ts). While it is on or
   * switching on, the tab's stanzas go through the page/worker merge; when it goes off, held
   * stanzas are released at once.
   */
  setDeepCapture(tabId: number, deep: DeepCaptureHealth): Promise<void> {
    const on = deep.state === "on" || deep.state === "attaching";
    if (on) this.merges.start(tabId);
    else this.merges.stop(tabId);
    this.open.delete(tabId);
    return this.run(tabId, async () => {
      const s = await this.get(tabId);
      s.health = withHints({ ...s.health, deepCapture: this.merges.withCounts(tabId, deep) });
      await this.commit({ session: s, added: [] });
      this.publish(tabId, { type: "health", health: s.health });
    });
  }

  /** Appends drafts to the tab's open batch (group commit), in order. */
  private enqueue(tabId: number, drafts: CapturedStanzaDraft[]): Promise<void> {
    const mark = this.accepted.get(tabId);
    let batch = this.open.get(tabId);
    if (batch) {
      batch.drafts.push(...drafts);
      batch.mark = mark;
      return this.queues.get(tabId) as Promise<void>;
    }
    batch = { drafts: [...drafts], mark };
    this.open.set(tabId, batch);
    const b = batch;
    return this.run(tabId, async () => {
      if (this.open.get(tabId) === b) this.open.delete(tabId);
      await this.addBatch(tabId, b.drafts, b.mark);
    });
  }

  /**
   * Records in `s` (before its commit) that every relay message up to `mark` is applied,
   * except page stanzas still held by the page/worker merge (their relay numbers stay
   * unacknowledged, so a stopped worker gets them again).
   */
  private markApplied(s: TabSession, mark: RelayMark | undefined): void {
    if (!mark) return;
    const held = this.merges.heldFrom(s.tabId);
    const seq = held !== undefined ? Math.min(mark.seq, held - 1) : mark.seq;
    if (s.relay?.id === mark.id) s.relay = { id: mark.id, seq: Math.max(s.relay.seq, seq) };
    else s.relay = { id: mark.id, seq };
  }

  /** After a commit: tells the relay what is durable. */
  private durable(s: TabSession, mark: RelayMark | undefined): void {
    if (mark && s.relay) this.onDurable?.(s.tabId, s.relay);
  }

  /** Appends one captured stanza (a batch of one); resolves with it once stored. */
  async addStanza(tabId: number, draft: CapturedStanzaDraft): Promise<CapturedStanza> {
    this.open.delete(tabId);
    let out: CapturedStanza | undefined;
    await this.run(tabId, async () => {
      out = (await this.addBatch(tabId, [draft]))[0];
    });
    return out as CapturedStanza;
  }

  /** Starts a new session for the tab (page reload without Preserve log, or user clear). */
  clear(tabId: number, reason: "reload" | "user"): Promise<void> {
    this.open.delete(tabId);
    return this.run(tabId, () => this.applyClear(tabId, reason));
  }

  /** Sets the tab's Preserve log switch. */
  setPreserveLog(tabId: number, preserveLog: boolean): Promise<void> {
    this.open.delete(tabId);
    return this.run(tabId, async () => {
      const s = await this.get(tabId);
      s.settings = { ...(s.settings ?? defaultSettings(this.defaultCap)), preserveLog };
      await this.commit({ session: s, added: [] });
      this.publish(tabId, { type: "settings", settings: s.settings });
    });
  }

  /** Sets the tab's cap; stanzas beyond it are dropped (and counted) at once. */
  setCap(tabId: number, cap: number): Promise<void> {
    this.open.delete(tabId);
    return this.run(tabId, async () => {
      const s = await this.get(tabId);
      s.settings = { ...(s.settings ?? defaultSettings(this.defaultCap)), cap: clampCap(cap) };
      const evictBelow = this.enforceCap(s);
      await this.commit({ session: s, added: [], evictBelow });
      this.publish(tabId, { type: "settings", settings: s.settings });
      if (evictBelow !== undefined) this.sendBacklog(tabId, s, this.subscribers.get(tabId));
    });
  }

  /** Forgets a closed tab. */
  forget(tabId: number): void {
    this.sessions.delete(tabId);
    this.accepted.delete(tabId);
    this.open.delete(tabId);
    this.persistence.remove(tabId);
  }

  /** Resolves once every change queued so far for `tabId` is durable. */
  async settled(tabId: number): Promise<void> {
    await this.queues.get(tabId);
  }

  /**
   * Subscribes to a tab: the subscriber first gets the backlog (in chunks for large
   * sessions), then live messages.
   * @param pull flow control: only the first chunk is sent now, each further one on
   *   {@link nextBacklog} (live messages are sent meanwhile; the panel holds them).
   * @returns the unsubscribe function.
   */
  async subscribe(tabId: number, subscriber: Subscriber, pull = false): Promise<() => void> {
    let set = this.subscribers.get(tabId);
    if (!set) {
      set = new Set();
      this.subscribers.set(tabId, set);
    }
    const s = await this.get(tabId);
    if (pull) this.backlogs.pull(subscriber);
    this.sendBacklog(tabId, s, [subscriber]);
    set.add(subscriber);
    return () => {
      set?.delete(subscriber);
      this.backlogs.stop(subscriber);
    };
  }

  /** Sends a flow-controlled subscriber the next chunk of its backlog, if any is left. */
  nextBacklog(subscriber: Subscriber): void {
    this.backlogs.next(subscriber);
  }

  /** Sends the backlog to `to`; a subscriber that throws is dropped from the tab. */
  private sendBacklog(tabId: number, s: TabSession, to: Iterable<Subscriber> | undefined): void {
    if (!to) return;
    for (const gone of this.backlogs.send(tabId, s, to)) this.subscribers.get(tabId)?.delete(gone);
  }

  private run(tabId: number, op: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(tabId) ?? Promise.resolve();
    const next = prev.then(op).catch(() => undefined);
    this.queues.set(tabId, next);
    return next;
  }

  private async commit(change: SessionChange): Promise<void> {
    try {
      await this.persistence.commit(change);
    } catch {
      // Storage refused the write (quota): the session stays in memory and on screen.
    }
  }

  private enforceCap(s: TabSession): number | undefined {
    const cap = s.settings?.cap ?? this.defaultCap;
    if (s.stanzas.length <= cap) return undefined;
    const excess = s.stanzas.length - cap;
    s.stanzas.splice(0, excess);
    s.dropped += excess;
    return s.stanzas[0]?.seq ?? s.nextSeq;
  }

  private async addBatch(
    tabId: number,
    drafts: CapturedStanzaDraft[],
    mark?: RelayMark,
  ): Promise<CapturedStanza[]> {
    const s = await this.get(tabId);
    this.markApplied(s, mark);
    const added = drafts.map((d) => ({ ...d, seq: s.nextSeq++ }) as CapturedStanza);
    for (const st of added) s.stanzas.push(st);
    const evictBelow = this.enforceCap(s);
    // Only what is still kept is written (a batch larger than the cap keeps its tail).
    const kept = evictBelow === undefined ? added : added.filter((x) => x.seq >= evictBelow);
    await this.commit({ session: s, added: kept, evictBelow });
    this.durable(s, mark);
    this.publish(tabId, { type: "stanzas", stanzas: kept, dropped: s.dropped });
    return added;
  }

  private async applyHealth(tabId: number, health: CaptureHealth, mark?: RelayMark): Promise<void> {
    const s = await this.get(tabId);
    this.markApplied(s, mark);
    // The page's health, with the deep-capture state the background keeps beside it.
    s.health = withHints({ ...health, deepCapture: this.merges.withCounts(tabId, s.health.deepCapture) });
    await this.commit({ session: s, added: [] });
    this.durable(s, mark);
    this.publish(tabId, { type: "health", health: s.health });
  }

  private async applyHello(tabId: number, url: string, t: number, relayMark?: RelayMark): Promise<void> {
    const s = await this.get(tabId);
    if (!s.settings?.preserveLog) return this.applyClear(tabId, "reload", relayMark);
    const mark: NavigationMark = { seq: s.nextSeq, t, url };
    s.marks = [...(s.marks ?? []), mark];
    s.health = freshHealth(s.health);
    this.markApplied(s, relayMark);
    await this.commit({ session: s, added: [] });
    this.durable(s, relayMark);
    this.publish(tabId, { type: "navigated", mark });
    this.publish(tabId, { type: "health", health: s.health });
  }

  private async applyClear(tabId: number, reason: "reload" | "user", mark?: RelayMark): Promise<void> {
    const s = await this.get(tabId);
    s.stanzas = [];
    // A user clear keeps the tap's health (the tap is still there); a reload starts afresh.
    if (reason === "reload") s.health = freshHealth(s.health);
    s.dropped = 0;
    s.marks = [];
    this.markApplied(s, mark);
    await this.commit({ session: s, added: [], reset: true });
    this.durable(s, mark);
    this.publish(tabId, { type: "cleared", reason });
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
