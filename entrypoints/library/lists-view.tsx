import { useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ListRow, ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { createList, deleteList, removeFromList, renameList, reorderList, restoreList, setRead } from '@/lib/actions';
import { useAllLists, useListCounts, useListItems } from '@/lib/storage/live';

export interface ListsViewProps {
  db: ShelfmarkDB;
  paper: (id: string) => Paper | undefined;
  selectedId: string | undefined;
  onSelect: (listId: string | undefined) => void;
  onOpenPaper: (id: string) => void;
  /** Export UI for the selected list, when the exchange components are available. */
  renderExport?: (list: ListRow) => JSX.Element | null;
}

/**
 * Reading lists: create, rename, delete (with undo), and for the chosen list its papers in
 * order with read/unread and reordering (buttons, or Alt+↑/↓ on a row).
 */
export function ListsView({ db, paper, selectedId, onSelect, onOpenPaper, renderExport }: ListsViewProps): JSX.Element {
  const lists = useAllLists(db);
  const items = useListItems(db, selectedId);
  const counts = useListCounts(db);
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [deleted, setDeleted] = useState<ListRow | undefined>(undefined);
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());

  const live = (lists ?? []).filter((l) => !l.deletedAt).toSorted((a, b) => a.name.localeCompare(b.name));
  const current = live.find((l) => l.id === selectedId);

  async function run(fn: () => Promise<unknown>, done = ''): Promise<boolean> {
    setError('');
    try {
      await fn();
      setStatus(done);
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  }

  async function move(paperId: string, delta: number): Promise<void> {
    if (!current || !items) return;
    const order = items.map((i) => i.paperId);
    const i = order.indexOf(paperId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    await run(() => reorderList(db, current.id, order), `Moved to position ${j + 1}.`);
    // Keep the focus on the moved row so repeated Alt+↓ keeps moving it.
    requestAnimationFrame(() => rowButtons.current.get(paperId)?.focus());
  }

  return (
    <div class="sm-lists-view">
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
          {live.map((l) => {
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
        {live.length === 0 && <p class="sm-muted">No lists yet.</p>}
      </nav>
      <section class="sm-list-detail" aria-label={current ? `List ${current.name}` : 'No list chosen'}>
        <div class="sm-undo-bar" role="status" aria-live="polite">
          {deleted && (
            <>
              Deleted “{deleted.name}”.{' '}
              <button
                type="button"
                onClick={() =>
                  void run(async () => {
                    await restoreList(db, deleted.id);
                    onSelect(deleted.id);
                    setDeleted(undefined);
                  }, `Restored “${deleted.name}”.`)
                }
              >
                Undo
              </button>
            </>
          )}
          {!deleted && status}
        </div>
        {error && (
          <p role="alert" class="sm-error">
            {error}
          </p>
        )}
        {!current && <p class="sm-muted">Choose a list, or create one.</p>}
        {current && (
          <>
            <div class="sm-toolbar">
              {renaming === undefined ? (
                <>
                  <h2>{current.name}</h2>
                  <button type="button" onClick={() => setRenaming(current.name)}>
                    Rename
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      void run(async () => {
                        await deleteList(db, current.id);
                        setDeleted(current);
                        onSelect(undefined);
                      })
                    }
                  >
                    Delete list
                  </button>
                </>
              ) : (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void run(() => renameList(db, current.id, renaming), 'Renamed.').then((ok) => ok && setRenaming(undefined));
                  }}
                >
                  <label class="sm-label" for="sm-rename-list">
                    List name
                  </label>
                  <input
                    id="sm-rename-list"
                    type="text"
                    value={renaming}
                    ref={(el) => el?.focus()}
                    onInput={(e) => setRenaming(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.preventDefault();
                        e.stopPropagation();
                        setRenaming(undefined);
                      }
                    }}
                  />{' '}
                  <button type="submit">Save</button>{' '}
                  <button type="button" onClick={() => setRenaming(undefined)}>
                    Cancel
                  </button>
                </form>
              )}
            </div>
            {renderExport?.(current)}
            {items && items.length === 0 && <p class="sm-muted">This list is empty. Add papers from the popup or from a paper’s page here.</p>}
            <ol class="sm-list-items" aria-label={`Papers in ${current.name}`}>
              {(items ?? []).map((it, i) => {
                const p = paper(it.paperId);
                const title = p?.title ?? it.paperId;
                return (
                  <li key={it.paperId} class={it.read ? 'sm-item sm-read' : 'sm-item'} data-paper={it.paperId}>
                    <input
                      type="checkbox"
                      checked={it.read}
                      aria-label={`Read: ${title}`}
                      onChange={(e) => void run(() => setRead(db, current.id, it.paperId, e.currentTarget.checked))}
                    />
                    <button
                      type="button"
                      class="sm-item-title"
                      ref={(el) => {
                        if (el) rowButtons.current.set(it.paperId, el);
                      }}
                      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                      onClick={() => onOpenPaper(it.paperId)}
                      onKeyDown={(e) => {
                        if (e.altKey && e.key === 'ArrowUp') {
                          e.preventDefault();
                          void move(it.paperId, -1);
                        } else if (e.altKey && e.key === 'ArrowDown') {
                          e.preventDefault();
                          void move(it.paperId, 1);
                        } else if (!e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
                          e.preventDefault();
                          const next = items![i + (e.key === 'ArrowDown' ? 1 : -1)];
                          if (next) rowButtons.current.get(next.paperId)?.focus();
                        }
                      }}
                    >
                      {title}
                    </button>
                    <span class="sm-item-actions">
                      <button type="button" aria-label={`Move up: ${title}`} disabled={i === 0} onClick={() => void move(it.paperId, -1)}>
                        ↑
                      </button>
                      <button type="button" aria-label={`Move down: ${title}`} disabled={i === items!.length - 1} onClick={() => void move(it.paperId, 1)}>
                        ↓
                      </button>
                      <button type="button" aria-label={`Remove from list: ${title}`} onClick={() => void run(() => removeFromList(db, current.id, [it.paperId]), `Removed “${title}”.`)}>
                        Remove
                      </button>
                    </span>
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
