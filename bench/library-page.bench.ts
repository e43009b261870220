/**
 * The library page with 100k papers, in real Chromium (Debian's /usr/bin/chromium, the built
 * extension loaded unpacked): how long the page takes to load the corpus and build its search
 * index, how long a search takes inside the page (the "· N ms" the page itself shows: search plus
 * filters) and from keystroke to painted results, how long a scroll to the middle of the list
 * takes to paint, and how many rows are in the DOM (virtualization).
 *
 * The papers (the seed corpus plus synthetic ones, every one with an abstract) are written
 * straight into the extension's IndexedDB from its own page, 5,000 per transaction.
 *
 * Env: BENCH_PAGE_SIZE (default 100000), SHELFMARK_CHROME_EXT (a built extension; otherwise
 * this bench builds one into node_modules/.cache), CHROMIUM_PATH.
 * Prints a table and one `BENCH_JSON ` line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { titleKey } from '../lib/model/normalize';
import { abstractWalk, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 100_000);

function extensionDir(): string {
  const given = process.env.SHELFMARK_CHROME_EXT;
  if (given) return resolve(given);
  const out = join(ROOT, 'node_modules', '.cache', 'shelfmark-bench', 'ext');
  console.log('building the extension for this bench…');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: ROOT, env: { ...process.env, SHELFMARK_OUT_DIR: out }, stdio: 'ignore' });
  return join(out, 'chrome-mv3');
}

function chromiumPath(): string {
  const p = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => x && existsSync(x));
  if (!p) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  return p;
}

// ---- the corpus --------------------------------------------------------------------------------
const seed = seedCorpus(readSeedFiles(ROOT));
const abstract = abstractWalk(seed, rng(5));
const titles = syntheticTitles(seed, [], SIZE, 21);
const now = Date.now();
const papers = titles.map((title, i) => ({
  id: `pbench${String(i).padStart(10, '0')}`,
  title,
  key: titleKey(title),
  abstract: abstract(),
  aliasKeys: [],
  provenance: [{ kind: 'import', source: 'bench.bib' }],
  origin: 'import',
  addedAt: now - i * 1000,
  updatedAt: now,
}));

// ---- the browser -----------------------------------------------------------------------------
const extDir = extensionDir();
const profile = mkdtempSync(join(tmpdir(), 'shelfmark-libbench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath(),
  headless: true,
  args: [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const result: Record<string, unknown> = { bench: 'library-page', papers: SIZE, loadAverage: +loadavg()[0]!.toFixed(1), cpus: cpus().length };
try {
  let [sw] = context.serviceWorkers();
  sw ??= await context.waitForEvent('serviceworker', { timeout: 15000 });
  const extUrl = (p: string) => `chrome-extension://${new URL(sw!.url()).host}/${p}`;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(extUrl('library.html'));
  // Wait for the seed corpus install (the page shows its count), then write the synthetic papers.
  await page.getByRole('banner').getByText(`${seed.length} papers`, { exact: true }).waitFor({ timeout: 60000 });
  const tWrite = Date.now();
  for (let i = 0; i < papers.length; i += 5000) {
    await page.evaluate(
      (chunk) =>
        new Promise<void>((res, rej) => {
          const open = indexedDB.open('shelfmark');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('papers', 'readwrite');
            for (const p of chunk) tx.objectStore('papers').put(p);
            tx.oncomplete = () => {
              open.result.close();
              res();
            };
            tx.onerror = () => rej(tx.error);
          };
        }),
      papers.slice(i, i + 5000),
    );
  }
  result.writeMs = Date.now() - tWrite;

  // Load: from navigation to the count shown (all papers read, index built, list rendered).
  await page.goto('about:blank');
  const tLoad = Date.now();
  await page.goto(extUrl('library.html'));
  const total = (SIZE + seed.length).toLocaleString('en-US');
  await page.getByRole('listbox', { name: 'Papers' }).waitFor({ timeout: 300000 });
  result.firstListMs = Date.now() - tLoad;
  await page.getByRole('banner').getByText(`${total} papers`, { exact: true }).waitFor({ timeout: 300000 });
  result.allPapersMs = Date.now() - tLoad;
  // The search field's status says "indexing n%" until the full-text index is ready.
  await page.waitForFunction(() => {
    const s = document.querySelector('.sm-search [role=status]')?.textContent ?? '';
    return s.length > 0 && !/indexing|loading/.test(s);
  }, null, { timeout: 600000, polling: 250 });
  result.indexedMs = Date.now() - tLoad;
  result.domRows = await page.locator('[role=listbox][aria-label=Papers] [role=option]').count();

  // Searches: the page's own figure (search + filters + sort) and keystroke-to-paint.
  const queries = ['offline reinforcement learning', 'diffusion policy', 'transformer', 'reward model', 'learning', 'robot manipulation benchmark', 'language', 'decis'];
  const rows: { query: string; pageMs: number; paintMs: number; results: string }[] = [];
  for (const q of queries) {
    const m = await page.evaluate(async (query) => {
      const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
      const t0 = performance.now();
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      const paint = performance.now() - t0;
      const summary = input.parentElement!.querySelector('[role=status]')!.textContent ?? '';
      return { paint, summary };
    }, q);
    const ms = /·\s*([\d.]+)\s*ms/.exec(m.summary);
    rows.push({ query: q, pageMs: ms ? Number(ms[1]) : NaN, paintMs: Math.round(m.paint * 10) / 10, results: m.summary.split('·')[0]!.trim() });
  }
  result.searches = rows;

  // Scroll to the middle of the whole list (clear the query first).
  await page.getByRole('searchbox').fill('');
  result.scrollPaintMs = await page.evaluate(async () => {
    const box = document.querySelector<HTMLElement>('[role=listbox][aria-label=Papers]')!;
    const t0 = performance.now();
    box.scrollTop = box.scrollHeight / 2;
    box.dispatchEvent(new Event('scroll'));
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return Math.round((performance.now() - t0) * 10) / 10;
  });
  result.domRowsAfterScroll = await page.locator('[role=listbox][aria-label=Papers] [role=option]').count();

  console.log(`library page with ${(SIZE + seed.length).toLocaleString()} papers (load average ${result.loadAverage} on ${result.cpus} CPUs)`);
  console.log(`  write ${result.writeMs} ms (raw IndexedDB, 5,000 per transaction)`);
  console.log(
    `  load: first rows shown after ${result.firstListMs} ms, every paper read after ${result.allPapersMs} ms, full-text index ready after ${result.indexedMs} ms (built in slices; the page stays usable); ${result.domRows} rows in the DOM`,
  );
  console.log('  query                           results          page_ms  keystroke_to_paint_ms');
  for (const x of rows) console.log(`  ${x.query.padEnd(31)} ${x.results.padEnd(16)} ${String(x.pageMs).padStart(7)}  ${String(x.paintMs).padStart(8)}`);
  console.log(`  scroll to the middle painted in ${result.scrollPaintMs} ms; ${result.domRowsAfterScroll} rows in the DOM`);
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
