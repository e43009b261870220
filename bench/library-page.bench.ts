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
 * Then the same for the popup on the same profile (painted, entries shown, corpus search ready, a
 * query answered). Every figure is the median of BENCH_PAGE_RUNS opens (default 5), printed next
 * to a floor measured in the same run: a bare IndexedDB read of the same records, a static page
 * painting the same rows. The first open (no persisted index yet) is reported on its own.
 *
 * Env: BENCH_PAGE_SIZE (default 100000), BENCH_PAGE_RUNS, SHELFMARK_CHROME_EXT (a built extension; otherwise
 * this bench builds one into node_modules/.cache), CHROMIUM_PATH.
 * Prints a table and one `BENCH_JSON ` line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { titleKey } from '../lib/model/normalize';
import { abstractWalk, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { untilTrue, storeCount } from './lib/idb-wait';
import { chromiumPath, extensionDir } from './lib/browser';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 100_000);

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
const extDir = extensionDir(ROOT);
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
  // Raw writes bypass Dexie's papers change journal: drop the search index the page persisted
  // for the seed corpus above, as if these papers had been there before (the page rebuilds it).
  // After the page's own persist delay, so a write it scheduled cannot land after the clear.
  await page.waitForTimeout(4000);
  await page.evaluate(
    () =>
      new Promise<void>((res, rej) => {
        const open = indexedDB.open('shelfmark');
        open.onsuccess = () => {
          const tx = open.result.transaction(['searchParts'], 'readwrite');
          tx.objectStore('searchParts').clear();
          tx.oncomplete = () => {
            open.result.close();
            res();
          };
          tx.onerror = () => rej(tx.error);
        };
      }),
  );

  const total = (SIZE + seed.length).toLocaleString('en-US');
  const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
  const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // The page marks 'shelfmark:search-ready' when its full-text index is usable.
  const markAt = (name: string) =>
    page.waitForFunction((n) => performance.getEntriesByName(n)[0]?.startTime, name, { timeout: 240000, polling: 20 }).then(async (h) => Math.round(Number(await h.jsonValue())));

  /** Page time (ms from navigation start) of the first animation frame with paper rows in the list. */
  const rowsPaintedAt = () =>
    page
      .waitForFunction(() => (document.querySelector('[role=listbox][aria-label=Papers] [role=option]') ? performance.now() : 0), null, { timeout: 300000, polling: 'raf' })
      .then(async (h) => Math.round(Number(await h.jsonValue())));

  /** One open of the library page: first rows, search ready, every paper read (ms from navigation start). */
  async function openLibrary(): Promise<{ firstRows: number; searchReady: number; allPapers: number }> {
    await page.goto('about:blank');
    await page.goto(extUrl('library.html'));
    const firstRows = await rowsPaintedAt();
    const searchReady = await markAt('shelfmark:search-ready');
    await page.getByRole('banner').getByText(`${total} papers`, { exact: true }).waitFor({ timeout: 300000 });
    const allPapers = Math.round(await page.evaluate(() => performance.now()));
    if (process.env.BENCH_PAGE_MARKS) {
      console.log(await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace('shelfmark:', '')} ${Math.round(m.startTime)}`).join(', ')));
    }
    return { firstRows, searchReady, allPapers };
  }

  // First open ever: no persisted index, so the page builds it from the papers and persists it.
  const cold = await openLibrary();
  await page.waitForFunction(() => {
    const s = document.querySelector('.sm-search [role=status]')?.textContent ?? '';
    return s.length > 0 && !/indexing|loading/.test(s);
  }, null, { timeout: 600000, polling: 250 });
  result.buildFirstOpenMs = cold.searchReady;
  // Let the persist finish (the page writes the parts right after the build).
  await untilTrue(async () => (await storeCount(page, 'searchParts')) > 0, 600000, 500);

  // Floors, in the same run: a bare IndexedDB read of what the page needs, with no app behind it.
  const floors = async () =>
    page.evaluate(
      () =>
        new Promise<{ getAllMs: number; first100Ms: number; partsMs: number }>((res, rej) => {
          const t0 = performance.now();
          const open = indexedDB.open('shelfmark');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['papers', 'searchParts']);
            const out = { getAllMs: 0, first100Ms: 0, partsMs: 0 };
            const byAdded = tx.objectStore('papers').index('addedAt').openCursor(null, 'prev');
            let n = 0;
            byAdded.onsuccess = () => {
              const c = byAdded.result;
              if (c && ++n < 100) c.continue();
              else {
                out.first100Ms = performance.now() - t0;
                const parts = tx.objectStore('searchParts').getAll();
                parts.onsuccess = () => {
                  out.partsMs = performance.now() - t0 - out.first100Ms;
                  const t1 = performance.now();
                  const all = tx.objectStore('papers').getAll();
                  all.onsuccess = () => {
                    out.getAllMs = performance.now() - t1;
                    db.close();
                    res(out);
                  };
                };
              }
            };
          };
        }),
    );
  const rowsHtml = Array.from({ length: 18 }, (_, i) => `<div role=option>${papers[i]!.title}</div>`).join('');
  const paintFloor = async () => {
    await page.goto('about:blank');
    await page.goto(`data:text/html,<div role=listbox aria-label=Papers>${encodeURIComponent(rowsHtml)}</div>`);
    return rowsPaintedAt();
  };

  const opens: { firstRows: number; searchReady: number; allPapers: number }[] = [];
  const floorRuns: { getAllMs: number; first100Ms: number; partsMs: number; paintMs: number }[] = [];
  // BENCH_PAGE_LIBRARY_RUNS: fewer library opens when only the popup's figures are wanted.
  const libraryRuns = Number(process.env.BENCH_PAGE_LIBRARY_RUNS ?? RUNS);
  for (let r = 0; r < libraryRuns; r++) {
    opens.push(await openLibrary());
    const f = await floors();
    floorRuns.push({ ...f, paintMs: await paintFloor() });
  }
  result.runs = RUNS;
  result.firstListMs = median(opens.map((o) => o.firstRows));
  result.searchReadyMs = median(opens.map((o) => o.searchReady));
  result.allPapersMs = median(opens.map((o) => o.allPapers));
  result.floor = {
    first100RowsReadMs: Math.round(median(floorRuns.map((f) => f.first100Ms))),
    searchPartsReadMs: Math.round(median(floorRuns.map((f) => f.partsMs))),
    getAllPapersMs: Math.round(median(floorRuns.map((f) => f.getAllMs))),
    paintStaticRowsMs: median(floorRuns.map((f) => f.paintMs)),
  };
  // Heap of the library page with every paper and the index loaded.
  await openLibrary();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  result.pageHeapMB = Math.round(heap.usedSize / 1048576);
  result.pageHeapPerPaperBytes = Math.round(heap.usedSize / (SIZE + seed.length));
  result.indexedMs = result.searchReadyMs;
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

  // ---- the duplicates view: it opens from the stored candidates (lib/dedupe/candidates.ts); the
  // first open finds none and starts the full scan in the worker, with progress in the view; later
  // opens show the stored candidates.
  if (process.env.BENCH_PAGE_DEDUPE !== '0') {
    const openDuplicates = async (): Promise<number> => {
      await page.goto('about:blank');
      await page.goto(extUrl('library.html#view=duplicates'));
      return page
        .waitForFunction(() => (document.querySelector('.sm-library') && !document.body.textContent?.includes('Looking for duplicates') ? performance.now() : 0), null, {
          timeout: 120_000,
          polling: 'raf',
        })
        .then(async (h) => Math.round(Number(await h.jsonValue())));
    };
    // The library page's own finder started scanning a few seconds after each open above: start
    // from no candidates, so the scan measured is one whole scan from the view.
    await page.goto('about:blank');
    await page.goto(extUrl('library.html#view=exchange'));
    await page.evaluate(
      () =>
        new Promise<void>((res, rej) => {
          const open = indexedDB.open('shelfmark');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(['duplicateCandidates', 'duplicateScan'], 'readwrite');
            tx.objectStore('duplicateCandidates').clear();
            tx.objectStore('duplicateScan').clear();
            tx.oncomplete = () => {
              open.result.close();
              res();
            };
            tx.onerror = () => rej(tx.error);
          };
        }),
    );
    const scanStarted = Date.now();
    const firstOpen = await openDuplicates();
    await untilTrue(() => page.evaluate(
      () =>
        new Promise<boolean>((res) => {
          const open = indexedDB.open('shelfmark');
          open.onsuccess = () => {
            const req = open.result.transaction('duplicateScan').objectStore('duplicateScan').get('scan');
            req.onsuccess = () => {
              open.result.close();
              res(req.result?.status === 'done');
            };
          };
        }),
    ), 1_800_000, 500);
    const fullScanMs = Date.now() - scanStarted;
    const reopen: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      reopen.push(await openDuplicates());
      if (process.env.BENCH_PAGE_MARKS) {
        console.log('duplicates: ' + (await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace('shelfmark:', '')} ${Math.round(m.startTime)}`).join(', '))));
      }
    }
    result.duplicates = {
      firstOpenMs: firstOpen,
      fullScanInWorkerMs: fullScanMs,
      reopenStoredMs: median(reopen),
      clustersShown: await page.locator('article').count(),
      floorGetAllPapersMs: (result.floor as Record<string, number>).getAllPapersMs,
    };
  }

  // ---- the popup, on the same profile: painted, search ready, a query answered -----------------
  const popupRuns: { painted: number; entries: number; searchReady: number; queryMs: number; loadStart: number; readMs: number; decodeMs: number; bareGetMs: number }[] = [];
  /** Page time of a mark the popup set (NaN when it set none). */
  const popupMark = (name: string) => popup.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, `shelfmark:${name}`);
  /**
   * Floor: a bare IndexedDB read, in the popup's page, of the records the popup reads for its
   * search (the meta, the index, the titles) in one transaction, with nothing done to them.
   */
  const bareGet = () =>
    popup.evaluate(
      () =>
        new Promise<number>((res, rej) => {
          const t0 = performance.now();
          const open = indexedDB.open('shelfmark');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('searchParts').objectStore('searchParts');
            let left = 3;
            for (const key of ['_meta', 'index', 'titles']) {
              const req = store.get(key);
              req.onsuccess = () => {
                if (--left > 0) return;
                open.result.close();
                res(performance.now() - t0);
              };
              req.onerror = () => rej(req.error);
            }
          };
        }),
    );
  // The library page closed first: its own corpus load would compete with the popup.
  await page.goto('about:blank');
  const popup = await context.newPage();
  for (let r = 0; r < RUNS; r++) {
    await popup.goto('about:blank');
    // No such tab: the popup asks the background for its entries and shows that there are none.
    await popup.goto(extUrl('popup.html?tab=987654'));
    await popup.getByRole('heading', { name: 'Shelfmark' }).waitFor({ timeout: 60000 });
    // The browser's own first-contentful-paint time (polling from here would add its own delay).
    const painted = Math.round(await popup.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.now()));
    const entries = await popup
      .waitForFunction(() => (document.body.textContent?.includes('Reading this tab') ? 0 : performance.now()), null, { timeout: 60000, polling: 'raf' })
      .then(async (h) => Math.round(Number(await h.jsonValue())));
    const searchReady = await popup
      .waitForFunction(() => performance.getEntriesByName('shelfmark:search-ready')[0]?.startTime, null, { timeout: 600000, polling: 20 })
      .then(async (h) => Math.round(Number(await h.jsonValue())));
    const queryMs = await popup.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
      const t0 = performance.now();
      input.value = 'offline reinforcement';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      return document.querySelector('[role=listbox][aria-label="Search results"]') ? Math.round((performance.now() - t0) * 10) / 10 : NaN;
    });
    if (process.env.BENCH_PAGE_MARKS) {
      console.log('popup: ' + (await popup.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace('shelfmark:', '')} ${Math.round(m.startTime)}`).join(', '))));
    }
    const loadStart = await popupMark('search-parts-read-start');
    const read = await popupMark('search-parts-read');
    const decoded = await popupMark('search-parts-decoded');
    popupRuns.push({ painted, entries, searchReady, queryMs, loadStart, readMs: read - loadStart, decodeMs: decoded - read, bareGetMs: await bareGet() });
  }
  const popupResult = {
    bench: 'popup',
    papers: SIZE,
    runs: RUNS,
    loadAverage: +loadavg()[0]!.toFixed(1),
    paintedMs: median(popupRuns.map((x) => x.painted)),
    entriesMs: median(popupRuns.map((x) => x.entries)),
    searchReadyMs: median(popupRuns.map((x) => x.searchReady)),
    queryToPaintMs: median(popupRuns.map((x) => x.queryMs)),
    floor: {
      paintStaticRowsMs: (result.floor as Record<string, number>).paintStaticRowsMs,
      searchPartsReadMs: (result.floor as Record<string, number>).searchPartsReadMs,
      /** A bare get of the popup's records from its page (meta, index, titles), no decoding. */
      bareGetMs: Math.round(median(popupRuns.map((x) => x.bareGetMs))),
      /** When the popup starts loading (after its first paint) plus that bare get: search ready with zero decoding. */
      searchReadyFloorMs: Math.round(median(popupRuns.map((x) => x.loadStart + x.bareGetMs))),
    },
    /** Where search-ready time goes: load start (page time), reading the records, using them (fromParts, titles). */
    searchLoad: {
      startMs: Math.round(median(popupRuns.map((x) => x.loadStart))),
      readMs: Math.round(median(popupRuns.map((x) => x.readMs))),
      decodeMs: +median(popupRuns.map((x) => x.decodeMs)).toFixed(1),
    },
    rebuildPerOpenMs: result.buildFirstOpenMs,
  };

  console.log(`library page with ${(SIZE + seed.length).toLocaleString()} papers (load average ${result.loadAverage} on ${result.cpus} CPUs)`);
  console.log(`  write ${result.writeMs} ms (raw IndexedDB, 5,000 per transaction)`);
  const fl = result.floor as Record<string, number>;
  console.log(`  first open (no persisted index yet): full-text index built and persisted, search ready after ${result.buildFirstOpenMs} ms`);
  console.log(`  opens (median of ${RUNS}; ms from navigation start)        figure   floor (same run)`);
  console.log(`    first rows shown                                    ${String(result.firstListMs).padStart(7)}   ${fl.paintStaticRowsMs} ms static page painting 18 rows; ${fl.first100RowsReadMs} ms bare read of the newest 100 rows`);
  console.log(`    full-text search ready                              ${String(result.searchReadyMs).padStart(7)}   ${fl.searchPartsReadMs} ms bare read of the persisted index parts`);
  console.log(`    every paper read                                    ${String(result.allPapersMs).padStart(7)}   ${fl.getAllPapersMs} ms bare getAll of papers`);
  console.log(`  page heap with ${(SIZE + seed.length).toLocaleString()} papers + index: ${result.pageHeapMB} MB (${result.pageHeapPerPaperBytes} bytes/paper); ${result.domRows} rows in the DOM`);
  console.log('  query                           results          page_ms  keystroke_to_paint_ms');
  for (const x of rows) console.log(`  ${x.query.padEnd(31)} ${x.results.padEnd(16)} ${String(x.pageMs).padStart(7)}  ${String(x.paintMs).padStart(8)}`);
  console.log(`  scroll to the middle painted in ${result.scrollPaintMs} ms; ${result.domRowsAfterScroll} rows in the DOM`);
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
  if (result.duplicates) {
    const d = result.duplicates as Record<string, number>;
    console.log(`duplicates view (ms from navigation start)                 figure   floor (same run)`);
    console.log(`    first open (no candidates yet: the scan starts)        ${String(d.firstOpenMs).padStart(7)}   ${d.floorGetAllPapersMs} ms bare getAll of papers`);
    console.log(`    full scan in the worker, checkpointed (wall clock)     ${String(d.fullScanInWorkerMs).padStart(7)}   ${d.floorGetAllPapersMs} ms bare getAll of papers`);
    console.log(`    reopen from stored candidates (median of ${RUNS})          ${String(d.reopenStoredMs).padStart(7)}   (${d.clustersShown} clusters on screen)`);
  }
  console.log(`popup with ${(SIZE + seed.length).toLocaleString()} papers (median of ${RUNS}; ms from navigation start)   figure   floor (same run)`);
  console.log(`    painted (heading)                                   ${String(popupResult.paintedMs).padStart(7)}   ${popupResult.floor.paintStaticRowsMs} ms static page`);
  console.log(`    the tab's entries shown                             ${String(popupResult.entriesMs).padStart(7)}`);
  console.log(`    corpus search ready                                 ${String(popupResult.searchReadyMs).padStart(7)}   ${popupResult.floor.searchReadyFloorMs} = load start + ${popupResult.floor.bareGetMs} ms bare get of the same records; rebuilding per open (before): ${popupResult.rebuildPerOpenMs} ms`);
  console.log(`      of which: load starts ${popupResult.searchLoad.startMs}, read ${popupResult.searchLoad.readMs} ms, decode ${popupResult.searchLoad.decodeMs} ms, then the journal`);
  console.log(`    query typed → results painted                       ${String(popupResult.queryToPaintMs).padStart(7)}`);
  console.log(`BENCH_JSON ${JSON.stringify(popupResult)}`);

} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
