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

/** `at` is where a piece of a compound of length `len` starts or ends. */
function isCut(cuts: number[] | undefined, at: number, len: number): boolean {
  return at === 0 || at === len || (!!cuts && cuts.includes(at));
}

const DOUBLED_L_ENDINGS = new Set(['ing', 'ings', 'ed', 'er', 'ers', 'ation', 'ations']);

/** `a` with one `us` replaced by `uk` is `b` ("behavior" → "behaviour"). */
function spelledOtherWay(a: string, b: string, us: string, uk: string): boolean {
  if (b.length - a.length !== uk.length - us.length) return false;
  let pre = 0;
  while (pre < a.length && a[pre] === b[pre]) pre++;
  for (let i = Math.max(0, pre - us.length); i <= pre; i++) {
    if (!a.startsWith(us, i) || !b.startsWith(uk, i)) continue;
    const rest = a.slice(i + us.length);
    // A doubled l only before an ending (modelling, labelled, traveller): "meta|learning" and
    // "metal|learning" are two words.
    if (rest === b.slice(i + uk.length) && (us !== 'l' || DOUBLED_L_ENDINGS.has(rest))) return true;
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

/** Prefixes that make a word of a word (re-planning, up-sampling, in-feasibility). */
const DERIVING_PREFIXES = ['re', 'un', 'in', 'im', 'ir', 'il', 'up', 'non', 'dis', 'mis', 'de', 'pre', 'post', 'over', 'under', 'sub', 'super', 'semi', 'co', 'counter', 'multi', 'inter', 'trans'];
/** Suffixes that make a word of a word: [suffix, what the stem gets back] (regularize-r, ensembl(e)-ing). */
const DERIVING_SUFFIXES: [string, string][] = [
  ['ly', ''],
  ['al', ''],
  ['ally', ''],
  ['r', ''],
  ['d', ''],
  ['ed', ''],
  ['er', ''],
  ['ing', ''],
  ['ing', 'e'],
  ['ive', ''],
  ['ive', 'e'],
  ['ative', ''],
  ['ation', ''],
  ['ation', 'e'],
  ['ness', ''],
  ['ity', ''],
  // learnt, spelt, dreamt: the British past of learned, spelled, dreamed.
  ['nt', 'ned'],
  ['lt', 'led'],
  ['mt', 'med'],
];

export class Vocabulary implements WordSet {
  private readonly corpus = new Set<string>();
  private readonly cache = new Map<string, boolean>();
  constructor(private readonly english?: WordSet) {}

  private readonly seenOnce = new Set<string>();
  /** Short pieces of corpus titles ("LN" in "Post-LN", "SQL", "RL"): compounds split at them too. */
  private readonly short = new Set<string>();

  /**
   * Compounds the corpus's titles write with hyphens ("Fine-Tuning" → finetuning = fine|tuning):
   * joined word → where its pieces start. Each piece is a word of its own, so an edit confined to
   * one piece is judged on that piece ("Fine-Tuning"/"File-Tuning" is fine → file, two words).
   */
  private readonly compounds = new Map<string, number[]>();

  /**
   * Records the hyphenated compounds of a title: `words` are its normalized words (compounds
   * joined), `pieces` the same title split at hyphens too (lib/match/index.ts titlePieces).
   */
  addCompounds(words: readonly string[], pieces: readonly string[]): void {
    if (words.length === pieces.length) return;
    let k = 0;
    for (const w of words) {
      let joined = '';
      const cuts: number[] = [];
      while (k < pieces.length && joined.length < w.length) {
        if (joined) cuts.push(joined.length);
        joined += pieces[k++]!;
      }
      if (joined !== w) return; // pieces that do not line up with the words: record nothing more
      if (cuts.length && !this.compounds.has(w)) this.compounds.set(w, cuts);
    }
  }

  /** The compounds as text ("fine-tuning" per line), for persisting. */
  compoundLines(): string[] {
    const out: string[] = [];
    for (const [w, cuts] of this.compounds) {
      let line = '';
      let at = 0;
      for (const c of cuts) {
        line += w.slice(at, c) + '-';
        at = c;
      }
      out.push(line + w.slice(at));
    }
    return out;
  }

  /** Reads compoundLines() back. */
  addCompoundLines(lines: Iterable<string>): void {
    for (const line of lines) {
      const pieces = line.split('-').filter(Boolean);
      if (pieces.length > 1) this.addCompounds([pieces.join('')], pieces);
    }
    this.cache.clear();
  }

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
   * A word, or one formed from a word by the affixes titles coin words with: a prefix
   * (re-weighting, up-sampling, in-feasibility, un-learning), a suffix (interventional,
   * distributionally, regularizer, incentivized, contractive, perturbative, ensembling, learnt),
   * a plural of those, or the British spelling of one (generalised). A dictionary lists few of
   * these. `other` is the word it is compared with: an affix both share says nothing, since a typo
   * in the stem of one keeps it ("de|tached" → "de|ached", "learn|ing" → "lear|ing"), unless
   * both stems are words of five letters or more ("contract|ive" / "contrast|ive").
   */
  isWord(w: string, other = ''): boolean {
    if (this.has(w)) return true;
    if (w.length < 6) return false;
    const stem = w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
    if (stem !== w && (this.has(stem) || this.derived(stem, other.endsWith('s') ? other.slice(0, -1) : other))) return true;
    return this.derived(w, other);
  }

  private derived(w: string, other: string): boolean {
    const known = (x: string) => x.length >= 4 && this.has(x);
    for (const p of DERIVING_PREFIXES) if (w.startsWith(p) && !other.startsWith(p) && known(w.slice(p.length))) return true;
    const british = w.replace(/is(e|ed|es|er|ers|ing|ation|ations)$/, 'iz$1');
    if (british !== w && this.has(british)) return true;
    // A suffix goes on a word's base form, not on a plural ("bootsing" is a typo of "boosting").
    const base = (x: string) => known(x) && !(x.endsWith('s') && this.has(x.slice(0, -1)));
    for (const [suffix, add] of DERIVING_SUFFIXES) {
      if (!w.endsWith(suffix)) continue;
      const st = w.slice(0, w.length - suffix.length) + add;
      // -r and -d go on a stem ending in e (regularize-r, incentivize-d), not on "detach-d".
      if ((suffix === 'r' || suffix === 'd') && !st.endsWith('e')) continue;
      if (!base(st)) continue;
      if (!other.endsWith(suffix)) return true;
      const ost = other.slice(0, other.length - suffix.length) + add;
      if (st.length >= 5 && ost.length >= 5 && base(ost)) return true;
    }
    return false;
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
    const wa = this.isWord(a, b);
    const wb = this.isWord(b, a);
    if (wa && wb) return true;
    // One side a word and the other not: a typo that happens to split into words ("offlien" =
    // "off" + "lien") is likelier than an author's choice, unless the changed piece is a word of
    // the field's own titles and abstracts ("pre-trained"/"pre-grained", "fine-tuning"/"five-tuning")
    // or a whole piece of a compound the corpus writes with hyphens ("Fine-Tuning"/"File-Tuning").
    const fieldOnly = wa || wb;
    const la = a.length;
    const lb = b.length;
    let pre = 0;
    while (pre < la && pre < lb && a[pre] === b[pre]) pre++;
    // The common end is measured on its own: where an edit sits is ambiguous when letters repeat
    // ("meta|learning" / "metal|learning" share "learning" and "metal").
    let suf = 0;
    while (suf < la && suf < lb && a[la - 1 - suf] === b[lb - 1 - suf]) suf++;
    const cutsA = this.compounds.get(a);
    const cutsB = this.compounds.get(b);
    // The edited piece starts at or before the first difference and ends at or after the last.
    for (let i = pre; i >= 0; i--) {
      const head = a.slice(0, i);
      if (!this.splits(head, true)) continue;
      for (let ea = Math.max(i, la - suf); ea <= la; ea++) {
        const eb = ea + lb - la;
        if (eb < i) continue;
        const pa = a.slice(i, ea);
        const pb = b.slice(i, eb);
        if (pa.length < MIN_SPLIT || pb.length < MIN_SPLIT) continue;
        if (sameWordVariant(pa, pb)) continue;
        const wholePiece = (cutsA && isCut(cutsA, i, la) && isCut(cutsA, ea, la)) || (cutsB && isCut(cutsB, i, lb) && isCut(cutsB, eb, lb));
        if (fieldOnly && !wholePiece ? !this.corpus.has(pa) || !this.corpus.has(pb) : !this.isWord(pa, pb) || !this.isWord(pb, pa)) continue;
        if (this.splits(a.slice(ea), false)) return true;
      }
    }
    return false;
  }
}
