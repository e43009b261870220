#!/usr/bin/env node
// End-to-end in real Chromium (real IndexedDB, a real module worker): a BibTeX export of a few
// thousand entries imported through the library page's dialog. The page hands the file to a
// worker that reads it in slices while the page matches and writes, all in one transaction: the
// stored rows must be what the file says (repeats within the file merged into one paper, papers of
// the seed corpus merged, tags and notes on the right papers). The same file broken late (after
// slices were already written) gives the parser's error with its line, and nothing changes.
//
//   node tests/e2e/import.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { idbCount, launchChromium, poll, readStores } from './lib/chromium.mjs';
import { importTs } from './lib/page-code.mjs';

// The project's seeded PRNG, so the file is the same on every run.
const { rng } = await importTs('lib/model/rng.ts');

const SEED = ['Stop Regressing: Training Value Functions via Classification for Scalable Deep RL', 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning'];
const WORDS = ['Sparse', 'Gradient', 'Robust', 'Policy', 'Diffusion', 'Graph', 'Kernel', 'Latent', 'Contrastive', 'Bayesian', 'Recurrent', 'Adversarial', 'Federated', 'Causal', 'Spectral', 'Symbolic', 'Implicit', 'Modular', 'Quantum', 'Tabular'];
const NOUNS = ['Estimation', 'Navigation', 'Segmentation', 'Translation', 'Compression', 'Retrieval', 'Planning', 'Alignment', 'Calibration', 'Distillation'];

/** 4,500 entries (three of the worker's slices): unique papers, 1 in 50 exported twice, two seed papers. */
function bibFile() {
  const r = rng(7);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const titles = new Set();
  while (titles.size < 4400) titles.add(`${pick(WORDS)} ${pick(NOUNS)} for ${pick(WORDS)} ${pick(WORDS)} ${pick(NOUNS)} Benchmarks`);
  const entries = [];
  let repeats = 0;
  [...titles].forEach((title, i) => {
    const entry = `@article{k${i},\n\ttitle = {${title}},\n\tauthor = {Doe, Jane and Li, Wei},\n\tyear = {${2015 + (i % 10)}},\n\teprint = {2301.${String(10000 + i)}},\n\tarchivePrefix = {arXiv},\n\tkeywords = {${i % 3 ? 'gen' : 'gen, third'}}\n}\n`;
    entries.push(entry);
    if (i % 50 === 7) {
      // The second export of a paper: same title, a note of its own.
      entries.push(entry.replace(`@article{k${i},`, `@article{again${i},\n\tnote = {Second copy ${i}},`).replace(/\tkeywords = \{[^}]*\}\n/, '\tkeywords = {again}\n'));
      repeats++;
    }
  });
  entries.splice(1000, 0, `@misc{seed0, title = {${SEED[0]}}, keywords = {seeded}}\n`);
  entries.splice(3000, 0, `@misc{seed1, title = {${SEED[1]}}, keywords = {seeded}}\n`);
  return { text: entries.join('\n'), entries: entries.length, unique: titles.size, repeats };
}

const ext = await launchChromium();
const step = (s) => console.log(`  · ${s}`);
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 30000, what: 'seed corpus installed' });
  const before = (await idbCount(ext, 'shelfmark', 'papers')).count;
  const page = await ext.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(ext.extensionUrl('library.html#view=exchange'));
  const dialog = page.locator('[data-shelfmark-import]');
  await dialog.waitFor({ timeout: 20000 });
  const file = bibFile();
  step(`file: ${file.entries} entries, ${file.unique} papers, ${file.repeats} exported twice, ${SEED.length} from the seed corpus`);

  // 1. The file broken late: an unclosed brace after two slices were read, matched and written.
  const brokenText = file.text.replace('@article{k4300,\n\ttitle = {', '@article{k4300,\n\ttitle = {{');
  assert.notEqual(brokenText, file.text);
  await dialog.getByLabel('File').setInputFiles({ name: 'broken.bib', mimeType: 'application/x-bibtex', buffer: Buffer.from(brokenText) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  const error = dialog.locator('.import-error');
  await error.waitFor({ timeout: 60000 });
  assert.match(await error.textContent(), /^Line \d+: BibTeX error.*Nothing was changed\.$/s);
  assert.equal((await idbCount(ext, 'shelfmark', 'papers')).count, before, 'nothing written');
  step(`broken file: ${(await error.textContent()).slice(0, 90)}`);

  // 2. The whole file.
  await dialog.getByLabel('File').setInputFiles({ name: 'export.bib', mimeType: 'application/x-bibtex', buffer: Buffer.from(file.text) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  const result = dialog.locator('.import-result');
  await result.waitFor({ timeout: 120000 });
  const count = async (k) => Number(await result.locator(`[data-count="${k}"]`).textContent());
  assert.deepEqual([await count('new'), await count('merged'), await count('skipped')], [file.unique, file.repeats + SEED.length, 0], `import report: ${await result.textContent()}`);
  step(`import: ${(await result.textContent()).trim().slice(0, 100)}`);

  const rows = await readStores(ext, ['papers', 'paperTags', 'notes']);
  assert.equal(rows.papers.length, before + file.unique, 'one row per paper');
  const imported = rows.papers.filter((p) => p.provenance?.some((x) => x.source === 'export.bib'));
  assert.equal(imported.length, file.unique + SEED.length);
  // A paper exported twice: one row, both records in its provenance, its note and both tag sets.
  const twice = imported.find((p) => p.arxivId === '2301.10007');
  assert.deepEqual(
    twice.provenance.map((x) => x.line > 0),
    [true, true],
  );
  assert.deepEqual(rows.notes.find((n) => n.paperId === twice.id)?.text, 'Second copy 7');
  assert.deepEqual(
    rows.paperTags
      .filter((t) => t.paperId === twice.id)
      .map((t) => t.tag)
      .toSorted(),
    ['again', 'gen'],
  );
  for (const title of SEED) {
    const p = imported.find((x) => x.title === title);
    assert.ok(p && p.origin !== 'import', `merged into the seed paper: ${title}`);
    assert.ok(rows.paperTags.some((t) => t.paperId === p.id && t.tag === 'seeded'));
  }
  assert.equal(rows.notes.length, file.repeats);
  assert.equal(rows.paperTags.filter((t) => t.tag === 'gen').length, file.unique);
  assert.deepEqual(errors, [], 'no page errors');
  step(`stored: ${imported.length} papers from the file, ${rows.paperTags.length} tag rows, ${rows.notes.length} notes`);
  console.log('import e2e: ok');
} finally {
  await ext.close();
}
