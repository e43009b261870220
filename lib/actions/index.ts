import { confirmedProvenance, type LearningPaper } from '../match/learn';
import type { ShelfmarkDB, ListRow } from '../storage/db';
import type { Paper, PaperEntry } from '../model/types';
import { titleKey } from '../model/normalize';
import { paperIdFromKey } from '../corpus/corpus';
import { paperIdFields } from '../model/ids';
import { LIMITS } from '../messaging/messages';
import { META, type MetaFamily } from '../storage/meta';

/**
 * The user-data operations. Each one is a single Dexie transaction that reads the current
 * records and writes the change on top of them, so two tabs, the popup and the library page
 * editing the same paper at once never overwrite each other with stale copies.
 *
 * Used by the background (badge menu requests), the popup and the library page.
 */

export class ActionError extends Error {
  override name = 'ActionError';
}

// The same bounds the message schemas enforce, so an action never accepts what a message would refuse.
const MAX_TAG = LIMITS.tagChars;
const MAX_LIST_NAME = LIMITS.listNameChars;
const MAX_NOTE = LIMITS.noteChars;

/** Tags are trimmed with inner whitespace collapsed; case is kept as first typed. */
export function cleanTag(raw: string): string {
  const t = raw.replace(/\s+/g, ' ').trim();
  if (!t) throw new ActionError('A tag cannot be empty.');
  if (t.length > MAX_TAG) throw new ActionError(`A tag is at most ${MAX_TAG} characters.`);
  return t;
}

function cleanListName(raw: string): string {
  const t = raw.replace(/\s+/g, ' ').trim();
  if (!t) throw new ActionError('A list name cannot be empty.');
  if (t.length > MAX_LIST_NAME) throw new ActionError(`A list name is at most ${MAX_LIST_NAME} characters.`);
  return t;
}

function randomId(prefix: string): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Follows `mergedInto` to the surviving record, so an action on a merged-away paper lands on
 * the paper the user now sees. Must run inside a transaction that includes `papers`.
 */
async function livePaper(db: ShelfmarkDB, id: string): Promise<Paper> {
  let p = await db.papers.get(id);
  for (let hops = 0; p?.mergedInto && hops < 20; hops++) p = await db.papers.get(p.mergedInto);
  if (!p) throw new ActionError(`No paper with id ${id}.`);
  return p;
}

async function livePaperIds(db: ShelfmarkDB, ids: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const id of ids) out.add((await livePaper(db, id)).id);
  return [...out];
}

// ---- tags -----------------------------------------------------------------------------------

/**
 * Adds `tag` to the papers, creating the tag row if needed. A tag that differs from an existing one
 * only in case reuses the existing spelling, so "RL" and "rl" do not become two tags.
 * Returns the tag name as stored.
 */
export async function addTag(db: ShelfmarkDB, paperIds: readonly string[], tag: string): Promise<string> {
  const wanted = cleanTag(tag);
  return db.transaction('rw', db.papers, db.tags, db.paperTags, async () => {
    const ids = await livePaperIds(db, paperIds);
    let name = wanted;
    const exact = await db.tags.get(wanted);
    if (!exact) {
      const lower = wanted.toLowerCase();
      // Indexed lookup (schema v2 `tags.lower`, lib/storage/migrations.ts) instead of scanning every tag.
      const same = await db.tags.where('lower').equals(lower).first();
      if (same) name = same.name;
      else await db.tags.add({ name, createdAt: Date.now() });
    }
    const now = Date.now();
    const existing = await db.paperTags.bulkGet(ids.map((id) => [id, name] as [string, string]));
    const rows = ids.filter((_, i) => !existing[i]).map((paperId) => ({ paperId, tag: name, addedAt: now }));
    if (rows.length) await db.paperTags.bulkAdd(rows);
    return name;
  });
}

export async function removeTag(db: ShelfmarkDB, paperIds: readonly string[], tag: string): Promise<void> {
  const name = cleanTag(tag);
  await db.transaction('rw', db.papers, db.paperTags, async () => {
    const ids = await livePaperIds(db, paperIds);
    await db.paperTags.bulkDelete(ids.map((id) => [id, name] as [string, string]));
  });
}

// ---- reading lists --------------------------------------------------------------------------

async function liveListByName(db: ShelfmarkDB, name: string): Promise<ListRow | undefined> {
  const lower = name.toLowerCase();
  return db.lists.filter((l) => !l.deletedAt && l.name.toLowerCase() === lower).first();
}

/** Creates a reading list; a live list with the same name (ignoring case) is an error. */
export async function createList(db: ShelfmarkDB, name: string): Promise<string> {
  const clean = cleanListName(name);
  return db.transaction('rw', db.lists, async () => {
    if (await liveListByName(db, clean)) throw new ActionError(`A list named "${clean}" already exists.`);
    const now = Date.now();
    const id = randomId('l');
    await db.lists.add({ id, name: clean, createdAt: now, updatedAt: now });
    return id;
  });
}

/** The live list with this name (ignoring case), created if there is none. */
export async function ensureList(db: ShelfmarkDB, name: string): Promise<string> {
  const clean = cleanListName(name);
  return db.transaction('rw', db.lists, async () => {
    const found = await liveListByName(db, clean);
    if (found) return found.id;
    const now = Date.now();
    const id = randomId('l');
    await db.lists.add({ id, name: clean, createdAt: now, updatedAt: now });
    return id;
  });
}

async function liveList(db: ShelfmarkDB, listId: string): Promise<ListRow> {
  const list = await db.lists.get(listId);
  if (!list || list.deletedAt) throw new ActionError(`No reading list with id ${listId}.`);
  return list;
}

export async function renameList(db: ShelfmarkDB, listId: string, name: string): Promise<void> {
  const clean = cleanListName(name);
  await db.transaction('rw', db.lists, async () => {
    await liveList(db, listId);
    const other = await liveListByName(db, clean);
    if (other && other.id !== listId) throw new ActionError(`A list named "${clean}" already exists.`);
    await db.lists.update(listId, { name: clean, updatedAt: Date.now() });
  });
}

/** Soft delete: the list and its items stay in the database so `restoreList` can undo it. */
export async function deleteList(db: ShelfmarkDB, listId: string): Promise<void> {
  await db.transaction('rw', db.lists, async () => {
    await liveList(db, listId);
    const now = Date.now();
    await db.lists.update(listId, { deletedAt: now, updatedAt: now });
  });
}

export async function restoreList(db: ShelfmarkDB, listId: string): Promise<void> {
  await db.transaction('rw', db.lists, async () => {
    const list = await db.lists.get(listId);
    if (!list) throw new ActionError(`No reading list with id ${listId}.`);
    if (!list.deletedAt) return;
    // Restoring next to a live list of the same name would make two lists look identical.
    const other = await liveListByName(db, list.name);
    const name = other ? `${list.name} (restored)` : list.name;
    const { deletedAt: _gone, ...rest } = list;
    await db.lists.put({ ...rest, name, updatedAt: Date.now() });
  });
}

/** Appends papers to a list (in the given order); papers already in it stay where they are. */
export async function addToList(db: ShelfmarkDB, listId: string, paperIds: readonly string[]): Promise<void> {
  await db.transaction('rw', db.papers, db.lists, db.listItems, async () => {
    await liveList(db, listId);
    const ids = await livePaperIds(db, paperIds);
    const last = await db.listItems
      .where('[listId+position]')
      .between([listId, -Infinity], [listId, Infinity])
      .last();
    let pos = last ? last.position + 1 : 0;
    const existing = await db.listItems.bulkGet(ids.map((id) => [listId, id] as [string, string]));
    const now = Date.now();
    const rows = ids
      .filter((_, i) => !existing[i])
      .map((paperId) => ({ listId, paperId, position: pos++, read: false, addedAt: now }));
    if (rows.length) await db.listItems.bulkAdd(rows);
    await db.lists.update(listId, { updatedAt: now });
  });
}

export async function removeFromList(db: ShelfmarkDB, listId: string, paperIds: readonly string[]): Promise<void> {
  await db.transaction('rw', db.papers, db.lists, db.listItems, async () => {
    await liveList(db, listId);
    const ids = await livePaperIds(db, paperIds);
    await db.listItems.bulkDelete(ids.map((id) => [listId, id] as [string, string]));
    await db.lists.update(listId, { updatedAt: Date.now() });
  });
}

/**
 * Puts the list's items in the order of `paperIds`. The order may come from a stale view: items
 * it does not name (added meanwhile elsewhere) keep their relative order after the named ones,
 * and names of items no longer in the list are ignored.
 */
export async function reorderList(db: ShelfmarkDB, listId: string, paperIds: readonly string[]): Promise<void> {
  await db.transaction('rw', db.lists, db.listItems, async () => {
    await liveList(db, listId);
    const items = await db.listItems
      .where('[listId+position]')
      .between([listId, -Infinity], [listId, Infinity])
      .toArray();
    const byId = new Map(items.map((it) => [it.paperId, it]));
    const ordered: typeof items = [];
    const seen = new Set<string>();
    for (const id of paperIds) {
      const it = byId.get(id);
      if (it && !seen.has(id)) {
        ordered.push(it);
        seen.add(id);
      }
    }
    for (const it of items) if (!seen.has(it.paperId)) ordered.push(it);
    const changed = ordered.flatMap((it, i) => (it.position === i ? [] : [{ ...it, position: i }]));
    if (changed.length) await db.listItems.bulkPut(changed);
    await db.lists.update(listId, { updatedAt: Date.now() });
  });
}

export async function setRead(db: ShelfmarkDB, listId: string, paperId: string, read: boolean): Promise<void> {
  await db.transaction('rw', db.listItems, async () => {
    const n = await db.listItems.update([listId, paperId], { read });
    if (!n) {
      const it = await db.listItems.get([listId, paperId]);
      if (!it) throw new ActionError('That paper is not in that list.');
    }
  });
}

/** Sets a paper's note; empty text removes it. */
export async function setNote(
  db: ShelfmarkDB,
  paperId: string,
  text: string,
  opts: { basedOn?: string } = {},
): Promise<{ merged: boolean }> {
  if (text.length > MAX_NOTE) throw new ActionError(`A note is at most ${MAX_NOTE} characters.`);
  return db.transaction('rw', db.papers, db.notes, async () => {
    const p = await livePaper(db, paperId);
    // `basedOn`: the note text the edit started from. When another window saved
    // the note since then, writing this edit would drop theirs (last writer wins on a stale copy):
    // keep theirs and append this one instead.
    const current = (await db.notes.get(p.id))?.text ?? '';
    if (opts.basedOn !== undefined && current !== opts.basedOn && current !== text && current.trim()) {
      if (!text.trim()) return { merged: true };
      const both = `${current}\n\n— edited at the same time in another window:\n${text}`;
      if (both.length > MAX_NOTE) throw new ActionError('This note was changed in another window meanwhile; copy your text and reopen it.');
      await db.notes.put({ paperId: p.id, text: both, updatedAt: Date.now() });
      return { merged: true };
    }
    if (!text.trim()) await db.notes.delete(p.id);
    else await db.notes.put({ paperId: p.id, text, updatedAt: Date.now() });
    return { merged: false };
  });
}

// ---- corpus from page entries ----------------------------------------------------------------

async function paperByIds(db: ShelfmarkDB, ids: ReturnType<typeof paperIdFields>): Promise<Paper | undefined> {
  const tries: Array<[string, string | undefined]> = [
    ['arxivId', ids.arxivId],
    ['doi', ids.doi],
    ['openreviewId', ids.openreviewId],
    ['pmid', ids.pmid],
  ];
  for (const [field, v] of tries) {
    if (!v) continue;
    const hit = await db.papers.where(field).equals(v).filter((p) => !p.mergedInto).first();
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Adds a listing entry to the corpus as a user paper (provenance: the page). When the corpus
 * already has it (same id or same title key), that paper is returned instead of a duplicate.
 * Returns the paper id and whether a new record was written.
 */
export async function addPaperFromEntry(
  db: ShelfmarkDB,
  entry: PaperEntry,
  pageUrl: string,
): Promise<{ paperId: string; created: boolean }> {
  const title = entry.title.replace(/\s+/g, ' ').trim();
  const key = titleKey(title);
  if (!key) throw new ActionError('This entry has no usable title.');
  const ids = paperIdFields(entry.ids);
  return db.transaction('rw', db.papers, async () => {
    const byId = await paperByIds(db, ids);
    if (byId) return { paperId: byId.id, created: false };
    const byKey = await db.papers
      .where('key')
      .equals(key)
      .or('aliasKeys')
      .equals(key)
      .filter((p) => !p.mergedInto)
      .first();
    if (byKey) return { paperId: byKey.id, created: false };
    let id = paperIdFromKey(key);
    // A merged-away record or another title hashing to the same id keeps its id: pick a fresh one.
    if (await db.papers.get(id)) id = randomId('p');
    const now = Date.now();
    const paper: Paper = {
      id,
      title,
      key,
      aliasKeys: [],
      provenance: [{ kind: 'page', source: pageUrl }],
      origin: 'user',
      addedAt: now,
      updatedAt: now,
      lastSeenAt: now,
      ...ids,
    };
    if (entry.abstract) paper.abstract = entry.abstract;
    if (entry.authors?.length) paper.authors = entry.authors;
    if (entry.url) paper.url = entry.url;
    await db.papers.add(paper);
    return { paperId: id, created: true };
  });
}

/**
 * A `maybe` confirmed: the listing title becomes an alias of the paper and the entry's ids are
 * stored on it (ids the paper has already are kept), so the next visit is an exact match.
 * The pair is also remembered (`confirm:<paperId>`): when the entry's ids disagree with the
 * paper's (the matcher then says "maybe" even on the alias), the user's word decides.
 * A rejection of this entry for this paper, if any, is forgotten.
 */
export async function confirmMatch(db: ShelfmarkDB, paperId: string, entry: PaperEntry, pageUrl = ''): Promise<Paper> {
  const key = titleKey(entry.title);
  const ids = paperIdFields(entry.ids);
  return db.transaction('rw', db.papers, db.meta, async () => {
    const p = await livePaper(db, paperId);
    const aliasKeys = key && key !== p.key && !p.aliasKeys.includes(key) ? [...p.aliasKeys, key] : p.aliasKeys;
    const patch: Partial<Paper> = { aliasKeys, updatedAt: Date.now() };
    if (ids.arxivId && !p.arxivId) patch.arxivId = ids.arxivId;
    if (ids.doi && !p.doi) patch.doi = ids.doi;
    if (ids.openreviewId && !p.openreviewId) patch.openreviewId = ids.openreviewId;
    if (ids.pmid && !p.pmid) patch.pmid = ids.pmid;
    // The user said this entry is the paper: its ids are learned, with where they came from.
    const learned = confirmedProvenance(p, patch, entry, pageUrl);
    if (learned) (patch as LearningPaper).learnedIds = learned;
    await db.papers.update(p.id, patch);
    if (key) {
      const rejected = META.rejected.item(p.id);
      const rej = await rejected.get(db);
      if (rej?.includes(key)) await rejected.put(db, rej.filter((k) => k !== key));
      const confirmed = META.confirmed.item(p.id);
      const keys = (await confirmed.get(db)) ?? [];
      if (!keys.includes(key)) await confirmed.put(db, [...keys, key]);
    }
    return { ...p, ...patch };
  });
}

/** A `maybe` rejected: this entry (by title key) is not proposed as `paperId` again. */
export async function rejectMatch(db: ShelfmarkDB, paperId: string, entry: PaperEntry): Promise<void> {
  const key = titleKey(entry.title);
  if (!key) return;
  await db.transaction('rw', db.papers, db.meta, async () => {
    const p = await livePaper(db, paperId);
    const rejected = META.rejected.item(p.id);
    const keys = (await rejected.get(db)) ?? [];
    if (!keys.includes(key)) await rejected.put(db, [...keys, key]);
    const confirmed = META.confirmed.item(p.id);
    const conf = await confirmed.get(db);
    if (conf?.includes(key)) await confirmed.put(db, conf.filter((k) => k !== key));
  });
}

async function pairs(db: ShelfmarkDB, family: MetaFamily<string[]>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const [id, keys] of await family.all(db)) out.set(id, new Set(keys));
  return out;
}

/** The title keys the user confirmed for each paper: `paperId → keys`. */
export function confirmedPairs(db: ShelfmarkDB): Promise<Map<string, Set<string>>> {
  return pairs(db, META.confirmed);
}

/** The title keys rejected for each paper: `paperId → keys`. Read once, consulted per entry. */
export function rejectedPairs(db: ShelfmarkDB): Promise<Map<string, Set<string>>> {
  return pairs(db, META.rejected);
}

// ---- tags across the corpus (the library's Tags view) ----------------------------------------

/**
 * Renames a tag on every paper. When another tag already has the new name (ignoring case), the
 * two are merged: papers that had either now have the existing one, and the old tag is gone.
 * Returns the name the papers now carry.
 */
export async function renameTag(db: ShelfmarkDB, from: string, to: string): Promise<string> {
  const oldName = cleanTag(from);
  const wanted = cleanTag(to);
  return db.transaction('rw', db.tags, db.paperTags, async () => {
    if (!(await db.tags.get(oldName))) throw new ActionError(`No tag named "${oldName}".`);
    const lower = wanted.toLowerCase();
    const target = await db.tags.where('lower').equals(lower).filter((t) => t.name !== oldName).first();
    const name = target ? target.name : wanted;
    if (name === oldName) return name;
    const rows = await db.paperTags.where('tag').equals(oldName).toArray();
    if (!target) {
      const old = await db.tags.get(oldName);
      await db.tags.add({ name, createdAt: old?.createdAt ?? Date.now() });
    }
    const existing = await db.paperTags.bulkGet(rows.map((r) => [r.paperId, name] as [string, string]));
    const moved = rows.filter((_, i) => !existing[i]).map((r) => ({ ...r, tag: name }));
    if (moved.length) await db.paperTags.bulkAdd(moved);
    await db.paperTags.bulkDelete(rows.map((r) => [r.paperId, oldName] as [string, string]));
    await db.tags.delete(oldName);
    return name;
  });
}

/** Removes a tag from every paper and from the tag registry. */
export async function deleteTag(db: ShelfmarkDB, tag: string): Promise<void> {
  const name = cleanTag(tag);
  await db.transaction('rw', db.tags, db.paperTags, async () => {
    await db.paperTags.where('tag').equals(name).delete();
    await db.tags.delete(name);
  });
}

/**
 * Creates a reading list and puts papers in it, in one transaction: other views never see the
 * new list empty (the pickers' "create a list inline").
 */
export async function createListWithPapers(db: ShelfmarkDB, name: string, paperIds: readonly string[]): Promise<string> {
  return db.transaction('rw', db.papers, db.lists, db.listItems, async () => {
    const listId = await createList(db, name);
    if (paperIds.length) await addToList(db, listId, paperIds);
    return listId;
  });
}
