import type { ComponentChildren, JSX } from 'preact';
import type { TabEntry } from '@/lib/messaging/messages';

export interface EntryRowProps {
  te: TabEntry;
  selected: boolean;
  editing: boolean;
  tags: readonly string[];
  listNames: readonly string[];
  rowRef: (el: HTMLButtonElement | null) => void;
  onToggleSelect: () => void;
  onToggleEdit: () => void;
  /** Focus the row `delta` rows away (↑/↓). */
  onMove: (delta: number) => void;
  onConfirm: (paperId: string) => void;
  onReject: (paperId: string) => void;
  onAdd: () => void;
  /** The tag and list editors, shown while editing. */
  children?: ComponentChildren;
}

/** One entry of the tab in the popup: select box, title (opens the editors), tags and lists, and its maybe/new actions. */
export function EntryRow({ te, selected, editing, tags, listNames, rowRef, onToggleSelect, onToggleEdit, onMove, onConfirm, onReject, onAdd, children }: EntryRowProps): JSX.Element {
  const eid = te.entry.eid;
  const cand = te.result.candidates?.[0];
  return (
    <li class="sm-entry" data-eid={eid} data-status={te.result.status}>
      <div class="sm-entry-line">
        <input type="checkbox" aria-label={`Select ${te.entry.title}`} checked={selected} onChange={onToggleSelect} />
        <button
          type="button"
          class="sm-entry-title"
          ref={rowRef}
          aria-expanded={editing}
          aria-describedby={`sm-meta-${eid}`}
          onClick={onToggleEdit}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') onMove(1);
            else if (e.key === 'ArrowUp') onMove(-1);
            else if (e.key === ' ' && e.shiftKey) onToggleSelect();
            else return;
            e.preventDefault();
          }}
        >
          {te.entry.title}
        </button>
      </div>
      <div id={`sm-meta-${eid}`} class="sm-entry-meta">
        {tags.length > 0 && (
          <ul class="sm-chips" aria-label="Tags">
            {tags.map((t) => (
              <li key={t} class="sm-chip">
                {t}
              </li>
            ))}
          </ul>
        )}
        {listNames.length > 0 && <span class="sm-muted">In: {listNames.join(', ')}</span>}
      </div>
      {te.result.status === 'maybe' && cand && (
        <div class="sm-maybe">
          <span>
            Is it “{cand.title}”? <span class="sm-muted">({Math.round(cand.score * 100)}% alike)</span>
          </span>
          <button type="button" class="sm-primary" onClick={() => onConfirm(cand.paperId)}>
            Confirm
          </button>
          <button type="button" onClick={() => onReject(cand.paperId)}>
            Not it
          </button>
        </div>
      )}
      {te.result.status === 'none' && (
        <button type="button" onClick={onAdd}>
          Add to corpus
        </button>
      )}
      {editing && children}
    </li>
  );
}
