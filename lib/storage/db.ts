import type { DexieOptions } from 'dexie';
import { installWakeOnChange } from './change-notify';
import type { SchemaOptions } from './migrations';
import { installStorageGuard, openOrReport } from './storage-guard';
import { DB_NAME, ShelfmarkTables } from './tables';

export type { BackupRow } from './migrations';

/**
 * The Shelfmark database (IndexedDB name `shelfmark`). It lives in the extension's origin:
 * the background and the extension pages open it; content scripts reach it through messages.
 *
 * Corpus data (papers) and the user's own data (tags, lists, notes) are kept in separate
 * tables so that a corpus update can rewrite papers without ever touching what the user saved.
 */

export type {
  TagRow, PaperTagRow, ListRow, ListItemRow, NoteRow, SightingRow, MergeRow, NotDuplicateRow, MetaRow, SyncStateRow,
  DismissalRow, SeenLogRow, TriagePartRow, PaperChangeRow, SearchPartRow, DuplicateCacheRow, DuplicateCandidateRow,
  DuplicateScanRow,
} from './rows';

export { DB_NAME, type IndexPartRow } from './tables';

export class ShelfmarkDB extends ShelfmarkTables {
  constructor(name: string = DB_NAME, opts: DexieOptions & SchemaOptions = {}) {
    // Reports writes the browser refused (quota, unavailable IndexedDB) to the user: lib/storage/storage-guard.ts.
    super(name, { ...opts, guard: installStorageGuard });
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
