/**
 * Writes the shipped corpus asset into the `papers` table.
 *
 * Guarantees:
 * - Idempotent: re-running with the same asset adds nothing and changes nothing.
 * - User tables (tags, paperTags, lists, listItems, notes, sightings, merges, notDuplicates) are
 *   never written. User-side fields of a paper (aliasKeys, mergedInto, ids learned from pages,
 *   addedAt, lastSeenAt, non-seed provenance) are carried over; provenance only ever grows.
 * - A paper the user tagged, listed, noted, merged or saw is never deleted, even when a corpus
 *   update no longer contains it. Only untouched seed papers dropped from the corpus go.
 * - Few large transactions: papers are written in chunks of CHUNK_SIZE per transaction with
 *   one bulk request set each; every chunk re-reads its records inside its own transaction
 *   (one range read), so a tag or merge made while the import runs is never overwritten with
 *   a stale copy.
 * - Crash-safe: `meta.corpus` is set to {state:'importing'} before the first write and to
 *   {state:'complete'} after the last one. A service worker killed in between leaves
 *   'importing' behind, and `needsCorpusImport` makes the next start re-run the import, which
 *   picks up where it stopped (already written papers count as unchanged).
 */
import type { ShelfmarkDB } from '../storage/db';
import type { Paper, Provenance } from '../model/types';
import { titleKey } from '../model/normalize';
import { corpusPapers, type CorpusAsset, type CorpusPaper } from './corpus';
import { META, type CorpusMeta, type ImportCounts } from '../storage/meta';

export type { CorpusMeta, ImportCounts } from '../storage/meta';

/** `meta` row holding the corpus import state. */
export const CORPUS_META_KEY = META.corpus.key;

/**
 * Papers per write transaction. Chromium's IndexedDB costs about 0.25 ms per put whatever the
 * batching (see the notes), so the chunk size only trades transaction count against how much
 * work a killed service worker loses; 5000 measured fastest for 100k records.
 */
export const CHUNK_SIZE = 5000;

export interface ImportOptions {
  /** Defaults to CHUNK_SIZE. */
  chunkSize?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Re-import even when meta says this version is already complete. */
  force?: boolean;
  /** Called after each committed chunk (progress; tests use it to simulate a killed worker). */
  onChunk?: (done: number, total: number) => void | Promise<void>;
}

export function readCorpusMeta(db: ShelfmarkDB): Promise<CorpusMeta | undefined> {
  return META.corpus.get(db);
}

/** True when the shipped corpus `version` is not completely imported (fresh install, update, or an interrupted run). */
export async function needsCorpusImport(db: ShelfmarkDB, version: string): Promise<boolean> {
  const meta = await readCorpusMeta(db);
  return !(meta && meta.version === version && meta.state === 'complete');
}

interface Planned {
  paper: CorpusPaper;
  /** The stored record it updates (the asset id, or an older id for the same paper), or the asset id when new. */
  targetId: string;
}

function sameProvenance(a: Provenance, b: Provenance): boolean {
  return a.kind === b.kind && a.source === b.source && a.line === b.line && a.listingDate === b.listingDate;
}

/** Existing provenance plus any asset provenance not yet in it (never drops one). */
function unionProvenance(existing: readonly Provenance[], incoming: readonly Provenance[]): Provenance[] {
  const out = [...existing];
  for (const p of incoming) if (!out.some((q) => sameProvenance(p, q))) out.push(p);
  return out;
}

function newPaper(p: CorpusPaper, now: number): Paper {
  return {
    id: p.id,
    title: p.title,
    key: p.key,
    abstract: p.abstract,
    aliasKeys: [],
    provenance: [...p.provenance],
    origin: 'seed',
    addedAt: now,
    updatedAt: now,
  };
}

/**
 * The stored paper with the corpus fields applied, or undefined when nothing changes.
 * Seed papers take the corpus title, key and abstract; a paper the user added first (same key)
 * keeps its own title and only gains the seed provenance and a missing abstract.
 */
function applyCorpus(cur: Paper, p: CorpusPaper, now: number): Paper | undefined {
  const next: Paper = { ...cur };
  if (cur.origin === 'seed') {
    next.title = p.title;
    next.key = p.key;
    if (p.abstract) next.abstract = p.abstract;
  } else if (!cur.abstract && p.abstract) {
    next.abstract = p.abstract;
  }
  next.provenance = unionProvenance(cur.provenance ?? [], p.provenance);
  const changed =
    next.title !== cur.title ||
    next.key !== cur.key ||
    next.abstract !== cur.abstract ||
    next.provenance.length !== (cur.provenance?.length ?? 0);
  if (!changed) return undefined;
  next.updatedAt = now;
  return next;
}

/**
 * Decides which stored record each asset paper updates. Usually the one with the asset's id.
 * Otherwise a stored paper with the same key under another id, or a seed paper stored under an
 * older key: when lib/model/normalize.ts changed between versions, a stored seed paper has an older
 * key and id; it is found by re-keying its title with the current normalizer and keeps its id,
 * so tags and lists pointing at it stay attached.
 *
 * Reads only the primary keys (one getAllKeys) plus the records no asset id claims (usually
 * just the user's own papers).
 */
async function planTargets(db: ShelfmarkDB, papers: readonly CorpusPaper[]): Promise<{ plan: Planned[]; orphans: string[] }> {
  const storedIds = new Set(await db.papers.toCollection().primaryKeys());
  if (storedIds.size === 0) {
    return { plan: papers.map((paper) => ({ paper, targetId: paper.id })), orphans: [] };
  }
  const assetIds = new Set(papers.map((p) => p.id));
  const claimed = new Set<string>();
  const plan: Planned[] = [];
  const unplaced: CorpusPaper[] = [];
  for (const paper of papers) {
    if (storedIds.has(paper.id)) {
      claimed.add(paper.id);
      plan.push({ paper, targetId: paper.id });
    } else unplaced.push(paper);
  }
  // Merged-away records are mapped too (the paper stays merged rather than coming back as a new row).
  const unclaimed = (await db.papers.bulkGet([...storedIds].filter((id) => !assetIds.has(id)))).filter(
    (p): p is Paper => !!p,
  );
  if (unplaced.length && unclaimed.length) {
    const byKey = new Map<string, string>();
    const byRekey = new Map<string, string>();
    for (const p of unclaimed) {
      if (p.key && !byKey.has(p.key)) byKey.set(p.key, p.id);
      if (p.origin === 'seed') {
        const k = titleKey(p.title);
        if (!byRekey.has(k)) byRekey.set(k, p.id);
      }
    }
    for (const paper of unplaced) {
      const byK = byKey.get(paper.key);
      const old = byK && !claimed.has(byK) ? byK : byRekey.get(paper.key);
      if (old && !claimed.has(old)) {
        claimed.add(old);
        plan.push({ paper, targetId: old });
      } else plan.push({ paper, targetId: paper.id });
    }
  } else {
    for (const paper of unplaced) plan.push({ paper, targetId: paper.id });
  }
  const orphans = unclaimed.filter((p) => p.origin === 'seed' && !claimed.has(p.id)).map((p) => p.id);
  return { plan, orphans };
}

/**
 * Deletes seed papers dropped from the corpus unless the user has anything on them. The check
 * and the delete share one transaction, so a tag added meanwhile cannot be orphaned. User
 * tables are in the scope only to be read.
 */
async function removeOrphans(db: ShelfmarkDB, orphanIds: readonly string[]): Promise<{ removed: number; kept: number }> {
  if (orphanIds.length === 0) return { removed: 0, kept: 0 };
  return db.transaction(
    'rw',
    [db.papers, db.meta, db.paperTags, db.listItems, db.notes, db.sightings, db.merges],
    async () => {
      const ids = [...orphanIds];
      const referenced = new Set<string>();
      const add = (list: readonly (string | undefined)[]) => list.forEach((id) => id && referenced.add(id));
      add((await db.paperTags.where('paperId').anyOf(ids).toArray()).map((r) => r.paperId));
      add((await db.listItems.where('paperId').anyOf(ids).toArray()).map((r) => r.paperId));
      add((await db.notes.where('paperId').anyOf(ids).toArray()).map((r) => r.paperId));
      add((await db.sightings.where('paperId').anyOf(ids).toArray()).map((r) => r.paperId));
      const merges = await db.merges.where('survivorId').anyOf(ids).or('mergedId').anyOf(ids).toArray();
      add(merges.flatMap((m) => [m.survivorId, m.mergedId]));
      add((await db.papers.where('mergedInto').anyOf(ids).toArray()).map((p) => p.mergedInto));
      const current = await db.papers.bulkGet(ids);
      const doomed = current
        .filter(
          (p): p is Paper =>
            !!p &&
            p.origin === 'seed' &&
            !p.mergedInto &&
            !referenced.has(p.id) &&
            (p.aliasKeys?.length ?? 0) === 0 &&
            (p.provenance ?? []).every((pr) => pr.kind === 'seed'),
        )
        .map((p) => p.id);
      if (doomed.length) await db.papers.bulkDelete(doomed);
      return { removed: doomed.length, kept: ids.length - doomed.length };
    },
  );
}

async function writeMeta(db: ShelfmarkDB, meta: CorpusMeta): Promise<void> {
  await META.corpus.put(db, meta);
}

/**
 * Imports the (already validated) asset. Returns what changed. When meta says this exact
 * version is complete, returns at once with everything unchanged, unless `force`.
 */
export async function importCorpus(db: ShelfmarkDB, asset: CorpusAsset, opts: ImportOptions = {}): Promise<ImportCounts> {
  const now = opts.now ?? Date.now;
  const chunkSize = Math.max(1, opts.chunkSize ?? CHUNK_SIZE);
  const counts: ImportCounts = { added: 0, updated: 0, unchanged: 0, removed: 0, kept: 0, transactions: 0 };
  if (!opts.force && !(await needsCorpusImport(db, asset.version))) {
    counts.unchanged = asset.papers.length;
    return counts;
  }
  const startedAt = now();
  await writeMeta(db, { version: asset.version, state: 'importing', paperCount: asset.papers.length, startedAt });

  const papers = corpusPapers(asset);
  const { plan, orphans } = await planTargets(db, papers);
  // Sorted by target id, each chunk covers one id range: its current records come back with a
  // single range read (IDB getAll) instead of one get per paper.
  const sorted = plan.toSorted((a, b) => (a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0));

  for (let start = 0; start < sorted.length; start += chunkSize) {
    const chunk = sorted.slice(start, start + chunkSize);
    const stamp = now();
    const result = await db.transaction('rw', db.papers, db.meta, async () => {
      const lo = chunk[0]!.targetId;
      const hi = chunk.at(-1)!.targetId;
      const current = new Map<string, Paper>();
      for (const p of await db.papers.where(':id').between(lo, hi, true, true).toArray()) current.set(p.id, p);
      const writes: Paper[] = [];
      let added = 0;
      let updated = 0;
      for (const { paper, targetId } of chunk) {
        const cur = current.get(targetId);
        if (!cur) {
          writes.push(newPaper(paper, stamp));
          added++;
          continue;
        }
        const next = applyCorpus(cur, paper, stamp);
        if (next) {
          writes.push(next);
          updated++;
        }
      }
      if (writes.length) await db.papers.bulkPut(writes);
      return { added, updated, unchanged: chunk.length - added - updated, wrote: writes.length > 0 };
    });
    counts.added += result.added;
    counts.updated += result.updated;
    counts.unchanged += result.unchanged;
    if (result.wrote) counts.transactions++;
    await opts.onChunk?.(Math.min(start + chunkSize, sorted.length), sorted.length);
  }

  const { removed, kept } = await removeOrphans(db, orphans);
  counts.removed = removed;
  counts.kept = kept;

  await writeMeta(db, {
    version: asset.version,
    state: 'complete',
    paperCount: asset.papers.length,
    startedAt,
    finishedAt: now(),
    counts,
  });
  return counts;
}
