import type { ShelfmarkDB } from '../storage/db';
import { titleKey } from '../model/normalize';
import type { DismissalRow } from '../storage/rows';

/**
 * "Not interested": a dismissal is one row keyed by the entry's normalized title key (the same
 * paper on another site, or after a reload, is the same key); when the entry matched a corpus
 * paper its id is kept too, so the paper's other titles count. Undo deletes the row.
 */

export interface DismissInput {
  title: string;
  url?: string;
  pageUrl: string;
  paperId?: string;
}

export async function dismiss(db: ShelfmarkDB, e: DismissInput, at = Date.now()): Promise<DismissalRow> {
  const key = titleKey(e.title);
  if (!key) throw new Error('this entry has no title to remember');
  const row: DismissalRow = { key, title: e.title, pageUrl: e.pageUrl, at };
  if (e.url) row.url = e.url;
  if (e.paperId) row.paperId = e.paperId;
  await db.dismissals.put(row);
  return row;
}

/** Undoes a dismissal (by title key); returns whether there was one. */
export async function undismiss(db: ShelfmarkDB, key: string): Promise<boolean> {
  return db.transaction('rw', db.dismissals, async () => {
    const had = await db.dismissals.get(key);
    if (had) await db.dismissals.delete(key);
    return !!had;
  });
}

/** Dismissals, newest first (the library's list). */
export function listDismissals(db: ShelfmarkDB): Promise<DismissalRow[]> {
  return db.dismissals.orderBy('at').toArray().then((rows) => rows.toReversed());
}

/** Which of the given entries are dismissed: by title key, or by the corpus paper they matched. */
export async function dismissedAmong(
  db: ShelfmarkDB,
  items: readonly { key: string; paperId?: string }[],
): Promise<boolean[]> {
  if (!items.length) return [];
  const keys = [...new Set(items.map((i) => i.key).filter(Boolean))];
  const pids = [...new Set(items.flatMap((i) => (i.paperId ? [i.paperId] : [])))];
  const [byKey, byPaper] = await Promise.all([
    db.dismissals.bulkGet(keys),
    pids.length ? db.dismissals.where('paperId').anyOf(pids).toArray() : Promise.resolve([]),
  ]);
  const k = new Set(byKey.flatMap((r) => (r ? [r.key] : [])));
  const p = new Set(byPaper.flatMap((r) => (r.paperId ? [r.paperId] : [])));
  return items.map((i) => k.has(i.key) || (!!i.paperId && p.has(i.paperId)));
}
