import { Dexie, type DBCore, type DBCoreMutateRequest, type DBCoreTable, type Table } from 'dexie';
import { isRevisionStampSkipped, revisionStampPut } from '@/lib/storage/papers-revision';
import type { ShelfmarkDB } from './db';

/**
 * A journal of which papers changed, for indexes persisted outside the background (the library
 * page's and the popup's full-text index). The revision stamp says *that* papers changed; the
 * journal says *which*, so a page holding a persisted index re-reads a few papers instead of
 * rebuilding from 100k.
 *
 * Every papers write appends one `paperChanges` row (auto-increment `seq`) with the written keys,
 * in the same transaction, from a DBCore middleware: no writer can forget it, and since every
 * such transaction includes this table, seq order is commit order. A range delete (clear) writes
 * `ids: null`: readers rebuild. Writes that skip the revision stamp (lastSeenAt only) skip the
 * journal too: no index reads that field. Whoever persists an index prunes rows it has absorbed.
 */
export const PAPER_CHANGES_TABLE = 'paperChanges';

import type { PaperChangeRow } from './rows';
export type { PaperChangeRow } from './rows';

/** Schema v5 (lib/migrations.ts declares it): the journal, the persisted search index, and a duplicate-cluster cache no longer written (v8's candidates replaced it; the table stays declared). */
export const SCHEMA_V5 = {
  paperChanges: '++seq',
  searchParts: 'part',
  duplicateCache: 'key',
} as const;

function writtenKeys(req: DBCoreMutateRequest): string[] | null {
  if (req.type === 'deleteRange') return null;
  if (req.type === 'delete') return req.keys.map(String);
  if (req.keys?.length) return req.keys.map(String);
  return req.values.map((v) => String((v as { id?: unknown }).id));
}

/**
 * One DBCore middleware for what every papers write carries in its own transaction: the revision
 * stamp in `meta` (lib/storage/papers-revision.ts) and a journal row (databases declared below v5,
 * which tests build, have no journal). Write transactions on papers are widened to those tables
 * once, and each write adds both, unless the transaction skips the stamp (lastSeenAt only).
 */
export function installPapersWriteTracking(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'shelfmark-papers-writes',
    create(down: DBCore): Partial<DBCore> {
      const journal = down.schema.tables.some((t) => t.name === PAPER_CHANGES_TABLE);
      const extra = journal ? ['meta', PAPER_CHANGES_TABLE] : ['meta'];
      return {
        ...down,
        transaction(stores, mode, options) {
          const missing = mode === 'readwrite' && stores.includes('papers') ? extra.filter((s) => !stores.includes(s)) : [];
          return down.transaction(missing.length ? [...stores, ...missing] : stores, mode, options);
        },
        table(name: string): DBCoreTable {
          const table = down.table(name);
          if (name !== 'papers') return table;
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              if (isRevisionStampSkipped(req.trans)) return table.mutate(req);
              const side = [revisionStampPut(down, req.trans)];
              if (journal) {
                const row: PaperChangeRow = { ids: writtenKeys(req), at: Date.now() };
                side.push(down.table(PAPER_CHANGES_TABLE).mutate({ type: 'add', trans: req.trans, values: [row] }));
              }
              return Promise.all([table.mutate(req), ...side]).then(([res]) => res);
            },
          };
        },
      };
    },
  });
}

/** What changed after journal position `after`: the paper ids ('all' after a range delete) and the last position read. */
export interface ChangesSince {
  ids: Set<string> | 'all';
  last: number;
}

/** Reads the journal after `after`; call inside a transaction that includes paperChanges to pair it with other reads. */
export async function changesSince(db: ShelfmarkDB, after: number, maxIds = Infinity): Promise<ChangesSince> {
  const rows = await db.paperChanges.where('seq').above(after).toArray();
  let last = after;
  let ids: Set<string> | 'all' = new Set<string>();
  for (const r of rows) {
    last = Math.max(last, r.seq ?? last);
    if (ids === 'all') continue;
    if (!r.ids) ids = 'all';
    else for (const id of r.ids) ids.add(id);
    if (ids !== 'all' && ids.size > maxIds) ids = 'all';
  }
  return { ids, last };
}

/** The journal's last position (0 when empty). */
export async function lastChange(db: ShelfmarkDB): Promise<number> {
  const k = await db.paperChanges.orderBy('seq').lastKey();
  return typeof k === 'number' ? k : 0;
}

/**
 * The oldest position another reader of the journal still needs: the stored duplicate candidates'
 * cursor, or a running re-scan's start (lib/dedupe/candidates.ts). A database declared below v8
 * (tests build old ones) has no such reader.
 */
async function readerFloor(db: ShelfmarkDB): Promise<number> {
  if (!db.tables.some((t) => t.name === 'duplicateScan')) return Infinity;
  const [cursor, scan] = await db.duplicateScan.bulkGet(['cursor', 'scan']);
  let floor = Infinity;
  if (cursor?.key === 'cursor') floor = cursor.seq;
  if (scan?.key === 'scan' && scan.status === 'running') floor = Math.min(floor, scan.startSeq);
  return floor;
}

/** The tables a pruning transaction must include: the journal and its other reader's positions. */
export function journalTables(db: ShelfmarkDB): Table[] {
  return db.tables.filter((t) => t.name === 'paperChanges' || t.name === 'duplicateScan');
}

/**
 * Drops journal rows before `upTo` (absorbed by a persisted index) that no other reader still
 * needs. The row at `upTo` stays, so `lastChange` never goes back to a position a persisted index
 * has already passed. Inside a transaction, that transaction must hold `journalTables(db)`.
 */
export async function pruneChanges(db: ShelfmarkDB, upTo: number): Promise<void> {
  const floor = await readerFloor(db);
  await db.paperChanges.where('seq').below(Math.min(upTo, floor)).delete();
}
