import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ListRow, ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { deleteList, renameList, restoreList } from '@/lib/actions';
import { useAllLists, useListItems } from '@/lib/storage/live';
import { ListNav } from './list-nav';
import { ListItems } from './list-items';
import { useAction } from '@/components/use-action';

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
  const [renaming, setRenaming] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const { error, run: attempt } = useAction();
  const [deleted, setDeleted] = useState<ListRow | undefined>(undefined);

  const live = (lists ?? []).filter((l) => !l.deletedAt).toSorted((a, b) => a.name.localeCompare(b.name));
  const current = live.find((l) => l.id === selectedId);

  async function run(fn: () => Promise<unknown>, done = ''): Promise<boolean> {
    const ok = await attempt(fn);
    if (ok) setStatus(done);
    return ok;
  }

  return (
    <div class="sm-lists-view">
      <ListNav db={db} lists={live} selectedId={selectedId} onSelect={onSelect} run={run} />
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
            <ListItems db={db} list={current} items={items} paper={paper} onOpenPaper={onOpenPaper} run={run} />
          </>
        )}
      </section>
    </div>
  );
}
