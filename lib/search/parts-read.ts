import { foldChanges, type ChangesSince } from '@/lib/storage/paper-changes-fold';

/**
 * Reading the persisted search index with plain IndexedDB, for a worker (parts-read.worker.ts):
 * the popup's main thread is busy with its first paint and the tab's entries while the records
 * (tens of MB at 100k papers) are read and unwrapped, and a worker does that without queueing
 * behind it. The rows and the journal are read in one transaction, as PersistedSearch.load does
 * with Dexie; the caller checks the meta and the parts (nothing here is trusted).
 */

export const META_KEY = '_meta';
/** The whole index in one record (one read, one structured clone), titles in another. */
export const INDEX_PART = 'index';
export const TITLES_PART = 'titles';

/** What was read: the raw records (undefined when missing) and the journal after the meta's position. */
export interface StoredRead {
  meta: unknown;
  index: unknown;
  titles: unknown;
  /** Undefined when the meta has no position to read from. */
  changes: ChangesSince | undefined;
}

/** Most changes worth patching in instead of a rebuild. */
export function maxChangedIds(count: number): number {
  return Math.max(5000, count / 10);
}

/**
 * Reads the records and the journal from database `name`. Undefined when the database does not
 * exist yet (it is not created: the extension's pages create it at their schema version) or has
 * no search index store.
 */
export function readStoredParts(name: string, withTitles: boolean): Promise<StoredRead | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    // No database yet: opening without a version would create an empty one; abort instead.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => (open.error?.name === 'AbortError' ? resolve(undefined) : reject(open.error ?? new Error('IndexedDB open failed')));
    open.onsuccess = () => {
      const db = open.result;
      // Never hold up a schema upgrade by another page.
      db.onversionchange = () => db.close();
      if (!db.objectStoreNames.contains('searchParts') || !db.objectStoreNames.contains('paperChanges')) {
        db.close();
        resolve(undefined);
        return;
      }
      const tx = db.transaction(['searchParts', 'paperChanges'], 'readonly');
      const parts = tx.objectStore('searchParts');
      const out: StoredRead = { meta: undefined, index: undefined, titles: undefined, changes: undefined };
      const get = (key: string, set: (v: unknown) => void) => {
        const req = parts.get(key);
        req.onsuccess = () => set((req.result as { data?: unknown } | undefined)?.data);
      };
      get(META_KEY, (meta) => {
        out.meta = meta;
        const m = meta as { seq?: unknown; count?: unknown } | undefined;
        if (typeof m?.seq !== 'number' || typeof m.count !== 'number') return;
        const after = m.seq;
        const maxIds = maxChangedIds(m.count);
        const req = tx.objectStore('paperChanges').getAll(IDBKeyRange.lowerBound(after, true));
        req.onsuccess = () => {
          out.changes = foldChanges(req.result as { seq?: number; ids: string[] | null }[], after, maxIds);
        };
      });
      get(INDEX_PART, (v) => (out.index = v));
      if (withTitles) get(TITLES_PART, (v) => (out.titles = v));
      tx.oncomplete = () => {
        db.close();
        resolve(out);
      };
      tx.onabort = () => {
        db.close();
        reject(tx.error ?? new Error('IndexedDB read aborted'));
      };
    };
  });
}

/** The distinct ArrayBuffers under a read (what a worker can hand over without copying). */
export function transferables(read: StoredRead): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const part of [read.index, read.titles]) {
    if (typeof part !== 'object' || part === null) continue;
    for (const v of Object.values(part)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  }
  return [...buffers];
}
