/**
 * The triage part of `npm run demo`: a user imports a BibTeX file whose keywords tag papers of two
 * topics (built from public reading lists: tests/fixtures/triage/reading-lists.json), opens a
 * real listing of other titles (ICLR 2018 on OpenReview, served locally under its real URL), and
 * triages it: suggested tags beside the badges, one entry accepted with y, one dismissed with x,
 * the popup grouping the page by suggested tag. Screenshots: triaged-page.png, popup-triage.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOPICS = ['adversarial robustness', 'graph neural networks'];

export async function triageDemo({ context, extensionId, root, shotsDir, fixtures, say, until, worker }) {
  // The ICLR 2018 venue page (996 entries): the other OpenReview fixture is a 48-entry tab.
  const listing = fixtures.find((f) => f.site === 'openreview' && f.file.endsWith('venue.html'));
  if (!listing) throw new Error('the OpenReview venue fixture page (tests/fixtures/sites/openreview/venue.html) is missing');
  const lists = JSON.parse(readFileSync(join(root, 'tests/fixtures/triage/reading-lists.json'), 'utf8'));
  const bib = lists.items
    .filter((i) => TOPICS.includes(i.tag))
    .map((i, n) => `@article{r${n}, title = {${i.title.replace(/[{}\\]/g, '')}}, keywords = {${i.tag}}}`)
    .join('\n');

  say('Triage (seen before, not interested, tags suggested by a model trained on this device):');
  const library = await context.newPage();
  await library.goto(`chrome-extension://${extensionId}/library.html#view=exchange`);
  const dialog = library.locator('[data-shelfmark-import]');
  await dialog.waitFor({ timeout: 20000 });
  await dialog.getByLabel('File').setInputFiles({ name: 'reading-lists.bib', mimeType: 'application/x-bibtex', buffer: Buffer.from(bib) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await dialog.locator('.import-result').waitFor({ timeout: 30000 });
  say(`  1. imported a BibTeX file of ${bib.split('\n').length} titles from two public reading lists, keywords ${TOPICS.map((t) => `"${t}"`).join(' and ')} as tags`);
  await library.close();

  const page = await context.newPage();
  await page.goto(listing.url, { waitUntil: 'load' });
  const suggested = () =>
    page.$$eval('[data-shelfmark-suggest]', (els) => els.map((e) => e.getAttribute('data-shelfmark-suggest')));
  await until('suggested tags on the listing', async () => (await suggested()).length >= 20, 60000);
  const sugg = await suggested();
  const byTag = {};
  for (const s of sugg) byTag[s.split(',')[0]] = (byTag[s.split(',')[0]] ?? 0) + 1;
  const diag = await worker().evaluate(() => globalThis.shelfmarkDiagnostics?.().triageModel);
  say(`  2. opened ${listing.url}: ${sugg.length} entries got suggestions (${Object.entries(byTag).map(([t, n]) => `${t}: ${n}`).join(', ')}); model ${diag?.source ?? '?'} in ${diag?.ms ? `${Math.round(diag.ms)} ms` : '—'} on ${diag?.docs ?? '?'} papers`);

  // Keyboard triage: walk to the first suggested entry, accept its tag; the next one is dismissed.
  const order = await page.$$eval('[data-shelfmark-entry]', (els) => els.findIndex((e) => e.hasAttribute('data-shelfmark-suggest')));
  for (let i = 0; i <= order; i++) await page.keyboard.press('j');
  const target = page.locator('[data-shelfmark-entry]').nth(order);
  const accepted = (await target.getAttribute('data-shelfmark-suggest')).split(',')[0];
  await page.keyboard.press('y');
  await until('the accepted entry is in the library', async () => (await target.getAttribute('data-shelfmark-entry')) === 'match', 15000);
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  const next = page.locator('[data-shelfmark-entry]').nth(order + 1);
  await until('the next entry dismissed', async () => (await next.getAttribute('data-shelfmark-dismissed')) !== null, 15000);
  say(`  3. keyboard: j×${order + 1} to the first suggested entry, y accepted "${accepted}" (the paper is now in the library), j x dismissed the next one (dimmed; u undoes)`);
  await page.keyboard.press('?');
  await page.waitForTimeout(300);
  await target.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -120));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shotsDir, 'triaged-page.png') });
  await page.keyboard.press('Escape');

  // A reload is a new view: every entry was seen once before.
  await page.reload({ waitUntil: 'load' });
  const seenCounts = await until(
    'seen hooks after the reload',
    async () => {
      const v = await page.$$eval('[data-shelfmark-entry]', (els) => els.map((e) => Number(e.getAttribute('data-shelfmark-seen'))));
      return v.length && v.every((n) => n >= 1) ? v : undefined;
    },
    30000,
  );
  say(`  4. reload: every entry carries data-shelfmark-seen ≥ 1 (here ${Math.min(...seenCounts)}: the demo's first tour and the triage view; first on openreview.net/group)`);

  const tabId = await worker().evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, listing.url);
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html${tabId === undefined ? '' : `?tab=${tabId}`}`);
  const triage = popup.locator('[data-shelfmark-triage]');
  await triage.waitFor({ timeout: 20000 });
  await triage.scrollIntoViewIfNeeded();
  await triage.locator('details').first().evaluate((d) => (d.open = true));
  await popup.waitForTimeout(300);
  const counts = (await triage.locator('p').first().textContent()).trim();
  await popup.screenshot({ path: join(shotsDir, 'popup-triage.png') });
  say(`  5. popup: ${counts}; entries grouped by suggested tag`);
  await popup.close();
  await page.close();
}
