import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { browser } from 'wxt/browser';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { useLiveQuery } from '@/lib/storage/live';
import { readSyncStatus, setSyncEnabled, syncEnabled } from '@/lib/sync/engine';
import { exportSelection } from '@/lib/export';
import { downloadFile } from '@/components/export-menu';

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

/**
 * The library page's Sync view: opt-in switch, when it last synced, how much of the browser's sync
 * quota it uses, what did not fit (with the backup file as the way to carry it) and any errors.
 * The background does the syncing; this page only flips the setting and reads the status.
 */
export function SyncPanel({ db }: { db: ShelfmarkDB }): JSX.Element {
  const enabled = useLiveQuery(() => syncEnabled(db), [db]);
  const status = useLiveQuery(() => readSyncStatus(db), [db]);
  const [note, setNote] = useState('');
  // The switch follows the click at once; the stored setting catches up a moment later.
  const [wanted, setWanted] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (wanted !== undefined && enabled === wanted) setWanted(undefined);
  }, [enabled, wanted]);

  async function toggle(on: boolean): Promise<void> {
    setWanted(on);
    try {
      await setSyncEnabled(db, on);
      // Wakes a sleeping background worker, which then runs a round.
      await browser.runtime.sendMessage({ type: 'data-changed' }).catch(() => {});
      setNote(on ? 'Sync is on.' : 'Sync is off. Everything stays in this browser.');
    } catch (e) {
      setWanted(undefined);
      setNote(`Could not change the setting: ${String(e)}`);
    }
  }

  async function backup(): Promise<void> {
    downloadFile(await exportSelection(db, { kind: 'all' }, 'backup'));
  }

  const on = (wanted ?? enabled) === true;
  const notSynced = on ? (status?.notSynced ?? []) : [];
  const used = status?.bytesUsed ?? 0;
  const quota = status?.quotaBytes ?? 102_400;
  return (
    <section aria-labelledby="sm-sync-h" class="sm-sync">
      <h2 id="sm-sync-h">Sync</h2>
      <p class="sm-muted">
        Your tags, reading lists (with order and read state), notes, merges and match decisions travel to your other
        browsers through the browser's own sync (Chrome Sync or Firefox Sync, while you are signed in). No server of
        ours. The seed corpus is not synced: every browser has it.
      </p>
      <label>
        <input type="checkbox" checked={on} disabled={enabled === undefined} onClick={(e) => void toggle((e.currentTarget as HTMLInputElement).checked)} />{' '}
        Sync my library through this browser
      </label>
      {note && <p role="status">{note}</p>}
      {on && (
        <dl class="sm-sync-facts">
          <dt>Last synced</dt>
          <dd data-sync-last>{status?.lastSyncedAt ? new Date(status.lastSyncedAt).toLocaleString() : 'not yet'}</dd>
          <dt>Space used</dt>
          <dd>
            <span data-sync-bytes={used}>
              {kb(used)} of {kb(quota)}
            </span>{' '}
            <progress max={quota} value={Math.min(used, quota)} />
          </dd>
          {status?.devices ? (
            <>
              <dt>Browsers</dt>
              <dd>{status.devices}</dd>
            </>
          ) : null}
        </dl>
      )}
      {status?.waitingUntil && on ? <p class="sm-muted">Waiting for the browser's write limit; the next write goes out at {new Date(status.waitingUntil).toLocaleTimeString()}.</p> : null}
      {notSynced.length > 0 && (
        <div role="alert" data-sync-over-quota>
          <p>
            <strong>Not everything fits in the browser's sync space ({kb(quota)}).</strong> These stay in this browser
            only:
          </p>
          <ul>
            {summarize(notSynced).map((x) => (
              <li key={x.label}>
                {x.label}: {x.entries} {x.entries === 1 ? 'entry' : 'entries'} ({kb(x.bytes)})
              </li>
            ))}
          </ul>
          <p>
            To carry them to another browser, <button type="button" onClick={() => void backup()}>download a backup file</button> and
            import it there.
          </p>
        </div>
      )}
      {on && status && status.errors.length > 0 && (
        <div role="alert" data-sync-errors>
          <p>Sync problems:</p>
          <ul>
            {status.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {on && status && status.skipped.length > 0 && (
        <details>
          <summary>{status.skipped.length} change(s) from other browsers could not be applied here</summary>
          <ul>
            {status.skipped.slice(0, 50).map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </details>
      )}
      <p class="sm-muted">
        Turning sync off keeps everything in this browser. Firefox syncs about every 10 minutes; Firefox for Android
        does not sync extension data.
      </p>
    </section>
  );
}

function summarize(items: { label: string; entries: number; bytes: number }[]): { label: string; entries: number; bytes: number }[] {
  const by = new Map<string, { label: string; entries: number; bytes: number }>();
  for (const x of items) {
    const cur = by.get(x.label) ?? { label: x.label, entries: 0, bytes: 0 };
    cur.entries += x.entries;
    cur.bytes += x.bytes;
    by.set(x.label, cur);
  }
  return [...by.values()];
}
