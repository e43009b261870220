import { parse, type Creator, type Entry, type Library } from '@retorquere/bibtex-parser';
import { normalizeArxivId, normalizeDoi, normalizeOpenReviewId, normalizePmid, idsFromUrl } from '../model/ids';
import { joinName } from '../export/names';
import { readPlainEntry } from './bibtex-plain';
import { ImportError, type ImportRecord, type ParsedImport } from './types';

/**
 * BibTeX import through @retorquere/bibtex-parser (the parser behind Better BibTeX).
 * Any parse error rejects the whole file, with the line the parser reports.
 */

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The parser turns \\textbf, \\emph, \\textsc… into HTML-like markup (<b>, <i>, <span …>). We store
 * plain text (page and file text is data, never markup), so the markup goes. A literal "<" in
 * BibTeX comes out as "¡" (TeX's OT1 quirk) or from \\textless as "<" not followed by a tag name.
 */
export function stripMarkup(s: string): string {
  return s.replace(/<\/?(?:b|i|em|strong|sup|sub|sc|nc|span|code|tt|u)(?:\s[^<>]*)?>/gi, '');
}

function creatorName(c: Creator): string {
  if (c.name) return stripMarkup(c.name).trim();
  return stripMarkup(joinName({ given: c.firstName, prefix: c.prefix, family: c.lastName, suffix: c.suffix }));
}

function yearOf(fields: Record<string, unknown>): number | undefined {
  const raw = String(fields.year ?? fields.date ?? '');
  const m = /\b(\d{4})\b/.exec(raw);
  if (!m) return undefined;
  const y = Number(m[1]);
  return y >= 1000 && y <= 2999 ? y : undefined;
}

/** Undoes the exporter's full-width stand-ins for "," and ";" inside one keyword. */
function unsafe(k: string): string {
  return k.replace(/\uff0c/g, ',').replace(/\uff1b/g, ';').trim();
}

const PARSE_OPTIONS = { sentenceCase: false, english: false, unsupported: 'ignore', caseProtection: false } as const;

/** Counts newlines incrementally: entries come in file order, so the whole scan is linear. */
class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(index: number): number {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 1;
    }
    for (; this.pos < index && this.pos < this.text.length; this.pos++) if (this.text.charCodeAt(this.pos) === 10) this.line++;
    return this.line;
  }
}

function throwFirstError(text: string, lib: Library): never {
  const e = lib.errors[0]!;
  const m = /at line (\d+)/.exec(e.error);
  let line = m ? Number(m[1]) : undefined;
  if (!line && e.input) {
    const at = text.indexOf(e.input);
    if (at >= 0) line = lineOf(text, at);
  }
  const more = lib.errors.length > 1 ? ` (and ${lib.errors.length - 1} more errors)` : '';
  throw new ImportError(`BibTeX error: ${e.error.replace(/\s+at line \d+, column \d+/, '')}${more}`, line);
}

function parseWhole(text: string): Library {
  try {
    return parse(text, PARSE_OPTIONS);
  } catch (e) {
    throw new ImportError(`BibTeX could not be parsed: ${(e as Error).message}`);
  }
}

/** Turns parsed entries into records; `lineBase` is the file line of the chunk's first line. */
function toRecords(chunk: string, entries: Entry[], lineBase: number, records: ImportRecord[], warnings: string[]): void {
  const lines = new LineCounter(chunk);
  let searchFrom = 0;
  for (const entry of entries) {
    const at = entry.input ? chunk.indexOf(entry.input, searchFrom) : -1;
    if (at >= 0) searchFrom = at + 1;
    const line = at >= 0 ? lineBase + lines.at(at) - 1 : undefined;
    const rec = entryToRecord(entry, line);
    if (!rec.title && !Object.keys(rec.ids).length) {
      warnings.push(`Line ${line ?? '?'}: @${entry.type}{${entry.key}} has no title and no id; skipped.`);
    }
    records.push(rec);
  }
}

/** Parses a whole BibTeX file at once; any parse error rejects the file with its line. */
export function parseBibtex(text: string): ParsedImport {
  const lib = parseWhole(text);
  if (lib.errors.length) throwFirstError(text, lib);
  const records: ImportRecord[] = [];
  const warnings: string[] = [];
  toRecords(text, lib.entries, 1, records, warnings);
  return { format: 'bibtex', records, warnings };
}

/**
 * Offsets where entries start: an "@" first on its line, outside any braces. Used only to cut
 * the file into batches for progress; a batch that fails to parse sends the whole file through
 * the one-shot parser, so the cut never changes what is accepted or the error reported.
 */
function entryStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (c === 64 && lineStart && depth === 0) starts.push(i);
    if (c === 10) lineStart = true;
    else if (c !== 32 && c !== 9 && c !== 13) lineStart = false;
  }
  return starts;
}

export interface ChunkedOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Entries per parser call. */
  batch?: number;
}

/** Records read from one slice of a file, in file order. */
export interface BibtexChunk {
  records: ImportRecord[];
  warnings: string[];
  /** Entries read so far, and in the whole file. */
  done: number;
  total: number;
}

/** Thrown by bibtexChunks when a slice fails to parse on its own: the whole file must go through parseBibtex. */
export class WholeFileNeeded extends Error {
  override name = 'WholeFileNeeded';
}

/**
 * The file in slices of `batch` entries (20 × batch for a plain export), each read on demand, so
 * a caller can yield, show progress, cancel, or hand the slice on between two. Plain entries
 * (most of an export) are read by readPlainEntry; the rest go through the LaTeX-aware parser,
 * which costs milliseconds an entry. A file with @string macros or text before its first entry is
 * read in whole batches through the full parser, so macros and comments mean what they always
 * meant. Throws WholeFileNeeded when a slice fails to parse on its own (the cut must never change
 * what is accepted or the error reported). Yields nothing for a file of at most `batch` entries:
 * parse those with parseBibtex.
 */
export function* bibtexChunks(text: string, batch = 100): Generator<BibtexChunk, void, undefined> {
  const starts = entryStarts(text);
  if (starts.length <= batch) throw new WholeFileNeeded();
  const simple = !/^[ \t]*@\s*string\s*[{(]/im.test(text) && !text.slice(0, starts[0]).trim();
  const strings: Record<string, string> = {};
  const lines = new LineCounter(text);
  // Plain entries are cheap: larger slices, but still every few thousand for progress and cancel.
  const perYield = simple ? batch * 20 : batch;
  for (let b = 0; b < starts.length; b += perYield) {
    const records: ImportRecord[] = [];
    const warnings: string[] = [];
    const from = b ? starts[b]! : 0;
    const to = b + perYield < starts.length ? starts[b + perYield]! : text.length;
    if (!simple) {
      const chunk = text.slice(from, to);
      let lib: Library;
      try {
        lib = parse(chunk, { ...PARSE_OPTIONS, strings: { ...strings } });
      } catch {
        throw new WholeFileNeeded();
      }
      if (lib.errors.length) throw new WholeFileNeeded();
      Object.assign(strings, lib.strings);
      toRecords(chunk, lib.entries, lines.at(from), records, warnings);
    } else {
      for (let e = b; e < Math.min(b + perYield, starts.length); e++) {
        const at = starts[e]!;
        const seg = text.slice(at, e + 1 < starts.length ? starts[e + 1] : text.length);
        const line = lines.at(at);
        const plain = readPlainEntry(seg);
        if (plain) {
          toRecords(seg, [plain], line, records, warnings);
          continue;
        }
        let lib: Library;
        try {
          lib = parse(seg, PARSE_OPTIONS);
        } catch {
          throw new WholeFileNeeded();
        }
        if (lib.errors.length) throw new WholeFileNeeded();
        toRecords(seg, lib.entries, line, records, warnings);
      }
    }
    yield { records, warnings, done: Math.min(b + perYield, starts.length), total: starts.length };
  }
}

/**
 * The same result as parseBibtex, in slices (bibtexChunks) with a yield to the event loop
 * between them, so a big file shows progress and can be cancelled.
 */
export async function parseBibtexChunked(text: string, opts: ChunkedOptions = {}): Promise<ParsedImport> {
  const records: ImportRecord[] = [];
  const warnings: string[] = [];
  let done = 0;
  let total = 0;
  try {
    const chunks = bibtexChunks(text, opts.batch);
    for (;;) {
      if (opts.signal?.aborted) throw new DOMException('The import was cancelled.', 'AbortError');
      if (total) opts.onProgress?.(done, total);
      await new Promise<void>((r) => setTimeout(r, 0));
      const next = chunks.next();
      if (next.done) break;
      for (const r of next.value.records) records.push(r);
      warnings.push(...next.value.warnings);
      ({ done, total } = next.value);
    }
  } catch (e) {
    if (e instanceof WholeFileNeeded) return parseBibtex(text);
    throw e;
  }
  opts.onProgress?.(total, total);
  return { format: 'bibtex', records, warnings };
}

function entryToRecord(entry: Entry, line: number | undefined): ImportRecord {
  const f = entry.fields as Record<string, unknown>;
  const str = (k: string) => (typeof f[k] === 'string' ? stripMarkup(f[k] as string).replace(/\s+/g, ' ').trim() : undefined) || undefined;
  const rec: ImportRecord = { ids: {}, tags: [], line };
  const title = str('title');
  if (title) rec.title = title;
  const authors = Array.isArray(f.author) ? (f.author as Creator[]).map(creatorName).filter(Boolean) : [];
  if (authors.length) rec.authors = authors;
  const year = yearOf(f);
  if (year) rec.year = year;
  const venue = str('journal') ?? str('journaltitle') ?? str('booktitle');
  if (venue) rec.venue = venue;
  const abstract = str('abstract');
  if (abstract) rec.abstract = abstract;
  const note = typeof f.note === 'string' && f.note.trim() ? stripMarkup(f.note).trim() : undefined;
  if (note) rec.note = note;
  // arXiv: eprint with archivePrefix/eprinttype arXiv (or none given), or an "arXiv:…" journal field.
  const eprint = str('eprint');
  const prefix = (str('archiveprefix') ?? str('eprinttype') ?? '').toLowerCase();
  if (eprint && (prefix === 'arxiv' || /^arxiv:/i.test(eprint) || !prefix)) {
    const a = normalizeArxivId(eprint);
    if (a) rec.ids.arxiv = a;
  }
  if (!rec.ids.arxiv && venue && /arxiv/i.test(venue)) {
    const a = normalizeArxivId(venue.replace(/^.*?arxiv:?\s*/i, ''));
    if (a) rec.ids.arxiv = a;
  }
  const doi = str('doi');
  if (doi) {
    const d = normalizeDoi(doi);
    if (d) rec.ids.doi = d;
  }
  const url = str('url');
  if (url && /^https?:\/\//i.test(url)) {
    rec.url = url;
    const u = idsFromUrl(url);
    rec.ids.arxiv ??= u.arxiv;
    rec.ids.doi ??= u.doi;
    rec.ids.openreview ??= u.openreview;
    rec.ids.pmid ??= u.pmid;
  }
  const or = str('openreview');
  if (or && normalizeOpenReviewId(or)) rec.ids.openreview ??= or;
  // PubMed: a `pmid` field (JabRef, citation-js), or biblatex's eprint with eprinttype pubmed.
  const pmid = normalizePmid(str('pmid') ?? '') ?? (eprint && prefix === 'pubmed' ? normalizePmid(eprint) : undefined);
  if (pmid) rec.ids.pmid = pmid;
  for (const k of ['arxiv', 'doi', 'openreview', 'pmid'] as const) if (!rec.ids[k]) delete rec.ids[k];
  const kw = f.keywords;
  if (Array.isArray(kw)) rec.tags = kw.map((k) => unsafe(String(k))).filter(Boolean);
  else if (typeof kw === 'string') rec.tags = kw.split(/[,;]/).map(unsafe).filter(Boolean);
  return rec;
}
