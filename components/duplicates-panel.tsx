import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { Paper } from '../lib/model/types';
import { progressOf, readCandidateClusters, readScan } from '../lib/dedupe/candidates';
import { candidateFinder } from '../lib/dedupe/candidates-client';
import { useCandidateSync } from '../lib/dedupe/use-candidate-sync';
import { markNotDuplicates, mergeCluster, notDuplicateSet, undoMerges, unmarkNotDuplicates } from '../lib/dedupe/merge';
import { CLUSTERS_PER_PAGE, MergeView } from './merge-view';
import { useLiveQuery } from '../lib/storage/live';

export interface DuplicatesPanelProps {
  db: ShelfmarkDB;
  /** Called after every change (the library tells the background so page badges refresh). */
  onChanged?: () => void;
}

export { matcherCandidates } from '../lib/dedupe/dedupe-client';

/**
 * Duplicate review over the stored candidates (lib/dedupe/candidates.ts): the view reads the
 * candidate rows and the papers they name, so it opens at once at any corpus size. Whenever the
 * papers change journal moves (a write here, in another page, in the background) the finder
 * compares the changed papers in its worker and updates the rows, which re-renders the view
 * (useCandidateSync; the library page runs it too, a little after it opens, so papers imported
 * there are compared as they arrive even while this view is closed).
 * The journal is absorbed here, by the page that shows the view, not by the background: the
 * blocking index costs memory in proportion to the corpus, and the background's service worker
 * already holds the match index and is stopped and restarted at will; a page keeps it while open.
 */
export function DuplicatesPanel({ db, onChanged }: DuplicatesPanelProps): JSX.Element {
  const finder = candidateFinder(db);
  const syncError = useCandidateSync(db);
  // The first page of clusters with only its papers read, then everything (at 100k papers the
  // candidates name thousands of papers: reading them all is most of a second).
  const firstPage = useLiveQuery(async () => readCandidateClusters(db, await notDuplicateSet(db), CLUSTERS_PER_PAGE), [db]);
  const everything = useLiveQuery(
    async () => (firstPage ? readCandidateClusters(db, await notDuplicateSet(db)) : undefined),
    [db, firstPage === undefined],
  );
  const found = everything ?? firstPage;
  const scan = useLiveQuery(() => readScan(db), [db]);
  const [error, setError] = useState('');
  const report = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const progress = progressOf(scan);
  const clusters = found?.clusters;
  const byId = found?.byId ?? new Map<string, Paper>();
  const live = (id: string) => {
    const p = byId.get(id);
    return p && !p.mergedInto ? p : undefined;
  };
  const after = async <T,>(x: Promise<T>): Promise<T> => {
    const v = await x;
    onChanged?.();
    return v;
  };
  const pct = progress.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  return (
    <div>
      <div class="scan">
        {progress.status === 'running' && (
          <>
            <progress max={progress.total || 1} value={progress.done} aria-label="Duplicate scan" />
            <span role="status">
              Scanning for duplicates: {progress.done} of {progress.total} papers ({pct}%)
            </span>
            <button type="button" onClick={() => finder.cancel()}>
              Cancel scan
            </button>
          </>
        )}
        {progress.status === 'stopped' && (
          <>
            <span role="status">
              Scan stopped at {progress.done} of {progress.total} papers ({pct}%).
            </span>
            <button type="button" onClick={() => finder.rescan(true).catch(report)}>
              Resume scan
            </button>
          </>
        )}
        {progress.status !== 'running' && (
          <button type="button" onClick={() => finder.rescan().catch(report)}>
            Re-scan all papers
          </button>
        )}
      </div>
      {(error || syncError) && <p role="alert">Could not look for duplicates: {error || syncError}</p>}
      {!clusters ? (
        <p role="status">Looking for duplicates…</p>
      ) : (
        <MergeView
          clusters={clusters}
          unread={found?.unread ?? 0}
          paper={live}
          onMerge={(c, s) => after(mergeCluster(db, c.paperIds, s))}
          onUndoMerge={(ids) => after(undoMerges(db, ids))}
          onNotDuplicates={(c) => after(markNotDuplicates(db, c.paperIds))}
          onUndoNotDuplicates={(c) => after(unmarkNotDuplicates(db, c.paperIds))}
        />
      )}
    </div>
  );
}
