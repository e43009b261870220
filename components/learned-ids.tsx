import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { forgetLearnedId, type LearnedId, type LearningPaper } from '@/lib/match/learn';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const LABEL: Record<LearnedId['kind'], string> = { arxiv: 'arXiv', doi: 'DOI', openreview: 'OpenReview', pmid: 'PMID' };
const VIA: Record<LearnedId['via'], string> = {
  key: 'same title',
  alias: 'a known title of the paper',
  confirmed: 'you confirmed it',
  repair: 'checked when Shelfmark was updated',
};

/**
 * Ids the paper learned from listing pages, each with the page, the time and the entry's title
 * it came from, and a way to remove it (a removed id is not learned again).
 */
export function LearnedIds({ db, paper }: { db: ShelfmarkDB; paper: LearningPaper }): JSX.Element | null {
  const [status, setStatus] = useState('');
  const learned = paper.learnedIds ?? [];
  if (!learned.length) return null;
  return (
    <section aria-labelledby="sm-learned-ids">
      <h3 id="sm-learned-ids">Ids learned from pages</h3>
      <ul class="sm-learned-ids">
        {learned.map((l) => (
          <li key={`${l.kind}:${l.value}`}>
            {LABEL[l.kind]} {l.value} — from{' '}
            {/^https?:/.test(l.pageUrl) ? (
              <a href={l.pageUrl} target="_blank" rel="noreferrer">
                {hostOf(l.pageUrl)}
              </a>
            ) : (
              'a page'
            )}{' '}
            on {when.format(l.at)}, entry “{l.title}” <span class="sm-muted">({VIA[l.via]})</span>{' '}
            <button
              type="button"
              aria-label={`Remove ${LABEL[l.kind]} ${l.value}`}
              onClick={() =>
                void forgetLearnedId(db, paper.id, l.kind, l.value).then(
                  () => setStatus(`${LABEL[l.kind]} ${l.value} removed; it will not be learned again.`),
                  (e: unknown) => setStatus(e instanceof Error ? e.message : String(e)),
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <p class="sm-muted" role="status">
        {status}
      </p>
    </section>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
