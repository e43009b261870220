import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { DuplicateCluster } from '../lib/dedupe/dedupe';
import type { Paper } from '../lib/model/types';
import { lastChange } from '../lib/storage/paper-changes';
import { loadClusters } from '../lib/dedupe/stored';
import { markNotDuplicates, mergeCluster, notDuplicateSet, undoMerges, unmarkNotDuplicates } from '../lib/dedupe/merge';
import { MergeView } from './merge-view';
import { useLiveQuery } from '../lib/storage/live';

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
  // The papers change journal's position moves with every papers write (here, another page, the
  // background): the clusters are recomputed then, and stored with it, so opening the view
  // without changes since shows the stored clusters and reads only their papers.
  const seq = useLiveQuery(() => lastChange(db), [db]);
  const notDup = useLiveQuery(() => notDuplicateSet(db), [db]);
  // Computed in a worker in the extension (seconds at 100k papers); the last result stays on
  // screen while a newer one is computed.
  const [found, setFound] = useState<{ clusters: DuplicateCluster[]; byId: Map<string, Paper> } | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    if (seq === undefined || !notDup) return;
    let live = true;
    loadClusters(db, seq, notDup).then((f) => {
      if (live) setFound(f);
    }).catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [db, seq, notDup]);
  const clusters = found?.clusters;
  const byId = found?.byId ?? new Map<string, Paper>();

  if (error) return <p role="alert">Could not look for duplicates: {error}</p>;
  if (!clusters) return <p role="status">Looking for duplicates…</p>;
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
