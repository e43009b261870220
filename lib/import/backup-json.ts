import { parseBackup, BackupError } from '../storage/backup';
import type { Paper } from '../model/types';
import { ImportError, type ImportRecord, type ParsedImport } from './types';

/** Line and column of a JSON.parse error, when the engine reports a position. */
function jsonErrorLine(text: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (m) return text.slice(0, Number(m[1])).split('\n').length;
  const l = /line (\d+)/.exec(message);
  return l ? Number(l[1]) : undefined;
}

/** A JSON backup, validated by zod; its live papers become records for the matcher. */
export function parseBackupJson(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    const msg = (e as Error).message;
    throw new ImportError(`not valid JSON (${msg})`, jsonErrorLine(text, msg));
  }
  let backup;
  try {
    backup = parseBackup(data);
  } catch (e) {
    if (e instanceof BackupError) throw new ImportError(e.message);
    throw e;
  }
  const t = backup.tables;
  const tags = new Map<string, string[]>();
  for (const r of t.paperTags) {
    const x = tags.get(r.paperId);
    if (x) x.push(r.tag);
    else tags.set(r.paperId, [r.tag]);
  }
  const notes = new Map(t.notes.map((n) => [n.paperId, n.text]));
  const records: ImportRecord[] = t.papers
    .filter((p) => !p.mergedInto)
    .map((p) => ({
      title: p.title,
      ...(p.authors ? { authors: p.authors } : {}),
      ...(p.year !== undefined ? { year: p.year } : {}),
      ...(p.abstract ? { abstract: p.abstract } : {}),
      ...(p.venue ? { venue: p.venue } : {}),
      ...(p.url ? { url: p.url } : {}),
      ids: {
        ...(p.arxivId ? { arxiv: p.arxivId } : {}),
        ...(p.doi ? { doi: p.doi } : {}),
        ...(p.openreviewId ? { openreview: p.openreviewId } : {}),
        ...(p.pmid ? { pmid: p.pmid } : {}),
      },
      tags: tags.get(p.id) ?? [],
      ...(notes.get(p.id) ? { note: notes.get(p.id) } : {}),
      sourceId: p.id,
      sourcePaper: p as Paper,
    }));
  return { format: 'backup', records, warnings: [], backup };
}
