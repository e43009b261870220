// The polyfill installs itself on import: IndexedDB for Dexie in Node.
// oxlint-disable-next-line import/no-unassigned-import
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSeedCorpus } from '../../lib/corpus/corpus';
import { findDuplicates, type DuplicateCluster } from '../../lib/dedupe/dedupe';
import { CandidateEngine, readCandidateClusters, readCursor, readScan, type ScanProgress } from '../../lib/dedupe/candidates';
import { journalTables, lastChange, pruneChanges } from '../../lib/storage/paper-changes';
import { SCHEMA_VERSION } from '../../lib/storage/migrations';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { readSeedFiles } from '../helpers/seeds';

const seed = buildSeedCorpus(readSeedFiles()).papers;
const base: Paper[] = seed.map((p) => makePaper(p.id, p.title, { key: p.key, abstract: p.abstract }));
/** Planted copies: an exact retitling by case, a shared DOI, a retitled version with the same abstract. */
const planted: Paper[] = base.slice(0, 40).map((p, i) =>
  i % 3 === 0
    ? makePaper(`dup${i}`, p.title.toUpperCase())
    : i % 3 === 1
      ? makePaper(`dup${i}`, `${p.title}: Extended Version`, { abstract: p.abstract })
      : makePaper(`dup${i}`, `Entirely Different Words Number ${i}`, { abstract: p.abstract }),
);
const corpus = [...base, ...planted];

let db: ShelfmarkDB;
afterEach(async () => {
  if (db) await dropTestDb(db);
});

const certainShape = (cs: DuplicateCluster[]) => cs.filter((c) => c.level === 'certain').map((c) => c.id).toSorted();
const shape = (cs: DuplicateCluster[]) => cs.map((c) => `${c.level}:${c.id}:${c.survivorId}`);
const stored = async () => (await readCandidateClusters(db, new Set())).clusters;

describe('stored duplicate candidates', () => {
  it('schema v8 declares the candidates and the scan checkpoint', async () => {
    db = await openTestDb('cand');
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(8);
    expect(await db.duplicateCandidates.count()).toBe(0);
    expect(await db.duplicateScan.count()).toBe(0);
  });

  it('a first sync scans everything; later writes are compared as they arrive', async () => {
    db = await openTestDb('cand', corpus);
    const engine = new CandidateEngine(db, { chunk: 64 });
    expect((await engine.sync()).status).toBe('done');
    expect(certainShape(await stored())).toEqual(certainShape(findDuplicates(corpus)));
    expect(await readCursor(db)).toBe(await lastChange(db));

    // A new copy arrives: its pair is stored after the next sync, without a re-scan.
    const copy = makePaper('late', base[100]!.title.toLowerCase());
    await db.papers.add(copy);
    const before = (await readScan(db))!.at;
    await engine.sync();
    expect((await readScan(db))!.at).toBe(before);
    expect((await stored()).some((c) => c.id === [base[100]!.id, 'late'].toSorted().join('|'))).toBe(true);
    expect(certainShape(await stored())).toEqual(certainShape(findDuplicates([...corpus, copy])));

    // Merged away, then deleted: its pairs go.
    await db.papers.update('late', { mergedInto: base[100]!.id });
    await engine.sync();
    expect((await stored()).some((c) => c.paperIds.includes('late'))).toBe(false);
    await db.papers.update('late', { mergedInto: undefined });
    await engine.sync();
    expect((await stored()).some((c) => c.paperIds.includes('late'))).toBe(true);
    await db.papers.delete('late');
    await engine.sync();
    expect(await db.duplicateCandidates.where('a').equals('late').count()).toBe(0);
    expect(await db.duplicateCandidates.where('b').equals('late').count()).toBe(0);

    // A new engine (another page, a restarted worker) builds its index and catches up the same way.
    await db.papers.add(copy);
    await new CandidateEngine(db).sync();
    expect(certainShape(await stored())).toEqual(certainShape(findDuplicates([...corpus, copy])));
  });

  it('reads the first clusters with only their papers, the same as the full read', async () => {
    db = await openTestDb('cand', corpus);
    await new CandidateEngine(db, { chunk: 64 }).sync();
    const full = await readCandidateClusters(db, new Set());
    expect(full.unread).toBe(0);
    expect(full.clusters.length).toBeGreaterThan(12);
    for (const first of [1, 5, 12, full.clusters.length - 1, full.clusters.length, full.clusters.length + 3]) {
      const head = await readCandidateClusters(db, new Set(), first);
      const n = Math.min(first, full.clusters.length);
      expect(shape(head.clusters)).toEqual(shape(full.clusters.slice(0, n)));
      expect(head.unread).toBe(full.clusters.length - n);
      // Only the papers of those clusters were read.
      expect(new Set(head.byId.keys())).toEqual(new Set(full.clusters.slice(0, n).flatMap((c) => c.paperIds)));
    }
    // "Not duplicates" decisions apply before the first page is cut.
    const skip = new Set([full.clusters[0]!.id]);
    const after = await readCandidateClusters(db, skip, 3);
    expect(after.clusters.map((c) => c.id)).toEqual((await readCandidateClusters(db, skip)).clusters.slice(0, 3).map((c) => c.id));
  });

  it('leaves out "not duplicates" pairs when reading', async () => {
    db = await openTestDb('cand', corpus);
    await new CandidateEngine(db).sync();
    const first = (await stored()).find((c) => c.paperIds.length === 2)!;
    const after = (await readCandidateClusters(db, new Set([first.id]))).clusters;
    expect(after.some((c) => c.id === first.id)).toBe(false);
  });

  it('a scan stopped by a closed page resumes where it was, without comparing the done papers again', async () => {
    db = await openTestDb('cand', corpus);
    const uninterrupted = await openTestDb('cand-ref', corpus);
    await new CandidateEngine(uninterrupted, { chunk: 50 }).sync();
    const reference = (await readCandidateClusters(uninterrupted, new Set())).clusters.map((c) => `${c.level}:${c.id}`);
    await dropTestDb(uninterrupted);

    // The "page" dies after its second chunk (an exception out of the progress callback).
    let chunks = 0;
    const dying = new CandidateEngine(db, {
      chunk: 50,
      onProgress: (p) => {
        if (p.done > 0 && ++chunks === 2) throw new Error('page closed');
      },
    });
    await expect(dying.sync()).rejects.toThrow('page closed');
    const checkpoint = (await readScan(db))!;
    expect(checkpoint.status).toBe('running');
    expect(checkpoint.done).toBe(100);
    // A write while nobody runs: the journal keeps it for the resumed scan.
    await db.papers.add(makePaper('during', base[200]!.title.toUpperCase()));

    const seen: ScanProgress[] = [];
    const next = new CandidateEngine(db, { chunk: 50, onProgress: (p) => seen.push(p) });
    expect((await next.sync()).status).toBe('done');
    // The first report is the checkpoint: the resumed scan did not start over.
    expect(seen[0]!.done).toBe(100);
    const resumed = (await readCandidateClusters(db, new Set())).clusters.map((c) => `${c.level}:${c.id}`);
    expect(resumed.filter((c) => !c.includes('during'))).toEqual(reference);
    expect(resumed.some((c) => c.includes('during'))).toBe(true);
  });

  it('a cancelled scan stays stopped until resumed', async () => {
    db = await openTestDb('cand', corpus);
    let engine: CandidateEngine | undefined;
    engine = new CandidateEngine(db, { chunk: 50, onProgress: (p) => p.done >= 50 && engine!.cancel() });
    expect((await engine.sync()).status).toBe('stopped');
    expect((await new CandidateEngine(db).sync()).status).toBe('stopped');
    const resumed = await new CandidateEngine(db).rescan(true);
    expect(resumed).toMatchObject({ status: 'done', done: corpus.length });
  });

  it('the search index prunes no journal row the candidates still need', async () => {
    db = await openTestDb('cand', corpus);
    await new CandidateEngine(db).sync();
    const cursor = (await readCursor(db))!;
    await db.papers.add(makePaper('x1', 'Some New Paper Title'));
    await db.papers.add(makePaper('x2', 'Another New Paper Title'));
    const last = await lastChange(db);
    await db.transaction('rw', journalTables(db), () => pruneChanges(db, last));
    expect(await db.paperChanges.where('seq').above(cursor).count()).toBe(2);
  });
});
