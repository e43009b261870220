import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShelfmarkDB } from '@/lib/storage/db';
import { buildCorpusAsset, buildSeedCorpus, paperIdFromKey, type CorpusAsset, type CorpusPaper } from '@/lib/corpus/corpus';
import { CORPUS_META_KEY, importCorpus, needsCorpusImport, readCorpusMeta } from '@/lib/corpus/corpus-import';
import { papersRevision } from '@/lib/storage/papers-revision';
import { titleKey } from '@/lib/model/normalize';
import type { Paper } from '@/lib/model/types';
import { readSeedFiles } from './helpers/seeds';

let seed: { asset: CorpusAsset; papers: CorpusPaper[] };
const dbs: ShelfmarkDB[] = [];

function freshDb(): ShelfmarkDB {
  const db = new ShelfmarkDB(`test-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  return db;
}

beforeAll(() => {
  seed = buildSeedCorpus(readSeedFiles());
});

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** Everything the user owns, for before/after comparison. */
async function userTables(db: ShelfmarkDB) {
  return {
    tags: await db.tags.toArray(),
    paperTags: await db.paperTags.toArray(),
    lists: await db.lists.toArray(),
    listItems: await db.listItems.toArray(),
    notes: await db.notes.toArray(),
    sightings: await db.sightings.toArray(),
    merges: await db.merges.toArray(),
    notDuplicates: await db.notDuplicates.toArray(),
  };
}

describe('importCorpus', () => {
  it('writes the 314 seed papers in one transaction and records the version', async () => {
    const db = freshDb();
    const counts = await importCorpus(db, seed.asset, { now: () => 1000 });
    expect(counts).toEqual({ added: 314, updated: 0, unchanged: 0, removed: 0, kept: 0, transactions: 1 });
    expect(await db.papers.count()).toBe(314);
    const d5 = await db.papers.get(paperIdFromKey(titleKey('D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning')));
    expect(d5).toMatchObject({
      title: 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning',
      origin: 'seed',
      aliasKeys: [],
      addedAt: 1000,
    });
    expect(d5!.provenance).toHaveLength(4);
    expect(await readCorpusMeta(db)).toMatchObject({ version: seed.asset.version, state: 'complete', paperCount: 314 });
    expect(await needsCorpusImport(db, seed.asset.version)).toBe(false);
    expect(await needsCorpusImport(db, 'c0000000000000000')).toBe(true);
  });

  it('is idempotent: a second run (even forced) adds and changes nothing', async () => {
    const db = freshDb();
    await importCorpus(db, seed.asset);
    const before = await db.papers.toArray();
    const rev = await papersRevision(db);

    expect(await importCorpus(db, seed.asset)).toMatchObject({ added: 0, updated: 0, unchanged: 314 });
    const forced = await importCorpus(db, seed.asset, { force: true, now: () => 5 });
    expect(forced).toEqual({ added: 0, updated: 0, unchanged: 314, removed: 0, kept: 0, transactions: 0 });
    expect(await db.papers.toArray()).toEqual(before);
    // Nothing written, so the match index stays valid.
    expect(await papersRevision(db)).toBe(rev);
  });

  it('writes large corpora in chunks, one transaction per chunk', async () => {
    const db = freshDb();
    const counts = await importCorpus(db, seed.asset, { chunkSize: 50 });
    expect(counts.transactions).toBe(7);
    expect(counts.added).toBe(314);
    expect(await db.papers.count()).toBe(314);
  });

  it('resumes an import interrupted by a killed worker', async () => {
    const db = freshDb();
    let chunks = 0;
    const killed = importCorpus(db, seed.asset, {
      chunkSize: 100,
      onChunk: () => {
        if (++chunks === 2) throw new Error('service worker stopped');
      },
    });
    await expect(killed).rejects.toThrow('service worker stopped');
    expect(await db.papers.count()).toBe(200);
    expect(await readCorpusMeta(db)).toMatchObject({ version: seed.asset.version, state: 'importing' });
    expect(await needsCorpusImport(db, seed.asset.version)).toBe(true);

    const resumed = await importCorpus(db, seed.asset, { chunkSize: 100 });
    expect(resumed).toMatchObject({ added: 114, updated: 0, unchanged: 200 });
    expect(await db.papers.count()).toBe(314);
    expect(await needsCorpusImport(db, seed.asset.version)).toBe(false);
  });

  it('a corpus update never touches user data and never loses a paper the user has data on', async () => {
    const db = freshDb();
    await importCorpus(db, seed.asset, { now: () => 1 });
    const [p0, p1, p2, p3, p4] = seed.papers as [CorpusPaper, CorpusPaper, CorpusPaper, CorpusPaper, CorpusPaper];

    // The user's data: a tag on p0 and p1, p1 in a list, a note on p2, p4 merged into p3.
    await db.tags.add({ name: 'rl', createdAt: 2 });
    await db.paperTags.bulkAdd([
      { paperId: p0.id, tag: 'rl', addedAt: 2 },
      { paperId: p1.id, tag: 'rl', addedAt: 2 },
    ]);
    await db.lists.add({ id: 'l1', name: 'to read', createdAt: 2, updatedAt: 2 });
    await db.listItems.add({ listId: 'l1', paperId: p1.id, position: 0, read: false, addedAt: 2 });
    await db.notes.add({ paperId: p2.id, text: 'good baseline', updatedAt: 2 });
    await db.merges.add({ survivorId: p3.id, mergedId: p4.id, at: 2, before: (await db.papers.get(p3.id))! });
    await db.papers.update(p4.id, { mergedInto: p3.id });
    await db.papers.update(p3.id, { aliasKeys: [p4.key], arxivId: '2401.00001', lastSeenAt: 3 });
    const userBefore = await userTables(db);

    // Version 2: p0 (tagged) and p5 (untouched) dropped, p3's abstract and p1's title changed, one new paper.
    const p5 = seed.papers[5]!;
    const newcomer: CorpusPaper = {
      id: paperIdFromKey('abrandnewpaper'),
      key: 'abrandnewpaper',
      title: 'A Brand New Paper',
      abstract: 'New.',
      provenance: [{ kind: 'seed', source: '005_new.txt', line: 3 }],
    };
    const v2 = buildCorpusAsset([
      ...seed.papers
        .filter((p) => p !== p0 && p !== p5)
        .map((p) => (p === p3 ? { ...p, abstract: 'Rewritten abstract.' } : p === p1 ? { ...p, title: p.title.toUpperCase() } : p)),
      newcomer,
    ]);
    expect(v2.version).not.toBe(seed.asset.version);
    expect(await needsCorpusImport(db, v2.version)).toBe(true);

    const counts = await importCorpus(db, v2, { now: () => 10 });
    expect(counts).toMatchObject({ added: 1, updated: 2, unchanged: 310, removed: 1, kept: 1 });

    expect(await userTables(db)).toEqual(userBefore);
    expect(await db.papers.count()).toBe(314 - 1 + 1);
    expect(await db.papers.get(p5.id)).toBeUndefined();
    const kept = await db.papers.get(p0.id);
    expect(kept?.title).toBe(p0.title);
    const survivor = (await db.papers.get(p3.id))!;
    expect(survivor).toMatchObject({
      abstract: 'Rewritten abstract.',
      aliasKeys: [p4.key],
      arxivId: '2401.00001',
      lastSeenAt: 3,
      addedAt: 1,
      updatedAt: 10,
    });
    expect((await db.papers.get(p4.id))?.mergedInto).toBe(p3.id);
    expect((await db.papers.get(p1.id))?.title).toBe(p1.title.toUpperCase());
    expect(await db.papers.get(newcomer.id)).toMatchObject({ title: 'A Brand New Paper', origin: 'seed', addedAt: 10 });
  });

  it('keeps a paper the user added first, adding the seed provenance to it', async () => {
    const db = freshDb();
    const p = seed.papers[10]!;
    const mine: Paper = {
      id: p.id,
      title: p.title + ' (my copy)',
      key: p.key,
      aliasKeys: [],
      provenance: [{ kind: 'page', source: 'https://huggingface.co/papers' }],
      origin: 'user',
      addedAt: 1,
      updatedAt: 1,
    };
    await db.papers.add(mine);
    const counts = await importCorpus(db, seed.asset, { now: () => 7 });
    expect(counts).toMatchObject({ added: 313, updated: 1 });
    const after = (await db.papers.get(p.id))!;
    expect(after.origin).toBe('user');
    expect(after.title).toBe(mine.title);
    expect(after.abstract).toBe(p.abstract);
    expect(after.provenance).toEqual([...mine.provenance, ...p.provenance]);
  });

  it('re-keys a seed paper stored under an older normalized key instead of duplicating it', async () => {
    const db = freshDb();
    const p = seed.papers[20]!;
    // As if an older normalize.ts produced a different key (and so a different id).
    const oldId = paperIdFromKey('old:' + p.key);
    await db.papers.add({
      id: oldId,
      title: p.title,
      key: 'old:' + p.key,
      abstract: p.abstract,
      aliasKeys: [],
      provenance: p.provenance,
      origin: 'seed',
      addedAt: 1,
      updatedAt: 1,
    });
    await db.paperTags.add({ paperId: oldId, tag: 'mine', addedAt: 1 });
    const counts = await importCorpus(db, seed.asset);
    expect(counts).toMatchObject({ added: 313, updated: 1, removed: 0 });
    expect(await db.papers.count()).toBe(314);
    expect(await db.papers.get(p.id)).toBeUndefined();
    expect((await db.papers.get(oldId))?.key).toBe(p.key);
    expect(await db.papers.where('key').equals(p.key).count()).toBe(1);
  });

  it('records the import state under meta.corpus', async () => {
    const db = freshDb();
    await importCorpus(db, seed.asset, { now: () => 42 });
    const row = await db.meta.get(CORPUS_META_KEY);
    expect(row?.value).toMatchObject({ startedAt: 42, finishedAt: 42, counts: { added: 314 } });
  });
});

describe('importCorpus after a key change', () => {
  it('maps a merged-away seed paper under an older key back onto itself instead of re-adding it', async () => {
    const db = freshDb();
    const [a, b] = seed.papers as [CorpusPaper, CorpusPaper];
    const oldIdB = paperIdFromKey('old:' + b.key);
    await importCorpus(db, buildCorpusAsset([a]));
    await db.papers.add({
      id: oldIdB,
      title: b.title,
      key: 'old:' + b.key,
      aliasKeys: [],
      provenance: b.provenance,
      origin: 'seed',
      addedAt: 1,
      updatedAt: 1,
      mergedInto: a.id,
    });
    const counts = await importCorpus(db, buildCorpusAsset([a, b]));
    expect(counts).toMatchObject({ added: 0, updated: 1, unchanged: 1, removed: 0 });
    expect(await db.papers.get(b.id)).toBeUndefined();
    expect(await db.papers.get(oldIdB)).toMatchObject({ key: b.key, mergedInto: a.id });
  });
});
