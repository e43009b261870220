import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie';
import type { Paper } from '../model/types';
import type {
  TagRow, PaperTagRow, ListRow, ListItemRow, NoteRow, SightingRow, MergeRow, NotDuplicateRow, MetaRow, SyncStateRow,
  DismissalRow, SeenLogRow, TriagePartRow, PaperChangeRow, SearchPartRow, DuplicateCacheRow, DuplicateCandidateRow,
  DuplicateScanRow,
} from './rows';
import { installPapersWriteTracking } from './paper-changes';
import { declareSchema, type BackupRow, type SchemaOptions } from './migrations';

/** Persisted parts of the match index (typed arrays), so a cold service worker need not rebuild it. */
export interface IndexPartRow {
  part: string;
  data: ArrayBuffer | Uint8Array | string;
  /** The papers-table revision the part was built from; a stale part is rebuilt. */
  revision: number;
}

export const DB_NAME = 'shelfmark';

/**
 * The database's tables, schema and write middlewares, without anything that needs extension
 * APIs: the duplicates worker (lib/dedupe/candidates.worker.ts) opens the database with this
 * class, where the webextension polyfill cannot load. Everything else uses ShelfmarkDB (db.ts),
 * which adds the report of refused writes.
 */
export class ShelfmarkTables extends Dexie {
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
  /** Local state of browser sync (schema v6, lib/sync/). */
  sync!: EntityTable<SyncStateRow, 'key'>;
  /** Triage (schema v4, lib/triage/). */
  seenLog!: EntityTable<SeenLogRow, 'id'>;
  triageParts!: EntityTable<TriagePartRow, 'part'>;
  dismissals!: EntityTable<DismissalRow, 'key'>;
  /** Schema v5: the papers change journal (lib/storage/paper-changes.ts), the persisted search
   *  index (lib/search/persisted.ts) and the v5 duplicate-cluster cache (no longer written). */
  paperChanges!: EntityTable<PaperChangeRow, 'seq'>;
  searchParts!: EntityTable<SearchPartRow, 'part'>;
  duplicateCache!: EntityTable<DuplicateCacheRow, 'key'>;
  /** Schema v8: stored duplicate candidates and the re-scan checkpoint (lib/dedupe/candidates.ts). */
  duplicateCandidates!: EntityTable<DuplicateCandidateRow, 'pair'>;
  duplicateScan!: Table<DuplicateScanRow, DuplicateScanRow['key']>;

  constructor(name: string = DB_NAME, opts: DexieOptions & SchemaOptions & { guard?: (db: Dexie) => void } = {}) {
    const { upgradeV2, upTo, guard, ...dexieOpts } = opts;
    const schema: SchemaOptions = { ...(upgradeV2 ? { upgradeV2 } : {}), ...(upTo ? { upTo } : {}) };
    super(name, dexieOpts);
    // Versions and upgrades live in lib/storage/migrations.ts.
    declareSchema(this, schema);
    // ShelfmarkDB reports writes the browser refused (quota, unavailable IndexedDB) to the user here.
    guard?.(this);
    // Every write to papers stamps meta.papersRevision (persisted match index freshness) and records
    // which papers changed (persisted search index, duplicate candidates), in its own transaction.
    installPapersWriteTracking(this);
  }
}
