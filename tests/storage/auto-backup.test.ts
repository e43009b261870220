// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ShelfmarkDB } from '@/lib/storage/db';
import { buildSeedCorpus, type CorpusAsset } from '@/lib/corpus/corpus';
import { importCorpus } from '@/lib/corpus/corpus-import';
import { addTag, addToList, createList, deleteTag, setNote, setRead } from '@/lib/actions';
import {
  AUTO_BACKUP_ALARM,
  AUTO_BACKUP_PERIOD_MINUTES,
  KEEP_BACKUPS,
  listBackups,
  loadBackup,
  registerAutoBackup,
  restoreAutoBackup,
  runAutoBackup,
} from '@/lib/storage/auto-backup';
import { dropTestDb, openTestDb } from '../helpers/db';
import { readSeedFiles } from '../helpers/seeds';

let asset: CorpusAsset;
let db: ShelfmarkDB;
beforeAll(() => {
  asset = buildSeedCorpus(readSeedFiles()).asset;
});
beforeEach(async () => {
  fakeBrowser.reset();
  db = await openTestDb('backup');
  await importCorpus(db, asset, { now: () => 1 });
});
afterEach(() => dropTestDb(db));

async function userState(d: ShelfmarkDB) {
  return {
    tags: await d.tags.toArray(),
    paperTags: await d.paperTags.toArray(),
    lists: await d.lists.toArray(),
    listItems: await d.listItems.toArray(),
    notes: await d.notes.toArray(),
    papers: await d.papers.count(),
  };
}

describe('automatic local backups', () => {
  it('backs up, skips an unchanged library, keeps the newest few, and restores after a loss', async () => {
    const ids = (await db.papers.toCollection().primaryKeys()).slice(0, 10);
    await addTag(db, ids.slice(0, 6), 'RL');
    const list = await createList(db, 'Reading group');
    await addToList(db, list, ids.slice(2, 8));
    await setRead(db, list, ids[3]!, true);
    await setNote(db, ids[0]!, 'Key baseline — cite in §2');
    const saved = await userState(db);

    let clock = 1000;
    const first = await runAutoBackup(db, { now: () => clock++ });
    expect(first.id).toBeDefined();
    // gzip: the backup shrinks (figure printed below).
    expect(first.storedBytes).toBeLessThan(first.jsonChars);
    expect(await runAutoBackup(db, { now: () => clock++ })).toMatchObject({ skipped: 'unchanged' });

    // Several changes later only the newest KEEP_BACKUPS remain.
    for (let i = 0; i < KEEP_BACKUPS + 3; i++) {
      await addTag(db, [ids[9]!], `t${i}`);
      await runAutoBackup(db, { now: () => clock++ });
    }
    const kept = await listBackups(db);
    expect(kept).toHaveLength(KEEP_BACKUPS);
    expect(kept.map((b) => b.at)).toEqual(kept.map((b) => b.at).toSorted((a, b) => b - a));
    expect(kept.some((b) => b.id === first.id)).toBe(false);

    // A backup of the first state, taken on request, survives the changes; then disaster.
    for (let i = 0; i < KEEP_BACKUPS + 3; i++) await deleteTag(db, `t${i}`);
    const good = await runAutoBackup(db, { reason: 'manual', now: () => clock++ });
    const goodBackup = await loadBackup(db, good.id!);
    expect(goodBackup.tables.notes).toHaveLength(1);
    await db.transaction('rw', db.paperTags, db.tags, db.notes, db.listItems, async () => {
      await db.paperTags.clear();
      await db.tags.clear();
      await db.notes.clear();
      await db.listItems.clear();
    });
    expect((await userState(db)).paperTags).toEqual([]);

    // Slim: the backup holds the 8 papers the user touched; the other seed papers come back from the corpus.
    expect(goodBackup.tables.papers).toHaveLength(8);
    const { undoId } = await restoreAutoBackup(db, good.id!, { reimportCorpus: (d) => importCorpus(d, asset) });
    const restored = await userState(db);
    expect(restored.papers).toBe(314);
    // Tags come back with their v2 `lower` field (kept by the middleware on restore).
    expect(restored).toEqual({ ...saved, tags: saved.tags });
    expect((await db.tags.get('RL'))?.lower).toBe('rl');
    // The restore is itself undoable: the state it replaced was backed up first.
    expect(undoId).toBeDefined();
    const undo = (await listBackups(db)).find((b) => b.id === undoId)!;
    expect(undo).toMatchObject({ reason: 'before-restore', counts: { paperTags: 0, notes: 0 } });
    console.log(
      `auto-backup: seed library ${first.jsonChars} JSON chars -> ${first.storedBytes} bytes stored (gzip); ${restored.paperTags.length + restored.listItems.length + restored.notes.length + restored.tags.length + restored.lists.length} user records restored`,
    );
  });

  it('a corrupted stored backup is refused with an error and the library is left as it is', async () => {
    await addTag(db, [(await db.papers.toCollection().first())!.id], 'keep-me');
    const { id } = await runAutoBackup(db);
    await db.backups.update(id!, { data: new Uint8Array([1, 2, 3]) });
    await expect(restoreAutoBackup(db, id!)).rejects.toThrow();
    expect(await db.paperTags.count()).toBe(1);
    await db.backups.update(id!, { encoding: 'json', data: '{"format":"shelfmark-backup","version":1}' });
    await expect(restoreAutoBackup(db, id!)).rejects.toThrow(/Not a valid Shelfmark backup/);
    expect(await db.paperTags.count()).toBe(1);
  });

  it('schedules a daily alarm once and backs up when it fires', async () => {
    registerAutoBackup(() => db);
    await new Promise((r) => setTimeout(r, 0));
    const alarm = await fakeBrowser.alarms.get(AUTO_BACKUP_ALARM);
    expect(alarm?.periodInMinutes).toBe(AUTO_BACKUP_PERIOD_MINUTES);
    // A worker restart registers again without pushing the next run back.
    const when = alarm!.scheduledTime;
    registerAutoBackup(() => db);
    await new Promise((r) => setTimeout(r, 0));
    expect((await fakeBrowser.alarms.get(AUTO_BACKUP_ALARM))?.scheduledTime).toBe(when);
    await addTag(db, [(await db.papers.toCollection().first())!.id], 'x');
    // Two listeners now (two registrations in one test): both run; the second finds nothing changed.
    await fakeBrowser.alarms.onAlarm.trigger({ name: AUTO_BACKUP_ALARM, scheduledTime: Date.now() });
    expect(await listBackups(db)).toHaveLength(1);
    expect((await listBackups(db))[0]).toMatchObject({ reason: 'scheduled', counts: { papers: 1, paperTags: 1 } });
  });
});
