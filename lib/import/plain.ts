import { idsFromUrl, normalizeArxivId, normalizeDoi } from '../model/ids';
import { ImportError, type ImportRecord, type ParsedImport } from './types';

/**
 * Plain lists: one paper per line, as an arXiv id ("2401.12345", "arXiv:2401.12345v2"), an
 * arXiv/DOI/OpenReview link, a DOI, or a title. "2401.12345  Some title" gives both.
 * Blank lines and lines starting with "#" are ignored.
 */

const MAX_TITLE = 500;

export function parsePlain(text: string): ParsedImport {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const records: ImportRecord[] = [];
  const warnings: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/[\u200b-\u200d\u2060]/g, '').replace(/\s+/g, ' ').trim();
    if (!line || line.startsWith('#')) return;
    const rec: ImportRecord = { ids: {}, tags: [], line: i + 1 };
    const [head, ...rest] = line.split(' ');
    const tail = rest.join(' ').replace(/^[-–—:|,\s]+/, '').trim();
    if (/^https?:\/\//i.test(head!)) {
      const ids = idsFromUrl(head!);
      Object.assign(rec.ids, ids);
      rec.url = head;
      if (tail) rec.title = tail;
    } else if (/^(?:arxiv:)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i.test(head!)) {
      const a = normalizeArxivId(head!);
      if (a) rec.ids.arxiv = a;
      if (tail) rec.title = tail;
    } else if (/^(?:doi:)?10\.\d{4,9}\//i.test(head!)) {
      const d = normalizeDoi(head!);
      if (d) rec.ids.doi = d;
      if (tail) rec.title = tail;
    } else {
      rec.title = line;
    }
    if (rec.title && rec.title.length > MAX_TITLE) {
      throw new ImportError(`line is ${rec.title.length} characters long; a title is at most ${MAX_TITLE} (is this a listing dump?)`, i + 1);
    }
    if (!rec.title && !Object.keys(rec.ids).length) {
      warnings.push(`Line ${i + 1}: a link with no paper id; skipped.`);
    }
    records.push(rec);
  });
  if (!records.length) throw new ImportError('the file has no lines to import');
  return { format: 'plain', records, warnings };
}
