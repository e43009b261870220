import type { ShelfmarkDB } from '@/lib/storage/db';
import type { SearchIndex } from '@/lib/search';
import { PersistedSearch, type PaperTitles } from './persisted';
import type { StoredRead } from './parts-read';

/**
 * The popup's corpus search: the persisted index and the titles stored with it, so opening the
 * popup reads two records instead of every paper. Without usable parts it builds the index (in
 * slices) and persists it for the next open.
 *
 * In the extension the records are read by a worker, started as the popup opens: at 100k
 * papers they are about 25 MB, and unwrapping them on the main thread would queue behind the
 * popup's first paint and the tab's entries (and hold those up). What is left here — checking
 * the parts and wrapping them in a SearchIndex, no parsing — takes a few milliseconds.
 */
export async function openPopupSearch(
  db: ShelfmarkDB,
  signal: { aborted: boolean },
): Promise<{ index: SearchIndex; titles: PaperTitles } | undefined> {
  const inExtension = typeof location !== 'undefined' && location.protocol.endsWith('-extension:');
  const search = new PersistedSearch(db, { titles: true, ...(inExtension && typeof Worker === 'function' ? { read: (withTitles: boolean) => readInWorker(db.name, withTitles) } : {}) });
  try {
    if (signal.aborted) return undefined;
    const index = await search.open({ signal });
    if (!index || !search.titles) return undefined;
    performance.mark('shelfmark:search-ready');
    return { index, titles: search.titles };
  } catch (e) {
    // Closed while loading (the popup went away): nothing to report.
    if (signal.aborted || (e as { name?: string }).name === 'DatabaseClosedError') return undefined;
    console.warn('Shelfmark: corpus search unavailable', e);
    return undefined;
  } finally {
    search.stop();
  }
}

/** One read in a fresh worker (lib/search/parts-read.worker.ts), which is ended after it answers. */
async function readInWorker(name: string, withTitles: boolean): Promise<StoredRead | undefined> {
  // Vite's ?worker import bundles the worker as its own file of the extension.
  const { default: PartsReadWorker } = await import('./parts-read.worker.ts?worker');
  const worker = new PartsReadWorker();
  try {
    return await new Promise<StoredRead | undefined>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ read?: StoredRead; error?: string }>) => (e.data.error !== undefined ? reject(new Error(e.data.error)) : resolve(e.data.read));
      worker.onerror = (e) => reject(new Error(e.message || 'the search index reader stopped'));
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
      worker.postMessage({ name, withTitles });
    });
  } finally {
    worker.terminate();
  }
}
