/**
 * The real-word near-miss class: every corpus title × every substitution of one of its words by
 * another real word a typo away (online→offline, model→modal, learning→unlearning). The words
 * come from real text — the seed titles and their abstracts — never from a hand-picked list, and
 * a pair counts only when the matcher's typo rule (typoEquivalent) would accept it, so each
 * variant is exactly the case a typo-tolerant matcher mistakes for the paper.
 * Pure module (no Node APIs): the bench, unit tests and the e2e page generator share it.
 */
import { titleKey } from '../../lib/normalize';
import { typoEquivalent } from '../../lib/match/verify';
import { sameWordVariant } from '../../lib/match/words';
import type { CorpusPaper, EvalQuery } from './evalset';

const WORD = /[A-Za-z]{4,}/g;

/**
 * Lower-case words of 4+ letters of the corpus's titles and their abstracts (the titles alone
 * give ~600 variants; their abstracts are real text of the same field and bring it past 2,000).
 */
export function realVocabulary(corpus: readonly CorpusPaper[]): string[] {
  const set = new Set<string>();
  for (const p of corpus) {
    for (const m of p.title.matchAll(WORD)) set.add(m[0].toLowerCase());
    for (const m of (p.abstract ?? '').matchAll(WORD)) set.add(m[0].toLowerCase());
  }
  return [...set].sort();
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
