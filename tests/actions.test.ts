// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie (first: Dexie reads them on load)
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { ShelfmarkDB } from '../lib/storage/db';
import { titleKey } from '../lib/model/normalize';
import { dropTestDb, makePaper as paper, openTestDb } from './helpers/db';
import {
  ActionError,
  addPaperFromEntry,
  addTag,
  addToList,
  confirmMatch,
  createList,
  deleteList,
  ensureList,
  rejectMatch,
  rejectedPairs,
  confirmedPairs,
  removeFromList,
  removeTag,
  renameList,
  reorderList,
  restoreList,
  setNote,
  setRead,
} from '../lib/actions';
import { papersRevision } from '../lib/storage/papers-revision';

let db: ShelfmarkDB;

beforeEach(async () => {
  db = await openTestDb('test-actions', [
    paper('pa', 'Offline Reinforcement Learning with Implicit Q-Learning'),
    paper('pb', 'Decision Transformer: Reinforcement Learning via Sequence Modeling', { arxivId: '2106.01345' }),
    paper('pc', 'Conservative Q-Learning for Offline Reinforcement Learning'),
    paper('pm', 'CQL old title', { mergedInto: 'pc' }),
  ]);
});
afterEach(() => dropTestDb(db));

const tagsOf = async (id: string) => (await db.paperTags.where('paperId').equals(id).toArray()).map((r) => r.tag).toSorted();
const listOrder = async (listId: string) =>
  (await db.listItems.where('[listId+position]').between([listId, -Infinity], [listId, Infinity]).toArray()).map(
    (r) => r.paperId,
  );

describe('tags', () => {
  it('adds a tag to several papers, creating the tag row once', async () => {
    expect(await addTag(db, ['pa', 'pb'], '  offline   RL ')).toBe('offline RL');
    expect(await tagsOf('pa')).toEqual(['offline RL']);
    expect(await tagsOf('pb')).toEqual(['offline RL']);
    expect(await db.tags.count()).toBe(1);
    await addTag(db, ['pa'], 'offline RL'); // idempotent
    expect(await db.paperTags.count()).toBe(2);
  });

  it('reuses an existing tag that differs only in case', async () => {
    await addTag(db, ['pa'], 'RLHF');
    expect(await addTag(db, ['pb'], 'rlhf')).toBe('RLHF');
    expect(await db.tags.count()).toBe(1);
    expect(await tagsOf('pb')).toEqual(['RLHF']);
  });

  it('removes a tag from the given papers only', async () => {
    await addTag(db, ['pa', 'pb'], 'x');
    await removeTag(db, ['pa'], 'x');
    expect(await tagsOf('pa')).toEqual([]);
    expect(await tagsOf('pb')).toEqual(['x']);
  });

  it('tags the survivor when given a merged-away paper', async () => {
    await addTag(db, ['pm'], 'cql');
    expect(await tagsOf('pc')).toEqual(['cql']);
    expect(await tagsOf('pm')).toEqual([]);
  });

  it('rejects empty and oversized tags and unknown papers, writing nothing', async () => {
    await expect(addTag(db, ['pa'], '   ')).rejects.toBeInstanceOf(ActionError);
    await expect(addTag(db, ['pa'], 'x'.repeat(101))).rejects.toBeInstanceOf(ActionError);
    await expect(addTag(db, ['pa', 'nope'], 'y')).rejects.toThrow(/No paper/);
    expect(await db.paperTags.count()).toBe(0);
    expect(await db.tags.count()).toBe(0);
  });
});

describe('reading lists', () => {
  it('creates, renames, soft-deletes and restores a list with its items', async () => {
    const id = await createList(db, 'To read');
    await expect(createList(db, 'to READ')).rejects.toThrow(/already exists/);
    await addToList(db, id, ['pa', 'pb']);
    await renameList(db, id, 'Weekend');
    expect((await db.lists.get(id))?.name).toBe('Weekend');
    await deleteList(db, id);
    expect((await db.lists.get(id))?.deletedAt).toBeGreaterThan(0);
    await expect(addToList(db, id, ['pc'])).rejects.toThrow(/No reading list/);
    expect(await listOrder(id)).toEqual(['pa', 'pb']);
    await restoreList(db, id);
    const back = await db.lists.get(id);
    expect(back?.deletedAt).toBeUndefined();
    expect(back?.name).toBe('Weekend');
    expect(await listOrder(id)).toEqual(['pa', 'pb']);
  });

  it('restoring next to a live list of the same name renames the restored one', async () => {
    const a = await createList(db, 'Reading');
    await deleteList(db, a);
    await createList(db, 'Reading');
    await restoreList(db, a);
    expect((await db.lists.get(a))?.name).toBe('Reading (restored)');
  });

  it('ensureList returns the live list of that name or creates one', async () => {
    const a = await ensureList(db, 'RL');
    expect(await ensureList(db, 'rl')).toBe(a);
    await deleteList(db, a);
    expect(await ensureList(db, 'RL')).not.toBe(a);
  });

  it('appends without duplicates and removes items', async () => {
    const id = await createList(db, 'L');
    await addToList(db, id, ['pa']);
    await addToList(db, id, ['pb', 'pa', 'pc']);
    expect(await listOrder(id)).toEqual(['pa', 'pb', 'pc']);
    await removeFromList(db, id, ['pb']);
    expect(await listOrder(id)).toEqual(['pa', 'pc']);
  });

  it('reorders from a stale order without dropping items added meanwhile', async () => {
    const id = await createList(db, 'L');
    await addToList(db, id, ['pa', 'pb']);
    const staleView = ['pb', 'pa'];
    await addToList(db, id, ['pc']); // another tab, after the view was read
    await reorderList(db, id, [...staleView, 'gone']);
    expect(await listOrder(id)).toEqual(['pb', 'pa', 'pc']);
  });

  it('marks items read and unread', async () => {
    const id = await createList(db, 'L');
    await addToList(db, id, ['pa']);
    await setRead(db, id, 'pa', true);
    expect((await db.listItems.get([id, 'pa']))?.read).toBe(true);
    await setRead(db, id, 'pa', false);
    expect((await db.listItems.get([id, 'pa']))?.read).toBe(false);
    await expect(setRead(db, id, 'pb', true)).rejects.toThrow(/not in that list/);
  });
});

describe('notes', () => {
  it('sets, replaces and clears a note', async () => {
    await setNote(db, 'pa', 'first');
    await setNote(db, 'pa', 'second');
    expect((await db.notes.get('pa'))?.text).toBe('second');
    await setNote(db, 'pa', '  ');
    expect(await db.notes.get('pa')).toBeUndefined();
    await expect(setNote(db, 'nope', 'x')).rejects.toThrow(/No paper/);
  });
});

describe('corpus from page entries', () => {
  const url = 'https://huggingface.co/papers';

  it('adds a new user paper with page provenance and normalized ids', async () => {
    const { paperId, created } = await addPaperFromEntry(
      db,
      { title: ' Brand  New Paper ', ids: { arxiv: 'arXiv:2501.00001v2', doi: '10.1145/ABC.1' }, authors: ['A. B'] },
      url,
    );
    expect(created).toBe(true);
    const p = await db.papers.get(paperId);
    expect(p).toMatchObject({
      title: 'Brand New Paper',
      key: 'brandnewpaper',
      origin: 'user',
      arxivId: '2501.00001',
      doi: '10.1145/abc.1',
      authors: ['A. B'],
      provenance: [{ kind: 'page', source: url }],
    });
    expect(paperId).toMatch(/^p[0-9a-f]{16}$/);
  });

  it('returns the existing paper for a known id or title key instead of a duplicate', async () => {
    const byId = await addPaperFromEntry(db, { title: 'Whatever', ids: { arxiv: '2106.01345' } }, url);
    expect(byId).toEqual({ paperId: 'pb', created: false });
    const byKey = await addPaperFromEntry(db, { title: 'offline reinforcement learning with implicit Q learning', ids: {} }, url);
    expect(byKey).toEqual({ paperId: 'pa', created: false });
    expect(await db.papers.count()).toBe(4);
  });

  it('confirmMatch stores the listing title as an alias and the entry ids the paper lacked', async () => {
    await confirmMatch(db, 'pa', { title: 'Implicit Q-Learning (IQL)', ids: { arxiv: '2110.06169', doi: '10.5555/X' } });
    const p = await db.papers.get('pa');
    expect(p?.aliasKeys).toEqual([titleKey('Implicit Q-Learning (IQL)')]);
    expect(p?.arxivId).toBe('2110.06169');
    expect(p?.doi).toBe('10.5555/x');
    // An id the paper already has is kept.
    await confirmMatch(db, 'pb', { title: 'DT', ids: { arxiv: '9999.99999' } });
    expect((await db.papers.get('pb'))?.arxivId).toBe('2106.01345');
  });

  it('rejectMatch remembers the pair; confirming later forgets the rejection', async () => {
    const entry = { title: 'Conservative Q Learning for Offline RL', ids: {} };
    await rejectMatch(db, 'pc', entry);
    await rejectMatch(db, 'pc', entry);
    let pairs = await rejectedPairs(db);
    expect([...(pairs.get('pc') ?? [])]).toEqual([titleKey(entry.title)]);
    await confirmMatch(db, 'pc', entry);
    pairs = await rejectedPairs(db);
    expect(pairs.get('pc')?.size).toBe(0);
    expect([...((await confirmedPairs(db)).get('pc') ?? [])]).toEqual([titleKey(entry.title)]);
    await rejectMatch(db, 'pc', entry);
    expect((await confirmedPairs(db)).get('pc')?.size).toBe(0);
  });
});

describe('papers revision stamp', () => {
  it('changes on every papers write, in any transaction shape, and not on other tables', async () => {
    const r0 = await papersRevision(db);
    expect(r0).toBeGreaterThan(0); // the seeding bulkAdd stamped it
    await addTag(db, ['pa'], 't');
    expect(await papersRevision(db)).toBe(r0);
    await confirmMatch(db, 'pa', { title: 'Another name', ids: {} });
    const r1 = await papersRevision(db);
    expect(r1).not.toBe(r0);
    await db.papers.update('pb', { venue: 'NeurIPS' });
    const r2 = await papersRevision(db);
    expect(r2).not.toBe(r1);
    await db.transaction('rw', db.papers, async () => {
      await db.papers.delete('pm');
    });
    expect(await papersRevision(db)).not.toBe(r2);
  });

  it('rolls back with the papers write when the transaction aborts', async () => {
    const r0 = await papersRevision(db);
    await expect(
      db.transaction('rw', db.papers, async () => {
        await db.papers.put(paper('px', 'Will be rolled back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await papersRevision(db)).toBe(r0);
    expect(await db.papers.get('px')).toBeUndefined();
  });
});

describe('concurrent writers', () => {
  it('3 writers × 200 mixed operations on the same papers: every effect is present at the end', async () => {
    const papers = ['pa', 'pb', 'pc'];
    const lists = [await createList(db, 'W0'), await createList(db, 'W1'), await createList(db, 'W2')];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    type Model = { tags: Set<string>; listed: Set<string> };
    const models: Model[] = [0, 1, 2].map(() => ({ tags: new Set(), listed: new Set() }));
    const scripts = [0, 1, 2].map((w) =>
      Array.from({ length: 200 }, () => {
        const pid = papers[rand(3)]!;
        return { op: rand(6), pid, tag: `w${w}-t${rand(5)}` };
      }),
    );
    let ops = 0;
    await Promise.all(
      scripts.map(async (script, w) => {
        const m = models[w]!;
        for (const { op, pid, tag } of script) {
          ops++;
          switch (op) {
            case 0:
              await addTag(db, [pid], tag);
              m.tags.add(`${pid}|${tag}`);
              break;
            case 1:
              await removeTag(db, [pid], tag);
              m.tags.delete(`${pid}|${tag}`);
              break;
            case 2:
              await addToList(db, lists[w]!, [pid]);
              m.listed.add(pid);
              break;
            case 3:
              await removeFromList(db, lists[w]!, [pid]);
              m.listed.delete(pid);
              break;
            case 4:
              await addTag(db, [pid], 'shared');
              break;
            default:
              await setNote(db, pid, `note ${w}`);
          }
        }
      }),
    );
    expect(ops).toBe(600);
    const tagRows = await db.paperTags.toArray();
    const expectedTags = models.flatMap((m) => [...m.tags]).toSorted();
    expect(tagRows.filter((r) => r.tag !== 'shared').map((r) => `${r.paperId}|${r.tag}`).toSorted()).toEqual(expectedTags);
    const sharedOn = new Set(scripts.flatMap((sc) => sc.filter((o) => o.op === 4).map((o) => o.pid)));
    expect(tagRows.filter((r) => r.tag === 'shared').map((r) => r.paperId).toSorted()).toEqual([...sharedOn].toSorted());
    expect(await db.tags.where('name').equals('shared').count()).toBe(1);
    for (let w = 0; w < 3; w++) expect((await listOrder(lists[w]!)).toSorted()).toEqual([...models[w]!.listed].toSorted());
  }, 30_000);

  it('keeps every effect of interleaved tag, list and note operations from three writers', async () => {
    const list = await createList(db, 'Shared');
    const ops: Promise<unknown>[] = [];
    for (let w = 0; w < 3; w++) {
      for (let i = 0; i < 30; i++) {
        const pid = ['pa', 'pb', 'pc'][i % 3]!;
        ops.push(addTag(db, [pid], `w${w}-t${i}`));
        if (i % 3 === w) ops.push(addToList(db, list, [pid]));
      }
      ops.push(setNote(db, 'pa', `note by ${w}`));
    }
    await Promise.all(ops);
    expect(await db.paperTags.count()).toBe(90);
    expect(await db.tags.count()).toBe(90);
    expect((await listOrder(list)).toSorted()).toEqual(['pa', 'pb', 'pc']);
    expect((await db.notes.get('pa'))?.text).toMatch(/^note by [012]$/);
  });
});
