#!/usr/bin/env node
// End-to-end in real Chromium: triage on real captured listing pages served under their URLs.
//  1. Seen and dismissed: the Hugging Face daily page; keyboard triage (j, x) dismisses the
//     first entry, x then u dismisses and restores the second; reload: every entry carries
//     data-shelfmark-seen ≥ 1, the first carries data-shelfmark-dismissed, the second does not;
//     the page views went to the seen log as one packed row per view, not a row per entry; the
//     library's "Not interested" view lists the dismissal and its Undo works.
//  2. Suggestions from imported keywords: a BibTeX file built from two public reading lists
//     (tests/fixtures/triage/reading-lists.json: adversarial robustness, graph neural networks),
//     keywords as tags, imported through the library page's file input and Import button; then
//     the ICLR 2018 OpenReview listing (996 other titles): every entry whose title names
//     adversarial examples/attacks/perturbations/training or graph neural/convolutional/attention
//     networks carries the expected tag first in data-shelfmark-suggest.
//
//   node tests/e2e/triage.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureUrl, idbCount, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';

const HF_DAILY = join(ROOT, 'tests/fixtures/sites/huggingface/daily.html'); // 13 entries
const OPENREVIEW = join(ROOT, 'tests/fixtures/sites/openreview/venue.html'); // ICLR 2018, 996 entries
const LISTS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/triage/reading-lists.json'), 'utf8'));
const ADV = 'adversarial robustness';
const GNN = 'graph neural networks';
// Which listing titles are of the two topics, by their own words.
const TOPIC_OF = [
  [ADV, /\badversarial (examples?|attacks?|perturbations?|robustness|training)\b/i],
  [GNN, /\bgraph (neural|convolutional|attention) networks?\b/i],
];

/** A BibTeX file of the reading lists' titles of both topics, the topic as keyword. */
function bibtex() {
  return LISTS.items
    .filter((i) => i.tag === ADV || i.tag === GNN)
    .map((i, n) => `@article{r${n}, title = {${i.title.replace(/[{}\\]/g, '')}}, keywords = {${i.tag}}}`)
    .join('\n');
}

/** Entries in a seen-log row (a Uint32Array; over the DevTools protocol it may arrive as an indexed object). */
const keyCount = (row) => row.keys.length ?? Object.keys(row.keys).length;

const hooks = (page) =>
  page.$$eval('[data-shelfmark-entry]', (els) =>
    els.map((e) => ({
      // The badge follows the adapter's title element.
      title: (e.querySelector('[data-shelfmark-host="badge"]')?.previousElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      status: e.getAttribute('data-shelfmark-entry'),
      seen: e.getAttribute('data-shelfmark-seen'),
      dismissed: e.getAttribute('data-shelfmark-dismissed'),
      suggest: e.getAttribute('data-shelfmark-suggest'),
    })),
  );

const ext = await launchChromium();
const step = (s) => console.log(`  · ${s}`);
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 30000, what: 'seed corpus installed' });
  await serveFixtures(ext.context, [HF_DAILY, OPENREVIEW]);

  // ---- 1. seen and dismissed ------------------------------------------------------------------
  const page = await ext.context.newPage();
  await page.goto(fixtureUrl(HF_DAILY));
  await poll(async () => (await hooks(page)).filter((h) => h.seen !== null).length === 13, { what: '13 entries with a seen hook' });
  const first = await hooks(page);
  assert.ok(
    first.every((h) => h.seen === '0'),
    `first view: nothing seen before (${first.map((h) => h.seen)})`,
  );
  step(`first view: ${first.length} entries, data-shelfmark-seen=0 on each`);

  await page.keyboard.press('j');
  await poll(() => page.$$eval('[data-shelfmark-current]', (els) => els.length === 1), { what: 'j selects an entry' });
  await page.keyboard.press('x');
  await poll(async () => (await hooks(page))[0].dismissed === 'dim', { what: 'first entry dismissed (dimmed)' });
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await poll(async () => (await hooks(page))[1].dismissed === 'dim', { what: 'second entry dismissed' });
  await page.keyboard.press('u');
  await poll(async () => (await hooks(page))[1].dismissed === null, { what: 'second dismissal undone' });
  await page.keyboard.press('?');
  await poll(() => page.$$eval('[data-shelfmark-host="help"]', (els) => els.length === 1), { what: '? shows the keys' });
  await page.keyboard.press('Escape');
  step('keyboard: j selects, x dismisses, u undoes, ? shows the keys');

  await page.reload();
  await poll(async () => (await hooks(page)).filter((h) => h.seen !== null).length === 13, { what: 'hooks after reload' });
  const again = await hooks(page);
  assert.ok(
    again.every((h) => Number(h.seen) >= 1),
    `after reload every entry was seen before: ${again.map((h) => h.seen)}`,
  );
  assert.equal(again[0].dismissed, 'dim', 'the dismissed entry stays dismissed after a reload');
  assert.equal(
    again.filter((h) => h.dismissed !== null).length,
    1,
    'only the dismissed entry carries data-shelfmark-dismissed',
  );
  step(`reload: seen=${again.map((h) => h.seen).join(',')}; dismissed: "${again[0].title.slice(0, 50)}"`);

  const stores = await poll(async () => {
    const s = await readStores(ext, ['seenLog', 'dismissals']);
    return s.seenLog.length >= 2 ? s : undefined;
  }, { what: 'two page views in the seen log' });

  assert.ok(stores.seenLog.length <= 4, `packed rows per page view, not a row per entry (${stores.seenLog.length} rows)`);
  assert.equal(stores.seenLog.reduce((n, r) => n + keyCount(r), 0), 26, '13 entries per view, each once');
  assert.equal(stores.dismissals.length, 1);
  step(`storage: ${stores.seenLog.length} seen-log rows for 2 views of 13 entries; ${stores.dismissals.length} dismissal`);

  const lib = await ext.context.newPage();
  await lib.goto(ext.extensionUrl('library.html#view=dismissed'));
  const view = lib.locator('[data-shelfmark-dismissed-view]');
  await view.getByRole('heading', { name: 'Not interested (1)' }).waitFor({ timeout: 20000 });
  await view.getByRole('button', { name: /^Undo: / }).click();
  await view.getByRole('heading', { name: 'Not interested (0)' }).waitFor({ timeout: 20000 });
  await poll(async () => (await hooks(page))[0].dismissed === null, { what: 'undo in the library restores the entry on the open page' });
  step('library: the dismissal is listed; Undo there restores the entry on the open listing');

  // ---- 2. suggestions from imported keywords --------------------------------------------------
  await lib.goto(ext.extensionUrl('library.html#view=exchange'));
  const dialog = lib.locator('[data-shelfmark-import]');
  await dialog.waitFor({ timeout: 20000 });
  await dialog.getByLabel('File').setInputFiles({ name: 'reading-lists.bib', mimeType: 'application/x-bibtex', buffer: Buffer.from(bibtex()) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await dialog.locator('.import-result').waitFor({ timeout: 30000 });
  step(`import: ${(await dialog.locator('.import-result').textContent()).trim().slice(0, 90)}`);

  const listing = await ext.context.newPage();
  await listing.goto(fixtureUrl(OPENREVIEW));
  const expected = await poll(
    async () => {
      const hs = await hooks(listing);
      if (hs.length < 996 || hs.some((h) => !h.title)) return undefined; // every badge mounted
      const want = hs.flatMap((h) => {
        if (h.status === 'match') return []; // a title that is in the imported lists is tagged, not suggested
        const topic = TOPIC_OF.find(([, re]) => re.test(h.title));
        return topic ? [{ ...h, tag: topic[0] }] : [];
      });
      return want.length && want.every((h) => h.suggest !== null) ? want : undefined;
    },
    { timeout: 60000, what: 'suggestions on the topic entries (model trained after the import)' },
  );
  const wrong = expected.filter((h) => h.suggest.split(',')[0] !== h.tag);
  assert.deepEqual(wrong, [], 'every topic entry has its tag first');
  const byTag = Object.fromEntries(TOPIC_OF.map(([t]) => [t, expected.filter((h) => h.tag === t).length]));
  assert.ok(byTag[ADV] >= 10 && byTag[GNN] >= 3, `both topics on the page: ${JSON.stringify(byTag)}`);
  step(`OpenReview: ${expected.length} topic entries (${JSON.stringify(byTag)}) carry their tag first in data-shelfmark-suggest`);
  console.log('triage e2e: ok');
} finally {
  await ext.close();
}
