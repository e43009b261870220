import { useEffect, useState } from 'preact/hooks';
import { Dexie } from 'dexie';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { SearchIndex } from '@/lib/search';
import { changedKeys } from '@/lib/storage/changes';

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

  constructor(private readonly db: ShelfmarkDB) {}

  async start(): Promise<void> {
    Dexie.on('storagemutated', this.onMutated);
    await this.load();
  }

  stop(): void {
    Dexie.on('storagemutated').unsubscribe(this.onMutated);
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
  /** Papers changed while the index was being built: re-indexed when it is ready. */
  private changedDuringBuild = new Set<string>();

  private async load(): Promise<void> {
    const gen = ++this.loadGen;
    const t0 = performance.now();
    const papers = new Map<string, Paper>();
    this.changedDuringBuild.clear();
    // Read in key order, a chunk per request, and show what has arrived: at 100k papers the
    // list appears after the first chunk instead of after the whole table.
    let last: string | undefined;
    for (;;) {
      const coll = last === undefined ? this.db.papers.orderBy(':id') : this.db.papers.where(':id').above(last);
      const chunk = await coll.limit(CHUNK).toArray();
      if (gen !== this.loadGen) return;
      for (const p of chunk) papers.set(p.id, p);
      const done = chunk.length < CHUNK;
      if (chunk.length) last = chunk[chunk.length - 1]!.id;
      this.state = { papers, index: undefined, loading: !done, indexing: { done: 0, total: papers.size }, version: ++this.version };
      this.emit();
      if (done) break;
    }
    const docs: Paper[] = [];
    for (const p of papers.values()) if (!p.mergedInto) docs.push(p);
    let lastEmit = 0;
    const signal = { aborted: false };
    const index = await SearchIndex.buildAsync(docs, {
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
    if (!index || gen !== this.loadGen || !this.state) return;
    for (const id of this.changedDuringBuild) {
      const p = papers.get(id);
      if (p && !p.mergedInto) index.upsert(p);
      else index.remove(id);
    }
    this.changedDuringBuild.clear();
    this.state = { papers, index, loading: false, version: ++this.version, loadMs: performance.now() - t0 };
    this.emit();
  }

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
    const { papers, index } = this.state;
    keys.forEach((id, i) => {
      const p = rows[i];
      if (!p) papers.delete(id);
      else papers.set(id, p);
      if (!index) this.changedDuringBuild.add(id);
      else if (!p || p.mergedInto) index.remove(id);
      else index.upsert(p);
    });
    if (index?.needsCompaction) {
      await this.load();
      return;
    }
    this.state = { ...this.state, version: ++this.version };
    this.emit();
  }
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
