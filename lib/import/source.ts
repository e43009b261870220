import type { Backup } from '../storage/backup';
import { bibtexChunks, parseBibtex, WholeFileNeeded } from './bibtex';
import type { ImportFormat, ImportRecord, ParsedImport } from './types';

/** Records read from a file, a slice at a time, in file order. */
export interface RecordSlice {
  records: ImportRecord[];
  /** What the parser ignored safely in this slice. */
  warnings: string[];
  /** Entries read so far and in the whole file (for progress). */
  done: number;
  total: number;
  /** Time the parser spent on this slice, ms. */
  parseMs: number;
}

/**
 * Where an import's records come from: a parsed file (one slice), the file's text parsed here
 * slice by slice, or a worker parsing it (lib/import/worker-source.ts). `next` resolves with
 * undefined after the last slice, and rejects with an ImportError for a broken file.
 */
export interface RecordSource {
  format: ImportFormat;
  /** Set for JSON backups (known before the first slice). */
  backup?: Backup;
  next(): Promise<RecordSlice | undefined>;
  /** Stops the parser (cancel, or a failed write). */
  close(): void;
}

/**
 * A slice could not be parsed on its own: the whole file must be parsed at once and imported
 * from the start (the writes so far are rolled back with the transaction that held them).
 */
export class WholeFileParsed extends Error {
  override name = 'WholeFileParsed';
  constructor(readonly parsed: ParsedImport) {
    super('the file is read again as a whole');
  }
}

/** An already parsed file, as one slice. */
export function parsedSource(parsed: ParsedImport): RecordSource {
  let sent = false;
  return {
    format: parsed.format,
    backup: parsed.backup,
    next: async () => {
      if (sent) return undefined;
      sent = true;
      return { records: parsed.records, warnings: parsed.warnings, done: parsed.records.length, total: parsed.records.length, parseMs: 0 };
    },
    close() {},
  };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * BibTeX text parsed on this thread, one slice per call with a yield before it (tests, and pages
 * without module workers). A small file, or one whose slices do not parse on their own, is
 * parsed whole: the first case as one slice, the second by throwing WholeFileParsed.
 */
export function bibtexTextSource(text: string, batch?: number): RecordSource {
  let chunks: Generator<{ records: ImportRecord[]; warnings: string[]; done: number; total: number }> | undefined;
  let whole = false;
  let ended = false;
  let slices = 0;
  return {
    format: 'bibtex',
    async next() {
      if (ended) return undefined;
      await tick();
      const t0 = performance.now();
      if (whole) {
        ended = true;
        return undefined;
      }
      try {
        chunks ??= bibtexChunks(text, batch);
        const n = chunks.next();
        if (n.done) {
          ended = true;
          return undefined;
        }
        slices++;
        return { ...n.value, parseMs: performance.now() - t0 };
      } catch (e) {
        if (!(e instanceof WholeFileNeeded)) throw e;
        const parsed = parseBibtex(text);
        // Nothing handed out yet (a small file, or a first slice that needs the rest): the whole file is the only slice.
        if (!slices) {
          whole = true;
          return { records: parsed.records, warnings: parsed.warnings, done: parsed.records.length, total: parsed.records.length, parseMs: performance.now() - t0 };
        }
        throw new WholeFileParsed(parsed);
      }
    },
    close() {
      ended = true;
    },
  };
}
