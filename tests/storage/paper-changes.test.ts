// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { ShelfmarkDB } from '@/lib/storage/db';
import { SCHEMA_VERSION } from '@/lib/storage/migrations';
import { skipRevisionStamp } from '@/lib/storage/papers-revision';
import { changesSince, lastChange, pruneChanges, type PaperChangeRow } from '@/lib/storage/paper-changes';
import { makePaper } from '../helpers/db';

const names: string[] = [];
const freshName = () => {
  const n = `pc-${Math.random().toString(36).slice(2)}`;
  names.push(n);
  return n;
};
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

const journal = async (db: ShelfmarkDB) => (await db.table('paperChanges').toArray()) as PaperChangeRow[];

describe('schema v5', () => {
  it('a v2 database opens at v5 with every record kept and the new tables empty', async () => {
    const name = freshName();
    const v2 = new ShelfmarkDB(name, { upTo: 2 });
    await v2.papers.bulkAdd([makePaper('p1', 'One'), makePaper('p2', 'Two')]);
    await v2.tags.add({ name: 'RL', createdAt: 1 });
    await v2.notes.add({ paperId: 'p1', text: 'note', updatedAt: 1 });
    await v2.meta.put({ key: 'x', value: 1 });
    const before = { papers: await v2.papers.toArray(), tags: await v2.tags.toArray(), notes: await v2.notes.toArray() };
    expect(v2.tables.map((t) => t.name)).not.toContain('paperChanges');
    v2.close();

    const db = new ShelfmarkDB(name);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect({ papers: await db.papers.toArray(), tags: await db.tags.toArray(), notes: await db.notes.toArray() }).toEqual(before);
    expect(await db.table('paperChanges').count()).toBe(0);
    expect(await db.table('searchParts').count()).toBe(0);
    expect(await db.table('duplicateCache').count()).toBe(0);
    // The journal starts with the first write after the upgrade.
    await db.papers.put(makePaper('p3', 'Three'));
    expect((await journal(db)).map((r) => r.ids)).toEqual([['p3']]);
    db.close();
  });
});

describe('papers change journal', () => {
  // Every kind of papers write Dexie can issue is journalled with exactly the keys it wrote.
  const writes: [string, (db: ShelfmarkDB) => Promise<unknown>, string[] | null][] = [
    ['add', (db) => db.papers.add(makePaper('n1', 'New')), ['n1']],
    ['put', (db) => db.papers.put(makePaper('a', 'Retitled')), ['a']],
    ['bulkPut', (db) => db.papers.bulkPut([makePaper('a', 'A2'), makePaper('n2', 'N2')]), ['a', 'n2']],
    ['bulkAdd', (db) => db.papers.bulkAdd([makePaper('n3', 'N3'), makePaper('n4', 'N4')]), ['n3', 'n4']],
    ['update', (db) => db.papers.update('b', { title: 'B2' }), ['b']],
    ['modify', (db) => db.papers.where('id').anyOf('a', 'c').modify({ mergedInto: 'b' }), ['a', 'c']],
    ['delete', (db) => db.papers.delete('c'), ['c']],
    ['bulkDelete', (db) => db.papers.bulkDelete(['a', 'b']), ['a', 'b']],
    ['clear', (db) => db.papers.clear(), null],
  ];
  for (const [kind, write, ids] of writes) {
    it(`records ${kind}`, async () => {
      const db = new ShelfmarkDB(freshName());
      await db.papers.bulkAdd([makePaper('a', 'A'), makePaper('b', 'B'), makePaper('c', 'C')]);
      const after = await lastChange(db);
      await write(db);
      const got = await changesSince(db, after);
      expect(got.ids === 'all' ? null : [...got.ids].toSorted()).toEqual(ids);
      expect(got.last).toBe(await lastChange(db));
      db.close();
    });
  }

  it('journals every write of a transaction in order, skips lastSeenAt-only writes and other tables', async () => {
    const db = new ShelfmarkDB(freshName());
    await db.papers.bulkAdd([makePaper('a', 'A'), makePaper('b', 'B')]);
    await db.transaction('rw', db.papers, async () => {
      skipRevisionStamp();
      await db.papers.update('a', { lastSeenAt: 5 });
    });
    await db.tags.add({ name: 'x', createdAt: 1 });
    await db.transaction('rw', db.papers, db.notes, async () => {
      await db.papers.put(makePaper('c', 'C'));
      await db.notes.put({ paperId: 'c', text: 't', updatedAt: 1 });
      await db.papers.update('b', { title: 'B!' });
    });
    const rows = await journal(db);
    expect(rows.map((r) => r.ids)).toEqual([['a', 'b'], ['c'], ['b']]);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((r) => r.seq).toSorted((x, y) => x! - y!));
    // A failed transaction leaves no journal row behind.
    await expect(
      db.transaction('rw', db.papers, async () => {
        await db.papers.put(makePaper('d', 'D'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await journal(db)).toHaveLength(3);

    const first = rows[0]!.seq!;
    expect([...((await changesSince(db, first)).ids as Set<string>)].toSorted()).toEqual(['b', 'c']);
    expect((await changesSince(db, 0, 2)).ids).toBe('all'); // more ids than the caller can take
    await pruneChanges(db, rows[1]!.seq!);
    expect((await journal(db)).map((r) => r.ids)).toEqual([['c'], ['b']]);
    await pruneChanges(db, rows[2]!.seq!);
    // The last row stays: the journal position never goes back.
    expect((await journal(db)).map((r) => r.ids)).toEqual([['b']]);
    expect(await lastChange(db)).toBe(rows[2]!.seq);
    db.close();
  });
});
