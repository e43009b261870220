// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShelfmarkDB } from '@/lib/storage/db';
import { SearchIndex } from '@/lib/search';
import { PersistedSearch } from '@/lib/search/persisted';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';

const dbs: ShelfmarkDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await dropTestDb(db);
  vi.restoreAllMocks();
});

const TOPICS = ['offline reinforcement learning', 'diffusion policy', 'language model', 'robot manipulation', 'graph neural network'];
const corpus = (n: number) =>
  Array.from({ length: n }, (_, i) => makePaper(`p${i}`, `${TOPICS[i % TOPICS.length]} study ${i}`, { abstract: `we study ${TOPICS[(i * 3) % TOPICS.length]} number${i}` }));

async function setup(n = 60) {
  const db = await openTestDb('ps', corpus(n));
  dbs.push(db);
  return db;
}

/** What a fresh build of the live papers answers: the reference for a loaded index. */
async function reference(db: ShelfmarkDB, q: string) {
  const live = (await db.papers.toArray()).filter((p) => !p.mergedInto);
  return SearchIndex.build(live).search(q, { limit: 1000 });
}
/** Hits as id → score (ties may come in another order). */
const scoresById = (hits: { id: string; score: number }[]) => new Map(hits.map((h) => [h.id, h.score]));
const QUERIES = ['offline', 'diffusion policy ', 'robot manip', 'number7', 'retitled', 'neural'];

describe('PersistedSearch', () => {
  it('rebuilds when nothing is persisted, then loads the parts without rebuilding', async () => {
    const db = await setup();
    const first = new PersistedSearch(db, { titles: true });
    await first.open();
    expect(first.stats?.from).toBe('rebuild');
    const build = vi.spyOn(SearchIndex, 'buildAsync');
    const second = new PersistedSearch(db, { titles: true });
    const index = await second.open();
    expect(build).not.toHaveBeenCalled();
    expect(second.stats?.from).toBe('parts');
    for (const q of QUERIES) expect(index!.search(q, { limit: 1000 }), q).toEqual(await reference(db, q));
    expect(second.titles?.get('p3')).toBe('robot manipulation study 3');
    expect(second.titles?.size).toBe(60);
  });

  // Every kind of change made while no page was open reaches the next load through the journal.
  it('applies changes made after the parts were written: added, retitled, merged, deleted papers', async () => {
    const db = await setup();
    await new PersistedSearch(db, { titles: true }).open();
    await db.papers.put(makePaper('new', 'Retitled transformers for robots'));
    await db.papers.update('p1', { title: 'Retitled diffusion paper' });
    await db.papers.update('p2', { mergedInto: 'p7' });
    await db.papers.delete('p4');
    await db.papers.bulkPut([makePaper('b1', 'graph neural network retitled'), makePaper('b2', 'other')]);
    const s = new PersistedSearch(db, { titles: true });
    const index = await s.load();
    expect(s.stats).toMatchObject({ from: 'parts', changed: 6 });
    for (const q of QUERIES) expect(new Set(index!.search(q, { limit: 1000 }).map((h) => h.id)), q).toEqual(new Set((await reference(db, q)).map((h) => h.id)));
    expect(index!.has('p2')).toBe(false);
    expect(index!.has('p4')).toBe(false);
    expect(s.titles?.get('p1')).toBe('Retitled diffusion paper');
    expect(s.titles?.has('p4')).toBe(false);
    // Persisting absorbs the journal; the next load has nothing to re-read.
    await s.persistNow();
    expect(await db.table('paperChanges').count()).toBe(1);
    const again = new PersistedSearch(db);
    await again.load();
    expect(again.stats?.changed).toBe(0);
    expect(again.index!.search('retitled ', { limit: 10 }).map((h) => h.id).toSorted()).toEqual(['b1', 'new', 'p1']);
  });

  it('catchUp applies writes made by another connection while the index is open', async () => {
    const db = await setup();
    const s = new PersistedSearch(db, { persistDelayMs: 10_000 });
    await s.open();
    const other = new ShelfmarkDB(db.name);
    await other.papers.put(makePaper('x', 'quantum annealing'));
    await other.papers.update('p0', { mergedInto: 'p5' });
    other.close();
    expect(s.index!.search('quantum')).toEqual([]);
    expect(await s.catchUp()).toBe(true);
    expect(s.index!.search('quantum').map((h) => h.id)).toEqual(['x']);
    expect(s.index!.has('p0')).toBe(false);
    s.stop();
  });

  it('does not use parts after a clear, too many changes, or damage: it rebuilds instead', async () => {
    const db = await setup();
    await new PersistedSearch(db).open();
    // Damaged parts.
    const stored = (await db.searchParts.get('index'))!.data as Record<string, unknown>;
    await db.searchParts.put({ part: 'index', data: { ...stored, postings: new Uint32Array(3) } });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await new PersistedSearch(db).load()).toBeUndefined();
    expect(warn).toHaveBeenCalled();
    const rebuilt = new PersistedSearch(db);
    await rebuilt.open();
    expect(rebuilt.stats?.from).toBe('rebuild');
    expect(await new PersistedSearch(db).load()).toBeDefined();
    // More changed papers than patching is worth.
    await db.papers.bulkPut(corpus(5200).map((p) => ({ ...p, id: `z${p.id}` })));
    expect(await new PersistedSearch(db).load()).toBeUndefined();
    await new PersistedSearch(db).open();
    // A range delete.
    await db.papers.clear();
    expect(await new PersistedSearch(db).load()).toBeUndefined();
    const empty = new PersistedSearch(db);
    expect((await empty.open())!.size).toBe(0);
  });

  // What a build before the packed layout stored: one row per array, JSON strings, a meta row
  // without `format`. Such rows are never decoded: the next open rebuilds and replaces them.
  it('ignores parts in the old one-row-per-array layout, rebuilds and replaces them', async () => {
    const db = await setup(30);
    const ids = (await db.papers.toArray()).map((p) => p.id);
    await db.searchParts.bulkPut([
      { part: '_meta', data: { seq: 0, count: ids.length, at: 1 } },
      { part: 'version', data: 1 },
      { part: 'ids', data: JSON.stringify(ids) },
      { part: 'terms', data: '[]' },
      { part: 'offsets', data: new Uint32Array(1) },
      { part: 'postings', data: new Uint32Array(0) },
      { part: 'titleLens', data: new Float32Array(ids.length) },
      { part: 'absLens', data: new Float32Array(ids.length) },
      { part: 'titles', data: JSON.stringify(ids) },
    ]);
    expect(await new PersistedSearch(db, { titles: true }).load()).toBeUndefined();
    const s = new PersistedSearch(db, { titles: true });
    await s.open();
    expect(s.stats?.from).toBe('rebuild');
    expect((await db.searchParts.toCollection().primaryKeys()).toSorted()).toEqual(['_meta', 'index', 'titles']);
    const again = new PersistedSearch(db, { titles: true });
    await again.load();
    expect(again.stats?.from).toBe('parts');
    for (const q of QUERIES) expect(again.index!.search(q, { limit: 1000 }), q).toEqual(await reference(db, q));
  });

  // Every way the stored titles can fail to fit the index: the load is refused, never half-used.
  it('refuses stored titles that do not fit the index', async () => {
    const db = await setup(30);
    await new PersistedSearch(db, { titles: true }).open();
    const good = (await db.searchParts.get('titles'))!.data as { text: string; ends: Uint32Array };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const bad: unknown[] = [
      'a json string',
      { text: good.text, ends: good.ends.subarray(1) },
      { text: good.text.slice(1), ends: good.ends },
      { text: good.text, ends: Uint32Array.from(good.ends).toReversed() },
      { text: 5, ends: good.ends },
      null,
    ];
    for (const data of bad) {
      await db.searchParts.put({ part: 'titles', data });
      expect(await new PersistedSearch(db, { titles: true }).load(), JSON.stringify(data)).toBeUndefined();
      // The library page does not read the titles: its load is not affected.
      expect(await new PersistedSearch(db).load()).toBeDefined();
    }
    expect(warn).toHaveBeenCalled();
    const s = new PersistedSearch(db, { titles: true });
    await s.open();
    expect(s.stats?.from).toBe('rebuild');
    expect(s.titles?.get('p3')).toBe('robot manipulation study 3');
  });

  it('an older snapshot never overwrites a newer one', async () => {
    const db = await setup();
    const old = new PersistedSearch(db);
    await old.open();
    await db.papers.put(makePaper('late', 'late arrival'));
    const fresh = new PersistedSearch(db);
    await fresh.load();
    await fresh.persistNow();
    // `old` never saw "late": persisting it now would drop the paper for good.
    await old.persistNow();
    const next = new PersistedSearch(db);
    await next.load();
    expect(next.index!.search('arrival').map((h) => h.id)).toEqual(['late']);
  });
});

describe('openPopupSearch', () => {
  it('builds once, then every open reads the persisted index and titles, current with later writes', async () => {
    const { openPopupSearch } = await import('@/lib/search/popup-search');
    const db = await setup(40);
    const build = vi.spyOn(SearchIndex, 'buildAsync');
    const a = await openPopupSearch(db, { aborted: false });
    expect(build).toHaveBeenCalledTimes(1);
    await db.papers.put(makePaper('q', 'Quantum robots'));
    const b = await openPopupSearch(db, { aborted: false });
    expect(build).toHaveBeenCalledTimes(1);
    expect(b!.index.search('quantum').map((h) => h.id)).toEqual(['q']);
    expect(b!.titles.get('q')).toBe('Quantum robots');
    expect(b!.titles.get('p9')).toBe(a!.titles.get('p9'));
    expect(b!.index.search('offline', { limit: 100 })).toEqual(await reference(db, 'offline'));
  });
});

describe('PersistedSearch compaction', () => {
  it('folds piled-up edits into the base when it persists, and tells the owner', async () => {
    const db = await setup(50);
    const replaced: SearchIndex[] = [];
    const s = new PersistedSearch(db, { persistDelayMs: 60_000, onReplaced: (ix) => replaced.push(ix) });
    await s.open();
    const before = s.index!;
    // More new papers than the delta segment should hold, in bursts as an import writes them.
    for (let k = 0; k < 5; k++) {
      await db.papers.bulkPut(Array.from({ length: 500 }, (_, i) => makePaper(`imp${k}-${i}`, `imported paper ${k} ${i} on robots`)));
      await s.catchUp();
    }
    expect(s.index).toBe(before);
    expect(before.needsCompaction).toBe(true);
    await s.persistNow();
    s.stop();
    expect(replaced).toHaveLength(1);
    expect(s.index).toBe(replaced[0]);
    expect(s.index!.needsCompaction).toBe(false);
    expect(s.index!.size).toBe(2550);
    // Same papers with the same scores as a fresh build (ties may come in another order).
    expect(scoresById(s.index!.search('robots', { limit: 5000 }))).toEqual(scoresById(SearchIndex.build((await db.papers.toArray()).filter((p) => !p.mergedInto)).search('robots', { limit: 5000 })));
  });
});

describe('PersistedSearch titles', () => {
  it('never stores a blank title: a persist without every title waits', async () => {
    const db = await setup(20);
    await new PersistedSearch(db, { titles: true }).open();
    const known = new Map((await db.papers.toArray()).map((p) => [p.id, p.title]));
    await db.papers.put(makePaper('late', 'A late paper'));
    const partial = new PersistedSearch(db, { titleOf: (id) => (id === 'late' ? undefined : known.get(id)), persistDelayMs: 60_000 });
    await partial.load();
    await partial.persistNow();
    partial.stop();
    const popup = new PersistedSearch(db, { titles: true });
    await popup.load();
    // The stored parts are still the earlier ones; the journal supplies the late paper and its title.
    expect(popup.stats?.changed).toBe(1);
    expect(popup.titles?.get('late')).toBe('A late paper');
    expect([...popup.titles!.values()].every((t) => t.length > 0)).toBe(true);
  });
});
