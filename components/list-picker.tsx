import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX, TargetedKeyboardEvent } from 'preact';
import { useAction } from './use-action';

export interface ListRefLike {
  id: string;
  name: string;
}

export interface ListPickerProps {
  lists: readonly ListRefLike[];
  /** Lists every target paper is in (checked). */
  inLists: readonly string[];
  /** Lists only some papers of a selection are in (mixed). */
  partialLists?: readonly string[];
  onAdd: (listId: string) => unknown;
  onRemove: (listId: string) => unknown;
  /** Creates a list with this name and adds the target papers to it. */
  onCreate: (name: string) => unknown;
  label?: string;
}

/**
 * Reading-list picker: one checkbox per list (checked = the paper is in it, mixed = some papers
 * of the selection are), and a field that filters the lists and creates a new one from its text.
 * Keyboard: type to filter, Enter adds to the list of that exact name or creates it, ↓ moves into
 * the checkboxes, ↑/↓ move between them, Space toggles, Esc goes back to the field.
 */
export function ListPicker(props: ListPickerProps): JSX.Element {
  const { lists, inLists, partialLists = [], onAdd, onRemove, onCreate, label = 'Reading lists' } = props;
  const uid = useId();
  const [text, setText] = useState('');
  const { busy, error, run: attempt } = useAction();
  const [status, setStatus] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const boxes = useRef<(HTMLInputElement | null)[]>([]);

  const shown = useMemo(() => {
    const q = text.trim().toLowerCase();
    return lists.filter((l) => l.name.toLowerCase().includes(q));
  }, [lists, text]);
  const exact = lists.find((l) => l.name.toLowerCase() === text.trim().toLowerCase());
  const isIn = new Set(inLists);
  const isPartial = new Set(partialLists);

  useEffect(() => {
    boxes.current.forEach((b, i) => {
      if (b) b.indeterminate = isPartial.has(shown[i]?.id ?? '') && !isIn.has(shown[i]?.id ?? '');
    });
  });

  async function run(fn: () => unknown, done: string): Promise<void> {
    if (await attempt(fn)) setStatus(done);
  }

  function toggle(l: ListRefLike): void {
    if (isIn.has(l.id)) void run(() => onRemove(l.id), `Removed from ${l.name}`);
    else void run(() => onAdd(l.id), `Added to ${l.name}`);
  }

  function onFieldKey(e: TargetedKeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      const name = text.trim().replace(/\s+/g, ' ');
      if (!name) return;
      if (exact) {
        if (!isIn.has(exact.id)) void run(() => onAdd(exact.id), `Added to ${exact.name}`);
      } else {
        void run(() => onCreate(name), `Created ${name} and added`);
      }
      setText('');
    } else if (e.key === 'ArrowDown' && shown.length) {
      e.preventDefault();
      boxes.current[0]?.focus();
    } else if (e.key === 'Escape' && text) {
      e.preventDefault();
      e.stopPropagation();
      setText('');
    }
  }

  function onBoxKey(e: TargetedKeyboardEvent<HTMLInputElement>, i: number): void {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      boxes.current[Math.min(i + 1, shown.length - 1)]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) field.current?.focus();
      else boxes.current[i - 1]?.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      toggle(shown[i]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      field.current?.focus();
    }
  }

  return (
    <fieldset class="sm-list-picker" aria-busy={busy}>
      <legend>{label}</legend>
      <input
        ref={field}
        type="text"
        class="sm-list-field"
        aria-label={`Find or create a reading list`}
        aria-describedby={`${uid}-hint`}
        placeholder="Find or create a list…"
        value={text}
        autoComplete="off"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onFieldKey}
      />
      <span id={`${uid}-hint`} class="sm-hint">
        {text.trim() && !exact ? `Enter creates “${text.trim()}”` : 'Enter adds; ↓ to the lists'}
      </span>
      {shown.length === 0 && !text && <p class="sm-muted">No reading lists yet.</p>}
      <ul class="sm-lists">
        {shown.map((l, i) => (
          <li key={l.id}>
            <label>
              <input
                ref={(el) => {
                  boxes.current[i] = el;
                }}
                type="checkbox"
                checked={isIn.has(l.id)}
                aria-checked={isIn.has(l.id) ? 'true' : isPartial.has(l.id) ? 'mixed' : 'false'}
                disabled={busy}
                onChange={() => toggle(l)}
                onKeyDown={(e) => onBoxKey(e, i)}
              />
              {l.name}
            </label>
          </li>
        ))}
      </ul>
      {text.trim() && !exact && (
        <button type="button" class="sm-link" disabled={busy} onClick={() => void run(() => onCreate(text.trim()), `Created ${text.trim()} and added`).then(() => setText(''))}>
          Create list “{text.trim()}”
        </button>
      )}
      <p class="sm-status" role="status" aria-live="polite">
        {status}
      </p>
      {error && (
        <p role="alert" class="sm-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
