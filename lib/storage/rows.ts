import { z } from 'zod';

/**
 * The stored rows, declared once: the TypeScript types the database and the code use are
 * inferred from these schemas, and a backup is validated against them on restore.
 *
 * The schemas are loose objects: a field added to a table later survives a backup made by a
 * newer build and restored by this one, so a round trip never drops data. The inferred row
 * types (`Row<…>`) are the declared fields only.
 */

/** A row schema's declared fields, at every depth, without the loose catch-all. */
export type Row<S extends z.ZodType> = Declared<z.output<S>>;
type Declared<T> = T extends ArrayBufferLike | ArrayBufferView
  ? T
  : T extends readonly (infer U)[]
  ? Declared<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Declared<T[K]> }
    : T;

const str = z.string();
const time = z.number().finite();

/** Identifiers a paper can carry. Values are normalized by lib/model/ids.ts (arXiv without version, DOI lower-case). */
export const paperIdsSchema = z.looseObject({
  arxiv: str.optional(),
  doi: str.optional(),
  openreview: str.optional(),
  /** PubMed id (digits): read from PubMed pages and links, matched on like the others. */
  pmid: str.optional(),
});

/** Where a corpus paper came from: a line range of a seed dump, an import, or a page the user added it from. */
export const provenanceSchema = z.looseObject({
  kind: z.enum(['seed', 'import', 'page']),
  /** Seed or import file name, or the page URL. */
  source: str,
  /** The listing's date line ("Mar 17") when the dump carries one. */
  listingDate: str.optional(),
  /** 1-based line of the title in the source file, when there is one. */
  line: z.number().int().optional(),
});

/** An id a paper learned from a listing entry, with where it came from (lib/match/learn.ts). */
export const learnedIdSchema = z.looseObject({
  kind: z.enum(['arxiv', 'doi', 'openreview', 'pmid']),
  value: str,
  pageUrl: str,
  /** The entry's title as the page showed it. */
  title: str,
  at: time,
  via: z.enum(['key', 'alias', 'confirmed', 'repair']),
});

/** A paper in the corpus: the `papers` table. User data (tags, lists, notes) lives in its own tables. */
export const paperSchema = z.looseObject({
  /** Stable id derived from the normalized title key at first insert ("p" + 16 hex digits). */
  id: str.min(1),
  title: str,
  /** Normalized title key (lib/model/normalize.ts); the exact-match key. */
  key: str,
  abstract: str.optional(),
  authors: z.array(str).optional(),
  year: z.number().int().optional(),
  venue: str.optional(),
  url: str.optional(),
  arxivId: str.optional(),
  doi: str.optional(),
  openreviewId: str.optional(),
  /** PubMed id (schema v7, indexed). */
  pmid: str.optional(),
  /** Keys of other titles this paper is known by (confirmed "maybe" matches, merged-away titles). */
  aliasKeys: z.array(str),
  provenance: z.array(provenanceSchema),
  /** 'seed' papers come from the shipped corpus; the rest were added by the user. */
  origin: z.enum(['seed', 'user', 'import']),
  addedAt: time,
  updatedAt: time,
  lastSeenAt: time.optional(),
  /** Set on a record merged into another one; kept for undo and hidden from lookups. */
  mergedInto: str.optional(),
  /** Ids learned from listing pages, each with its provenance. */
  learnedIds: z.array(learnedIdSchema).optional(),
  /** "kind:value" of learned ids the user removed: never learned again. */
  forgottenIds: z.array(str).optional(),
});

/** A tag's registry row: tag names are unique; papers carry them through `paperTags`. */
export const tagRowSchema = z.looseObject({
  name: str.min(1),
  createdAt: time,
  /** Lower-cased name (schema v2), kept by a middleware in lib/storage/migrations.ts. */
  lower: str.optional(),
});
/** One tag on one paper. */
export const paperTagRowSchema = z.looseObject({ paperId: str.min(1), tag: str.min(1), addedAt: time });
export const listRowSchema = z.looseObject({
  id: str.min(1),
  name: str,
  createdAt: time,
  updatedAt: time,
  /** Soft delete, so "delete" can be undone; hidden from the UI while set. */
  deletedAt: time.optional(),
});
export const listItemRowSchema = z.looseObject({
  listId: str.min(1),
  paperId: str.min(1),
  /** Order within the list (ascending; gaps allowed so reordering touches few rows). */
  position: z.number().finite(),
  read: z.boolean(),
  addedAt: time,
});
export const noteRowSchema = z.looseObject({ paperId: str.min(1), text: str, updatedAt: time });
/** A paper entry seen on a listing page. */
export const sightingRowSchema = z.looseObject({
  id: z.number().int().optional(),
  /** The corpus paper it was matched to (match or confirmed maybe), if any. */
  paperId: str.optional(),
  title: str,
  key: str,
  url: str.optional(),
  pageUrl: str,
  host: str,
  ids: paperIdsSchema,
  status: z.enum(['match', 'maybe', 'none']),
  seenAt: time,
});
/** A merge of `mergedId` into `survivorId`, kept so it can be undone. */
export const mergeRowSchema = z.looseObject({
  id: z.number().int().optional(),
  survivorId: str.min(1),
  mergedId: str.min(1),
  at: time,
  /** What the merge changed on the survivor, to restore it on undo. */
  before: paperSchema,
  undoneAt: time.optional(),
});
/** A pair of papers the user said are not duplicates; `pair` is the two ids sorted and joined by '|'. */
export const notDuplicateRowSchema = z.looseObject({ pair: str.min(1), at: time });
/** Small key/value records (lib/storage/meta.ts declares the keys). */
export const metaRowSchema = z.object({ key: str.min(1), value: z.unknown() });

/** One record of browser sync's local state (lib/sync/engine.ts): settings, status, the replica. */
export const syncStateRowSchema = z.object({ key: str.min(1), value: z.unknown() });

/** "Not interested" (schema v4, lib/triage): one row per dismissed title key; undo deletes it. User data: backed up. */
export const dismissalRowSchema = z.looseObject({
  /** Normalized title key (lib/model/normalize.ts titleKey). */
  key: str.min(1),
  title: str,
  url: str.optional(),
  pageUrl: str,
  /** The corpus paper the entry matched, when it did. */
  paperId: str.optional(),
  at: time,
});
/** A batch of entries shown by one page view (schema v4): their title-key hashes, packed. */
export const seenLogRowSchema = z.looseObject({
  id: z.number().int().optional(),
  at: time,
  /** Where they were shown ("arxiv.org/list/cs.LG/new"). */
  label: str,
  /** Little-endian uint32 hashes (lib/triage/seen.ts `seenHash`), one per distinct entry of the view. */
  keys: z.custom<Uint32Array>((v) => v instanceof Uint32Array),
});
/** A packed blob by name (schema v4): the seen snapshot (`seen`) or the suggestion model (`model`). */
export const triagePartRowSchema = z.looseObject({ part: str.min(1), data: z.unknown() });

/** One entry of the papers change journal (schema v5, lib/storage/paper-changes.ts). */
export const paperChangeRowSchema = z.looseObject({
  seq: z.number().int().optional(),
  /** The papers written; null when a range was deleted (everything must be re-read). */
  ids: z.array(str).nullable(),
  at: time,
});
/** One part of the persisted full-text index by name (schema v5, lib/search/persisted.ts). */
export const searchPartRowSchema = z.looseObject({ part: str.min(1), data: z.unknown() });
/**
 * The last duplicate clusters and what they were computed from (schema v5). No longer written:
 * v8's stored candidates replaced it; the table stays declared (a version never drops a table).
 */
export const duplicateCacheRowSchema = z.looseObject({
  key: str.min(1),
  /** The papers change journal position they were computed at. */
  seq: z.number(),
  /** Fingerprint of the "not duplicates" decisions they respect. */
  notDuplicates: str,
  clusters: z.array(z.unknown()),
  at: time,
});

/** A proposed duplicate pair as the duplicates view shows it (lib/dedupe/dedupe.ts `DuplicatePair`). */
export const duplicatePairSchema = z.looseObject({
  a: str,
  b: str,
  level: z.enum(['certain', 'maybe']),
  /** Why the pair was proposed, in words for the merge view. */
  reasons: z.array(str),
  /** Trigram Dice of the title keys (0–1). */
  titleSimilarity: z.number(),
  /** Jaccard of the abstracts' word 3-shingles, when both papers have an abstract. */
  abstractSimilarity: z.number().optional(),
});
/** One stored duplicate candidate (schema v8, lib/dedupe/candidates.ts). Derived data. */
export const duplicateCandidateRowSchema = z.looseObject({
  /** pairKey(a, b) */
  pair: str.min(1),
  a: str,
  b: str,
  p: duplicatePairSchema,
});
/** The journal position the stored candidates are current with (schema v8, key `cursor`). */
export const duplicateCursorRowSchema = z.looseObject({ key: z.literal('cursor'), seq: z.number() });
/** A full duplicates re-scan's checkpoint (schema v8, key `scan`). */
export const duplicateScanStateRowSchema = z.looseObject({
  key: z.literal('scan'),
  status: z.enum(['running', 'done']),
  /** The user stopped it (a closed page only interrupts: the next open resumes by itself). */
  cancelled: z.boolean().optional(),
  /** The journal position read when the scan started: changes after it are absorbed at the end. */
  startSeq: z.number(),
  /** Papers are scanned in id order; the last id whose pairs are stored. */
  lastId: z.string(),
  done: z.number(),
  total: z.number(),
  at: time,
});
export const duplicateScanRowSchema = z.discriminatedUnion('key', [duplicateCursorRowSchema, duplicateScanStateRowSchema]);

export type PaperIdsRow = Row<typeof paperIdsSchema>;
export type LearnedIdRow = Row<typeof learnedIdSchema>;
export type ProvenanceRow = Row<typeof provenanceSchema>;
export type PaperRow = Row<typeof paperSchema>;
export type TagRow = Row<typeof tagRowSchema>;
export type PaperTagRow = Row<typeof paperTagRowSchema>;
export type ListRow = Row<typeof listRowSchema>;
export type ListItemRow = Row<typeof listItemRowSchema>;
export type NoteRow = Row<typeof noteRowSchema>;
export type SightingRow = Row<typeof sightingRowSchema>;
export type MergeRow = Row<typeof mergeRowSchema>;
export type NotDuplicateRow = Row<typeof notDuplicateRowSchema>;
export type MetaRow = Row<typeof metaRowSchema>;
export type SyncStateRow = Row<typeof syncStateRowSchema>;
export type DismissalRow = Row<typeof dismissalRowSchema>;
export type SeenLogRow = Row<typeof seenLogRowSchema>;
export type TriagePartRow = Row<typeof triagePartRowSchema>;
export type PaperChangeRow = Row<typeof paperChangeRowSchema>;
export type SearchPartRow = Row<typeof searchPartRowSchema>;
export type DuplicateCacheRow = Row<typeof duplicateCacheRowSchema>;
export type DuplicatePairRow = Row<typeof duplicatePairSchema>;
export type DuplicateCandidateRow = Row<typeof duplicateCandidateRowSchema>;
export type DuplicateCursorRow = Row<typeof duplicateCursorRowSchema>;
export type DuplicateScanStateRow = Row<typeof duplicateScanStateRowSchema>;
export type DuplicateScanRow = Row<typeof duplicateScanRowSchema>;
