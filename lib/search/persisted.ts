import * as z from 'zod/mini';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { SearchIndex, SEARCH_PARTS_VERSION, type SearchDoc, type SearchParts } from '@/lib/search';
import { changesSince, journalTables, lastChange, pruneChanges } from '@/lib/storage/paper-changes';
import { PackedIds, PackedStrings } from './packed';

/**
 * The full-text index persisted in IndexedDB (table `searchParts`), so neither the library page
 * nor the popup tokenizes 100k abstracts on every open.
 *
 * The parts are labelled with the position in the papers change journal they reflect
 * (lib/storage/paper-changes.ts). Opening reads the parts and the journal after that position in
 * one transaction, uses the parts as they are (packed strings and typed arrays: nothing to parse,
 * see lib/search/packed.ts) and re-reads just the papers the journal names; only when
 * there are no parts, they are unreadable, or too many papers changed (an import) is the index
 * rebuilt — and then persisted, so the next open is fast again. While a page is open, `catchUp()`
 * applies new journal entries; `schedulePersist()` writes the index after a quiet spell.
 */
/** The row describing the parts (journal position, paper count). Kept in this table, not in
 * `meta`: meta is backed up and restored, and a restored label would not describe these parts. */
const META_KEY = '_meta';
/** The whole index in one record (one read, one structured clone), titles in another. */
const INDEX_PART = 'index';
const TITLES_PART = 'titles';

/**
 * The `_meta` row. `format` is the parts' layout (SEARCH_PARTS_VERSION): rows an older build
 * wrote (one row per array, JSON strings) have none, read as missing, and are rebuilt and
 * replaced — never decoded as the new layout.
 */
const partsMetaSchema = z.object({ format: z.literal(SEARCH_PARTS_VERSION), seq: z.number(), count: z.number(), at: z.number() });
type PartsMeta = z.infer<typeof partsMetaSchema>;

function readMeta(data: unknown): PartsMeta | undefined {
  const got = partsMetaSchema.safeParse(data);
  return got.success ? got.data : undefined;
}

/** Titles by paper id for the popup: the stored titles (in the index's document order) plus the edits since. */
export class PaperTitles {
  /** Titles set (or removed: null) since the stored ones were read. */
  private readonly edits = new Map<string, string | null>();
  private count: number;

  constructor(
    private readonly ids: PackedIds,
    private readonly titles: PackedStrings,
  ) {
    if (titles.length !== ids.length) throw new Error('search index parts: titles disagree');
    this.count = ids.length;
  }

  static from(entries: Iterable<readonly [string, string]>): PaperTitles {
    const list = [...entries];
    return new PaperTitles(PackedIds.from(list.map((e) => e[0])), PackedStrings.from(list.map((e) => e[1])));
  }

  get size(): number {
    return this.count;
  }

  get(id: string): string | undefined {
    if (this.edits.has(id)) return this.edits.get(id) ?? undefined;
    const d = this.ids.indexOf(id);
    return d >= 0 ? this.titles.get(d) : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, title: string): void {
    if (!this.has(id)) this.count++;
    this.edits.set(id, title);
  }

  delete(id: string): void {
    if (this.has(id)) this.count--;
    this.edits.set(id, null);
  }

  *values(): IterableIterator<string> {
    for (let d = 0; d < this.ids.length; d++) {
      const id = this.ids.get(d);
      const t = this.edits.has(id) ? this.edits.get(id) : this.titles.get(d);
      if (t != null) yield t;
    }
    for (const [id, t] of this.edits) if (t !== null && this.ids.indexOf(id) < 0) yield t;
  }
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
  titles: PaperTitles | undefined;
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
    performance.mark('shelfmark:search-parts-read-start');
    // One read of the rows (the meta is checked after: a stale or old-format meta is rare).
    const keys = this.opts.titles ? [META_KEY, INDEX_PART, TITLES_PART] : [META_KEY, INDEX_PART];
    const stored = await db.transaction('r', db.searchParts, db.paperChanges, async () => {
      const rows = await db.searchParts.bulkGet(keys);
      const meta = readMeta(rows[0]?.data);
      if (!meta || !rows.every((r) => r !== undefined)) return undefined;
      // More changes than a rebuild costs: an import or a corpus update happened meanwhile.
      const changes = await changesSince(db, meta.seq, Math.max(5000, meta.count / 10));
      return { meta, index: rows[1]!.data, titles: rows[2]?.data, changes };
    });
    const readMs = performance.now() - t0;
    performance.mark('shelfmark:search-parts-read');
    if (!stored || stored.changes.ids === 'all') return undefined;
    let index: SearchIndex;
    let titles: PaperTitles | undefined;
    const t1 = performance.now();
    try {
      const p = stored.index as SearchParts;
      index = SearchIndex.fromParts(p);
      if (index.size !== stored.meta.count) throw new Error('search index parts: count disagrees');
      if (this.opts.titles) titles = readTitles(p, stored.titles);
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
    if (this.opts.titles) this.titles = PaperTitles.from(docs.map((d) => [d.id, d.title] as const));
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
    let packedTitles: { text: string; ends: Uint32Array } | undefined;
    if (titles) {
      const ids = new PackedStrings(parts.ids, parts.idEnds);
      const titleList: string[] = [];
      for (let d = 0; d < ids.length; d++) {
        const t = titles(ids.get(d));
        // A title not at hand yet (the library page is still reading its papers): try again later
        // rather than store a blank one the popup would show.
        if (t === undefined) {
          this.schedulePersist();
          return;
        }
        titleList.push(t);
      }
      const packed = PackedStrings.from(titleList);
      packedTitles = { text: packed.text, ends: packed.ends };
    }
    const db = this.db;
    await db.transaction('rw', [db.searchParts, ...journalTables(db)], async () => {
      // An older build's meta (another format) says nothing about these parts: overwritten.
      const current = readMeta((await db.searchParts.get(META_KEY))?.data);
      if (current && current.seq > seq) return;
      await db.searchParts.clear();
      await db.searchParts.bulkPut([
        { part: INDEX_PART, data: parts },
        ...(packedTitles === undefined ? [] : [{ part: TITLES_PART, data: packedTitles }]),
        { part: META_KEY, data: { format: SEARCH_PARTS_VERSION, seq, count: index.size, at: Date.now() } satisfies PartsMeta },
      ]);
      await pruneChanges(db, seq);
    });
  }
}

/** The stored titles over the index parts' ids (no copy, no Map); throws when they do not fit. */
function readTitles(parts: SearchParts, data: unknown): PaperTitles {
  const t = data as { text?: unknown; ends?: unknown } | undefined;
  if (typeof t?.text !== 'string' || !(t.ends instanceof Uint32Array)) throw new Error('search index parts: titles of the wrong type');
  const titles = new PackedStrings(t.text, t.ends);
  titles.check('titles');
  return new PaperTitles(new PackedIds(new PackedStrings(parts.ids, parts.idEnds), parts.idTable), titles);
}
