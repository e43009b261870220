/**
 * Triage bench (`npm run bench -- suggest`):
 *  1. Tag-suggestion quality on labels nobody here wrote: titles from five public awesome-* reading
 *     lists (tests/fixtures/triage/reading-lists.json, sources there), the list's topic as the tag.
 *     Half of each topic trains, the other half is scored mixed with the other topics' test titles
 *     and with untagged papers (the seed corpus: real Hugging Face daily-paper titles + abstracts;
 *     half train as untagged, half are scored). Per-tag average precision, top-1 accuracy, and how
 *     often an untagged paper gets a suggestion — Shelfmark's recipe, arxiv-sanity-lite's recipe
 *     and "most frequent tag", in the same run; titles only, then with abstracts where there are
 *     some (the lists carry none; the untagged papers do).
 *  2. Speed: training on 10k tagged papers and scoring a 2000-entry page, as ratios to matching
 *     the same page against a 10k corpus (MatchIndex), in the same run.
 *  3. Seen store: bytes at 1M seen papers; looking up a 2000-entry page.
 *
 * Env: BENCH_RUNS (timing passes, default 3), BENCH_SEEN (seen-store size, default 1000000).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RECIPES, train, type Doc, type Recipe } from '../lib/triage/model';
import { SeenIndex, seenHash } from '../lib/triage/seen';
import { MatchIndex } from '../lib/match/index';
import { abstractWalk, rng, seedCorpus } from './lib/evalset';
import { readSeedFiles } from './lib/seed-files';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEEN_N = Number(process.env.BENCH_SEEN ?? 1_000_000);

interface Item {
  title: string;
  tag: string;
}
const fixture = JSON.parse(readFileSync(resolve(ROOT, 'tests/fixtures/triage/reading-lists.json'), 'utf8')) as {
  sources: { tag: string; repo: string; commit: string; titles: number }[];
  items: Item[];
};
const corpus = seedCorpus(readSeedFiles(ROOT));

// ---- split ------------------------------------------------------------------------------------

const r = rng(14);
const shuffle = <T>(xs: T[]): T[] => {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};
const shuffleFixed = <T>(xs: T[]): T[] => {
  const rf = rng(99);
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rf() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};
const tags = fixture.sources.map((s) => s.tag);
const trainItems: Item[] = [];
const testItems: Item[] = [];
for (const t of tags) {
  const xs = shuffle(fixture.items.filter((i) => i.tag === t));
  const half = Math.ceil(xs.length / 2);
  trainItems.push(...xs.slice(0, half));
  testItems.push(...xs.slice(half));
}
const untagged = shuffle(corpus);
const untaggedTrain = untagged.slice(0, Math.floor(untagged.length / 2));
const untaggedTest = untagged.slice(Math.floor(untagged.length / 2));

// ---- metrics ----------------------------------------------------------------------------------

/** Average precision of a ranking: mean of precision at each positive's rank. */
function averagePrecision(scores: number[], positive: boolean[]): number {
  const order = scores.map((s, i) => i).toSorted((a, b) => scores[b]! - scores[a]! || a - b);
  let hits = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (positive[i]) {
      hits++;
      sum += hits / (rank + 1);
    }
  });
  return hits ? sum / hits : 0;
}

interface Scorer {
  name: string;
  /** Scores per tag for one paper, in `tags` order; `yes` = the tags it would suggest. */
  score(title: string, abstract?: string): { scores: number[]; yes: string[] };
}

async function modelScorer(name: string, recipe: Recipe, withAbstracts: boolean): Promise<Scorer> {
  const docs: Doc[] = [
    ...trainItems.map((i) => ({ title: i.title, tags: [i.tag] })),
    ...untaggedTrain.map((p) => ({ title: p.title, ...(withAbstracts && p.abstract ? { abstract: p.abstract } : {}), tags: [] })),
  ];
  const model = await train(docs, { recipe });
  return {
    name,
    score(title, abstract) {
      const s = model.scores(title, abstract);
      return { scores: tags.map((t) => s[model.tags.indexOf(t)] ?? -Infinity), yes: model.suggest(title, abstract).map((x) => x.tag) };
    },
  };
}

function mostFrequent(): Scorer {
  const counts = tags.map((t) => trainItems.filter((i) => i.tag === t).length);
  const best = tags[counts.indexOf(Math.max(...counts))]!;
  return { name: 'most frequent tag', score: () => ({ scores: counts.slice(), yes: [best] }) };
}

interface QualityRow {
  method: string;
  mode: string;
  ap: Record<string, number>;
  map: number;
  top1: number;
  /** Share of untagged test papers that got any suggestion. */
  untaggedSuggested: number;
  /** Of the suggestions made on tagged test titles, the share that were the right tag. */
  suggestPrecision: number;
  /** Share of tagged test titles whose right tag was suggested. */
  suggestRecall: number;
}

function evaluate(s: Scorer, mode: string, withAbstracts: boolean): QualityRow {
  // Shuffled once (same order for every method): a method that gives many papers the same score
  // (most frequent tag gives all of them the same) must not profit from the order topics were listed in.
  const tests = shuffleFixed([
    ...testItems.map((i) => ({ title: i.title, abstract: undefined as string | undefined, tag: i.tag as string | undefined })),
    ...untaggedTest.map((p) => ({ title: p.title, abstract: withAbstracts ? p.abstract : undefined, tag: undefined })),
  ]);
  const out = tests.map((t) => s.score(t.title, t.abstract));
  const ap: Record<string, number> = {};
  tags.forEach((tag, k) =>
    (ap[tag] = averagePrecision(
      out.map((o) => o.scores[k]!),
      tests.map((t) => t.tag === tag),
    )),
  );
  let top1 = 0;
  let made = 0;
  let right = 0;
  let found = 0;
  let untaggedYes = 0;
  tests.forEach((t, i) => {
    const o = out[i]!;
    if (!t.tag) {
      if (o.yes.length) untaggedYes++;
      return;
    }
    const best = tags[o.scores.indexOf(Math.max(...o.scores))];
    if (best === t.tag) top1++;
    made += o.yes.length;
    right += o.yes.includes(t.tag) ? 1 : 0;
    found += o.yes.includes(t.tag) ? 1 : 0;
  });
  const mean = Object.values(ap).reduce((a, b) => a + b, 0) / tags.length;
  return {
    method: s.name,
    mode,
    ap,
    map: mean,
    top1: top1 / testItems.length,
    untaggedSuggested: untaggedYes / untaggedTest.length,
    suggestPrecision: made ? right / made : 0,
    suggestRecall: found / testItems.length,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`.padStart(5);
const quality: QualityRow[] = [];
for (const [mode, withAbstracts] of [
  ['titles only', false],
  ['with abstracts', true],
] as const) {
  for (const s of [
    await modelScorer('shelfmark', RECIPES.shelfmark, withAbstracts),
    await modelScorer('arxiv-sanity-lite recipe', RECIPES.asl, withAbstracts),
    mostFrequent(),
  ]) {
    quality.push(evaluate(s, mode, withAbstracts));
  }
}

console.log(`reading lists: ${fixture.sources.map((s) => `${s.tag} ${s.titles} (${s.repo}@${s.commit.slice(0, 7)})`).join('; ')}`);
console.log(`train: ${trainItems.length} tagged + ${untaggedTrain.length} untagged; test: ${testItems.length} tagged + ${untaggedTest.length} untagged`);
console.log(`\n${'method'.padEnd(26)} ${'mode'.padEnd(15)} ${tags.map((t) => `AP ${t}`.slice(0, 14).padStart(14)).join(' ')}   mAP  top1  sugP  sugR  untaggedSug`);
for (const q of quality) {
  console.log(
    `${q.method.padEnd(26)} ${q.mode.padEnd(15)} ${tags.map((t) => pct(q.ap[t]!).padStart(14)).join(' ')} ${pct(q.map)} ${pct(q.top1)} ${pct(q.suggestPrecision)} ${pct(q.suggestRecall)} ${pct(q.untaggedSuggested)}`,
  );
}

// ---- decision threshold: suggestions made vs. missed, on the same split ---------------------------

{
  const model = await train([
    ...trainItems.map((i) => ({ title: i.title, tags: [i.tag] })),
    ...untaggedTrain.map((p) => ({ title: p.title, ...(p.abstract ? { abstract: p.abstract } : {}), tags: [] })),
  ]);
  console.log('\nshelfmark, decision threshold sweep (tagged test titles; untagged test papers with abstracts):');
  for (const th of [0, 0.25, 0.5]) {
    let made = 0;
    let right = 0;
    let untaggedYes = 0;
    for (const i of testItems) {
      const s = model.scores(i.title);
      model.tags.forEach((t, k) => {
        if (s[k]! > th) {
          made++;
          if (t === i.tag) right++;
        }
      });
    }
    for (const p of untaggedTest) if (model.scores(p.title, p.abstract).some((v) => v > th)) untaggedYes++;
    console.log(`  > ${th.toFixed(2)}: precision ${pct(made ? right / made : 0)}  recall ${pct(right / testItems.length)}  untagged with a suggestion ${pct(untaggedYes / untaggedTest.length)}`);
  }
}

// ---- speed ------------------------------------------------------------------------------------

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const walk = abstractWalk(corpus, rng(5));
const big: Doc[] = [];
const speedTags = Array.from({ length: 20 }, (_, i) => `topic ${i}`);
const titlePool = fixture.items.map((i) => i.title).concat(corpus.map((p) => p.title));
for (let i = 0; i < 10_000; i++) {
  big.push({ title: titlePool[i % titlePool.length]!, abstract: walk(), tags: [speedTags[i % speedTags.length]!, ...(i % 3 === 0 ? [speedTags[(i * 7) % speedTags.length]!] : [])] });
}
const page = Array.from({ length: 2000 }, (_, i) => ({ title: `${titlePool[(i * 13) % titlePool.length]!} ${i}`, abstract: walk() }));
const matchIndex = MatchIndex.build(big.map((d, i) => ({ id: `p${i}`, title: d.title })));
const matchMs: number[] = [];
const trainMs: number[] = [];
const scoreMs: number[] = [];
let trained = await train(big);
for (let k = 0; k < RUNS; k++) {
  let t = performance.now();
  matchIndex.matchMany(page.map((p) => ({ title: p.title, ids: {}, abstract: p.abstract })));
  matchMs.push(performance.now() - t);
  t = performance.now();
  for (const p of page) trained.suggest(p.title, p.abstract);
  scoreMs.push(performance.now() - t);
  t = performance.now();
  trained = await train(big);
  trainMs.push(performance.now() - t);
}
const m = median(matchMs);
// The longest stretch training runs without yielding (the background answers messages in between).
let longest = 0;
let last = performance.now();
await train(big, {
  yieldEvery: async () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    await new Promise((done) => setTimeout(done, 0));
    last = performance.now();
  },
});
console.log(`\nspeed (median of ${RUNS}; 10k tagged papers with abstracts, 20 tags; a 2000-entry page with abstracts)`);
console.log(`  match the page (baseline, MatchIndex over 10k): ${m.toFixed(1)} ms`);
console.log(`  suggest tags for the page:                     ${median(scoreMs).toFixed(1)} ms  (${(median(scoreMs) / m).toFixed(2)}× matching)`);
console.log(`  train on 10k tagged papers:                    ${median(trainMs).toFixed(0)} ms  (${(median(trainMs) / m).toFixed(1)}× matching)`);
const modelBytes = trained.data.weights.byteLength + trained.data.idf.byteLength + trained.data.vocab.length * 2;
console.log(`  longest stretch without yielding while training: ${longest.toFixed(0)} ms (yields every 500 papers while building features, and after each pass over a tag's papers)`);
console.log(`  model: ${trained.data.idf.length} terms × ${trained.tags.length} tags, ~${(modelBytes / 1048576).toFixed(1)} MB persisted`);

// ---- seen store -------------------------------------------------------------------------------

const seen = new SeenIndex();
const rr = rng(9);
const keys = new Uint32Array(SEEN_N);
for (let i = 0; i < SEEN_N; i++) keys[i] = Math.floor(rr() * 2 ** 32);
let t0 = performance.now();
for (let i = 0; i < SEEN_N; i += 2000) seen.add(keys.subarray(i, i + 2000), `page ${i % 500}`, Date.now());
seen.snap = seen.compact();
seen.recent.clear();
const buildMs = performance.now() - t0;
const pageKeys = page.map((p) => seenHash(p.title));
const lookMs: number[] = [];
for (let k = 0; k < RUNS; k++) {
  t0 = performance.now();
  for (const h of pageKeys) seen.get(h);
  for (let i = 0; i < 2000; i++) seen.get(keys[i * 7]!);
  lookMs.push(performance.now() - t0);
}
const hashMs = (() => {
  const t = performance.now();
  for (const p of page) seenHash(p.title);
  return performance.now() - t;
})();
console.log(`\nseen store at ${SEEN_N.toLocaleString('en')} papers: snapshot ${(seen.snapshotBytes / 1048576).toFixed(1)} MB (${(seen.snapshotBytes / SEEN_N).toFixed(1)} B/paper); a 2000-entry page view adds one log row of ${2000 * 4} B`);
console.log(`  fold 1M into the snapshot: ${buildMs.toFixed(0)} ms; look up 4000 keys: ${median(lookMs).toFixed(2)} ms (hashing the page's titles: ${hashMs.toFixed(2)} ms; matching it: ${m.toFixed(1)} ms)`);

console.log(
  `BENCH_JSON ${JSON.stringify({
    bench: 'suggest',
    quality,
    speed: { longestSliceMs: longest, matchMs: m, suggestMs: median(scoreMs), trainMs: median(trainMs), suggestRatio: median(scoreMs) / m, trainRatio: median(trainMs) / m },
    seen: { papers: SEEN_N, bytes: seen.snapshotBytes, lookupMs: median(lookMs) },
  })}`,
);
