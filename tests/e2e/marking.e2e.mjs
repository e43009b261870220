#!/usr/bin/env node
// End-to-end in real Chromium: the built extension marks the entries of real captured listing
// pages, served under their real URLs, against the seed corpus; a click on a badge opens the
// menu, typing a tag tags the paper (in IndexedDB and on the badge, in this tab and in another
// tab showing the same paper); "Add to library" on an unknown entry turns it into a match.
//
// The production build is tested: badges live in *closed* shadow roots, so this test works like
// a user — it clicks where the badge is, types on the keyboard, and reads what the badges say
// from the browser's accessibility tree (what a screen reader hears), not from their DOM.
//
//   node tests/e2e/marking.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variantPage } from '../fixtures/hostile/variants.mjs';
import { ROOT, badgeNames, fixtureUrl, idbCount, inServiceWorker, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';
import { bundleForPage } from './lib/page-code.mjs';

const SEED_PAPERS = 314;
const OPENREVIEW = join(ROOT, 'tests/fixtures/sites/openreview/venue.html'); // ICLR 2018, 996 entries, captured 2017-12-02
const HF_DAILY = join(ROOT, 'tests/fixtures/sites/huggingface/daily.html'); // HF daily papers of 2024-08-01, 13 entries
// The same page, payloads in the first three titles (made from the real capture by tests/fixtures/hostile/variants.mjs).
const HOSTILE_OPENREVIEW = { url: fixtureUrl(OPENREVIEW), body: variantPage('hostile/openreview-venue').html };
const OPENREVIEW_ENTRIES = 996;
const HF_ENTRIES = 13;
const TAG = 'e2e-tag';
const SECRET_TAG = 'private-tag-7f3a';
const HOSTILE_ENTRIES = 996;

/** An approximation of lib/model/normalize.ts titleKey, good enough for these fixtures' plain titles. */
const approxKey = (t) =>
  t
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Reads the whole seed corpus' title keys (and alias keys) from the extension's IndexedDB. */
async function corpusKeys(ext) {
  const keys = [];
  for (const p of (await readStores(ext, ['papers'])).papers) {
    if (p.mergedInto) continue;
    keys.push([p.key, p.id]);
    for (const a of p.aliasKeys ?? []) keys.push([a, p.id]);
  }
  return new Map(keys);
}

async function query(ext, storeArg, indexArg, valueArg) {
  return inServiceWorker(
    ext,
    ([storeName, indexName, key]) =>
      new Promise((res, rej) => {
        const open = indexedDB.open('shelfmark');
        open.onerror = () => rej(new Error(String(open.error)));
        open.onsuccess = () => {
          const os = open.result.transaction(storeName).objectStore(storeName);
          const req = indexName ? os.index(indexName).getAll(key) : os.getAll();
          req.onsuccess = () => {
            open.result.close();
            res(req.result);
          };
          req.onerror = () => rej(new Error(String(req.error)));
        };
      }),
    [storeArg, indexArg, valueArg],
  );
}

/** Each marked entry: its status and the title text the badge follows (the adapter's title element). */
function entriesOf(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-shelfmark-entry]')].map((root) => {
      const host = root.querySelector('[data-shelfmark-host="badge"]');
      return {
        status: root.getAttribute('data-shelfmark-entry'),
        title: (host?.previousElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        hasBadge: !!host,
        // A closed shadow root: the page sees the host element, never what is inside.
        pageSeesInside: host ? host.shadowRoot !== null || host.textContent !== '' : null,
      };
    }),
  );
}

async function toolbarCount(ext, urlPattern) {
  return inServiceWorker(
    ext,
    async (pattern) => {
      const [tab] = await chrome.tabs.query({ url: pattern });
      return tab ? chrome.action.getBadgeText({ tabId: tab.id }) : null;
    },
    urlPattern,
  );
}

const ext = await launchChromium();
const t0 = Date.now();
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= SEED_PAPERS, {
    timeout: 60000,
    what: 'the seed corpus in IndexedDB',
  });
  const keys = await corpusKeys(ext);
  const server = await serveFixtures(ext.context, [OPENREVIEW, HF_DAILY]);

  // 1. A real OpenReview venue page: every entry marked, the right status for each.
  const page = await ext.context.newPage();
  const tGoto = Date.now();
  await page.goto(fixtureUrl(OPENREVIEW), { waitUntil: 'domcontentloaded' });
  await poll(async () => (await entriesOf(page)).filter((e) => e.hasBadge).length === OPENREVIEW_ENTRIES, {
    timeout: 30000,
    what: `${OPENREVIEW_ENTRIES} marked OpenReview entries with badges`,
  });
  const markedMs = Date.now() - tGoto;
  let entries = await entriesOf(page);
  assert.equal(entries.length, OPENREVIEW_ENTRIES, 'every entry marked, nothing else');
  const wrong = entries.filter((e) => e.status !== (keys.has(approxKey(e.title)) ? 'match' : 'none'));
  assert.deepEqual(wrong, [], 'status = match exactly for the entries whose title is in the seed corpus');
  const matches = entries.filter((e) => e.status === 'match');
  assert.equal(matches.length, 1);
  assert.match(matches[0].title, /^N2N learning: Network to Network Compression/);
  assert.ok(entries.every((e) => e.pageSeesInside === false), 'badge shadow roots are closed to the page');
  assert.equal(await poll(() => toolbarCount(ext, 'https://openreview.net/*'), { what: 'toolbar count' }), '1');

  // A second tab on the same page, to see changes made in the first one arrive there.
  const page2 = await ext.context.newPage();
  await page2.goto(fixtureUrl(OPENREVIEW), { waitUntil: 'domcontentloaded' });
  await poll(async () => (await entriesOf(page2)).filter((e) => e.status === 'match' && e.hasBadge).length === 1, {
    what: 'the second tab marked',
  });

  // 2. Click the badge of the match (by position, as a user), type a tag, Enter.
  await page.bringToFront();
  const badge = page.locator('[data-shelfmark-entry="match"] [data-shelfmark-host="badge"]');
  await badge.scrollIntoViewIfNeeded();
  await badge.click();
  const menuOpen = () => page.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]'));
  await poll(menuOpen, { what: 'the badge menu' });
  // The menu focuses its tag field for a match: just type.
  await page.keyboard.type(TAG);
  await page.keyboard.press('Enter');
  const n2nId = keys.get(approxKey(matches[0].title));
  const tagged = await poll(async () => (await query(ext, 'paperTags', 'tag', TAG)).map((r) => r.paperId), {
    what: 'the tag in IndexedDB',
  }).then((ids) => ids);
  assert.deepEqual(tagged, [n2nId], 'the tag is stored on the matched paper');
  assert.equal((await query(ext, 'tags', null, null)).filter((t) => t.name === TAG).length, 1, 'tag row created');
  const named = (p) => badgeNames(ext.context, p).then((names) => names.filter((n) => n.includes(`tags: ${TAG}`)));
  assert.equal((await poll(() => named(page).then((n) => n.length && n), { what: 'the tag on the badge' })).length, 1);
  assert.equal(
    (await poll(() => named(page2).then((n) => n.length && n), { what: 'the tag on the other tab’s badge' })).length,
    1,
  );
  // Esc closes the menu.
  await page.keyboard.press('Escape');
  await poll(async () => !(await menuOpen()), { what: 'the menu to close' });

  // 3. "Add to library" on an unknown entry: it becomes a match, in the database as a user paper.
  const target = entries.find((e) => e.status === 'none' && /^Fraternal Dropout$/.test(e.title));
  assert.ok(target, 'fixture has the "Fraternal Dropout" entry');
  const noneBadge = page
    .locator('[data-shelfmark-entry]')
    .filter({ hasText: 'Fraternal Dropout' })
    .locator('[data-shelfmark-host="badge"]');
  await noneBadge.scrollIntoViewIfNeeded();
  await noneBadge.click();
  await poll(menuOpen, { what: 'the menu of a none entry' });
  await page.keyboard.press('Enter'); // focus is on "Add to library"
  await poll(
    async () => (await entriesOf(page)).find((e) => e.title === 'Fraternal Dropout')?.status === 'match',
    { what: 'the added entry marked match' },
  );
  const added = await query(ext, 'papers', 'key', 'fraternaldropout');
  assert.equal(added.length, 1);
  assert.equal(added[0].origin, 'user');
  assert.deepEqual(added[0].provenance, [{ kind: 'page', source: fixtureUrl(OPENREVIEW) }]);
  assert.equal(await poll(async () => (await toolbarCount(ext, 'https://openreview.net/*')) === '2' && '2', { what: 'toolbar count 2' }), '2');

  // 4. Sightings were recorded for recognized entries only.
  const sightings = await poll(async () => {
    const rows = await query(ext, 'sightings', null, null);
    return rows.length >= 1 && rows;
  }, { what: 'sightings' });
  assert.ok(sightings.every((s) => s.paperId && s.host === 'openreview.net'), 'sightings point to corpus papers');

  // 5. Hugging Face daily papers (2024-08-01): none of its 13 papers is in the seed corpus.
  const hf = await ext.context.newPage();
  await hf.goto(fixtureUrl(HF_DAILY), { waitUntil: 'domcontentloaded' });
  await poll(async () => (await entriesOf(hf)).filter((e) => e.hasBadge).length === HF_ENTRIES, {
    what: `${HF_ENTRIES} marked Hugging Face entries`,
  });
  entries = await entriesOf(hf);
  assert.deepEqual(
    entries.filter((e) => e.status !== (keys.has(approxKey(e.title)) ? 'match' : 'none')),
    [],
    'Hugging Face statuses',
  );
  // No paper of the page in the corpus: no number on the toolbar icon.
  assert.equal(await toolbarCount(ext, 'https://huggingface.co/*'), '');

  // SPA navigation, as Hugging Face does it: the address changes by pushState and the list is
  // re-rendered. The old marks go, the new rows are marked, the toolbar count follows.
  await hf.evaluate((title) => {
    const arts = [...document.querySelectorAll('article')];
    const parent = arts[0].parentElement;
    const clone = arts[0].cloneNode(true);
    for (const n of clone.querySelectorAll('[data-shelfmark-host]')) n.remove();
    clone.removeAttribute('data-shelfmark-entry');
    const a = clone.querySelector('h3 a') ?? clone.querySelector('h3');
    a.textContent = title;
    for (const link of clone.querySelectorAll('a[href^="/papers/"]')) link.setAttribute('href', '/papers/1711.06798');
    history.pushState({}, '', '/papers?date=2024-08-02');
    for (const el of arts) el.remove();
    parent.append(clone);
  }, matches[0].title);
  await poll(
    async () => {
      const es = await entriesOf(hf);
      return es.length === 1 && es[0].status === 'match' && es[0].hasBadge;
    },
    { timeout: 15000, what: 'the re-rendered Hugging Face list marked after pushState' },
  );
  assert.equal(await poll(async () => (await toolbarCount(ext, 'https://huggingface.co/*')) === '1' && '1', { what: 'SPA toolbar count' }), '1');

  assert.ok(server.blocked.every((u) => !u.startsWith('chrome-extension://')), 'no extension request was blocked');

  // 6. A hostile page: the OpenReview capture with script payloads in titles, and a page script that
  //    pre-marks every row as "match" and looks for the user's tags in the DOM.
  await server.unroute();
  const hostileServer = await serveFixtures(ext.context, [HOSTILE_OPENREVIEW]);
  const evil = await ext.context.newPage();
  const dialogs = [];
  evil.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await evil.addInitScript(() => {
    // Spoof: claim every row is already marked, as early as rows appear.
    new MutationObserver(() => {
      for (const li of document.querySelectorAll('li.note:not([data-spoofed])')) {
        li.setAttribute('data-spoofed', '');
        li.setAttribute('data-shelfmark-entry', 'match');
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await evil.goto(HOSTILE_OPENREVIEW.url, { waitUntil: 'domcontentloaded' });
  await poll(async () => (await entriesOf(evil)).filter((e) => e.hasBadge).length === HOSTILE_ENTRIES, {
    timeout: 30000,
    what: `the ${HOSTILE_ENTRIES} hostile-page entries with badges`,
  });
  await evil.waitForTimeout(300);
  entries = await entriesOf(evil);
  const payloads = entries.filter((e) => /<(script|img|b )/i.test(e.title));
  assert.equal(payloads.length, 3, 'the payload titles are entries, shown as text');
  // The spoofed "match" on every row was replaced by the real statuses (the corpus now also holds
  // the paper added in step 3).
  const keysNow = await corpusKeys(ext);
  assert.deepEqual(
    entries.filter((e) => e.status !== (keysNow.has(approxKey(e.title)) ? 'match' : 'none')),
    [],
    'hostile page statuses',
  );
  const matchesBefore = entries.filter((e) => e.status === 'match').length;
  assert.ok(matchesBefore < 10, 'the spoofed statuses did not survive');
  // Add the <script> one to the library and tag it, by keyboard, as a user would.
  const scriptRow = evil.locator('[data-shelfmark-entry]').filter({ hasText: '<script>' }).locator('[data-shelfmark-host="badge"]');
  await scriptRow.click();
  await poll(() => evil.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]')), { what: 'hostile menu' });
  await evil.keyboard.press('Enter'); // Add to library
  await poll(async () => (await entriesOf(evil)).filter((e) => e.status === 'match').length === matchesBefore + 1, {
    what: 'the payload entry added',
  });
  await evil.waitForTimeout(200); // the menu re-renders as a match and focuses its tag field
  await evil.keyboard.type(SECRET_TAG);
  await evil.keyboard.press('Enter');
  const secretRows = await poll(async () => {
    const r = await query(ext, 'paperTags', 'tag', SECRET_TAG);
    return r.length && r;
  }, { what: 'the secret tag stored' });
  const [stored] = await query(ext, 'papers', null, null).then((ps) => ps.filter((p) => p.id === secretRows[0].paperId));
  assert.equal(stored.title, '<script>window.__shelfmarkPwned = 1</script>Attention Is All You Need', 'markup kept as text data');
  await poll(() => badgeNames(ext.context, evil).then((n) => n.some((x) => x.includes(`tags: ${SECRET_TAG}`))), {
    what: 'the secret tag on the badge (accessibility tree)',
  });
  const leak = await evil.evaluate(
    ([tag, pwnedFlag]) => ({
      pwned: window[pwnedFlag] ?? null,
      tagInDom: document.documentElement.outerHTML.includes(tag),
      openRoots: [...document.querySelectorAll('[data-shelfmark-host]')].filter((h) => h.shadowRoot).length,
      hostAttrs: [...new Set([...document.querySelectorAll('[data-shelfmark-host]')].flatMap((h) => h.getAttributeNames()))],
    }),
    // The variable the fixture's payloads would set if they ran.
    [SECRET_TAG, '__shelfmarkPwned'],
  );
  assert.equal(leak.pwned, null, 'no payload ran');
  assert.equal(leak.tagInDom, false, 'the tag is not readable from the page DOM');
  assert.equal(leak.openRoots, 0, 'every Shelfmark shadow root is closed');
  // Our host elements carry only their marker attribute (and the menu its position).
  assert.ok(leak.hostAttrs.every((a) => a === 'data-shelfmark-host' || a === 'style'), String(leak.hostAttrs));
  assert.deepEqual(dialogs, [], 'no payload ran');
  await evil.keyboard.press('Escape');

  // 7. "Maybe": the real OpenReview page with two titles changed by one word (and the N2N link's
  //    id changed, or the id it taught the corpus in step 1 would make it a sure match).
  //    Confirming one makes it a match (its title becomes an alias); rejecting the other makes it
  //    "none" and it is not proposed again.
  await hostileServer.unroute();
  const MAYBE_URL = 'https://openreview.net/group?id=ICLR.cc/2018/Conference&shelfmark=maybe';
  const CONFIRM_TITLE = 'N2N learning: Network to Network Compression via Policy Gradient Learning';
  const REJECT_TITLE = 'Pretraining the Vision Transformer using self-supervised methods for vision based Deep Imitation Learning';
  const maybeHtml = readFileSync(OPENREVIEW, 'utf8')
    .replace('N2N learning: Network to Network Compression via Policy Gradient Reinforcement Learning', CONFIRM_TITLE)
    .replaceAll('B1hcZZ-AW', 'Zmaybe0001')
    .replace('Tree2Tree Learning with Memory Unit', REJECT_TITLE);
  await serveFixtures(ext.context, [{ url: MAYBE_URL, body: maybeHtml }]);
  const mp = await ext.context.newPage();
  await mp.goto(MAYBE_URL, { waitUntil: 'domcontentloaded' });
  const maybes = await poll(
    async () => {
      const es = await entriesOf(mp);
      const m = es.filter((e) => e.status === 'maybe');
      return es.filter((e) => e.hasBadge).length === OPENREVIEW_ENTRIES && m;
    },
    { timeout: 30000, what: 'the maybe page marked' },
  );
  // The entry whose OpenReview id the hostile page's <script> title carried (added to the library
  // in step 6) shows its real title here: the same id under another paper's title is a maybe.
  const SAME_ID_TITLE = 'Improving Discriminator-Generator Balance in Generative Adversarial Networks';
  assert.deepEqual(
    maybes.map((e) => e.title).toSorted(),
    [CONFIRM_TITLE, REJECT_TITLE, SAME_ID_TITLE].toSorted(),
    `exactly the two changed titles are maybes; got ${JSON.stringify((await entriesOf(mp)).filter((e) => /N2N|Pretraining the Vision/.test(e.title)))}`,
  );
  const badgeOf = (title) => mp.locator('[data-shelfmark-entry]').filter({ hasText: title }).locator('[data-shelfmark-host="badge"]');
  const statusOf = async (title) => (await entriesOf(mp)).find((e) => e.title === title)?.status;
  // Confirm: the menu focuses "Yes, same paper".
  await badgeOf(CONFIRM_TITLE).click();
  await poll(() => mp.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]')), { what: 'maybe menu' });
  await mp.keyboard.press('Enter');
  await poll(async () => (await statusOf(CONFIRM_TITLE)) === 'match', { what: 'the confirmed maybe to become a match' });
  const [n2n] = await query(ext, 'papers', 'key', approxKey('N2N learning: Network to Network Compression via Policy Gradient Reinforcement Learning'));
  assert.ok(n2n.aliasKeys.includes(approxKey(CONFIRM_TITLE)), 'the listing title is an alias of the paper');
  // Its OpenReview id differs from the paper's (changed above), so the matcher alone would still
  // doubt: the confirmation is remembered and decides.
  const confirms = await query(ext, 'meta', null, null).then((rows) => rows.filter((r) => r.key === `confirm:${n2n.id}`));
  assert.deepEqual(confirms.map((r) => r.value), [[approxKey(CONFIRM_TITLE)]]);
  await mp.keyboard.press('Escape');
  // Reject: Tab from "Yes, same paper" to "No".
  await badgeOf(REJECT_TITLE).click();
  await poll(() => mp.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]')), { what: 'maybe menu 2' });
  await mp.keyboard.press('Tab');
  await mp.keyboard.press('Enter');
  await poll(async () => (await statusOf(REJECT_TITLE)) === 'none', { what: 'the rejected maybe to become none' });
  const rejections = await query(ext, 'meta', null, null).then((rows) => rows.filter((r) => r.key.startsWith('reject:')));
  assert.equal(rejections.length, 1);
  assert.deepEqual(rejections[0].value, [approxKey(REJECT_TITLE)]);
  // A reload proposes neither again as a maybe: one is a match now, the other stays none.
  await mp.reload({ waitUntil: 'domcontentloaded' });
  await poll(async () => (await entriesOf(mp)).filter((e) => e.hasBadge).length === OPENREVIEW_ENTRIES, { what: 'reload marked' });
  assert.equal(await statusOf(CONFIRM_TITLE), 'match');
  assert.equal(await statusOf(REJECT_TITLE), 'none');

  // 8. The service worker stops (MV3 does that when idle); then the library page tags the paper.
  //    The page's write wakes the worker (data-changed), which asks the open tab for its entries
  //    (it lost them) and pushes the new tag to its badge.
  const workerOrigin = () => inServiceWorker(ext, () => globalThis.shelfmarkDiagnostics().timeOrigin);
  const before = await workerOrigin();
  const cdp = await ext.context.newCDPSession(mp);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  await new Promise((r) => setTimeout(r, 500));
  const lib = await ext.context.newPage();
  await lib.goto(ext.extensionUrl('library.html'));
  await lib.evaluate(
    await bundleForPage("import { getDb } from './lib/storage/db'; import { addTag } from './lib/actions'; globalThis.ShelfmarkE2e = { getDb, addTag };"),
  );
  await lib.evaluate((id) => globalThis.ShelfmarkE2e.addTag(globalThis.ShelfmarkE2e.getDb(), [id], 'after-restart'), n2n.id);
  await poll(() => badgeNames(ext.context, mp).then((n) => n.some((x) => x.includes('after-restart'))), {
    timeout: 20000,
    what: 'the tag added while the worker was stopped on the open tab’s badge',
  });
  assert.notEqual(await workerOrigin(), before, 'a new service worker answered');

  console.log(
    `marking e2e: ok — ${OPENREVIEW_ENTRIES} OpenReview entries marked in ${markedMs} ms after navigation start (1 match), ` +
      `tag round trip, cross-tab update, add-to-library, ${HF_ENTRIES} HF entries, SPA navigation, hostile page, maybe confirm/reject, worker restart; total ${Date.now() - t0} ms`,
  );
} finally {
  await ext.close();
}
