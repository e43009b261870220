import type { ShelfmarkDB } from '../storage/db';
import { restoreBackup } from '../storage/backup';
import { applyImport, applyImportFrom, type ApplyOptions } from './apply';
import { parseBackupJson } from './backup-json';
import { parseBibtex } from './bibtex';
import { parseListing } from './listing';
import { parsePlain } from './plain';
import { parseRis } from './ris';
import { phaseTimer } from './timing';
import { bibtexTextSource, WholeFileParsed, type RecordSource } from './source';
import { checkText, MAX_IMPORT_BYTES } from './check';
import { bibtexWorkerSource, canUseWorker } from './worker-source';
import { ImportError, type ImportFormat, type ImportReport, type ParsedImport } from './types';

export * from './types';
export { applyImport, applyImportFrom } from './apply';
export { parseBibtex, parseBibtexChunked } from './bibtex';
export { parseRis } from './ris';
export { parsePlain } from './plain';
export { parseListing } from './listing';
export { parseBackupJson } from './backup-json';

export const IMPORT_FORMATS: { id: ImportFormat; label: string }[] = [
  { id: 'backup', label: 'Shelfmark backup (JSON)' },
  { id: 'bibtex', label: 'BibTeX (.bib)' },
  { id: 'ris', label: 'RIS (.ris)' },
  { id: 'listing', label: 'Listing text dump' },
  { id: 'plain', label: 'Plain list of arXiv ids, links or titles' },
];

export { MAX_IMPORT_BYTES, checkText } from './check';

/** Guesses the format from the file name, then from the content. */
export function detectFormat(text: string, filename = ''): ImportFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'bib' || ext === 'bibtex') return 'bibtex';
  if (ext === 'ris') return 'ris';
  if (ext === 'json') return 'backup';
  const head = text.replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'backup';
  if (/^TY {2}-/m.test(head.slice(0, 4096))) return 'ris';
  if (/^\s*@[a-z]+\s*[{(]/im.test(head.slice(0, 65536))) return 'bibtex';
  // Listing dumps carry long abstract lines; plain lists are one short item per line.
  if (head.split(/\r\n|\r|\n/).some((l) => l.length > 300)) return 'listing';
  return 'plain';
}

/** Parses and validates a whole file; throws ImportError (with a line when known) and writes nothing. */
export function parseImport(text: string, format: ImportFormat, filename = 'import'): ParsedImport {
  checkText(text);
  switch (format) {
    case 'backup':
      return parseBackupJson(text);
    case 'bibtex':
      return parseBibtex(text);
    case 'ris':
      return parseRis(text);
    case 'listing':
      return parseListing(text, filename);
    case 'plain':
      return parsePlain(text);
  }
}

export interface ImportOptions extends ApplyOptions {
  /** Default: detected from the file name and content. */
  format?: ImportFormat;
  /** For a backup: replace the whole database with it (a restore) instead of merging it in. */
  replace?: boolean;
  /** BibTeX entries per parser call (progress and cancel happen between calls); default 100. */
  parseBatch?: number;
}

/**
 * Imports a file's text. BibTeX is read, matched and written slice by slice in one transaction
 * (lib/import/apply.ts); the other formats are parsed and validated whole first. Throws
 * ImportError for a bad file, an AbortError DOMException when cancelled; in both cases nothing
 * was written.
 */
export async function importText(db: ShelfmarkDB, text: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const format = opts.format ?? detectFormat(text, opts.filename);
  if (format === 'bibtex' && !opts.replace) {
    checkText(text);
    return importFrom(db, bibtexTextSource(text, opts.parseBatch), opts);
  }
  const timer = phaseTimer();
  timer.start('total');
  timer.start('parse');
  const parsed = parseImport(text, format, opts.filename);
  timer.end('parse');
  if (opts.replace) {
    if (!parsed.backup) throw new ImportError('Only a Shelfmark backup can replace the library.');
    await restoreBackup(db, parsed.backup, { signal: opts.signal });
    const papers = parsed.backup.tables.papers.length;
    return { format, new: papers, merged: 0, skipped: 0, maybe: 0, details: [], warnings: [], paperIds: parsed.backup.tables.papers.map((p) => p.id) };
  }
  const report = await applyImport(db, parsed, opts);
  timer.end('total');
  return report;
}

/**
 * The format of a file, from its name and its first 256 KB (the detection reads no further than
 * its first 64k characters after leading white space, except to tell listings from plain lists,
 * which are read whole anyway).
 */
export async function detectFileFormat(file: Blob, filename = ''): Promise<ImportFormat> {
  const head = await file.slice(0, 256 * 1024).text();
  const format = detectFormat(head, filename);
  if (format === 'bibtex' || file.size <= 256 * 1024) return format;
  return detectFormat(await file.text(), filename);
}

/**
 * Imports a file the user picked. BibTeX in an extension page is read by a worker, slice by
 * slice, while this page matches and writes (the page never holds the file's text); everything
 * else goes through importText.
 */
export async function importFile(db: ShelfmarkDB, file: Blob, opts: ImportOptions = {}): Promise<ImportReport> {
  if (file.size > MAX_IMPORT_BYTES) throw new ImportError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const format = opts.format ?? (await detectFileFormat(file, opts.filename));
  if (format === 'bibtex' && !opts.replace && canUseWorker()) return importFrom(db, await bibtexWorkerSource(file, opts.parseBatch), opts);
  return importText(db, await file.text(), { ...opts, format });
}

/**
 * Imports from a source that reads the file slice by slice. When a slice cannot be parsed on its
 * own, the transaction is rolled back and the whole file, parsed at once, is imported instead:
 * the slicing never changes what is accepted.
 */
export async function importFrom(db: ShelfmarkDB, source: RecordSource, opts: ImportOptions = {}): Promise<ImportReport> {
  const timer = phaseTimer();
  timer.start('total');
  try {
    return await applyImportFrom(db, source, opts);
  } catch (e) {
    if (!(e instanceof WholeFileParsed)) throw e;
    return await applyImport(db, e.parsed, opts);
  } finally {
    timer.end('total');
  }
}
