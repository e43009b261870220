#!/usr/bin/env node
// Least privilege, end to end in real Chromium: the manifest's host list (lib/sites/hosts.ts)
// reaches every supported site, and nothing else.
//
// - Every captured page of every supported site, served under its real URL, gets the listing
//   script: its entries are marked (three Google Scholar domains among them: .com, .ca, .co.jp).
// - The captured pages of other sites (tests/fixtures/sites/generic) are left alone: the extension
//   holds no permission there until the user enables the site (see firefox.e2e.mjs for the grant).
// - PMIDs end to end: a RIS file imported through the library page gives one paper the first
//   PubMed result's PMID under a retitle (the title alone is no match), another paper the second
//   result's PMID under a title that is plainly another paper. The PubMed page then marks the
//   first `match` (by its PMID) and the second only `maybe`.
//
//   node tests/e2e/hosts.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureUrl, idbCount, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';

const SITES = join(ROOT, 'tests', 'fixtures', 'sites');
/** How long a page with no marks is watched before concluding the script did not run there. */
const QUIET_MS = 2500;

const fixtures = readdirSync(SITES)
  .toSorted()
  .flatMap((site) =>
    readdirSync(join(SITES, site))
      .filter((f) => f.endsWith('.html'))
      .toSorted()
      .map((f) => ({ site, file: join(SITES, site, f), url: fixtureUrl(join(SITES, site, f)) })),
  );
// Hosts that serve the same app as a captured one: the capture is served there too, so the
// manifest's entry for that host is exercised (papers.nips.cc is proceedings.neurips.cc's twin).
fixtures.push({
  site: 'neurips-iclr',
  file: join(SITES, 'neurips-iclr', 'neurips-2014.html'),
  url: 'https://papers.nips.cc/paper_files/paper/2014',
});
const supported = fixtures.filter((f) => f.site !== 'generic');
const others = fixtures.filter((f) => f.site === 'generic');
assert.ok(supported.length >= 8 && others.length >= 1, 'fixtures of supported and other sites present');

const PUBMED = 'https://pubmed.ncbi.nlm.nih.gov/?term=endometriosis&sort=date&size=100';
// Two PubMed records as PubMed-derived RIS carries them: the PMID as accession number (AN) of
// database PubMed (DB). The first title is a retitle of the first result (9 of its 11 content
// words); the second is another paper's title under the second result's PMID.
const RIS = [
  'TY  - JOUR',
  "TI  - Living With Endometriosis: A Thematic Analysis of Women's Experiences With Irish Healthcare Services",
  'AU  - Lightbourne, A',
  'AN  - 37988744',
  'DB  - PubMed',
  'ER  - ',
  '',
  'TY  - JOUR',
  'TI  - Transformers for Triage of Clinical Notes in Emergency Departments',
  'AN  - 37987824',
  'DB  - PubMed',
  'ER  - ',
  '',
].join('\r\n');

const ext = await launchChromium();
const t0 = Date.now();
try {
  const served = await serveFixtures(ext.context, fixtures.map((f) => ({ file: f.file, url: f.url })));
  const page = await ext.context.newPage();

  // The RIS file, imported through the library page's dialog once the seed corpus is in.
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 30000, what: 'seed corpus installed' });
  await page.goto(ext.extensionUrl('library.html#view=exchange'));
  const dialog = page.locator('[data-shelfmark-import]');
  await dialog.waitFor({ timeout: 20000 });
  await dialog.getByLabel('File').setInputFiles({ name: 'pubmed.ris', mimeType: 'application/x-research-info-systems', buffer: Buffer.from(RIS) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  const report = dialog.locator('.import-result');
  await report.waitFor({ timeout: 20000 });
  assert.equal(Number(await report.locator('[data-count="new"]').textContent()), 2, `import report: ${await report.textContent()}`);
  const stored = (await readStores(ext, ['papers'])).papers.filter((p) => p.pmid);
  assert.deepEqual(stored.map((p) => p.pmid).toSorted(), ['37987824', '37988744'], 'the imported papers hold their PMIDs');

  /** Marks on the page once they stop changing (or none after QUIET_MS). */
  async function marksOn(url) {
    await page.goto(url, { waitUntil: 'load' });
    const start = Date.now();
    let last = -1;
    let since = Date.now();
    for (;;) {
      const n = await page.evaluate(() => document.querySelectorAll('[data-shelfmark-entry]').length);
      if (n !== last) {
        last = n;
        since = Date.now();
      } else if (Date.now() - since > (n ? 600 : QUIET_MS) || Date.now() - start > 20000) {
        return n;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const results = [];
  for (const f of fixtures) results.push({ ...f, marks: await marksOn(f.url) });
  for (const r of results) console.log(`hosts e2e: ${String(r.marks).padStart(4)} marked  ${r.site.padEnd(14)} ${r.url}`);

  // Every supported site has at least one captured page the script ran on.
  for (const site of new Set(supported.map((f) => f.site))) {
    const marked = results.filter((r) => r.site === site && r.marks > 0);
    assert.ok(marked.length > 0, `${site}: the listing script ran on its pages (${results.filter((r) => r.site === site).map((r) => r.url).join(', ')})`);
  }
  // Google Scholar's country domains are named one by one in the manifest: check three of them.
  for (const host of ['scholar.google.com', 'scholar.google.ca', 'scholar.google.co.jp']) {
    assert.ok(
      results.some((r) => new URL(r.url).hostname === host && r.marks > 0),
      `Scholar on ${host} is marked`,
    );
  }
  // The proceedings and PubMed pages: every entry of each is marked (the counts the unit tests
  // assert on the same captures), on each of their hosts.
  const FULL = {
    'https://proceedings.neurips.cc/paper_files/paper/2023': 3540,
    'https://proceedings.neurips.cc/paper_files/paper/2014': 411,
    'https://proceedings.neurips.cc/paper_files/paper/2025': 597,
    'https://papers.nips.cc/paper_files/paper/2014': 411,
    'https://proceedings.iclr.cc/paper_files/paper/2024': 2260,
    'https://proceedings.mlr.press/v202/': 1828,
    'https://proceedings.mlr.press/v32/': 310,
    'https://openaccess.thecvf.com/CVPR2020.py?day=2020-06-16': 483,
    'https://ojs.aaai.org/index.php/AAAI/issue/view/683': 94,
    'https://ojs.aaai.org/index.php/AAAI/issue/view/576': 75,
    'https://pubmed.ncbi.nlm.nih.gov/?term=endometriosis&sort=date&size=100': 2,
    'https://openreview.net/group?id=ICLR.cc/2020/Conference': 48,
  };
  for (const [url, n] of Object.entries(FULL)) {
    const r = results.find((x) => x.url === url);
    assert.ok(r, `${url}: a fixture is served there`);
    assert.equal(r.marks, n, `${url}: every entry marked`);
  }
  // The PubMed page: the result whose PMID a corpus paper holds under a retitle is a match; the
  // one whose PMID a paper holds under another paper's title is only a maybe.
  await page.goto(PUBMED, { waitUntil: 'load' });
  const statuses = () => page.evaluate(() => [...document.querySelectorAll('[data-shelfmark-entry]')].map((e) => e.getAttribute('data-shelfmark-entry')));
  await poll(async () => (await statuses()).join() === 'match,maybe', { what: 'PubMed statuses match,maybe' });
  const pmids = await page.evaluate(() => [...document.querySelectorAll('[data-shelfmark-entry] .docsum-pmid')].map((e) => e.textContent));
  assert.deepEqual(pmids, ['37988744', '37987824'], 'the marked entries are the two results, in page order');

  // Pages of sites the user has not enabled: nothing runs there.
  for (const r of results.filter((x) => x.site === 'generic')) {
    assert.equal(r.marks, 0, `${r.url}: nothing runs on a site the user has not enabled`);
  }
  // Nothing left the machine: only the fixtures were served, every other request was aborted.
  assert.ok(served.served.every((u) => fixtures.some((f) => f.url === u)));

  const marked = results.filter((r) => r.marks > 0).length;
  console.log(
    `hosts e2e: PASS ${marked}/${supported.length} supported-site pages marked, ${others.length} other-site pages untouched, ` +
      `${served.blocked.length} outside requests aborted, ${Date.now() - t0} ms`,
  );
} finally {
  await ext.close();
}
