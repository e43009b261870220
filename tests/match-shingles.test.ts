import { describe, it, expect } from 'vitest';
import { ABS_SIG, abstractShingles, abstractSignature } from '../lib/match/segment';
import { rng } from '../lib/model/rng';

/**
 * An abstract's signature reads only the text's beginning. It must equal the first shingles of
 * the whole text for every text: generated from words that lower-case with context (Greek capital
 * sigma, final or not, before punctuation that case-ignores), that grow when lower-cased (İ),
 * astral letters (a surrogate pair a prefix may cut), combining marks, digits and punctuation
 * runs, in texts shorter and longer than the prefix.
 */
const PIECES = ['ΟΔΟΣ', 'ΣΟΦΙΑ', 'ΑΣ.Β', "ΜΑΣ'Α", 'Σ', 'İstanbul', 'İİİ', '𝐀𝐁c', 'x𝐀', 'e\u0301t\u00e9', 'learning', 'RL', 'of', 'a', '3.5x', '--', '...', "it's", '(ours)', 'Ⓐⓑ', 'ǅemal', 'ß', 'ﬁne', 'ΣΣΣ'];
/** Long words, so that the prefix ends inside one of the words the signature needs. */
const LONG = ['ΑΝΤΙΚΑΤΑΣΤΑΣΗΣ', 'ΑΝΤΙΚΑΤΑΣΤΑΣΗΣΑΝΤΙΚΑΤΑΣΤΑΣΗΣ', 'supercalifragilisticexpialidocious', 'İİİİİİİİİİİİİİİİİ', '𝐀𝐀𝐀𝐀𝐀𝐀𝐀𝐀𝐀𝐀𝐀𝐀'];

function text(r: () => number): string {
  const n = Math.floor(r() * 60);
  const long = r() < 0.5;
  let t = '';
  for (let i = 0; i < n; i++) t += (long && r() < 0.6 ? LONG[Math.floor(r() * LONG.length)]! : PIECES[Math.floor(r() * PIECES.length)]!) + [' ', ' ', '', '.', "'", '\u00ad', '  '][Math.floor(r() * 7)]!;
  return t;
}

describe('abstract signature', () => {
  it('the first shingles from a prefix equal those of the whole text', () => {
    const r = rng(9);
    let long = 0;
    for (let k = 0; k < 4000; k++) {
      const t = text(r);
      if (t.length > (ABS_SIG + 3) * 16) long++;
      expect(abstractShingles(t, ABS_SIG), t).toEqual(abstractShingles(t).slice(0, ABS_SIG));
      const sig = abstractSignature(t);
      const all = abstractShingles(t);
      expect(sig && [...sig]).toEqual(all.length >= 4 ? [...all.slice(0, ABS_SIG), ...Array(Math.max(0, ABS_SIG - all.length)).fill(0)] : undefined);
    }
    // Both paths are taken: texts longer than the prefix, and shorter ones.
    expect(long).toBeGreaterThan(500);
    expect(long).toBeLessThan(3500);
  });
});
