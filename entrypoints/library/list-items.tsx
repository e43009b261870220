// A list's papers with their reordering keys, apart from the list management around them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX, TargetedKeyboardEvent } from 'preact';
import type { ListItemRow, ListRow, ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { removeFromList, reorderList, setRead } from '@/lib/actions';

/** Runs a list action, shows `done` on success or the error; resolves to whether it succeeded. */
export type RunListAction = (fn: () => Promise<unknown>, done?: string) => Promise<boolean>;

export interface ListItemsProps {
  db: ShelfmarkDB;
  list: ListRow;
  /** The list's items in order; undefined while loading. */
  items: readonly ListItemRow[] | undefined;
  paper: (id: string) => Paper | undefined;
  onOpenPaper: (id: string) => void;
  run: RunListAction;
}

/**
 * The papers of one list in order, each with read/unread, move up/down and remove. Keyboard on a
 * row's title: ↑/↓ move the focus, Alt+↑/↓ move the paper (and the focus stays on it).
 */
export function ListItems({ db, list, items, paper, onOpenPaper, run }: ListItemsProps): JSX.Element {
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());
  // The read state the user just clicked, shown until the stored value catches up: the busy state of
  // the write re-renders the row before the live query has the new value, which would undo the click.
  const [clicked, setClicked] = useState<ReadonlyMap<string, boolean>>(new Map());
  const readOf = (it: ListItemRow): boolean => clicked.get(it.paperId) ?? it.read;
  useEffect(() => {
    // Once the stored value has caught up, it rules again (another tab may change it later).
    setClicked((m) => {
      if (!m.size) return m;
      const next = new Map(m);
      for (const it of items ?? []) if (next.get(it.paperId) === it.read) next.delete(it.paperId);
      return next.size === m.size ? m : next;
    });
  }, [items]);

  function toggleRead(paperId: string, read: boolean): void {
    setClicked((m) => new Map(m).set(paperId, read));
    void run(() => setRead(db, list.id, paperId, read)).then((ok) => {
      if (!ok) setClicked((m) => {
        const next = new Map(m);
        next.delete(paperId);
        return next;
      });
    });
  }

  async function move(paperId: string, delta: number): Promise<void> {
    if (!items) return;
    const order = items.map((i) => i.paperId);
    const i = order.indexOf(paperId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    await run(() => reorderList(db, list.id, order), `Moved to position ${j + 1}.`);
    // Keep the focus on the moved row so repeated Alt+↓ keeps moving it.
    requestAnimationFrame(() => rowButtons.current.get(paperId)?.focus());
  }

  function onTitleKeyDown(e: TargetedKeyboardEvent<HTMLButtonElement>, paperId: string, i: number): void {
    if (e.altKey && e.key === 'ArrowUp') {
      e.preventDefault();
      void move(paperId, -1);
    } else if (e.altKey && e.key === 'ArrowDown') {
      e.preventDefault();
      void move(paperId, 1);
    } else if (!e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const next = items![i + (e.key === 'ArrowDown' ? 1 : -1)];
      if (next) rowButtons.current.get(next.paperId)?.focus();
    }
  }

  return (
    <>
      {items && items.length === 0 && <p class="sm-muted">This list is empty. Add papers from the popup or from a paper’s page here.</p>}
      <ol class="sm-list-items" aria-label={`Papers in ${list.name}`}>
        {(items ?? []).map((it, i) => {
          const p = paper(it.paperId);
          const title = p?.title ?? it.paperId;
          return (
            <li key={it.paperId} class={it.read ? 'sm-item sm-read' : 'sm-item'} data-paper={it.paperId}>
              <input
                type="checkbox"
                checked={readOf(it)}
                aria-label={`Read: ${title}`}
                onChange={(e) => toggleRead(it.paperId, e.currentTarget.checked)}
              />
              <button
                type="button"
                class="sm-item-title"
                ref={(el) => {
                  if (el) rowButtons.current.set(it.paperId, el);
                }}
                aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                onClick={() => onOpenPaper(it.paperId)}
                onKeyDown={(e) => onTitleKeyDown(e, it.paperId, i)}
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
                <button type="button" aria-label={`Remove from list: ${title}`} onClick={() => void run(() => removeFromList(db, list.id, [it.paperId]), `Removed “${title}”.`)}>
                  Remove
                </button>
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
