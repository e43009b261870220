import type { ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import { createBackup } from '../storage/backup';
import { bibtexEntry, baseKey, toBibtex } from './bibtex';
import { toCslJson } from './csl-json';
import { toCsv } from './csv';
import { markdownLink, toMarkdown } from './markdown';
import { toRis } from './ris';
import { selectForExport } from './select';
import type { ExportFile, ExportFormat, ExportSelection, ExportSet } from './types';
import { asciiSlug } from './names';

export type { ExportFile, ExportFormat, ExportItem, ExportSelection, ExportSet } from './types';
export { selectForExport } from './select';
export { toBibtex, bibtexKeys, escapeLatex } from './bibtex';
export { toRis } from './ris';
export { toCslJson, toCslItems } from './csl-json';
export { toCsv } from './csv';
export { toMarkdown, markdownLink } from './markdown';

export const EXPORT_FORMATS: { id: ExportFormat; label: string; ext: string; mime: string }[] = [
  { id: 'bibtex', label: 'BibTeX (Overleaf, LaTeX)', ext: 'bib', mime: 'application/x-bibtex' },
  { id: 'ris', label: 'RIS (Zotero, Mendeley, EndNote)', ext: 'ris', mime: 'application/x-research-info-systems' },
  { id: 'csl-json', label: 'CSL-JSON (Zotero, citeproc)', ext: 'json', mime: 'application/vnd.citationstyles.csl+json' },
  { id: 'csv', label: 'CSV (spreadsheets)', ext: 'csv', mime: 'text/csv' },
  { id: 'markdown', label: 'Markdown', ext: 'md', mime: 'text/markdown' },
  { id: 'backup', label: 'Full backup (JSON)', ext: 'json', mime: 'application/json' },
];

/** Formats a gathered set. */
export function formatSet(set: ExportSet, format: Exclude<ExportFormat, 'backup'>): string {
  switch (format) {
    case 'bibtex':
      return toBibtex(set.items);
    case 'ris':
      return toRis(set.items);
    case 'csl-json':
      return toCslJson(set.items);
    case 'csv':
      return toCsv(set.items);
    case 'markdown':
      return toMarkdown(set.items, set.title);
  }
}

function fileStem(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return s || 'papers';
}

/** Exports a selection (or, for 'backup', the whole database) as a file's text, type and name. */
export async function exportSelection(db: ShelfmarkDB, selection: ExportSelection, format: ExportFormat): Promise<ExportFile> {
  const fmt = EXPORT_FORMATS.find((f) => f.id === format)!;
  if (format === 'backup') {
    const backup = await createBackup(db);
    const day = new Date(backup.exportedAt).toISOString().slice(0, 10);
    return { text: JSON.stringify(backup, null, 1), mime: fmt.mime, filename: `shelfmark-backup-${day}.json` };
  }
  const set = await selectForExport(db, selection);
  return { text: formatSet(set, format), mime: `${fmt.mime};charset=utf-8`, filename: `${fileStem(set.title)}.${fmt.ext}` };
}

/** Per-paper copy: one BibTeX entry (key from the paper alone). */
export function paperBibtex(paper: Paper, tags: string[] = []): string {
  return bibtexEntry({ paper, tags }, baseKey(paper)) + '\n';
}

/** Per-paper copy: "[Title](url)". */
export function paperMarkdownLink(paper: Paper): string {
  return markdownLink(paper);
}

export { asciiSlug };
