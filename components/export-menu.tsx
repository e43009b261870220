import { useEffect, useId, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import './export-import.css';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { liveListsByName, tagNames } from '@/lib/storage/queries';
import type { Paper } from '@/lib/model/types';
import { EXPORT_FORMATS, exportSelection, paperBibtex, paperMarkdownLink, type ExportFile, type ExportFormat, type ExportSelection } from '@/lib/export';

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
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function run(action: 'download' | 'copy'): Promise<void> {
    setBusy(true);
    setError('');
    setStatus('');
    try {
      const file = await exportSelection(db, selection, format);
      if (action === 'download') {
        downloadFile(file);
        setStatus(`Saved ${file.filename}`);
      } else {
        await copyText(file.text);
        setStatus('Copied to the clipboard');
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
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

export interface ExportPaperCopyProps {
  paper: Paper;
  /** The paper's tags, carried in the BibTeX keywords. */
  tags?: string[];
}

/** Per-paper copy buttons: its BibTeX entry and a Markdown link. */
export function ExportPaperCopy({ paper, tags = [] }: ExportPaperCopyProps): JSX.Element {
  const [status, setStatus] = useState('');
  async function copy(what: 'bibtex' | 'markdown'): Promise<void> {
    try {
      await copyText(what === 'bibtex' ? paperBibtex(paper, tags) : paperMarkdownLink(paper));
      setStatus(what === 'bibtex' ? 'BibTeX copied' : 'Link copied');
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <span class="export-paper-copy">
      <button type="button" title="Copy this paper's BibTeX entry" onClick={() => void copy('bibtex')}>
        Copy BibTeX
      </button>{' '}
      <button type="button" title="Copy a Markdown link to this paper" onClick={() => void copy('markdown')}>
        Copy Markdown link
      </button>
      <span class="export-paper-copy-status" role="status" aria-live="polite">
        {status}
      </span>
    </span>
  );
}

export interface LibraryExportProps {
  db: ShelfmarkDB;
  /** The reading list being shown, if any: then the menu exports that list. */
  list?: { id: string; name: string };
}

/**
 * The export panel the library page mounts (its `ExchangePanels.Export` slot): for a reading
 * list, that list; otherwise a scope chooser (all papers, a reading list, a tag) and the menu.
 */
export function LibraryExport({ db, list }: LibraryExportProps): JSX.Element {
  const uid = useId();
  const [scope, setScope] = useState('all');
  const [choices, setChoices] = useState<{ lists: { id: string; name: string }[]; tags: string[] } | undefined>(undefined);
  useEffect(() => {
    if (list) return;
    let live = true;
    void (async () => {
      const lists = await liveListsByName(db);
      const tags = await tagNames(db);
      if (live) setChoices({ lists: lists.map((l) => ({ id: l.id, name: l.name })), tags });
    })();
    return () => {
      live = false;
    };
  }, [db, list]);
  if (list) return <ExportMenu db={db} selection={{ kind: 'list', listId: list.id }} label="Export this list" />;
  const selection: ExportSelection = scope.startsWith('list:')
    ? { kind: 'list', listId: scope.slice(5) }
    : scope.startsWith('tag:')
      ? { kind: 'tag', tag: scope.slice(4) }
      : { kind: 'all' };
  return (
    <div class="library-export">
      <label for={`${uid}-scope`}>Export</label>{' '}
      <select id={`${uid}-scope`} value={scope} onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value)}>
        <option value="all">All papers (or a full backup)</option>
        {choices?.lists.map((l) => (
          <option key={l.id} value={`list:${l.id}`}>
            Reading list: {l.name}
          </option>
        ))}
        {choices?.tags.map((t) => (
          <option key={t} value={`tag:${t}`}>
            Tag: {t}
          </option>
        ))}
      </select>
      <ExportMenu key={scope} db={db} selection={selection} label="Choose a format" initialFormat={scope === 'all' ? 'backup' : 'bibtex'} />
    </div>
  );
}
