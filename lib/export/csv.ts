import { paperUrl } from './links';
import type { ExportItem } from './types';

/**
 * CSV per RFC 4180: CRLF between records, fields quoted when they hold a comma, quote, CR or LF,
 * quotes doubled. Cells that a spreadsheet would run as a formula (=, +, @, tab) get a leading
 * apostrophe: page text must never become a live formula in the user's spreadsheet.
 */

export const CSV_COLUMNS = [
  'title',
  'authors',
  'year',
  'venue',
  'arxiv',
  'doi',
  'openreview',
  'pmid',
  'url',
  'tags',
  'list',
  'position',
  'read',
  'note',
  'abstract',
  'id',
] as const;

export function csvCell(v: string): string {
  let s = v;
  // "-" only when a formula could follow ("-2+3", "-=…"): a title like "-ε-greedy…" stays as is.
  if (/^(?:[=+@\t\r]|-[\d(=+@-])/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(items: ExportItem[]): string {
  const rows: string[][] = [CSV_COLUMNS.slice()];
  for (const { paper: p, tags, note, list } of items) {
    rows.push([
      p.title,
      (p.authors ?? []).join('; '),
      p.year ? String(p.year) : '',
      p.venue ?? '',
      p.arxivId ?? '',
      p.doi ?? '',
      p.openreviewId ?? '',
      p.pmid ?? '',
      paperUrl(p) ?? '',
      tags.join('; '),
      list?.name ?? '',
      list ? String(list.position) : '',
      list ? (list.read ? 'yes' : 'no') : '',
      note ?? '',
      p.abstract ?? '',
      p.id,
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
