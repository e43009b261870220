import { z } from 'zod';
import type { ShelfmarkDB } from './db';
import { PAPERS_REVISION_KEY } from './papers-revision';
import {
  dismissalRowSchema,
  listItemRowSchema,
  listRowSchema,
  mergeRowSchema,
  metaRowSchema,
  noteRowSchema,
  notDuplicateRowSchema,
  paperSchema,
  paperTagRowSchema,
  sightingRowSchema,
  tagRowSchema,
} from './rows';

/**
 * Full JSON backup of the user's database, and its restore.
 *
 * Everything the user could lose is in it: papers (with merge state and provenance), tags,
 * paper tags, lists (order and read state live on listItems), notes, sightings, merge history,
 * "not duplicates" decisions, "not interested" dismissals and meta. Caches derived from the papers
 * (`indexParts`, `searchParts`, `duplicateCache`, the triage model) are left out: they are rebuilt on demand.
 *
 * A table added after the first backups is optional: a backup that predates it restores, and
 * leaves that table as it is rather than emptying it (the backup knows nothing about it).
 */

export const BACKUP_FORMAT = 'shelfmark-backup';
export const BACKUP_VERSION = 1;

export const backupSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    /** Dexie schema version of the database the backup was taken from. */
    schemaVersion: z.number().int().positive(),
    exportedAt: z.number().finite(),
    tables: z.object({
      papers: z.array(paperSchema),
      tags: z.array(tagRowSchema),
      paperTags: z.array(paperTagRowSchema),
      lists: z.array(listRowSchema),
      listItems: z.array(listItemRowSchema),
      notes: z.array(noteRowSchema),
      sightings: z.array(sightingRowSchema),
      merges: z.array(mergeRowSchema),
      notDuplicates: z.array(notDuplicateRowSchema),
      meta: z.array(metaRowSchema),
      dismissals: z.array(dismissalRowSchema).optional(),
    }),
  })
  .superRefine((b, ctx) => {
    // Cross-table checks zod's shapes cannot express: unique keys, and rows pointing at things that exist.
    const t = b.tables;
    const paperIds = new Set<string>();
    t.papers.forEach((p, i) => {
      if (paperIds.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate paper id "${p.id}"`, path: ['tables', 'papers', i, 'id'] });
      paperIds.add(p.id);
    });
    const listIds = new Set(t.lists.map((l) => l.id));
    const tagNames = new Set(t.tags.map((x) => x.name));
    const check = (ok: boolean, message: string, path: (string | number)[]) => {
      if (!ok) ctx.addIssue({ code: 'custom', message, path: ['tables', ...path] });
    };
    t.paperTags.forEach((r, i) => {
      check(paperIds.has(r.paperId), `unknown paper "${r.paperId}"`, ['paperTags', i, 'paperId']);
      check(tagNames.has(r.tag), `tag "${r.tag}" is not in tags`, ['paperTags', i, 'tag']);
    });
    t.listItems.forEach((r, i) => {
      check(listIds.has(r.listId), `unknown list "${r.listId}"`, ['listItems', i, 'listId']);
      check(paperIds.has(r.paperId), `unknown paper "${r.paperId}"`, ['listItems', i, 'paperId']);
    });
    t.notes.forEach((r, i) => check(paperIds.has(r.paperId), `unknown paper "${r.paperId}"`, ['notes', i, 'paperId']));
    unique(t.lists.map((l) => l.id), 'lists', 'id', ctx);
    unique(t.tags.map((l) => l.name), 'tags', 'name', ctx);
    unique(t.paperTags.map((l) => `${l.paperId}\u0000${l.tag}`), 'paperTags', 'paperId', ctx);
    unique(t.listItems.map((l) => `${l.listId}\u0000${l.paperId}`), 'listItems', 'paperId', ctx);
    unique(t.notes.map((l) => l.paperId), 'notes', 'paperId', ctx);
    unique(t.notDuplicates.map((l) => l.pair), 'notDuplicates', 'pair', ctx);
    unique(t.meta.map((l) => l.key), 'meta', 'key', ctx);
    unique((t.dismissals ?? []).map((l) => l.key), 'dismissals', 'key', ctx);
    unique(t.sightings.flatMap((s) => (s.id === undefined ? [] : [String(s.id)])), 'sightings', 'id', ctx);
    unique(t.merges.flatMap((s) => (s.id === undefined ? [] : [String(s.id)])), 'merges', 'id', ctx);
  });

function unique(keys: string[], table: string, field: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate ${table} row`, path: ['tables', table, i, field] });
    seen.add(k);
  });
}

export type Backup = z.infer<typeof backupSchema>;
export type BackupTables = Backup['tables'];

/** The tables a backup covers, in restore order. */
export const BACKUP_TABLES = [
  'papers',
  'tags',
  'paperTags',
  'lists',
  'listItems',
  'notes',
  'sightings',
  'merges',
  'notDuplicates',
  'meta',
  'dismissals',
] as const satisfies readonly (keyof BackupTables)[];

function backupTables(db: ShelfmarkDB) {
  return BACKUP_TABLES.map((t) => db.table(t));
}

/** Reads every user-visible table in one read transaction (a consistent snapshot). */
export async function createBackup(db: ShelfmarkDB): Promise<Backup> {
  return db.transaction('r', backupTables(db), async () => {
    const entries = await Promise.all(BACKUP_TABLES.map(async (t) => [t, await db.table(t).toArray()] as const));
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      schemaVersion: db.verno,
      exportedAt: Date.now(),
      tables: Object.fromEntries(entries) as BackupTables,
    };
  });
}

/** A human-readable zod error: the first few issues with their JSON paths. */
export function describeZodError(err: z.ZodError, max = 5): string {
  const lines = err.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (err.issues.length > max) lines.push(`…and ${err.issues.length - max} more`);
  return lines.join('; ');
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Validates parsed JSON as a backup; throws BackupError naming the bad fields. */
export function parseBackup(data: unknown): Backup {
  const r = backupSchema.safeParse(data);
  if (!r.success) throw new BackupError(`Not a valid Shelfmark backup: ${describeZodError(r.error)}`);
  return r.data;
}

/**
 * Replaces the database content with the backup, in one transaction: on any failure nothing
 * changes. The derived index cache is cleared so it is rebuilt from the restored papers.
 */
export async function restoreBackup(db: ShelfmarkDB, data: unknown, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const backup = parseBackup(data);
  if (backup.schemaVersion > db.verno) {
    throw new BackupError(`This backup comes from a newer Shelfmark (database version ${backup.schemaVersion}; this one is ${db.verno}).`);
  }
  opts.signal?.throwIfAborted();
  await db.transaction('rw', [...backupTables(db), db.indexParts], async () => {
    // meta first, and without the papers-revision stamp: writing the papers below stamps a fresh
    // one, so a match index persisted before the restore is never mistaken for current.
    const order = ['meta', ...BACKUP_TABLES.filter((t) => t !== 'meta')] as const;
    for (const t of order) {
      opts.signal?.throwIfAborted();
      const rows = t === 'meta' ? backup.tables.meta.filter((m) => m.key !== PAPERS_REVISION_KEY) : backup.tables[t];
      if (!rows) continue; // an optional table the backup predates: kept as it is
      await db.table(t).clear();
      await db.table(t).bulkAdd(rows as unknown[]);
    }
    await db.indexParts.clear();
    opts.signal?.throwIfAborted();
  });
}
