/**
 * Merging duplicate papers, and undoing it.
 *
 * A merge keeps the survivor (the richer record, chosen by the caller or by dedupe's
 * pickSurvivor) and moves everything the user attached to the other record onto it: tags, list
 * memberships, the note, sightings; the survivor gains the other record's ids, its title as an
 * alias key (so the old title is still an exact match on listing pages) and its provenance. The
 * merged-away record is *not* deleted: it gets `mergedInto` and stays for undo, and a `merges` row
 * remembers exactly what moved. Each merge is one transaction.
 */
import type { ListItemRow, MergeRow, NoteRow, PaperTagRow, ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import { pairKey, pickSurvivor } from './dedupe';

export class MergeError extends Error {
  override name = 'MergeError';
}

/** What a merge moved, stored with its `merges` row (Dexie keeps extra properties as they are). */
export interface MergeUndoData {
  /** Tag rows of the merged record (moved to the survivor). */
  mergedTags: PaperTagRow[];
  /** Tags the survivor did not have before. */
  tagsAdded: string[];
  /** List rows of the merged record (deleted, re-created on undo). */
  mergedListItems: ListItemRow[];
  /** Survivor list rows as they were before (for lists both were in, or undefined if newly added). */
  survivorListItemsBefore: { listId: string; row?: ListItemRow }[];
  mergedNote?: NoteRow;
  survivorNoteBefore?: NoteRow;
  /** Sightings re-pointed from the merged record to the survivor. */
  sightingIds: number[];
}

export type MergeRecord = MergeRow & { undo?: MergeUndoData };

const TABLES = (db: ShelfmarkDB) =>
  [db.papers, db.paperTags, db.tags, db.listItems, db.lists, db.notes, db.sightings, db.merges] as const;

/** Follows mergedInto to the record that is live now. */
async function resolve(db: ShelfmarkDB, id: string): Promise<Paper | undefined> {
  let p = await db.papers.get(id);
  for (let hops = 0; p?.mergedInto && hops < 20; hops++) p = await db.papers.get(p.mergedInto);
  return p;
}

/** The survivor's fields after absorbing `other`. Fields the survivor has are kept. */
export function combinedRecord(survivor: Paper, other: Paper, now: number): Paper {
  const out: Paper = { ...survivor };
  if (!out.abstract && other.abstract) out.abstract = other.abstract;
  if (!out.authors?.length && other.authors?.length) out.authors = other.authors;
  if (!out.year && other.year) out.year = other.year;
  if (!out.venue && other.venue) out.venue = other.venue;
  if (!out.url && other.url) out.url = other.url;
  if (!out.arxivId && other.arxivId) out.arxivId = other.arxivId;
  if (!out.doi && other.doi) out.doi = other.doi;
  if (!out.openreviewId && other.openreviewId) out.openreviewId = other.openreviewId;
  if (!out.pmid && other.pmid) out.pmid = other.pmid;
  const aliases = new Set(out.aliasKeys);
  for (const k of [other.key, ...other.aliasKeys]) if (k && k !== out.key) aliases.add(k);
  out.aliasKeys = [...aliases];
  const seen = new Set(out.provenance.map((p) => JSON.stringify(p)));
  out.provenance = [...out.provenance, ...other.provenance.filter((p) => !seen.has(JSON.stringify(p)))];
  out.addedAt = Math.min(out.addedAt, other.addedAt);
  const last = Math.max(out.lastSeenAt ?? 0, other.lastSeenAt ?? 0);
  if (last) out.lastSeenAt = last;
  out.updatedAt = now;
  return out;
}

/** Merges `mergedId` into `survivorId`. Returns the id of the `merges` row (for undo). */
export async function mergePapers(db: ShelfmarkDB, survivorId: string, mergedId: string): Promise<number> {
  return db.transaction('rw', TABLES(db), async () => {
    const survivor = await resolve(db, survivorId);
    const merged = await db.papers.get(mergedId);
    if (!survivor) throw new MergeError(`No paper with id ${survivorId}.`);
    if (!merged) throw new MergeError(`No paper with id ${mergedId}.`);
    if (merged.mergedInto) throw new MergeError(`"${merged.title}" was already merged.`);
    if (survivor.id === merged.id) throw new MergeError('A paper cannot be merged into itself.');
    const now = Date.now();

    // Tags: union.
    const mergedTags = await db.paperTags.where('paperId').equals(merged.id).toArray();
    const survivorTags = new Set((await db.paperTags.where('paperId').equals(survivor.id).toArray()).map((t) => t.tag));
    const tagsAdded = mergedTags.filter((t) => !survivorTags.has(t.tag)).map((t) => t.tag);
    await db.paperTags.bulkPut(tagsAdded.map((tag) => ({ paperId: survivor.id, tag, addedAt: now })));
    await db.paperTags.bulkDelete(mergedTags.map((t) => [t.paperId, t.tag] as [string, string]));

    // Lists: the survivor takes the merged record's place where it was not in the list itself;
    // where both were, it stays where it is and counts as read if either was.
    const mergedListItems = await db.listItems.where('paperId').equals(merged.id).toArray();
    const survivorListItemsBefore: MergeUndoData['survivorListItemsBefore'] = [];
    for (const it of mergedListItems) {
      const mine = await db.listItems.get([it.listId, survivor.id]);
      survivorListItemsBefore.push(mine ? { listId: it.listId, row: mine } : { listId: it.listId });
      if (mine) {
        if (it.read && !mine.read) await db.listItems.put({ ...mine, read: true });
      } else {
        await db.listItems.put({ ...it, paperId: survivor.id });
      }
    }
    await db.listItems.bulkDelete(mergedListItems.map((it) => [it.listId, it.paperId] as [string, string]));

    // Notes: both texts are kept.
    const mergedNote = await db.notes.get(merged.id);
    const survivorNoteBefore = await db.notes.get(survivor.id);
    if (mergedNote) {
      const text = survivorNoteBefore
        ? `${survivorNoteBefore.text}\n\n— from “${merged.title}”:\n${mergedNote.text}`
        : mergedNote.text;
      await db.notes.put({ paperId: survivor.id, text, updatedAt: now });
      await db.notes.delete(merged.id);
    }

    // Sightings: re-pointed.
    const sightings = await db.sightings.where('paperId').equals(merged.id).toArray();
    const sightingIds = sightings.map((s) => s.id!).filter((x) => x !== undefined);
    await db.sightings.bulkPut(sightings.map((s) => ({ ...s, paperId: survivor.id })));

    await db.papers.put(combinedRecord(survivor, merged, now));
    await db.papers.update(merged.id, { mergedInto: survivor.id, updatedAt: now });

    const undo: MergeUndoData = {
      mergedTags,
      tagsAdded,
      mergedListItems,
      survivorListItemsBefore,
      sightingIds,
    };
    if (mergedNote) undo.mergedNote = mergedNote;
    if (survivorNoteBefore) undo.survivorNoteBefore = survivorNoteBefore;
    const row: MergeRecord = { survivorId: survivor.id, mergedId: merged.id, at: now, before: survivor, undo };
    return (await db.merges.add(row)) as number;
  });
}

/**
 * Undoes a merge: the merged record is live again with its tags, lists, note and sightings;
 * the survivor loses what it gained. Changes made to the survivor since the merge (its own tags,
 * notes, a newer lastSeenAt) are kept.
 */
export async function undoMerge(db: ShelfmarkDB, mergeId: number): Promise<void> {
  await db.transaction('rw', TABLES(db), async () => {
    const row = (await db.merges.get(mergeId)) as MergeRecord | undefined;
    if (!row) throw new MergeError(`No merge with id ${mergeId}.`);
    if (row.undoneAt) return;
    const merged = await db.papers.get(row.mergedId);
    const survivor = await db.papers.get(row.survivorId);
    if (!merged || !survivor) throw new MergeError('The merged records are gone; this merge cannot be undone.');
    if (merged.mergedInto !== row.survivorId) throw new MergeError(`"${merged.title}" is no longer merged here.`);
    if (survivor.mergedInto) throw new MergeError(`Undo the merge of "${survivor.title}" into another record first.`);
    const later = await db.merges
      .where('survivorId')
      .equals(row.mergedId)
      .filter((m) => !m.undoneAt && m.at >= row.at)
      .count();
    if (later) throw new MergeError('Undo the later merges into this record first.');
    const u = row.undo;
    const now = Date.now();

    // The survivor's record: the fields it had before, plus what happened to it since.
    const restored: Paper = { ...row.before, updatedAt: now };
    const last = Math.max(row.before.lastSeenAt ?? 0, survivor.lastSeenAt ?? 0);
    if (last) restored.lastSeenAt = last;
    // Aliases confirmed since the merge stay; only the ones the merge brought in go.
    const brought = new Set([merged.key, ...merged.aliasKeys].filter((k) => !row.before.aliasKeys.includes(k)));
    restored.aliasKeys = survivor.aliasKeys.filter((k) => !brought.has(k));
    await db.papers.put(restored);
    const { mergedInto: _gone, ...alive } = merged;
    await db.papers.put({ ...alive, updatedAt: now });

    if (!u) return;
    // Tags.
    await db.paperTags.bulkPut(u.mergedTags);
    await db.paperTags.bulkDelete(u.tagsAdded.map((t) => [row.survivorId, t] as [string, string]));
    // Lists.
    for (const b of u.survivorListItemsBefore) {
      if (b.row) {
        const cur = await db.listItems.get([b.listId, row.survivorId]);
        if (cur) await db.listItems.put({ ...cur, read: b.row.read });
      } else {
        await db.listItems.delete([b.listId, row.survivorId]);
      }
    }
    await db.listItems.bulkPut(u.mergedListItems);
    // Notes.
    if (u.mergedNote) {
      await db.notes.put(u.mergedNote);
      if (u.survivorNoteBefore) await db.notes.put(u.survivorNoteBefore);
      else await db.notes.delete(row.survivorId);
    }
    // Sightings.
    const sightings = (await db.sightings.bulkGet(u.sightingIds)).filter((s) => !!s);
    await db.sightings.bulkPut(sightings.map((s) => ({ ...s, paperId: row.mergedId })));
    await db.merges.update(mergeId, { undoneAt: now });
  });
}

/**
 * Merges a cluster: every other record into the survivor (the richest record unless given).
 * One transaction per cluster, so a cluster is merged completely or not at all.
 */
export async function mergeCluster(db: ShelfmarkDB, paperIds: readonly string[], survivorId?: string): Promise<number[]> {
  return db.transaction('rw', TABLES(db), async () => {
    const papers = (await db.papers.bulkGet([...paperIds])).filter((p): p is Paper => !!p && !p.mergedInto);
    if (papers.length < 2) return [];
    const keep = survivorId ? papers.find((p) => p.id === survivorId) ?? pickSurvivor(papers) : pickSurvivor(papers);
    const out: number[] = [];
    for (const p of papers) if (p.id !== keep.id) out.push(await mergePapers(db, keep.id, p.id));
    return out;
  });
}

/** Merges many clusters. Returns the merge ids per cluster, in order; undo them with undoMerges. */
export async function batchMerge(
  db: ShelfmarkDB,
  clusters: readonly { paperIds: readonly string[]; survivorId?: string }[],
): Promise<number[][]> {
  const out: number[][] = [];
  for (const c of clusters) out.push(await mergeCluster(db, c.paperIds, c.survivorId));
  return out;
}

/** Undoes merges newest first (the order that always works). */
export async function undoMerges(db: ShelfmarkDB, mergeIds: readonly number[]): Promise<void> {
  for (const id of mergeIds.toSorted((a, b) => b - a)) await undoMerge(db, id);
}

/** Remembers that these papers are not duplicates of each other (every pair among them). */
export async function markNotDuplicates(db: ShelfmarkDB, paperIds: readonly string[]): Promise<void> {
  const now = Date.now();
  const rows: { pair: string; at: number }[] = [];
  for (let i = 0; i < paperIds.length; i++)
    for (let j = i + 1; j < paperIds.length; j++) rows.push({ pair: pairKey(paperIds[i]!, paperIds[j]!), at: now });
  await db.notDuplicates.bulkPut(rows);
}

/** Forgets a "not duplicates" decision (undo). */
export async function unmarkNotDuplicates(db: ShelfmarkDB, paperIds: readonly string[]): Promise<void> {
  const keys: string[] = [];
  for (let i = 0; i < paperIds.length; i++)
    for (let j = i + 1; j < paperIds.length; j++) keys.push(pairKey(paperIds[i]!, paperIds[j]!));
  await db.notDuplicates.bulkDelete(keys);
}

export async function notDuplicateSet(db: ShelfmarkDB): Promise<Set<string>> {
  return new Set(await db.notDuplicates.toCollection().primaryKeys());
}
