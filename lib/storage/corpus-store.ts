import { useEffect, useState } from 'preact/hooks';
import { Dexie } from 'dexie';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import type { SearchIndex } from '@/lib/search';
import { PersistedSearch } from '@/lib/search/persisted';
import { changedKeys } from '@/lib/storage/changes';
import { afterPaint } from '../search/after-paint';

/**
 * The library's in-memory corpus: every paper by id plus the full-text index.
 *
 * A plain liveQuery over `papers` would re-read all 100k records after every single edit.
 * Instead the papers are read once, and Dexie's `storagemutated` event (fired for writes in this
 * page and, over BroadcastChannel, in the popup, the background and other pages) tells which
 * keys changed: only those are re-read and re-indexed. A range change (an import, clear) reloads.
 */
export interface CorpusState {
  papers: Map<string, Paper>;
  /** Undefined while the index is being built (the list already shows). */
  index: SearchIndex | undefined;
  /** Progress of the index build, while it runs. */
  indexing?: { done: number; total: number };
  /** True while papers are still being read. */
  loading: boolean;
  /** Bumped on every change, for memo dependencies. */
  version: number;
  /** Time to read every paper and build the index (ms), once done. */
  loadMs?: number;
  /** While papers are still loading: read these now (search hits not loaded yet), then update. */
  ensure?: (ids: readonly string[]) => void;
}

/** Papers read per IndexedDB request: the first ones show while the rest load. */
const CHUNK = 10_000;

export class CorpusStore {
  state: CorpusState | undefined;
  private listeners = new Set<() => void>();
  private version = 0;
  private pending = new Set<string>();
  private reloadAll = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onMutated = (parts: Record<string, unknown>): void => {
    const keys = changedKeys(parts, this.db.name, 'papers');
    if (keys === null) return;
    if (keys === 'all') this.reloadAll = true;
    else for (const k of keys) this.pending.add(k);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.apply();
    }, 30);
  };

  constructor(private readonly db: ShelfmarkDB) {
    this.search = new PersistedSearch(db, {
      titleOf: (id) => this.state?.papers.get(id)?.title,
      onReplaced: (index) => {
        if (!this.state?.index) return;
        this.state = { ...this.state, index, version: ++this.version };
        this.emit();
      },
    });
  }

  async start(): Promise<void> {
    Dexie.on('storagemutated', this.onMutated);
    await this.load();
  }

  stop(): void {
    Dexie.on('storagemutated').unsubscribe(this.onMutated);
    this.search.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private loadGen = 0;
  /** The full-text index, persisted in IndexedDB and kept current from the papers change journal. */
  private readonly search: PersistedSearch;

  private async load(): Promise<void> {
    const gen = ++this.loadGen;
    const t0 = performance.now();
    const papers = new Map<string, Paper>();
    // The first screen first: the newest papers by the addedAt index (the list's default order),
    // a few rows instead of a 10,000-paper chunk with abstracts. The journal position is taken
    // alongside: a rebuild from the papers read after it catches up from there.
    const [first, from] = await Promise.all([firstPage(this.db, FIRST_PAGE), this.search.position()]);
    if (gen !== this.loadGen) return;
    for (const p of first) papers.set(p.id, p);
    let index: SearchIndex | undefined;
    this.state = { papers, index, loading: true, indexing: { done: 0, total: papers.size }, version: ++this.version };
    performance.mark('shelfmark:first-screen-read');
    this.emit();
    // Let the first screen paint and its own small queries (tags, lists) go first: the big reads
    // below would otherwise be ahead of them in IndexedDB's queue and on the main thread.
    await afterPaint();
    if (gen !== this.loadGen) return;
    // Then the persisted index, before the rest of the papers: search is ready first, and hits
    // not read yet are fetched on demand (`ensure`).
    const persisted = await this.search.load().catch((e: unknown) => {
      console.warn('Shelfmark: could not load the search index', e);
      return undefined;
    });
    if (gen !== this.loadGen || !this.state) return;
    if (persisted) {
      index = persisted;
      performance.mark('shelfmark:search-ready');
      this.state = { ...this.state, index, indexing: undefined, ensure: this.ensure, version: ++this.version };
      this.emit();
    }
    // Then everything, in key order, a chunk per request, showing what has arrived.
    let last: string | undefined;
    for (;;) {
      const coll = last === undefined ? this.db.papers.orderBy(':id') : this.db.papers.where(':id').above(last);
      const chunk = await coll.limit(CHUNK).toArray();
      performance.mark('shelfmark:chunk-read');
      if (gen !== this.loadGen) return;
      for (const p of chunk) papers.set(p.id, p);
      const done = chunk.length < CHUNK;
      if (chunk.length) last = chunk[chunk.length - 1]!.id;
      this.state = {
        papers,
        index,
        loading: !done,
        indexing: index ? undefined : { done: 0, total: papers.size },
        ...(index && !done ? { ensure: this.ensure } : {}),
        version: ++this.version,
      };
      this.emit();
      if (done) break;
    }
    if (!persisted) {
      const docs: Paper[] = [];
      for (const p of papers.values()) if (!p.mergedInto) docs.push(p);
      let lastEmit = 0;
      const signal = { aborted: false };
      const built = await this.search.rebuild({
        from,
        docs: () => Promise.resolve(docs),
        signal,
        onProgress: (doneDocs, total) => {
          if (gen !== this.loadGen) {
            signal.aborted = true;
            return;
          }
          const now = performance.now();
          if (now - lastEmit < 200 || !this.state) return;
          lastEmit = now;
          this.state = { ...this.state, indexing: { done: doneDocs, total }, version: ++this.version };
          this.emit();
        },
      });
      if (!built || gen !== this.loadGen || !this.state) return;
      performance.mark('shelfmark:search-ready');
    }
    if (gen !== this.loadGen || !this.state) return;
    this.state = { papers, index: this.search.index, loading: false, version: ++this.version, loadMs: performance.now() - t0 };
    this.emit();
  }

  /** Papers asked for by `ensure` while the corpus loads. */
  private wanted = new Set<string>();
  private readonly ensure = (ids: readonly string[]): void => {
    const papers = this.state?.papers;
    if (!papers) return;
    const missing = ids.filter((id) => !papers.has(id) && !this.wanted.has(id));
    if (!missing.length) return;
    for (const id of missing) this.wanted.add(id);
    void this.db.papers.bulkGet(missing).then((rows) => {
      for (const id of missing) this.wanted.delete(id);
      if (!this.state || this.state.papers !== papers) return;
      let added = 0;
      for (const p of rows) {
        if (p && !papers.has(p.id)) {
          papers.set(p.id, p);
          added++;
        }
      }
      if (!added) return;
      this.state = { ...this.state, version: ++this.version };
      this.emit();
    });
  };

  private async apply(): Promise<void> {
    if (!this.state || this.reloadAll) {
      this.reloadAll = false;
      this.pending.clear();
      await this.load();
      return;
    }
    const keys = [...this.pending];
    this.pending.clear();
    const rows = await this.db.papers.bulkGet(keys);
    const { papers } = this.state;
    keys.forEach((id, i) => {
      const p = rows[i];
      if (!p) papers.delete(id);
      else papers.set(id, p);
    });
    // The index follows the journal (every papers write, from any page or the background).
    if (this.state.index && !(await this.search.catchUp())) {
      await this.load();
      return;
    }
    this.state = { ...this.state, index: this.state.index ? this.search.index : undefined, version: ++this.version };
    this.emit();
  }
}

/** Rows in the first screenful read before the whole corpus (a tall window shows ~30). */
const FIRST_PAGE = 100;

/** The newest live papers by the addedAt index: what the list shows first in its default order. */
async function firstPage(db: ShelfmarkDB, n: number): Promise<Paper[]> {
  const out: Paper[] = [];
  await db.papers
    .orderBy('addedAt')
    // oxlint-disable-next-line unicorn/no-array-reverse -- Dexie's Collection.reverse (descending order), not Array#reverse
    .reverse()
    .until(() => out.length >= n)
    .each((p) => {
      if (!p.mergedInto) out.push(p);
    });
  return out;
}

/** The corpus state for a component; undefined while the first load runs. */
export function useCorpus(db: ShelfmarkDB): CorpusState | undefined {
  const [store] = useState(() => new CorpusStore(db));
  const [state, setState] = useState<CorpusState | undefined>(undefined);
  useEffect(() => {
    const off = store.subscribe(() => setState(store.state));
    void store.start();
    return () => {
      off();
      store.stop();
    };
  }, [store]);
  return state;
}
