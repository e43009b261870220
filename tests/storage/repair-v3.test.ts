// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { ShelfmarkDB } from '@/lib/storage/db';
import { SCHEMA_VERSION } from '@/lib/storage/migrations';
import { titleKey } from '@/lib/model/normalize';
import type { Paper } from '@/lib/model/types';
import type { LearningPaper } from '@/lib/match/learn';

const NAME = 'repair-v3';
afterEach(async () => {
  await Dexie.delete(NAME);
});

const ONLINE = 'Improving Offline-to-Online Reinforcement Learning with Q-Ensembles';
const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper => ({
  id, title, key: titleKey(title), aliasKeys: [], provenance: [], origin: 'seed', addedAt: 1, updatedAt: 1, ...extra,
});

describe('schema v3: ids learned from the wrong entry are dropped', () => {
  it('a v2 database holding wrong ids heals; right and corpus ids stay, with provenance', async () => {
    const v2 = new ShelfmarkDB(NAME, { upTo: 2 });
    await v2.papers.bulkAdd([
      // Learned from the real-word variant's entry (the bug): only a variant sighting carries it.
      paper('wrong', ONLINE, { arxivId: '2306.00001' }),
      // Learned from its own title: a sighting with the paper's key carries it.
      paper('right', 'Conservative Q-Learning for Offline Reinforcement Learning', { arxivId: '2006.04779' }),
      // A DOI shared by a proceedings volume, learned from another title.
      paper('doi', 'Decision Transformer: Reinforcement Learning via Sequence Modeling', { doi: '10.1000/volume' }),
      // From the corpus: no sighting carries it.
      paper('seed', 'Implicit Q-Learning', { arxivId: '2110.06169' }),
    ]);
    await v2.sightings.bulkAdd([
      { paperId: 'wrong', title: ONLINE.replace('Online', 'Offline'), key: titleKey(ONLINE.replace('Online', 'Offline')), pageUrl: 'https://arxiv.org/list/cs.LG/new', host: 'arxiv.org', ids: { arxiv: '2306.00001v1' }, status: 'match', seenAt: 5 },
      { paperId: 'right', title: 'Conservative Q-Learning for Offline Reinforcement Learning', key: titleKey('Conservative Q-Learning for Offline Reinforcement Learning'), pageUrl: 'https://arxiv.org/a', host: 'arxiv.org', ids: { arxiv: '2006.04779' }, status: 'match', seenAt: 6 },
      { paperId: 'doi', title: 'A Survey of Something Else Entirely', key: titleKey('A Survey of Something Else Entirely'), pageUrl: 'https://scholar.google.com/x', host: 'scholar.google.com', ids: { doi: '10.1000/VOLUME' }, status: 'match', seenAt: 7 },
    ]);
    await v2.indexParts.put({ part: 'meta', data: '{}', revision: 1 });
    v2.close();

    const db = new ShelfmarkDB(NAME);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const [wrong, right, doi, seed] = (await db.papers.bulkGet(['wrong', 'right', 'doi', 'seed'])) as LearningPaper[];
    expect(wrong!.arxivId).toBeUndefined();
    expect(wrong!.forgottenIds).toEqual(['arxiv:2306.00001']);
    expect(doi!.doi).toBeUndefined();
    expect(right!.arxivId).toBe('2006.04779');
    expect(right!.learnedIds).toEqual([{ kind: 'arxiv', value: '2006.04779', pageUrl: 'https://arxiv.org/a', title: 'Conservative Q-Learning for Offline Reinforcement Learning', at: 6, via: 'repair' }]);
    expect(seed!.arxivId).toBe('2110.06169');
    expect(seed!.learnedIds).toBeUndefined();
    // The persisted match index held the wrong ids: it is rebuilt.
    expect(await db.indexParts.count()).toBe(0);
    // Nothing else was touched.
    expect(await db.sightings.count()).toBe(3);
    db.close();
  });
});
