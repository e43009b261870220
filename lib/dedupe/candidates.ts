/**
 * Stored duplicate candidates (schema v8): every proposed pair, one row each, kept current from
 * the papers change journal (lib/storage/paper-changes.ts) by the incremental finder
 * (lib/dedupe/incremental.ts). The duplicates view reads these rows and the few papers they name,
 * so it opens in a few milliseconds at any corpus size; "not duplicates" decisions are applied
 * when reading (they change without any papers write).
 *
 * `duplicateScan` holds two rows:
 * - `cursor`: the journal position the candidates are current with;
 * - `scan`: a full re-scan's checkpoint (papers are scanned in id order; the last id done and
 *   the pairs found so far are written together, each chunk), so a scan stopped by a closed page
 *   or a stopped worker resumes where it was: the papers already done are indexed again (cheap)
 *   but not compared again.
 * Whatever the journal holds after the cursor (or after a running scan's start) is kept: the
 * journal's pruning respects it (pruneChanges).
 */
import type { Paper } from '../model/types';
import type { ShelfmarkDB } from '../storage/db';
import type { DuplicateCandidateRow, DuplicateScanStateRow } from '../storage/rows';
import { clusterPairs, groupPairs, pairKey, type DuplicateCluster, type DuplicatePair } from './dedupe';
import { BlockingIndex } from './incremental';
import { changesSince, lastChange } from '../storage/paper-changes';

/** A full re-scan's checkpoint (row schema in lib/storage/rows.ts). */
export type ScanRow = DuplicateScanStateRow;

export interface ScanProgress {
  status: 'idle' | 'running' | 'stopped' | 'done';
  done: number;
  total: number;
}

const candidateRow = (p: DuplicatePair): DuplicateCandidateRow => ({ pair: pairKey(p.a, p.b), a: p.a, b: p.b, p });

export async function readScan(db: ShelfmarkDB): Promise<ScanRow | undefined> {
  const row = await db.duplicateScan.get('scan');
  return row?.key === 'scan' ? row : undefined;
}

export async function readCursor(db: ShelfmarkDB): Promise<number | undefined> {
  const row = await db.duplicateScan.get('cursor');
  return row?.key === 'cursor' ? row.seq : undefined;
}

export function progressOf(scan: ScanRow | undefined): ScanProgress {
  if (!scan) return { status: 'idle', done: 0, total: 0 };
  const status = scan.status === 'done' ? 'done' : scan.cancelled ? 'stopped' : 'running';
  return { status, done: scan.done, total: scan.total };
}

/** Replaces every stored pair touching `ids` with `pairs` (the new pairs of those papers). */
async function replacePairsOf(db: ShelfmarkDB, ids: string[], pairs: DuplicatePair[]): Promise<void> {
  const t = db.duplicateCandidates;
  await t.where('a').anyOf(ids).delete();
  await t.where('b').anyOf(ids).delete();
  await t.bulkPut(pairs.map(candidateRow));
}

/** A User Timing mark for the library-page bench (timing only; nothing when there is no timeline). */
function mark(name: string): void {
  try {
    performance.mark(`shelfmark:${name}`);
  } catch {
    // No performance timeline.
  }
}

/** Pairs in a stable order (certain first, then by ids) so clusters read the same at every open. */
function byLevelThenIds(p: DuplicatePair, q: DuplicatePair): number {
  return (p.level === q.level ? 0 : p.level === 'certain' ? -1 : 1) || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0);
}

/** What the duplicates view shows: clusters and the papers they name. */
export interface CandidateClusters {
  clusters: DuplicateCluster[];
  byId: Map<string, Paper>;
  /** With `first`: clusters not read yet (their papers were not read); 0 when everything was. */
  unread: number;
}

/**
 * The duplicates view's clusters from the stored candidates: pairs the user called "not
 * duplicates" and papers since deleted or merged away are left out.
 *
 * `first`: only the first clusters, with only their papers read — what the view paints first.
 * At 100k papers the candidates name thousands of papers, and reading them all takes most of a
 * second; the view shows 50 clusters at a time, so it reads those first and the rest after
 * (the stored candidates are kept current with merges and deletions, so clusters past `first`
 * seldom change when their papers are read).
 */
export async function readCandidateClusters(db: ShelfmarkDB, notDuplicates: Set<string>, first = Infinity): Promise<CandidateClusters> {
  const what = first < Infinity ? 'first-page' : 'all';
  const rows = await db.duplicateCandidates.toArray();
  mark(`duplicates-${what}-rows-read`);
  let pairs = rows.map((r): DuplicatePair => r.p).filter((p) => !notDuplicates.has(pairKey(p.a, p.b)));
  let unread = 0;
  if (first < Infinity) {
    pairs.sort(byLevelThenIds);
    // The clusters by ids alone, in the order the view shows them; then the pairs of the first ones
    // (not every pair among their papers: a maybe pair across two shown clusters is no cluster).
    const all = groupPairs(pairs, (ids) => ids[0]);
    const head = all.slice(0, first);
    unread = all.length - head.length;
    pairs = head.flatMap((c) => c.pairs);
  }
  const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const papers = await db.papers.bulkGet(ids);
  mark(`duplicates-${what}-papers-read`);
  const byId = new Map<string, Paper>();
  for (const p of papers) if (p && !p.mergedInto) byId.set(p.id, p);
  const live = pairs.filter((p) => byId.has(p.a) && byId.has(p.b));
  live.sort(byLevelThenIds);
  return { clusters: clusterPairs([...byId.values()], live), byId, unread };
}

export interface EngineOptions {
  /** Papers read and compared per transaction during a full scan. */
  chunk?: number;
  onProgress?: (p: ScanProgress) => void;
}

/**
 * Keeps the stored candidates current. Runs in the duplicates worker in the extension
 * (lib/dedupe/candidates.worker.ts) and on the page's thread in tests. One operation at a time:
 * a sync requested during a scan waits for it (the scan absorbs the journal when it ends).
 */
export class CandidateEngine {
  private index: BlockingIndex | undefined;
  /** The journal position the in-memory index reflects. */
  private indexSeq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private abort: AbortController | undefined;

  constructor(
    private readonly db: ShelfmarkDB,
    private readonly opts: EngineOptions = {},
  ) {}

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops a running scan after its current chunk (its checkpoint stays: it can be resumed). */
  cancel(): void {
    this.abort?.abort();
  }

  /**
   * Brings the candidates up to the journal: the changed papers are compared again. Starts (or
   * resumes) a full scan when there are no candidates yet, an interrupted scan waits, or the
   * journal says everything changed (a cleared table).
   */
  sync(): Promise<ScanProgress> {
    return this.serial(async () => {
      const [cursor, scan] = await Promise.all([readCursor(this.db), readScan(this.db)]);
      if (scan?.status === 'running') return scan.cancelled ? progressOf(scan) : this.scanNow(false);
      if (cursor === undefined) return this.scanNow(true);
      const r = await this.absorb(cursor);
      return r === 'all' ? this.scanNow(true) : progressOf(scan);
    });
  }

  /** A full re-scan from scratch (or the stopped one resumed, when `resume`). */
  rescan(resume = false): Promise<ScanProgress> {
    return this.serial(() => this.scanNow(!resume));
  }

  private async ensureIndex(): Promise<BlockingIndex> {
    if (this.index) return this.index;
    const db = this.db;
    const { seq, papers } = await db.transaction('r', db.papers, db.paperChanges, async () => ({
      seq: await lastChange(db),
      papers: await db.papers.toArray(),
    }));
    const index = new BlockingIndex();
    for (const p of papers) index.add(p);
    this.index = index;
    this.indexSeq = seq;
    return index;
  }

  /** Compares the papers changed after `cursor` again; 'all' when the journal cannot say which. */
  private async absorb(cursor: number): Promise<'ok' | 'all'> {
    const db = this.db;
    // Nothing written since: no need to read the corpus for an index (the view's usual open).
    const quick = await changesSince(db, cursor);
    if (quick.ids !== 'all' && quick.ids.size === 0) {
      if (quick.last !== cursor) await db.duplicateScan.put({ key: 'cursor', seq: quick.last });
      return 'ok';
    }
    const index = await this.ensureIndex();
    const from = Math.min(cursor, this.indexSeq);
    const { ids, last } = from === cursor ? quick : await changesSince(db, from);
    if (ids === 'all') return 'all';
    const list = [...ids];
    const chunk = this.opts.chunk ?? 500;
    for (let at = 0; at < list.length || at === 0; at += chunk) {
      const part = list.slice(at, at + chunk);
      const papers = await db.papers.bulkGet(part);
      const pairs = part.flatMap((id, k) => index.upsert(id, papers[k]));
      const end = at + chunk >= list.length;
      await db.transaction('rw', db.duplicateCandidates, db.duplicateScan, async () => {
        await replacePairsOf(db, part, pairs);
        if (end) await db.duplicateScan.put({ key: 'cursor', seq: last });
      });
    }
    this.indexSeq = last;
    return 'ok';
  }

  private async scanNow(fresh: boolean): Promise<ScanProgress> {
    const db = this.db;
    const abort = (this.abort = new AbortController());
    let scan = await readScan(db);
    if (fresh || !scan || scan.status !== 'running') {
      scan = {
        key: 'scan',
        status: 'running',
        startSeq: await lastChange(db),
        lastId: '',
        done: 0,
        total: await db.papers.count(),
        at: Date.now(),
      };
      const first = scan;
      await db.transaction('rw', db.duplicateCandidates, db.duplicateScan, async () => {
        await db.duplicateCandidates.clear();
        await db.duplicateScan.put(first);
      });
      this.index = new BlockingIndex();
    } else {
      scan = { ...scan, cancelled: false };
      await db.duplicateScan.put(scan);
      // Resuming: the papers already compared are indexed again, not compared.
      const index = new BlockingIndex();
      if (scan.lastId) {
        await db.papers.where(':id').belowOrEqual(scan.lastId).each((p) => index.add(p));
      }
      this.index = index;
    }
    const index = this.index!;
    this.indexSeq = scan.startSeq;
    this.opts.onProgress?.(progressOf(scan));
    const chunk = this.opts.chunk ?? 500;
    while (!abort.signal.aborted) {
      const from: string = scan.lastId;
      const batch = await (from ? db.papers.where(':id').above(from) : db.papers.orderBy(':id')).limit(chunk).toArray();
      if (batch.length === 0) break;
      const pairs: DuplicatePair[] = [];
      for (const p of batch) pairs.push(...index.upsert(p.id, p));
      scan = { ...scan, lastId: batch.at(-1)!.id, done: scan.done + batch.length, total: Math.max(scan.total, scan.done + batch.length), at: Date.now() };
      const row = scan;
      await db.transaction('rw', db.duplicateCandidates, db.duplicateScan, async () => {
        await db.duplicateCandidates.bulkPut(pairs.map(candidateRow));
        await db.duplicateScan.put(row);
      });
      this.opts.onProgress?.(progressOf(scan));
    }
    if (abort.signal.aborted) {
      scan = { ...scan, cancelled: true };
      await db.duplicateScan.put(scan);
      this.index = undefined;
      this.opts.onProgress?.(progressOf(scan));
      return progressOf(scan);
    }
    const finished: ScanRow = { ...scan, status: 'done', at: Date.now() };
    await db.transaction('rw', db.duplicateScan, async () => {
      await db.duplicateScan.bulkPut([{ key: 'cursor', seq: finished.startSeq }, finished]);
    });
    // Papers written while the scan ran are compared again now.
    await this.absorb(scan.startSeq);
    this.opts.onProgress?.(progressOf(finished));
    return progressOf(finished);
  }
}
