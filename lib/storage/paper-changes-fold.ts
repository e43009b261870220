/**
 * Folding papers change journal rows (lib/storage/paper-changes.ts) into what changed. Kept free
 * of Dexie so a worker reading the journal with plain IndexedDB (lib/search/parts-read.ts) folds
 * it the same way.
 */

/** What changed after journal position `after`: the paper ids ('all' after a range delete) and the last position read. */
export interface ChangesSince {
  ids: Set<string> | 'all';
  last: number;
}

/** The rows after `after`, folded; more than `maxIds` papers count as 'all' (a rebuild is cheaper). */
export function foldChanges(rows: readonly { seq?: number | undefined; ids: readonly string[] | null }[], after: number, maxIds = Infinity): ChangesSince {
  let last = after;
  let ids: Set<string> | 'all' = new Set<string>();
  for (const r of rows) {
    last = Math.max(last, r.seq ?? last);
    if (ids === 'all') continue;
    if (!r.ids) ids = 'all';
    else for (const id of r.ids) ids.add(id);
    if (ids !== 'all' && ids.size > maxIds) ids = 'all';
  }
  return { ids, last };
}
