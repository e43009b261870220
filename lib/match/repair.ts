/**
 * Schema v3 upgrade: heals profiles whose papers learned ids from the wrong entries (before ids
 * were learned only from sure matches). Runs inside the versionchange transaction: a throw leaves
 * the database at v2 as it was.
 */
import type { Transaction } from 'dexie';
import { repairPaper, type LearningPaper, type RepairSighting } from './learn';

export async function repairLearnedIds(tx: Transaction): Promise<void> {
  // Sightings of matched entries that carried an id: the only way an id was ever learned.
  const byPaper = new Map<string, RepairSighting[]>();
  await tx
    .table('sightings')
    .toCollection()
    .each((s: RepairSighting) => {
      if (!s?.paperId || !s.ids || !(s.ids.arxiv || s.ids.doi || s.ids.openreview || s.ids.pmid)) return;
      const list = byPaper.get(s.paperId) ?? [];
      list.push(s);
      byPaper.set(s.paperId, list);
    });
  if (!byPaper.size) return;
  const papers = (await tx.table('papers').bulkGet([...byPaper.keys()])) as (LearningPaper | undefined)[];
  const fixed: LearningPaper[] = [];
  for (const p of papers) {
    if (!p) continue;
    const next = repairPaper(p, byPaper.get(p.id)!);
    if (next) fixed.push(next);
  }
  if (!fixed.length) return;
  await tx.table('papers').bulkPut(fixed);
  // The persisted match index still holds the dropped ids: the next start rebuilds it.
  await tx.table('indexParts').clear();
}
