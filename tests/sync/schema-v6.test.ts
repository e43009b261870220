// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { ShelfmarkDB } from '../../lib/storage/db';
import { SCHEMA_VERSION } from '../../lib/storage/migrations';
import { makePaper } from '../helpers/db';

describe('schema v6: the sync table', () => {
  it('a v2 database opens at the current version with every record kept and an empty sync table', async () => {
    const name = `v6-${Math.random().toString(36).slice(2)}`;
    const v2 = new ShelfmarkDB(name, { upTo: 2 });
    await v2.papers.add(makePaper('p1', 'A Title'));
    await v2.tags.add({ name: 'RL', createdAt: 1 });
    await v2.paperTags.add({ paperId: 'p1', tag: 'RL', addedAt: 1 });
    expect(v2.verno).toBe(2);
    v2.close();
    const v6 = new ShelfmarkDB(name);
    expect(await v6.papers.count()).toBe(1);
    expect(await v6.paperTags.get(['p1', 'RL'])).toBeTruthy();
    expect((await v6.tags.get('RL'))?.lower).toBe('rl');
    expect(v6.verno).toBe(SCHEMA_VERSION);
    await v6.sync.put({ key: 'settings', value: { enabled: true } });
    expect((await v6.sync.get('settings'))?.value).toEqual({ enabled: true });
    v6.close();
    await new ShelfmarkDB(name).delete();
  });
});
