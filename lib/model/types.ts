/**
 * Shared record types. The Dexie schema in lib/db.ts stores these; the zod schemas in
 * lib/messages.ts and the importers validate anything that crosses a trust boundary into them.
 */

/** Identifiers a paper can carry. Values are normalized by lib/ids.ts (arXiv without version, DOI lower-case). */
export interface PaperIds {
  arxiv?: string;
  doi?: string;
  openreview?: string;
}

/** One paper entry recognized on a listing page by a site adapter. */
export interface PaperEntry {
  title: string;
  authors?: string[];
  ids: PaperIds;
  url?: string;
  abstract?: string;
}

export type MatchStatus = 'match' | 'maybe' | 'none';

/** Where a corpus paper came from: a line range of a seed dump, an import, or a page the user added it from. */
export interface Provenance {
  kind: 'seed' | 'import' | 'page';
  /** Seed or import file name, or the page URL. */
  source: string;
  /** The listing's date line ("Mar 17") when the dump carries one. */
  listingDate?: string;
  /** 1-based line of the title in the source file, when there is one. */
  line?: number;
}

/** A paper in the corpus: the `papers` table. User data (tags, lists, notes) lives in its own tables. */
export interface Paper {
  /** Stable id derived from the normalized title key at first insert ("p" + 16 hex digits). */
  id: string;
  title: string;
  /** Normalized title key (lib/normalize.ts); the exact-match key. */
  key: string;
  abstract?: string;
  authors?: string[];
  year?: number;
  venue?: string;
  url?: string;
  arxivId?: string;
  doi?: string;
  openreviewId?: string;
  /** Keys of other titles this paper is known by (confirmed "maybe" matches, merged-away titles). */
  aliasKeys: string[];
  provenance: Provenance[];
  /** 'seed' papers come from the shipped corpus; the rest were added by the user. */
  origin: 'seed' | 'user' | 'import';
  addedAt: number;
  updatedAt: number;
  lastSeenAt?: number;
  /** Set on a record merged into another one; kept for undo and hidden from lookups. */
  mergedInto?: string;
}
