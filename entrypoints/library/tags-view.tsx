import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { renameTag } from '@/lib/actions';
import { deleteTagForUndo, restoreTag, type DeletedTag } from '@/lib/actions/tag-undo';
import { useTagCounts } from '@/lib/storage/live';
import { useAction } from '@/components/use-action';

export interface TagsViewProps {
  db: ShelfmarkDB;
  /** Show the papers with this tag. */
  onShowTag: (tag: string) => void;
}

/** Every tag with its paper count; rename one, or merge it into another by renaming it to that name. */
export function TagsView({ db, onShowTag }: TagsViewProps): JSX.Element {
  const rows = useTagCounts(db);
  const [editing, setEditing] = useState<{ tag: string; to: string } | undefined>(undefined);
  const [status, setStatus] = useState('');
  const { error, run: attempt } = useAction();
  const [deleted, setDeleted] = useState<DeletedTag | undefined>(undefined);

  const names = new Set((rows ?? []).map(([t]) => t.toLowerCase()));
  const mergeTarget = editing && editing.to.trim().toLowerCase() !== editing.tag.toLowerCase() && names.has(editing.to.trim().toLowerCase());

  async function run(fn: () => Promise<unknown>, done: string): Promise<void> {
    if (!(await attempt(fn))) return;
    setStatus(done);
    setEditing(undefined);
  }

  return (
    <section class="sm-tags-view" aria-labelledby="sm-tags-h">
      <h2 id="sm-tags-h">Tags</h2>
      <p class="sm-muted">Rename a tag to the name of another tag to merge the two across the corpus.</p>
      <div role="status" class="sm-undo-bar">
        {status}{' '}
        {deleted && status.startsWith('Deleted') && (
          <button
            type="button"
            onClick={() =>
              void run(async () => {
                await restoreTag(db, deleted);
                setDeleted(undefined);
              }, `Restored “${deleted.tag.name}”.`)
            }
          >
            Undo
          </button>
        )}
      </div>
      {error && (
        <p role="alert" class="sm-error">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p class="sm-muted">No tags yet.</p>}
      <table class="sm-table">
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Papers</th>
            <th scope="col">
              <span class="sm-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map(([tag, n]) => (
            <tr key={tag}>
              <td>
                {editing?.tag === tag ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      const to = editing.to.trim();
                      void run(() => renameTag(db, tag, to), mergeTarget ? `Merged “${tag}” into “${to}”.` : `Renamed “${tag}” to “${to}”.`);
                    }}
                  >
                    <label class="sm-visually-hidden" for={`sm-rn-${tag}`}>
                      New name for {tag}
                    </label>
                    <input
                      id={`sm-rn-${tag}`}
                      type="text"
                      value={editing.to}
                      ref={(el) => el?.focus()}
                      onInput={(e) => setEditing({ tag, to: e.currentTarget.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Escape') {
                          e.preventDefault();
                          e.stopPropagation();
                          setEditing(undefined);
                        }
                      }}
                    />{' '}
                    <button type="submit">{mergeTarget ? 'Merge' : 'Rename'}</button>{' '}
                    <button type="button" onClick={() => setEditing(undefined)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <button type="button" class="sm-link" onClick={() => onShowTag(tag)} aria-label={`Show papers tagged ${tag}`}>
                    {tag}
                  </button>
                )}
              </td>
              <td>{n}</td>
              <td>
                {editing?.tag !== tag && (
                  <>
                    <button type="button" aria-label={`Rename or merge tag ${tag}`} onClick={() => setEditing({ tag, to: tag })}>
                      Rename / merge
                    </button>{' '}
                    <button type="button" aria-label={`Delete tag ${tag}`} onClick={() =>
                        void run(async () => {
                          setDeleted(await deleteTagForUndo(db, tag));
                        }, `Deleted “${tag}” from ${n} paper${n === 1 ? '' : 's'}.`)
                      }>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
