#!/usr/bin/env node
// End-to-end in real Chromium: a listing page (the saved Hugging Face daily papers page, served
// under its real URL), the popup opened for that tab (popup.html?tab=<id>), two papers tagged as
// a selection and one added to a new reading list from the popup; the page's badges update, and
// the library page shows the list. Screenshots of the popup and the library go to
// $SHELFMARK_SHOTS (default /tmp/shots).
//
//   node tests/e2e/library.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, idbCount, inServiceWorker, launchChromium, poll, serveFixtures } from './lib/chromium.mjs';
import { bundleForPage } from './lib/page-code.mjs';

const SHOTS = process.env.SHELFMARK_SHOTS ?? '/tmp/shots';
const FIXTURE = join(ROOT, 'tests/fixtures/sites/huggingface/daily.html');
const PAGE_URL = 'https://huggingface.co/papers';
const TAG = 'e2e-reading';
const LIST = 'E2E list';

mkdirSync(SHOTS, { recursive: true });
const ext = await launchChromium();
const step = (s) => console.log(`  · ${s}`);
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 30000, what: 'seed corpus installed' });
  await serveFixtures(ext.context, [FIXTURE]);

  // 1. The listing page: every entry gets its status hook.
  const page = await ext.context.newPage();
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => document.querySelectorAll('[data-shelfmark-entry]').length >= 13, null, { timeout: 20000 });
  const before = await page.$$eval('[data-shelfmark-entry]', (els) => els.map((e) => e.getAttribute('data-shelfmark-entry')));
  step(`listing page: ${before.length} entries, statuses ${[...new Set(before)].join(',')}`);

  const tabId = await inServiceWorker(ext, async (url) => (await chrome.tabs.query({ url: `${url}*` }))[0]?.id, PAGE_URL);
  assert.equal(typeof tabId, 'number', 'tab id of the listing page');

  // 2. The popup for that tab.
  const popup = await ext.context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(ext.extensionUrl(`popup.html?tab=${tabId}`));
  await popup.getByRole('heading', { name: /^New/ }).waitFor({ timeout: 20000 });
  const focused = await popup.evaluate(() => document.activeElement?.getAttribute('type'));
  assert.equal(focused, 'search', 'the corpus search box is focused on open');
  const rows = popup.locator('li.sm-entry');
  assert.equal(await rows.count(), before.length, 'the popup lists every entry of the tab');
  const titles = await rows.locator('.sm-entry-title').allTextContents();
  step(`popup: ${titles.length} entries; first "${titles[0]}"`);

  // 3. Select two papers and tag them (new papers are saved to the corpus first).
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  const selection = popup.getByRole('region', { name: 'Selected papers' });
  const tagBox = selection.getByRole('combobox', { name: /Add a tag/ });
  await tagBox.fill(TAG);
  await tagBox.press('Escape'); // close the suggestions, Enter then adds the typed tag
  await tagBox.press('Enter');
  await popup.getByRole('heading', { name: /^In your corpus \(2\)/ }).waitFor({ timeout: 20000 });
  await selection.getByRole('button', { name: `Remove tag ${TAG}` }).waitFor();
  step('popup: two papers tagged as a selection');

  // 4. One of them into a new reading list, created inline.
  await popup.getByRole('button', { name: 'Clear selection' }).click();
  const first = popup.locator('li.sm-entry', { hasText: titles[0] });
  await first.locator('.sm-entry-title').click();
  const listField = first.getByRole('textbox', { name: 'Find or create a reading list' });
  await listField.fill(LIST);
  await listField.press('Enter');
  await first.getByRole('checkbox', { name: LIST }).waitFor({ timeout: 10000 });
  await poll(() => first.getByRole('checkbox', { name: LIST }).isChecked(), { what: `"${LIST}" checked for the paper` });
  await first.getByText(`In: ${LIST}`).waitFor();
  step('popup: first paper added to a new list');

  // 5. The page's badges update: statuses via the stable hook, tags and list inside the closed
  //    shadow roots via CDP (DOM.getDocument with pierce reaches closed roots).
  await poll(
    async () => {
      const st = await page.$$eval('[data-shelfmark-entry]', (els) => els.map((e) => e.getAttribute('data-shelfmark-entry')));
      return st.filter((s) => s === 'match').length === 2;
    },
    { timeout: 20000, what: 'two entries marked match on the page' },
  );
  const cdp = await ext.context.newCDPSession(page);
  const badgeText = await poll(
    async () => {
      const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
      const texts = [];
      const walk = (n) => {
        if (n.nodeType === 3 && n.nodeValue.trim()) texts.push(n.nodeValue.trim());
        for (const a of n.attributes ?? []) if (/label/i.test(a)) texts.push(a);
        for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) walk(c);
      };
      walk(root);
      const all = texts.join('\n');
      const tagCount = all.split(TAG).length - 1;
      return tagCount >= 2 && all.includes(LIST) ? { tagCount } : false;
    },
    { timeout: 20000, what: `badges showing "${TAG}" twice and "${LIST}"` },
  );
  step(`page badges: tag shown ${badgeText.tagCount} times, list shown`);
  await page.screenshot({ path: join(SHOTS, 'listing-page.png') });
  await popup.screenshot({ path: join(SHOTS, 'popup.png'), fullPage: true });
  await popup.emulateMedia({ colorScheme: 'dark' });
  await popup.screenshot({ path: join(SHOTS, 'popup-dark.png'), fullPage: true });
  await popup.emulateMedia({ colorScheme: 'light' });

  // 6. The library shows the list with its paper.
  const lib = await ext.context.newPage();
  await lib.setViewportSize({ width: 1280, height: 800 });
  await lib.goto(ext.extensionUrl('library.html#view=lists'));
  await lib.getByRole('button', { name: new RegExp(`^${LIST} \\(1`) }).click();
  const items = lib.getByRole('list', { name: `Papers in ${LIST}` }).getByRole('listitem');
  await items.first().waitFor({ timeout: 10000 });
  assert.equal(await items.count(), 1);
  assert.equal((await items.first().locator('.sm-item-title').textContent()).trim(), titles[0]);
  await lib.screenshot({ path: join(SHOTS, 'library-list.png') });
  step('library: the list holds the paper');

  // 7. Library papers view: search and the tag filter find the tagged papers.
  await lib.goto(ext.extensionUrl('library.html'));
  await lib.getByRole('listbox', { name: 'Papers' }).waitFor({ timeout: 20000 });
  await lib.getByLabel('Tag', { exact: true }).selectOption(TAG);
  await poll(async () => (await lib.getByRole('listbox', { name: 'Papers' }).getByRole('option').count()) === 2, {
    what: 'two papers with the tag',
  });
  await lib.getByLabel('Tag', { exact: true }).selectOption('');
  await lib.getByRole('searchbox').fill('offline reinforcement');
  await poll(async () => (await lib.getByRole('listbox', { name: 'Papers' }).getByRole('option').count()) > 3, { what: 'search results' });
  await lib.screenshot({ path: join(SHOTS, 'library-search.png') });
  step('library: search and tag filter');

  // 7b. The popup's corpus search loads the index the library page persisted (meta, index and
  //     titles records: no rebuild) and finds the paper tagged from the popup, shown by its title.
  await poll(async () => (await idbCount(ext, 'shelfmark', 'searchParts')).count === 3, { timeout: 30000, what: 'the search index persisted with titles' });
  const popup2 = await ext.context.newPage();
  await popup2.goto(ext.extensionUrl(`popup.html?tab=${tabId}`));
  await popup2.getByRole('searchbox').fill(titles[0]);
  const found = popup2.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await poll(async () => (await found.allTextContents())[0] === titles[0], { what: 'the tagged paper first in the popup search, by its title' });
  assert.equal(await popup2.evaluate(() => performance.getEntriesByName('shelfmark:search-parts-decoded').length), 1, 'the popup loaded the persisted index');
  await popup2.close();
  step('popup: corpus search from the persisted index');
  // 8. Duplicates: a published version of a seed paper (new title, DOI, its abstract with a few
  //    words changed) and a typo'd copy without abstract, written through the extension's own
  //    database class (so the papers change journal records them, as for any real write) while
  //    the library page is open on another view: the duplicate finder compares them as they arrive.
  await lib.evaluate(await bundleForPage(`
    import { ShelfmarkDB } from './lib/storage/db';
    (window as any).e2ePutPapers = async () => {
      const db = new ShelfmarkDB();
      const d5 = await db.papers.where('key').equals('d5rldiversedatasetsfordatadrivendeepreinforcementlearning').first();
      if (!d5?.abstract) throw new Error('seed paper D5RL missing');
      const now = Date.now();
      const base = { aliasKeys: [], provenance: [{ kind: 'import' as const, source: 'e2e.bib' }], origin: 'import' as const, addedAt: now, updatedAt: now };
      await db.papers.bulkPut([
        {
          ...base,
          id: 'pe2e000000000001',
          title: 'A Benchmark Suite of Diverse Offline Datasets for Robot Learning',
          key: 'abenchmarksuiteofdiverseofflinedatasetsforrobotlearning',
          abstract: d5.abstract.replace('realistic simulations', 'realistic simulated versions').replace('play-style', 'play'),
          doi: '10.5555/e2e.d5rl',
          venue: 'CoRL',
        },
        { ...base, id: 'pe2e000000000002', title: 'D4RL: Datasets for Deep Data-Driven Reinforcment Learning', key: 'd4rldatasetsfordeepdatadrivenreinforcmentlearning' },
      ]);
      db.close();
    };
    (window as any).e2eCandidatesOfNew = async () => {
      const db = new ShelfmarkDB();
      const ids = ['pe2e000000000001', 'pe2e000000000002'];
      const rows = await db.duplicateCandidates.where('a').anyOf(ids).or('b').anyOf(ids).toArray();
      db.close();
      return rows.map((r) => r.pair);
    };
  `, { chromeAsBrowser: true }));
  await lib.evaluate(() => window.e2ePutPapers());
  // Compared on arrival: the candidate rows exist before the duplicates view is opened.
  await poll(
    async () => ((await lib.evaluate(() => window.e2eCandidatesOfNew())).length === 2 ? true : undefined),
    { timeout: 20000, what: 'candidate pairs stored for the new papers while the duplicates view is closed' },
  );
  await lib.goto(ext.extensionUrl('library.html#view=duplicates'));
  await lib.getByRole('heading', { name: 'Duplicates' }).waitFor();
  const clusters = lib.getByRole('article');
  await poll(async () => (await clusters.count()) === 2, { timeout: 20000, what: 'two duplicate clusters' });
  assert.match(await clusters.nth(0).getByRole('heading', { level: 3 }).textContent(), /^Certain 2 records/);
  assert.match(await clusters.nth(0).getByRole('list', { name: 'Why proposed' }).textContent(), /abstracts \d+% alike \(retitled version\?\)/);
  assert.match(await clusters.nth(1).getByRole('heading', { level: 3 }).textContent(), /^Maybe 2 records/);
  await lib.screenshot({ path: join(SHOTS, 'library-duplicates.png'), fullPage: true });
  await clusters.nth(0).getByRole('button', { name: 'Merge into kept record' }).click();
  await poll(async () => (await clusters.count()) === 1, { what: 'the merged cluster gone' });
  await lib.getByRole('button', { name: 'Undo' }).click();
  await poll(async () => (await clusters.count()) === 2, { what: 'the cluster back after undo' });
  await clusters.nth(1).getByRole('button', { name: 'Not duplicates' }).click();
  await poll(async () => (await clusters.count()) === 1, { what: '"not duplicates" remembered' });
  await lib.reload();
  await lib.getByRole('heading', { name: 'Duplicates' }).waitFor();
  await poll(async () => (await clusters.count()) === 1, { what: '"not duplicates" still remembered after reload' });
  step('duplicates: merge, undo and "not duplicates" in the library');
  // A paper's detail page (the first tagged paper), in the dark theme.
  await lib.emulateMedia({ colorScheme: 'dark' });
  await lib.goto(ext.extensionUrl('library.html'));
  await lib.getByLabel('Tag', { exact: true }).selectOption(TAG);
  await lib.getByRole('listbox', { name: 'Papers' }).getByRole('option').first().click();
  await lib.locator('#sm-detail-title').waitFor();
  assert.ok([titles[0], titles[1]].includes((await lib.locator('#sm-detail-title').textContent()).trim()), 'detail of a tagged paper');
  await lib.getByRole('button', { name: `Remove tag ${TAG}` }).waitFor();
  await lib.screenshot({ path: join(SHOTS, 'library-paper-dark.png') });
  step(`screenshots in ${SHOTS}`);
  console.log('library e2e: ok');
} finally {
  await ext.close();
}
