// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag, addToList, createList, setNote } from '@/lib/actions';
import {
  MAX_UNSAVED,
  UNSAVED_KEY,
  dismissUnsaved,
  isStorageFailure,
  listUnsaved,
  openOrReport,
  recordUnsaved,
  resetUnsavedMemory,
  watchUnsaved,
} from '@/lib/storage/storage-guard';
import { createContext, type Platform } from '@/entrypoints/background/context';
import { handleMessage } from '@/entrypoints/background/handlers';

const paper = (id: string, title: string): Paper => makePaper(id, title, { provenance: [] });

let db: ShelfmarkDB;
const proto = IDBObjectStore.prototype;
const realPut = proto.put;
const realAdd = proto.add;

/** Storage full: every add/put request throws QuotaExceededError, as Chromium does when the origin is over quota. */
function quotaFull(this: IDBObjectStore): IDBRequest {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}
function failRequests(): void {
  const fail = quotaFull;
  proto.put = fail;
  proto.add = fail;
}

/** Storage full at commit: every request succeeds, then the transaction aborts with QuotaExceededError. */
function failAtCommit(): void {
  const wrap = (real: typeof realPut) =>
    function (this: IDBObjectStore, ...args: Parameters<typeof realPut>): IDBRequest {
      const req = real.apply(this, args);
      // fake-indexeddb's internal abort-with-error: what a real commit-time quota failure does.
      const tx = this.transaction as unknown as Record<string, (name: string) => void>;
      req.addEventListener('success', () => tx['_abort']!.call(tx, 'QuotaExceededError'));
      return req;
    };
  proto.put = wrap(realPut);
  proto.add = wrap(realAdd);
}

function restore(): void {
  proto.put = realPut;
  proto.add = realAdd;
}

beforeEach(async () => {
  // The guard also logs each failure; the assertions read the record instead.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  fakeBrowser.reset();
  resetUnsavedMemory();
  db = await openTestDb('guard', [paper('pa', 'Offline Reinforcement Learning'), paper('pb', 'Decision Transformer')]);
});
afterEach(async () => {
  vi.restoreAllMocks();
  restore();
  await dropTestDb(db);
});

describe('failed writes are reported with what was not saved', () => {
  it('QuotaExceededError on the request: the tag is not saved, the caller gets the error, the record names the tag', async () => {
    failRequests();
    await expect(addTag(db, ['pa', 'pb'], 'quota-test')).rejects.toSatisfy(isStorageFailure);
    restore();
    expect(await db.paperTags.count()).toBe(0);
    const items = await listUnsaved();
    expect(items).toHaveLength(1);
    expect(items[0]!.what).toBe('tag “quota-test”');
    expect(items[0]!.error).toMatch(/QuotaExceededError/);
    // It is in storage.session, where the popup (another context) reads it.
    const stored = (await fakeBrowser.storage.session.get(UNSAVED_KEY))[UNSAVED_KEY] as unknown[];
    expect(stored).toHaveLength(1);
  });

  it('QuotaExceededError at commit: the note is rolled back and reported with its text', async () => {
    failAtCommit();
    await expect(setNote(db, 'pa', 'Compare with CQL on antmaze before Friday')).rejects.toSatisfy(isStorageFailure);
    restore();
    expect(await db.notes.get('pa')).toBeUndefined();
    const items = await listUnsaved();
    expect(items.map((i) => i.what)).toEqual(['note “Compare with CQL on antmaze before Friday”']);
    expect(items[0]!.error).toMatch(/QuotaExceededError/);
  });

  it('a list change that fails at commit names the list entries', async () => {
    const list = await createList(db, 'Reading group');
    failAtCommit();
    // Dexie reports the aborted bulk write as a BulkError of AbortErrors; the guard saw the quota error.
    await expect(addToList(db, list, ['pa', 'pb'])).rejects.toThrow();
    restore();
    expect(await db.listItems.count()).toBe(0);
    await vi.waitFor(async () => expect((await listUnsaved())[0]?.what).toMatch(/2 reading-list entries/));
  });

  it('IndexedDB unavailable (private window): opening is reported, and every write fails loudly', async () => {
    const broken = {
      open() {
        throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
      },
      deleteDatabase() {
        throw new DOMException('no', 'InvalidStateError');
      },
      cmp: indexedDB.cmp.bind(indexedDB),
      databases: async () => [],
    } as unknown as IDBFactory;
    const priv = new ShelfmarkDB('private-window', { indexedDB: broken, IDBKeyRange });
    expect(await openOrReport(priv)).toBe(false);
    const items = await listUnsaved();
    expect(items).toHaveLength(1);
    expect(items[0]!.what).toMatch(/Nothing can be saved/);
    expect(items[0]!.error).toMatch(/InvalidStateError|OpenFailed|MissingAPI/);
    await expect(addTag(priv, ['pa'], 'x')).rejects.toThrow();
  });

  it('IndexedDB missing entirely: reported too', async () => {
    const priv = new ShelfmarkDB('no-idb', { indexedDB: undefined as unknown as IDBFactory, IDBKeyRange: undefined as unknown as typeof IDBKeyRange });
    // Dexie falls back to the global factory when given undefined; an object without open() is "no IndexedDB".
    const none = new ShelfmarkDB('no-idb-2', { indexedDB: {} as IDBFactory, IDBKeyRange });
    expect(await openOrReport(none)).toBe(false);
    expect((await listUnsaved()).at(-1)!.what).toMatch(/Nothing can be saved/);
    priv.close();
  });

  it('validation errors and rollbacks the code asked for are not storage failures', async () => {
    await expect(addTag(db, ['pa'], '   ')).rejects.toThrow(/cannot be empty/);
    await expect(addTag(db, ['nope'], 'x')).rejects.toThrow(/No paper/);
    await expect(
      db.transaction('rw', db.notes, async () => {
        await db.notes.put({ paperId: 'pa', text: 'x', updatedAt: 1 });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await listUnsaved()).toEqual([]);
  });

  it('a badge action through the background that hits the quota answers an error and is recorded', async () => {
    const platform: Platform = {
      pushResults() {},
      setBadge() {},
      fetchTabEntries: async () => undefined,
      listTabs: async () => [],
      scheduleFlush() {},
    };
    const index = { get: async () => { throw new Error('unused'); }, peek: () => undefined, upsert() {} };
    const ctx = createContext(db, index as never, platform);
    failAtCommit();
    const res = await handleMessage(ctx, { type: 'add-tag', paperIds: ['pa'], tag: 'from-badge' }, { kind: 'content', tabId: 3 });
    restore();
    expect(res.ok).toBe(false);
    // The abort event may come after the rejection reached the caller: the record follows at once.
    await vi.waitFor(async () => expect((await listUnsaved()).map((i) => i.what)).toEqual(['tag “from-badge”']));
  });
});

describe('the unsaved-changes record', () => {
  it('keeps the last MAX_UNSAVED, is shared through storage.session, and is dismissed by the user', async () => {
    const seen: number[] = [];
    const stop = watchUnsaved((items) => seen.push(items.length));
    for (let i = 0; i < MAX_UNSAVED + 7; i++) await recordUnsaved(`change ${i}`, new DOMException('full', 'QuotaExceededError'));
    let items = await listUnsaved();
    expect(items).toHaveLength(MAX_UNSAVED);
    expect(items[0]!.what).toBe('change 7');
    // Another context (the popup) starts with an empty memory and reads the same record.
    resetUnsavedMemory();
    expect(await listUnsaved()).toHaveLength(MAX_UNSAVED);
    await dismissUnsaved([items[0]!.id]);
    items = await listUnsaved();
    expect(items).toHaveLength(MAX_UNSAVED - 1);
    await dismissUnsaved();
    expect(await listUnsaved()).toEqual([]);
    await new Promise((r) => setTimeout(r, 10));
    stop();
    expect(seen.at(-1)).toBe(0);
    expect(Math.max(...seen)).toBe(MAX_UNSAVED);
  });

  it('works without storage.session (memory only)', async () => {
    const session = fakeBrowser.storage.session;
    // oxlint-disable-next-line typescript/no-explicit-any -- removing the API on purpose
    (fakeBrowser.storage as any).session = undefined;
    try {
      await recordUnsaved('tag “x”', new DOMException('full', 'QuotaExceededError'));
      expect((await listUnsaved()).map((i) => i.what)).toEqual(['tag “x”']);
    } finally {
      // oxlint-disable-next-line typescript/no-explicit-any -- restoring it
      (fakeBrowser.storage as any).session = session;
    }
  });
});
