import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { applyImport, importText, parseBibtex, type ImportReport } from '../../lib/import';
import { freshDb, populate, paper } from '../export/fixtures';
import { rng } from '../../lib/model/rng';
import type { ShelfmarkDB } from '../../lib/storage/db';

/**
 * A BibTeX import reads, matches and writes slice by slice in one transaction: new papers are
 * written while later records are still matched, and a paper a later record of the file changes
 * is written again. The stored rows must not depend on any of that: a generated file imported
 * in tiny slices (a few entries per parse, a hand-over to the writer every few records) gives
 * exactly the rows of the same file parsed whole and imported as one slice. The file holds every
 * case the matching distinguishes: repeats within the file (same title, same id under another
 * casing, a DOI-only repeat, a typo in a later index batch), papers of the library (by title, by
 * id), tags whose spelling depends on which paper comes first, notes, and skipped entries.
 */

const WORDS = ['Sparse', 'Gradient', 'Transformer', 'Robust', 'Policy', 'Diffusion', 'Graph', 'Kernel', 'Latent', 'Contrastive', 'Bayesian', 'Recurrent', 'Adversarial', 'Federated', 'Causal', 'Spectral'];
const NOUNS = ['Estimation', 'Navigation', 'Segmentation', 'Translation', 'Compression', 'Retrieval', 'Planning', 'Alignment', 'Calibration', 'Distillation'];
const TAGS = ['ML', 'ml', 'Robotics', 'robotics', 'to-read', 'Transformers', 'survey'];

interface Entry {
  title?: string;
  arxiv?: string;
  doi?: string;
  tags: string[];
  note?: string;
  author?: string;
  abstract?: string;
}

function bib(entries: Entry[]): string {
  return entries
    .map((e, i) => {
      const f = [
        e.title ? `title = {${e.title}}` : '',
        e.author ? `author = {${e.author}}` : '',
        e.arxiv ? `eprint = {${e.arxiv}}, archivePrefix = {arXiv}` : '',
        e.doi ? `doi = {${e.doi}}` : '',
        e.tags.length ? `keywords = {${e.tags.join(', ')}}` : '',
        e.note ? `note = {${e.note}}` : '',
        e.abstract ? `abstract = {${e.abstract}}` : '',
      ].filter(Boolean);
      return `@article{k${i},\n  ${f.join(',\n  ')}\n}\n`;
    })
    .join('\n');
}

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const titles = new Set<string>();
  while (titles.size < 220) titles.add(`${pick(WORDS)} ${pick(WORDS)} ${pick(NOUNS)} with ${pick(WORDS)} ${pick(NOUNS)} at Scale`);
  const base: Entry[] = [...titles].map((title, i) => ({
    title,
    ...(r() < 0.5 ? { arxiv: `2301.${String(10000 + i)}` } : {}),
    ...(r() < 0.3 ? { doi: `10.5555/gen.${i}` } : {}),
    tags: r() < 0.5 ? [pick(TAGS)] : [],
    ...(r() < 0.15 ? { note: `Note ${i % 5}` } : {}),
    ...(r() < 0.5 ? { author: `${pick(['Doe', 'Roe', 'Li'])}, ${pick(['Jane', 'Wei'])}` } : {}),
    ...(r() < 0.3 ? { abstract: `We study ${title.toLowerCase()} in depth.` } : {}),
  }));
  const out = [...base];
  base.forEach((e, k) => {
    if (r() > 0.35) return;
    const kind = Math.floor(r() * 4);
    // The first copy may have no tags; the repeat brings one, so the tag's spelling depends on record order.
    const rep: Entry =
      kind === 0
        ? { title: e.title, tags: [pick(TAGS)], note: r() < 0.5 ? `Later note ${k % 3}` : undefined, author: 'Late, Author' }
        : kind === 1
          ? { title: e.title!.toUpperCase(), arxiv: e.arxiv, tags: [pick(TAGS)], abstract: 'A later abstract.' }
          : kind === 2 && e.doi
            ? { doi: e.doi, tags: ['survey'] }
            : { title: e.title!.replace(/(\w{7,}) at Scale$/, (_m, w: string) => `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)} at Scale`), tags: [] };
    const at = out.indexOf(e);
    out.splice(Math.min(out.length, at + 1 + Math.floor(r() * 60)), 0, rep);
  });
  // Papers of the library: by title, by arXiv id with another casing, and a new id for one.
  out.splice(10, 0, { title: 'Attention Is All You Need', tags: ['transformers'], note: 'from the file' });
  out.splice(90, 0, { title: 'ATTENTION IS ALL YOU NEED', arxiv: '1706.03762', tags: ['TRANSFORMERS'] });
  out.splice(150, 0, { title: 'Library Paper Number 3 About Sparse Kernels', doi: '10.5555/libthree', tags: ['ml'] });
  // A tag new to the library, spelled one way on the second paper of the file and another way by a
  // later copy of the first paper: the first paper in file order decides its spelling.
  out.unshift({ title: 'Opening Paper on Quiet Tags', tags: [] }, { title: 'Second Paper on Loud Tags', tags: ['Fresh-Tag'] });
  out.splice(60, 0, { title: 'Opening Paper on Quiet Tags', tags: ['FRESH-TAG'] });
  // Skipped: nothing to match by, and an id the library lacks with no title.
  out.splice(40, 0, { tags: ['ml'] }, { arxiv: '2502.99999', tags: [] });
  return bib(out);
}

/** Every table's rows, with the import's clock readings and the new list's random id made stable. */
async function rows(db: ShelfmarkDB): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const lists = await db.lists.toArray();
  const listName = new Map(lists.map((l) => [l.id, l.name]));
  const stable = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v), (k, x) => {
      if (typeof x === 'number' && x > 1.6e12) return 'now';
      if (k === 'listId' || (k === 'id' && listName.has(x as string))) return listName.get(x as string) ?? x;
      return x;
    });
  for (const t of db.tables) {
    if (['paperChanges', 'searchParts', 'indexParts', 'duplicateCache', 'meta'].includes(t.name)) continue;
    // Sorted: a list's primary key is random, so its row's place in the table is too.
    out[t.name] = (stable(await t.toArray()) as unknown[]).toSorted((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return out;
}

async function library(): Promise<ShelfmarkDB> {
  const db = freshDb();
  await populate(db);
  await db.papers.bulkAdd(
    Array.from({ length: 40 }, (_, i) => paper(`plib${String(i).padStart(4, '0')}`, `Library Paper Number ${i} About ${WORDS[i % WORDS.length]} Kernels`, i % 2 ? { doi: `10.5555/lib${['zero', 'one', 'two', 'three'][i % 4]}${i}` } : {})),
  );
  return db;
}

describe('BibTeX read, matched and written slice by slice', () => {
  it('stores exactly the rows of the same file imported as one slice', async () => {
    for (const seed of [1, 2, 3]) {
      const text = generate(seed);
      const opts = { filename: 'export.bib', tag: 'imported', listName: 'From the file', indexBatch: 40 };
      const sliced = await library();
      const a = await importText(sliced, text, { ...opts, format: 'bibtex', parseBatch: 3, yieldEvery: 7 });
      const whole = await library();
      const b: ImportReport = await applyImport(whole, parseBibtex(text), { ...opts, yieldEvery: 1e9 });
      expect(a).toEqual(b);
      expect(await rows(sliced)).toEqual(await rows(whole));
      expect(a.merged).toBeGreaterThan(40);
      expect(a.skipped).toBe(2);
      const fresh = await sliced.paperTags.where('tag').equalsIgnoreCase('fresh-tag').toArray();
      expect(fresh.map((t) => t.tag)).toEqual(['FRESH-TAG', 'FRESH-TAG']);

      // The slicing really mattered: new papers were handed to the writer before a later record of
      // the file changed them, and were written again (the journal names them twice).
      const journal = await sliced.paperChanges.toArray();
      const writes = new Map<string, number>();
      for (const j of journal) for (const id of j.ids ?? []) writes.set(id, (writes.get(id) ?? 0) + 1);
      const createdTwice = [...writes].filter(([id, n]) => n > 1 && !id.startsWith('plib') && !/^p0{10}/.test(id));
      expect(createdTwice.length).toBeGreaterThan(5);
    }
  }, 120_000);

  it('a broken entry late in the file rejects the import with its line, and nothing is written', async () => {
    const db = await library();
    const before = await rows(db);
    const text = generate(4).replace(/@article\{k300,\n {2}title = \{/, '@article{k300,\n  title = {{Unclosed ');
    await expect(importText(db, text, { format: 'bibtex', parseBatch: 3, yieldEvery: 7 })).rejects.toThrow(/^Line \d+: BibTeX error/);
    expect(await rows(db)).toEqual(before);
  });
});
