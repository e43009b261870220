import type { DuplicateCluster } from './dedupe';
import type { ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import { computeClusters } from './dedupe-client';

/**
 * The last duplicate clusters computed, labelled with what they were computed from: the papers
 * change journal's position (lib/storage/paper-changes.ts) and a fingerprint of the "not
 * duplicates" decisions. Clustering is a pure function of those two, so when both still hold the
 * duplicates view shows the stored clusters at once instead of reading every paper and running
 * the full comparison again (seconds at 100k papers).
 */
const KEY = 'clusters';


/** A fingerprint of the "not duplicates" pairs: their count and a hash of the sorted keys. */
export function notDuplicatesFingerprint(pairs: Iterable<string>): string {
  const sorted = [...pairs].toSorted();
  let h = 0x811c9dc5;
  for (const s of sorted) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 10, 0x01000193);
  }
  return `${sorted.length}:${(h >>> 0).toString(36)}`;
}

/** The stored clusters when they were computed from exactly this journal position and these decisions. */
export async function storedClusters(db: ShelfmarkDB, seq: number, notDuplicates: string): Promise<DuplicateCluster[] | undefined> {
  const row = await db.duplicateCache.get(KEY);
  if (!row || row.seq !== seq || row.notDuplicates !== notDuplicates || !Array.isArray(row.clusters)) return undefined;
  // Written only by storeClusters below; the labels above say they were computed from today's data.
  return row.clusters as DuplicateCluster[];
}

export async function storeClusters(db: ShelfmarkDB, seq: number, notDuplicates: string, clusters: DuplicateCluster[]): Promise<void> {
  await db.duplicateCache.put({ key: KEY, seq, notDuplicates, clusters, at: Date.now() });
}

/**
 * The duplicates view's clusters and the papers they name: the stored clusters when they still
 * hold (reading only their papers), else computed from every paper in a worker and stored,
 * labelled with the journal position read before the papers (a write in between makes the
 * stored result stale, never wrong).
 */
export async function loadClusters(
  db: ShelfmarkDB,
  seq: number,
  notDup: Set<string>,
): Promise<{ clusters: DuplicateCluster[]; byId: Map<string, Paper> }> {
  const fingerprint = notDuplicatesFingerprint(notDup);
  const stored = await storedClusters(db, seq, fingerprint).catch(() => undefined);
  if (stored) {
    const rows = await db.papers.bulkGet([...new Set(stored.flatMap((c) => c.paperIds))]);
    return { clusters: stored, byId: new Map(rows.flatMap((p) => (p ? [[p.id, p] as const] : []))) };
  }
  const papers = await db.papers.toArray();
  const clusters = await computeClusters(papers, notDup);
  await storeClusters(db, seq, fingerprint, clusters).catch(() => undefined);
  return { clusters, byId: new Map(papers.map((p) => [p.id, p])) };
}
