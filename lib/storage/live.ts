import { useEffect, useState } from 'preact/hooks';
import { liveQuery } from 'dexie';
import type { ShelfmarkDB } from './db';
import * as Q from './queries';

/**
 * Subscribes a component to a Dexie query: it re-renders whenever the tables the query read
 * change, whichever extension page (or the background) wrote them. `undefined` until the first
 * result; an error is logged and keeps the last good value, so one failing query cannot blank
 * the page.
 */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (v) => setValue(() => v),
      error: (e: unknown) => console.error('Shelfmark live query failed', e),
    });
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}

// The named live reads of lib/storage/queries.ts, one hook each, so a page never spells a query.
export const useLiveLists = (db: ShelfmarkDB) => useLiveQuery(() => Q.liveListsByName(db), [db]);
export const useAllLists = (db: ShelfmarkDB) => useLiveQuery(() => Q.allLists(db), [db]);
export const useTagNames = (db: ShelfmarkDB) => useLiveQuery(() => Q.tagNames(db), [db]);
export const useAllPapers = (db: ShelfmarkDB) => useLiveQuery(() => Q.allPapers(db), [db]);
export const useTagsByPaper = (db: ShelfmarkDB) => useLiveQuery(() => Q.tagsByPaper(db), [db]);
export const usePaperFlags = (db: ShelfmarkDB) => useLiveQuery(() => Q.paperFlags(db), [db]);
export const useSightingHosts = (db: ShelfmarkDB) => useLiveQuery(() => Q.sightingHosts(db), [db]);
export const useListCounts = (db: ShelfmarkDB) => useLiveQuery(() => Q.listCounts(db), [db]);
export const useTagCounts = (db: ShelfmarkDB) => useLiveQuery(() => Q.tagCounts(db), [db]);
export const usePaperDetail = (db: ShelfmarkDB, id: string) => useLiveQuery(() => Q.paperDetail(db, id), [db, id]);

/** `paperIds` is compared by content, so a fresh array with the same ids does not re-subscribe. */
export function useTagsAndListsOf(db: ShelfmarkDB, paperIds: readonly string[]) {
  return useLiveQuery(() => Q.tagsAndListsOf(db, paperIds), [db, paperIds.join(',')]);
}

/** A list's items in order; none while no list is chosen. */
export function useListItems(db: ShelfmarkDB, listId: string | undefined) {
  return useLiveQuery(async () => (listId ? Q.listItemsInOrder(db, listId) : []), [db, listId]);
}

// Filter sets: `undefined` while the filter is off.
export function usePaperIdsWithTag(db: ShelfmarkDB, tag: string | undefined) {
  return useLiveQuery(async () => (tag ? Q.paperIdsWithTag(db, tag) : undefined), [db, tag]);
}
export function usePaperIdsInList(db: ShelfmarkDB, listId: string | undefined) {
  return useLiveQuery(async () => (listId ? Q.paperIdsInList(db, listId) : undefined), [db, listId]);
}
export function usePaperIdsSeenOn(db: ShelfmarkDB, host: string | undefined) {
  return useLiveQuery(async () => (host ? Q.paperIdsSeenOn(db, host) : undefined), [db, host]);
}
