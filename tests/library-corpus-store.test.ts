// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CorpusStore, type CorpusState } from '@/lib/storage/corpus-store';
import { SearchIndex } from '@/lib/search';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';

const dbs: ShelfmarkDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await dropTestDb(db);
  vi.restoreAllMocks();
});

const papers = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makePaper(`p${String(i).padStart(5, '0')}`, `paper ${i} on ${i % 2 ? 'diffusion' : 'reinforcement'} learning`, {
      // Added in an order unrelated to the ids, so "newest first" differs from key order.
      addedAt: (i * 7919) % n,
      ...(i % 97 === 5 ? { mergedInto: 'p00000' } : {}),
    }),
  );

async function run(db: ShelfmarkDB): Promise<{ store: CorpusStore; states: CorpusState[]; shown: string[][] }> {
  const store = new CorpusStore(db);
  const states: CorpusState[] = [];
  // The papers map grows in place as chunks arrive: keep what each state held when it was emitted.
  const shown: string[][] = [];
  store.subscribe(() => {
    states.push(store.state!);
    shown.push([...store.state!.papers.keys()]);
  });
  await store.start();
  await vi.waitFor(() => expect(store.state?.loading === false && !!store.state.index).toBe(true), { timeout: 10_000 });
  return { store, states, shown };
}

describe('CorpusStore', () => {
  it('shows the newest papers first, then the whole corpus, and persists the index for the next open', async () => {
    const all = papers(600);
    const db = await openTestDb('cs', all);
    dbs.push(db);
    const build = vi.spyOn(SearchIndex, 'buildAsync');
    const first = await run(db);
    const newest = all.filter((p) => !p.mergedInto).toSorted((a, b) => b.addedAt - a.addedAt).slice(0, 100).map((p) => p.id);
    // The first state holds just the first screen: exactly the newest live papers.
    expect(first.shown[0]!.toSorted()).toEqual(newest.toSorted());
    expect(first.store.state!.papers.size).toBe(600);
    expect(build).toHaveBeenCalledTimes(1);
    const hits = first.store.state!.index!.search('diffusion ', { limit: 1000 });
    expect(hits.length).toBe(all.filter((p, i) => i % 2 && !p.mergedInto).length);
    first.store.stop();

    // The next open decodes the persisted index instead of building one.
    const second = await run(db);
    expect(build).toHaveBeenCalledTimes(1);
    expect(second.store.state!.index!.search('diffusion ', { limit: 1000 })).toEqual(hits);

    // A write from anywhere reaches the open page's index.
    await db.papers.put(makePaper('fresh', 'Quantum reinforcement learning', { addedAt: 10_000 }));
    await db.papers.update('p00001', { mergedInto: 'p00003' });
    await vi.waitFor(() => expect(second.store.state!.index!.search('quantum').map((h) => h.id)).toEqual(['fresh']), { timeout: 5000 });
    expect(second.store.state!.index!.has('p00001')).toBe(false);
    expect(second.store.state!.papers.get('fresh')?.title).toBe('Quantum reinforcement learning');
    second.store.stop();
  });

  it('has search ready before every paper is read, and fetches hits not read yet on demand', async () => {
    const db = await openTestDb('cs', papers(600));
    dbs.push(db);
    (await run(db)).store.stop();
    const store = new CorpusStore(db);
    const bulkGet = vi.spyOn(db.papers, 'bulkGet');
    let early: { loaded: number; asked: string[] } | undefined;
    store.subscribe(() => {
      const st = store.state!;
      if (early || !st.index || !st.loading || !st.ensure) return;
      // The index answers while only the first screen is read: ask for the hits.
      const hits = st.index.search('diffusion ', { limit: 1000 }).map((h) => h.id);
      const asked = hits.filter((id) => !st.papers.has(id));
      early = { loaded: st.papers.size, asked };
      st.ensure(hits);
    });
    await store.start();
    await vi.waitFor(() => expect(store.state?.loading).toBe(false));
    expect(early).toBeDefined();
    expect(early!.loaded).toBeLessThan(600);
    expect(early!.asked.length).toBeGreaterThan(0);
    expect(bulkGet).toHaveBeenCalledWith(early!.asked);
    expect(early!.asked.every((id) => store.state!.papers.has(id))).toBe(true);
    store.stop();
  });
});
