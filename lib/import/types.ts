import type { Paper, PaperIds } from '../model/types';
import type { Backup } from '../storage/backup';

export type ImportFormat = 'backup' | 'bibtex' | 'ris' | 'listing' | 'plain';

/** One paper read from an import file, before matching. */
export interface ImportRecord {
  title?: string;
  authors?: string[];
  year?: number;
  abstract?: string;
  venue?: string;
  url?: string;
  ids: PaperIds;
  tags: string[];
  note?: string;
  /** 1-based line of the record in the file, for reports. */
  line?: number;
  listingDate?: string;
  /** The record's paper id in a backup, to carry its lists, sightings… over to the matched paper. */
  sourceId?: string;
  /** For a backup: the whole paper row, so a paper new to this library keeps its id, dates and provenance. */
  sourcePaper?: Paper;
}

export interface ParsedImport {
  format: ImportFormat;
  records: ImportRecord[];
  /** Things the parser ignored safely (unknown tags, entries with nothing to import). */
  warnings: string[];
  /** Set for JSON backups: the validated backup. */
  backup?: Backup;
}

export interface ImportProgress {
  phase: 'parse' | 'match' | 'write';
  done: number;
  total: number;
}

export interface ImportReport {
  format: ImportFormat;
  /** Records that became new papers. */
  new: number;
  /** Records found in the corpus (or earlier in the same file): their ids, tags… were added. */
  merged: number;
  /** Records that could not be imported (no title and no known id), with the reason. */
  skipped: number;
  /** New papers the matcher thought might be an existing one: left for the user to review. */
  maybe: number;
  details: string[];
  warnings: string[];
  /** Paper ids touched, in file order (new and merged). */
  paperIds: string[];
}

/** A file that cannot be imported. Nothing was written. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `Line ${line}: ${message}` : message);
  }
}
