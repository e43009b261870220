// The lists column on its own: creating and choosing a list share no state with the list shown.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ListRow, ShelfmarkDB } from '@/lib/storage/db';
import { createList } from '@/lib/actions';
import { useListCounts } from '@/lib/storage/live';
import type { RunListAction } from './list-items';

export interface ListNavProps {
  db: ShelfmarkDB;
  /** Live lists, sorted by name. */
  lists: readonly ListRow[];
  selectedId: string | undefined;
  onSelect: (listId: string | undefined) => void;
  run: RunListAction;
}

/** The reading lists as links with their counts, and a form to create a list. */
export function ListNav({ db, lists, selectedId, onSelect, run }: ListNavProps): JSX.Element {
  const counts = useListCounts(db);
  const [newName, setNewName] = useState('');
  return (
    <nav class="sm-list-nav" aria-label="Reading lists">
      <h2>Reading lists</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const name = newName.trim();
          if (!name) return;
          void run(async () => {
            const id = await createList(db, name);
            setNewName('');
            onSelect(id);
          }, `Created “${name}”.`);
        }}
      >
        <label class="sm-label" for="sm-new-list">
          New list
        </label>
        <input id="sm-new-list" type="text" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} placeholder="Name…" />{' '}
        <button type="submit">Create</button>
      </form>
      <ul class="sm-list-links">
        {lists.map((l) => {
          const c = counts?.get(l.id);
          return (
            <li key={l.id}>
              <button type="button" class={l.id === selectedId ? 'sm-nav-item sm-current' : 'sm-nav-item'} aria-current={l.id === selectedId ? 'true' : undefined} onClick={() => onSelect(l.id)}>
                {l.name} <span class="sm-muted">({c?.n ?? 0}{c?.unread ? `, ${c.unread} unread` : ''})</span>
              </button>
            </li>
          );
        })}
      </ul>
      {lists.length === 0 && <p class="sm-muted">No lists yet.</p>}
    </nav>
  );
}
