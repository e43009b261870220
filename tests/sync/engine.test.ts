import { describe, it, expect, afterEach } from 'vitest';
import type { ShelfmarkDB } from '../../lib/storage/db';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag, addToList, createList, removeTag, reorderList, setNote, setRead, rejectMatch, addPaperFromEntry, deleteList, renameTag } from '../../lib/actions';
import { SyncEngine, setSyncEnabled, type SyncArea } from '../../lib/sync/engine';
import { readLocalView } from '../../lib/sync/bridge';
import { paperIdFromKey } from '../../lib/corpus/corpus';
import { titleKey } from '../../lib/model/normalize';
import { decodeShard, encodeShard } from '../../lib/sync/codec';
import { listRef, paperIdOf, paperRef } from '../../lib/sync/model';
import { QUOTA_BYTES, QUOTA_BYTES_PER_ITEM, itemBytesOfArea } from './area';
import { registerDecisionAdapter } from '../../lib/sync/decisions';

/** An in-memory storage.sync with the browser's limits (per item and in all). */
export class MemoryArea implements SyncArea {
  data: Record<string, unknown> = {};
  writes = 0;
  async get(): Promise<Record<string, unknown>> {
    return structuredClone(this.data);
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const next = { ...this.data, ...structuredClone(items) };
    for (const [k, v] of Object.entries(items)) if (itemBytesOfArea(k, v) > QUOTA_BYTES_PER_ITEM) throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
    if (Object.entries(next).reduce((n, [k, v]) => n + itemBytesOfArea(k, v), 0) > QUOTA_BYTES) throw new Error('QUOTA_BYTES quota exceeded');
    this.data = next;
    this.writes++;
  }
  async remove(keys: string[]): Promise<void> {
    for (const k of keys) delete this.data[k];
    this.writes++;
  }
}

const TITLES = Array.from({ length: 40 }, (_, i) => `A Study of Topic Number ${i} in Machine Learning`);
const seedPapers = () => TITLES.map((t) => makePaper(paperIdFromKey(titleKey(t)), t));
const pid = (i: number) => paperIdFromKey(titleKey(TITLES[i]));

let dbs: ShelfmarkDB[] = [];
async function device(area: SyncArea, clock: { t: number }) {
  const db = await openTestDb('sync-engine', seedPapers());
  dbs.push(db);
  await setSyncEnabled(db, true);
  return { db, engine: new SyncEngine(db, area, { now: () => clock.t }) };
}
afterEach(async () => {
  for (const db of dbs) await dropTestDb(db);
  dbs = [];
});

function comparable(v: Awaited<ReturnType<typeof readLocalView>>, lists: Map<string, string>) {
  return {
    tags: [...v.tags].toSorted(),
    links: [...v.links].toSorted(),
    lists: [...v.lists.values()].map((l) => `${l.name}/${l.deleted}`).toSorted(),
    items: [...v.items].map(([k, item]) => `${lists.get(k.split("\t")[0])}\t${k.split("\t")[1]}\t${item.pos}\t${item.read}`).toSorted(),
    notes: [...v.notes].toSorted(),
    rejects: [...v.rejects].toSorted(),
  };
}
async function state(db: ShelfmarkDB) {
  const v = await readLocalView(db);
  const names = new Map([...v.lists].map(([ref, l]) => [ref, l.name]));
  return comparable(v, names);
}

describe('sync engine between two profiles through one sync area', () => {
  it('paper ids round-trip through their 11-character form', () => {
    for (let i = 0; i < 500; i++) {
      const id = paperIdFromKey(`title ${i} ${Math.random()}`);
      expect(paperRef(id)).toHaveLength(11);
      expect(paperIdOf(paperRef(id))).toBe(id);
    }
    expect(paperIdOf(paperRef('odd id'))).toBe('odd_id');
  });

  it('carries tags, lists, order, read state, notes and decisions to a fresh profile', async () => {
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 1e9 };
    const a = await device(area, clock);
    await addTag(a.db, [pid(0), pid(1), pid(2)], 'rl');
    await addTag(a.db, [pid(3)], 'Vision: "quoted", with, commas:');
    const l = await createList(a.db, 'To read');
    await addToList(a.db, l, [pid(4), pid(5), pid(6)]);
    await reorderList(a.db, l, [pid(6), pid(4), pid(5)]);
    await setRead(a.db, l, pid(4), true);
    await setNote(a.db, pid(1), 'Check the ablation — ünïcode ✓');
    await rejectMatch(a.db, pid(2), { title: 'A different title, same words', ids: {} });
    const added = await addPaperFromEntry(a.db, { title: 'A Paper Only On Device A', ids: { arxiv: '2501.00001' } }, 'https://arxiv.org/list/cs.LG/new');
    await addTag(a.db, [added.paperId], 'rl');
    const s1 = await a.engine.sync();
    expect(s1.errors).toEqual([]);
    expect(s1.notSynced).toEqual([]);

    clock.t += 5000;
    const b = await device(area, clock);
    await b.engine.sync();
    expect(await state(b.db)).toEqual(await state(a.db));
    expect((await b.db.papers.get(added.paperId))?.arxivId).toBe('2501.00001');
  });

  it('concurrent edits on both sides, carried both ways, converge without losing either', async () => {
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 2e9 };
    const a = await device(area, clock);
    await addTag(a.db, [pid(0), pid(1)], 'shared');
    const l = await createList(a.db, 'Reading');
    await addToList(a.db, l, [pid(2), pid(3)]);
    await a.engine.sync();
    const b = await device(area, clock);
    await b.engine.sync();
    // Apart: a removes a tag b keeps adding to; both edit the same list and the same note. Each
    // device captures its edits right after making them, against a sync area that does not yet
    // hold the other's writes (the transport's concurrent writes).
    const snapshot = structuredClone(area.data);
    clock.t += 10_000;
    await removeTag(a.db, [pid(0)], 'shared');
    await addTag(a.db, [pid(5)], 'only-a');
    await setRead(a.db, l, pid(2), true);
    await setNote(a.db, pid(3), 'from a');
    await a.engine.sync();
    const afterA = area.data;
    area.data = snapshot;
    clock.t += 3000;
    await addTag(b.db, [pid(6)], 'shared');
    await addTag(b.db, [pid(0)], 'from-b');
    // b holds the list under its short ref (lib/sync/model.ts listRef).
    await addToList(b.db, listRef(l), [pid(7)]);
    await setNote(b.db, pid(3), 'from b, later');
    await b.engine.sync();
    // Chrome keeps one writer's item per key; the losing device re-merges and rewrites.
    area.data = { ...area.data, ...Object.fromEntries(Object.entries(afterA).filter(([k]) => k.startsWith('s.a'))) };
    for (let i = 0; i < 3; i++) {
      await a.engine.sync();
      await b.engine.sync();
    }
    const sa = await state(a.db);
    expect(await state(b.db)).toEqual(sa);
    expect(sa.links).toContain(`${pid(6)}\tshared`);
    expect(sa.links).toContain(`${pid(5)}\tonly-a`);
    expect(sa.links).toContain(`${pid(0)}\tfrom-b`);
    expect(sa.links).not.toContain(`${pid(0)}\tshared`);
    expect(sa.items.some((x) => x.startsWith(`Reading\t${pid(7)}`))).toBe(true);
    expect(sa.items).toContain(`Reading\t${pid(2)}\t0\ttrue`);
    expect(sa.notes).toEqual([[pid(3), 'from b, later']]);
  });

  it('deletions travel: a deleted list, a renamed tag', async () => {
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 3e9 };
    const a = await device(area, clock);
    await addTag(a.db, [pid(0)], 'old');
    const l = await createList(a.db, 'Gone soon');
    await a.engine.sync();
    const b = await device(area, clock);
    await b.engine.sync();
    clock.t += 2000;
    await renameTag(a.db, 'old', 'new');
    await deleteList(a.db, l);
    await a.engine.sync();
    await b.engine.sync();
    expect(await state(b.db)).toEqual(await state(a.db));
    expect((await b.db.lists.get(listRef(l)))?.deletedAt).toBeTruthy();
  });

  it('past the budget: the lower priorities are left out, reported, and nothing local is lost', async () => {
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 4e9 };
    const a = await device(area, clock);
    await addTag(a.db, [pid(0)], 'kept');
    // Notes are last in priority: enough of them to overflow the quota.
    for (let i = 0; i < 40; i++) await setNote(a.db, pid(i), `${i}`.padEnd(3500, '.'));
    const s = await a.engine.sync();
    expect(s.errors).toEqual([]);
    expect(s.notSynced.length).toBeGreaterThan(0);
    expect(s.notSynced.every((n) => n.family === 'n')).toBe(true);
    expect(s.bytesUsed).toBeLessThanOrEqual(QUOTA_BYTES);
    expect(await a.db.notes.count()).toBe(40);
    const b = await device(area, clock);
    await b.engine.sync();
    expect((await state(b.db)).links).toEqual([`${pid(0)}\tkept`]);
    const missing = s.notSynced.reduce((n, x) => n + x.entries, 0);
    expect(await b.db.notes.count()).toBe(40 - missing);
  });

  it('decisions of a registered adapter (e.g. dismissals) travel and their undo too', async () => {
    // An adapter as a triage feature would write one: decisions kept in meta rows `dismissed:<paperId>`.
    registerDecisionAdapter({
      kind: 'dismissed',
      async read(db) {
        return (await db.meta.where('key').startsWith('dismissed:').toArray()).map((r) => ({ paperId: r.key.slice(10), key: '' }));
      },
      async apply(db, added, removed) {
        for (const d of added) await db.meta.put({ key: `dismissed:${d.paperId}`, value: true });
        for (const d of removed) await db.meta.delete(`dismissed:${d.paperId}`);
      },
    });
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 6e9 };
    const a = await device(area, clock);
    await a.db.meta.bulkPut([{ key: `dismissed:${pid(1)}`, value: true }, { key: `dismissed:${pid(2)}`, value: true }]);
    await a.engine.sync();
    const b = await device(area, clock);
    await b.engine.sync();
    expect((await b.db.meta.where('key').startsWith('dismissed:').primaryKeys()).toSorted()).toEqual([`dismissed:${pid(1)}`, `dismissed:${pid(2)}`].toSorted());
    clock.t += 2000;
    await b.db.meta.delete(`dismissed:${pid(1)}`);
    await b.engine.sync();
    await a.engine.sync();
    expect(await a.db.meta.where('key').startsWith('dismissed:').primaryKeys()).toEqual([`dismissed:${pid(2)}`]);
  });

  it('shards survive encode/decode exactly', async () => {
    const area = new MemoryArea();
    const clock = { t: 1_767_225_600_000 + 5e9 };
    const a = await device(area, clock);
    await addTag(a.db, [pid(0), pid(1)], 't1');
    await setNote(a.db, pid(2), 'n');
    await setNote(a.db, pid(2), '');
    await a.engine.sync();
    const row = (await a.db.sync.get('replica'))!.value as { shards: Record<string, unknown> };
    for (const enc of Object.values(row.shards)) expect(encodeShard(decodeShard(enc))).toEqual(enc);
  });
});
