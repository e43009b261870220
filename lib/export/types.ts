import type { Paper } from '../model/types';

/** One paper with the user data an export can carry. */
export interface ExportItem {
  paper: Paper;
  tags: string[];
  note?: string;
  /** Set when the export is a reading list: the item's place and read state in it. */
  list?: { name: string; position: number; read: boolean };
}

/** What to export. */
export type ExportSelection =
  | { kind: 'list'; listId: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'all' };

export interface ExportSet {
  /** Human title: the list or tag name, "Selection", "All papers". */
  title: string;
  selection: ExportSelection;
  items: ExportItem[];
}

export type ExportFormat = 'bibtex' | 'ris' | 'csl-json' | 'csv' | 'markdown' | 'backup';

export interface ExportFile {
  text: string;
  mime: string;
  filename: string;
}
