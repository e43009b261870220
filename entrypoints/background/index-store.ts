import { MatchIndex } from '@/lib/match';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { META } from '@/lib/storage/meta';
import { matchOptions } from '@/lib/match/english';

type Parts = ReturnType<MatchIndex['toParts']>;

/**
 * Owns the background's match index: loads it from the persisted parts on a cold service worker
 * (no rebuild from 100k papers), rebuilds it when the parts are stale (papers changed since they
 * were written), keeps it in step with single-paper changes, and re-persists after a quiet spell.
 */
export class IndexStore {
  private index: MatchIndex | undefined;
  private loading: Promise<MatchIndex> | undefined;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /** How the last load went, for diagnostics and tests: 'parts' | 'rebuild'. */
  lastLoad: 'parts' | 'rebuild' | undefined;
  /** Milliseconds the last load took (parts read and decoded, or the rebuild). */
  lastLoadMs: number | undefined;
  /** Of which: reading the parts from IndexedDB, and decoding them (MatchIndex.fromParts). */
  lastReadMs: number | undefined;
  lastDecodeMs: number | undefined;

  constructor(
    private readonly db: ShelfmarkDB,
    private readonly persistDelayMs = 3000,
    /** Resolves when the corpus is usable (the seed import has finished); loads wait for it. */
    private readonly ready: () => Promise<unknown> = () => Promise.resolve(),
  ) {}

  /** The index, loading it on first use. Concurrent callers share one load. */
  get(): Promise<MatchIndex> {
    if (this.index) return Promise.resolve(this.index);
    const t0 = performance.now();
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
      this.lastLoadMs = performance.now() - t0;
    });
    return this.loading;
  }

  /** The index if it is already in memory (no load). */
  peek(): MatchIndex | undefined {
    return this.index;
  }

  /** Forget the in-memory index (after a bulk corpus change): the next get() reloads or rebuilds. */
  invalidate(): void {
    this.index = undefined;
  }

  private async load(): Promise<MatchIndex> {
    // Fresh persisted parts are used at once, without waiting for the corpus check the worker runs
    // on every start: if that check does import something, its writes change the revision stamp
    // and the background rebuilds then. Only a rebuild waits for a running import.
    const db = this.db;
    const tRead = performance.now();
    const stored = await db.transaction('r', db.meta, db.indexParts, async () => {
      const rev = (await META.papersRevision.get(db)) ?? 0;
      const meta = await META.indexParts.get(db);
      if (!meta || meta.revision !== rev) return undefined;
      const rows = await db.indexParts.toArray();
      if (!rows.length || rows.some((r) => r.revision !== rev)) return undefined;
      return { rows, expected: meta.count };
    });
    this.lastReadMs = performance.now() - tRead;
    if (stored) {
      try {
        const parts: Parts = {};
        for (const r of stored.rows) parts[r.part] = r.data;
        const tDecode = performance.now();
        const index = MatchIndex.fromParts(parts, matchOptions());
        this.lastDecodeMs = performance.now() - tDecode;
        // The paper count written with the parts must agree: a cheap check that they are whole.
        if (typeof stored.expected !== 'number' || index.size === stored.expected) {
          this.index = index;
          this.lastLoad = 'parts';
          return index;
        }
      } catch (e) {
        // Parts written by an older matcher version, or damaged: rebuild from the papers.
        console.warn('Shelfmark: persisted match index unreadable, rebuilding', e);
      }
    }
    await this.ready().catch(() => undefined);
    return this.rebuild();
  }

  /** Builds the index from every live paper and persists it, labelled with the revision read alongside. */
  async rebuild(): Promise<MatchIndex> {
    const db = this.db;
    const { papers, rev } = await db.transaction('r', db.papers, db.meta, async () => ({
      rev: (await META.papersRevision.get(db)) ?? 0,
      papers: await db.papers.filter((p) => !p.mergedInto).toArray(),
    }));
    const index = MatchIndex.build(papers, matchOptions());
    this.index = index;
    this.lastLoad = 'rebuild';
    await this.persistAt(index, rev);
    return index;
  }

  /** A paper written by this context (the background): update the index now, persist later. */
  upsert(paper: Paper): void {
    if (!this.index) return;
    if (paper.mergedInto) this.index.remove(paper.id);
    else this.index.add(paper);
    this.schedulePersist();
  }

  /** Papers changed elsewhere (popup, library): re-read them and update the index. */
  async refreshPapers(ids: readonly string[]): Promise<void> {
    const index = this.index;
    if (!index || !ids.length) return;
    const papers = await this.db.papers.bulkGet([...ids]);
    ids.forEach((id, i) => {
      const p = papers[i];
      if (!p || p.mergedInto) index.remove(id);
      else index.add(p);
    });
    this.schedulePersist();
  }

  /** Drops a pending persist (tests, shutdown). */
  cancelPersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
  }

  schedulePersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persistNow().catch((e) => console.warn('Shelfmark: could not persist the match index', e));
    }, this.persistDelayMs);
  }

  /**
   * Persists the current in-memory index, labelled with the current papers revision. Sound because
   * every papers write goes through Dexie, whose change events (this context's and, over
   * BroadcastChannel, the other pages') keep the in-memory index current: by the time this runs
   * (after a quiet spell) the index reflects the revision it reads. A worker that was asleep
   * during a write never persists: it starts cold, finds the stamp changed, and rebuilds.
   */
  async persistNow(): Promise<void> {
    const index = this.index;
    if (!index) return;
    const rev = (await META.papersRevision.get(this.db)) ?? 0;
    await this.persistAt(index, rev);
  }

  private async persistAt(index: MatchIndex, rev: number): Promise<void> {
    const db = this.db;
    const parts = index.toParts();
    await db.transaction('rw', db.indexParts, db.meta, async () => {
      await db.indexParts.clear();
      await db.indexParts.bulkPut(Object.entries(parts).map(([part, data]) => ({ part, data, revision: rev })));
      await META.indexParts.put(db, { revision: rev, count: index.size, at: Date.now() });
    });
  }
}
