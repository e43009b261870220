import type { ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import { titleKey } from '../model/normalize';
import { mergePapers, undoMerge, type MergeRecord } from '../dedupe/merge';
import { decisionAdapters } from './decisions';
import { emptyView, listRef, type SyncView } from './model';
import { META } from '../storage/meta';

/**
 * Between the user's records in Dexie and the sync view: read the local view, and apply what other
 * devices changed. Applying writes only the differences between the view before and after a merge,
 * so an edit the user makes while a sync runs is not overwritten with a stale copy; it is captured
 * on the next round.
 */

const tab = (...parts: string[]) => parts.join('\t');
const untab = (s: string) => s.split('\t');

/**
 * A note longer than this (in UTF-8 bytes of its JSON text) stays on this device: notes come last in
 * the budget, and one paper's entries must fit in one storage.sync item.
 */
export const NOTE_SYNC_MAX = 4_000;

export function noteSyncs(text: string): boolean {
  return text.length <= NOTE_SYNC_MAX && new TextEncoder().encode(JSON.stringify(text)).length <= NOTE_SYNC_MAX;
}

export async function readLocalView(db: ShelfmarkDB): Promise<SyncView> {
  const v = emptyView();
  await db.transaction('r', [db.tags, db.paperTags, db.lists, db.listItems, db.notes, db.papers, db.merges, db.meta], async () => {
    for (const name of await db.tags.toCollection().primaryKeys()) v.tags.add(String(name));
    for (const r of await db.paperTags.toArray()) v.links.add(tab(r.paperId, r.tag));
    for (const l of await db.lists.toArray()) v.lists.set(listRef(l.id), { name: l.name, deleted: !!l.deletedAt });
    for (const it of await db.listItems.toArray()) v.items.set(tab(listRef(it.listId), it.paperId), { pos: it.position, read: !!it.read });
    for (const n of await db.notes.toArray()) if (noteSyncs(n.text)) v.notes.set(n.paperId, n.text);
    for (const p of await db.papers.where('origin').equals('user').toArray()) {
      const rec: SyncView['userPapers'] extends Map<string, infer R> ? R : never = { title: p.title };
      if (p.arxivId) rec.arxivId = p.arxivId;
      if (p.doi) rec.doi = p.doi;
      if (p.openreviewId) rec.openreviewId = p.openreviewId;
      v.userPapers.set(p.id, rec);
    }
    for (const m of await db.merges.orderBy('at').toArray()) {
      if (m.undoneAt) {
        if (v.merges.get(m.mergedId) === m.survivorId) v.merges.delete(m.mergedId);
      } else v.merges.set(m.mergedId, m.survivorId);
    }
    for (const [id, keys] of await META.rejected.all(db)) for (const k of keys) v.rejects.add(tab(id, k));
    for (const [id, keys] of await META.confirmed.all(db)) for (const k of keys) v.confirms.add(tab(id, k));
  });
  for (const a of decisionAdapters()) for (const d of await a.read(db)) v.decisions.add(tab(a.kind, d.paperId, d.key));
  return v;
}

function setDiff<T>(after: Set<T>, before: Set<T>): T[] {
  return [...after].filter((x) => !before.has(x));
}

export interface ApplyResult {
  changes: number;
  /** Things other devices did that could not be done here (e.g. a merge of papers this profile lacks). */
  skipped: string[];
}

/** Writes into Dexie the changes from `before` to `after` (both sync views). */
export async function applyDelta(db: ShelfmarkDB, before: SyncView, after: SyncView): Promise<ApplyResult> {
  let changes = 0;
  const skipped: string[] = [];
  const now = Date.now();

  // Papers other devices added from listings, so their tags have something to attach to.
  const newPapers = [...after.userPapers].filter(([id]) => !before.userPapers.has(id));
  if (newPapers.length) {
    await db.transaction('rw', db.papers, async () => {
      const have = await db.papers.bulkGet(newPapers.map(([id]) => id));
      const rows: Paper[] = [];
      newPapers.forEach(([id, u], i) => {
        const key = titleKey(u.title);
        if (have[i] || !key) return;
        const p: Paper = { id, title: u.title, key, aliasKeys: [], provenance: [{ kind: 'page', source: 'sync' }], origin: 'user', addedAt: now, updatedAt: now };
        if (u.arxivId) p.arxivId = u.arxivId;
        if (u.doi) p.doi = u.doi;
        if (u.openreviewId) p.openreviewId = u.openreviewId;
        rows.push(p);
      });
      if (rows.length) await db.papers.bulkAdd(rows);
      changes += rows.length;
    });
  }

  // Merges and their undo go through lib/merge.ts: they move tags, lists and notes together.
  for (const [merged, survivor] of after.merges) {
    if (before.merges.get(merged) === survivor) continue;
    const p = await db.papers.get(merged);
    if (p?.mergedInto === survivor) continue;
    try {
      await mergePapers(db, survivor, merged);
      changes++;
    } catch (e) {
      skipped.push(`merge ${merged} into ${survivor}: ${(e as Error).message}`);
    }
  }
  for (const [merged, survivor] of before.merges) {
    if (after.merges.get(merged) === survivor) continue;
    const rows = (await db.merges.where('mergedId').equals(merged).toArray()) as MergeRecord[];
    const row = rows.filter((r) => !r.undoneAt && r.survivorId === survivor).at(-1);
    if (!row?.id) continue;
    try {
      await undoMerge(db, row.id);
      changes++;
    } catch (e) {
      skipped.push(`undo merge of ${merged}: ${(e as Error).message}`);
    }
  }

  await db.transaction('rw', [db.papers, db.tags, db.paperTags, db.lists, db.listItems, db.notes, db.meta], async () => {
    // A paper merged away here since: what other devices attach to it lands on the survivor.
    const live = new Map<string, string | undefined>();
    const liveId = async (id: string) => {
      if (live.has(id)) return live.get(id);
      let p = await db.papers.get(id);
      for (let hops = 0; p?.mergedInto && hops < 20; hops++) p = await db.papers.get(p.mergedInto);
      live.set(id, p?.id);
      return p?.id;
    };

    for (const t of setDiff(after.tags, before.tags)) {
      if (!(await db.tags.get(t))) {
        await db.tags.add({ name: t, createdAt: now });
        changes++;
      }
    }
    for (const l of setDiff(after.links, before.links)) {
      const [pid, tag] = untab(l);
      const id = await liveId(pid);
      if (!id) continue;
      if (!(await db.tags.get(tag))) await db.tags.add({ name: tag, createdAt: now });
      if (!(await db.paperTags.get([id, tag]))) {
        await db.paperTags.add({ paperId: id, tag, addedAt: now });
        changes++;
      }
    }
    for (const l of setDiff(before.links, after.links)) {
      const [pid, tag] = untab(l);
      const id = (await liveId(pid)) ?? pid;
      await db.paperTags.delete([id, tag]);
      changes++;
    }
    for (const t of setDiff(before.tags, after.tags)) {
      // A tag deleted elsewhere: gone here too, with the links that still carry it.
      await db.paperTags.where('tag').equals(t).delete();
      await db.tags.delete(t);
      changes++;
    }

    const localLists = new Map((await db.lists.toArray()).map((l) => [listRef(l.id), l]));
    for (const [ref, l] of after.lists) {
      const b = before.lists.get(ref);
      if (b && b.name === l.name && b.deleted === l.deleted) continue;
      const cur = localLists.get(ref);
      if (!cur) {
        await db.lists.add({ id: ref, name: l.name, createdAt: now, updatedAt: now, ...(l.deleted ? { deletedAt: now } : {}) });
        localLists.set(ref, (await db.lists.get(ref))!);
      } else {
        const patch: Record<string, unknown> = { name: l.name, updatedAt: now };
        if (l.deleted && !cur.deletedAt) patch.deletedAt = now;
        await db.lists.update(cur.id, patch);
        if (!l.deleted && cur.deletedAt) {
          const { deletedAt: _gone, ...rest } = { ...cur, name: l.name, updatedAt: now };
          await db.lists.put(rest);
        }
      }
      changes++;
    }

    for (const [k, it] of after.items) {
      const b = before.items.get(k);
      if (b && b.pos === it.pos && b.read === it.read) continue;
      const [ref, pid] = untab(k);
      const list = localLists.get(ref);
      const id = await liveId(pid);
      if (!list || !id) continue;
      await db.listItems.put({ listId: list.id, paperId: id, position: it.pos, read: it.read, addedAt: (await db.listItems.get([list.id, id]))?.addedAt ?? now });
      changes++;
    }
    for (const k of before.items.keys()) {
      if (after.items.has(k)) continue;
      const [ref, pid] = untab(k);
      const list = localLists.get(ref);
      if (!list) continue;
      await db.listItems.delete([list.id, (await liveId(pid)) ?? pid]);
      changes++;
    }

    for (const [pid, text] of after.notes) {
      if (before.notes.get(pid) === text) continue;
      const id = await liveId(pid);
      if (!id) continue;
      await db.notes.put({ paperId: id, text, updatedAt: now });
      changes++;
    }
    for (const pid of before.notes.keys()) {
      if (after.notes.has(pid)) continue;
      const cur = await db.notes.get(pid);
      // A note too long to sync was never in the view: it stays.
      if (cur && noteSyncs(cur.text)) {
        await db.notes.delete(pid);
        changes++;
      }
    }

    for (const [family, a, b] of [
      [META.rejected, after.rejects, before.rejects],
      [META.confirmed, after.confirms, before.confirms],
    ] as const) {
      const touched = new Map<string, { add: string[]; del: string[] }>();
      for (const k of setDiff(a, b)) {
        const [id, key] = untab(k);
        (touched.get(id) ?? touched.set(id, { add: [], del: [] }).get(id)!).add.push(key);
      }
      for (const k of setDiff(b, a)) {
        const [id, key] = untab(k);
        (touched.get(id) ?? touched.set(id, { add: [], del: [] }).get(id)!).del.push(key);
      }
      for (const [id, { add, del }] of touched) {
        const item = family.item(id);
        const keys = new Set((await item.get(db)) ?? []);
        for (const k of add) keys.add(k);
        for (const k of del) keys.delete(k);
        await item.put(db, [...keys]);
        changes++;
      }
    }
  });

  for (const adapter of decisionAdapters()) {
    const pick = (s: Set<string>, t: Set<string>) =>
      setDiff(s, t)
        .map(untab)
        .filter(([kind]) => kind === adapter.kind)
        .map(([, paperId, key]) => ({ paperId, key }));
    const added = pick(after.decisions, before.decisions);
    const removed = pick(before.decisions, after.decisions);
    if (added.length || removed.length) {
      await adapter.apply(db, added, removed);
      changes += added.length + removed.length;
    }
  }
  return { changes, skipped };
}
