import type { ShelfmarkDB } from '@/lib/storage/db';
import type { SearchIndex } from '@/lib/search';
import { PersistedSearch, type PaperTitles } from './persisted';

/**
 * The popup's corpus search: the persisted index and the titles stored with it, so opening the
 * popup reads two records instead of every paper. Without usable parts it builds the index (in
 * slices) and persists it for the next open.
 */
export async function openPopupSearch(
  db: ShelfmarkDB,
  signal: { aborted: boolean },
): Promise<{ index: SearchIndex; titles: PaperTitles } | undefined> {
  const search = new PersistedSearch(db, { titles: true });
  try {
    // Called from an effect, after the popup's first paint. Loading costs little main-thread time
    // (one read, nothing to parse), so it runs alongside the request for the tab's entries.
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

