import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { listBackups, restoreAutoBackup, runAutoBackup, type BackupSummary } from '@/lib/storage/auto-backup';
import { ensureCorpusImported } from '@/lib/corpus/install';

const REASONS: Record<BackupSummary['reason'], string> = {
  scheduled: 'daily',
  'before-restore': 'before a restore',
  manual: 'on request',
};

/**
 * The library page's list of automatic backups (lib/storage/auto-backup.ts), newest first, each with a
 * Restore button. A restore asks for confirmation and backs up the current library first, so it
 * can be undone from this same list.
 */
export function AutoBackups({ db }: { db: ShelfmarkDB }): JSX.Element {
  const [rows, setRows] = useState<BackupSummary[] | undefined>(undefined);
  const [confirming, setConfirming] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const refresh = () =>
    listBackups(db).then(setRows, (e: unknown) => setStatus(`Cannot read the backups: ${String(e)}`));
  useEffect(() => {
    void refresh();
  }, [db]);

  async function restore(id: number): Promise<void> {
    setBusy(true);
    setStatus('Restoring…');
    try {
      await restoreAutoBackup(db, id, { reimportCorpus: (d) => ensureCorpusImported(d) });
      setStatus('Restored. The library as it was before is the newest backup in this list.');
    } catch (e) {
      setStatus(`Not restored (the library is unchanged): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
      setConfirming(undefined);
      void refresh();
    }
  }

  async function backupNow(): Promise<void> {
    setBusy(true);
    try {
      await runAutoBackup(db, { reason: 'manual' });
      setStatus('Backed up.');
    } catch (e) {
      setStatus(`Backup failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
      void refresh();
    }
  }

  return (
    <section aria-labelledby="sm-backups-h" class="sm-backups">
      <h3 id="sm-backups-h">Automatic backups</h3>
      <p class="sm-muted">
        Shelfmark backs up your tags, lists and notes once a day and keeps the last few here, in this browser profile.
        They do not survive uninstalling the extension: download a backup file (Export) to keep one elsewhere.
      </p>
      <button type="button" disabled={busy} onClick={() => void backupNow()}>
        Back up now
      </button>
      {rows === undefined && <p role="status">Reading backups…</p>}
      {rows?.length === 0 && <p class="sm-muted">No automatic backup yet.</p>}
      {rows && rows.length > 0 && (
        <ul class="sm-backup-list">
          {rows.map((b) => (
            <li key={b.id} data-backup-id={b.id}>
              <span>
                {new Date(b.at).toLocaleString()} ({REASONS[b.reason]}) — {b.counts.paperTags} tags on papers,{' '}
                {b.counts.lists} lists, {b.counts.listItems} list entries, {b.counts.notes} notes
              </span>{' '}
              {confirming === b.id ? (
                <>
                  <button type="button" disabled={busy} onClick={() => void restore(b.id)}>
                    Replace my library with this backup
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => setConfirming(undefined)}>
                    Cancel
                  </button>
                </>
              ) : (
                <button type="button" disabled={busy} onClick={() => setConfirming(b.id)}>
                  Restore…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {status && <p role="status">{status}</p>}
    </section>
  );
}
