import { Dexie, type DBCore, type DBCoreMutateRequest, type DBCoreTable } from 'dexie';
import { isRevisionStampSkipped } from '@/lib/storage/papers-revision';
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

/** Schema v5 (lib/migrations.ts declares it): the journal, the persisted search index and the last duplicate clusters (lib/dedupe/stored.ts). */
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

export function installPaperChanges(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'shelfmark-paper-changes',
    create(down: DBCore): Partial<DBCore> {
      // Databases declared below v5 (tests build old schemas) have no journal.
      if (!down.schema.tables.some((t) => t.name === PAPER_CHANGES_TABLE)) return {};
      return {
        ...down,
        transaction(stores, mode, options) {
          const wide = mode === 'readwrite' && stores.includes('papers') && !stores.includes(PAPER_CHANGES_TABLE);
          return down.transaction(wide ? [...stores, PAPER_CHANGES_TABLE] : stores, mode, options);
        },
        table(name: string): DBCoreTable {
          const table = down.table(name);
          if (name !== 'papers') return table;
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              if (isRevisionStampSkipped(req.trans)) return table.mutate(req);
              const row: PaperChangeRow = { ids: writtenKeys(req), at: Date.now() };
              const log = down.table(PAPER_CHANGES_TABLE).mutate({ type: 'add', trans: req.trans, values: [row] });
              return Promise.all([table.mutate(req), log]).then(([res]) => res);
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
 * Drops journal rows before `upTo` (absorbed by a persisted index). The row at `upTo` stays, so
 * `lastChange` never goes back to a position a persisted index has already passed.
 */
export async function pruneChanges(db: ShelfmarkDB, upTo: number): Promise<void> {
  await db.paperChanges.where('seq').below(upTo).delete();
}
