// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { ShelfmarkDB } from '../../lib/storage/db';
import { titleKey } from '../../lib/model/normalize';
import type { Paper } from '../../lib/model/types';

/**
 * A stored paper for unit tests: id, title and its title key, and the fields tests rarely look at
 * (a seed paper from seed.txt, added at time 1). `extra` overrides any of them.
 */
export function makePaper(id: string, title: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    title,
    key: titleKey(title),
    aliasKeys: [],
    provenance: [{ kind: 'seed', source: 'seed.txt' }],
    origin: 'seed',
    addedAt: 1,
    updatedAt: 1,
    ...extra,
  };
}

/** A new fake-indexeddb database under a name no other test uses, holding `papers`. */
export async function openTestDb(prefix: string, papers: Paper[] = []): Promise<ShelfmarkDB> {
  const db = new ShelfmarkDB(`${prefix}-${Math.random().toString(36).slice(2)}`);
  if (papers.length > 0) await db.papers.bulkAdd(papers);
  return db;
}

/** Closes and deletes a database from openTestDb (each test starts from an empty store). */
export async function dropTestDb(db: ShelfmarkDB): Promise<void> {
  db.close();
  await db.delete();
}
