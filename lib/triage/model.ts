import { rng } from '../model/rng';
/**
 * Tag suggestions: tf-idf features and one linear classifier per tag, trained on the device on
 * the user's tagged papers — the recipe of arxiv-sanity-lite (tf-idf of title + abstract, word
 * 1–2-grams, sublinear tf, l2 norm; a linear SVM per tag with balanced class weights), with
 * settings for personal libraries (RECIPES.shelfmark): arxiv-sanity-lite's vocabulary cut-offs
 * (min_df 5, max_df 10 %, C 0.01) suit a server's 100k-paper corpus and leave a 30-paper tag
 * with almost no features. Both are measured side by side in `npm run bench -- suggest`.
 *
 * The classifier is an L2-regularized squared-hinge SVM solved by dual coordinate descent (the
 * method of liblinear, which scikit-learn's LinearSVC wraps); pure TypeScript over typed arrays.
 */

export interface Recipe {
  /**
   * 'full': one vector per paper, title + abstract (arxiv-sanity-lite). 'views': a title-only
   * vector for every paper besides the full one, and a tag most of whose papers had no abstract
   * (papers imported from a reference manager often have none) judges an entry with an abstract
   * by the mean of its title-only and its full score. With the full score alone such a tag sees
   * every abstract word as a sign of "not this tag" (only untagged papers had abstracts), and a
   * listing that shows abstracts gets few suggestions (ICLR 2018 on OpenReview, tags from two
   * reading lists: 26 of 30 topic entries); with the title alone, more unrelated entries get one
   * (266 of 958, against 166 with the mean, which finds all 30).
   */
  views: 'full' | 'views';
  minDf: number;
  /** Terms in more than this share of the documents are dropped. */
  maxDf: number;
  maxFeatures: number;
  c: number;
  epochs: number;
}

export const RECIPES = {
  /** arxiv-sanity-lite's settings (its compute.py and serve.py). */
  asl: { views: 'full', minDf: 5, maxDf: 0.1, maxFeatures: 20_000, c: 0.01, epochs: 10 },
  shelfmark: { views: 'views', minDf: 1, maxDf: 0.5, maxFeatures: 100_000, c: 1, epochs: 10 },
} satisfies Record<string, Recipe>;

/** A tag needs this many papers before it suggests anything. */
export const MIN_PAPERS_PER_TAG = 3;
const NEGATIVES_PER_POSITIVE = 4;
const MIN_NEGATIVES = 2000;
/** Suggestions per entry, at most. */
export const MAX_SUGGESTIONS = 3;

// A short English stop list (function words that carry no topic).
const STOP = new Set(
  (
    'a an and are as at be but by can do does for from has have how in into is it its of on or our over ' +
    'so than that the their them then there these this those to towards under up us via was we were ' +
    'what when where which while who why will with without you your not no more most less very using ' +
    'use based new study toward through between beyond about across after all also both each other ' +
    'such only own same any few some one two three'
  ).split(' '),
);

/** Lower-cased word tokens with accents stripped; stop words removed. */
export function tokens(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- ASCII text (most titles) skips the Unicode fold.
  const plain = (/[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text).toLowerCase();
  const out: string[] = [];
  for (const m of plain.matchAll(/[a-z][a-z0-9]+/g)) if (!STOP.has(m[0])) out.push(m[0]);
  return out;
}

/** Unigrams and adjacent bigrams (after stop-word removal, as scikit-learn's analyzer does). */
export function terms(text: string): string[] {
  const t = tokens(text);
  const out = t.slice();
  for (let i = 0; i + 1 < t.length; i++) out.push(`${t[i]} ${t[i + 1]}`);
  return out;
}

export interface Doc {
  title: string;
  abstract?: string;
  tags: readonly string[];
}

interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}

export interface SerializedModel {
  version: 1;
  tags: string[];
  /** Vocabulary, newline-joined (terms have no newlines). */
  vocab: string;
  idf: Float32Array;
  /** vocab × tags weights, term-major. */
  weights: Float32Array;
  bias: Float32Array;
  /** Papers per tag at training time. */
  counts: number[];
  /** Per tag: judge entries by title + abstract (else by title alone; see Recipe.views). */
  fullText: boolean[];
}

export interface Suggestion {
  tag: string;
  score: number;
}

export class TagModel {
  private readonly vocab: Map<string, number>;

  constructor(readonly data: SerializedModel) {
    const words = data.vocab ? data.vocab.split('\n') : [];
    this.vocab = new Map(words.map((w, i) => [w, i]));
  }

  get tags(): readonly string[] {
    return this.data.tags;
  }

  vector(text: string): Sparse {
    return vectorize(text, this.vocab, this.data.idf);
  }

  private raw(text: string): Float32Array {
    const x = this.vector(text);
    const { weights, bias, tags } = this.data;
    const T = tags.length;
    const out = Float32Array.from(bias);
    // Weights are term-major (a term's weights for every tag side by side): one contiguous read per term.
    for (let k = 0; k < x.idx.length; k++) {
      const off = x.idx[k]! * T;
      const v = x.val[k]!;
      for (let t = 0; t < T; t++) out[t] = out[t]! + weights[off + t]! * v;
    }
    return out;
  }

  /** Every tag's decision value for a paper (higher = fits better). */
  scores(title: string, abstract?: string): Float32Array {
    const full = this.data.fullText;
    if (!abstract) return this.raw(title);
    const withAbstract = this.raw(paperText(title, abstract));
    if (full.every(Boolean)) return withAbstract;
    const titleOnly = this.raw(title);
    return withAbstract.map((v, t) => (full[t] ? v : (v + titleOnly[t]!) / 2));
  }

  /** Tags whose classifier says yes (decision value > 0), best first, at most MAX_SUGGESTIONS. */
  suggest(title: string, abstract?: string, exclude: readonly string[] = []): Suggestion[] {
    const s = this.scores(title, abstract);
    const skip = new Set(exclude.map((t) => t.toLowerCase()));
    const out: Suggestion[] = [];
    this.data.tags.forEach((tag, i) => {
      if (s[i]! > 0 && !skip.has(tag.toLowerCase())) out.push({ tag, score: s[i]! });
    });
    return out.toSorted((a, b) => b.score - a.score).slice(0, MAX_SUGGESTIONS);
  }
}

function vectorize(text: string, vocab: Map<string, number>, idf: Float32Array): Sparse {
  return vectorizeTerms(terms(text), vocab, idf);
}

// Term counts of the document being vectorized, indexed by term (reused: no Map per document).
let scratch = new Float64Array(0);

function vectorizeTerms(ts: readonly string[], vocab: Map<string, number>, idf: Float32Array): Sparse {
  if (scratch.length < idf.length) scratch = new Float64Array(idf.length);
  const touched: number[] = [];
  for (const w of ts) {
    const i = vocab.get(w);
    if (i === undefined) continue;
    if (scratch[i] === 0) touched.push(i);
    scratch[i] = scratch[i]! + 1;
  }
  const idx = Int32Array.from(touched).toSorted();
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    // Sublinear tf (1 + ln tf) times idf, then l2-normalized.
    const v = (1 + Math.log(scratch[i]!)) * idf[i]!;
    scratch[i] = 0;
    val[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] = val[k]! / norm;
  return { idx, val };
}

export interface TrainOptions {
  recipe?: Recipe;
  /**
   * Awaited after each pass over a tag's papers and between tags, so a long training yields to
   * other work (the background's messages) every few tens of milliseconds.
   */
  yieldEvery?: () => Promise<void>;
}

/**
 * Trains one classifier per tag with at least MIN_PAPERS_PER_TAG papers. `docs` are every paper
 * the model may learn from: tagged ones are positives of their tags and negatives of the others;
 * untagged ones (a sample of the corpus) are negatives of every tag.
 */
export async function train(docs: readonly Doc[], opts: TrainOptions = {}): Promise<TagModel> {
  const recipe = opts.recipe ?? RECIPES.shelfmark;
  const counts = new Map<string, number>();
  const withAbstract = new Map<string, number>();
  for (const d of docs) {
    for (const t of new Set(d.tags)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (d.abstract) withAbstract.set(t, (withAbstract.get(t) ?? 0) + 1);
    }
  }
  const tags = [...counts].filter(([, n]) => n >= MIN_PAPERS_PER_TAG).map(([t]) => t).toSorted();
  const fullText = tags.map((t) => recipe.views === 'full' || (withAbstract.get(t) ?? 0) * 2 >= counts.get(t)!);
  // The vectors trained on: a paper's title + abstract, and its title alone as well when some
  // tag judges by title (views).
  const titleViews = fullText.some((f) => !f);
  const rowsOf = docs.flatMap((d) => {
    const full = { text: paperText(d.title, d.abstract), tags: d.tags };
    return titleViews && d.abstract ? [full, { text: d.title, tags: d.tags }] : [full];
  });

  // Vocabulary: document frequencies, cut-offs, the most frequent maxFeatures terms.
  // Tokenizing and vectorizing a large library take seconds: yield every few hundred papers too.
  const termLists: string[][] = [];
  for (const d of rowsOf) {
    termLists.push(terms(d.text));
    if (opts.yieldEvery && termLists.length % 500 === 0) await opts.yieldEvery();
  }
  const df = new Map<string, number>();
  for (let i = 0; i < termLists.length; i++) {
    for (const w of new Set(termLists[i])) df.set(w, (df.get(w) ?? 0) + 1);
    if (opts.yieldEvery && i % 1000 === 999) await opts.yieldEvery();
  }
  const n = rowsOf.length;
  const maxDf = recipe.maxDf * n;
  const lo = recipe.minDf;
  const hi = Math.max(maxDf, 1);
  // The maxFeatures most frequent terms, without sorting a million bigrams: a histogram of
  // document frequencies gives the cut-off; ties at the cut-off are taken in first-seen order.
  const hist = new Map<number, number>();
  for (const f of df.values()) if (f >= lo && f <= hi) hist.set(f, (hist.get(f) ?? 0) + 1);
  let cut = lo;
  let room = recipe.maxFeatures;
  for (const f of [...hist.keys()].toSorted((a, b) => b - a)) {
    const c = hist.get(f)!;
    if (c >= room) {
      cut = f;
      break;
    }
    room -= c;
  }
  const kept: [string, number][] = [];
  let atCut = 0;
  for (const [word, f] of df) {
    if (f < cut || f > hi) continue;
    if (f === cut && hist.get(cut)! > room) {
      if (atCut >= room) continue;
      atCut++;
    }
    kept.push([word, f]);
  }
  const vocab = new Map(kept.map(([word], i) => [word, i]));
  const V = kept.length;
  const idf = new Float32Array(V);
  // Smoothed idf, as scikit-learn's TfidfVectorizer(smooth_idf=True).
  kept.forEach(([, f], i) => (idf[i] = Math.log((1 + n) / (1 + f)) + 1));
  const X: Sparse[] = [];
  for (const ts of termLists) {
    X.push(vectorizeTerms(ts, vocab, idf));
    if (opts.yieldEvery && X.length % 500 === 0) await opts.yieldEvery();
  }

  const weights = new Float32Array(tags.length * V);
  const bias = new Float32Array(tags.length);
  const w = new Float64Array(V + 1);
  const alpha = new Float64Array(n);
  const y = new Int8Array(n);
  const order = new Uint32Array(n);
  // ||x||² + 1 (the bias is a constant feature 1): rows are l2-normalized, so 2 unless empty.
  const qd = X.map((x) => (x.idx.length ? 2 : 1));
  for (let t = 0; t < tags.length; t++) {
    const tag = tags[t]!;
    // Every positive and a fixed-size sample of negatives (NEGATIVES_PER_POSITIVE per positive,
    // at least MIN_NEGATIVES): a tag's boundary is learned from the papers near it, and the cost
    // of a tag stops growing with the size of the library.
    const r = rng(7 + t);
    const posRows: number[] = [];
    const negRows: number[] = [];
    rowsOf.forEach((d, i) => {
      y[i] = d.tags.includes(tag) ? 1 : -1;
      (y[i] === 1 ? posRows : negRows).push(i);
    });
    const negCap = Math.max(MIN_NEGATIVES, NEGATIVES_PER_POSITIVE * posRows.length);
    for (let i = 0; i < Math.min(negCap, negRows.length); i++) {
      const j = i + Math.floor(r() * (negRows.length - i));
      const tmp = negRows[i]!;
      negRows[i] = negRows[j]!;
      negRows[j] = tmp;
    }
    const rows = posRows.concat(negRows.slice(0, negCap));
    const m = rows.length;
    const pos = posRows.length;
    // Balanced class weights: C scaled by m / (2 · class size).
    const cPos = (recipe.c * m) / (2 * pos);
    const cNeg = (recipe.c * m) / (2 * Math.max(1, m - pos));
    w.fill(0);
    alpha.fill(0);
    // Shrinking (as liblinear does): a paper whose alpha is 0 and whose gradient says it will stay
    // 0 leaves the active set; most papers are far from every tag's boundary, so later passes are short.
    let active = m;
    for (let i = 0; i < m; i++) order[i] = rows[i]!;
    let pgMaxOld = Infinity;
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      for (let i = active - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
      }
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let oi = 0; oi < active; oi++) {
        const i = order[oi]!;
        const x = X[i]!;
        const yi = y[i]!;
        const ci = yi === 1 ? cPos : cNeg;
        // Squared hinge: D_ii = 1 / (2C), no upper bound on alpha.
        const dii = 0.5 / ci;
        let wx = w[V]!;
        for (let k = 0; k < x.idx.length; k++) wx += w[x.idx[k]!]! * x.val[k]!;
        const g = yi * wx - 1 + dii * alpha[i]!;
        let pg = g;
        if (alpha[i] === 0) {
          if (g > pgMaxOld) {
            active--;
            order[oi] = order[active]!;
            order[active] = i;
            oi--;
            continue;
          }
          if (g > 0) pg = 0;
        }
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (pg === 0) continue;
        const old = alpha[i]!;
        const next = Math.max(0, old - g / (qd[i]! + dii));
        const d = (next - old) * yi;
        if (d === 0) continue;
        alpha[i] = next;
        for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!] = w[x.idx[k]!]! + d * x.val[k]!;
        w[V] = w[V]! + d;
      }
      // liblinear's stopping rule for the dual solvers: projected gradients within eps = 0.1;
      // when the shrunk set has converged, check once more over every paper.
      if (pgMax - pgMin <= 0.1) {
        if (active === m) break;
        active = m;
        pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
      if (opts.yieldEvery) await opts.yieldEvery();
    }
    const T = tags.length;
    for (let k = 0; k < V; k++) weights[k * T + t] = w[k]!;
    bias[t] = w[V]!;
    if (opts.yieldEvery) await opts.yieldEvery();
  }
  return new TagModel({
    version: 1,
    tags,
    vocab: kept.map(([word]) => word).join('\n'),
    idf,
    weights,
    bias,
    counts: tags.map((t) => counts.get(t)!),
    fullText,
  });
}

/** Checks a persisted model before use: a damaged row means "train again", never a crash. */
export function restoreModel(raw: unknown): TagModel | undefined {
  const m = raw as SerializedModel | undefined;
  if (!m || m.version !== 1 || !Array.isArray(m.tags) || typeof m.vocab !== 'string') return undefined;
  if (!(m.idf instanceof Float32Array) || !(m.weights instanceof Float32Array) || !(m.bias instanceof Float32Array)) return undefined;
  const V = m.vocab ? m.vocab.split('\n').length : 0;
  if (m.idf.length !== V || m.weights.length !== V * m.tags.length || m.bias.length !== m.tags.length) return undefined;
  if (!Array.isArray(m.fullText) || m.fullText.length !== m.tags.length) return undefined;
  return new TagModel(m);
}

/** The text a paper is judged by: its title, and its abstract when there is one. */
export function paperText(title: string, abstract?: string): string {
  return abstract ? `${title}\n${abstract}` : title;
}
