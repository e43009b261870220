import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie';
import type { Paper, PaperIds, MatchStatus } from './types';
import { installPapersRevision } from './papers-revision';
import { installPaperChanges } from './storage/paper-changes';
import { installWakeOnChange } from './change-notify';
import { declareSchema, type BackupRow, type SchemaOptions } from './migrations';
import { installStorageGuard, openOrReport } from './storage-guard';

export type { BackupRow } from './migrations';

/**
 * The Shelfmark database (IndexedDB name `shelfmark`). It lives in the extension's origin:
 * the background and the extension pages open it; content scripts reach it through messages.
 *
 * Corpus data (papers) and the user's own data (tags, lists, notes) are kept in separate
 * tables so that a corpus update can rewrite papers without ever touching what the user saved.
 */

/** A tag's registry row: tag names are unique; papers carry them through `paperTags`. */
export interface TagRow {
  name: string;
  createdAt: number;
  /** Lower-cased name (schema v2), kept by a middleware in lib/migrations.ts. */
  lower?: string;
}

/** One tag on one paper. */
export interface PaperTagRow {
  paperId: string;
  tag: string;
  addedAt: number;
}

export interface ListRow {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Soft delete, so "delete" can be undone; hidden from the UI while set. */
  deletedAt?: number;
}

export interface ListItemRow {
  listId: string;
  paperId: string;
  /** Order within the list (ascending; gaps allowed so reordering touches few rows). */
  position: number;
  read: boolean;
  addedAt: number;
}

export interface NoteRow {
  paperId: string;
  text: string;
  updatedAt: number;
}

/** A paper entry seen on a listing page. */
export interface SightingRow {
  id?: number;
  /** The corpus paper it was matched to (match or confirmed maybe), if any. */
  paperId?: string;
  title: string;
  key: string;
  url?: string;
  pageUrl: string;
  host: string;
  ids: PaperIds;
  status: MatchStatus;
  seenAt: number;
}

/** A merge of `mergedId` into `survivorId`, kept so it can be undone. */
export interface MergeRow {
  id?: number;
  survivorId: string;
  mergedId: string;
  at: number;
  /** What the merge changed on the survivor, to restore it on undo. */
  before: Paper;
  undoneAt?: number;
}

/** A pair of papers the user said are not duplicates; `pair` is the two ids sorted and joined by '|'. */
export interface NotDuplicateRow {
  pair: string;
  at: number;
}

/** Small key/value records: corpus version, schema notes. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Persisted parts of the match index (typed arrays), so a cold service worker need not rebuild it. */
export interface IndexPartRow {
  part: string;
  data: ArrayBuffer | Uint8Array | string;
  /** The papers-table revision the part was built from; a stale part is rebuilt. */
  revision: number;
}

export const DB_NAME = 'shelfmark';

export class ShelfmarkDB extends Dexie {
  papers!: EntityTable<Paper, 'id'>;
  tags!: EntityTable<TagRow, 'name'>;
  paperTags!: Table<PaperTagRow, [string, string]>;
  lists!: EntityTable<ListRow, 'id'>;
  listItems!: Table<ListItemRow, [string, string]>;
  notes!: EntityTable<NoteRow, 'paperId'>;
  sightings!: EntityTable<SightingRow, 'id'>;
  merges!: EntityTable<MergeRow, 'id'>;
  notDuplicates!: EntityTable<NotDuplicateRow, 'pair'>;
  meta!: EntityTable<MetaRow, 'key'>;
  indexParts!: EntityTable<IndexPartRow, 'part'>;
  /** Automatic local backups (schema v2). */
  backups!: EntityTable<BackupRow, 'id'>;

  constructor(name: string = DB_NAME, opts: DexieOptions & SchemaOptions = {}) {
    const { upgradeV2, upTo, ...dexieOpts } = opts;
    const schema: SchemaOptions = { ...(upgradeV2 ? { upgradeV2 } : {}), ...(upTo ? { upTo } : {}) };
    super(name, dexieOpts);
    // Versions and upgrades live in lib/migrations.ts (storage engineer).
    declareSchema(this, schema);
    // Reports writes the browser refused (quota, unavailable IndexedDB) to the user: lib/storage-guard.ts.
    installStorageGuard(this);
    // Every write to papers stamps meta.papersRevision in the same transaction (persisted index freshness).
    installPapersRevision(this);
    // Every write to papers also records which papers changed (persisted search index, lib/storage/paper-changes.ts).
    installPaperChanges(this);
  }
}

let shared: ShelfmarkDB | undefined;

/** The database of this extension context, opened lazily. */
export function getDb(): ShelfmarkDB {
  if (!shared) {
    shared = new ShelfmarkDB();
    // Extension pages wake the background when they change what page badges show (no-op in the background).
    installWakeOnChange(shared.name);
    // An IndexedDB that cannot open (some private windows, a broken profile) is reported, not silent.
    openOrReport(shared);
  }
  return shared;
}
