#!/usr/bin/env node
// IndexedDB write benchmark in real Chromium (Debian's /usr/bin/chromium via playwright-core):
// how long Shelfmark's corpus import (lib/corpus/corpus-import.ts: chunked bulk transactions, meta
// bookkeeping, revision stamp) takes to write the seed corpus (314 papers) and a synthetic
// 100k-paper corpus into a fresh database, against the naive way (one put per transaction).
//
// The real lib/ code (Dexie, zod, the ShelfmarkDB schema with all its indexes) is bundled with
// esbuild and run in pages served under https://r<N>.bench.shelfmark.invalid/ (every other
// request is aborted), a fresh origin per run. Same IndexedDB engine (LevelDB backend) as the extension's origin.
//
//   node bench/idb-write.bench.mjs
//   env: BENCH_IDB_RUNS=3 (runs per variant; the median is reported), BENCH_IDB_SIZE=100000,
//        BENCH_IDB_NAIVE_RUNS=1 (naive 100k runs: ~minutes each), BENCH_IDB_ONLY=<variant:corpus,…>,
//        CHROMIUM_PATH
//
// Prints a table and one line starting with `BENCH_JSON `.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { findChromium } from '../tests/e2e/lib/chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_IDB_RUNS ?? 3);
const SIZE = Number(process.env.BENCH_IDB_SIZE ?? 100_000);
const NAIVE_RUNS = Number(process.env.BENCH_IDB_NAIVE_RUNS ?? 1);
/** Optional subset, e.g. BENCH_IDB_ONLY=import:big,bulkPut-one-tx:big */
const ONLY = process.env.BENCH_IDB_ONLY?.split(',');
const BENCH_HOST = 'bench.shelfmark.invalid';

function median(xs) {
  const s = xs.toSorted((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function pad(v, n) {
  return String(v).padStart(n);
}

// ---- the page-side code: real lib/ modules, bundled --------------------------------------------
const pageEntry = `
import { ShelfmarkDB } from './lib/storage/db';
import { buildSeedCorpus, buildCorpusAsset, paperIdFromKey, corpusPapers } from './lib/corpus/corpus';
import { importCorpus, CHUNK_SIZE } from './lib/corpus/corpus-import';
import { titleKey } from './lib/model/normalize';
export { ShelfmarkDB, buildSeedCorpus, buildCorpusAsset, paperIdFromKey, corpusPapers, importCorpus, titleKey, CHUNK_SIZE };
`;
const bundle = await build({
  stdin: { contents: pageEntry, resolveDir: root, loader: 'ts', sourcefile: 'bench-idb-entry.ts' },
  bundle: true,
  format: 'iife',
  globalName: 'Shelfmark',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
});
const bundleJs = bundle.outputFiles[0].text;

const seeds = readdirSync(join(root, 'seeds'))
  .filter((f) => f.endsWith('.txt'))
  .map((name) => ({ name, text: readFileSync(join(root, 'seeds', name), 'utf8') }));

// ---- browser ----------------------------------------------------------------------------------
const executablePath = findChromium();
if (!executablePath) {
  console.error('idb-write bench: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  process.exit(1);
}
const userDataDir = mkdtempSync(join(tmpdir(), 'shelfmark-bench-idb-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const chromeVersion = context.browser()?.version() ?? 'unknown';

try {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname.endsWith(BENCH_HOST) && url.pathname === '/') {
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>idb bench</title><script src="/bench.js"></script>' });
    }
    if (url.hostname.endsWith(BENCH_HOST) && url.pathname === '/bench.js') {
      return route.fulfill({ contentType: 'text/javascript', body: bundleJs });
    }
    return route.abort('blockedbyclient');
  });

  // Every run gets its own origin, so its own LevelDB store: on one origin, with each run's
  // database deleted afterwards, three 100k imports in a row took 27 s, 81 s and 126 s
  // (leftover deletion/compaction work of earlier runs, presumably). Nothing is deleted now.
  let origins = 0;
  const prepare = async (bigSize) => {
    const page = await context.newPage();
    page.setDefaultTimeout(0);
    await page.goto(`https://r${++origins}.${BENCH_HOST}/`);
    await page.waitForFunction(() => typeof globalThis.Shelfmark?.importCorpus === 'function');
    // Corpora are built in the page before the timed section; only the writes are timed.
    const info = await page.evaluate(
    ({ dumps, size }) => {
      const S = globalThis.Shelfmark;
      const t0 = performance.now();
      const seed = S.buildSeedCorpus(dumps).asset;
      const base = S.corpusPapers(seed);
      // Synthetic papers: unique titles from seed title words plus a serial, and real seed
      // abstracts (about 1.3 KB each), so records have realistic size and index load.
      const words = [...new Set(base.flatMap((p) => p.title.split(/\s+/)))];
      let x = 0x9e3779b9;
      const rnd = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
      const papers = [...base];
      const keys = new Set(papers.map((p) => p.key));
      const target = size;
      for (let i = 0; papers.length < target; i++) {
        const n = 5 + Math.floor(rnd() * 9);
        const title = Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ') + ` ${i}`;
        const key = S.titleKey(title);
        if (keys.has(key)) continue;
        keys.add(key);
        const src = base[i % base.length];
        papers.push({ id: S.paperIdFromKey(key), key, title, abstract: src.abstract, provenance: [{ kind: 'seed', source: `synthetic-${i % 50}.txt`, line: 2 * i + 1 }] });
      }
      const big = size > 0 ? S.buildCorpusAsset(papers) : undefined;
      globalThis.shelfmarkBench = { seed, big };
      return { seedPapers: seed.papers.length, bigPapers: big?.papers.length ?? size, prepMs: Math.round(performance.now() - t0), chunk: S.CHUNK_SIZE };
    },
    { dumps: seeds, size: bigSize },
    );
    return { page, info };
  };

  /** One timed variant in a fresh database on a fresh origin; returns ms and the paper count found afterwards. */
  const runVariant = async (variantName, corpusName) => {
    const { page, info } = await prepare(corpusName === 'big' ? SIZE : 0);
    prep = info;
    const r = await page.evaluate(
      async ({ variant, which }) => {
        const S = globalThis.Shelfmark;
        const asset = globalThis.shelfmarkBench[which];
        const db = new S.ShelfmarkDB(`bench-${variant}-${which}-${Math.random().toString(36).slice(2)}`);
        await db.open();
        let counts;
        let papers;
        if (variant === 'bulkPut-one-tx' || variant === 'naive-put-per-tx') {
          // Same records the import writes, prepared outside the timed section.
          const now = Date.now();
          papers = S.corpusPapers(asset).map((p) => ({ ...p, aliasKeys: [], origin: 'seed', addedAt: now, updatedAt: now }));
        }
        if (variant === 'update') await S.importCorpus(db, asset);
        const t0 = performance.now();
        if (variant === 'import') counts = await S.importCorpus(db, asset);
        else if (variant === 'import-one-tx') counts = await S.importCorpus(db, asset, { chunkSize: Number.MAX_SAFE_INTEGER });
        else if (variant === 'update') counts = await S.importCorpus(db, asset, { force: true });
        else if (variant === 'bulkPut-one-tx') await db.papers.bulkPut(papers);
        else if (variant === 'naive-put-per-tx') for (const p of papers) await db.papers.put(p);
        const ms = performance.now() - t0;
        const count = await db.papers.count();
        db.close();
        return { ms, count, counts };
      },
      { variant: variantName, which: corpusName },
    );
    await page.close();
    return r;
  };
  let prep;

  const plan = [
    ['import', 'seed', RUNS],
    ['naive-put-per-tx', 'seed', RUNS],
    ['import', 'big', RUNS],
    ['import-one-tx', 'big', 1],
    ['update', 'big', RUNS],
    ['bulkPut-one-tx', 'big', 1],
    ['naive-put-per-tx', 'big', NAIVE_RUNS],
  ].filter(([v, w]) => !ONLY || ONLY.includes(`${v}:${w}`));
  const rows = [];
  for (const [variant, which, runs] of plan) {
    if (runs < 1) continue;
    const times = [];
    let last;
    for (let r = 0; r < runs; r++) {
      last = await runVariant(variant, which);
      times.push(last.ms);
      process.stderr.write(`  ${variant} ${which} run ${r + 1}/${runs}: ${Math.round(last.ms)} ms\n`);
    }
    const n = which === 'seed' ? prep.seedPapers : prep.bigPapers;
    if (last.count !== n) throw new Error(`${variant}/${which}: ${last.count} papers stored, expected ${n}`);
    const ms = median(times);
    rows.push({
      variant,
      papers: n,
      runs,
      medianMs: Math.round(ms),
      minMs: Math.round(Math.min(...times)),
      maxMs: Math.round(Math.max(...times)),
      papersPerSec: Math.round(n / (ms / 1000)),
      transactions: last.counts?.transactions ?? (variant === 'naive-put-per-tx' ? n : 1),
    });
  }

  console.log(`\nIndexedDB corpus writes, Chromium ${chromeVersion} headless, fresh database per run (median of runs)`);
  console.log(`${'variant'.padEnd(18)}${pad('papers', 8)}${pad('runs', 6)}${pad('median ms', 11)}${pad('min', 8)}${pad('max', 8)}${pad('papers/s', 10)}${pad('txns', 7)}`);
  for (const r of rows) {
    console.log(`${r.variant.padEnd(18)}${pad(r.papers, 8)}${pad(r.runs, 6)}${pad(r.medianMs, 11)}${pad(r.minMs, 8)}${pad(r.maxMs, 8)}${pad(r.papersPerSec, 10)}${pad(r.transactions, 7)}`);
  }
  console.log(
    `(import = lib/corpus/corpus-import.ts, chunks of ${prep.chunk}; import-one-tx = the same in one transaction; update = forced re-import of an unchanged corpus; corpus prep in the page untimed)`,
  );
  console.log('BENCH_JSON ' + JSON.stringify({ bench: 'idb-write', chromium: chromeVersion, chunk: prep.chunk, rows }));
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
