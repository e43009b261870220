import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { setNote } from '@/lib/actions';

export interface NoteEditorProps {
  db: ShelfmarkDB;
  paperId: string;
  /** The stored note (live). */
  note: string | undefined;
}

/**
 * A paper's note, saved when the field is left (or Ctrl+Enter); Esc discards the edit. Mount it
 * with `key={paperId}` so another paper starts with no edit in progress.
 */
export function NoteEditor({ db, paperId, note }: NoteEditorProps): JSX.Element {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  // The note as it was when this edit began: setNote keeps both texts if another window saved meanwhile.
  const [draftBase, setDraftBase] = useState('');
  const [status, setStatus] = useState('');
  const text = draft ?? note ?? '';

  async function save(): Promise<void> {
    if (draft === undefined || draft === note) return;
    try {
      const { merged } = await setNote(db, paperId, draft, { basedOn: draftBase });
      setDraft(undefined);
      setStatus(merged ? 'The note was changed in another window meanwhile: both versions are kept.' : 'Note saved.');
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <>
      <label class="sm-label" for="sm-note">
        Note
      </label>
      <textarea
        id="sm-note"
        rows={5}
        value={text}
        onInput={(e) => {
          if (draft === undefined) setDraftBase(note ?? '');
          setDraft(e.currentTarget.value);
        }}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          } else if (e.key === 'Escape' && draft !== undefined) {
            // Discarding the edit is all this Esc does: the paper stays open.
            e.preventDefault();
            e.stopPropagation();
            setDraft(undefined);
          }
        }}
      />
      <p class="sm-muted" role="status">
        {status || 'Saved when you leave the field (or Ctrl+Enter); Esc discards the edit.'}
      </p>
    </>
  );
}
