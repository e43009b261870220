/** Row types of the triage tables (schema v4, lib/migrations.ts). */

/** A batch of entries shown by one page view: their title-key hashes, packed. */
export interface SeenLogRow {
  id?: number;
  at: number;
  /** Where they were shown ("arxiv.org/list/cs.LG/new"). */
  label: string;
  /** Little-endian uint32 hashes (lib/triage/seen.ts `seenHash`), one per distinct entry of the view. */
  keys: Uint32Array;
}

/** A packed blob by name: the seen snapshot (`seen`) or the suggestion model (`model`). */
export interface TriagePartRow {
  part: string;
  data: unknown;
}

/** "Not interested": one row per dismissed paper title. Undo deletes the row. */
export interface DismissalRow {
  /** Normalized title key (lib/normalize.ts titleKey). */
  key: string;
  title: string;
  url?: string;
  pageUrl: string;
  /** The corpus paper the entry matched, when it did. */
  paperId?: string;
  at: number;
}
