/**
 * The session mirror: a bounded copy of each session in `chrome.storage.session` under
 * `session:<tabId>`, for tools and tests that read it (e2e/harness.ts, scripts/wa-build). The
 * sessions themselves live in IndexedDB (idb.ts); the mirror wraps that persistence and is
 * refreshed after each durable write, at most every {@link MIRROR_DELAY_MS}.
 */
import type { SessionPersistence, TabSession } from "./session";

/** How often the `chrome.storage.session` mirror is refreshed at most, ms. */
const MIRROR_DELAY_MS = 500;
/**
 * The mirror keeps at most this many (most recent) stanzas; IndexedDB keeps them all. Small on
 * purpose: each refresh serialises the copy on the worker's thread (2,000 stanzas cost ~60 ms
 * per refresh in bench:panel's live phase, 500 about a quarter of that).
 */
const MIRROR_MAX_STANZAS = 500;

/** The mirror's key of a tab's session. */
const mirrorKey = (tabId: number): string => `session:${tabId}`;

/** Where the mirror is written (`chrome.storage.session` in the extension). Errors are ignored. */
export interface MirrorArea {
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * `inner` with the session mirror: every committed session is copied to `area` (its last
 * {@link MIRROR_MAX_STANZAS} stanzas, with `mirrorTruncated` set when older ones were left out),
 * and a removed tab's copy is removed.
 */
export function withMirror(inner: SessionPersistence, area: MirrorArea): SessionPersistence {
  const pending = new Map<number, TabSession>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const mirror = (session: TabSession): void => {
    pending.set(session.tabId, session);
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      const items: Record<string, unknown> = {};
      for (const [tabId, s] of pending) {
        const truncated = s.stanzas.length > MIRROR_MAX_STANZAS;
        items[mirrorKey(tabId)] = {
          ...s,
          stanzas: truncated ? s.stanzas.slice(-MIRROR_MAX_STANZAS) : s.stanzas,
          mirrorTruncated: truncated,
        };
      }
      pending.clear();
      area.set(items).catch(() => undefined);
    }, MIRROR_DELAY_MS);
  };

  return {
    load: (tabId) => inner.load(tabId),
    async commit(change) {
      await inner.commit(change);
      mirror(change.session);
    },
    remove(tabId) {
      inner.remove(tabId);
      pending.delete(tabId);
      area.remove(mirrorKey(tabId)).catch(() => undefined);
    },
  };
}
