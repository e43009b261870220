import { useId, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { userDataCounts } from '@/lib/storage/queries';
import { exportSelection } from '@/lib/export';
import { downloadFile } from './export-menu';
import { IMPORT_FORMATS, detectFileFormat, importFile, ImportError, MAX_IMPORT_BYTES, type ImportFormat, type ImportProgress, type ImportReport } from '@/lib/import';

export interface ImportDialogProps {
  db: ShelfmarkDB;
  /** Shown as a Close button when given. */
  onClose?: () => void;
  onImported?: (report: ImportReport) => void;
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; progress?: ImportProgress }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'error'; message: string }
  | { kind: 'cancelled' }
  /** Replace asked for: the user confirms after seeing what would be replaced. */
  | { kind: 'confirm'; papers: number; lists: number; tags: number; notes: number };

const MAX_DETAILS = 20;
const PHASES = { parse: 'Reading entries', match: 'Matching', write: 'Writing' } as const;

/**
 * Import of a file: pick it, choose the format (detected by default), optionally tag the papers
 * or put them in a reading list, then import with progress and a Cancel button. The file is
 * validated before anything is written and written in one transaction, so an error or a cancel
 * leaves the library untouched — the dialog says so.
 */
export function ImportDialog({ db, onClose, onImported }: ImportDialogProps): JSX.Element {
  const uid = useId();
  const [file, setFile] = useState<File | undefined>(undefined);
  const [format, setFormat] = useState<ImportFormat | 'auto'>('auto');
  const [tag, setTag] = useState('');
  const [listName, setListName] = useState('');
  const [replace, setReplace] = useState(false);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const abort = useRef<AbortController | undefined>(undefined);
  const running = state.kind === 'running';

  async function askReplace(): Promise<void> {
    setState({ kind: 'confirm', ...(await userDataCounts(db)) });
  }

  async function saveCurrent(): Promise<void> {
    try {
      downloadFile(await exportSelection(db, { kind: 'all' }, 'backup'));
    } catch (e) {
      setState({ kind: 'error', message: `The backup could not be saved: ${(e as Error).message}` });
    }
  }

  async function run(confirmed = false): Promise<void> {
    if (!file) return;
    // Replacing deletes what is there now: never without an explicit second click.
    if (replace && !confirmed) {
      await askReplace();
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setState({ kind: 'error', message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setState({ kind: 'running' });
    try {
      const fmt = format === 'auto' ? await detectFileFormat(file, file.name) : format;
      const report = await importFile(db, file, {
        format: fmt,
        filename: file.name,
        signal: ctl.signal,
        replace: fmt === 'backup' && replace,
        ...(tag.trim() ? { tag: tag.trim() } : {}),
        ...(listName.trim() ? { listName: listName.trim() } : {}),
        onProgress: (progress) => setState({ kind: 'running', progress }),
      });
      setState({ kind: 'done', report });
      onImported?.(report);
    } catch (e) {
      const err = e as Error;
      if (err.name === 'AbortError') setState({ kind: 'cancelled' });
      else setState({ kind: 'error', message: err instanceof ImportError ? err.message : `Import failed: ${err.message}` });
    } finally {
      abort.current = undefined;
    }
  }

  const progress = state.kind === 'running' ? state.progress : undefined;
  return (
    <section class="import-dialog" aria-labelledby={`${uid}-title`} data-shelfmark-import="">
      <h2 id={`${uid}-title`}>Import papers</h2>
      <p class="import-hint">A Shelfmark backup (.json), BibTeX (.bib), RIS (.ris), a listing text dump, or a plain list of arXiv ids, links or titles. Papers already in your library are merged, not duplicated.</p>
      <div>
        <label for={`${uid}-file`}>File</label>{' '}
        <input
          id={`${uid}-file`}
          type="file"
          accept=".json,.bib,.bibtex,.ris,.txt,text/plain,application/json"
          disabled={running}
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0]);
            setState({ kind: 'idle' });
          }}
        />
      </div>
      <div>
        <label for={`${uid}-format`}>Format</label>{' '}
        <select id={`${uid}-format`} value={format} disabled={running} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as ImportFormat | 'auto')}>
          <option value="auto">Detect from the file</option>
          {IMPORT_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`${uid}-tag`}>Tag every paper (optional)</label>{' '}
        <input id={`${uid}-tag`} type="text" value={tag} maxLength={100} disabled={running} onInput={(e) => setTag((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div>
        <label for={`${uid}-list`}>Add to reading list (optional)</label>{' '}
        <input id={`${uid}-list`} type="text" value={listName} maxLength={200} disabled={running} onInput={(e) => setListName((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div>
        <label>
          <input type="checkbox" checked={replace} disabled={running} onChange={(e) => setReplace((e.currentTarget as HTMLInputElement).checked)} /> For a backup: replace the
          whole library with it (otherwise it is merged in)
        </label>
      </div>
      <div class="import-actions">
        <button type="button" disabled={!file || running || state.kind === 'confirm'} onClick={() => void run()}>
          Import
        </button>{' '}
        {running && (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        )}{' '}
        {onClose && (
          <button type="button" disabled={running} onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {state.kind === 'confirm' && (
        <div class="import-confirm" role="alert">
          <p>
            Replacing deletes your library as it is now ({state.papers} papers, {state.lists} reading lists, {state.tags} tags, {state.notes} notes) and puts the
            backup's content in its place. If the file is not a valid backup, nothing changes.
          </p>
          <button type="button" onClick={() => void saveCurrent()}>
            Download a backup of my library first
          </button>{' '}
          <button type="button" onClick={() => void run(true)}>
            Replace my library
          </button>{' '}
          <button type="button" onClick={() => setState({ kind: 'idle' })}>
            Keep my library
          </button>
        </div>
      )}
      {running && (
        <p class="import-progress" role="status" aria-live="polite">
          <progress max={progress?.total || 1} value={progress?.done ?? 0} />{' '}
          {progress ? `${PHASES[progress.phase]} ${progress.done} / ${progress.total}` : 'Reading the file…'}
        </p>
      )}
      {state.kind === 'cancelled' && (
        <p class="import-cancelled" role="status">
          Import cancelled. Nothing was changed.
        </p>
      )}
      {state.kind === 'error' && (
        <p class="import-error" role="alert">
          {state.message} Nothing was changed.
        </p>
      )}
      {state.kind === 'done' && <ImportResult report={state.report} />}
    </section>
  );
}

function ImportResult({ report }: { report: ImportReport }): JSX.Element {
  const details = [...report.details, ...report.warnings];
  return (
    <div class="import-result" role="status">
      <p>
        Imported: <strong data-count="new">{report.new}</strong> new, <strong data-count="merged">{report.merged}</strong> merged into papers you had,{' '}
        <strong data-count="skipped">{report.skipped}</strong> skipped.
        {report.maybe > 0 && ` ${report.maybe} of the new ones may be duplicates: check the duplicates view.`}
      </p>
      {details.length > 0 && (
        <ul class="import-details">
          {details.slice(0, MAX_DETAILS).map((d, i) => (
            <li key={i}>{d}</li>
          ))}
          {details.length > MAX_DETAILS && <li>…and {details.length - MAX_DETAILS} more.</li>}
        </ul>
      )}
    </div>
  );
}
