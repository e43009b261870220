// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { SearchIndex } from '@/lib/search';
import { PersistedSearch } from '@/lib/search/persisted';
import { readStoredParts, transferables, type StoredRead } from '@/lib/search/parts-read';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';

const dbs: ShelfmarkDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await dropTestDb(db);
});

const TOPICS = ['offline reinforcement learning', 'diffusion policy', 'language model', 'robot manipulation'];
async function setup(n = 40) {
  const db = await openTestDb('pr', Array.from({ length: n }, (_, i) => makePaper(`p${i}`, `${TOPICS[i % TOPICS.length]} study ${i}`)));
  dbs.push(db);
  return db;
}

/** What the worker posts: a structured clone with the typed arrays' buffers moved, not copied. */
function viaWorker(read: StoredRead | undefined): StoredRead | undefined {
  return read && structuredClone(read, { transfer: transferables(read) });
}

describe('readStoredParts (the popup worker’s read, plain IndexedDB)', () => {
  it('reads what PersistedSearch wrote, with the journal since: the popup loads it like a Dexie read', async () => {
    const db = await setup();
    await new PersistedSearch(db, { titles: true }).open();
    await db.papers.put(makePaper('late', 'Quantum robots'));
    await db.papers.update('p1', { title: 'Retitled paper' });
    await db.papers.delete('p2');
    const s = new PersistedSearch(db, { titles: true, read: async (withTitles) => viaWorker(await readStoredParts(db.name, withTitles)) });
    const index = await s.load();
    expect(s.stats).toMatchObject({ from: 'parts', changed: 3 });
    const live = (await db.papers.toArray()).filter((p) => !p.mergedInto);
    for (const q of ['quantum', 'retitled', 'robot manip', 'study ', 'offline']) {
      // The same papers as a fresh build (edits not yet compacted still weigh in the term statistics).
      const ids = (hits: { id: string }[]) => new Set(hits.map((h) => h.id));
      expect(ids(index!.search(q, { limit: 100 })), q).toEqual(ids(SearchIndex.build(live).search(q, { limit: 100 })));
    }
    expect(s.titles?.get('late')).toBe('Quantum robots');
    expect(s.titles?.get('p1')).toBe('Retitled paper');
    expect(s.titles?.has('p2')).toBe(false);
    expect(s.titles?.get('p3')).toBe('robot manipulation study 3');
  });

  it('hands over every typed array without copying', async () => {
    const db = await setup();
    await new PersistedSearch(db, { titles: true }).open();
    const read = (await readStoredParts(db.name, true))!;
    const arrays = [read.index, read.titles].flatMap((p) => Object.values(p as object).filter((v) => ArrayBuffer.isView(v)));
    expect(arrays.length).toBeGreaterThanOrEqual(9);
    const moved = viaWorker(read)!;
    for (const a of arrays) expect((a as Uint8Array).byteLength).toBe(0);
    expect(SearchIndex.fromParts(moved.index as never).size).toBe(40);
  });

  it('never creates a database that does not exist, and reads nothing from one without the tables', async () => {
    expect(await readStoredParts('shelfmark-none', true)).toBeUndefined();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('shelfmark-none');
    const open = indexedDB.open('shelfmark-old', 3);
    open.onupgradeneeded = () => open.result.createObjectStore('papers', { keyPath: 'id' });
    await new Promise((res) => (open.onsuccess = res));
    open.result.close();
    expect(await readStoredParts('shelfmark-old', true)).toBeUndefined();
    indexedDB.deleteDatabase('shelfmark-old');
  });

  it('a read that fails falls back to reading on the page', async () => {
    const db = await setup();
    await new PersistedSearch(db, { titles: true }).open();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const s = new PersistedSearch(db, {
      titles: true,
      read: () => Promise.reject(new Error('worker gone')),
    });
    expect((await s.load())?.size).toBe(40);
    expect(s.stats?.from).toBe('parts');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
