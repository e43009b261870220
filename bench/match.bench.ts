/**
 * Matcher benchmark: Shelfmark's MatchIndex vs Fuse.js vs MiniSearch vs a plain exact-key hash,
 * on the labelled evaluation set (bench/lib/evalset.ts) with the seed corpus (314 papers) and
 * synthetic corpora of 10k, 100k and 1M papers.
 *
 * Env: BENCH_SIZES=314,10000,100000,1000000 (default), BENCH_RUNS=7 (page timing passes),
 *      BENCH_FAST=1 (skip Fuse/MiniSearch beyond 10k).
 * Prints a table and one line starting with `BENCH_JSON ` (machine-readable).
 */
import { cpus as osCpus, loadavg } from 'node:os';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { MatchIndex, type IndexedPaper, type MatchResult } from '../lib/match/index';
import { normalizeTitle, titleKey } from '../lib/model/normalize';
import { negatives, positives, rng, seedCorpus, syntheticTitles, type EvalQuery } from './lib/evalset';
import { readSeedFiles } from './lib/seed-files';
import { realWordVariants } from './lib/realword';
import { readRealTitles } from './lib/real-titles';
import { Hunspell } from '../lib/match/hunspell';
import { sameWordVariant } from '../lib/match/words';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const gc = (globalThis as { gc?: () => void }).gc;
const sizes = (process.env.BENCH_SIZES ?? '314,10000,100000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FAST = process.env.BENCH_FAST === '1';

const median = (xs: number[]) => {
  const s = xs.toSorted((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mem = () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const MB = (b: number) => Math.round((b / 1048576) * 10) / 10;

interface Matcher {
  name: string;
  /** Returns the matched paper id (status `match`), or undefined. Optional status for maybe. */
  match(title: string): { id?: string; maybe?: boolean };
  matchPage?(titles: string[]): unknown;
  size?: number;
}

interface Row {
  method: string;
  corpus: number;
  queries: number;
  sampled: boolean;
  precision: number;
  recall: number;
  f1: number;
  nearMissMatches: number;
  maybeNeg: number;
  pageMs: number | null;
  /** CPU time of the page (robust when the machine is shared); null when estimated from a sample. */
  pageCpuMs: number | null;
  /** Fastest pass (the least disturbed by other processes). */
  pageMinMs: number | null;
  qps: number | null;
  buildMs: number;
  indexMB: number | null;
  heapMB: number;
  perVariant?: Record<string, number>;
  /** Per negative class: [answered match, total]. */
  perNegative?: Record<string, [number, number]>;
}

function evaluate(m: Matcher, qs: EvalQuery[]) {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  let nearMissMatches = 0;
  let maybeNeg = 0;
  let neg = 0;
  const per: Record<string, [number, number]> = {};
  const perNeg: Record<string, [number, number]> = {};
  const wrong: string[] = [];
  for (const q of qs) {
    const r = m.match(q.title);
    if (q.expect) {
      pos++;
      const v = (per[q.kind] ??= [0, 0]);
      v[1]++;
      if (r.id === q.expect) {
        tp++;
        v[0]++;
      } else if (r.id) fp++;
    } else {
      neg++;
      const nv = (perNeg[q.kind] ??= [0, 0]);
      nv[1]++;
      if (r.id) nv[0]++;
      if (r.id) {
        fp++;
        if (q.nearMiss) {
          nearMissMatches++;
          wrong.push(`[${q.kind}] ${q.title}`);
        }
      } else if (r.maybe) maybeNeg++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = pos ? tp / pos : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const perVariant: Record<string, number> = {};
  for (const [k, [a, b]] of Object.entries(per)) perVariant[k] = Math.round((a / b) * 1000) / 1000;
  return { precision, recall, f1, nearMissMatches, maybeNeg: neg ? maybeNeg / neg : 0, perVariant, perNegative: perNeg, wrong };
}

/** Median wall and CPU (user + system of this process) ms per page, after one warm-up pass. */
function timePage(m: Matcher, page: string[], runs: number): { wall: number; cpu: number; minWall: number } {
  const go = () => (m.matchPage ? m.matchPage(page) : page.map((t) => m.match(t)));
  go();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    go();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus), minWall: Math.min(...walls) };
}

/** A deterministic random subset of the evaluation set (for the slow libraries). */
function sample(qs: EvalQuery[], n: number, seed: number): EvalQuery[] {
  if (n >= qs.length) return qs;
  const r = rng(seed);
  const copy = qs.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

// ------------------------------------------------------------------ matchers

function exactHash(papers: IndexedPaper[]): Matcher {
  const map = new Map<string, string>();
  for (const p of papers) {
    const k = titleKey(p.title);
    if (k && !map.has(k)) map.set(k, p.id);
  }
  return { name: 'exact-key hash', match: (t) => ({ id: map.get(titleKey(t)) }) };
}

const conv = (r: MatchResult) => ({ id: r.status === 'match' ? r.paperId : undefined, maybe: r.status === 'maybe' });
function shelfmark(ix: MatchIndex, name = 'Shelfmark'): Matcher {
  return {
    name,
    match: (t) => conv(ix.match({ title: t })),
    matchPage: (ts) => ix.matchMany(ts.map((title) => ({ title }))),
  };
}

// Libraries get the normalized words joined by spaces: the most favourable input for them.
const libText = (t: string) => normalizeTitle(t).words.join(' ');

function fuse(papers: IndexedPaper[]): Matcher {
  const docs = papers.map((p) => ({ id: p.id, t: libText(p.title) }));
  const f = new Fuse(docs, { keys: ['t'], includeScore: true, ignoreLocation: true, threshold: 0.35 });
  return {
    name: 'Fuse.js',
    match: (t) => {
      const res = f.search(libText(t), { limit: 1 })[0];
      if (!res) return {};
      const s = 1 - (res.score ?? 1);
      return s >= 0.75 ? { id: res.item.id } : { maybe: s >= 0.65 };
    },
  };
}

function miniSearch(papers: IndexedPaper[]): Matcher {
  const ms = new MiniSearch<{ id: string; t: string }>({ fields: ['t'], storeFields: [], idField: 'id' });
  const texts = new Map<string, string>();
  for (const p of papers) {
    const t = libText(p.title);
    texts.set(p.id, t);
    ms.add({ id: p.id, t });
  }
  const selfScore = new Map<string, number>();
  const opts = { fuzzy: 0.2, prefix: true, combineWith: 'AND' as const };
  return {
    name: 'MiniSearch',
    match: (t) => {
      const res = ms.search(libText(t), opts)[0];
      if (!res) return {};
      const id = String(res.id);
      let self = selfScore.get(id);
      if (self === undefined) {
        self = ms.search(texts.get(id)!, opts).find((x) => String(x.id) === id)?.score ?? res.score;
        selfScore.set(id, self);
      }
      const ratio = res.score / self;
      return ratio >= 0.9 ? { id } : { maybe: ratio >= 0.6 };
    },
  };
}

// ------------------------------------------------------------------ main

const files = readSeedFiles(ROOT);
const corpus = seedCorpus(files);
const pos = positives(corpus);
// The English list the extension ships (dictionary-en, lib/match/english.ts), read from disk here.
const dictDir = join(ROOT, 'node_modules/dictionary-en');
const english = new Hunspell(readFileSync(join(dictDir, 'index.aff'), 'utf8'), readFileSync(join(dictDir, 'index.dic'), 'utf8'));
// Real-word near-misses: every corpus title × every real-word substitution, the words taken from
// the titles of the captured proceedings pages (bench/lib/realword.ts, bench/lib/real-titles.ts).
const realTitles = readRealTitles(ROOT);
const realWord = realWordVariants(corpus, realTitles, english);
const neg = [...negatives(corpus), ...realWord];
const evalSet = [...pos, ...neg];
{
  // Inflections: how many pairs of corpus papers differ only by one word's number or spelling.
  const words = corpus.map((p) => normalizeTitle(p.title).words);
  let variantPairs = 0;
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i]!;
      const b = words[j]!;
      if (a.length !== b.length) continue;
      const diff = a.flatMap((w, k) => (w === b[k] ? [] : [k]));
      if (diff.length === 1 && sameWordVariant(a[diff[0]!]!, b[diff[0]!]!)) variantPairs++;
    }
  }
  console.log(`real-word class: ${realWord.length} near-misses (vocabulary from ${realTitles.length} real titles); English list: ${english.size} stems; corpus paper pairs differing only by one word's number/spelling: ${variantPairs}`);
}
const r = rng(7);
const page: string[] = [];
for (let i = 0; i < 2000; i++) page.push(i % 10 === 0 ? pick(pos).title : pick(neg).title);
function pick<T>(a: T[]): T {
  return a[Math.floor(r() * a.length)]!;
}
console.log(
  `evaluation set: ${corpus.length} corpus papers; ${pos.length} positive queries (${new Set(pos.map((q) => q.kind)).size} kinds of noise); ` +
    `${neg.length} negatives (${neg.filter((q) => q.nearMiss).length} near-misses); page = 2000 entries, 10% in the corpus`,
);

const maxSize = Math.max(...sizes);
const tSyn = performance.now();
const synthetic = syntheticTitles(corpus, evalSet.map((q) => q.title), Math.max(0, maxSize - corpus.length));
console.log(`synthetic titles: ${synthetic.length} in ${Math.round(performance.now() - tSyn)} ms`);

const rows: Row[] = [];
const notes: string[] = [];
for (const size of sizes) {
  const papers: IndexedPaper[] = corpus.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract }));
  for (let i = 0; papers.length < size; i++) papers.push({ id: 'x' + i, title: synthetic[i]! });
  console.log(`\n== corpus ${papers.length}`);

  const contenders: { make: () => Matcher; evalN: number; pageTimed: boolean; sizeOf?: (m: Matcher) => number | null }[] = [];
  let index: MatchIndex | undefined;
  contenders.push({
    make: () => {
      index = MatchIndex.build(papers, { english });
      return shelfmark(index);
    },
    evalN: Infinity,
    pageTimed: true,
    sizeOf: () => {
      let bytes = 0;
      for (const v of Object.values(index!.toParts())) bytes += typeof v === 'string' ? v.length : v.byteLength;
      return bytes;
    },
  });
  // The matcher as it was before real-word edits were told apart (spelling alone decides a typo).
  contenders.push({ make: () => shelfmark(MatchIndex.build(papers, { realWords: false }), 'previous matcher'), evalN: Infinity, pageTimed: true });
  contenders.push({ make: () => exactHash(papers), evalN: Infinity, pageTimed: true });
  if (!FAST || size <= 10000) {
    if (size <= 100000) {
      const n = size <= 400 ? 200 : size <= 10000 ? 10 : 1;
      contenders.push({ make: () => fuse(papers), evalN: n, pageTimed: false });
    }
    if (size <= 100000) {
      const n = size <= 400 ? 3000 : size <= 10000 ? 300 : 30;
      contenders.push({ make: () => miniSearch(papers), evalN: n, pageTimed: false });
    }
  }
  for (const c of contenders) {
    const before = mem();
    const t0 = performance.now();
    const m = c.make();
    const buildMs = performance.now() - t0;
    const heap = mem() - before;
    const qs = sample(evalSet, c.evalN, size);
    const t1 = performance.now();
    const res = evaluate(m, qs);
    const evalMs = performance.now() - t1;
    const sampled = qs.length < evalSet.length;
    let pageMs: number;
    let pageCpuMs: number | null = null;
    let pageMinMs: number | null = null;
    if (c.pageTimed) {
      const t = timePage(m, page, RUNS);
      pageMs = t.wall;
      pageCpuMs = t.cpu;
      pageMinMs = t.minWall;
    } else pageMs = (evalMs / qs.length) * 2000; // per-query time of the sampled evaluation, scaled
    const row: Row = {
      method: m.name,
      corpus: papers.length,
      queries: qs.length,
      sampled,
      precision: res.precision,
      recall: res.recall,
      f1: res.f1,
      nearMissMatches: res.nearMissMatches,
      maybeNeg: res.maybeNeg,
      pageMs,
      pageCpuMs,
      pageMinMs,
      qps: pageMs ? 2000 / (pageMs / 1000) : null,
      buildMs,
      indexMB: c.sizeOf ? MB(c.sizeOf(m) ?? 0) : null,
      heapMB: MB(heap),
      perVariant: m.name === 'Shelfmark' ? res.perVariant : undefined,
      perNegative: res.perNegative,
    };
    rows.push(row);
    console.log(
      `${row.method.padEnd(15)} P ${row.precision.toFixed(4)} R ${row.recall.toFixed(4)} F1 ${row.f1.toFixed(4)} near-miss matches ${row.nearMissMatches} ` +
        `maybe(neg) ${(row.maybeNeg * 100).toFixed(1)}% | page ${row.pageMs!.toFixed(1)} ms${c.pageTimed ? ` (min ${pageMinMs!.toFixed(1)}, CPU ${pageCpuMs!.toFixed(1)} ms)` : ` (from ${qs.length} sampled queries)`} | build ${Math.round(buildMs)} ms | ` +
        `index ${row.indexMB ?? '-'} MB | heap ${row.heapMB} MB`,
    );
    if (m.name === 'Shelfmark' || m.name === 'previous matcher') {
      console.log('  recall per noise kind: ' + Object.entries(res.perVariant).map(([k, v]) => `${k} ${v}`).join(', '));
      console.log('  matches per negative class: ' + Object.entries(res.perNegative).map(([k, [a, b]]) => `${k} ${a}/${b}`).join(', '));
    }
    // Every near-miss Shelfmark still marks `match`, to read (each is a rule to fix or a word the vocabulary lacks).
    if (m.name === 'Shelfmark') for (const t of res.wrong.slice(0, 30)) console.log('  near-miss matched: ' + t);
  }
  index = undefined;
  if (FAST && size > 10000) notes.push(`corpus ${size}: Fuse.js and MiniSearch skipped (BENCH_FAST=1)`);
  if (size > 100000 && !FAST) notes.push(`corpus ${size}: Fuse.js and MiniSearch not run (seconds per query at 100k already)`);
}

// ------------------------------------------------------------------ table
const fmt = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
console.log('\n| method | corpus | queries | P | R | F1 | near-miss matches | maybe (neg) | ms / 2000-entry page | min ms | CPU ms / page | qps | build ms | index MB | heap MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.method} | ${row.corpus} | ${row.queries}${row.sampled ? ' (sample)' : ''} | ${row.precision.toFixed(4)} | ${row.recall.toFixed(4)} | ${row.f1.toFixed(4)} | ${row.nearMissMatches} | ` +
      `${(row.maybeNeg * 100).toFixed(1)}% | ${fmt(row.pageMs)}${row.sampled ? '*' : ''} | ${fmt(row.pageMinMs)} | ${fmt(row.pageCpuMs)} | ${row.qps === null ? '-' : Math.round(row.qps)} | ${Math.round(row.buildMs)} | ${fmt(row.indexMB)} | ${fmt(row.heapMB)} |`,
  );
}
console.log('\nPer class (negatives: answered `match` / total; P of `match` within the run = the table):');
console.log('| method | corpus | ' + [...new Set(neg.map((q) => q.kind))].join(' | ') + ' | R (positives) |');
for (const row of rows) {
  if (row.sampled) continue;
  const kinds = [...new Set(neg.map((q) => q.kind))];
  console.log(`| ${row.method} | ${row.corpus} | ` + kinds.map((k) => (row.perNegative?.[k] ? `${row.perNegative[k]![0]}/${row.perNegative[k]![1]}` : '-')).join(' | ') + ` | ${row.recall.toFixed(4)} |`);
}
for (const size of new Set(rows.map((x) => x.corpus))) {
  const sm = rows.find((x) => x.corpus === size && x.method === 'Shelfmark')!;
  const parts: string[] = [];
  for (const other of rows.filter((x) => x.corpus === size && x.method !== 'Shelfmark')) {
    parts.push(`${other.method} ${(other.pageMs! / sm.pageMs!).toFixed(other.pageMs! > sm.pageMs! * 10 ? 0 : 2)}x`);
  }
  const ex = rows.find((x) => x.corpus === size && x.method === 'exact-key hash');
  const cpuRatio = ex?.pageCpuMs && sm.pageCpuMs ? ` (CPU: Shelfmark = ${(sm.pageCpuMs / ex.pageCpuMs).toFixed(2)}x exact-key hash)` : '';
  console.log(`corpus ${size}: page time of each method relative to Shelfmark: ${parts.join(', ')}${cpuRatio}`);
}
console.log('* = estimated from the sampled queries (per-query time × 2000); Fuse.js/MiniSearch are sub-sampled beyond 314 papers.');
for (const n of notes) console.log('note: ' + n);
// Wall times mean little on a shared machine: say how busy it was (CPU times hold up better).
const load = loadavg().map((x) => Math.round(x * 100) / 100);
console.log(`machine: ${osCpus().length} CPUs, load average ${load.join(' / ')} (1/5/15 min) at the end of the run`);
console.log('BENCH_JSON ' + JSON.stringify({ bench: 'match', node: process.version, runs: RUNS, cpus: osCpus().length, loadavg: load, rows }));
