#!/usr/bin/env node
// `npm run demo`: build Shelfmark for Chrome and Firefox (unpacked and zipped), start the user's
// Chromium or Chrome with the extension, open the bundled real listing pages (tests/fixtures/sites)
// under their real URLs, print per page how many entries were recognized and how many are in the
// corpus. Then, on the Hugging Face daily page and through the real UI only (badge menus driven by
// click and keyboard, as a user would), add 3 papers, tag one, put one on a reading list, reload and
// show them marked with their tag and list. Screenshots of the page before and after, the popup for
// that tab and the library's list go to ./demo-output/.
//
// With a display ($DISPLAY, or macOS) the browser stays open for you to try; without one it runs
// headless and exits.
//
//   npm run demo [-- --no-build] [-- --headless]
//   CHROME_PATH=/path/to/chrome npm run demo
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = new Set(process.argv.slice(2));
const outDir = resolve(process.env.SHELFMARK_OUT_DIR ?? join(root, '.output'));
const shotsDir = join(root, 'demo-output');
let interactive =
  !argv.has('--headless') && !process.env.CI && (Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform === 'darwin');

const say = (msg = '') => console.log(msg);
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---- 1. find a browser first: no point building for a machine that cannot show the demo ----
/** CHROME_PATH, then the usual install paths of Chromium and Chrome on Linux and macOS. */
const macApp = (app, exe) => [`/Applications/${app}/Contents/MacOS/${exe}`, join(homedir(), 'Applications', app, 'Contents/MacOS', exe)];

function findBrowser() {
  // An explicit CHROME_PATH is what the user wants: no silent fallback to another browser.
  if (process.env.CHROME_PATH) return existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : undefined;
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    ...macApp('Chromium.app', 'Chromium'),
    ...macApp('Google Chrome.app', 'Google Chrome'),
  ].filter(Boolean);
  return candidates.find((p) => existsSync(p));
}

const executablePath = findBrowser();
if (!executablePath) {
  if (process.env.CHROME_PATH) console.error(`CHROME_PATH=${process.env.CHROME_PATH} does not exist.`);
  console.error(`No Chromium or Chrome found. The demo needs one of them:
  Debian/Ubuntu:  sudo apt-get install chromium        (Ubuntu: sudo snap install chromium)
  Fedora:         sudo dnf install chromium
  macOS:          brew install --cask chromium         (or install Google Chrome)
  elsewhere:      install Chrome, then run  CHROME_PATH=/path/to/chrome npm run demo`);
  process.exit(1);
}
const version = spawnSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 15000 }).stdout?.trim() ?? '';
// Branded Chrome ignores --load-extension since Chrome 137; Chromium still honours it. The
// DevTools-protocol route (Extensions.loadUnpacked) works in both, so it is tried first.
const branded = /google chrome/i.test(version) || /google[-_ ]chrome|\/opt\/google\//i.test(executablePath);
say(`Browser: ${version || executablePath} (${executablePath})`);

// ---- 2. build: unpacked + zipped, Chrome MV3 and Firefox MV2 -------------------------------
const wxt = join(root, 'node_modules', '.bin', 'wxt');
if (!argv.has('--no-build')) {
  if (!existsSync(wxt)) {
    console.error('node_modules is missing: run `npm ci` first.');
    process.exit(1);
  }
  for (const target of [[], ['-b', 'firefox']]) {
    const tb = Date.now();
    const r = spawnSync(wxt, ['zip', ...target], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      console.error(`Build failed: wxt zip ${target.join(' ')}`);
      process.exit(1);
    }
    say(`Built ${target.length ? 'Firefox' : 'Chrome'} in ${secs(Date.now() - tb)}`);
  }
}
const chromeExt = join(outDir, 'chrome-mv3');
if (!existsSync(join(chromeExt, 'manifest.json'))) {
  console.error(`No Chrome build in ${chromeExt}: run without --no-build.`);
  process.exit(1);
}
const zips = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.zip')).toSorted() : [];
say(`Packages in ${relative(root, outDir) || '.'}/: chrome-mv3/, firefox-mv2/${zips.length ? ', ' + zips.join(', ') : ''}`);

// ---- 3. the bundled real listing pages ----------------------------------------------------
/** { site, file, url } for each fixture whose first line names the URL it was captured from. */
function loadFixtures() {
  const base = join(root, 'tests', 'fixtures', 'sites');
  const pages = [];
  for (const site of existsSync(base) ? readdirSync(base).toSorted() : []) {
    // The generic fallback runs only on sites the user enabled; the demo shows the built-in ones.
    if (site === 'generic') continue;
    const dir = join(base, site);
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.html')).toSorted();
    } catch {
      continue;
    }
    for (const f of files) {
      const head = readFileSync(join(dir, f), 'utf8').slice(0, 4000);
      const m = /<!--\s*shelfmark-fixture\s+url="([^"]+)"/.exec(head.split('\n')[0] ?? '');
      if (!m) continue;
      pages.push({ site, file: join(dir, f), url: new URL(m[1].replace(/&amp;/g, '&')).href });
    }
  }
  return pages;
}
const fixtures = loadFixtures();
if (!fixtures.length) {
  console.error('No listing pages found under tests/fixtures/sites/.');
  process.exit(1);
}

/** Entry counts by status once the content script's marks stop changing (it marks asynchronously, after a round trip to the background). */
async function settle(p) {
  const tp = Date.now();
  let last = '';
  let stableSince = Date.now();
  let counts = { entries: 0, match: 0, maybe: 0, none: 0, badges: 0 };
  while (Date.now() - tp < 10000) {
    counts = await p.evaluate(() => {
      const c = { entries: 0, match: 0, maybe: 0, none: 0, badges: 0 };
      for (const el of document.querySelectorAll('[data-shelfmark-entry]')) {
        c.entries++;
        // Badges are mounted in a later task than the statuses are set.
        if (el.querySelector('[data-shelfmark-host="badge"]')) c.badges++;
        const s = el.getAttribute('data-shelfmark-entry');
        if (s in c) c[s]++;
      }
      return c;
    });
    const key = JSON.stringify(counts);
    if (key !== last) {
      last = key;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > (counts.entries ? 700 : 1500)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return counts;
}

/** Each marked entry's status and the title its badge follows. */
const entryInfo = (p) =>
  p.evaluate(() =>
    [...document.querySelectorAll('[data-shelfmark-entry]')].map((el) => {
      const host = el.querySelector('[data-shelfmark-host="badge"]');
      return {
        status: el.getAttribute('data-shelfmark-entry'),
        title: (host?.previousElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      };
    }),
  );

/** Polls `fn` until it returns something truthy. */
const until = async (what, fn, timeout = 5000) => {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const short = (t) => (t.length > 60 ? `${t.slice(0, 59)}…` : t);

/** Brings the first corpus match (else the first marked entry) into view, a little below the top. */
function scrollToMarks(p) {
  return p.evaluate(() => {
    const el = document.querySelector('[data-shelfmark-entry="match"]') ?? document.querySelector('[data-shelfmark-entry]');
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -120);
  });
}

// ---- 4. start the browser with the extension ---------------------------------------------
const { chromium } = await import('playwright-core');
// The e2e tests' reader of badge names (accessibility tree), loaded once playwright-core is known to be installed.
const { triageDemo } = await import('./demo-triage.mjs');
const { badgeNames } = await import('../tests/e2e/lib/chromium.mjs');
const baseArgs = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-sync',
  '--disable-component-update',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-dev-shm-usage',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

async function launch(route) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'shelfmark-demo-'));
  const args = [...baseArgs, ...(interactive ? [] : ['--disable-gpu'])];
  const options =
    route === 'cdp'
      ? {
          args: [...args, '--enable-unsafe-extension-debugging'],
          // Playwright's default --disable-extensions would keep the loaded extension's worker from ever starting.
          ignoreDefaultArgs: ['--disable-extensions'],
        }
      : { args: [...args, `--disable-extensions-except=${chromeExt}`, `--load-extension=${chromeExt}`] };
  const cleanup = () => rmSync(userDataDir, { recursive: true, force: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: !interactive,
      viewport: interactive ? null : { width: 1280, height: 900 },
      ...options,
    });
  } catch (err) {
    cleanup();
    throw err;
  }
  try {
    let id;
    if (route === 'cdp') {
      const cdp = await context.browser().newBrowserCDPSession();
      ({ id } = await cdp.send('Extensions.loadUnpacked', { path: chromeExt }));
    }
    const worker =
      context.serviceWorkers().find((w) => !id || w.url().includes(id)) ??
      (await context.waitForEvent('serviceworker', { timeout: 10000 }));
    return { context, worker, extensionId: id ?? new URL(worker.url()).host, cleanup, route };
  } catch (err) {
    await context.close().catch(() => {});
    cleanup();
    throw Object.assign(new Error(`loading the extension via ${route} failed: ${err.message}`), { cause: err });
  }
}

const tl = Date.now();
/** CDP route first; the command-line route for older Chromium that lacks Extensions.loadUnpacked. */
async function launchAny() {
  try {
    return await launch('cdp');
  } catch (err) {
    // Only a failed loadUnpacked is worth the other route; a browser that cannot start is not.
    if (branded || !String(err.message).startsWith('loading the extension via')) throw err;
    say(`(${err.message.split('\n')[0]}; retrying with --load-extension)`);
    return launch('flag');
  }
}
let ext;
try {
  ext = await launchAny();
} catch (err) {
  if (!interactive) throw err;
  // $DISPLAY set but no usable display (a stale ssh forward, say): show the demo headless instead.
  say(`(no browser window: ${err.message.split('\n')[0]}; running headless)`);
  interactive = false;
  ext = await launchAny();
}
const { context, extensionId } = ext;
say(`Started ${interactive ? 'a browser window' : 'headless'} with Shelfmark (${extensionId}, loaded via ${ext.route === 'cdp' ? 'DevTools protocol' : '--load-extension'}) in ${secs(Date.now() - tl)}`);

let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  await context.close().catch(() => {});
  ext.cleanup();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));

try {
  // Fixture pages are served under their real URLs; everything else is aborted while the demo
  // runs, so nothing leaves the machine and the extension's real match patterns are exercised.
  const byUrl = new Map(fixtures.map((f) => [f.url, f]));
  let passThrough = false;
  // Only web requests: the extension's own pages and scripts (chrome-extension://) must load.
  await context.route((u) => u.protocol === 'http:' || u.protocol === 'https:', async (r) => {
    const url = r.request().url();
    const hit = byUrl.get(url);
    if (hit) await r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: readFileSync(hit.file) });
    else if (passThrough) await r.continue();
    else await r.abort('blockedbyclient');
  });

  // ---- 5. wait for the seed corpus ------------------------------------------------------
  const worker = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`)) ?? ext.worker;
  const corpusState = () =>
    worker().evaluate(
      () =>
        new Promise((res) => {
          const open = indexedDB.open('shelfmark');
          open.onupgradeneeded = () => open.transaction.abort();
          open.onerror = () => res({ papers: 0 });
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('papers')) return res({ papers: 0 });
            const tx = db.transaction(['papers', 'meta']);
            const out = { papers: 0 };
            tx.objectStore('papers').count().onsuccess = (e) => (out.papers = e.target.result);
            tx.objectStore('meta').get('corpus').onsuccess = (e) => (out.state = e.target.result?.value?.state);
            tx.oncomplete = () => {
              db.close();
              res(out);
            };
          };
        }),
    );
  const tc = Date.now();
  let corpus = { papers: 0 };
  while (Date.now() - tc < 30000) {
    corpus = await corpusState().catch(() => ({ papers: 0 }));
    if (corpus.state === 'complete') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  say(`Corpus: ${corpus.papers} papers indexed in IndexedDB${corpus.state === 'complete' ? '' : ' (import not reported complete)'} after ${secs(Date.now() - tc)}`);

  // ---- 6. the listing pages ---------------------------------------------------------------
  mkdirSync(shotsDir, { recursive: true });
  const page = context.pages()[0] ?? (await context.newPage());
  const rows = [];
  let best;
  for (const f of fixtures) {
    const tp = Date.now();
    await page.goto(f.url, { waitUntil: 'load' });
    const counts = await settle(page);
    const shot = join(shotsDir, `page-${f.site}-${f.file.split('/').pop().replace(/\.html$/, '')}.png`);
    await scrollToMarks(page);
    await page.screenshot({ path: shot });
    rows.push({ ...f, ...counts, ms: Date.now() - tp, shot });
    if (!best || counts.match > best.match || (counts.match === best.match && counts.entries > best.entries)) best = rows.at(-1);
  }

  say('');
  const w = Math.min(78, Math.max(...rows.map((r) => r.url.length)));
  say(`${'page'.padEnd(w)}  ${'site'.padEnd(12)} entries  in corpus  maybe`);
  for (const r of rows) {
    const url = r.url.length > w ? r.url.slice(0, w - 1) + '…' : r.url;
    say(`${url.padEnd(w)}  ${r.site.padEnd(12)} ${String(r.entries).padStart(7)}  ${String(r.match).padStart(9)}  ${String(r.maybe).padStart(5)}`);
  }
  const total = rows.reduce((a, r) => ({ entries: a.entries + r.entries, match: a.match + r.match, maybe: a.maybe + r.maybe }), { entries: 0, match: 0, maybe: 0 });
  say(`${'total'.padEnd(w)}  ${''.padEnd(12)} ${String(total.entries).padStart(7)}  ${String(total.match).padStart(9)}  ${String(total.maybe).padStart(5)}`);
  say('');

  // ---- 7. what a user does: add papers from a page, tag one, put one on a reading list -------
  // Through the real UI only: the production badges live in closed shadow roots, so the demo works
  // like a user (clicks where a badge is, types on the keyboard) and reads what the badges say from
  // the browser's accessibility tree, as a screen reader would.
  const hfRow = rows.find((r) => r.url === 'https://huggingface.co/papers') ?? best;
  const demoUrl = hfRow.url;
  const TAG = 'to-read';
  const LIST = 'Demo list';
  const ts = Date.now();
  const menuOpen = () => page.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]'));
  const closeMenu = async () => {
    // Esc first closes an open suggestion list, then the menu.
    for (let i = 0; i < 3 && (await menuOpen()); i++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(100);
    }
    if (await menuOpen()) throw new Error('the badge menu did not close on Esc');
  };
  /** A page-coordinates clip around the first `n` entries (the captured page has no stylesheet: entries are tall). */
  const entriesClip = (n) =>
    page.evaluate((count) => {
      const els = [...document.querySelectorAll('[data-shelfmark-entry]')].slice(0, count);
      const first = els[0].getBoundingClientRect();
      const lastBadge = els.at(-1).querySelector('[data-shelfmark-host="badge"]') ?? els.at(-1);
      const bottom = lastBadge.getBoundingClientRect().bottom;
      const y = Math.max(0, first.top + scrollY - 16);
      return { x: 0, y, width: 820, height: Math.ceil(bottom + scrollY + 24 - y) };
    }, n);

  say(`What a user does, on ${demoUrl} (the real page of ${hfRow.entries} papers):`);
  await page.goto(demoUrl, { waitUntil: 'load' });
  const before = await settle(page);
  say(`  1. opened the page: ${before.match} match / ${before.maybe} maybe / ${before.none} none`);
  await page.screenshot({ path: join(shotsDir, 'marked-page-before.png'), fullPage: true, clip: await entriesClip(4) });

  const entries = await entryInfo(page);
  const picks = entries.map((e, i) => ({ ...e, i })).filter((e) => e.status === 'none').slice(0, 3);
  if (picks.length < 3) throw new Error(`expected 3 unknown papers on ${demoUrl}, found ${picks.length}`);
  const entryLoc = (i) => page.locator('[data-shelfmark-entry]').nth(i);
  for (const [k, e] of picks.entries()) {
    const badge = entryLoc(e.i).locator('[data-shelfmark-host="badge"]');
    await badge.scrollIntoViewIfNeeded();
    await badge.click();
    await until('the badge menu', menuOpen);
    // A "none" entry's menu focuses "Add to library".
    await page.keyboard.press('Enter');
    await until(`"${e.title}" marked match`, async () => (await entryLoc(e.i).getAttribute('data-shelfmark-entry')) === 'match');
    // The menu re-renders for a match and focuses its tag field.
    await page.waitForTimeout(250);
    if (k === 0) {
      await page.keyboard.type(TAG);
      await page.keyboard.press('Enter');
      await until(`the tag "${TAG}" on the badge`, async () => (await badgeNames(context, page))[e.i]?.includes(`tags: ${TAG}`));
    } else if (k === 1) {
      // Tab from the tag field to the reading-list field; Enter creates the list with the paper on it.
      await page.keyboard.press('Tab');
      await page.keyboard.type(LIST);
      await page.keyboard.press('Enter');
      await until(`the list "${LIST}" on the badge`, async () => (await badgeNames(context, page))[e.i]?.includes(`lists: ${LIST}`));
    }
    await closeMenu();
  }
  say(`  2. added ${picks.length} papers from the page (badge → Add to library):`);
  for (const e of picks) say(`       + ${short(e.title)}`);
  say(`  3. tagged “${short(picks[0].title)}” with "${TAG}" (typed in the badge menu's tag field)`);
  say(`  4. put “${short(picks[1].title)}” on the reading list "${LIST}" (created from the badge menu)`);

  // A fresh load of the same page: the marks now come from the library.
  await page.reload({ waitUntil: 'load' });
  const after = await settle(page);
  await until('every badge mounted after the reload', async () => (await badgeNames(context, page)).length === after.entries);
  const names = await badgeNames(context, page);
  const afterEntries = await entryInfo(page);
  say(`  5. after reload: ${after.match} match / ${after.maybe} maybe / ${after.none} none`);
  for (const e of picks) {
    const label = names[e.i] ?? '';
    const extra = label.replace(/^Shelfmark: In your library;?\s*/, '').replace(/\.? Open menu$/, '').replace(/^Shelfmark: .*$/, '');
    say(`       ${afterEntries[e.i]?.status === 'match' ? '✓' : '✗'} ${afterEntries[e.i]?.status.padEnd(5)} ${short(e.title)}${extra ? `  [${extra}]` : ''}`);
  }
  const ok = picks.every((e) => afterEntries[e.i]?.status === 'match') && names[picks[0].i]?.includes(`tags: ${TAG}`) && names[picks[1].i]?.includes(`lists: ${LIST}`);
  if (!ok) throw new Error('after the reload the added papers, their tag or their list are not all on the badges');
  // A "maybe" needs a page whose title is a near miss of a corpus title; the demo does not invent one.
  if (!total.maybe) say(`  (no "maybe" to show: none of the bundled real pages has a near miss of a seed-corpus title, see the maybe column)`);
  say(`  steps done in ${secs(Date.now() - ts)}`);
  say('');

  // ---- 7. triage: suggestions from imported keywords, keyboard triage, seen after a reload ----
  await triageDemo({ context, extensionId, root, shotsDir, fixtures, say, until, worker });
  say('');

  // ---- 8. screenshots: the marked page after, the popup for that tab, the library's list ----
  await page.screenshot({ path: join(shotsDir, 'marked-page.png'), fullPage: true, clip: await entriesClip(4) });
  // The popup opened as a tab has no "current tab" of its own; it is pointed at the listing tab.
  const tabId = await worker().evaluate(
    async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id,
    demoUrl,
  );
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html${tabId === undefined ? '' : `?tab=${tabId}`}`);
  // Wait for the tab's papers, then open the tagged paper's tag and list editors, as a user would.
  await popup
    .waitForFunction(() => document.querySelector('li.sm-entry') || /No papers recognized/.test(document.body.innerText), null, { timeout: 10000 })
    .catch(() => {});
  const firstMatch = popup.locator('li.sm-entry[data-status="match"] button.sm-entry-title').first();
  if (await firstMatch.count()) {
    await firstMatch.click();
    await popup.waitForTimeout(300);
  }
  await popup.screenshot({ path: join(shotsDir, 'popup.png') });
  const library = await context.newPage();
  await library.setViewportSize({ width: 1280, height: 800 });
  await library.goto(`chrome-extension://${extensionId}/library.html#view=lists`);
  const listButton = library.locator('nav.sm-list-nav button.sm-nav-item', { hasText: LIST }).first();
  await listButton.waitFor({ timeout: 10000 });
  await listButton.click();
  await library.waitForTimeout(400);
  // One paper on the list: the top of the page holds all there is to see.
  await library.screenshot({ path: join(shotsDir, 'library.png'), clip: { x: 0, y: 0, width: 1280, height: 320 } });
  say(`Screenshots in ${relative(root, shotsDir)}/: marked-page-before.png and marked-page.png (${demoUrl} before and after), popup.png (that tab), library.png (the list "${LIST}"), triaged-page.png and popup-triage.png (triage on OpenReview), and page-*.png per listing`);

  if (interactive) {
    // Let the user browse: the bundled pages stay served under their real URLs, the rest of the web is reachable again.
    passThrough = true;
    // The popup was opened as a tab for the screenshot; the real one opens from the toolbar icon.
    await popup.close();
    await page.bringToFront();
    say(`
The browser stays open. Try the bundled pages (served locally under their real URLs), e.g.
  ${demoUrl}
or any supported site. The library: chrome-extension://${extensionId}/library.html
Close the browser window (or press Ctrl+C) to end the demo.`);
    await new Promise((r) => context.on('close', r));
    ext.cleanup();
    process.exit(0);
  }
  say(`Demo done in ${secs(Date.now() - t0)} (headless; set DISPLAY to keep the browser open).`);
  await shutdown(0);
} catch (err) {
  console.error('Demo failed:', err);
  await shutdown(1);
}
