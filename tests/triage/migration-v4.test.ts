import { describe, it, expect } from 'vitest';
// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { ShelfmarkDB } from '../../lib/storage/db';
import { SCHEMA_V4, SCHEMA_VERSION } from '../../lib/storage/migrations';
import { makePaper } from '../helpers/db';

describe('schema v4 (triage tables)', () => {
  it('upgrades a v2 database: every record kept, the triage tables added and usable', async () => {
    const name = `v4-${Math.random().toString(36).slice(2)}`;
    const v2 = new ShelfmarkDB(name, { upTo: 2 });
    await v2.papers.bulkAdd([makePaper('p1', 'A paper'), makePaper('p2', 'Another paper')]);
    await v2.tags.add({ name: 'RL', createdAt: 1 });
    await v2.paperTags.add({ paperId: 'p1', tag: 'RL', addedAt: 1 });
    await v2.meta.put({ key: 'corpusVersion', value: 'x' });
    expect(v2.verno).toBe(2);
    expect(v2.tables.map((t) => t.name)).not.toContain('dismissals');
    v2.close();

    const db = new ShelfmarkDB(name);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    for (const t of Object.keys(SCHEMA_V4)) expect(db.tables.map((x) => x.name)).toContain(t);
    expect(await db.papers.count()).toBe(2);
    expect(await db.tags.get('RL')).toMatchObject({ name: 'RL', lower: 'rl' });
    expect(await db.paperTags.count()).toBe(1);
    expect((await db.meta.get('corpusVersion'))?.value).toBe('x');
    await db.dismissals.put({ key: 'apaper', title: 'A paper', pageUrl: 'https://x.org/', at: 5, paperId: 'p1' });
    await db.seenLog.add({ at: 1, label: 'x.org', keys: new Uint32Array([1, 2, 3]) });
    expect(await db.dismissals.where('paperId').equals('p1').count()).toBe(1);
    expect((await db.seenLog.toArray())[0]!.keys).toEqual(new Uint32Array([1, 2, 3]));
    db.close();
    await db.delete();
  });
});
