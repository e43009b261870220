/**
 * Do two titles name one paper, as far as an identifier check needs? An id shared by entries with
 * different titles (a proceedings-volume DOI, a link to the wrong version) proves nothing; an id
 * whose entry title is plainly another paper is no match.
 *
 * Two titles agree when they are equal up to typos and stop words, or when one is an arXiv
 * retitle of the other: versions of one paper keep most of their content words (measured against
 * the longer title, so a short title inside a long one does not pass).
 */
import { STOP_WORDS } from './stop-words';
import { typoEquivalent, verify } from './verify';
import type { Vocabulary } from './words';

/** Share of content words a retitle keeps. */
export const RETITLE_KEEPS = 0.6;

function contentWords(words: string[]): string[] {
  return words.filter((w) => !STOP_WORDS.has(w));
}

/** Share of the longer title's content words found (exactly or up to a typo) in the other. */
export function sharedContent(a: string[], b: string[], truncated = false, vocab?: Vocabulary): number {
  const ca = contentWords(truncated ? a.slice(0, -1) : a);
  const cb = contentWords(b);
  if (!ca.length || !cb.length) return 0;
  let hits = 0;
  const used = new Uint8Array(cb.length);
  for (const w of ca) {
    let j = cb.indexOf(w);
    if (j >= 0 && used[j]) j = -1;
    if (j < 0) j = cb.findIndex((x, k) => !used[k] && typoEquivalent(w, x) && !vocab?.realWordEdit(w, x));
    if (j >= 0) {
      used[j] = 1;
      hits++;
    }
  }
  // A cut title is measured against itself: what was cut is unknown.
  return hits / (truncated ? ca.length : Math.max(ca.length, cb.length));
}

/** The entry's title (words, maybe cut) and the paper's name one paper. */
export function titlesAgree(entry: string[], paper: string[], truncated: boolean, vocab?: Vocabulary): boolean {
  if (!entry.length) return true; // no title on the entry: nothing contradicts the id
  const v = verify(entry, paper, truncated, vocab);
  if (v.content === 0 && v.hard === 0) return true;
  return sharedContent(entry, paper, truncated, vocab) >= RETITLE_KEEPS;
}

/** The sure test: the entry's title is the paper's own, up to typos that are not real-word edits. */
export function sameTitle(entry: string[], paper: string[], vocab?: Vocabulary): boolean {
  if (entry.join('') === paper.join('')) return true;
  const v = verify(entry, paper, false, vocab);
  return v.content === 0 && v.hard === 0;
}
