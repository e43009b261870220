// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie (first: Dexie reads them on load)
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { Paper } from '../lib/model/types';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';
import { addTag, addToList, createList, setNote, setRead } from '../lib/actions';
import {
  batchMerge,
  markNotDuplicates,
  mergePapers,
  notDuplicateSet,
  undoMerge,
  undoMerges,
  unmarkNotDuplicates,
} from '../lib/dedupe/merge';
import { pairKey } from '../lib/dedupe/dedupe';

let db: ShelfmarkDB;

// Each paper from its own seed file, so merged provenance shows where every part came from.
const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper =>
  makePaper(id, title, { provenance: [{ kind: 'seed', source: `${id}.txt`, line: 1 }], addedAt: 100, updatedAt: 100, ...extra });

beforeEach(async () => {
  db = await openTestDb('merge', [
    paper('pub', 'Return-Conditioned Control', { doi: '10.1/pub', venue: 'NeurIPS', abstract: 'A B C', addedAt: 300 }),
    paper('pre', 'Decision Transformer', { arxivId: '2106.01345', abstract: 'A B C', lastSeenAt: 999 }),
    paper('other', 'Something Else'),
  ]);
  await db.sightings.add({ paperId: 'pre', title: 'Decision Transformer', key: 'decisiontransformer', pageUrl: 'https://arxiv.org/list', host: 'arxiv.org', ids: {}, status: 'match', seenAt: 5 });
});

afterEach(() => dropTestDb(db));

async function tagsOf(id: string) {
  return (await db.paperTags.where('paperId').equals(id).toArray()).map((t) => t.tag).toSorted();
}

describe('mergePapers', () => {
  it('keeps the survivor and the union of tags, lists, notes, sightings and ids; the other record stays for undo', async () => {
    await addTag(db, ['pre'], 'rl');
    await addTag(db, ['pre', 'pub'], 'to-read');
    await addTag(db, ['pub'], 'neurips');
    const l1 = await createList(db, 'Reading');
    const l2 = await createList(db, 'Seminar');
    await addToList(db, l1, ['other', 'pre']);
    await addToList(db, l2, ['pub', 'pre']);
    await setRead(db, l2, 'pre', true);
    await setNote(db, 'pre', 'preprint note');
    await setNote(db, 'pub', 'published note');

    const mergeId = await mergePapers(db, 'pub', 'pre');

    const pub = (await db.papers.get('pub'))!;
    expect(pub.arxivId).toBe('2106.01345');
    expect(pub.doi).toBe('10.1/pub');
    expect(pub.aliasKeys).toContain('decisiontransformer');
    expect(pub.provenance.map((p) => p.source).toSorted()).toEqual(['pre.txt', 'pub.txt']);
    expect(pub.addedAt).toBe(100);
    expect(pub.lastSeenAt).toBe(999);
    expect((await db.papers.get('pre'))!.mergedInto).toBe('pub');
    expect(await tagsOf('pub')).toEqual(['neurips', 'rl', 'to-read']);
    expect(await tagsOf('pre')).toEqual([]);
    // l1: pub takes pre's place (position 1, after 'other'); l2: pub stays, and is read since pre was.
    expect((await db.listItems.get([l1, 'pub']))!.position).toBe(1);
    expect((await db.listItems.get([l2, 'pub']))!.read).toBe(true);
    expect(await db.listItems.where('paperId').equals('pre').count()).toBe(0);
    const note = (await db.notes.get('pub'))!.text;
    expect(note).toContain('published note');
    expect(note).toContain('preprint note');
    expect(await db.sightings.where('paperId').equals('pub').count()).toBe(1);

    await undoMerge(db, mergeId);

    const pre = (await db.papers.get('pre'))!;
    expect(pre.mergedInto).toBeUndefined();
    const pub2 = (await db.papers.get('pub'))!;
    expect(pub2.arxivId).toBeUndefined();
    expect(pub2.aliasKeys).toEqual([]);
    expect(await tagsOf('pre')).toEqual(['rl', 'to-read']);
    expect(await tagsOf('pub')).toEqual(['neurips', 'to-read']);
    expect(await db.listItems.get([l1, 'pub'])).toBeUndefined();
    expect((await db.listItems.get([l1, 'pre']))!.position).toBe(1);
    expect((await db.listItems.get([l2, 'pub']))!.read).toBe(false);
    expect((await db.listItems.get([l2, 'pre']))!.read).toBe(true);
    expect((await db.notes.get('pre'))!.text).toBe('preprint note');
    expect((await db.notes.get('pub'))!.text).toBe('published note');
    expect(await db.sightings.where('paperId').equals('pre').count()).toBe(1);
    expect((await db.merges.get(mergeId))!.undoneAt).toBeTypeOf('number');
  });

  it('refuses bad merges with a clear error and changes nothing', async () => {
    await expect(mergePapers(db, 'pub', 'pub')).rejects.toThrow(/itself/);
    await expect(mergePapers(db, 'pub', 'nope')).rejects.toThrow(/No paper/);
    await mergePapers(db, 'pub', 'pre');
    await expect(mergePapers(db, 'other', 'pre')).rejects.toThrow(/already merged/);
    expect((await db.papers.get('other'))!.aliasKeys).toEqual([]);
  });

  it('undoes chained merges only newest first', async () => {
    const m1 = await mergePapers(db, 'pub', 'pre');
    const m2 = await mergePapers(db, 'other', 'pub');
    await expect(undoMerge(db, m1)).rejects.toThrow(/first/);
    await undoMerges(db, [m1, m2]);
    expect((await db.papers.toArray()).filter((p) => p.mergedInto)).toEqual([]);
  });
});

describe('batch merge and "not duplicates"', () => {
  it('merges several clusters, each into its richest record, and undoes them all', async () => {
    await db.papers.bulkAdd([paper('x1', 'Alpha'), paper('x2', 'Alpha', { abstract: 'longer record' })]);
    const ids = await batchMerge(db, [{ paperIds: ['pub', 'pre'] }, { paperIds: ['x1', 'x2'] }]);
    expect(ids.map((m) => m.length)).toEqual([1, 1]);
    expect((await db.papers.get('pre'))!.mergedInto).toBe('pub');
    expect((await db.papers.get('x1'))!.mergedInto).toBe('x2');
    await undoMerges(db, ids.flat());
    expect(await db.papers.filter((p) => !!p.mergedInto).count()).toBe(0);
  });

  it('remembers and forgets "not duplicates" pairs', async () => {
    await markNotDuplicates(db, ['a', 'b', 'c']);
    const set = await notDuplicateSet(db);
    expect(set.has(pairKey('b', 'a'))).toBe(true);
    expect(set.size).toBe(3);
    await unmarkNotDuplicates(db, ['a', 'b', 'c']);
    expect((await notDuplicateSet(db)).size).toBe(0);
  });
});
