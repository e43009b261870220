import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { useLiveQuery } from '../lib/storage/live';
import { listDismissals, undismiss } from '@/lib/triage/dismiss';
import { pageLabel } from '@/lib/triage/seen';

/**
 * The library's "Not interested" view: every dismissed entry, newest first, each with Undo
 * (listing pages stop dimming or hiding it at once: the background refreshes open tabs).
 */
export function DismissedView({ db }: { db: ShelfmarkDB }): JSX.Element {
  const rows = useLiveQuery(() => listDismissals(db), [db]);
  return (
    <section aria-labelledby="sm-dismissed-h" data-shelfmark-dismissed-view>
      <h2 id="sm-dismissed-h">Not interested {rows ? `(${rows.length})` : ''}</h2>
      {rows === undefined && <p role="status">Loading…</p>}
      {rows?.length === 0 && <p class="sm-muted">Nothing dismissed. Press x on a listing page (or use the badge menu) to dismiss an entry.</p>}
      {!!rows?.length && (
        <ul class="sm-dismissed">
          {rows.map((r) => (
            <li key={r.key}>
              <span class="sm-dismissed-title">{r.title}</span>{' '}
              <span class="sm-muted">
                — {pageLabel(r.pageUrl)}, {new Date(r.at).toLocaleDateString()}
              </span>{' '}
              <button type="button" aria-label={`Undo: ${r.title}`} onClick={() => void undismiss(db, r.key)}>
                Undo
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
