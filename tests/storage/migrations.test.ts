// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { ShelfmarkDB } from '@/lib/storage/db';
import { SCHEMA_V1, SCHEMA_VERSION } from '@/lib/storage/migrations';
import { buildCorpusAsset, buildSeedCorpus, paperIdFromKey, type CorpusAsset, type CorpusPaper } from '@/lib/corpus/corpus';
import { importCorpus } from '@/lib/corpus/corpus-import';
import { addTag, addToList, createList, reorderList, setNote, setRead } from '@/lib/actions';
import { mergePapers, markNotDuplicates } from '@/lib/dedupe/merge';
import { readSeedFiles } from '../helpers/seeds';

let seed: { asset: CorpusAsset; papers: CorpusPaper[] };
const names: string[] = [];
const freshName = () => {
  const n = `mig-${Math.random().toString(36).slice(2)}`;
  names.push(n);
  return n;
};

beforeAll(() => {
  seed = buildSeedCorpus(readSeedFiles());
});
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

const TABLES = Object.keys(SCHEMA_V1) as (keyof typeof SCHEMA_V1)[];

/** Every row of every v1 table, read with plain IndexedDB (no Dexie schema involved), sorted by key. */
async function rawDump(name: string): Promise<{ version: number; tables: Record<string, unknown[]> }> {
  const idb = await new Promise<IDBDatabase>((res, rej) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const tables: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    tables[t] = await new Promise<unknown[]>((res, rej) => {
      const r = idb.transaction(t).objectStore(t).getAll();
      r.onsuccess = () => res(r.result as unknown[]);
      r.onerror = () => rej(r.error);
    });
  }
  const version = idb.version;
  idb.close();
  return { version, tables };
}

const tagRows = (tag: string, of: string[]) => of.map((paperId) => ({ paperId, tag, addedAt: 2 }));

/** A v1 database as a user leaves it: the seed corpus, tags, lists (ordered, read), notes, sightings, a merge. */
async function fillV1(name: string) {
  const db = new ShelfmarkDB(name, { upTo: 1 });
  await importCorpus(db, seed.asset, { now: () => 1 });
  const p = seed.papers;
  const ids = p.slice(0, 40).map((x) => x.id);
  // Tags as the v1 code wrote them (today's addTag needs the v2 `lower` index).
  await db.tags.bulkAdd([
    { name: 'RL', createdAt: 2 },
    { name: 'Diffusion models', createdAt: 2 },
    { name: 'to cite', createdAt: 2 },
  ]);
  await db.paperTags.bulkAdd([...tagRows('RL', ids.slice(0, 20)), ...tagRows('Diffusion models', ids.slice(10, 30)), ...tagRows('to cite', [ids[0]!])]);
  await db.paperTags.delete([ids[5]!, 'RL']);
  const l1 = await createList(db, 'Reading group');
  const l2 = await createList(db, 'Thesis ch. 2');
  await addToList(db, l1, ids.slice(0, 12));
  await addToList(db, l2, ids.slice(20, 35));
  await reorderList(db, l1, ids.slice(0, 12).toReversed());
  await setRead(db, l1, ids[3]!, true);
  for (let i = 0; i < 15; i++) await setNote(db, ids[i]!, `note ${i}: ünïcödé ✓ ${'x'.repeat(i * 10)}`);
  await db.sightings.bulkAdd(
    ids.slice(0, 25).map((id, i) => ({
      paperId: id,
      title: p[i]!.title,
      key: p[i]!.key,
      pageUrl: 'https://arxiv.org/list/cs.LG/recent',
      host: 'arxiv.org',
      ids: {},
      status: 'match' as const,
      seenAt: 100 + i,
    })),
  );
  await mergePapers(db, ids[30]!, ids[31]!);
  await markNotDuplicates(db, [ids[32]!, ids[33]!]);
  expect(db.verno).toBe(1);
  db.close();
  return { ids, l1, l2 };
}

describe('schema v1 → v2', () => {
  it('keeps every record of a full v1 database and fills the new tag index', async () => {
    const name = freshName();
    await fillV1(name);
    const before = await rawDump(name);
    expect(before.version).toBe(10); // Dexie stores version × 10
    const counts = Object.fromEntries(TABLES.map((t) => [t, before.tables[t]!.length]));
    expect(counts).toMatchObject({ papers: 314, tags: 3, paperTags: 40, lists: 2, listItems: 26, notes: 15, sightings: 25, merges: 1, notDuplicates: 1 });

    expect(before.tables.tags!.some((t) => 'lower' in (t as object))).toBe(false); // v1 rows: no `lower` yet
    const db = new ShelfmarkDB(name);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    db.close();
    const after = await rawDump(name);
    expect(after.version).toBe(SCHEMA_VERSION * 10);
    let checked = 0;
    for (const t of TABLES) {
      const expected = t === 'tags' ? before.tables[t]!.map((r) => ({ ...(r as object), lower: (r as { name: string }).name.toLowerCase() })) : before.tables[t];
      expect(after.tables[t], t).toEqual(expected);
      checked += after.tables[t]!.length;
    }
    expect(checked).toBe(Object.values(counts).reduce((a, b) => a + b, 0));

    // The new index answers case-insensitive lookups; the app keeps working on the upgraded data.
    const db2 = new ShelfmarkDB(name);
    expect((await db2.tags.where('lower').equals('diffusion models').first())?.name).toBe('Diffusion models');
    expect(await db2.backups.count()).toBe(0);
    await addTag(db2, [seed.papers[50]!.id], 'rl');
    expect(await db2.paperTags.where('tag').equals('RL').count()).toBe(20);
    await db2.tags.add({ name: 'NewTag', createdAt: 5 });
    expect((await db2.tags.get('NewTag'))?.lower).toBe('newtag');
    db2.close();
    console.log(`migrations: ${checked} records checked across ${TABLES.length} tables after v1 → v2`);
  });

  it('an upgrade that throws leaves the v1 database and all its data readable', async () => {
    const name = freshName();
    await fillV1(name);
    const before = await rawDump(name);

    const broken = new ShelfmarkDB(name, {
      upgradeV2: async (tx) => {
        // Half-done work first, then a failure: none of it may stay.
        await tx.table('tags').toCollection().modify((t: { createdAt: number }) => {
          t.createdAt = -1;
        });
        await tx.table('notes').clear();
        throw new Error('upgrade exploded');
      },
    });
    await expect(broken.open()).rejects.toThrow(/upgrade exploded/);
    broken.close();

    const after = await rawDump(name);
    expect(after.version).toBe(10);
    expect(after.tables).toEqual(before.tables);
    // The v1 code (the extension before the update) still reads it through Dexie.
    const v1 = new ShelfmarkDB(name, { upTo: 1 });
    expect(await v1.notes.count()).toBe(15);
    expect((await v1.tags.toArray()).map((t) => t.name).toSorted()).toEqual(['Diffusion models', 'RL', 'to cite']);
    v1.close();
    // And the fixed upgrade still runs afterwards.
    const fixed = new ShelfmarkDB(name);
    expect(await fixed.paperTags.count()).toBe(40);
    expect(fixed.verno).toBe(SCHEMA_VERSION);
    fixed.close();
  });

  it('a corpus update shipped with the new version keeps user data on the same papers', async () => {
    const name = freshName();
    const { ids, l1 } = await fillV1(name);
    const db = new ShelfmarkDB(name);
    const p = seed.papers;
    const before = {
      paperTags: await db.paperTags.toArray(),
      listItems: await db.listItems.toArray(),
      notes: await db.notes.toArray(),
      sightings: await db.sightings.toArray(),
      merges: await db.merges.toArray(),
    };
    // New corpus: paper 0 (tagged RL + "to cite", in a list, noted) is gone; paper 1 is retitled;
    // paper 100 (untouched) is gone; one paper is new.
    const retitled = `${p[1]!.title} (extended version)`;
    const v2 = buildCorpusAsset([
      ...p.filter((x, i) => i !== 0 && i !== 100).map((x, i) => (i === 0 ? { ...x, title: retitled } : x)),
      { id: paperIdFromKey('anewpaper'), key: 'anewpaper', title: 'A New Paper', abstract: '', provenance: [{ kind: 'seed' as const, source: 'new.txt', line: 1 }] },
    ]);
    const counts = await importCorpus(db, v2, { now: () => 50 });
    expect(counts).toMatchObject({ added: 1, removed: 1, kept: 1 });
    expect({
      paperTags: await db.paperTags.toArray(),
      listItems: await db.listItems.toArray(),
      notes: await db.notes.toArray(),
      sightings: await db.sightings.toArray(),
      merges: await db.merges.toArray(),
    }).toEqual(before);
    // Every row of user data still points at a paper that exists.
    const paperIds = new Set(await db.papers.toCollection().primaryKeys());
    for (const r of [...before.paperTags, ...before.listItems, ...before.notes]) expect(paperIds.has(r.paperId)).toBe(true);
    expect((await db.papers.get(ids[0]!))?.title).toBe(p[0]!.title);
    expect((await db.papers.get(ids[1]!))?.title).toBe(retitled);
    expect((await db.paperTags.where('paperId').equals(ids[1]!).toArray()).map((r) => r.tag).toSorted()).toEqual(['RL']);
    expect(await db.listItems.get([l1, ids[1]!])).toBeTruthy();
    expect(await db.papers.get(p[100]!.id)).toBeUndefined();
    db.close();
  });
});

describe('schema v3 → v7', () => {
  it('keeps every record of a v3 database, adds the papers.pmid index, and papers then hold and find PMIDs', async () => {
    const name = freshName();
    const { ids } = await fillV1(name);
    const v3 = new ShelfmarkDB(name, { upTo: 3 });
    await v3.open();
    expect(v3.verno).toBe(3);
    // A learned id with provenance, as v3 writes it.
    await v3.papers.update(ids[1]!, { arxivId: '2301.00001', learnedIds: [{ kind: 'arxiv', value: '2301.00001', pageUrl: 'https://arxiv.org/x', title: 't', at: 5, via: 'key' }] });
    v3.close();
    const before = await rawDump(name);
    expect(before.version).toBe(30);

    const db = new ShelfmarkDB(name);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.papers.schema.idxByName.pmid).toBeDefined();
    db.close();
    const after = await rawDump(name);
    expect(after.version).toBe(SCHEMA_VERSION * 10);
    expect(after.tables).toEqual(before.tables);

    // The upgraded database stores PMIDs and finds papers by them.
    const db2 = new ShelfmarkDB(name);
    expect(await db2.papers.where('pmid').equals('37988744').count()).toBe(0);
    await db2.papers.update(ids[2]!, { pmid: '37988744' });
    expect((await db2.papers.where('pmid').equals('37988744').first())?.id).toBe(ids[2]);
    expect(await db2.paperTags.count()).toBe(before.tables.paperTags!.length);
    db2.close();
  });
});
