import { useEffect } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { addTag, addToList, createListWithPapers, removeFromList, removeTag } from '@/lib/actions';
import { TagEditor } from '@/components/tag-editor';
import { ListPicker } from '@/components/list-picker';
import { usePaperDetail } from '@/lib/storage/live';
import { ExportPaperCopy } from '@/components/export-paper-copy';
import { NoteEditor } from './note-editor';
import { LearnedIds } from '@/components/learned-ids';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export interface PaperDetailProps {
  db: ShelfmarkDB;
  paper: Paper;
  allTags: readonly string[];
  lists: readonly { id: string; name: string }[];
  onClose: () => void;
  onOpen: (id: string) => void;
}

/** Everything about one paper: text, ids, where and when it was seen, tags, lists, the note. */
export function PaperDetail({ db, paper, allTags, lists, onClose, onOpen }: PaperDetailProps): JSX.Element {
  const id = paper.id;
  const data = usePaperDetail(db, id);
  useEffect(() => {
    // Focus the title so screen readers announce the paper and Esc (handled on the article) works.
    document.getElementById('sm-detail-title')?.focus();
  }, [id]);

  const liveIds = new Set(lists.map((l) => l.id));

  return (
    <article
      class="sm-detail"
      aria-labelledby="sm-detail-title"
      onKeyDown={(e) => {
        // An Esc that discards a note edit stops in the note editor and never gets here.
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="sm-toolbar">
        <button type="button" onClick={onClose} aria-label="Close paper details">
          ← Back
        </button>
      </div>
      <h2 id="sm-detail-title" tabIndex={-1}>
        {paper.title}
      </h2>
      {paper.mergedInto && (
        <p class="sm-muted">
          Merged into{' '}
          <button type="button" class="sm-link" onClick={() => onOpen(paper.mergedInto!)}>
            the record it was merged into
          </button>{' '}
          (kept so the merge can be undone in Duplicates).
        </p>
      )}
      {paper.authors?.length ? <p>{paper.authors.join(', ')}</p> : null}
      <dl class="sm-ids">
        {paper.venue || paper.year ? (
          <>
            <dt>Venue</dt>
            <dd>{[paper.venue, paper.year].filter(Boolean).join(' ')}</dd>
          </>
        ) : null}
        {paper.arxivId && (
          <>
            <dt>arXiv</dt>
            <dd>
              <a href={`https://arxiv.org/abs/${paper.arxivId}`} target="_blank" rel="noreferrer">
                {paper.arxivId}
              </a>
            </dd>
          </>
        )}
        {paper.doi && (
          <>
            <dt>DOI</dt>
            <dd>
              <a href={`https://doi.org/${paper.doi}`} target="_blank" rel="noreferrer">
                {paper.doi}
              </a>
            </dd>
          </>
        )}
        {paper.openreviewId && (
          <>
            <dt>OpenReview</dt>
            <dd>
              <a href={`https://openreview.net/forum?id=${encodeURIComponent(paper.openreviewId)}`} target="_blank" rel="noreferrer">
                {paper.openreviewId}
              </a>
            </dd>
          </>
        )}
        {paper.pmid && (
          <>
            <dt>PMID</dt>
            <dd>
              <a href={`https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(paper.pmid)}/`} target="_blank" rel="noreferrer">
                {paper.pmid}
              </a>
            </dd>
          </>
        )}
        {paper.url && /^https?:/.test(paper.url) && (
          <>
            <dt>Link</dt>
            <dd>
              <a href={paper.url} target="_blank" rel="noreferrer">
                {paper.url}
              </a>
            </dd>
          </>
        )}
        <dt>Added</dt>
        <dd>{when.format(paper.addedAt)}</dd>
        <dt>Sources</dt>
        <dd>
          {paper.provenance
            .map((p) => (p.kind === 'seed' ? `seed ${p.source}${p.line ? `:${p.line}` : ''}${p.listingDate ? ` (${p.listingDate})` : ''}` : `${p.kind} ${p.source}`))
            .join('; ') || paper.origin}
        </dd>
      </dl>
      <LearnedIds db={db} paper={paper} />
      <ExportPaperCopy paper={paper} tags={data?.tags ?? []} />
      <h3>Abstract</h3>
      <p class="sm-abstract-full">{paper.abstract || <em>No abstract.</em>}</p>
      {!paper.mergedInto && (
        <>
          <TagEditor
            tags={data?.tags ?? []}
            allTags={allTags}
            onAdd={(t) => addTag(db, [id], t)}
            onRemove={(t) => removeTag(db, [id], t)}
          />
          <ListPicker
            lists={lists}
            inLists={(data?.inLists ?? []).filter((l) => liveIds.has(l))}
            onAdd={(l) => addToList(db, l, [id])}
            onRemove={(l) => removeFromList(db, l, [id])}
            onCreate={(name) => createListWithPapers(db, name, [id])}
          />
          <NoteEditor key={id} db={db} paperId={id} note={data?.note} />
        </>
      )}
      <h3>Seen on pages</h3>
      {data && data.sightingCount === 0 && <p class="sm-muted">Not seen on a listing page yet.</p>}
      {data && data.sightingCount > 0 && (
        <ul class="sm-sightings">
          {data.sightings.map((s) => (
            <li key={s.id}>
              {when.format(s.seenAt)} — {s.host}{' '}
              <span class="sm-muted">
                ({s.status === 'match' ? 'in corpus' : s.status}
                {s.title !== paper.title ? `, as “${s.title}”` : ''})
              </span>
            </li>
          ))}
          {data.sightingCount > data.sightings.length && <li class="sm-muted">…and {data.sightingCount - data.sightings.length} earlier</li>}
        </ul>
      )}
      {data && data.mergedAway.length > 0 && (
        <>
          <h3>Merged into this record</h3>
          <ul>
            {data.mergedAway.map((m) => (
              <li key={m.id}>
                <button type="button" class="sm-link" onClick={() => onOpen(m.id)}>
                  {m.title}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
