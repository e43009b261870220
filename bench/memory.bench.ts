/**
 * Memory at scale, in real Chromium with the built extension: the background service worker's
 * heap with its match index loaded and the library page's heap with its corpus store and
 * full-text search index loaded, at N synthetic papers (the seed corpus + generated papers with
 * abstracts, written straight into the extension's IndexedDB), as bytes per paper.
 *
 * Every heap is read through the DevTools protocol after a forced GC (HeapProfiler.collectGarbage,
 * then Runtime.getHeapUsage: JS heap + ArrayBuffer backing stores + Blink heap). What a structure costs per paper is the heap at N minus the heap of
 * the same context at the seed corpus alone (read first, in the same profile), divided by the
 * papers added. The floor, in the same contexts and run: the same papers read with a bare
 * IndexedDB getAll and held as plain objects in an array.
 *
 * Env: BENCH_MEMORY_SIZES (default 10000,100000; 1000000 when it fits), SHELFMARK_CHROME_EXT (a
 * built extension; else one is built into node_modules/.cache), CHROMIUM_PATH.
 * Prints a table and one `BENCH_JSON ` line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { titleKey } from '../lib/model/normalize';
import { abstractWalk, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { untilTrue, storeCount } from './lib/idb-wait';
import { chromiumPath, extensionDir } from './lib/browser';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '10000,100000').split(',').map(Number);
const CHUNK = 5000;

const seed = seedCorpus(readSeedFiles(ROOT));

/** Runs one DevTools command in the extension's service worker (through the browser's session). */
class WorkerDevtools {
  private nextId = 1;
  private readonly waiting = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>();
  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
  ) {}

  static async attach(context: BrowserContext, extensionId: string): Promise<WorkerDevtools> {
    const cdp = await context.browser()!.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
    if (!sw) throw new Error('no service worker target');
    // Not flattened: Playwright's session routes no child sessions, so messages go through
    // Target.sendMessageToTarget and come back as events.
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false })) as { sessionId: string };
    const d = new WorkerDevtools(cdp, sessionId);
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const w = m.id === undefined ? undefined : d.waiting.get(m.id);
      if (!w) return;
      d.waiting.delete(m.id!);
      if (m.error) w.rej(new Error(m.error.message));
      else w.res(m.result);
    });
    return d;
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((res, rej) => {
      this.waiting.set(id, { res: res as (v: unknown) => void, rej });
      void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) }).catch(rej);
    });
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}

type Send = <T>(method: string, params?: object) => Promise<T>;
/**
 * Memory after a forced GC (twice: weak references and finalizers free more the second time): the
 * used JS heap plus the ArrayBuffer backing stores (typed arrays live outside the JS heap; the
 * match index is made of them) plus Blink's heap (the DOM).
 */
async function heapAfterGc(send: Send): Promise<number> {
  await send('HeapProfiler.collectGarbage');
  await send('HeapProfiler.collectGarbage');
  const u = await send<{ usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number }>('Runtime.getHeapUsage');
  if (u.backingStorageSize === undefined) throw new Error('Runtime.getHeapUsage reports no backingStorageSize (Chromium ≥ 124 needed)');
  return u.usedSize + u.backingStorageSize + (u.embedderHeapUsedSize ?? 0);
}

/** The floor: the papers read with a bare getAll, held as plain objects in an array (global `__floor`). */
const FLOOR_LOAD = `new Promise((res, rej) => {
  const open = indexedDB.open('shelfmark');
  open.onerror = () => rej(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('papers').objectStore('papers').getAll();
    req.onsuccess = () => { globalThis.__floor = req.result; open.result.close(); res(req.result.length); };
    req.onerror = () => rej(req.error);
  };
})`;

interface Row {
  papers: number;
  writeMs: number;
  workerIndexMs: number;
  pageReadyMs: number;
  worker: { seedHeap: number; heap: number; perPaper: number; floorPerPaper: number };
  /** Missing when the library page could not open at this size (pageError says why). */
  page?: { seedHeap: number; heap: number; perPaper: number; floorPerPaper: number };
  pageError?: string;
}

async function measure(size: number, extDir: string): Promise<Row> {
  const profile = mkdtempSync(join(tmpdir(), 'shelfmark-membench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    let [sw] = context.serviceWorkers();
    sw ??= await context.waitForEvent('serviceworker', { timeout: 15000 });
    const extensionId = new URL(sw.url()).host;
    const extUrl = (p: string) => `chrome-extension://${extensionId}/${p}`;
    const page = await context.newPage();
    const pageCdp = await context.newCDPSession(page);
    const pageSend: Send = (m, p) => pageCdp.send(m as never, p as never) as never;
    const workerReady = async (n: number): Promise<number> => {
      const t0 = Date.now();
      for (;;) {
        const ours = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
        const size = await ours
          .at(-1)
          ?.evaluate(() => (globalThis as unknown as { shelfmarkDiagnostics?: () => { size?: number } }).shelfmarkDiagnostics?.().size)
          .catch(() => undefined);
        if ((size ?? 0) >= n) return Date.now() - t0;
        if (Date.now() - t0 > 1_200_000) throw new Error(`match index not loaded with ${n} papers`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const openLibrary = async (n: number): Promise<number> => {
      const t0 = Date.now();
      await page.goto('about:blank');
      await page.goto(extUrl('library.html'));
      await page.getByRole('banner').getByText(`${n.toLocaleString('en-US')} papers`, { exact: true }).waitFor({ timeout: 1_200_000 });
      await page.waitForFunction(() => performance.getEntriesByName('shelfmark:search-ready').length > 0, null, { timeout: 1_200_000, polling: 100 });
      return Date.now() - t0;
    };
    const workerHeap = async (): Promise<number> => {
      const d = await WorkerDevtools.attach(context, extensionId);
      try {
        return await heapAfterGc((m, p) => d.send(m, p));
      } finally {
        await d.detach();
      }
    };
    /** Bytes per paper of the floor in one context: heap with the array minus heap without it. */
    const floorPerPaper = async (send: Send, evalIn: (src: string) => Promise<unknown>, n: number): Promise<number> => {
      const before = await heapAfterGc(send);
      await evalIn(FLOOR_LOAD);
      const after = await heapAfterGc(send);
      await evalIn('delete globalThis.__floor');
      return (after - before) / n;
    };

    // The seed corpus alone: the fixed cost every context pays.
    await openLibrary(seed.length);
    await workerReady(seed.length);
    const seedPage = await heapAfterGc(pageSend);
    const seedWorker = await workerHeap();

    // The synthetic papers, 5,000 per transaction, generated chunk by chunk (a million abstracts
    // would not fit this process at once). A new papers revision stamp tells the background its
    // persisted index is stale.
    const titles = syntheticTitles(seed, [], size, 21);
    const abstract = abstractWalk(seed, rng(5));
    const now = Date.now();
    const tWrite = Date.now();
    for (let i = 0; i < titles.length; i += CHUNK) {
      const chunk = titles.slice(i, i + CHUNK).map((title, j) => ({
        id: `pbench${String(i + j).padStart(10, '0')}`,
        title,
        key: titleKey(title),
        abstract: abstract(),
        aliasKeys: [],
        provenance: [{ kind: 'import', source: 'bench.bib' }],
        origin: 'import',
        addedAt: now - (i + j) * 1000,
        updatedAt: now,
      }));
      await page.evaluate(
        (ps) =>
          new Promise<void>((res, rej) => {
            const open = indexedDB.open('shelfmark');
            open.onerror = () => rej(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(['papers', 'meta'], 'readwrite');
              for (const p of ps) tx.objectStore('papers').put(p);
              tx.objectStore('meta').put({ key: 'papersRevision', value: Date.now() + Math.random() });
              tx.oncomplete = () => {
                open.result.close();
                res();
              };
              tx.onerror = () => rej(tx.error);
            };
          }),
        chunk,
      );
    }
    const writeMs = Date.now() - tWrite;
    const total = size + seed.length;
    // Raw writes bypass Dexie's change journal: drop the page's persisted search index (after its
    // persist delay) and restart the worker, so both rebuild from every paper.
    await page.goto('about:blank');
    await page.waitForTimeout(4000);
    // (From the worker: about:blank has no IndexedDB.)
    const ours = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    await ours.at(-1)!.evaluate(
      () =>
        new Promise<void>((res, rej) => {
          const open = indexedDB.open('shelfmark');
          open.onsuccess = () => {
            const tx = open.result.transaction(['searchParts', 'indexParts'], 'readwrite');
            tx.objectStore('searchParts').clear();
            // The background's persisted match index too (stale anyway): its reappearance below
            // says the rebuilt index was persisted.
            tx.objectStore('indexParts').clear();
            tx.oncomplete = () => {
              open.result.close();
              res();
            };
            tx.onerror = () => rej(tx.error);
          };
        }),
    );
    await pageSend('ServiceWorker.enable');
    await pageSend('ServiceWorker.stopAllWorkers');
    await page.waitForTimeout(500);

    // The background first (its match index does not depend on the library page): woken by a
    // popup asking for a tab's entries, then measured. A size the library page cannot hold (its
    // renderer crashes) still reports the background.
    const tReady = Date.now();
    const waker = await context.newPage();
    await waker.goto(extUrl(process.env.BENCH_MEMORY_WAKE ?? 'popup.html?tab=987654'));
    const workerIndexMs = await workerReady(total);
    await waker.close();
    // A rebuilt index is persisted a moment later (the build's papers are held until then): the
    // heap measured is the one every later cold start loads, after the persist.
    await untilTrue(async () => {
      const sw = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`)).at(-1);
      return sw !== undefined && (await storeCount(sw, 'indexParts')) > 0;
    }, 600_000, 500);
    await new Promise((r) => setTimeout(r, 1000));
    const wHeap = await workerHeap();
    const d = await WorkerDevtools.attach(context, extensionId);
    let workerFloor: number;
    try {
      const wsend: Send = (m, p) => d.send(m, p);
      workerFloor = await floorPerPaper(
        wsend,
        (src) => wsend('Runtime.evaluate', { expression: src, awaitPromise: true, returnByValue: true }),
        total,
      );
    } finally {
      await d.detach();
    }
    void tReady;
    const worker = { seedHeap: seedWorker, heap: wHeap, perPaper: (wHeap - seedWorker) / size, floorPerPaper: workerFloor };

    // The library page: the first open builds and persists the search index; the next one loads
    // it, as every later open does: that is the heap measured.
    let page2: Row['page'];
    let pageReadyMs = 0;
    let pageError: string | undefined;
    try {
      await openLibrary(total);
      await untilTrue(async () => (await storeCount(page, 'searchParts')) > 0, 1_200_000, 500);
      await page.waitForTimeout(1000);
      pageReadyMs = await openLibrary(total);
      const pageHeap = await heapAfterGc(pageSend);
      const pageFloor = await floorPerPaper(pageSend, (src) => page.evaluate(src), total);
      page2 = { seedHeap: seedPage, heap: pageHeap, perPaper: (pageHeap - seedPage) / size, floorPerPaper: pageFloor };
    } catch (e) {
      pageError = (e as Error).message.split('\n')[0];
      console.log(`memory bench: the library page at ${total} papers did not complete: ${pageError}`);
    }
    return { papers: total, writeMs, workerIndexMs, pageReadyMs, worker, ...(page2 ? { page: page2 } : {}), ...(pageError ? { pageError } : {}) };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const extDir = extensionDir(ROOT);
const rows: Row[] = [];
const skipped: string[] = [];
for (const size of SIZES) {
  const t0 = Date.now();
  try {
    rows.push(await measure(size, extDir));
  } catch (e) {
    // A size that does not fit this machine is reported, not fatal for the smaller ones.
    skipped.push(`${size}: ${(e as Error).message.split('\n')[0]}`);
    console.log(`memory bench: ${size} papers did not complete: ${(e as Error).message.split('\n')[0]}`);
  }
  console.log(`  (${size} papers measured in ${Math.round((Date.now() - t0) / 1000)} s)`);
}

const MB = (b: number) => (b / 1048576).toFixed(1);
console.log(`memory: heap after forced GC (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs); per paper = (heap at N − heap at the ${seed.length} seed papers) ÷ papers added`);
console.log('papers     context                                  heap MB (seed only)   bytes/paper   floor bytes/paper (plain objects)   ratio');
for (const r of rows) {
  for (const [name, m] of [
    ['background: match index', r.worker],
    ['library page: corpus store + search index', r.page],
  ] as const) {
    if (!m) {
      console.log(`${String(r.papers).padEnd(10)} ${name.padEnd(41)} did not open: ${r.pageError}`);
      continue;
    }
    console.log(
      `${String(r.papers).padEnd(10)} ${name.padEnd(41)} ${MB(m.heap).padStart(7)} (${MB(m.seedHeap)})      ${String(Math.round(m.perPaper)).padStart(8)}      ${String(Math.round(m.floorPerPaper)).padStart(10)}                        ${(m.perPaper / m.floorPerPaper).toFixed(2)}`,
    );
  }
  console.log(`           (write ${r.writeMs} ms; background index loaded ${r.workerIndexMs} ms after a popup woke it; library reopen ready in ${r.pageReadyMs} ms)`);
}
console.log(`BENCH_JSON ${JSON.stringify({ bench: 'memory', loadAverage: loadavg(), rows, skipped })}`);
if (!rows.length) process.exitCode = 1;
