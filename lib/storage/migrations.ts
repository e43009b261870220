import { SCHEMA_V5 } from './paper-changes';
import type { DBCore, DBCoreMutateRequest, DBCoreTable, Dexie, Transaction } from 'dexie';
import { repairLearnedIds } from '../match/repair';

/**
 * The database's schema history. Every version stays declared: a profile that last ran an old
 * Shelfmark opens through each `.upgrade()` in turn, inside IndexedDB's versionchange
 * transaction — so an upgrade that throws aborts that transaction and the database stays at the
 * old version with every record as it was (tests/storage/migrations.test.ts proves it).
 *
 * Rules for a new version: never drop a table or a field that holds user data; transform in the
 * upgrade, in place; keep the upgrade idempotent (it may meet rows a newer code path already wrote).
 */

/** v1: the first shipped schema (lib/storage/db.ts documents the tables). */
export const SCHEMA_V1 = {
  papers: 'id, key, *aliasKeys, arxivId, doi, openreviewId, addedAt, lastSeenAt, mergedInto, origin',
  tags: 'name, createdAt',
  paperTags: '[paperId+tag], paperId, tag',
  lists: 'id, name, createdAt',
  listItems: '[listId+paperId], listId, paperId, [listId+position]',
  notes: 'paperId',
  sightings: '++id, paperId, key, host, seenAt',
  merges: '++id, survivorId, mergedId, at',
  notDuplicates: 'pair',
  meta: 'key',
  indexParts: 'part',
} as const;

/**
 * v2:
 * - `tags.lower`: the tag name in lower case, indexed. Tags are matched ignoring case ("RL" and "rl"
 *   are one tag); without the index that lookup scanned every tag on every tag write. The upgrade
 *   fills it for existing rows; a middleware (installTagLower) keeps it right on every later write,
 *   so no writer (actions, imports, a restored v1 backup) can forget it.
 * - `backups`: automatic local backups (lib/storage/auto-backup.ts), kept apart from the tables they back up.
 * Only changed tables are listed: Dexie carries the others over from v1.
 */
export const SCHEMA_V2 = {
  tags: 'name, createdAt, lower',
  backups: '++id, at',
} as const;

/**
 * v3: no new index. Papers keep the provenance of ids learned from pages (`learnedIds`,
 * lib/match/learn.ts); the upgrade re-checks ids learned before against their sightings and drops
 * the ones taken from another paper's entry (lib/match/repair.ts).
 */
export const SCHEMA_V3 = {} as const;

/**
 * v4 (triage, lib/triage/): what the user has seen and dismissed on listing pages, and the
 * persisted tag-suggestion model. New tables only; nothing existing changes, so no upgrade step.
 * - `seenLog`: one row per page view batch (a packed Uint32Array of title-key hashes), folded
 *   into the packed snapshot in `triageParts` from time to time (lib/triage/seen.ts).
 * - `triageParts`: packed blobs by name (the seen snapshot, the suggestion model).
 * - `dismissals`: "not interested", one row per dismissed title key; undo deletes it.
 */
export const SCHEMA_V4 = {
  seenLog: '++id, at',
  triageParts: 'part',
  dismissals: 'key, at, paperId',
} as const;

/**
 * v6: `sync`, the local state of browser sync (lib/sync/): this device's replica of the synced
 * state, its clock and settings. Kept apart from the user's tables: it is derived from them and
 * from storage.sync, and never exported.
 */
export const SCHEMA_V6 = {
  sync: 'key',
} as const;

/**
* v7: `papers.pmid`, indexed: PubMed ids are stored and matched on like DOIs, and adding a page
 * entry finds the paper that already holds its PMID by this index (lib/actions). No data moves:
 * no earlier version stored a PMID, so the upgrade has nothing to fill.
 */
export const SCHEMA_V7 = {
  papers: `${SCHEMA_V1.papers}, pmid`,
} as const;

/**
 * v8: the stored duplicate candidates and the full re-scan's checkpoint (lib/dedupe/candidates.ts).
 * Derived data: rebuilt by a scan when missing.
 */
export const SCHEMA_V8 = {
  duplicateCandidates: 'pair, a, b',
  duplicateScan: 'key',
} as const;

export const SCHEMA_VERSION = 8;

/** One automatic backup: the lib/storage/backup.ts JSON, gzip-compressed where the browser can. */
export interface BackupRow {
  id?: number;
  at: number;
  /** Why it was taken: the schedule, or just before a restore replaced the data. */
  reason: 'scheduled' | 'before-restore' | 'manual';
  encoding: 'gzip' | 'json';
  /** Size of the JSON text, in characters. */
  jsonChars: number;
  /** A cheap fingerprint of the user data in it: an unchanged library is not backed up twice. */
  fingerprint: string;
  counts: { papers: number; tags: number; paperTags: number; lists: number; listItems: number; notes: number };
  data: Uint8Array | string;
}

export type UpgradeFn = (tx: Transaction) => PromiseLike<unknown> | void;

/** The v1 → v2 data transform: every tag row gets its lower-case name. */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('tags')
    .toCollection()
    .modify((t: { name: unknown; lower?: string }) => {
      if (typeof t.name === 'string') t.lower = t.name.toLowerCase();
    });
}

export interface SchemaOptions {
  /** Replaces the v1 → v2 transform (tests use a deliberately failing one). */
  upgradeV2?: UpgradeFn;
  /** Declare only up to this version (tests build v1 databases with it). */
  upTo?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
}

/** Declares every schema version on `db`. Called by the ShelfmarkDB constructor. */
export function declareSchema(db: Dexie, opts: SchemaOptions = {}): void {
  db.version(1).stores(SCHEMA_V1);
  if ((opts.upTo ?? SCHEMA_VERSION) >= 2) {
    db.version(2)
      .stores(SCHEMA_V2)
      .upgrade(opts.upgradeV2 ?? upgradeToV2);
    // A v1 database (tests build one) is written as the v1 code wrote it: without `lower`.
    installTagLower(db);
  }
  if ((opts.upTo ?? SCHEMA_VERSION) >= 3) db.version(3).stores(SCHEMA_V3).upgrade(repairLearnedIds);
  if ((opts.upTo ?? SCHEMA_VERSION) >= 4) db.version(4).stores(SCHEMA_V4);
  // v5: the papers change journal and the persisted search index (lib/storage/paper-changes.ts).
  if ((opts.upTo ?? SCHEMA_VERSION) >= 5) db.version(5).stores(SCHEMA_V5);
  if ((opts.upTo ?? SCHEMA_VERSION) >= 6) db.version(6).stores(SCHEMA_V6);
  if ((opts.upTo ?? SCHEMA_VERSION) >= 7) db.version(7).stores(SCHEMA_V7);
  if ((opts.upTo ?? SCHEMA_VERSION) >= 8) db.version(8).stores(SCHEMA_V8);
}

/** Keeps `tags.lower` equal to the lower-cased name on every add and put, whoever writes. */
export function installTagLower(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'shelfmark-tag-lower',
    create(down: DBCore): Partial<DBCore> {
      return {
        ...down,
        table(name: string): DBCoreTable {
          const table = down.table(name);
          if (name !== 'tags') return table;
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              if ((req.type === 'add' || req.type === 'put') && Array.isArray(req.values)) {
                const values = req.values.map((v: unknown) =>
                  v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
                    ? { ...(v as object), lower: (v as { name: string }).name.toLowerCase() }
                    : v,
                );
                return table.mutate({ ...req, values });
              }
              return table.mutate(req);
            },
          };
        },
      };
    },
  });
}
