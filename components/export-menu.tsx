import { useId, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import './export-import.css';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { EXPORT_FORMATS, exportSelection, type ExportFile, type ExportFormat, type ExportSelection } from '@/lib/export';
import { useAction } from './use-action';

/** Starts a download of `file` through a Blob URL and a temporary `<a download>`. */
export function downloadFile(file: ExportFile, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Copies text; falls back to a hidden textarea where the async clipboard API is unavailable. */
export async function copyText(text: string, doc: Document = document): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // Denied (no user activation, permissions): try the old way below.
  }
  const ta = doc.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  doc.body.append(ta);
  ta.select();
  const ok = doc.execCommand?.('copy');
  ta.remove();
  if (!ok) throw new Error('The browser refused to copy to the clipboard.');
}

export interface ExportMenuProps {
  db: ShelfmarkDB;
  /** A reading list, a tag, a set of paper ids, or the whole corpus. */
  selection: ExportSelection;
  /** Button text; default "Export". */
  label?: string;
  /** Formats offered; default all, with the full backup only for the whole corpus. */
  formats?: ExportFormat[];
  /** Format chosen first. */
  initialFormat?: ExportFormat;
}

/**
 * Export of a selection: choose a format, then download it as a file or copy it to the
 * clipboard. The text is produced from the database when the button is pressed, so it always
 * reflects the current list order and read state.
 */
export function ExportMenu({ db, selection, label = 'Export', formats, initialFormat }: ExportMenuProps): JSX.Element {
  const uid = useId();
  const offered = EXPORT_FORMATS.filter((f) => (formats ? formats.includes(f.id) : f.id !== 'backup' || selection.kind === 'all'));
  const [format, setFormat] = useState<ExportFormat>(initialFormat && offered.some((f) => f.id === initialFormat) ? initialFormat : (offered[0]?.id ?? 'bibtex'));
  const [status, setStatus] = useState('');
  const { busy, error, run: attempt } = useAction();

  async function run(action: 'download' | 'copy'): Promise<void> {
    setStatus('');
    await attempt(async () => {
      const file = await exportSelection(db, selection, format);
      if (action === 'download') {
        downloadFile(file);
        setStatus(`Saved ${file.filename}`);
      } else {
        await copyText(file.text);
        setStatus('Copied to the clipboard');
      }
    });
  }

  return (
    <details class="export-menu" data-shelfmark-export="">
      <summary>{label}</summary>
      <div class="export-menu-body">
        <label for={`${uid}-format`}>Format</label>{' '}
        <select id={`${uid}-format`} value={format} disabled={busy} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as ExportFormat)}>
          {offered.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>{' '}
        <button type="button" disabled={busy} onClick={() => void run('download')}>
          Download
        </button>{' '}
        <button type="button" disabled={busy} onClick={() => void run('copy')}>
          Copy
        </button>
        <p class="export-menu-status" role="status" aria-live="polite">
          {status}
        </p>
        {error && (
          <p class="export-menu-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
