/**
 * Word-level verification of a candidate title: what separates a typo from a different paper.
 *
 * Character similarity alone cannot tell "Offline RL with Implicit Q-Learnign" (a typo) from
 * "Offline RL with Implicit V-Learning" (another paper), nor "D4RL" from "D5RL". So the two word
 * sequences are aligned and every difference is classified:
 *  - small: a typo-sized change inside a word (OSA distance 1, 2 for words of 10+ letters; see
 *    typoEquivalent for words with digits), or a stop word added or dropped ("&" lost by a page);
 *  - content: any other word added, dropped or replaced;
 *  - hard: a difference in a word with digits (D4RL/D5RL, NeoRL/NeoRL-2, k1.5/k2, "II", v3).
 * A word split or join ("post training" / "posttraining") costs nothing.
 */

import { STOP_WORDS } from './stop-words';
import type { Vocabulary } from './words';

export { STOP_WORDS };

const ROMAN = /^(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)$/;

export interface Verdict {
  /** Typos and stop-word changes. */
  small: number;
  /** Content words added, dropped or replaced. */
  content: number;
  /** Differences in words with digits or roman numerals (sequels, versions). */
  hard: number;
  /** Query words not used (truncated query: the partial last word when it matched nothing). */
  covered: number;
}

function hasDigit(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function isHard(w: string): boolean {
  return hasDigit(w) || ROMAN.test(w);
}

let osaScratch = new Int32Array(3 * 64);
let dpScratch = new Int32Array(256);

/** Optimal string alignment distance of a and b, or limit+1 when it exceeds `limit`. */
export function osaWithin(a: string, b: string, limit: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > limit) return limit + 1;
  // Three rolling rows in module-level scratch space: this runs for every candidate word pair.
  if (osaScratch.length < 3 * (lb + 1)) osaScratch = new Int32Array(3 * (lb + 1) * 2);
  let prev2 = osaScratch.subarray(0, lb + 1);
  let prev = osaScratch.subarray(lb + 1, 2 * (lb + 1));
  let cur = osaScratch.subarray(2 * (lb + 1), 3 * (lb + 1));
  prev2.fill(0);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const t = prev2[j - 2]! + 1;
        if (t < v) v = t;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const tmp = prev2;
    prev2 = prev;
    prev = cur;
    cur = tmp;
  }
  return prev[lb]!;
}

/**
 * The digits of a word with the letter on each side: "d4rl" → "d4r", "gpt4o" → "t4o",
 * "r1style" → "r1s". Two words with different skeletons differ in a number or version.
 */
function digitSkeleton(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const prev = i > 0 ? w.charCodeAt(i - 1) : 0;
      if (prev && !(prev >= 48 && prev <= 57)) out += '|' + w[i - 1];
      out += w[i];
      const next = i + 1 < w.length ? w.charCodeAt(i + 1) : 0;
      if (!(next >= 48 && next <= 57)) out += (next ? w[i + 1] : '') + '|';
    }
  }
  return out;
}

/**
 * A typo-sized change: OSA distance 1 (2 from 10 letters on) in a word of 4+ letters. Words with
 * digits qualify only when digits and their neighbouring letters are untouched ("r1stxyle" is
 * "r1style" with a typo; "gpt4o" is not "gpt4", "d5rl" is not "d4rl"); roman numerals never do.
 */
export function typoEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const max = a.length > b.length ? a.length : b.length;
  const min = a.length < b.length ? a.length : b.length;
  // Two edits only in long words: "implicit"/"explicit" are two edits apart and two papers.
  const limit = max >= 10 ? 2 : 1;
  // Cheapest tests first: this runs for every pair of differing words of every candidate.
  if (min < 4 || max - min > limit || osaWithin(a, b, limit) > limit) return false;
  if (ROMAN.test(a) || ROMAN.test(b)) return false;
  if (hasDigit(a) || hasDigit(b)) return min >= 6 && digitSkeleton(a) === digitSkeleton(b);
  return true;
}

const SMALL = 1;
const CONTENT = 100;
const HARD = 10000;

function wordCost(w: string): number {
  if (STOP_WORDS.has(w)) return SMALL;
  return isHard(w) ? HARD : CONTENT;
}

/**
 * Aligns query words q with candidate words c. With `truncated`, the query is a cut title: its
 * last word may be partial and the candidate's words after the cut are free.
 */
/** A cut word with a typo: `part` is one edit away from a prefix of `word` (of its length ±1). */
function partialTypo(part: string, word: string): boolean {
  if (part.length < 4) return false;
  for (let len = part.length - 1; len <= part.length + 1; len++) {
    if (len <= word.length && typoEquivalent(part, word.slice(0, len))) return true;
  }
  return false;
}

/** a + b === w, without building a + b. */
function joins(a: string, b: string, w: string): boolean {
  return a.length + b.length === w.length && w.startsWith(a) && w.endsWith(b);
}

let qCosts = new Int32Array(64);
let cCosts = new Int32Array(64);

/**
 * `words`: when given, a typo-sized edit that turns a real word into another real word
 * (online/offline, model/modal) is a changed word, not a typo (lib/match/words.ts).
 */
export function verify(q: string[], c: string[], truncated: boolean, words?: Vocabulary): Verdict {
  // Exact words at both ends are aligned directly; the DP runs on the middle only.
  let head = 0;
  const nq0 = truncated ? q.length - 1 : q.length;
  while (head < nq0 && head < c.length && q[head] === c[head]) head++;
  let tail = 0;
  if (!truncated) {
    while (tail < q.length - head && tail < c.length - head && q[q.length - 1 - tail] === c[c.length - 1 - tail]) tail++;
  }
  const nq = q.length - tail - head;
  const nc = c.length - tail - head;
  const W = nc + 1;
  if (dpScratch.length < (nq + 1) * W) dpScratch = new Int32Array((nq + 1) * W * 2);
  if (qCosts.length < nq + 1) qCosts = new Int32Array((nq + 1) * 2);
  if (cCosts.length < nc + 1) cCosts = new Int32Array((nc + 1) * 2);
  const D = dpScratch;
  for (let i = 0; i < nq; i++) qCosts[i] = wordCost(q[head + i]!);
  // A partial last word must fit a candidate word (up to a typo): "Efficient Q-Learning with
  // Hu…" is not "Efficient Q-Learning with Energy-Based Models".
  if (truncated && nq > 0) qCosts[nq - 1] = CONTENT;
  for (let j = 0; j < nc; j++) cCosts[j] = wordCost(c[head + j]!);
  D[0] = 0;
  for (let j = 1; j <= nc; j++) D[j] = D[j - 1]! + cCosts[j - 1]!;
  for (let i = 1; i <= nq; i++) {
    const qi = q[head + i - 1]!;
    const partial = truncated && i === nq;
    const qCost = qCosts[i - 1]!;
    const qHard = qCost === HARD;
    D[i * W] = D[(i - 1) * W]! + qCost;
    for (let j = 1; j <= nc; j++) {
      const cj = c[head + j - 1]!;
      let sub: number;
      if (qi === cj) sub = 0;
      else if (partial) {
        sub = cj.startsWith(qi) ? 0 : partialTypo(qi, cj) ? SMALL : qCost;
      } else if (typoEquivalent(qi, cj)) sub = words?.realWordEdit(qi, cj) ? (qHard || cCosts[j - 1] === HARD ? HARD : CONTENT) : SMALL;
      else sub = qHard || cCosts[j - 1] === HARD ? HARD : CONTENT;
      let v = D[(i - 1) * W + j - 1]! + sub;
      const del = D[(i - 1) * W + j]! + qCost;
      if (del < v) v = del;
      const ins = D[i * W + j - 1]! + cCosts[j - 1]!;
      if (ins < v) v = ins;
      // Split / join: "post training" ~ "posttraining".
      if (i > 1 && !partial && joins(q[head + i - 2]!, qi, cj)) {
        const t = D[(i - 2) * W + j - 1]!;
        if (t < v) v = t;
      }
      if (j > 1 && joins(c[head + j - 2]!, cj, qi)) {
        const t = D[(i - 1) * W + j - 2]!;
        if (t < v) v = t;
      }
      D[i * W + j] = v;
    }
  }
  let best = D[nq * W + nc]!;
  if (truncated) for (let j = 0; j < nc; j++) if (D[nq * W + j]! < best) best = D[nq * W + j]!;
  return {
    hard: Math.floor(best / HARD),
    content: Math.floor((best % HARD) / CONTENT),
    small: best % CONTENT,
    covered: head,
  };
}
