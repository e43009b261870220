/**
 * The real-word near-miss class: every corpus title × every substitution of one of its words by
 * another real word a typo away (online→offline, model→modal, learning→unlearning). The words
 * come from real titles — the corpus's own and those of captured proceedings pages
 * (bench/lib/real-titles.ts) — never from a hand-picked list, and a pair counts only when the
 * matcher's typo rule (typoEquivalent) would accept it, so each variant is exactly the case a
 * typo-tolerant matcher mistakes for the paper.
 * Pure module (no Node APIs): the bench, unit tests and the e2e page generator share it.
 */
import { titleKey } from '../../lib/model/normalize';
import { typoEquivalent } from '../../lib/match/verify';
import { sameWordVariant } from '../../lib/match/words';
import type { CorpusPaper, EvalQuery } from './evalset';

/** A token of a title: letters, with an apostrophe inside ("Pretrainer's", "Doesn't"). */
const TOKEN = /[A-Za-z]+(?:['’][A-Za-z]+)*/g;

/**
 * The word a token spells, or undefined when it is not a plain word: a word is written in lower
 * case or capitalized (or in capitals within a title in capitals); acronyms and names in mixed
 * case (SELFI, PaintSeg) are not words another word can replace, a contraction ("Doesn't") is
 * not a word of its own, and a possessive is its word ("Pretrainer's" → pretrainer).
 */
function plainWord(token: string, capsTitle: boolean): string | undefined {
  let w = token.replace(/['’]s$/, '');
  if (/['’]/.test(w) || w.length < 4) return undefined;
  const rest = w.slice(1);
  if (rest !== rest.toLowerCase() && !(capsTitle && w === w.toUpperCase())) return undefined;
  return w.toLowerCase();
}

/** Titles set all in capitals: their words are words, not acronyms. */
const inCapitals = (title: string) => title === title.toUpperCase() && /[A-Z]{4,}.*[A-Z]{4,}/.test(title);

/**
 * The plain words of a title, with where each starts (possessive "'s" left out of the span). A
 * title's leading name ("Trompt: …", "Reflexion: …", "Im-Promptu: …") is the paper's name, not a
 * word of the language, and is skipped.
 */
export function titleWords(title: string): { word: string; at: number; length: number; lower: boolean }[] {
  const caps = inCapitals(title);
  const name = /^[^:\s]+(?=:\s)/.exec(title);
  const from = name ? name[0].length : 0;
  const out: { word: string; at: number; length: number; lower: boolean }[] = [];
  for (const m of title.matchAll(TOKEN)) {
    if (m.index < from) continue;
    const w = plainWord(m[0], caps);
    if (w) out.push({ word: w, at: m.index, length: w.length, lower: m[0][0] !== m[0][0]!.toUpperCase() });
  }
  return out;
}

/**
 * A title in sentence case ("Structure learning of antiferromagnetic Ising models"): most of its
 * words after the first, of 4+ letters, are in lower case, so a capitalized one is a name.
 */
function sentenceCase(words: readonly { lower: boolean; at: number }[]): boolean {
  const rest = words.filter((w) => w.at > 0);
  return rest.length >= 3 && rest.filter((w) => w.lower).length * 2 >= rest.length;
}

/**
 * Lower-case plain words of 4+ letters of real titles, sorted. Left out:
 *  - names: a word capitalized inside a title in sentence case ("… antiferromagnetic Ising
 *    models") and never written in lower case is a name (Ising, Monge), not a word of the language;
 *  - misspellings and one-off names: titles are proofread, but not all ("Vision Tranformers"), and a
 *    title in title case hides names ("Kiki or Bouba?"): a word written once, that a dictionary
 *    (`known`) does not list, is left out when it is a typo away from a word written five times or
 *    more, or is never written in lower case.
 */
export function realVocabulary(titles: Iterable<string>, known?: { has(w: string): boolean }): string[] {
  const count = new Map<string, number>();
  const lower = new Set<string>();
  const named = new Set<string>();
  for (const t of titles) {
    const words = titleWords(t);
    const sentence = sentenceCase(words);
    for (const w of words) {
      count.set(w.word, (count.get(w.word) ?? 0) + 1);
      if (w.lower) lower.add(w.word);
      else if (sentence && w.at > 0) named.add(w.word);
    }
  }
  const common = [...count].filter(([, n]) => n >= 5).map(([w]) => w);
  const nearCommon = (w: string) => common.some((c) => c !== w && Math.abs(c.length - w.length) <= 2 && !sameWordVariant(c, w) && typoEquivalent(c, w));
  const out: string[] = [];
  for (const [w, n] of count) {
    if (named.has(w) && !lower.has(w)) continue;
    if (n === 1 && !known?.has(w) && (!lower.has(w) || nearCommon(w))) continue;
    out.push(w);
  }
  return out.toSorted();
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

/**
 * Every corpus title with one word (or one piece of a hyphenated word) replaced by a real-word
 * partner. `vocabularyTitles`: the real titles whose words are the substitutions (the corpus's
 * own titles always count).
 */
export function realWordVariants(corpus: readonly CorpusPaper[], vocabularyTitles: readonly string[] = [], known?: { has(w: string): boolean }): (EvalQuery & { of: string })[] {
  const pairs = realWordPairs(realVocabulary([...corpus.map((p) => p.title), ...vocabularyTitles], known));
  const corpusKeys = new Set(corpus.map((p) => titleKey(p.title)));
  const seen = new Set<string>();
  const out: (EvalQuery & { of: string })[] = [];
  for (const p of corpus) {
    for (const { word, at, length } of titleWords(p.title)) {
      const w = p.title.slice(at, at + length);
      for (const x of pairs.get(word) ?? []) {
        const title = p.title.slice(0, at) + withCase(w, x) + p.title.slice(at + length);
        const k = titleKey(title);
        if (corpusKeys.has(k) || seen.has(k)) continue;
        seen.add(k);
        out.push({ title, kind: 'real_word', nearMiss: true, of: p.id });
      }
    }
  }
  return out;
}
