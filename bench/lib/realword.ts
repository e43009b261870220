/**
 * The real-word near-miss class: every corpus title × every substitution of one of its words by
 * another real word a typo away (online→offline, model→modal, learning→unlearning). The words
 * come from real text — the seed titles and their abstracts — never from a hand-picked list, and
 * a pair counts only when the matcher's typo rule (typoEquivalent) would accept it, so each
 * variant is exactly the case a typo-tolerant matcher mistakes for the paper.
 * Pure module (no Node APIs): the bench, unit tests and the e2e page generator share it.
 */
import { titleKey } from '../../lib/model/normalize';
import { typoEquivalent } from '../../lib/match/verify';
import { sameWordVariant } from '../../lib/match/words';
import type { CorpusPaper, EvalQuery } from './evalset';

const WORD = /[A-Za-z]{4,}/g;

/**
 * Lower-case words of 4+ letters that the corpus's titles and abstracts attest: every title word
 * and every abstract word, except a word written once that is a typo away from a common word
 * (abstracts are not proofread like titles: "Learining" is a misspelling, and a typo is not
 * another real word). The titles alone give ~600 variants; the abstracts are real text of the
 * same field and bring the class past 2,000.
 */
export function realVocabulary(corpus: readonly CorpusPaper[]): string[] {
  const set = new Set<string>();
  const count = new Map<string, number>();
  for (const p of corpus) {
    for (const m of p.title.matchAll(WORD)) set.add(m[0].toLowerCase());
    for (const m of (p.abstract ?? '').matchAll(WORD)) {
      const w = m[0].toLowerCase();
      count.set(w, (count.get(w) ?? 0) + 1);
    }
  }
  for (const [w, n] of count) if (n >= 2) set.add(w);
  // A word written once is kept unless a word a typo away is common (≥ 5 times): "learining"
  // beside "learning" is a misspelling, "regressing" beside "regressive" is not.
  const common = [...count].filter(([, n]) => n >= 5).map(([w]) => w);
  for (const [w, n] of count) {
    if (n !== 1 || set.has(w)) continue;
    if (!common.some((c) => Math.abs(c.length - w.length) <= 2 && typoEquivalent(c, w))) set.add(w);
  }
  return [...set].toSorted();
}

/** word → the other real words a typo apart (singular/plural of one word excluded). */
export function realWordPairs(vocab: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // Bucket by length: a typo changes the length by at most 2.
  const byLen = new Map<number, string[]>();
  for (const w of vocab) (byLen.get(w.length) ?? byLen.set(w.length, []).get(w.length)!).push(w);
  for (const w of vocab) {
    const partners: string[] = [];
    for (let d = -2; d <= 2; d++) {
      for (const x of byLen.get(w.length + d) ?? []) {
        if (x !== w && !sameWordVariant(w, x) && typoEquivalent(w, x)) partners.push(x);
      }
    }
    if (partners.length) out.set(w, partners);
  }
  return out;
}

function withCase(like: string, w: string): string {
  if (like === like.toUpperCase()) return w.toUpperCase();
  if (like[0] === like[0]!.toUpperCase()) return w[0]!.toUpperCase() + w.slice(1);
  return w;
}

/** Every corpus title with one word (or one piece of a hyphenated word) replaced by a real-word partner. */
export function realWordVariants(corpus: readonly CorpusPaper[], pairs = realWordPairs(realVocabulary(corpus))): (EvalQuery & { of: string })[] {
  const corpusKeys = new Set(corpus.map((p) => titleKey(p.title)));
  const seen = new Set<string>();
  const out: (EvalQuery & { of: string })[] = [];
  for (const p of corpus) {
    for (const m of p.title.matchAll(WORD)) {
      const w = m[0];
      for (const x of pairs.get(w.toLowerCase()) ?? []) {
        const title = p.title.slice(0, m.index) + withCase(w, x) + p.title.slice(m.index + w.length);
        const k = titleKey(title);
        if (corpusKeys.has(k) || seen.has(k)) continue;
        seen.add(k);
        out.push({ title, kind: 'real_word', nearMiss: true, of: p.id });
      }
    }
  }
  return out;
}
