/**
 * Dedupe benchmark: the seed corpus (314 papers) plus ≥ 100 injected duplicates of *every* kind,
 * clustered by lib/dedupe/dedupe.ts (with the matcher's index as an extra title source, as the library
 * runs it). Measures:
 *  - recall: injected duplicates that end up in a proposed cluster with their original
 *    (certain or maybe), overall and per kind;
 *  - false certain: proposed pairs of *different* papers at level certain (must be 0);
 *  - false maybe: pairs of different papers proposed for review;
 *  - the seed corpus's natural near-misses (D4RL / D5RL, NeoRL / NeoRL-2, …) never certain;
 *  - time to cluster.
 * Kinds: normalizable renderings (case, punctuation, Unicode, v2, LaTeX, "Title:"), typos,
 * truncated titles, "NAME:" prefix added/removed, subtitle dropped, two words swapped, retitled
 * versions (half the title words replaced, abstract with ~3% word edits), and published versions
 * (a new title, a DOI and a venue, the preprint's abstract with ~3% word edits).
 * Abstracts of the title-noise kinds: 70% copied with ~3% word edits, 30% missing.
 *
 * Scale (BENCH_DEDUPE_SCALE, default 20000): the same run over that many synthetic papers with
 * abstracts (titles from the matcher's generator, abstracts from a word-bigram chain over the
 * seed abstracts) added to the corpus: time to cluster, and how many pairs of these distinct
 * papers come out certain (should be 0) or maybe.
 *
 * Env: BENCH_DEDUPE_PER_KIND (default 100), BENCH_DEDUPE_SCALE. Prints a table and one
 * `BENCH_JSON ` line.
 */
import { findDuplicatePairs, clusterPairs, pairKey } from '../lib/dedupe/dedupe';
import { BlockingIndex } from '../lib/dedupe/incremental';
import { CandidateEngine } from '../lib/dedupe/candidates';
import { ShelfmarkDB } from '../lib/storage/db';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { MatchIndex } from '../lib/match/index';
import { buildSeedCorpus } from '../lib/corpus/corpus';
import { titleKey } from '../lib/model/normalize';
import type { Paper } from '../lib/model/types';
import { abstractWalk, rng, seedCorpus, syntheticTitles } from './lib/evalset';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const PER_KIND = Number(process.env.BENCH_DEDUPE_PER_KIND ?? 100);

const files = readSeedFiles(ROOT);
const seed = buildSeedCorpus(files).papers;

function paper(id: string, title: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, key: titleKey(title), aliasKeys: [], provenance: [], origin: 'import', addedAt: 2, updatedAt: 2, ...extra };
}

const r = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** ~3% of the words get a small edit (a dropped, doubled or replaced word). */
function editAbstract(text: string): string {
  const ws = text.split(' ');
  const out: string[] = [];
  for (const w of ws) {
    const x = r();
    if (x < 0.01) continue;
    if (x < 0.02) out.push(w, w);
    else if (x < 0.03) out.push(pick(['method', 'approach', 'results', 'we', 'show', 'model']));
    else out.push(w);
  }
  return out.join(' ');
}

const FILLER = ['Scalable', 'Robust', 'Efficient', 'Adaptive', 'Principled', 'Unified', 'Practical', 'Generalist', 'Grounded', 'Structured', 'Latent', 'Hierarchical', 'Modular', 'Causal', 'Sparse', 'Compositional'];
const NOUNS = ['Agents', 'Policies', 'Controllers', 'Learners', 'Planners', 'Critics', 'Priors', 'Representations', 'Objectives', 'Datasets', 'Benchmarks', 'Models'];

function typo(t: string): string | undefined {
  const spans = [...t.matchAll(/[A-Za-z]{6,}/g)];
  if (!spans.length) return undefined;
  const m = pick(spans);
  const i = m.index! + 1 + Math.floor(r() * (m[0].length - 3));
  const ops = [
    (s: string) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2), // swap
    (s: string) => s.slice(0, i) + s.slice(i + 1), // drop
    (s: string) => s.slice(0, i) + s[i] + s.slice(i), // double
  ];
  return pick(ops)(t);
}

function normalizable(t: string): string {
  return pick([
    (s: string) => s.toUpperCase(),
    (s: string) => s.toLowerCase(),
    (s: string) => s.replace(/[:,?]/g, '') + ' v2',
    (s: string) => `Title: ${s}`,
    (s: string) => s.replace(/-/g, ' ‐ ').replace(/e/g, 'é'),
    (s: string) => `[PDF] ${s}.`,
  ])(t);
}

function truncated(t: string): string | undefined {
  const ws = t.split(' ');
  if (ws.length < 6) return undefined;
  return ws.slice(0, Math.max(4, Math.ceil(ws.length * 0.7))).join(' ') + ' …';
}

function namePrefix(t: string): string | undefined {
  const m = /^([^:]{2,30}):\s+(.+)$/.exec(t);
  if (m) return m[2];
  const ws = t.split(' ').filter((w) => /^[A-Za-z]/.test(w));
  if (ws.length < 3) return undefined;
  return `${ws.slice(0, 3).map((w) => w[0]!.toUpperCase()).join('')}: ${t}`;
}

function subtitleDropped(t: string): string | undefined {
  const i = t.search(/[:?—–]\s/);
  if (i > 15 && t.length - i > 10) return t.slice(0, i);
  const ws = t.split(' ');
  if (ws.length < 7) return undefined;
  return ws.slice(0, ws.length - 2).join(' ');
}

function wordSwap(t: string): string | undefined {
  const ws = t.split(' ');
  if (ws.length < 5) return undefined;
  const i = 1 + Math.floor(r() * (ws.length - 3));
  [ws[i], ws[i + 1]] = [ws[i + 1]!, ws[i]!];
  return ws.join(' ');
}

function retitle(t: string): string {
  const ws = t.replace(/:/g, '').split(' ');
  for (let i = 0; i < ws.length; i++) if (r() < 0.5) ws[i] = pick([...FILLER, ...NOUNS]);
  return ws.join(' ');
}

function published(t: string): string {
  return `${pick(FILLER)} ${pick(NOUNS)} for ${t.split(' ').slice(-3).join(' ').replace(/[:?]/g, '')}: ${pick(['Theory and Practice', 'A Study', 'Revisited', 'at Scale'])}`;
}

type Kind = 'normalizable' | 'typo' | 'truncated' | 'name_prefix' | 'subtitle' | 'word_swap' | 'retitled' | 'published';
const KINDS: { kind: Kind; make: (t: string) => string | undefined; abstract: 'maybe' | 'always' }[] = [
  { kind: 'normalizable', make: normalizable, abstract: 'maybe' },
  { kind: 'typo', make: typo, abstract: 'maybe' },
  { kind: 'truncated', make: truncated, abstract: 'maybe' },
  { kind: 'name_prefix', make: namePrefix, abstract: 'maybe' },
  { kind: 'subtitle', make: subtitleDropped, abstract: 'maybe' },
  { kind: 'word_swap', make: wordSwap, abstract: 'maybe' },
  { kind: 'retitled', make: retitle, abstract: 'always' },
  { kind: 'published', make: published, abstract: 'always' },
];

// ---------------------------------------------------------------- the corpus with injections
const papers: Paper[] = seed.map((p) => paper(p.id, p.title, { key: p.key, abstract: p.abstract, origin: 'seed', addedAt: 1 }));
const truth = new Map<string, string>(papers.map((p) => [p.id, p.id]));
const kindOf = new Map<string, Kind>();
let n = 0;
for (const k of KINDS) {
  let made = 0;
  let tries = 0;
  while (made < PER_KIND && tries++ < PER_KIND * 20) {
    const orig = pick(seed);
    const title = k.make(orig.title);
    if (!title || titleKey(title) === '' || title === orig.title) continue;
    const id = `dup${n++}`;
    const extra: Partial<Paper> = {};
    if (k.abstract === 'always' || r() < 0.7) extra.abstract = editAbstract(orig.abstract);
    if (k.kind === 'published') {
      extra.doi = `10.5555/bench.${n}`;
      extra.venue = pick(['NeurIPS', 'ICML', 'ICLR', 'CoRL', 'TMLR']);
    }
    papers.push(paper(id, title, extra));
    truth.set(id, orig.id);
    kindOf.set(id, k.kind);
    made++;
  }
}

// ---------------------------------------------------------------- run
const t0 = performance.now();
const index = MatchIndex.build(papers);
const titleCandidates = (p: Paper) => index.match({ title: p.title }).candidates.map((c) => c.paperId).filter((id) => id !== p.id);
const pairs = findDuplicatePairs(papers, { titleCandidates });
const clusters = clusterPairs(papers, pairs);
const ms = performance.now() - t0;

// A duplicate counts as found when a proposed pair (certain or maybe) joins it to a record of
// the same paper: its original or another copy of it. Maybe pairs are shown one by one (not
// chained), so cluster membership alone would undercount them.
const partners = new Map<string, string[]>();
for (const p of pairs) {
  partners.set(p.a, [...(partners.get(p.a) ?? []), p.b]);
  partners.set(p.b, [...(partners.get(p.b) ?? []), p.a]);
}
const certainWithSame = new Set<string>();
for (const p of pairs) {
  if (p.level === 'certain' && truth.get(p.a) === truth.get(p.b)) {
    certainWithSame.add(p.a);
    certainWithSame.add(p.b);
  }
}
const foundDup = (id: string) => (partners.get(id) ?? []).some((x) => truth.get(x) === truth.get(id));

const perKind: Record<string, { injected: number; found: number; certain: number }> = {};
for (const [id, kind] of kindOf) {
  const row = (perKind[kind] ??= { injected: 0, found: 0, certain: 0 });
  row.injected++;
  if (foundDup(id)) row.found++;
  if (certainWithSame.has(id)) row.certain++;
}
const injected = kindOf.size;
const found = Object.values(perKind).reduce((s, x) => s + x.found, 0);
const falseCertain = pairs.filter((p) => p.level === 'certain' && truth.get(p.a) !== truth.get(p.b));
const falseMaybe = pairs.filter((p) => p.level === 'maybe' && truth.get(p.a) !== truth.get(p.b));
const trueCertain = pairs.filter((p) => p.level === 'certain' && truth.get(p.a) === truth.get(p.b));
const trueMaybe = pairs.filter((p) => p.level === 'maybe' && truth.get(p.a) === truth.get(p.b));
const certainClusters = clusters.filter((c) => c.level === 'certain');
const impureCertainClusters = certainClusters.filter((c) => new Set(c.paperIds.map((id) => truth.get(id))).size > 1);

// The seed's natural near-misses must never be certain.
const byPrefix = (s: string) => seed.find((p) => p.title.startsWith(s))?.id;
const nearMisses: [string, string][] = [
  ['D4RL:', 'D5RL:'],
  ['NeoRL:', 'NeoRL-2:'],
  ['Efficient Online Reinforcement Learning with Offline Data', 'Efficient Online Reinforcement Learning Fine-Tuning'],
];
const nearMissCertain = nearMisses.filter(([a, b]) => {
  const x = byPrefix(a);
  const y = byPrefix(b);
  return x && y && pairs.some((p) => p.level === 'certain' && pairKey(p.a, p.b) === pairKey(x, y));
}).length;

const pct = (x: number) => (x * 100).toFixed(1) + '%';
console.log(`dedupe: ${seed.length} seed papers + ${injected} injected duplicates (${PER_KIND} per kind, ${KINDS.length} kinds) = ${papers.length} records; clustered in ${ms.toFixed(0)} ms`);
console.log('kind          injected  found  recall   certain');
for (const k of KINDS) {
  const x = perKind[k.kind]!;
  console.log(`${k.kind.padEnd(13)} ${String(x.injected).padStart(8)} ${String(x.found).padStart(6)}  ${pct(x.found / x.injected).padStart(6)}  ${String(x.certain).padStart(7)}`);
}
console.log(`all           ${String(injected).padStart(8)} ${String(found).padStart(6)}  ${pct(found / injected).padStart(6)}`);
console.log(`pairs proposed: ${pairs.length} (certain ${trueCertain.length + falseCertain.length}: ${falseCertain.length} false; maybe ${trueMaybe.length + falseMaybe.length}: ${falseMaybe.length} false)`);
console.log(`clusters shown: ${clusters.length} (${certainClusters.length} certain, of which mixing different papers: ${impureCertainClusters.length})`);
console.log(`pair precision: certain ${(trueCertain.length / Math.max(1, trueCertain.length + falseCertain.length)).toFixed(3)}, certain+maybe ${((trueCertain.length + trueMaybe.length) / Math.max(1, pairs.length)).toFixed(3)}`);
console.log(`seed near-miss pairs proposed as certain: ${nearMissCertain} of ${nearMisses.length}`);
for (const p of falseMaybe.slice(0, 8)) {
  const t = (id: string) => papers.find((x) => x.id === id)!.title.slice(0, 60);
  console.log(`  false maybe: "${t(p.a)}" ↔ "${t(p.b)}" — ${p.reasons.join('; ')}`);
}
for (const p of falseCertain.slice(0, 8)) {
  const t = (id: string) => papers.find((x) => x.id === id)!.title.slice(0, 60);
  console.log(`  FALSE CERTAIN: "${t(p.a)}" ↔ "${t(p.b)}" — ${p.reasons.join('; ')}`);
}
const missed = [...kindOf].filter(([id]) => !foundDup(id));
for (const [id, kind] of missed.slice(0, 8)) {
  const orig = papers.find((x) => x.id === truth.get(id))!;
  const dup = papers.find((x) => x.id === id)!;
  console.log(`  missed ${kind}: "${dup.title.slice(0, 70)}" (original "${orig.title.slice(0, 70)}")`);
}

// ---------------------------------------------------------------- scale
const synthetic = (id: string) => id.startsWith('syn');
const SCALE = Number(process.env.BENCH_DEDUPE_SCALE ?? 20000);
let scale: Record<string, number> | undefined;
if (SCALE > 0) {
  const sc = seedCorpus(files);
  const chain = abstractWalk(sc, r);
  const synth = syntheticTitles(sc, papers.map((p) => p.title), SCALE, 9).map((t, i) => paper(`syn${i}`, t, { abstract: chain() }));
  const all = [...papers, ...synth];
  const t1 = performance.now();
  const idx = MatchIndex.build(all);
  const tc = (p: Paper) => idx.match({ title: p.title }).candidates.map((c) => c.paperId).filter((id) => id !== p.id);
  const scalePairs = findDuplicatePairs(all, { titleCandidates: tc });
  const scaleMs = performance.now() - t1;
  const involving = scalePairs.filter((p) => synthetic(p.a) || synthetic(p.b));
  scale = {
    records: all.length,
    ms: Math.round(scaleMs),
    pairsWithSynthetic: involving.length,
    certainWithSynthetic: involving.filter((p) => p.level === 'certain').length,
  };
  console.log(
    `scale: ${all.length.toLocaleString()} records (${SCALE.toLocaleString()} synthetic papers with abstracts) clustered in ${(scaleMs / 1000).toFixed(1)} s; pairs involving a synthetic paper: ${scale.pairsWithSynthetic} (certain: ${scale.certainWithSynthetic})`,
  );
  for (const p of involving.filter((x) => x.level === 'certain').slice(0, 5)) {
    const t = (id: string) => all.find((x) => x.id === id)!.title.slice(0, 60);
    console.log(`  certain among synthetic: "${t(p.a)}" ↔ "${t(p.b)}" — ${p.reasons.join('; ')}`);
  }
}

// ---------------------------------------------------------------- incremental and full scan
// The incremental finder (lib/dedupe/incremental.ts) at each corpus size: building its blocking
// index (once per worker), then each arriving paper compared against the corpus (half copies of
// corpus papers, half new papers), in ms per paper. Then the checkpointed full scan
// (lib/dedupe/candidates.ts) over the same papers stored in IndexedDB (fake-indexeddb in Node),
// next to the floor: a bare getAll of the same papers from the same store, in the same run.
// Env: BENCH_DEDUPE_INC (sizes, default "10000,100000"; "0" skips), BENCH_DEDUPE_INC_ARRIVALS
// (default 200), BENCH_DEDUPE_FULL_MAX (largest size for the IndexedDB full scan, default 100000).
const incremental: Record<string, number>[] = [];
const incSizes = (process.env.BENCH_DEDUPE_INC ?? '10000,100000').split(',').map(Number).filter((x) => x > 0);
if (incSizes.length) {
  const ARRIVALS = Number(process.env.BENCH_DEDUPE_INC_ARRIVALS ?? 200);
  const FULL_MAX = Number(process.env.BENCH_DEDUPE_FULL_MAX ?? 100_000);
  const sc = seedCorpus(files);
  const ri = rng(77);
  const chain = abstractWalk(sc, ri);
  const maxN = Math.max(...incSizes);
  const titles = syntheticTitles(sc, [], maxN + ARRIVALS, 13);
  const pool = titles.map((t, i) => paper(`inc${String(i).padStart(7, '0')}`, t, { abstract: chain() }));
  const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p95 = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
  for (const N of incSizes) {
    const corpusN = pool.slice(0, N);
    const fresh = pool.slice(maxN, maxN + ARRIVALS / 2);
    const copies = Array.from({ length: ARRIVALS - fresh.length }, (_, i) => {
      const o = corpusN[Math.floor(ri() * N)]!;
      return paper(`copy${i}`, i % 2 ? o.title.toUpperCase() : (typo(o.title) ?? o.title), { abstract: o.abstract });
    });
    const tb = performance.now();
    const index = new BlockingIndex();
    for (const p of corpusN) index.add(p);
    const buildMs = performance.now() - tb;
    const per: number[] = [];
    let found = 0;
    for (const p of [...copies, ...fresh].toSorted(() => ri() - 0.5)) {
      const t = performance.now();
      const pairs = index.upsert(p.id, p);
      per.push(performance.now() - t);
      if (p.id.startsWith('copy') && pairs.length) found++;
    }
    const row: Record<string, number> = {
      papers: N,
      indexBuildMs: Math.round(buildMs),
      perPaperMedianMs: +median(per).toFixed(3),
      perPaperP95Ms: +p95(per).toFixed(3),
      perPaperMaxMs: +Math.max(...per).toFixed(3),
      copiesFound: found,
      copies: copies.length,
    };
    if (N <= FULL_MAX) {
      const db = new ShelfmarkDB(`bench-inc-${N}`, { indexedDB, IDBKeyRange });
      for (let i = 0; i < corpusN.length; i += 5000) await db.papers.bulkPut(corpusN.slice(i, i + 5000));
      const tf = performance.now();
      const all = await db.papers.toArray();
      row.floorGetAllMs = Math.round(performance.now() - tf);
      if (all.length !== N) throw new Error('bench: getAll read a different corpus');
      const ts = performance.now();
      const progress = await new CandidateEngine(db, { chunk: 2000 }).rescan();
      row.fullScanMs = Math.round(performance.now() - ts);
      if (progress.done !== N) throw new Error('bench: the scan did not cover the corpus');
      row.candidatePairs = await db.duplicateCandidates.count();
      db.close();
      await db.delete();
    }
    incremental.push(row);
  }
  console.log('incremental duplicate finder (Node, one CPU)      figure        floor (same run)');
  for (const x of incremental) {
    console.log(`  ${x.papers!.toLocaleString().padStart(7)} papers: index build ${x.indexBuildMs} ms (once per worker); per arriving paper median ${x.perPaperMedianMs} ms, p95 ${x.perPaperP95Ms} ms, max ${x.perPaperMaxMs} ms; copies found ${x.copiesFound}/${x.copies}`);
    if (x.fullScanMs !== undefined) console.log(`  ${x.papers!.toLocaleString().padStart(7)} papers: full checkpointed scan ${x.fullScanMs} ms (${x.candidatePairs} pairs)   ${x.floorGetAllMs} ms bare getAll of the same papers (fake-indexeddb)`);
  }
}

const result = {
  bench: 'dedupe',
  scale,
  incremental,
  seedPapers: seed.length,
  injected,
  perKindTarget: PER_KIND,
  records: papers.length,
  ms: Math.round(ms),
  recall: found / injected,
  perKind,
  pairs: pairs.length,
  certainPairs: trueCertain.length + falseCertain.length,
  falseCertain: falseCertain.length,
  maybePairs: trueMaybe.length + falseMaybe.length,
  falseMaybe: falseMaybe.length,
  impureCertainClusters: impureCertainClusters.length,
  nearMissCertain,
};
console.log(`BENCH_JSON ${JSON.stringify(result)}`);
if (falseCertain.length || found < injected || nearMissCertain) {
  console.error('dedupe bench: targets missed (every duplicate proposed, no false certain pair)');
  process.exitCode = 1;
}
