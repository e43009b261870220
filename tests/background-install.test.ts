import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ShelfmarkDB, getDb } from '@/lib/storage/db';
import { buildSeedCorpus } from '@/lib/corpus/corpus';
import { readCorpusMeta } from '@/lib/corpus/corpus-import';
import { ensureCorpus, ensureCorpusImported, registerCorpusInstall } from '@/lib/corpus/install';
import { readSeedFiles } from './helpers/seeds';

const { asset } = buildSeedCorpus(readSeedFiles());

/** Serves the two public assets the build writes, by the URLs the extension would use. */
function fakeFetch(files: Record<string, unknown>) {
  return vi.fn(async (url: string) => {
    const path = new URL(url).pathname;
    if (!(path in files)) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(files[path]), { status: 200 });
  });
}

const shipped = () => fakeFetch({ '/corpus.json': asset, '/corpus-version.json': { version: asset.version } });

const dbs: ShelfmarkDB[] = [];
function freshDb(): ShelfmarkDB {
  const db = new ShelfmarkDB(`install-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  return db;
}

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  vi.unstubAllGlobals();
  fakeBrowser.reset();
});

describe('ensureCorpusImported', () => {
  it('imports on first run, then only reads the small version file', async () => {
    const db = freshDb();
    const f = shipped();
    const first = await ensureCorpusImported(db, f);
    expect(first.counts).toMatchObject({ added: 314 });
    expect(await db.papers.count()).toBe(314);
    expect(f.mock.calls.map(([u]) => new URL(u).pathname)).toEqual(['/corpus-version.json', '/corpus.json']);

    f.mockClear();
    const second = await ensureCorpusImported(db, f);
    expect(second).toEqual({ version: asset.version });
    expect(f.mock.calls.map(([u]) => new URL(u).pathname)).toEqual(['/corpus-version.json']);
  });

  it('refuses a damaged asset with a clear error and leaves the import pending', async () => {
    const db = freshDb();
    const broken = { ...asset, papers: asset.papers.slice(1) };
    const f = fakeFetch({ '/corpus.json': broken, '/corpus-version.json': { version: asset.version } });
    await expect(ensureCorpusImported(db, f)).rejects.toThrow(/Invalid corpus asset/);
    expect(await db.papers.count()).toBe(0);
    expect(await readCorpusMeta(db)).toBeUndefined();
  });

  it('reports a missing asset', async () => {
    const db = freshDb();
    await expect(ensureCorpusImported(db, fakeFetch({}))).rejects.toThrow(/Cannot load .*corpus-version\.json: HTTP 404/);
  });

  it('shares one run between simultaneous callers', async () => {
    const db = freshDb();
    const f = shipped();
    const [a, b] = await Promise.all([ensureCorpus(db, f), ensureCorpus(db, f)]);
    expect(a).toBe(b);
    expect(await db.papers.count()).toBe(314);
  });
});

describe('registerCorpusInstall', () => {
  it('imports into the shared database on worker start and on install', async () => {
    vi.stubGlobal('fetch', shipped());
    const db = getDb();
    dbs.push(db);
    registerCorpusInstall();
    await vi.waitFor(async () => expect(await readCorpusMeta(db)).toMatchObject({ state: 'complete' }));
    expect(await db.papers.count()).toBe(314);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await vi.waitFor(() => expect(vi.mocked(fetch).mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(await db.papers.count()).toBe(314);
  });
});
