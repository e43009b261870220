import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/db';
import type { Paper } from '@/lib/types';
import { addTag, addToList, createListWithPapers, removeFromList, removeTag, setNote } from '@/lib/actions';
import { TagEditor } from '@/components/tag-editor';
import { ListPicker } from '@/components/list-picker';
import { useLiveQuery } from '@/components/use-live-query';
import { ExportPaperCopy } from '@/components/export-menu';
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
  const data = useLiveQuery(async () => {
    const [tags, items, note, sightings, mergedAway] = await Promise.all([
      db.paperTags.where('paperId').equals(id).toArray(),
      db.listItems.where('paperId').equals(id).toArray(),
      db.notes.get(id),
      db.sightings.where('paperId').equals(id).toArray(),
      db.papers.where('mergedInto').equals(id).toArray(),
    ]);
    return {
      tags: tags.map((t) => t.tag).toSorted(),
      inLists: items.map((i) => i.listId),
      note: note?.text ?? '',
      sightings: sightings.toSorted((a, b) => b.seenAt - a.seenAt).slice(0, 50),
      sightingCount: sightings.length,
      mergedAway,
    };
  }, [db, id]);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  // The note as it was when this edit began: setNote keeps both texts if another window saved meanwhile.
  const [draftBase, setDraftBase] = useState('');
  const [noteStatus, setNoteStatus] = useState('');
  useEffect(() => {
    setDraft(undefined);
    setNoteStatus('');
    // Focus the title so screen readers announce the paper and Esc (handled on the article) works.
    document.getElementById('sm-detail-title')?.focus();
  }, [id]);

  const liveIds = new Set(lists.map((l) => l.id));
  const noteText = draft ?? data?.note ?? '';

  async function saveNote(): Promise<void> {
    if (draft === undefined || draft === data?.note) return;
    try {
      const { merged } = await setNote(db, id, draft, { basedOn: draftBase });
      setDraft(undefined);
      setNoteStatus(merged ? 'The note was changed in another window meanwhile: both versions are kept.' : 'Note saved.');
    } catch (e) {
      setNoteStatus(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <article
      class="sm-detail"
      aria-labelledby="sm-detail-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !(e.target instanceof HTMLTextAreaElement && draft !== undefined)) {
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
          <label class="sm-label" for="sm-note">
            Note
          </label>
          <textarea
            id="sm-note"
            rows={5}
            value={noteText}
            onInput={(e) => {
              if (draft === undefined) setDraftBase(data?.note ?? '');
              setDraft(e.currentTarget.value);
            }}
            onBlur={() => void saveNote()}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void saveNote();
              } else if (e.key === 'Escape' && draft !== undefined) {
                e.preventDefault();
                e.stopPropagation();
                setDraft(undefined);
              }
            }}
          />
          <p class="sm-muted" role="status">
            {noteStatus || 'Saved when you leave the field (or Ctrl+Enter); Esc discards the edit.'}
          </p>
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
