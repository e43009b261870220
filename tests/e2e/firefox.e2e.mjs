#!/usr/bin/env node
// End-to-end in real Firefox ESR (WebDriver BiDi, puppeteer-core): the built firefox-mv2
// extension installed as a temporary add-on, the seed corpus indexed in its IndexedDB.
//
//   node tests/e2e/firefox.e2e.mjs [--ext <dir>]     (default: $SHELFMARK_FIREFOX_EXT or .output/firefox-mv2)
//
// Exits non-zero on the first failed check; prints the step timings (ms) as one JSON line.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countStore, launchFirefox, loadSiteFixtures, poll, readPageStores, serveFixtures, timer } from './lib/firefox.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argExt = process.argv.indexOf('--ext');
const extDir = resolve(
  argExt > 0 ? process.argv[argExt + 1] : (process.env.SHELFMARK_FIREFOX_EXT ?? join(root, '.output', 'firefox-mv2')),
);

/** Distinct papers in the five seed dumps (401 entries; see lib/corpus/corpus.ts and its tests). */
const SEED_PAPERS = 314;
/** A real listing page with a seed-corpus paper on it; its entry count is asserted by tests/sites/openreview.test.ts. */
const LISTING = { url: 'https://openreview.net/group?id=ICLR.cc/2018/Conference', entries: 996 };
/** A page outside the supported sites, for the per-site opt-in (generic adapter: citation_* meta tags). */
const GENERIC = { url: 'https://peerj.com/articles/4886/', pattern: 'https://peerj.com/*' };
/** How long a page gets to show marks before "not marked" is concluded. */
const GENERIC_WAIT_MS = 2500;
const TAG = 'read-in-firefox';

export async function runFirefoxE2e({ ext = extDir, log = console.log } = {}) {
  if (!existsSync(join(ext, 'manifest.json'))) throw new Error(`No Firefox build at ${ext}: run npm run build first`);
  const t = timer();
  const ff = await launchFirefox({ extDir: ext });
  try {
    t.mark('launch+install');
    assert.equal(ff.addonId, 'shelfmark@shelfmark.dev');
    log(`firefox e2e: installed ${ff.addonId} from ${ext}`);

    // 1. The seed corpus lands in the extension's IndexedDB on install (background import).
    const lib = await ff.openExtensionPage('library.html');
    t.mark('extension page');
    const counted = await poll(
      async () => {
        const c = await countStore(lib, 'shelfmark', 'papers');
        return c.count >= SEED_PAPERS ? c : undefined;
      },
      { timeout: 30000, interval: 150 },
    );
    const final = await countStore(lib, 'shelfmark', 'papers');
    assert.equal(final.count, SEED_PAPERS, `papers in IndexedDB: ${JSON.stringify(final)}`);
    assert.ok(counted, 'corpus indexed');
    t.mark('corpus indexed');
    const sample = (await readPageStores(lib, ['papers'])).papers
      .slice(0, 5)
      .map((p) => ({ id: p.id, title: p.title, origin: p.origin, kind: p.provenance?.[0]?.kind }));
    assert.equal(sample.length, 5);
    for (const p of sample) {
      assert.match(p.id, /^p[0-9a-f]{16}$/, `paper id ${p.id}`);
      assert.ok(p.title && p.title.length > 5, `paper title ${JSON.stringify(p.title)}`);
      assert.equal(p.origin, 'seed');
      assert.equal(p.kind, 'seed');
    }
    log(`firefox e2e: ${final.count} papers indexed (IDB version ${final.version}); e.g. "${sample[0].title}"`);

    // 2. A real listing page, served under its real URL (BiDi request interception; every other
    //    request aborted), is marked by the content script: every entry gets data-shelfmark-entry,
    //    and the paper that is in the seed corpus is marked `match`.
    const fixture = loadSiteFixtures(root).find((f) => f.url === LISTING.url);
    assert.ok(fixture, `fixture ${LISTING.url} present`);
    const page = await ff.browser.newPage();
    const aborted = await serveFixtures(page, new Map([[fixture.url, fixture.html]]));
    t.mark('fixture routing');
    await page.goto(fixture.url, { waitUntil: 'load' });
    const marks = await poll(
      async () => {
        const c = await page.evaluate(() => {
          const out = { entries: 0, match: 0, maybe: 0, none: 0, matched: [] };
          for (const el of document.querySelectorAll('[data-shelfmark-entry]')) {
            out.entries++;
            const s = el.getAttribute('data-shelfmark-entry');
            if (s in out) out[s]++;
            if (s === 'match') out.matched.push(el.textContent.replace(/\s+/g, ' ').trim().slice(0, 300));
          }
          return out;
        });
        return c.entries === LISTING.entries && c.match + c.maybe + c.none === c.entries && c.match >= 1 ? c : undefined;
      },
      { timeout: 20000, interval: 100 },
    );
    const seen = marks ?? (await page.evaluate(() => document.querySelectorAll('[data-shelfmark-entry]').length));
    assert.ok(marks, `all ${LISTING.entries} entries marked with a status, one or more in the corpus: ${JSON.stringify(seen)}`);
    t.mark('listing marked');
    assert.equal(page.url(), fixture.url, 'served under its real URL');
    assert.ok(!aborted.includes(fixture.url));
    // The `match` entry really is a corpus paper: its title is in the extension's database.
    const corpusTitles = (await readPageStores(lib, ['papers'])).papers.map((p) =>
      p.title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim(),
    );
    for (const text of marks.matched) {
      const norm = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      assert.ok(corpusTitles.some((title) => norm.includes(title)), `matched entry "${text.slice(0, 80)}" is a corpus paper`);
    }
    log(`firefox e2e: ${fixture.url}: ${marks.entries} entries marked (${marks.match} match, ${marks.maybe} maybe, ${marks.none} none); match: "${marks.matched[0].slice(0, 90)}"`);

    // 3. A paper tagged from the popup (opened as a page for the listing's tab: `?tab=<id>`):
    //    the tag lands in IndexedDB on the right corpus paper and shows in the popup.
    const tabId = await lib.evaluate(
      async (url) => (await browser.tabs.query({})).find((tab) => tab.url === url)?.id,
      fixture.url,
    );
    assert.ok(Number.isInteger(tabId), `tab id of the listing (${tabId})`);
    const popup = await ff.openExtensionPage(`popup.html?tab=${tabId}`);
    const matchRow = 'li.sm-entry[data-status="match"]';
    await popup.waitForSelector(`${matchRow} button.sm-entry-title`, { timeout: 20000 });
    t.mark('popup lists the tab');
    const popupCounts = await popup.evaluate(() => ({
      match: document.querySelectorAll('li.sm-entry[data-status="match"]').length,
      all: document.querySelectorAll('li.sm-entry').length,
    }));
    assert.deepEqual(popupCounts, { match: marks.match, all: marks.entries }, 'the popup lists what the page shows');
    await popup.click(`${matchRow} button.sm-entry-title`);
    const tagInput = `${matchRow} input[placeholder="Add a tag…"]`;
    await popup.waitForSelector(tagInput, { timeout: 10000 });
    await popup.type(tagInput, TAG);
    await popup.keyboard.press('Enter');
    const chip = await poll(
      () =>
        popup.evaluate(
          (sel, tag) => [...document.querySelectorAll(`${sel} .sm-entry-meta .sm-chip`)].some((c) => c.textContent.trim() === tag),
          matchRow,
          TAG,
        ),
      { timeout: 10000, interval: 100 },
    );
    assert.ok(chip, 'the tag shows on the paper in the popup');
    const stored = await readPageStores(lib, ['paperTags', 'papers']);
    const tagRows = stored.paperTags.filter((r) => r.tag === TAG);
    const tagged = { rows: tagRows, title: stored.papers.find((p) => p.id === tagRows[0]?.paperId)?.title };
    assert.equal(tagged.rows.length, 1, `one paperTags row for "${TAG}": ${JSON.stringify(tagged)}`);
    assert.ok(
      marks.matched[0].toLowerCase().includes(tagged.title.toLowerCase()),
      `the tagged paper ("${tagged.title}") is the matched entry`,
    );
    t.mark('tagged from the popup');
    log(`firefox e2e: tagged "${tagged.title}" with "${TAG}" from the popup (in IndexedDB and shown in the popup)`);
    await popup.close();

    // 4. Least privilege: on a site outside the supported list nothing runs until the user enables
    //    it; after the grant (an optional host permission, asked from a click) the background
    //    registers the listing script there (lib/sites/permissions.ts), and revoking it stops it again.
    const generic = loadSiteFixtures(root).find((f) => f.url === GENERIC.url);
    assert.ok(generic, `fixture ${GENERIC.url} present`);
    const other = await ff.browser.newPage();
    await serveFixtures(other, new Map([[generic.url, generic.html]]));
    const markedOn = async (p) => {
      await p.goto(generic.url, { waitUntil: 'load' });
      return poll(() => p.evaluate(() => document.querySelectorAll('[data-shelfmark-entry]').length), {
        timeout: GENERIC_WAIT_MS,
        interval: 100,
      });
    };
    assert.equal(await markedOn(other), 0, 'nothing runs on a site the user has not enabled');
    t.mark('generic site untouched');
    // permissions.request needs a user gesture: a real click (BiDi input) on an extension page.
    await lib.evaluate((origin) => {
      const b = document.createElement('button');
      b.id = 'e2e-grant';
      b.textContent = 'Enable on this site';
      b.style.cssText = 'position:fixed;top:0;left:0;z-index:2147483647;width:200px;height:40px';
      b.onclick = () => {
        browser.permissions.request({ origins: [origin] }).then((ok) => (b.dataset.granted = String(ok)));
      };
      document.body.append(b);
    }, GENERIC.pattern);
    await lib.click('#e2e-grant');
    await lib.waitForSelector('#e2e-grant[data-granted="true"]', { timeout: 10000 });
    // The page already open on that site is marked at once (the background injects the script)…
    const countMarks = () => other.evaluate(() => document.querySelectorAll('[data-shelfmark-entry]').length);
    const injected = await poll(async () => (await countMarks()) >= 1, { timeout: 15000, interval: 100 });
    assert.ok(injected, 'the open page is marked as soon as the user enabled the site');
    t.mark('generic site enabled (open tab)');
    // …and every later visit, through the registered content script.
    const registered = await poll(async () => (await markedOn(other)) >= 1, { timeout: 15000, interval: 300 });
    assert.ok(registered, 'the listing script runs on the site once the user enabled it');
    t.mark('generic site enabled (reload)');
    await lib.evaluate((origin) => browser.permissions.remove({ origins: [origin] }), GENERIC.pattern);
    const stopped = await poll(async () => (await markedOn(other)) === 0, { timeout: 15000, interval: 300 });
    assert.ok(stopped, 'revoking the site stops the script there');
    t.mark('generic site revoked');
    log(`firefox e2e: ${GENERIC.url}: not marked before the grant, marked right after it (open tab) and on reload, not after revoking`);
    await other.close();

    await lib.close();

    return { steps: t.steps, total: t.total() };
  } finally {
    await ff.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runFirefoxE2e()
    .then((r) => {
      console.log(`firefox e2e: PASS ${JSON.stringify(r)}`);
    })
    .catch((err) => {
      console.error('firefox e2e: FAIL', err);
      process.exitCode = 1;
    });
}
