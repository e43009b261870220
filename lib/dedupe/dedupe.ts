/**
 * Duplicate proposals inside the corpus (design: matching-research.md §3.5 and §4.4).
 *
 * Candidate pairs come from four independent sources, none of them all-pairs:
 *   1. the same normalized title key (or a key the other record already carries as an alias);
 *   2. a shared identifier (arXiv id, DOI, OpenReview id);
 *   3. similar titles: the matcher's index when one is given (`titleCandidates`), plus a word index
 *      over title words (each paper's rarest words) verified with trigram Dice + a word check;
 *   4. similar abstracts: an index of word 3-shingles (a retitled published version keeps its
 *      preprint's abstract almost unchanged — Klein et al.; Lin et al. found 11% of published CS
 *      preprints were retitled).
 *
 * Every pair gets a level and human-readable reasons. `certain` needs two independent signals
 * that agree (same key, or a shared id, or a similar title *and* a similar abstract, or
 * near-identical abstracts) and no disqualifier; everything else is `maybe`. Disqualifiers: the
 * records carry different ids of one kind, their years differ by more than one, their titles differ
 * in a word holding a digit (D4RL / D5RL, GPT-3 / GPT-4), or both abstracts exist and disagree.
 * Title similarity alone never makes a pair certain: the research found 48 false "likely" pairs
 * among 100k synthetic titles that differed only by stop words or plurals.
 */
import type { Paper } from '../model/types';
import { normalizeTitle } from '../model/normalize';

export type DuplicateLevel = 'certain' | 'maybe';

export interface DuplicatePair {
  a: string;
  b: string;
  level: DuplicateLevel;
  /** Why the pair was proposed, in words for the merge view. */
  reasons: string[];
  /** Trigram Dice of the title keys (0–1). */
  titleSimilarity: number;
  /** Jaccard of the abstracts' word 3-shingles, when both papers have an abstract. */
  abstractSimilarity?: number;
}

export interface DuplicateCluster {
  /** Stable id: the sorted paper ids joined by '|'. */
  id: string;
  paperIds: string[];
  /** The record a merge keeps (the richest; see richness()). */
  survivorId: string;
  level: DuplicateLevel;
  pairs: DuplicatePair[];
}

/** A title-similarity source the matcher provides: other papers whose title is like this one. */
export type TitleCandidates = (paper: Paper) => Iterable<string>;

export interface DedupeOptions {
  /** Pairs the user said are not duplicates: `pairKey(a, b)`. */
  notDuplicates?: Set<string>;
  /** Extra title candidates (the matcher's index). */
  titleCandidates?: TitleCandidates;
  /** How many title candidates per paper are verified (default 16). */
  maxVerify?: number;
}

export const TITLE_CERTAIN = 0.8;
export const TITLE_MAYBE = 0.7;
export const ABSTRACT_ALIKE = 0.5;
export const ABSTRACT_SAME = 0.7;
export const ABSTRACT_DIFFERENT = 0.2;
/** Abstract shingles shared by more papers than this are common phrasing, not evidence (a paper
 * rarely has more than a dozen versions; pairs through common phrases would cost quadratic time). */
export const SHINGLE_MAX_DF = 12;
/** Title words in more papers than this are too common to generate candidates. */
export const WORD_MAX_DF = 1000;
/** Most records one paper's title words may pull in for verification. */
export const WORD_SCAN_BUDGET = 1500;

/** The `k` entries with the highest counts (a small insertion-sorted buffer, no full sort). */
export function topByCount(counts: Map<number, number>, k: number): [number, number][] {
  const top: [number, number][] = [];
  for (const e of counts) {
    if (top.length === k && e[1] <= top[k - 1]![1]) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]![1] < e[1]) at--;
    top.splice(at, 0, e);
    if (top.length > k) top.pop();
  }
  return top;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export const STOP = new Set(['a', 'an', 'the', 'and', 'of', 'for', 'in', 'on', 'to', 'with', 'via', 'by', 'from', 'at', 'is', 'are']);

// ---------------------------------------------------------------------------------------------
// Similarity measures

/** Set of padded character trigrams of a title key. */
export function trigrams(key: string): Set<string> {
  const s = `^${key}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Optimal string alignment distance, stopping early above `max`. */
function osa(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2: number[] = Array.from({ length: m + 1 }, () => 0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur: number[] = Array.from({ length: m + 1 }, () => 0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The word-level check of §4.2: after removing shared words, what is left on both sides may only
 * be stop words, typo-sized edits (≤1 for 4–7 letters, ≤2 for 8+), or a split/join; and the
 * shared content words appear in the same order.
 */
export function wordsCompatible(wa: string[], wb: string[]): boolean {
  const ca = wa.filter((w) => !STOP.has(w));
  const cb = wb.filter((w) => !STOP.has(w));
  const restA = multisetMinus(ca, cb);
  const restB = multisetMinus(cb, ca);
  // Shared content words in the same order.
  const restASet = new Set(restA);
  const restBSet = new Set(restB);
  const sa = ca.filter((w) => !restASet.has(w));
  const sb = cb.filter((w) => !restBSet.has(w));
  if (sa.join(' ') !== sb.join(' ')) return false;
  if (restA.length === 0 && restB.length === 0) return true;
  // Split/join: the leftovers on one side concatenate to the other's.
  if (restA.join('') === restB.join('')) return true;
  if (restA.length !== restB.length) return false;
  for (let i = 0; i < restA.length; i++) {
    const x = restA[i]!;
    const y = restB[i]!;
    const len = Math.max(x.length, y.length);
    const allowed = len >= 8 ? 2 : len >= 4 ? 1 : 0;
    if (allowed === 0 || osa(x, y, allowed) > allowed) return false;
  }
  return true;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const w of b) counts.set(w, (counts.get(w) ?? 0) + 1);
  const out: string[] = [];
  for (const w of a) {
    const c = counts.get(w) ?? 0;
    if (c > 0) counts.set(w, c - 1);
    else out.push(w);
  }
  return out;
}

/**
 * Title words holding a digit (model and dataset names, versions) must agree exactly when both
 * titles have them: D4RL / D5RL, GPT-3 / GPT-4. A title without any (a published version that
 * dropped the name) is not a conflict.
 */
export function digitWordsDiffer(wa: string[], wb: string[]): boolean {
  const da = new Set(wa.filter((w) => /\d/.test(w)));
  const db = new Set(wb.filter((w) => /\d/.test(w)));
  if (da.size === 0 || db.size === 0) return false;
  if (da.size !== db.size) return true;
  for (const w of da) if (!db.has(w)) return true;
  return false;
}

/** Word 3-shingles of an abstract, hashed to 32-bit integers. */
export function shingles(text: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!text) return out;
  const words = text
    .toLowerCase()
    .replace(/^\s*abstract[:.\s]+/i, '')
    .split(/[^\p{L}\p{N}]+/u);
  // Hash each word once, then combine three neighbours: no per-shingle strings.
  const hs: number[] = [];
  for (const w of words) if (w) hs.push(hash32(w));
  for (let i = 0; i + 3 <= hs.length; i++) {
    let h = Math.imul(hs[i]! ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ hs[i + 1]!, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16) ^ hs[i + 2]!, 0x27d4eb2f);
    out.add((h ^ (h >>> 15)) >>> 0);
  }
  return out;
}

function hash32(s: string): number {
  // FNV-1a: fast and well spread for short strings; collisions only add a little noise to Jaccard.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

const SUBTITLE_SEP = /[:?—]|\s[-–]\s/;

/**
 * One title is the other without its subtitle: the longer title, cut at a subtitle separator
 * (colon, question mark, dash), has the same key as the shorter one. Needs a main title of at
 * least three words, so "Introduction: …" does not pair with every "Introduction".
 */
export function subtitleDropped(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // Cheap checks first: this runs for every verified candidate pair.
  if (!SUBTITLE_SEP.test(long) || !long.toLowerCase().startsWith(short.slice(0, 3).toLowerCase())) return false;
  const ns = normalizeTitle(short);
  if (ns.words.length < 3) return false;
  const cut = /\s*(?::|\?|\s[-–—]\s|—)\s*/g;
  for (let m = cut.exec(long); m; m = cut.exec(long)) {
    const head = long.slice(0, m.index + (m[0].includes('?') ? 1 : 0));
    if (normalizeTitle(head).key === ns.key) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Records

/** A paper prepared for comparison (shared with the incremental finder, lib/dedupe/incremental.ts). */
export interface Rec {
  paper: Paper;
  words: string[];
  key: string;
  grams?: Set<string>;
  sh: Set<number>;
}

/** Abstracts shorter than this many shingles say too little to compare. */
export const MIN_SHINGLES = 8;

function idsOf(p: Paper): [string, string][] {
  const out: [string, string][] = [];
  if (p.arxivId) out.push(['arXiv id', p.arxivId]);
  if (p.doi) out.push(['DOI', p.doi.toLowerCase()]);
  if (p.openreviewId) out.push(['OpenReview id', p.openreviewId]);
  if (p.pmid) out.push(['PMID', p.pmid]);
  return out;
}

/** How complete a record is; a merge keeps the richest one. */
export function richness(p: Paper): number {
  let r = 0;
  if (p.abstract) r += 2 + Math.min(p.abstract.length, 3000) / 3000;
  if (p.authors?.length) r += 2;
  if (p.doi) r += 2; // a DOI usually means the published version
  if (p.venue) r += 1.5;
  if (p.arxivId) r += 1;
  if (p.openreviewId) r += 1;
  if (p.pmid) r += 1;
  if (p.year) r += 0.5;
  if (p.url) r += 0.25;
  r += Math.min(p.provenance.length, 4) * 0.1;
  return r;
}

/** Picks the survivor of a cluster: the richest record, then the oldest, then the smallest id. */
export function pickSurvivor(papers: Paper[]): Paper {
  return papers.toSorted(
    (x, y) => richness(y) - richness(x) || x.addedAt - y.addedAt || (x.id < y.id ? -1 : 1),
  )[0]!;
}

export function makeRec(paper: Paper): Rec {
  const n = normalizeTitle(paper.title);
  return { paper, words: n.words, key: paper.key || n.key, sh: shingles(paper.abstract) };
}

/** A title's distinct content words (what the word index holds). */
export function contentWords(r: Rec): string[] {
  return [...new Set(r.words)].filter((w) => !STOP.has(w));
}

/** The blocking keys of a record: its title key, its alias keys and its ids (sources 1 and 2). */
export function blockKeys(p: Paper, key: string): string[] {
  const out: string[] = [];
  if (key) out.push(`k:${key}`);
  for (const a of p.aliasKeys) if (a) out.push(`k:${a}`);
  for (const [kind, v] of idsOf(p)) out.push(`${kind}:${v}`);
  return out;
}

/** Keys shared by more records than this are stub titles ("Introduction"), not duplicate groups. */
export const KEY_GROUP_MAX = 200;

/** Whether a verified title candidate is similar enough to propose (source 3). */
export function titlesAlike(r: Rec, o: Rec): boolean {
  r.grams ??= trigrams(r.key);
  o.grams ??= trigrams(o.key);
  return dice(r.grams, o.grams) >= TITLE_MAYBE || subtitleDropped(r.paper.title, o.paper.title);
}

/** Whether two abstracts share enough shingles to propose: Jaccard ≥ 0.5 needs a third of the smaller set shared. */
export function abstractsOverlap(shared: number, a: Rec, b: Rec): boolean {
  return shared * 3 >= Math.min(a.sh.size, b.sh.size);
}

/**
 * Title candidates of record `self` through the word index (source 3): the records sharing most
 * of its rarest content words, at most `maxVerify`. `shared` is a zeroed scratch counter with a
 * slot per record number (left zeroed).
 */
export function wordNeighbours(
  self: number,
  words: string[],
  post: (w: string) => readonly number[] | undefined,
  shared: Uint8Array,
  maxVerify: number,
): number[] {
  words.sort((a, b) => (post(a)?.length ?? 0) - (post(b)?.length ?? 0));
  const hit: number[] = [];
  // The rarest words first, within a scan budget: a title made only of common words gets its
  // candidates from the key, the matcher and the abstracts instead of a scan of half the corpus.
  let scanned = 0;
  for (const w of words.slice(0, 3)) {
    const l = post(w);
    if (!l) continue;
    if (l.length > WORD_MAX_DF || (scanned > 0 && scanned + l.length > WORD_SCAN_BUDGET)) break;
    scanned += l.length;
    for (const j of l) {
      if (j === self) continue;
      if (shared[j] === 0) hit.push(j);
      shared[j]!++;
    }
  }
  // With two or more rare words scanned, a candidate must share two of them: one shared word
  // is what unrelated titles on one topic have in common.
  const minShared = words.length >= 4 ? 2 : 1;
  const counts = new Map<number, number>();
  for (const j of hit) {
    if (shared[j]! >= minShared) counts.set(j, shared[j]!);
    shared[j] = 0;
  }
  return topByCount(counts, maxVerify).map(([j]) => j);
}

// ---------------------------------------------------------------------------------------------
// Pair decision

export function judge(x: Rec, y: Rec, via: Set<string>): DuplicatePair | undefined {
  const p = x.paper;
  const q = y.paper;
  const reasons: string[] = [];
  const blockers: string[] = [];

  const sameKey = x.key.length > 0 && (x.key === y.key || p.aliasKeys.includes(y.key) || q.aliasKeys.includes(x.key));
  x.grams ??= trigrams(x.key);
  y.grams ??= trigrams(y.key);
  const tsim = sameKey ? 1 : dice(x.grams, y.grams);
  const wordsOk = sameKey || wordsCompatible(x.words, y.words);
  const digitConflict = !sameKey && digitWordsDiffer(x.words, y.words);
  const bothAbstracts = x.sh.size >= MIN_SHINGLES && y.sh.size >= MIN_SHINGLES;
  const asim = bothAbstracts ? jaccard(x.sh, y.sh) : undefined;

  const shared: string[] = [];
  const idsQ = new Map(idsOf(q));
  for (const [kind, v] of idsOf(p)) {
    const w = idsQ.get(kind);
    if (w === undefined) continue;
    if (w === v) shared.push(`same ${kind} ${v}`);
    else blockers.push(`different ${kind}s (${v} / ${w})`);
  }
  if (p.year && q.year && Math.abs(p.year - q.year) > 1) blockers.push(`years ${p.year} and ${q.year} differ by more than one`);
  if (digitConflict) blockers.push('the titles differ in a name or number');
  if (asim !== undefined && asim < ABSTRACT_DIFFERENT) blockers.push(`abstracts differ (${pct(asim)} alike)`);

  let certainBy: string | undefined;
  let proposed = false;
  if (sameKey) {
    proposed = true;
    certainBy = 'same normalized title';
    reasons.push(x.paper.title === y.paper.title ? 'identical titles' : 'same title after normalization (case, punctuation, accents, version tags)');
  }
  if (shared.length) {
    proposed = true;
    certainBy ??= shared[0];
    reasons.push(...shared);
  }
  if (!sameKey && tsim >= TITLE_MAYBE) {
    proposed = true;
    reasons.push(
      wordsOk
        ? `titles ${pct(tsim)} alike, differing only by typos, small words or word joins`
        : `titles ${pct(tsim)} alike`,
    );
    if (tsim >= TITLE_CERTAIN && wordsOk && asim !== undefined && asim >= ABSTRACT_ALIKE) {
      certainBy ??= 'similar titles and abstracts';
    }
  }
  if (asim !== undefined && asim >= ABSTRACT_ALIKE) {
    proposed = true;
    reasons.push(`abstracts ${pct(asim)} alike${tsim < TITLE_MAYBE ? ' (retitled version?)' : ''}`);
    if (asim >= ABSTRACT_SAME || tsim >= 0.5) certainBy ??= 'near-identical abstracts';
  }
  if (!sameKey && tsim < TITLE_MAYBE && subtitleDropped(p.title, q.title)) {
    proposed = true;
    reasons.push('one title is the other without its subtitle');
  }
  if (!proposed && via.has('matcher') && tsim >= 0.6) {
    // The matcher found them alike by its own measure (e.g. a truncated title).
    proposed = true;
    reasons.push(`the matcher finds the titles alike (${pct(tsim)})`);
  }
  if (!proposed) return undefined;
  // Moderately similar titles with abstracts that say different things are two papers on one
  // topic (D4RL / D5RL, NeoRL / NeoRL-2): not worth the user's review.
  if (!certainBy && tsim < TITLE_CERTAIN && asim !== undefined && asim < ABSTRACT_DIFFERENT) {
    return undefined;
  }
  // Likewise titles that differ in a name or number, with nothing else in common than being
  // fairly alike: a near-miss pair, not a duplicate.
  if (!certainBy && digitConflict && tsim < TITLE_CERTAIN && !(asim !== undefined && asim >= ABSTRACT_ALIKE)) {
    return undefined;
  }
  reasons.push(...blockers.map((b) => `but ${b}`));
  const level: DuplicateLevel = certainBy && blockers.length === 0 ? 'certain' : 'maybe';
  const pair: DuplicatePair = { a: p.id, b: q.id, level, reasons, titleSimilarity: round(tsim) };
  if (asim !== undefined) pair.abstractSimilarity = round(asim);
  return pair;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// The whole corpus

/** All proposed duplicate pairs among `papers` (merged-away records are ignored). */
export function findDuplicatePairs(papers: Paper[], options: DedupeOptions = {}): DuplicatePair[] {
  const notDup = options.notDuplicates ?? new Set<string>();
  const maxVerify = options.maxVerify ?? 16;
  const recs: Rec[] = [];
  const byId = new Map<string, number>();
  for (const paper of papers) {
    if (paper.mergedInto || byId.has(paper.id)) continue;
    byId.set(paper.id, recs.length);
    recs.push(makeRec(paper));
  }

  // Candidate pairs (i < j), with the sources that produced them.
  const cand = new Map<string, Set<string>>();
  const add = (i: number, j: number, source: string): void => {
    if (i === j) return;
    const k = i < j ? `${i},${j}` : `${j},${i}`;
    let s = cand.get(k);
    if (!s) cand.set(k, (s = new Set()));
    s.add(source);
  };

  // 1 + 2: keys, aliases, ids.
  const groups = new Map<string, number[]>();
  const group = (k: string, i: number): void => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  };
  recs.forEach((r, i) => {
    for (const k of blockKeys(r.paper, r.key)) group(k, i);
  });
  for (const g of groups.values()) {
    const uniq = [...new Set(g)];
    // A key shared by hundreds of records is a stub title ("Introduction"), not a duplicate group.
    if (uniq.length < 2 || uniq.length > KEY_GROUP_MAX) continue;
    for (let a = 0; a < uniq.length; a++) for (let b = a + 1; b < uniq.length; b++) add(uniq[a]!, uniq[b]!, 'key');
  }

  // 3: titles. Word index over content words; each paper looks up its three rarest words and
  // verifies the records sharing most of them.
  const wordPost = new Map<string, number[]>();
  recs.forEach((r, i) => {
    for (const w of new Set(r.words)) {
      if (STOP.has(w)) continue;
      let l = wordPost.get(w);
      if (!l) wordPost.set(w, (l = []));
      l.push(i);
    }
  });
  // Shared-word counts per candidate in a typed array (a Map here dominated the time at 20k+).
  const sharedWords = new Uint8Array(recs.length);
  const post = (w: string) => wordPost.get(w);
  recs.forEach((r, i) => {
    const best = wordNeighbours(i, contentWords(r), post, sharedWords, maxVerify);
    for (const j of best) if (titlesAlike(r, recs[j]!)) add(i, j, 'title');
    if (options.titleCandidates) {
      for (const id of options.titleCandidates(r.paper)) {
        const j = byId.get(id);
        if (j !== undefined) add(i, j, 'matcher');
      }
    }
  });

  // 4: abstracts. (shingle, record) pairs packed in one Float64Array and sorted, so records
  // sharing a shingle are neighbours; boilerplate shingles (in many records) are skipped. This
  // avoids a Map of arrays per shingle, which dominated the time (and GC) at 100k abstracts.
  let total = 0;
  for (const r of recs) if (r.sh.size >= MIN_SHINGLES) total += r.sh.size;
  const packed = new Float64Array(total);
  let w = 0;
  const SCALE = 2 ** 21; // record numbers < 2M
  recs.forEach((r, i) => {
    if (r.sh.size < MIN_SHINGLES) return;
    for (const h of r.sh) packed[w++] = h * SCALE + i;
  });
  packed.sort();
  const shared = new Map<number, number>();
  for (let a = 0; a < packed.length; ) {
    const h = Math.floor(packed[a]! / SCALE);
    let b = a + 1;
    while (b < packed.length && Math.floor(packed[b]! / SCALE) === h) b++;
    if (b - a > 1 && b - a <= SHINGLE_MAX_DF) {
      for (let x = a; x < b; x++) {
        const i = packed[x]! - h * SCALE;
        for (let y = x + 1; y < b; y++) {
          const j = packed[y]! - h * SCALE;
          const k = i * SCALE + j;
          shared.set(k, (shared.get(k) ?? 0) + 1);
        }
      }
    }
    a = b;
  }
  for (const [k, c] of shared) {
    const i = Math.floor(k / SCALE);
    const j = k - i * SCALE;
    // Jaccard ≥ 0.5 needs at least a third of the smaller set shared (|A∩B| ≥ (|A|+|B|)/3).
    if (abstractsOverlap(c, recs[i]!, recs[j]!)) add(i, j, 'abstract');
  }

  const out: DuplicatePair[] = [];
  for (const [k, via] of cand) {
    const [i, j] = k.split(',').map(Number) as [number, number];
    const x = recs[i]!;
    const y = recs[j]!;
    if (notDup.has(pairKey(x.paper.id, y.paper.id))) continue;
    const pair = judge(x, y, via);
    if (pair) out.push(pair);
  }
  return out.toSorted((p, q) => (p.level === q.level ? 0 : p.level === 'certain' ? -1 : 1) || (p.a < q.a ? -1 : p.a > q.a ? 1 : 0));
}

/**
 * Groups pairs into clusters for review. Certain pairs are closed transitively (union–find, as
 * Zotero, OpenAIRE and CSET do): each of their links is strong on its own. Maybe pairs are *not*
 * chained — one weak link would otherwise pull two unrelated certain clusters into one "maybe"
 * (a typo'd D4RL copy that looks a bit like D5RL) — so each becomes a two-record cluster to
 * confirm, unless a certain cluster already holds both records.
 */
export function clusterPairs(papers: Paper[], pairs: DuplicatePair[]): DuplicateCluster[] {
  const byId = new Map(papers.map((p) => [p.id, p]));
  return groupPairs(pairs, (ids) => {
    const recs = ids.map((id) => byId.get(id)).filter((p): p is Paper => !!p);
    return recs.length < 2 ? undefined : pickSurvivor(recs).id;
  });
}

/**
 * The clusters of `pairs` by paper id alone: certain pairs joined transitively, maybe pairs on
 * their own. `survivor` picks the record a merge keeps, or undefined to leave the cluster out
 * (clusterPairs: fewer than two of its papers at hand).
 */
export function groupPairs(pairs: DuplicatePair[], survivor: (sortedIds: string[]) => string | undefined): DuplicateCluster[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const certain = pairs.filter((p) => p.level === 'certain');
  for (const p of certain) {
    if (!parent.has(p.a)) parent.set(p.a, p.a);
    if (!parent.has(p.b)) parent.set(p.b, p.b);
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    let m = members.get(r);
    if (!m) members.set(r, (m = []));
    m.push(id);
  }
  const pairsByRoot = new Map<string, DuplicatePair[]>();
  for (const p of certain) {
    const r = find(p.a);
    let l = pairsByRoot.get(r);
    if (!l) pairsByRoot.set(r, (l = []));
    l.push(p);
  }
  const clusters: DuplicateCluster[] = [];
  const make = (ids: string[], level: DuplicateLevel, ps: DuplicatePair[]): void => {
    const sortedIds = ids.toSorted();
    const survivorId = survivor(sortedIds);
    if (survivorId === undefined) return;
    clusters.push({ id: sortedIds.join('|'), paperIds: sortedIds, survivorId, level, pairs: ps });
  };
  for (const [root, ids] of members) make(ids, 'certain', pairsByRoot.get(root) ?? []);
  for (const p of pairs) {
    if (p.level !== 'maybe') continue;
    if (parent.has(p.a) && parent.has(p.b) && find(p.a) === find(p.b)) continue;
    make([p.a, p.b], 'maybe', [p]);
  }
  return clusters.toSorted(
    (x, y) => (x.level === y.level ? 0 : x.level === 'certain' ? -1 : 1) || (x.id < y.id ? -1 : 1),
  );
}

/** Pairs and clusters in one call. */
export function findDuplicates(papers: Paper[], options: DedupeOptions = {}): DuplicateCluster[] {
  const live = papers.filter((p) => !p.mergedInto);
  return clusterPairs(live, findDuplicatePairs(live, options));
}
