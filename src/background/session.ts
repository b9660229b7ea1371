/**
 * A tab's capture session as the background keeps it: the record, its defaults (settings, cap,
 * a page load's fresh health), and the contract of the storage it is written to. Pure
 * TypeScript; the IndexedDB storage is idb.ts, the in-memory one {@link memoryPersistence}.
 */
import { withHints } from "../shared/capture/health";
import type { NavigationMark, SessionSettings } from "../shared/protocol/messages";
import { type CapturedStanza, type CaptureHealth, emptyHealth } from "../shared/trace/types";

/** One tab's capture session. */
export interface TabSession {
  tabId: number;
  stanzas: CapturedStanza[];
  health: CaptureHealth;
  nextSeq: number;
  /** Stanzas removed by the cap (never silently: the panel shows the count). */
  dropped: number;
  /** Preserve log and cap (absent in sessions stored by older versions). */
  settings?: SessionSettings;
  /** Page loads kept by Preserve log. */
  marks?: NavigationMark[];
  /** The relay message up to which every message's effect is durable (relay acks; see relayQueue.ts). */
  relay?: RelayMark;
}

/** A relay message number: `seq` of relay instance `id` (`RelayEnvelope`). */
export interface RelayMark {
  id: string;
  seq: number;
}

/** One write of a session: what changed since the last one. */
export interface SessionChange {
  /** The session after the change (its meta fields are written as they are). */
  session: TabSession;
  /** Stanzas appended by this change, in `seq` order. */
  added: CapturedStanza[];
  /** Every stanza with `seq` below this was dropped by the cap (delete them). */
  evictBelow?: number;
  /** The session was cleared: delete every stored stanza of the tab first. */
  reset?: boolean;
}

/** Loads and saves sessions (IndexedDB in the extension, a Map in tests). */
export interface SessionPersistence {
  load(tabId: number): Promise<TabSession | undefined>;
  /** Writes one change; resolves once it is durable (survives a worker stop). */
  commit(change: SessionChange): Promise<void>;
  remove(tabId: number): void;
}

/** Default cap of stanzas kept per tab. */
export const DEFAULT_CAP = 50_000;

/** Smallest and largest cap a user may set. */
export const CAP_RANGE = { min: 100, max: 500_000 } as const;

/** The settings of a new session. */
export function defaultSettings(cap = DEFAULT_CAP): SessionSettings {
  return { preserveLog: false, cap };
}

/** Clamps a requested cap into {@link CAP_RANGE}; a non-finite one gives {@link DEFAULT_CAP}. */
export function clampCap(cap: number): number {
  if (!Number.isFinite(cap)) return DEFAULT_CAP;
  return Math.min(CAP_RANGE.max, Math.max(CAP_RANGE.min, Math.round(cap)));
}

/** An empty session for `tabId` whose settings carry `cap`. */
export function newSession(tabId: number, cap: number): TabSession {
  return {
    tabId,
    stanzas: [],
    health: emptyHealth(),
    nextSeq: 0,
    dropped: 0,
    settings: defaultSettings(cap),
    marks: [],
  };
}

/** The health of a new page load: empty, but deep capture stays as it was (it spans reloads). */
export function freshHealth(previous: CaptureHealth): CaptureHealth {
  const deep = previous.deepCapture;
  return deep ? withHints({ ...emptyHealth(), deepCapture: deep }) : emptyHealth();
}

/**
 * An in-memory {@link SessionPersistence} that applies changes the way the IndexedDB one
 * does (for tests and for environments without IndexedDB).
 */
export function memoryPersistence(): SessionPersistence & { data: Map<number, TabSession> } {
  const data = new Map<number, TabSession>();
  return {
    data,
    async load(tabId) {
      const s = data.get(tabId);
      return s ? structuredClone(s) : undefined;
    },
    async commit({ session, added, evictBelow, reset }) {
      const prev = data.get(session.tabId);
      let stanzas = reset || !prev ? [] : prev.stanzas;
      if (evictBelow !== undefined) stanzas = stanzas.filter((x) => x.seq >= evictBelow);
      stanzas = [...stanzas, ...structuredClone(added)];
      const { stanzas: _ignored, ...meta } = session;
      data.set(session.tabId, { ...structuredClone(meta), stanzas });
    },
    remove(tabId) {
      data.delete(tabId);
    },
  };
}
