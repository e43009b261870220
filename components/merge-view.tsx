import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { DuplicateCluster } from '../lib/dedupe/dedupe';
import type { Paper } from '../lib/model/types';
import { DuplicateClusterCard } from './duplicate-cluster';
import { useAction } from './use-action';

export interface MergeViewProps {
  clusters: readonly DuplicateCluster[];
  /** Clusters past `clusters` not read yet (the view paints its first page first). */
  unread?: number;
  paper: (id: string) => Paper | undefined;
  /** Merges the cluster into `survivorId`; returns the merge ids (for undo). */
  onMerge: (cluster: DuplicateCluster, survivorId: string) => Promise<number[]>;
  onUndoMerge: (mergeIds: number[]) => Promise<void>;
  onNotDuplicates: (cluster: DuplicateCluster) => Promise<void>;
  onUndoNotDuplicates: (cluster: DuplicateCluster) => Promise<void>;
}

/** Clusters rendered at first and per "Show more": a 100k library can hold thousands of them. */
export const CLUSTERS_PER_PAGE = 50;

type Done =
  | { kind: 'merge'; text: string; mergeIds: number[] }
  | { kind: 'not'; text: string; cluster: DuplicateCluster };

/**
 * Duplicate review: each candidate cluster side by side with why it was proposed, a choice of
 * which record to keep (the richest is preselected), Merge and "Not duplicates", a checkbox per
 * cluster for batch merge, and Undo for the last action (merges and "not duplicates" alike).
 */
export function MergeView(props: MergeViewProps): JSX.Element {
  const { clusters, paper, unread = 0 } = props;
  const [keep, setKeep] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<Done[]>([]);
  const [shown, setShown] = useState(CLUSTERS_PER_PAGE);
  const { busy, error, run: attempt } = useAction();

  const live = clusters.filter((c) => c.paperIds.every((id) => paper(id)));
  const certain = live.filter((c) => c.level === 'certain');
  const chosen = live.filter((c) => selected.has(c.id));
  const keepOf = (c: DuplicateCluster) => (keep[c.id] && c.paperIds.includes(keep[c.id]!) ? keep[c.id]! : c.survivorId);
  const titleOf = (id: string) => paper(id)?.title ?? id;

  async function run(fn: () => Promise<Done | undefined>): Promise<void> {
    await attempt(async () => {
      const d = await fn();
      if (d) setDone((prev) => [...prev.slice(-19), d]);
    });
  }

  const merge = (c: DuplicateCluster) =>
    run(async () => {
      const s = keepOf(c);
      const mergeIds = await props.onMerge(c, s);
      const others = c.paperIds.length - 1;
      return { kind: 'merge', mergeIds, text: `Merged ${others} record${others === 1 ? '' : 's'} into “${titleOf(s)}”.` };
    });

  const notDup = (c: DuplicateCluster) =>
    run(async () => {
      await props.onNotDuplicates(c);
      return { kind: 'not', cluster: c, text: `Marked “${titleOf(c.paperIds[0]!)}” and ${c.paperIds.length - 1} other as not duplicates.` };
    });

  const batch = () =>
    run(async () => {
      const ids: number[] = [];
      for (const c of chosen) ids.push(...(await props.onMerge(c, keepOf(c))));
      setSelected(new Set());
      return { kind: 'merge', mergeIds: ids, text: `Merged ${chosen.length} clusters (${ids.length} records).` };
    });

  const undo = () =>
    run(async () => {
      const last = done[done.length - 1];
      if (!last) return undefined;
      if (last.kind === 'merge') await props.onUndoMerge(last.mergeIds);
      else await props.onUndoNotDuplicates(last.cluster);
      setDone((prev) => prev.slice(0, -1));
      return undefined;
    });

  const last = done[done.length - 1];

  return (
    <section class="sm-merge-view" aria-labelledby="sm-dup-h" aria-busy={busy}>
      <h2 id="sm-dup-h">Duplicates</h2>
      <div class="sm-toolbar">
        <p>
          {unread > 0
            ? `${live.length + unread} candidate clusters (reading them…)`
            : live.length === 0
              ? 'No duplicate candidates.'
              : `${live.length} candidate cluster${live.length === 1 ? '' : 's'}: ${certain.length} certain, ${live.length - certain.length} to review.`}
        </p>
        <button type="button" disabled={busy || certain.length === 0} onClick={() => setSelected(new Set(certain.map((c) => c.id)))}>
          Select all certain ({certain.length})
        </button>
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void batch()}>
          Merge selected ({chosen.length})
        </button>
      </div>
      <div class="sm-undo-bar" role="status" aria-live="polite">
        {last && (
          <>
            <span>{last.text}</span>{' '}
            <button type="button" disabled={busy} onClick={() => void undo()}>
              Undo
            </button>
          </>
        )}
      </div>
      {error && (
        <p role="alert" class="sm-error">
          {error}
        </p>
      )}
      {live.slice(0, shown).map((c, ci) => (
        <DuplicateClusterCard
          key={c.id}
          cluster={c}
          index={ci}
          paper={paper}
          survivor={keepOf(c)}
          selected={selected.has(c.id)}
          busy={busy}
          onKeep={(id) => setKeep({ ...keep, [c.id]: id })}
          onSelect={(on) => {
            const next = new Set(selected);
            if (on) next.add(c.id);
            else next.delete(c.id);
            setSelected(next);
          }}
          onMerge={() => void merge(c)}
          onNotDuplicates={() => void notDup(c)}
        />
      ))}
      {live.length > shown && unread === 0 && (
        <p class="sm-more">
          Showing {shown} of {live.length} clusters.{' '}
          <button type="button" onClick={() => setShown(shown + CLUSTERS_PER_PAGE)}>
            Show {Math.min(CLUSTERS_PER_PAGE, live.length - shown)} more
          </button>
        </p>
      )}
    </section>
  );
}
