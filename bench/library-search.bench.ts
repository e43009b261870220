/**
 * Library search benchmark: lib/search/index.ts (the library page's full-text index) on the seed
 * corpus plus synthetic papers up to 100k, every one with a title *and* an abstract (the worst
 * case: real user corpora have many papers without abstracts).
 *
 * Synthetic titles come from the matcher's generator (bench/lib/evalset.ts); synthetic abstracts
 * are 90–220-word walks of a word-bigram chain over the seed abstracts, so word frequencies look
 * like real ML abstracts (very common words such as "learning" and "model" included).
 *
 * Queries (each timed alone, after a warm-up): one word, two words, three words (from seed
 * titles), the 12 most common words, and type-ahead (every prefix of two-word queries as typed,
 * the last word matched as a prefix), plus the same with a library filter callback. Target:
 * ≤ 30 ms per query at 100k (p95 and max reported).
 *
 * Env: BENCH_SEARCH_SIZES (default 314,10000,100000). Prints a table and one `BENCH_JSON ` line.
 */
import { cpus, loadavg } from 'node:os';
import { SearchIndex, tokenize, type SearchDoc } from '../lib/search';
import { abstractWalk, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const sizes = (process.env.BENCH_SEARCH_SIZES ?? '314,10000,100000').split(',').map(Number);
const TARGET_MS = 30;
const gc = (globalThis as { gc?: () => void }).gc;
const mem = () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const seed = seedCorpus(readSeedFiles(ROOT));
const r = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const abstract = abstractWalk(seed, r);

const maxN = Math.max(...sizes);
const tGen = performance.now();
const synthTitles = syntheticTitles(seed, [], Math.max(0, maxN - seed.length), 11);
const docs: SearchDoc[] = seed.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract ?? '' }));
for (let i = 0; docs.length < maxN; i++) docs.push({ id: `x${i}`, title: synthTitles[i]!, abstract: abstract() });
console.log(`generated ${docs.length.toLocaleString()} papers with abstracts in ${((performance.now() - tGen) / 1000).toFixed(1)} s`);

// Queries.
const titleWords = seed.flatMap((p) => p.title.split(/\s+/).filter((w) => /^[A-Za-z][a-z-]{3,}$/.test(w)));
const freq = new Map<string, number>();
for (const d of docs.slice(0, 20000)) for (const t of tokenize(`${d.title} ${d.abstract}`)) freq.set(t, (freq.get(t) ?? 0) + 1);
const common = [...freq].toSorted((a, b) => b[1] - a[1]).slice(0, 12).map(([w]) => w);
const phrase = (n: number): string => {
  const p = pick(seed).title.split(/\s+/).filter((w) => /^[A-Za-z]/.test(w));
  const i = Math.floor(r() * Math.max(1, p.length - n));
  return p.slice(i, i + n).join(' ');
};
const QUERIES: Record<string, string[]> = {
  one_word: Array.from({ length: 150 }, () => `${pick(titleWords)} `),
  two_words: Array.from({ length: 150 }, () => `${phrase(2)} `),
  three_words: Array.from({ length: 150 }, () => `${phrase(3)} `),
  common_words: [...common.map((w) => `${w} `), `${common[0]} ${common[1]} ${common[2]} `],
  typeahead: Array.from({ length: 40 }, () => phrase(2)).flatMap((q) => Array.from({ length: q.length - 1 }, (_, i) => q.slice(0, i + 2))),
};

interface Row {
  size: number;
  buildMs: number;
  indexMB: number;
  kind: string;
  queries: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time of this process per query (wall time minus waiting for a CPU on a shared machine). */
  cpuMedianMs: number;
  cpuP95Ms: number;
  cpuMaxMs: number;
}
const rows: Row[] = [];
const persisted: Record<string, number>[] = [];
const q = (xs: number[], f: number) => xs.toSorted((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * f))]!;

for (const size of sizes) {
  const slice = docs.slice(0, size);
  const before = mem();
  const t0 = performance.now();
  const index = SearchIndex.build(slice);
  const buildMs = performance.now() - t0;
  const indexMB = (mem() - before) / 1048576;
  // The persisted form (lib/search/persisted.ts): writing it, its size, and loading it back —
  // what a page open costs instead of the build.
  const tParts = performance.now();
  const parts = index.toParts();
  const toPartsMs = performance.now() - tParts;
  // Every typed array of the parts, and the strings at 2 bytes a character.
  const partsBytes = Object.values(parts).reduce<number>((sum, v) => sum + (typeof v === 'string' ? 2 * v.length : ArrayBuffer.isView(v) ? v.byteLength : 0), 0);
  const decodes: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    SearchIndex.fromParts(parts);
    decodes.push(performance.now() - t);
  }
  persisted.push({ size, buildMs: +buildMs.toFixed(0), toPartsMs: +toPartsMs.toFixed(0), fromPartsMs: +q(decodes, 0.5).toFixed(1), partsMB: +(partsBytes / 1048576).toFixed(1), partsBytesPerPaper: Math.round(partsBytes / size), heapMBIndex: +indexMB.toFixed(1), heapBytesPerPaper: Math.round((indexMB * 1048576) / size) });
  // A filter like the library's (a Set lookup per candidate).
  const allowed = new Set(slice.filter((_, i) => i % 3 !== 0).map((d) => d.id));
  const kinds: [string, string[], boolean][] = [
    ...Object.entries(QUERIES).map(([k, v]) => [k, v, false] as [string, string[], boolean]),
    ['two_words+filter', QUERIES.two_words!, true],
  ];
  for (const [kind, queries, filtered] of kinds) {
    for (const query of queries.slice(0, 20)) index.search(query, { limit: 200 }); // warm-up
    const times: number[] = [];
    const cpu: number[] = [];
    for (const query of queries) {
      const c = process.cpuUsage();
      const t = performance.now();
      index.search(query, filtered ? { limit: 5000, filter: (id) => allowed.has(id) } : { limit: 5000 });
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    rows.push({
      size,
      buildMs,
      indexMB,
      kind,
      queries: times.length,
      medianMs: q(times, 0.5),
      p95Ms: q(times, 0.95),
      maxMs: Math.max(...times),
      cpuMedianMs: q(cpu, 0.5),
      cpuP95Ms: q(cpu, 0.95),
      cpuMaxMs: Math.max(...cpu),
    });
  }
}

const load = loadavg()[0]!;
console.log(`load average ${load.toFixed(1)} on ${cpus().length} CPUs (wall times include waiting for a CPU; cpu_* columns do not)`);
console.log('size      build_ms  index_MB  kind               queries  median_ms  p95_ms  max_ms  cpu_med  cpu_p95  cpu_max');
const f = (x: number, w: number) => x.toFixed(2).padStart(w);
for (const x of rows) {
  console.log(
    `${String(x.size).padEnd(9)} ${x.buildMs.toFixed(0).padStart(8)}  ${x.indexMB.toFixed(1).padStart(8)}  ${x.kind.padEnd(18)} ${String(x.queries).padStart(7)}  ${f(x.medianMs, 9)}  ${f(x.p95Ms, 6)}  ${f(x.maxMs, 6)}  ${f(x.cpuMedianMs, 7)}  ${f(x.cpuP95Ms, 7)}  ${f(x.cpuMaxMs, 7)}`,
  );
}
console.log('persisted index: size     build_ms  toParts_ms  fromParts_ms (median of 3; the page-open cost)  parts_MB  parts_B/paper  heap_MB  heap_B/paper');
for (const x of persisted) {
  console.log(`                 ${String(x.size).padEnd(8)} ${String(x.buildMs).padStart(8)}  ${String(x.toPartsMs).padStart(10)}  ${String(x.fromPartsMs).padStart(12)}                                  ${String(x.partsMB).padStart(8)}  ${String(x.partsBytesPerPaper).padStart(13)}  ${String(x.heapMBIndex).padStart(7)}  ${String(x.heapBytesPerPaper).padStart(12)}`);
}
console.log(`BENCH_JSON ${JSON.stringify({ bench: 'library-search-persisted', loadAverage: +loadavg()[0]!.toFixed(1), rows: persisted })}`);
const at100k = rows.filter((x) => x.size === Math.max(...sizes));
const worstP95 = Math.max(...at100k.map((x) => x.p95Ms));
const worstMax = Math.max(...at100k.map((x) => x.maxMs));
const worstCpuP95 = Math.max(...at100k.map((x) => x.cpuP95Ms));
console.log(
  `at ${Math.max(...sizes).toLocaleString()} papers: worst p95 ${worstP95.toFixed(2)} ms wall / ${worstCpuP95.toFixed(2)} ms CPU, worst single query ${worstMax.toFixed(2)} ms wall (target ≤ ${TARGET_MS} ms)`,
);
console.log(
  `BENCH_JSON ${JSON.stringify({ bench: 'library-search', targetMs: TARGET_MS, loadAverage: +load.toFixed(1), cpus: cpus().length, worstP95Ms: +worstP95.toFixed(2), worstCpuP95Ms: +worstCpuP95.toFixed(2), worstMaxMs: +worstMax.toFixed(2), rows })}`,
);
// On a machine shared with other jobs the wall time mostly measures the queue for a CPU; the
// target is then judged on CPU time (both are printed above).
const judged = load > cpus().length ? worstCpuP95 : worstP95;
if (judged > TARGET_MS) {
  console.error(`library search: p95 ${judged.toFixed(1)} ms exceeds the ${TARGET_MS} ms target`);
  process.exitCode = 1;
}
