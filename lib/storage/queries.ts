import type { ListRow, ShelfmarkDB } from './db';
import type { Paper } from '../model/types';

/**
 * The named reads the pages make. Each is a plain async function of the database, so a page can
 * run it once or subscribe to it (lib/storage/live.ts re-runs it whenever a table it read changes).
 */

/** Lists not deleted (a deleted list stays in the table until its undo window has passed). */
export async function liveLists(db: ShelfmarkDB): Promise<ListRow[]> {
  return (await db.lists.toArray()).filter((l) => !l.deletedAt);
}

/** Lists not deleted, by name: how every picker shows them. */
export async function liveListsByName(db: ShelfmarkDB): Promise<ListRow[]> {
  return (await liveLists(db)).toSorted((a, b) => a.name.localeCompare(b.name));
}

/** Every list, deleted ones included (the lists view offers their undo). */
export function allLists(db: ShelfmarkDB): Promise<ListRow[]> {
  return db.lists.toArray();
}

/** Every tag name, sorted as the tag index sorts them. */
export async function tagNames(db: ShelfmarkDB): Promise<string[]> {
  return (await db.tags.orderBy('name').keys()).map(String);
}

/** Papers that are not merged into another paper: the ones search and the popup offer. */
export function unmergedPapers(db: ShelfmarkDB): Promise<Paper[]> {
  return db.papers.filter((p) => !p.mergedInto).toArray();
}

/** Every paper row, merged ones included (duplicate review needs both sides of a merge). */
export function allPapers(db: ShelfmarkDB): Promise<Paper[]> {
  return db.papers.toArray();
}

/** What "Replace everything" would remove, counted for its confirmation. */
export async function userDataCounts(db: ShelfmarkDB): Promise<{ papers: number; lists: number; tags: number; notes: number }> {
  const [papers, lists, tags, notes] = await Promise.all([
    db.papers.filter((p) => !p.mergedInto).count(),
    db.lists.filter((l) => !l.deletedAt).count(),
    db.tags.count(),
    db.notes.count(),
  ]);
  return { papers, lists, tags, notes };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  m.set(k, [...(m.get(k) ?? []), v]);
}

/** Tags per paper, for every tagged paper. */
export async function tagsByPaper(db: ShelfmarkDB): Promise<Map<string, string[]>> {
  const m = new Map<string, string[]>();
  await db.paperTags.each((r) => push(m, r.paperId, r.tag));
  return m;
}

/**
 * The tags of `paperIds` and the live lists holding them: the join the popup and the paper
 * detail show, with the live lists themselves (by name) and every tag name for the pickers.
 */
export async function tagsAndListsOf(
  db: ShelfmarkDB,
  paperIds: readonly string[],
): Promise<{ tags: Map<string, string[]>; inLists: Map<string, string[]>; lists: ListRow[]; allTags: string[] }> {
  const [tagRows, items, lists, allTags] = await Promise.all([
    db.paperTags.where('paperId').anyOf(paperIds).toArray(),
    db.listItems.where('paperId').anyOf(paperIds).toArray(),
    liveListsByName(db),
    tagNames(db),
  ]);
  const liveIds = new Set(lists.map((l) => l.id));
  const tags = new Map<string, string[]>();
  for (const r of tagRows) push(tags, r.paperId, r.tag);
  const inLists = new Map<string, string[]>();
  for (const it of items) if (liveIds.has(it.listId)) push(inLists, it.paperId, it.listId);
  return { tags, inLists, lists, allTags };
}

/** Which papers carry any tag, sit in a live list (read or not) or have a note: the library's filters. */
export async function paperFlags(
  db: ShelfmarkDB,
): Promise<{ tagged: Set<string>; inAnyList: Set<string>; read: Set<string>; unread: Set<string>; notes: Set<string> }> {
  const [tagKeys, items, noteKeys] = await Promise.all([
    db.paperTags.toCollection().primaryKeys(),
    db.listItems.toArray(),
    db.notes.toCollection().primaryKeys(),
  ]);
  const live = new Set((await liveLists(db)).map((l) => l.id));
  const tagged = new Set(tagKeys.map((k) => (k as unknown as [string, string])[0]));
  const inAnyList = new Set<string>();
  const read = new Set<string>();
  const unread = new Set<string>();
  for (const it of items) {
    if (!live.has(it.listId)) continue;
    inAnyList.add(it.paperId);
    (it.read ? read : unread).add(it.paperId);
  }
  return { tagged, inAnyList, read, unread, notes: new Set(noteKeys.map(String)) };
}

export async function paperIdsWithTag(db: ShelfmarkDB, tag: string): Promise<Set<string>> {
  return new Set((await db.paperTags.where('tag').equals(tag).toArray()).map((r) => r.paperId));
}

export async function paperIdsInList(db: ShelfmarkDB, listId: string): Promise<Set<string>> {
  return new Set((await db.listItems.where('listId').equals(listId).toArray()).map((r) => r.paperId));
}

export async function paperIdsSeenOn(db: ShelfmarkDB, host: string): Promise<Set<string>> {
  const rows = await db.sightings.where('host').equals(host).toArray();
  return new Set(rows.flatMap((r) => (r.paperId ? [r.paperId] : [])));
}

/** Hosts papers were seen on, sorted. */
export async function sightingHosts(db: ShelfmarkDB): Promise<string[]> {
  return (await db.sightings.orderBy('host').uniqueKeys()).map(String);
}

/** A list's items in list order. */
export function listItemsInOrder(db: ShelfmarkDB, listId: string) {
  return db.listItems.where('[listId+position]').between([listId, -Infinity], [listId, Infinity]).toArray();
}

/** Items and unread items per list. */
export async function listCounts(db: ShelfmarkDB): Promise<Map<string, { n: number; unread: number }>> {
  const m = new Map<string, { n: number; unread: number }>();
  await db.listItems.each((it) => {
    const c = m.get(it.listId) ?? { n: 0, unread: 0 };
    c.n++;
    if (!it.read) c.unread++;
    m.set(it.listId, c);
  });
  return m;
}

/** Every tag with its paper count, by name. */
export async function tagCounts(db: ShelfmarkDB): Promise<[string, number][]> {
  const counts = new Map<string, number>();
  for (const name of await tagNames(db)) counts.set(name, 0);
  await db.paperTags.each((r) => counts.set(r.tag, (counts.get(r.tag) ?? 0) + 1));
  return [...counts].toSorted((a, b) => a[0].localeCompare(b[0]));
}

/** Everything the paper detail shows besides the paper itself. */
export async function paperDetail(db: ShelfmarkDB, id: string) {
  const [tags, items, note, sightings, mergedAway] = await Promise.all([
    db.paperTags.where('paperId').equals(id).toArray(),
    db.listItems.where('paperId').equals(id).toArray(),
    db.notes.get(id),
    db.sightings.where('paperId').equals(id).toArray(),
    db.papers.where('mergedInto').equals(id).toArray(),
  ]);
  return {
    tags: tags.map((t) => t.tag).toSorted(),
    inLists: items.map((i) => i.listId),
    note: note?.text ?? '',
    sightings: sightings.toSorted((a, b) => b.seenAt - a.seenAt).slice(0, 50),
    sightingCount: sightings.length,
    mergedAway,
  };
}
