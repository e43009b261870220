import type { JSX } from 'preact';
import type { Paper } from '../lib/model/types';

export interface PaperRowProps {
  paper: Paper;
  tags?: readonly string[];
  /** Names of the reading lists the paper is in. */
  lists?: readonly string[];
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** One paper in a list of papers: title, a few tags, its lists and when it was added or last seen. */
export function PaperRow({ paper, tags = [], lists = [], selected, onSelect }: PaperRowProps): JSX.Element {
  const shown = tags.slice(0, 4);
  return (
    <div class="sm-paper-row">
      {onSelect && (
        <input
          type="checkbox"
          aria-label={`Select ${paper.title}`}
          checked={!!selected}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => onSelect(e.currentTarget.checked)}
        />
      )}
      <div class="sm-paper-main">
        <span class="sm-paper-title">{paper.title}</span>
        <span class="sm-paper-sub sm-muted">
          {paper.mergedInto ? 'merged away · ' : ''}
          {paper.origin === 'seed' ? 'seed' : paper.origin === 'import' ? 'imported' : 'added from a page'} ·{' '}
          {dateFmt.format(paper.addedAt)}
          {paper.lastSeenAt ? ` · seen ${dateFmt.format(paper.lastSeenAt)}` : ''}
          {lists.length ? ` · in ${lists.join(', ')}` : ''}
        </span>
      </div>
      {shown.length > 0 && (
        <ul class="sm-chips" aria-label="Tags">
          {shown.map((t) => (
            <li key={t} class="sm-chip">
              {t}
            </li>
          ))}
          {tags.length > shown.length && <li class="sm-muted">+{tags.length - shown.length}</li>}
        </ul>
      )}
    </div>
  );
}
