// One candidate cluster as a card: the comparison a reviewer reads, apart from the review's state.
import type { JSX } from 'preact';
import type { DuplicateCluster } from '../lib/dedupe/dedupe';
import type { Paper } from '../lib/model/types';

export interface DuplicateClusterCardProps {
  cluster: DuplicateCluster;
  /** Its position on the page, for the heading's id. */
  index: number;
  paper: (id: string) => Paper | undefined;
  /** The record chosen to keep. */
  survivor: string;
  selected: boolean;
  busy: boolean;
  onKeep: (paperId: string) => void;
  onSelect: (selected: boolean) => void;
  onMerge: () => void;
  onNotDuplicates: () => void;
}

/** Why the cluster was proposed, its records side by side with a choice of which to keep, and its actions. */
export function DuplicateClusterCard(props: DuplicateClusterCardProps): JSX.Element {
  const { cluster: c, index, paper, survivor, selected, busy } = props;
  const hid = `sm-cl-${index}`;
  const titleOf = (id: string) => paper(id)?.title ?? id;
  return (
    <article class={`sm-cluster sm-level-${c.level}`} aria-labelledby={hid} data-cluster={c.id}>
      <header>
        <h3 id={hid}>
          <span class={`sm-pill sm-pill-${c.level}`}>{c.level === 'certain' ? 'Certain' : 'Maybe'}</span> {c.paperIds.length} records:{' '}
          {titleOf(c.paperIds[0]!)}
        </h3>
        <label>
          <input type="checkbox" checked={selected} onChange={(e) => props.onSelect(e.currentTarget.checked)} /> Select for batch merge
        </label>
      </header>
      <ul class="sm-reasons" aria-label="Why proposed">
        {c.pairs.map((p) => (
          <li key={`${p.a}|${p.b}`}>
            {c.pairs.length > 1 && `${short(titleOf(p.a))} ↔ ${short(titleOf(p.b))}: `}
            {p.reasons.join('; ')}
          </li>
        ))}
      </ul>
      <div class="sm-side-by-side" role="radiogroup" aria-label="Record to keep">
        {c.paperIds.map((id) => (
          <RecordCard key={id} paper={paper(id)!} clusterId={c.id} kept={id === survivor} onKeep={() => props.onKeep(id)} />
        ))}
      </div>
      <div class="sm-actions">
        <button type="button" disabled={busy} onClick={props.onMerge}>
          Merge into kept record
        </button>
        <button type="button" disabled={busy} onClick={props.onNotDuplicates}>
          Not duplicates
        </button>
      </div>
    </article>
  );
}

function RecordCard({ paper: p, clusterId, kept, onKeep }: { paper: Paper; clusterId: string; kept: boolean; onKeep: () => void }): JSX.Element {
  return (
    <div class={kept ? 'sm-card sm-keep' : 'sm-card'}>
      <label class="sm-keep-choice">
        <input type="radio" name={`keep-${clusterId}`} checked={kept} onChange={onKeep} /> Keep this record
      </label>
      <h4>{p.title}</h4>
      <dl>
        {p.authors?.length ? (
          <>
            <dt>Authors</dt>
            <dd>{p.authors.join(', ')}</dd>
          </>
        ) : null}
        {(p.venue || p.year) && (
          <>
            <dt>Venue</dt>
            <dd>{[p.venue, p.year].filter(Boolean).join(' ')}</dd>
          </>
        )}
        {p.arxivId && (
          <>
            <dt>arXiv</dt>
            <dd>{p.arxivId}</dd>
          </>
        )}
        {p.doi && (
          <>
            <dt>DOI</dt>
            <dd>{p.doi}</dd>
          </>
        )}
        {p.pmid && (
          <>
            <dt>PMID</dt>
            <dd>{p.pmid}</dd>
          </>
        )}
        <dt>Source</dt>
        <dd>{p.provenance.map((s) => s.source).join(', ') || p.origin}</dd>
      </dl>
      <p class="sm-abstract">{p.abstract ? excerpt(p.abstract, 320) : <em>No abstract.</em>}</p>
    </div>
  );
}

function short(t: string): string {
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

function excerpt(t: string, n: number): string {
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
