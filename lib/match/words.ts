/**
 * Typo or another word? "Offline-to-Offline" is one edit from "Offline-to-Online", and so are
 * learning/unlearning, model/modal, ascent/descent: character distance cannot tell them from a
 * typo. A vocabulary can: when the edit turns a real word into another real word, the title says
 * something else, and the difference is a changed word (at most a `maybe`), never a typo.
 *
 * The vocabulary is the corpus's own title words (names, acronyms, jargon a dictionary lacks)
 * plus an English dictionary (lib/match/english.ts). Title words are space-less compounds
 * ("Offline-to-Online" → "offlinetoonline"), so an edit inside a compound counts when the
 * compound splits into words around it and the edited piece is a word on both sides.
 */
import { STOP_WORDS } from './stop-words';

/** Anything that answers "is this a word?" (a Set, the Hunspell dictionary). */
export interface WordSet {
  has(word: string): boolean;
}

/**
 * One word in two forms: singular and plural ("benchmark"/"benchmarks", "policy"/"policies"), and
 * British and American spelling ("behaviour"/"behavior", "generalisation"/"generalization",
 * "modelling"/"modeling"). Decided from the seed titles (bench/match.bench.ts prints the count):
 * no two seed papers differ only by the number of one word, and both spellings occur in titles of
 * the field, so a page printing the other form names the same paper. Other inflections (-ing,
 * -ed, -er, -ive) change what a title says (learning/unlearning, regressing/regressive) and
 * stay word changes.
 */
export function sameWordVariant(a: string, b: string): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  if (b === a + 's' || b === a + 'es') return true;
  if (a.endsWith('y') && b === a.slice(0, -1) + 'ies') return true;
  return SPELLINGS.some(([us, uk]) => spelledOtherWay(a, b, us, uk) || spelledOtherWay(b, a, us, uk));
}

const SPELLINGS: [string, string][] = [
  ['iz', 'is'],
  ['yz', 'ys'],
  ['or', 'our'],
  ['l', 'll'],
  ['er', 're'],
];

/** `a` with one `us` replaced by `uk` is `b` ("behavior" → "behaviour"). */
function spelledOtherWay(a: string, b: string, us: string, uk: string): boolean {
  if (b.length - a.length !== uk.length - us.length) return false;
  let pre = 0;
  while (pre < a.length && a[pre] === b[pre]) pre++;
  for (let i = Math.max(0, pre - us.length); i <= pre; i++) {
    if (a.startsWith(us, i) && b.startsWith(uk, i) && a.slice(i + us.length) === b.slice(i + uk.length)) return true;
  }
  return false;
}

const MIN_PIECE = 3;
/**
 * Pieces a compound is split into around the edited word: words of 4+ letters, stop words, and
 * common word-forming prefixes. Shorter dictionary words ("boo", "ing", "er") would split almost
 * anything: "bootsing" (a typo of "boosting") is not "boots" + "ing".
 */
const MIN_SPLIT = 4;
const PREFIXES = new Set(['pre', 'post', 'non', 'co', 're', 'un', 'sub', 'semi', 'anti', 'meta', 'multi', 'self', 'over', 'under', 'cross', 'inter', 'intra', 'mid', 'few', 'low', 'high', 'end', 'off', 'out', 'up', 'down', 'it', 'two']);
/** A short name part with a digit: "r1" in "Light-R1", "3s" in "More-3S", "k1" in "Kimi-k1". */
const DIGIT_PIECE = /^[a-z]?\d+[a-z]?$/;

export class Vocabulary implements WordSet {
  private readonly corpus = new Set<string>();
  private readonly cache = new Map<string, boolean>();
  constructor(private readonly english?: WordSet) {}

  private readonly seenOnce = new Set<string>();
  /** Short pieces of corpus titles ("LN" in "Post-LN", "SQL", "RL"): compounds split at them too. */
  private readonly short = new Set<string>();

  /** Adds the words of a title, split at hyphens too (each piece of a compound is a word). */
  addWords(words: Iterable<string>): void {
    for (const w of words) {
      if (w.length >= MIN_PIECE) this.corpus.add(w);
      else if (w.length >= 2) this.short.add(w);
    }
    this.cache.clear();
  }

  /**
   * Adds the words of an abstract (the field's jargon and acronyms: VLMs, MLLMs) that are seen
   * twice: abstracts are not proofread like titles, and a word written once may be a typo.
   */
  addText(text: string): void {
    for (const m of text.toLowerCase().matchAll(/[a-z]{4,}/g)) {
      const w = m[0];
      if (this.corpus.has(w)) continue;
      if (this.seenOnce.has(w)) {
        this.seenOnce.delete(w);
        this.corpus.add(w);
      } else this.seenOnce.add(w);
    }
    this.cache.clear();
  }

  /** Frees the once-seen words after a bulk build (later additions start counting afresh). */
  dropSeenOnce(): void {
    this.seenOnce.clear();
  }

  get corpusSize(): number {
    return this.corpus.size;
  }

  corpusWords(): IterableIterator<string> {
    return this.corpus.values();
  }

  has(w: string): boolean {
    return this.corpus.has(w) || (!!this.english && this.english.has(w));
  }

  /**
   * A compound made of words: dictionary and corpus words of 4+ letters, stop words, word-forming
   * prefixes, short corpus pieces and name parts with digits, and one letter at either end ("q" in
   * "qlearning", the "s" of a plural or possessive).
   */
  private splits(s: string, leading: boolean): boolean {
    if (!s) return true;
    const n = s.length;
    // ok[i]: s[0..i) splits into words.
    const ok = new Uint8Array(n + 1);
    ok[0] = 1;
    for (let i = 0; i < n; i++) {
      if (!ok[i]) continue;
      if (i === 0 && leading) ok[1] = 1;
      if (i === n - 1) ok[n] = 1;
      for (let j = i + 2; j <= n; j++) {
        if (ok[j]) continue;
        const piece = s.slice(i, j);
        if (
          STOP_WORDS.has(piece) ||
          PREFIXES.has(piece) ||
          this.short.has(piece) ||
          (piece.length <= 3 && DIGIT_PIECE.test(piece)) ||
          (piece.length === 3 && this.corpus.has(piece)) ||
          (piece.length >= MIN_SPLIT && this.has(piece))
        ) {
          ok[j] = 1;
        }
      }
    }
    return ok[n] === 1;
  }

  /**
   * True when `a` and `b` (two different normalized title words, a typo apart) are two real
   * words, or two compounds that differ in one real word ("offlinetoonline"/"offlinetooffline").
   */
  realWordEdit(a: string, b: string): boolean {
    if (a === b) return false;
    const k = a < b ? a + '|' + b : b + '|' + a;
    let v = this.cache.get(k);
    if (v === undefined) {
      v = this.compute(a, b);
      if (this.cache.size > 20000) this.cache.clear();
      this.cache.set(k, v);
    }
    return v;
  }

  private compute(a: string, b: string): boolean {
    if (sameWordVariant(a, b)) return false;
    const wa = this.has(a);
    const wb = this.has(b);
    if (wa && wb) return true;
    // One side a word and the other not: a typo that happens to split into words ("offlien" =
    // "off" + "lien") is likelier than an author's choice, unless the changed piece is a word of
    // the field's own titles and abstracts ("pre-trained"/"pre-grained", "fine-tuning"/"five-tuning").
    const fieldOnly = wa || wb;
    const la = a.length;
    const lb = b.length;
    let pre = 0;
    while (pre < la && pre < lb && a[pre] === b[pre]) pre++;
    let suf = 0;
    while (suf < la - pre && suf < lb - pre && a[la - 1 - suf] === b[lb - 1 - suf]) suf++;
    // The edited piece starts at or before the first difference and ends at or after the last.
    for (let i = pre; i >= 0; i--) {
      const head = a.slice(0, i);
      if (!this.splits(head, true)) continue;
      for (let ea = la - suf; ea <= la; ea++) {
        const eb = ea + lb - la;
        const pa = a.slice(i, ea);
        const pb = b.slice(i, eb);
        if (pa.length < MIN_SPLIT || pb.length < MIN_SPLIT) continue;
        if (sameWordVariant(pa, pb)) continue;
        if (fieldOnly ? !this.corpus.has(pa) || !this.corpus.has(pb) : !this.has(pa) || !this.has(pb)) continue;
        if (this.splits(a.slice(ea), false)) return true;
      }
    }
    return false;
  }
}
