import type { ShelfmarkDB } from '@/lib/storage/db';
import { SearchIndex, type SearchDoc, type SearchParts } from '@/lib/search';
import { changesSince, journalTables, lastChange, pruneChanges } from '@/lib/storage/paper-changes';

/**
 * The full-text index persisted in IndexedDB (table `searchParts`), so neither the library page
 * nor the popup tokenizes 100k abstracts on every open.
 *
 * The parts are labelled with the position in the papers change journal they reflect
 * (lib/storage/paper-changes.ts). Opening reads the parts and the journal after that position in
 * one transaction, decodes the parts and re-reads just the papers the journal names; only when
 * there are no parts, they are unreadable, or too many papers changed (an import) is the index
 * rebuilt — and then persisted, so the next open is fast again. While a page is open, `catchUp()`
 * applies new journal entries; `schedulePersist()` writes the index after a quiet spell.
 */
/** The row describing the parts (journal position, paper count). Kept in this table, not in
 * `meta`: meta is backed up and restored, and a restored label would not describe these parts. */
const META_KEY = '_meta';
const INDEX_PARTS = ['version', 'ids', 'terms', 'offsets', 'postings', 'titleLens', 'absLens'] as const;
const TITLES_PART = 'titles';

interface PartsMeta {
  seq: number;
  count: number;
  at: number;
}

export interface PersistedSearchOptions {
  /** Also keep paper titles by id (the popup shows hits without reading the papers). */
  titles?: boolean;
  /** Quiet time before a changed index is written back (ms). */
  persistDelayMs?: number;
  /** The title of a paper in the index, for persisting the titles part (the library page has its papers in memory). */
  titleOf?: (id: string) => string | undefined;
  /** Called when the in-memory index is replaced by its compacted form (after a persist). */
  onReplaced?: (index: SearchIndex) => void;
}

export interface OpenOptions {
  /** The live papers to build from when a rebuild is needed (default: read them from the database). */
  docs?: () => Promise<readonly SearchDoc[]>;
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
  /** The journal position (`position()`) taken before `docs` were read; default: when rebuild starts. */
  from?: number;
}

/** How the last open went, for the page's diagnostics and the bench. */
export interface OpenStats {
  from: 'parts' | 'rebuild';
  /** Reading the parts and the journal. */
  readMs: number;
  /** SearchIndex.fromParts. */
  decodeMs: number;
  /** Papers the journal named, re-read and re-indexed. */
  changed: number;
  /** Building from the papers (rebuild only). */
  buildMs: number;
}

export class PersistedSearch {
  index: SearchIndex | undefined;
  /** Titles by id (only with `titles: true`). */
  titles: Map<string, string> | undefined;
  /** The journal position the index reflects. */
  seq = 0;
  stats: OpenStats | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private catching: Promise<boolean> | undefined;

  constructor(
    private readonly db: ShelfmarkDB,
    private readonly opts: PersistedSearchOptions = {},
  ) {}

  /**
   * The persisted index brought up to date with the journal, or undefined when there is none
   * worth using (call `rebuild` then). Reads nothing but the parts, the journal and the papers it names.
   */
  async load(): Promise<SearchIndex | undefined> {
    const db = this.db;
    const t0 = performance.now();
    const parts = this.opts.titles ? [...INDEX_PARTS, TITLES_PART] : [...INDEX_PARTS];
    const stored = await db.transaction('r', db.searchParts, db.paperChanges, async () => {
      const meta = (await db.searchParts.get(META_KEY))?.data as PartsMeta | undefined;
      if (!meta || typeof meta.seq !== 'number') return undefined;
      const rows = await db.searchParts.bulkGet(parts);
      if (!rows.every((r) => r !== undefined)) return undefined;
      // More changes than a rebuild costs: an import or a corpus update happened meanwhile.
      const changes = await changesSince(db, meta.seq, Math.max(5000, meta.count / 10));
      return { meta, rows, changes };
    });
    const readMs = performance.now() - t0;
    performance.mark('shelfmark:search-parts-read');
    if (!stored || stored.changes.ids === 'all') return undefined;
    let index: SearchIndex;
    let titles: Map<string, string> | undefined;
    const t1 = performance.now();
    try {
      const p = Object.fromEntries(stored.rows.map((r) => [r.part, r.data])) as unknown as SearchParts & { titles?: string };
      index = SearchIndex.fromParts(p);
      if (index.size !== stored.meta.count) throw new Error('search index parts: count disagrees');
      if (this.opts.titles) titles = decodeTitles(p.ids, p.titles);
    } catch (e) {
      console.warn('Shelfmark: persisted search index unreadable, rebuilding', e);
      return undefined;
    }
    const decodeMs = performance.now() - t1;
    performance.mark('shelfmark:search-parts-decoded');
    this.index = index;
    this.titles = titles;
    this.seq = stored.changes.last;
    const ids = [...stored.changes.ids];
    await this.applyIds(ids);
    this.compactIfNeeded();
    this.stats = { from: 'parts', readMs, decodeMs, changed: ids.length, buildMs: 0 };
    return this.index;
  }

  /** Builds the index from the live papers (in slices) and persists it. Undefined when aborted. */
  async rebuild(options: OpenOptions = {}): Promise<SearchIndex | undefined> {
    const db = this.db;
    // The journal position before the papers are read: changes after it are applied afterwards
    // (re-applying one the read already saw is harmless), so none slips between read and persist.
    const seq0 = options.from ?? (await lastChange(db));
    const t0 = performance.now();
    const docs = options.docs ? await options.docs() : await db.papers.filter((p) => !p.mergedInto).toArray();
    const index = await SearchIndex.buildAsync(docs, { ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    if (!index) return undefined;
    this.index = index;
    if (this.opts.titles) this.titles = new Map(docs.map((d) => [d.id, d.title]));
    this.seq = seq0;
    const buildMs = performance.now() - t0;
    await this.catchUp();
    this.stats = { from: 'rebuild', readMs: 0, decodeMs: 0, changed: 0, buildMs };
    await this.persistNow();
    return index;
  }

  /** load(), or rebuild() when there is nothing usable persisted. */
  async open(options: OpenOptions = {}): Promise<SearchIndex | undefined> {
    return (await this.load()) ?? (await this.rebuild(options));
  }

  /**
   * Applies journal entries written since the index's position (papers written by any page or
   * the background). False when too much changed to patch: rebuild then. Concurrent calls share one pass.
   */
  catchUp(): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      if (!this.index) return true;
      const changes = await changesSince(this.db, this.seq, Math.max(5000, this.index.size / 10));
      if (changes.ids === 'all') return false;
      const ids = [...changes.ids];
      await this.applyIds(ids);
      this.seq = changes.last;
      // Compaction waits for the persist after a quiet spell (an import writes in bursts).
      if (ids.length) this.schedulePersist();
      return true;
    };
    const next = (this.catching ?? Promise.resolve(true)).then(run, run);
    this.catching = next;
    return next;
  }

  /** The journal's current position: take it before reading papers for `rebuild({ from })`. */
  position(): Promise<number> {
    return lastChange(this.db);
  }

  /**
   * Folds many edits into fresh base postings (the delta segment slows queries as it grows). From
   * the index's own parts, so no paper is re-read or re-tokenized; persisted soon after.
   */
  private compactIfNeeded(): void {
    if (!this.index?.needsCompaction) return;
    this.index = SearchIndex.fromParts(this.index.toParts());
    this.schedulePersist();
  }

  private async applyIds(ids: string[]): Promise<void> {
    const index = this.index;
    if (!index || !ids.length) return;
    const papers = await this.db.papers.bulkGet(ids);
    ids.forEach((id, i) => {
      const p = papers[i];
      if (!p || p.mergedInto) {
        index.remove(id);
        this.titles?.delete(id);
      } else {
        index.upsert(p);
        this.titles?.set(id, p.title);
      }
    });
  }

  schedulePersist(delayMs = this.opts.persistDelayMs ?? 3000): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.persistNow().catch((e) => console.warn('Shelfmark: could not persist the search index', e));
    }, delayMs);
  }

  /** Drops a pending write (page closing, tests). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Writes the index labelled with its journal position and prunes the journal up to it. A
   * snapshot newer than ours (another page persisted meanwhile) is left alone: overwriting it
   * would label the parts with a position whose journal rows are already pruned.
   */
  async persistNow(): Promise<void> {
    const index = this.index;
    if (!index) return;
    const seq = this.seq;
    const parts = index.toParts();
    // The parts are the compacted index: swap it in when edits have piled up.
    if (index.needsCompaction) {
      this.index = SearchIndex.fromParts(parts);
      this.opts.onReplaced?.(this.index);
    }
    // Titles are stored for the popup when this owner has them (a store without any writes none:
    // the popup then rebuilds once).
    const titles = this.opts.titleOf ?? (this.titles ? (id: string) => this.titles!.get(id) : undefined);
    let titlesJson: string | undefined;
    if (titles) {
      const titleList = (JSON.parse(parts.ids) as string[]).map(titles);
      // A title not at hand yet (the library page is still reading its papers): try again later
      // rather than store a blank one the popup would show.
      if (titleList.includes(undefined)) {
        this.schedulePersist();
        return;
      }
      titlesJson = JSON.stringify(titleList);
    }
    const db = this.db;
    await db.transaction('rw', [db.searchParts, ...journalTables(db)], async () => {
      const current = (await db.searchParts.get(META_KEY))?.data as PartsMeta | undefined;
      if (current && current.seq > seq) return;
      await db.searchParts.clear();
      await db.searchParts.bulkPut([
        ...INDEX_PARTS.map((part) => ({ part, data: parts[part] })),
        ...(titlesJson === undefined ? [] : [{ part: TITLES_PART, data: titlesJson }]),
        { part: META_KEY, data: { seq, count: index.size, at: Date.now() } satisfies PartsMeta },
      ]);
      await pruneChanges(db, seq);
    });
  }
}

function decodeTitles(idsJson: string, titlesJson: string | undefined): Map<string, string> {
  const ids = JSON.parse(idsJson) as string[];
  const titles = JSON.parse(titlesJson ?? '[]') as unknown;
  if (!Array.isArray(titles) || titles.length !== ids.length) throw new Error('search index parts: titles disagree');
  const m = new Map<string, string>();
  ids.forEach((id, i) => m.set(id, String(titles[i])));
  return m;
}
