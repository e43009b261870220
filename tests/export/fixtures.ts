// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB for Dexie
import 'fake-indexeddb/auto';
import { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';
import { makePaper } from '../helpers/db';

let n = 0;
export function freshDb(): ShelfmarkDB {
  return new ShelfmarkDB(`exchange-test-${Date.now()}-${n++}-${Math.random()}`);
}

export function paper(id: string, title: string, extra: Partial<Paper> = {}): Paper {
  const at = 1_700_000_000_000;
  return makePaper(id, title, { provenance: [{ kind: 'seed', source: 'seed.txt', line: 1 }], addedAt: at, updatedAt: at, ...extra });
}

/** Papers chosen to break exporters: LaTeX specials, Unicode, quotes and newlines, missing fields, key collisions. */
export const PAPERS: Paper[] = [
  paper('p0000000000000001', 'Attention Is All You Need', {
    authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
    year: 2017,
    arxivId: '1706.03762',
    abstract: 'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
  }),
  paper('p0000000000000002', 'Attention Mechanisms: 50% {faster} & $cheaper$ #1 with a_b ^ ~ \\ back', {
    authors: ['Ashish Vaswani', 'Zoë Müller-Šimek'],
    year: 2017,
    doi: '10.1234/abc.def',
    venue: 'Journal of Machine Learning Research',
    abstract: 'Line one, with "quotes", commas\nand a second line;\r\nand a third.',
  }),
  paper('p0000000000000003', 'TÜLU 3: Pushing Frontiers in Open Language Model Post-Training', {
    authors: ['Nathan Lambert', 'Anna van der Berg', 'Procter and Gamble Lab'],
    year: 2024,
    arxivId: '2411.15124',
    venue: 'arXiv',
  }),
  paper('p0000000000000004', 'A paper without authors or year'),
  paper('p0000000000000005', '$π^{*}_{0.6}$: a VLA That Learns From Experience', {
    authors: ['Physical Intelligence'],
    openreviewId: 'AbCdEf123',
    venue: 'International Conference on Learning Representations',
    year: 2025,
  }),
  paper('p0000000000000006', 'Attention Is All You Need (again)', {
    authors: ['A. Vaswani'],
    year: 2017,
    arxivId: 'hep-th/9901001',
  }),
  paper('p0000000000000007', '=HYPERLINK("http://evil") formula, title', { authors: ['Eve Hacker'], year: 2020 }),
];

/** Fills a db with papers and every kind of user data. */
export async function populate(db: ShelfmarkDB): Promise<void> {
  await db.papers.bulkAdd(PAPERS);
  await db.papers.add(paper('p00000000000000ff', 'Attention is all you need!', { mergedInto: 'p0000000000000001', origin: 'user' }));
  await db.tags.bulkAdd([
    { name: 'transformers', createdAt: 1 },
    { name: 'to read, later', createdAt: 2 },
    { name: 'Ünïcode tag', createdAt: 3 },
  ]);
  await db.paperTags.bulkAdd([
    { paperId: 'p0000000000000001', tag: 'transformers', addedAt: 5 },
    { paperId: 'p0000000000000002', tag: 'transformers', addedAt: 5 },
    { paperId: 'p0000000000000002', tag: 'to read, later', addedAt: 6 },
    { paperId: 'p0000000000000003', tag: 'Ünïcode tag', addedAt: 7 },
  ]);
  await db.lists.bulkAdd([
    { id: 'l1', name: 'Reading group', createdAt: 10, updatedAt: 11 },
    { id: 'l2', name: 'Old list', createdAt: 10, updatedAt: 12, deletedAt: 13 },
  ]);
  await db.listItems.bulkAdd([
    { listId: 'l1', paperId: 'p0000000000000003', position: 1, read: true, addedAt: 20 },
    { listId: 'l1', paperId: 'p0000000000000001', position: 5, read: false, addedAt: 21 },
    { listId: 'l1', paperId: 'p0000000000000004', position: 3, read: false, addedAt: 22 },
    { listId: 'l2', paperId: 'p0000000000000002', position: 1, read: false, addedAt: 23 },
  ]);
  await db.notes.bulkAdd([{ paperId: 'p0000000000000001', text: 'Key paper.\nRead section 3 "twice", please.', updatedAt: 30 }]);
  await db.sightings.bulkAdd([
    { paperId: 'p0000000000000001', title: 'Attention Is All You Need', key: 'attentionisallyouneed', pageUrl: 'https://huggingface.co/papers', host: 'huggingface.co', ids: { arxiv: '1706.03762' }, status: 'match', seenAt: 40 },
    { title: 'Unknown paper', key: 'unknownpaper', pageUrl: 'https://arxiv.org/list/cs.LG/new', host: 'arxiv.org', ids: {}, status: 'none', seenAt: 41 },
  ]);
  await db.merges.add({ survivorId: 'p0000000000000001', mergedId: 'p00000000000000ff', at: 50, before: PAPERS[0]! });
  await db.notDuplicates.add({ pair: 'p0000000000000001|p0000000000000006', at: 60 });
  await db.meta.put({ key: 'corpusVersion', value: { v: 3, files: ['a', 'b'] } });
}

/** Every table's rows (sorted by primary key), minus the derived index cache and the revision stamp. */
export async function snapshot(db: ShelfmarkDB): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) {
    // Derived caches and the papers change journal: rebuilt or rewritten, never backed up.
    if (['indexParts', 'searchParts', 'paperChanges', 'duplicateCache'].includes(t.name)) continue;
    const rows = await t.toArray();
    out[t.name] = t.name === 'meta' ? rows.filter((r: { key: string }) => r.key !== 'papersRevision') : rows;
  }
  return out;
}
