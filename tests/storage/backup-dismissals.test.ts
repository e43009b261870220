import { describe, it, expect, beforeEach } from 'vitest';
import { freshDb, populate, snapshot, PAPERS } from '../export/fixtures';
import { BackupError, createBackup, restoreBackup, type Backup } from '../../lib/storage/backup';
import { dismiss, listDismissals } from '../../lib/triage/dismiss';
import { importText } from '../../lib/import';
import { exportSelection } from '../../lib/export';
import type { ShelfmarkDB } from '../../lib/storage/db';

// "Not interested" decisions are the user's data: a backup carries them and a restore brings them back.

let db: ShelfmarkDB;

/** Dismissals of every shape the triage code writes: with and without url and paper, hostile and non-Latin titles. */
async function dismissSome(d: ShelfmarkDB): Promise<void> {
  const titles = [
    'Attention Is All You Need',
    '<img src=x onerror=alert(1)> “Quoted” & {braced}',
    'TÜLU 3: Pushing Frontiers',
    '深層学習による論文推薦',
    'A'.repeat(900),
  ];
  for (const [i, title] of titles.entries()) {
    await dismiss(
      d,
      {
        title,
        pageUrl: `https://arxiv.org/list/cs.LG/new?i=${i}`,
        ...(i % 2 ? { url: `https://arxiv.org/abs/2401.0000${i}` } : {}),
        ...(i === 0 ? { paperId: PAPERS[0]!.id } : {}),
      },
      1_700_000_000_000 + i,
    );
  }
}

const clone = (b: Backup): Backup => JSON.parse(JSON.stringify(b)) as Backup;

beforeEach(async () => {
  db = freshDb();
  await populate(db);
  await dismissSome(db);
});

describe('backup of dismissals', () => {
  it('a backup holds every dismissal, and restoring it into an empty database brings them back', async () => {
    const before = await listDismissals(db);
    expect(before).toHaveLength(5);
    const b = await createBackup(db);
    expect(b.tables.dismissals).toHaveLength(5);
    const other = freshDb();
    await restoreBackup(other, clone(b));
    expect(await listDismissals(other)).toEqual(before);
    // Through the import entry point too, from the exported file.
    const text = (await exportSelection(db, { kind: 'all' }, 'backup')).text;
    const third = freshDb();
    await importText(third, text, { filename: 'b.json', replace: true });
    expect(await listDismissals(third)).toEqual(before);
  });

  it('restore replaces the current dismissals with the backup’s', async () => {
    const b = clone(await createBackup(db));
    b.tables.dismissals = b.tables.dismissals!.slice(0, 2);
    await dismiss(db, { title: 'Dismissed after the backup', pageUrl: 'https://x.org/' });
    await restoreBackup(db, b);
    expect((await listDismissals(db)).map((r) => r.title).toSorted()).toEqual(b.tables.dismissals.map((r) => r.title).toSorted());
  });

  it('an older backup without dismissals restores everything else and keeps the current dismissals', async () => {
    const b = clone(await createBackup(db));
    const before = await snapshot(db);
    delete (b.tables as Partial<Backup['tables']>).dismissals;
    await db.paperTags.clear();
    await restoreBackup(db, b);
    expect(await snapshot(db)).toEqual(before);
    expect(await db.dismissals.count()).toBe(5);
  });

  it('rejects malformed dismissals, naming the field, and writes nothing', async () => {
    const base = await createBackup(db);
    const before = await snapshot(db);
    const broken: [string, (rows: Record<string, unknown>[]) => void, RegExp][] = [
      ['no key', (r) => delete r[0]!.key, /dismissals\.0\.key/],
      ['empty key', (r) => (r[1]!.key = ''), /dismissals\.1\.key/],
      ['time as text', (r) => (r[2]!.at = 'yesterday'), /dismissals\.2\.at/],
      ['no page', (r) => delete r[3]!.pageUrl, /dismissals\.3\.pageUrl/],
      ['paper id a number', (r) => (r[0]!.paperId = 7), /dismissals\.0\.paperId/],
      ['same key twice', (r) => (r[4]!.key = r[0]!.key), /dismissals\.4\.key/],
      ['not a list', (r) => r.splice(0, r.length), /./],
    ];
    for (const [what, breakIt, field] of broken) {
      const b = clone(base) as unknown as { tables: { dismissals: unknown } };
      const rows = (b.tables.dismissals as Record<string, unknown>[]);
      breakIt(rows);
      if (what === 'not a list') b.tables.dismissals = { rows };
      const err = await restoreBackup(db, b).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, what).toBeInstanceOf(BackupError);
      expect((err as Error).message, what).toMatch(field);
      expect(await snapshot(db), what).toEqual(before);
    }
  });
});
