/**
 * A 60,000-entry BibTeX file (shaped like a Zotero / Better BibTeX export) imported through the
 * real library page in Chromium: the file goes into the import dialog's `<input type=file>`, the
 * Import button is clicked, and the bench waits for the dialog's result. The page's own User
 * Timing measures (lib/import/timing.ts) split the time into parse (busy time of the worker that
 * reads the file), match (busy time of the page matching records), write (first row handed to
 * IndexedDB to the commit) and tail (last record matched to the commit): the three run at once,
 * so they add up to more than the total.
 *
 * The floor, measured in the same browser right after: a bare IndexedDB put of the same rows
 * the import wrote (papers, paperTags, notes), one transaction, into a fresh database whose
 * stores have the same key paths and indexes — what writing these records costs with no app
 * behind it (Chromium's per-record cost, not the app's).
 *
 * Env: BENCH_IMPORT_SIZE (default 60000), BENCH_IMPORT_RUNS (default 1; each run uses a fresh
 * profile), SHELFMARK_CHROME_EXT (a built extension; otherwise one is built into
 * node_modules/.cache), CHROMIUM_PATH, BENCH_IMPORT_PROFILE (a directory: the library page's
 * main-thread CPU profile of each run's import is written there, for DevTools or a script).
 * Prints a table and one `BENCH_JSON ` line.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../tests/e2e/lib/chromium.mjs';
import { abstractWalk, fakeTitle, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { extensionDir } from './lib/browser';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const SIZE = Number(process.env.BENCH_IMPORT_SIZE ?? 60_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 1);
const PROFILE_DIR = process.env.BENCH_IMPORT_PROFILE;

// ---- the file ----------------------------------------------------------------------------------
const seed = seedCorpus(readSeedFiles(ROOT));
const r = rng(60);
const abstract = abstractWalk(seed, rng(61));
const FIRST = ['Anna', 'Wei', 'Rafael', 'Yuki', 'Jörg', 'María', 'Olusegun', 'Priya', 'Chen', 'Lukas', 'Sofia', 'Ahmed', 'Kyle', 'Ines', 'Dmitri'];
const LAST = ['Müller', 'Zhang', 'Rafailov', 'Tanaka', 'van der Berg', 'García', 'Okafor', 'Patel', 'Li', 'Schmidt', 'Rossi', 'Hassan', 'Hatch', "O'Brien", 'Ivanova'];
const VENUES = ['Advances in Neural Information Processing Systems', 'International Conference on Machine Learning', 'Transactions on Machine Learning Research', 'Journal of Machine Learning Research', 'arXiv preprint'];
const KEYWORDS = ['Computer Science - Machine Learning', 'Computer Science - Artificial Intelligence', 'Statistics - Machine Learning', 'reinforcement learning', 'to-read', 'robotics', 'language models'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const tex = (s: string) => s.replace(/[{}\\~^]/g, '').replace(/([&%$#_])/g, '\\$1');

/** Real seed titles first (they merge into the installed corpus), then synthetic ones; ~1% repeated (a second export of one paper). */
function bibFile(n: number): { text: string; entries: number } {
  const synthetic = syntheticTitles(seed, [], n, 62);
  const titles = [...seed.map((p) => p.title), ...synthetic].slice(0, n);
  const out: string[] = [];
  let entries = 0;
  titles.forEach((title, i) => {
    const year = 2015 + Math.floor(r() * 11);
    const last = pick(LAST);
    const authors = Array.from({ length: 1 + Math.floor(r() * 6) }, () => `${pick(LAST)}, ${pick(FIRST)}`).join(' and ');
    const arxiv = r() < 0.6 ? `${String(year % 100).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}.${String(10000 + i).slice(-5)}` : undefined;
    const lines = [
      `@article{${last.replace(/\W/g, '').toLowerCase()}_${i}_${year},`,
      `\ttitle = {${tex(i % 97 === 0 ? fakeTitle(r) + ': ' + title : title)}},`,
      `\turl = {${arxiv ? `http://arxiv.org/abs/${arxiv}` : `https://example.org/paper/${i}`}},`,
      ...(r() < 0.4 ? [`\tdoi = {10.${1000 + (i % 9000)}/bench.${year}.${i}},`] : []),
      ...(r() < 0.4 ? [`\tabstract = {${tex(abstract().split(' ').slice(0, 100).join(' '))}},`] : []),
      `\tlanguage = {en},`,
      `\turldate = {2024-0${1 + (i % 9)}-1${i % 10}},`,
      `\tjournal = {${pick(VENUES)}},`,
      `\tauthor = {${authors}},`,
      `\tmonth = ${pick(['jan', 'mar', 'jun', 'oct'])},`,
      `\tyear = {${year}},`,
      ...(arxiv ? [`\teprint = {${arxiv}},`, `\tarchivePrefix = {arXiv},`] : []),
      ...(r() < 0.1 ? [`\tnote = {Read for the ${pick(KEYWORDS)} survey},`] : []),
      ...(r() < 0.3 ? [`\tkeywords = {${[pick(KEYWORDS), pick(KEYWORDS)].join(', ')}},`] : []),
      `\tfile = {arXiv Fulltext PDF:/home/user/Zotero/storage/${(i * 2654435761).toString(36).slice(-8).toUpperCase()}/paper.pdf:application/pdf},`,
      '}',
      '',
    ];
    const entry = lines.join('\n');
    out.push(entry);
    entries++;
    if (r() < 0.01 && entries < n) {
      out.push(entry.replace(/^@article\{/, '@article{dup'));
      entries++;
    }
  });
  while (entries > n) {
    out.pop();
    entries--;
  }
  return { text: out.join('\n'), entries };
}

const tGen = Date.now();
const bib = bibFile(SIZE);
console.log(`generated ${bib.entries.toLocaleString('en-US')} BibTeX entries, ${(bib.text.length / 1048576).toFixed(1)} MB, in ${Date.now() - tGen} ms`);
// Through a file: playwright refuses buffers over 50 MB.
const bibPath = process.env.BENCH_IMPORT_DUMP ?? join(mkdtempSync(join(tmpdir(), 'shelfmark-import-')), 'zotero-export.bib');
writeFileSync(bibPath, bib.text);

// ---- the runs ----------------------------------------------------------------------------------
interface Run {
  wallMs: number;
  parseMs: number;
  matchMs: number;
  writeMs: number;
  tailMs: number;
  totalMs: number;
  counts: { new: number; merged: number; skipped: number };
  rows: { papers: number; paperTags: number; notes: number };
  floorMs: number;
  floorPapersMs: number;
  /** Longest main-thread task during the import (Long Tasks API), ms. */
  longestTaskMs: number;
}

if (process.env.BENCH_IMPORT_DUMP) process.exit(0);
const extDir = extensionDir(ROOT, 'ext-import');
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function oneRun(n: number): Promise<Run> {
  const ext = await launchChromium({ extDir });
  try {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('library.html#view=exchange'));
    await page.getByRole('banner').getByText(`${seed.length} papers`, { exact: true }).waitFor({ timeout: 60000 });
    const dialog = page.locator('[data-shelfmark-import]');
    await dialog.waitFor({ timeout: 20000 });
    await dialog.getByLabel('File').setInputFiles(bibPath);
    await page.evaluate(() => {
      const g = globalThis as unknown as { __longest: number };
      g.__longest = 0;
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) g.__longest = Math.max(g.__longest, e.duration);
      }).observe({ type: 'longtask' });
      performance.clearMeasures();
    });
    const cdp = PROFILE_DIR ? await ext.context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    const t0 = Date.now();
    await dialog.getByRole('button', { name: 'Import' }).click({ noWaitAfter: true });
    const result = dialog.locator('.import-result, .import-error');
    await result.waitFor({ timeout: 900000 });
    const wallMs = Date.now() - t0;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(PROFILE_DIR!, { recursive: true });
      writeFileSync(join(PROFILE_DIR!, `import-run${n + 1}.cpuprofile`), JSON.stringify(profile));
    }
    if (await dialog.locator('.import-error').count()) throw new Error(`import failed: ${await result.textContent()}`);
    const count = async (k: string) => Number(await result.locator(`[data-count="${k}"]`).textContent());
    const counts = { new: await count('new'), merged: await count('merged'), skipped: await count('skipped') };
    const timing = await page.evaluate(() => {
      const m = (n: string) => Math.round(performance.getEntriesByName(`shelfmark:import:${n}`).at(-1)?.duration ?? NaN);
      return { parseMs: m('parse'), matchMs: m('match'), writeMs: m('write'), tailMs: m('tail'), totalMs: m('total'), longestTaskMs: Math.round((globalThis as unknown as { __longest: number }).__longest) };
    });
    // The floor: the same rows, a bare put into a fresh database with the same stores and indexes.
    const floor = await page.evaluate(
      (source) =>
        new Promise<{ rows: Run['rows']; floorMs: number; floorPapersMs: number }>((res, rej) => {
          const req = <T,>(q: IDBRequest<T>) => new Promise<T>((ok, ko) => ((q.onsuccess = () => ok(q.result)), (q.onerror = () => ko(q.error))));
          const STORES = ['papers', 'paperTags', 'notes'] as const;
          (async () => {
            const src = await req(indexedDB.open('shelfmark'));
            const tx = src.transaction([...STORES]);
            const shape = STORES.map((name) => {
              const s = tx.objectStore(name);
              return { name, keyPath: s.keyPath, autoIncrement: s.autoIncrement, indexes: [...s.indexNames].map((i) => { const x = s.index(i); return { i, keyPath: x.keyPath, multiEntry: x.multiEntry, unique: x.unique }; }) };
            });
            const all = await Promise.all(STORES.map((n) => req(tx.objectStore(n).getAll())));
            src.close();
            const papers = (all[0] as { provenance?: { source?: string }[] }[]).filter((p) => p.provenance?.some((x) => x.source === source));
            const rows = { papers: papers.length, paperTags: all[1].length, notes: all[2].length };
            const data = [papers, all[1], all[2]];
            const put = async (name: string, which: number[]) => {
              const open = indexedDB.open(name, 1);
              open.onupgradeneeded = () => {
                for (const s of shape) {
                  const st = open.result.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
                  for (const x of s.indexes) st.createIndex(x.i, x.keyPath, { multiEntry: x.multiEntry, unique: x.unique });
                }
              };
              const db = await req(open);
              const t0 = performance.now();
              const w = db.transaction([...STORES], 'readwrite');
              for (const k of which) for (const row of data[k]!) w.objectStore(STORES[k]!).put(row);
              await new Promise<void>((ok, ko) => ((w.oncomplete = () => ok()), (w.onerror = () => ko(w.error))));
              const ms = performance.now() - t0;
              db.close();
              return Math.round(ms);
            };
            const floorMs = await put('floor-all', [0, 1, 2]);
            const floorPapersMs = await put('floor-papers', [0]);
            res({ rows, floorMs, floorPapersMs });
          })().catch(rej);
        }),
      'zotero-export.bib',
    );
    return { wallMs, ...timing, counts, ...floor };
  } finally {
    await ext.close();
  }
}

const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await oneRun(i);
  runs.push(run);
  console.log(`run ${i + 1}: ${JSON.stringify(run)}`);
}
const med = (k: keyof Run) => median(runs.map((x) => x[k] as number));
const last = runs.at(-1)!;
const rowsWritten = last.rows.papers + last.rows.paperTags + last.rows.notes;
const result = {
  bench: 'import',
  entries: bib.entries,
  megabytes: +(bib.text.length / 1048576).toFixed(1),
  runs: RUNS,
  loadAverage: +loadavg()[0]!.toFixed(1),
  cpus: cpus().length,
  counts: last.counts,
  rows: last.rows,
  wallMs: med('wallMs'),
  parseMs: med('parseMs'),
  matchMs: med('matchMs'),
  writeMs: med('writeMs'),
  tailMs: med('tailMs'),
  totalMs: med('totalMs'),
  longestTaskMs: med('longestTaskMs'),
  floorAllRowsMs: med('floorMs'),
  floorPapersMs: med('floorPapersMs'),
};
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`\nimport of ${bib.entries.toLocaleString('en-US')} BibTeX entries through the library page (Chromium, load ${result.loadAverage}, ${result.cpus} CPUs; median of ${RUNS})`);
console.log(`  result: ${last.counts.new} new, ${last.counts.merged} merged, ${last.counts.skipped} skipped; rows written: ${last.rows.papers} papers, ${last.rows.paperTags} paperTags, ${last.rows.notes} notes`);
console.log(`  | phase | Shelfmark | floor (bare IndexedDB put, same rows, same browser) |`);
console.log(`  | parse (worker, busy) | ${s(result.parseMs)} | |`);
console.log(`  | match (page, busy) | ${s(result.matchMs)} | |`);
console.log(`  | write (first row to commit) | ${s(result.writeMs)} | ${s(result.floorAllRowsMs)} for all ${rowsWritten} rows (${Math.round((rowsWritten / result.floorAllRowsMs) * 1000)} rows/s); ${s(result.floorPapersMs)} for the papers alone |`);
console.log(`  | tail (last record matched to commit) | ${s(result.tailMs)} | |`);
console.log(`  | total (click to result: ${s(result.wallMs)}) | ${s(result.totalMs)} | write / floor = ${(result.writeMs / result.floorAllRowsMs).toFixed(2)}, total / floor = ${(result.totalMs / result.floorAllRowsMs).toFixed(2)} |`);
console.log(`  longest main-thread task during the import: ${result.longestTaskMs} ms`);
console.log(`BENCH_JSON ${JSON.stringify(result)}`);
if (!existsSync(extDir)) process.exitCode = 1;
