import { browser } from 'wxt/browser';
import type { ShelfmarkDB, BackupRow } from './db';
import { createBackup, parseBackup, restoreBackup, type Backup } from './backup';
import { fnv1a64Hex } from '../corpus/corpus';
import { PAPERS_REVISION_KEY } from './papers-revision';
import { META } from './meta';

/**
 * Automatic local backups: the lib/storage/backup.ts JSON, taken on a schedule (browser.alarms, daily)
 * by the background and kept — the newest KEEP of them — in the database's own `backups` table
 * (schema v2), gzip-compressed. An unchanged library is not backed up twice. The library page
 * lists them by date and restores one; a restore first backs up what it replaces, so it can be
 * undone the same way.
 *
 * Slim: seed papers the user never touched are left out — they are the shipped corpus, re-imported
 * after a restore — so a backup holds the user's own data and the papers it points at. (Measured
 * with the 314-paper seed corpus: the full backup is 0.58 M JSON characters; at 100k papers a full
 * one would be ~185 M characters, far too much to write daily.)
 *
 * They live in the same browser profile as the data: they protect against a bad import, a
 * mistaken bulk delete or a bug, not against uninstalling the extension or losing the profile
 * (the README says so; a downloaded backup file does).
 */

export const AUTO_BACKUP_ALARM = 'shelfmark-auto-backup';
export const AUTO_BACKUP_PERIOD_MINUTES = 24 * 60;
/** How many backups are kept (a week of daily ones). */
export const KEEP_BACKUPS = 7;

export type BackupSummary = Omit<BackupRow, 'data'> & { id: number };

/** The backup's content without its timestamp or the index-revision stamp: equal content, equal fingerprint. */
function fingerprintOf(b: Backup): string {
  const tables = { ...b.tables, meta: b.tables.meta.filter((m) => m.key !== PAPERS_REVISION_KEY) };
  return fnv1a64Hex(JSON.stringify(tables));
}

async function gzip(text: string): Promise<Uint8Array | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzip(data: Uint8Array): Promise<string> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export interface AutoBackupResult {
  id?: number;
  skipped?: 'unchanged';
  jsonChars: number;
  storedBytes: number;
}

/**
 * Takes a backup now. `scheduled` ones are skipped when nothing changed since the newest backup;
 * the others (before a restore, on request) are always taken. Old backups beyond `keep` go.
 */
/**
 * Leaves out seed papers that carry nothing of the user's: not referenced by a tag, list item,
 * note, sighting, merge or "not duplicate" decision, not merged, no aliases, no ids or provenance
 * learned from pages. The same test corpus-import uses before deleting a paper dropped from the corpus.
 */
export function slimBackup(b: Backup): Backup {
  const t = b.tables;
  const keep = new Set<string>();
  for (const r of [...t.paperTags, ...t.listItems, ...t.notes]) keep.add(r.paperId);
  for (const r of t.sightings) if (r.paperId) keep.add(r.paperId);
  for (const m of t.merges) keep.add(m.survivorId).add(m.mergedId);
  for (const n of t.notDuplicates) for (const id of n.pair.split('|')) keep.add(id);
  for (const p of t.papers) if (p.mergedInto) keep.add(p.mergedInto).add(p.id);
  const papers = t.papers.filter(
    (p) =>
      keep.has(p.id) ||
      p.origin !== 'seed' ||
      p.aliasKeys.length > 0 ||
      p.lastSeenAt !== undefined ||
      p.provenance.some((pr) => pr.kind !== 'seed'),
  );
  return { ...b, tables: { ...t, papers } };
}

export async function runAutoBackup(
  db: ShelfmarkDB,
  opts: { reason?: BackupRow['reason']; keep?: number; now?: () => number } = {},
): Promise<AutoBackupResult> {
  const reason = opts.reason ?? 'scheduled';
  const keep = Math.max(1, opts.keep ?? KEEP_BACKUPS);
  const backup = slimBackup(await createBackup(db));
  const json = JSON.stringify(backup);
  const fingerprint = fingerprintOf(backup);
  if (reason === 'scheduled') {
    const newest = await db.backups.orderBy('at').last();
    if (newest?.fingerprint === fingerprint) return { skipped: 'unchanged', jsonChars: json.length, storedBytes: 0 };
  }
  const packed = await gzip(json);
  const t = backup.tables;
  const row: BackupRow = {
    at: opts.now?.() ?? Date.now(),
    reason,
    encoding: packed ? 'gzip' : 'json',
    jsonChars: json.length,
    fingerprint,
    counts: {
      papers: t.papers.length,
      tags: t.tags.length,
      paperTags: t.paperTags.length,
      lists: t.lists.filter((l) => !l.deletedAt).length,
      listItems: t.listItems.length,
      notes: t.notes.length,
    },
    data: packed ?? json,
  };
  const id = await db.transaction('rw', db.backups, async () => {
    // Checked again inside the write: two runs at once (two alarms, a restore) must not both add.
    if (reason === 'scheduled' && (await db.backups.orderBy('at').last())?.fingerprint === fingerprint) return undefined;
    const added = (await db.backups.add(row)) as number;
    // Prune after adding, in the same transaction: a failed add never costs an old backup.
    const ids = (await db.backups.orderBy('at').primaryKeys()) as number[];
    if (ids.length > keep) await db.backups.bulkDelete(ids.slice(0, ids.length - keep));
    return added;
  });
  if (id === undefined) return { skipped: 'unchanged', jsonChars: json.length, storedBytes: 0 };
  return { id, jsonChars: json.length, storedBytes: typeof row.data === 'string' ? row.data.length : row.data.byteLength };
}

/** The kept backups, newest first, without their data. */
export async function listBackups(db: ShelfmarkDB): Promise<BackupSummary[]> {
  const rows = (await db.backups.orderBy('at').toArray()).toReversed();
  return rows.map(({ data: _data, ...rest }) => rest as BackupSummary);
}

/** One kept backup, decompressed and validated. */
export async function loadBackup(db: ShelfmarkDB, id: number): Promise<Backup> {
  const row = await db.backups.get(id);
  if (!row) throw new Error(`No automatic backup with id ${id}.`);
  const text = row.encoding === 'gzip' ? await gunzip(row.data as Uint8Array) : String(row.data);
  return parseBackup(JSON.parse(text));
}

/**
 * Replaces the library with a kept backup. What it replaces is backed up first ('before-restore'),
 * so the restore itself can be undone from the same list.
 */
export async function restoreAutoBackup(
  db: ShelfmarkDB,
  id: number,
  opts: { reimportCorpus?: (db: ShelfmarkDB) => Promise<unknown> } = {},
): Promise<{ undoId?: number }> {
  const backup = await loadBackup(db, id);
  // One more than usual: the chosen backup must not be pruned by its own safety copy.
  const before = await runAutoBackup(db, { reason: 'before-restore', keep: KEEP_BACKUPS + 1 });
  await restoreBackup(db, backup);
  // The backup left out untouched seed papers: mark the corpus as not imported (so the background
  // re-imports it on its next start whatever happens here) and import it now. The import keeps
  // every restored paper and the user data on it.
  await META.corpus.delete(db);
  if (opts.reimportCorpus) await opts.reimportCorpus(db);
  return before.id === undefined ? {} : { undoId: before.id };
}

/**
 * Background wiring: a daily alarm (persisted by the browser across worker restarts and browser
 * starts; created only when missing so a worker restart does not push the next run back).
 */
export function registerAutoBackup(getDb: () => ShelfmarkDB): void {
  const alarms = browser.alarms;
  if (!alarms) return;
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== AUTO_BACKUP_ALARM) return undefined;
    // A failed backup is reported by the storage guard (it names "an automatic backup").
    return runAutoBackup(getDb()).catch((e: unknown) => console.warn('Shelfmark: automatic backup failed', e));
  });
  void alarms
    .get(AUTO_BACKUP_ALARM)
    .then((existing) => {
      if (!existing) return alarms.create(AUTO_BACKUP_ALARM, { delayInMinutes: 10, periodInMinutes: AUTO_BACKUP_PERIOD_MINUTES });
      return undefined;
    })
    .catch((e: unknown) => console.warn('Shelfmark: backup schedule not set', e));
}
