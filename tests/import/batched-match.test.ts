import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { applyImport, type ImportRecord } from '../../lib/import';
import { freshDb } from '../export/fixtures';
import { paperIdFromKey } from '../../lib/corpus/corpus';
import { titleKey } from '../../lib/model/normalize';
import { rng } from '../../lib/model/rng';

/**
 * The import matches records in batches (the match index learns a batch's papers at its end).
 * Repeats of a paper in one file must still merge wherever they fall: the same title or id in
 * the same batch, and a typo'd title in a later batch; the result equals matching one record at
 * a time (indexBatch 1).
 */
const WORDS = ['Sparse', 'Gradient', 'Transformer', 'Robust', 'Policy', 'Diffusion', 'Graph', 'Kernel', 'Latent', 'Contrastive', 'Bayesian', 'Recurrent', 'Adversarial', 'Federated', 'Causal', 'Spectral', 'Meta', 'Symbolic', 'Neural', 'Implicit'];
const NOUNS = ['Estimation', 'Navigation', 'Segmentation', 'Translation', 'Compression', 'Retrieval', 'Planning', 'Alignment', 'Calibration', 'Distillation'];

function fileRecords(seed: number): { records: ImportRecord[]; unique: number } {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const titles = new Set<string>();
  while (titles.size < 80) titles.add(`${pick(WORDS)} ${pick(WORDS)} ${pick(NOUNS)} with ${pick(WORDS)} ${pick(NOUNS)} in Practice`);
  const records: ImportRecord[] = [...titles].map((title, i) => ({ title, ids: { arxiv: `2301.${String(10000 + i)}` }, tags: [] }));
  const later: ImportRecord[] = [];
  for (const [i, rec] of records.entries()) {
    // Near the end of the file there is no later batch to put a typo'd repeat in.
    const kind = i % 3 === 2 && i >= records.length - 45 ? 0 : i % 3;
    // Same title (a second export of the paper), same id with the title in capitals, one typo in a long word.
    if (kind === 0) later.push({ title: rec.title, ids: {}, tags: [] });
    if (kind === 1) later.push({ title: rec.title!.toUpperCase(), ids: { ...rec.ids }, tags: [] });
    if (kind === 2) later.push({ title: rec.title!.replace(/(\w{6,}) in Practice$/, (_m, w: string) => `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)} in Practice`), ids: {}, tags: [] });
  }
  // Interleave: an exact or id repeat lands 1–40 records after its original (same batch or a
  // later one); a typo'd repeat 20–40 after (always a later batch of 16: within a batch only exact
  // repeats are caught).
  const out = [...records];
  later.forEach((rep, k) => {
    const at = out.indexOf(records[k]!);
    const gap = k % 3 === 2 && k < records.length - 45 ? 20 + Math.floor(r() * 21) : 1 + Math.floor(r() * 40);
    out.splice(Math.min(out.length, at + gap), 0, rep);
  });
  return { records: out, unique: records.length };
}

describe('batched matching of an import', () => {
  for (const seed of [1, 2, 3]) {
    it(`repeats within and across batches merge (file ${seed})`, async () => {
      const { records, unique } = fileRecords(seed);
      const batched = await applyImport(freshDb(), { format: 'bibtex', records, warnings: [] }, { indexBatch: 16 });
      const single = await applyImport(freshDb(), { format: 'bibtex', records, warnings: [] }, { indexBatch: 1 });
      expect({ new: single.new, merged: single.merged }).toEqual({ new: unique, merged: records.length - unique });
      expect({ new: batched.new, merged: batched.merged, maybe: batched.maybe }).toEqual({ new: single.new, merged: single.merged, maybe: single.maybe });
    }, 60_000);
  }
});

describe('a library changed between matching and writing', () => {
  it('another tab writing papers during the import waits for its commit: nothing is overwritten or lost', async () => {
    const db = freshDb();
    const records: ImportRecord[] = Array.from({ length: 30 }, (_, i) => ({ title: `Fresh Paper Number ${i} on Sparse Kernels`, ids: {}, tags: ['t'] }));
    let other: Promise<unknown> | undefined;
    let unrelated: Promise<unknown> | undefined;
    const planned = paperIdFromKey(titleKey(records[17]!.title!));
    const report = await applyImport(db, { format: 'bibtex', records, warnings: [] }, {
      yieldEvery: 5,
      onProgress: (p) => {
        // Midway through the matching, another tab adds a paper under an id the import plans, and one it does not.
        if (p.phase === 'match' && p.done === 10 && !other) {
          other = db.papers.add({ id: planned, title: 'Other tab', key: 'othertab', aliasKeys: [], provenance: [], origin: 'user', addedAt: 1, updatedAt: 1 });
          unrelated = db.papers.add({ id: 'pother', title: 'Unrelated', key: 'unrelated', aliasKeys: [], provenance: [], origin: 'user', addedAt: 1, updatedAt: 1 });
        }
      },
    });
    expect(report.new).toBe(30);
    // The import's transaction held the papers: the colliding add ran after it and was refused, not silently merged.
    await expect(other).rejects.toMatchObject({ name: 'ConstraintError' });
    await expect(unrelated).resolves.toBe('pother');
    expect((await db.papers.get(planned))!.title).toBe(records[17]!.title);
    expect(await db.papers.count()).toBe(31);
    expect(await db.paperTags.count()).toBe(30);
  });
});
