import { useEffect, useMemo, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { DuplicateCluster } from '../lib/dedupe/dedupe';
import { markNotDuplicates, mergeCluster, notDuplicateSet, undoMerges, unmarkNotDuplicates } from '../lib/dedupe/merge';
import { computeClusters } from '../lib/dedupe/dedupe-client';
import { MergeView } from './merge-view';
import { useAllPapers, useLiveQuery } from '../lib/storage/live';

export interface DuplicatesPanelProps {
  db: ShelfmarkDB;
  /** Called after every change (the library tells the background so page badges refresh). */
  onChanged?: () => void;
}

export { matcherCandidates } from '../lib/dedupe/dedupe-client';

/**
 * Duplicate review over the live database: clusters are recomputed whenever papers or
 * "not duplicates" decisions change (here or in another view), so a merge, an undo or a
 * "not duplicates" shows at once.
 */
export function DuplicatesPanel({ db, onChanged }: DuplicatesPanelProps): JSX.Element {
  const papers = useAllPapers(db);
  const notDup = useLiveQuery(() => notDuplicateSet(db), [db]);
  const byId = useMemo(() => new Map((papers ?? []).map((p) => [p.id, p])), [papers]);
  // Computed in a worker in the extension (seconds at 100k papers); the last result stays on
  // screen while a newer one is computed.
  const [clusters, setClusters] = useState<DuplicateCluster[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!papers || !notDup) return;
    let live = true;
    computeClusters(papers, notDup).then(
      (c) => live && setClusters(c),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [papers, notDup]);

  if (error) return <p role="alert">Could not look for duplicates: {error}</p>;
  if (!papers || !notDup || !clusters) return <p role="status">Looking for duplicates…</p>;
  const live = (id: string) => {
    const p = byId.get(id);
    return p && !p.mergedInto ? p : undefined;
  };
  const after = async <T,>(x: Promise<T>): Promise<T> => {
    const v = await x;
    onChanged?.();
    return v;
  };
  return (
    <MergeView
      clusters={clusters}
      paper={live}
      onMerge={(c, s) => after(mergeCluster(db, c.paperIds, s))}
      onUndoMerge={(ids) => after(undoMerges(db, ids))}
      onNotDuplicates={(c) => after(markNotDuplicates(db, c.paperIds))}
      onUndoNotDuplicates={(c) => after(unmarkNotDuplicates(db, c.paperIds))}
    />
  );
}
