// The polyfill installs itself on import: IndexedDB for Dexie in Node.
// oxlint-disable-next-line import/no-unassigned-import
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { Paper } from '../lib/model/types';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';
import { addTag, deleteTag, renameTag } from '../lib/actions';

let db: ShelfmarkDB;
const paper = (id: string): Paper => makePaper(id, id, { provenance: [], origin: 'user' });

beforeEach(async () => {
  db = await openTestDb('tags', ['p1', 'p2', 'p3'].map(paper));
  await addTag(db, ['p1', 'p2'], 'rl');
  await addTag(db, ['p2', 'p3'], 'Reinforcement');
});
afterEach(() => dropTestDb(db));

const tagsOf = async (id: string) => (await db.paperTags.where('paperId').equals(id).toArray()).map((t) => t.tag).toSorted();

describe('renameTag / deleteTag across the corpus', () => {
  it('renames a tag on every paper', async () => {
    expect(await renameTag(db, 'rl', 'offline-rl')).toBe('offline-rl');
    expect(await tagsOf('p1')).toEqual(['offline-rl']);
    expect(await tagsOf('p2')).toEqual(['Reinforcement', 'offline-rl']);
    expect(await db.tags.get('rl')).toBeUndefined();
  });

  it('merges into an existing tag (any case), without duplicate rows', async () => {
    expect(await renameTag(db, 'rl', 'reinforcement')).toBe('Reinforcement');
    expect(await tagsOf('p1')).toEqual(['Reinforcement']);
    expect(await tagsOf('p2')).toEqual(['Reinforcement']);
    expect(await db.paperTags.where('tag').equals('Reinforcement').count()).toBe(3);
    expect((await db.tags.toCollection().primaryKeys()).toSorted()).toEqual(['Reinforcement']);
  });

  it('refuses unknown or empty names, and deletes a tag everywhere', async () => {
    await expect(renameTag(db, 'nope', 'x')).rejects.toThrow(/No tag/);
    await expect(renameTag(db, 'rl', '  ')).rejects.toThrow(/empty/);
    await deleteTag(db, 'rl');
    expect(await tagsOf('p1')).toEqual([]);
    expect(await db.tags.get('rl')).toBeUndefined();
  });
});
