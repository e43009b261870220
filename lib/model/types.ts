import type { PaperIdsRow, PaperRow, ProvenanceRow } from '../storage/rows';

/**
 * Shared record types. The stored ones are inferred from the row schemas (lib/storage/rows.ts);
 * the zod schemas in lib/messaging/messages.ts and the importers validate anything that crosses
 * a trust boundary into them.
 */

/** Identifiers a paper can carry (declared with the stored rows). */
export type PaperIds = PaperIdsRow;

/** One paper entry recognized on a listing page by a site adapter. */
export interface PaperEntry {
  title: string;
  authors?: string[];
  ids: PaperIds;
  url?: string;
  abstract?: string;
}

export type MatchStatus = 'match' | 'maybe' | 'none';

export type Provenance = ProvenanceRow;

/** A paper in the corpus: the `papers` table. */
export type Paper = PaperRow;
