/**
 * Session persistence in IndexedDB: one record per stanza (key `[tabId, seq]`) and one
 * meta record per tab, each change written in one transaction, so a write costs what the
 * batch holds, not what the session holds, and sessions of 100,000+ stanzas fit (unlike
 * `chrome.storage.session`, which is limited to 10 MB).
 * IndexedDB outlives the browser session while tab ids do not, so the database is wiped
 * when a new browser session starts (detected by a marker in `chrome.storage.session`,
 * which the browser empties on restart).
 */
import type { SessionChange, SessionPersistence, TabSession } from "./session";

const DB_NAME = "wa-call-inspector";
const DB_VERSION = 1;
const STANZAS = "stanzas";
const META = "meta";
/** Key in `chrome.storage.session` that marks "this browser session already wiped the DB". */
const EPOCH_KEY = "idb-epoch";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

function tabRange(tabId: number, below?: number): IDBKeyRange {
  return below === undefined
    ? IDBKeyRange.bound([tabId, -Infinity], [tabId, Infinity])
    : IDBKeyRange.bound([tabId, -Infinity], [tabId, below], false, true);
}

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB_NAME, DB_VERSION);
  r.onupgradeneeded = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains(STANZAS)) db.createObjectStore(STANZAS);
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
  };
  return request(r);
}

/** Storage for the browser-session marker (`chrome.storage.session` in the extension). */
export interface EpochStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/**
 * IndexedDB-backed {@link SessionPersistence}.
 * @param epoch where to keep the "already wiped in this browser session" marker.
 */
export function idbPersistence(epoch: EpochStore): SessionPersistence {
  const ready: Promise<IDBDatabase> = (async () => {
    const db = await openDb();
    const marker = await epoch.get(EPOCH_KEY).catch(() => ({}) as Record<string, unknown>);
    if (!marker[EPOCH_KEY]) {
      const tx = db.transaction([STANZAS, META], "readwrite");
      tx.objectStore(STANZAS).clear();
      tx.objectStore(META).clear();
      await done(tx);
      await epoch.set({ [EPOCH_KEY]: Date.now() }).catch(() => undefined);
    }
    return db;
  })();

  return {
    async load(tabId) {
      const db = await ready;
      const tx = db.transaction([STANZAS, META], "readonly");
      const meta = (await request(tx.objectStore(META).get(tabId))) as TabSession | undefined;
      if (!meta) return undefined;
      const stanzas = (await request(
        tx.objectStore(STANZAS).getAll(tabRange(tabId)),
      )) as TabSession["stanzas"];
      return { ...meta, stanzas };
    },
    async commit({ session, added, evictBelow, reset }: SessionChange) {
      const db = await ready;
      const tx = db.transaction([STANZAS, META], "readwrite", { durability: "relaxed" });
      const st = tx.objectStore(STANZAS);
      if (reset) st.delete(tabRange(session.tabId));
      else if (evictBelow !== undefined) st.delete(tabRange(session.tabId, evictBelow));
      for (const s of added) st.put(s, [session.tabId, s.seq]);
      const { stanzas: _stanzas, ...meta } = session;
      tx.objectStore(META).put(meta, session.tabId);
      await done(tx);
    },
    remove(tabId) {
      void ready.then((db) => {
        const tx = db.transaction([STANZAS, META], "readwrite");
        tx.objectStore(STANZAS).delete(tabRange(tabId));
        tx.objectStore(META).delete(tabId);
      });
    },
  };
}
