import { describe, expect, it } from 'vitest';
import { buildSeedCorpus } from '../../lib/corpus/corpus';
import { clusterPairs, findDuplicates, pairKey, type DuplicateCluster, type DuplicatePair } from '../../lib/dedupe/dedupe';
import { BlockingIndex } from '../../lib/dedupe/incremental';
import type { Paper } from '../../lib/model/types';
import { makePaper } from '../helpers/db';
import { readSeedFiles } from '../helpers/seeds';

const seed = buildSeedCorpus(readSeedFiles()).papers;

function rng(s: number): () => number {
  let x = s >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Copies of random seed papers under every kind of rendering the finder must catch. */
function plantedCorpus(s: number, copies: number): Paper[] {
  const r = rng(s);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const papers: Paper[] = seed.map((p) => makePaper(p.id, p.title, { key: p.key, abstract: p.abstract, origin: 'seed' }));
  const kinds: ((p: Paper) => Partial<Paper> & { title: string })[] = [
    (p) => ({ title: p.title.toUpperCase() }),
    (p) => ({ title: p.title.replace(/([a-z]{5})([a-z])([a-z])/, '$1$3$2'), abstract: p.abstract }),
    (p) => ({ title: `${p.title.split(' ').slice(-3).join(' ')}: Revisited`, abstract: p.abstract, doi: `10.1/${p.id}` }),
    (p) => ({ title: `Completely New Words For ${p.id}`, abstract: p.abstract }),
    (p) => ({ title: `${p.title}: A Subtitle Here` }),
    (p) => ({ title: p.title, arxivId: `2401.${String(Math.floor(r() * 1e5)).padStart(5, '0')}` }),
  ];
  for (let i = 0; i < copies; i++) {
    const orig = pick(papers.slice(0, seed.length));
    const { title, ...extra } = pick(kinds)(orig);
    papers.push(makePaper(`dup${i}`, title, { origin: 'import', ...extra }));
  }
  // Shuffled, so arrival order differs from the full scan's.
  for (let i = papers.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [papers[i], papers[j]] = [papers[j]!, papers[i]!];
  }
  return papers;
}

const shape = (cs: DuplicateCluster[]) => cs.map((c) => `${c.level}:${c.id}`).toSorted();

/** What the stored candidates hold after each paper was written in turn. */
function incremental(papers: Paper[], index = new BlockingIndex()): Map<string, DuplicatePair> {
  const pairs = new Map<string, DuplicatePair>();
  for (const p of papers) for (const q of index.upsert(p.id, p)) pairs.set(pairKey(q.a, q.b), q);
  return pairs;
}

describe('incremental duplicate finder', () => {
  for (const s of [1, 2, 3]) {
    it(`finds the full scan's clusters paper by paper (corpus ${s})`, () => {
      const papers = plantedCorpus(s, 150);
      const full = findDuplicates(papers);
      const inc = clusterPairs(papers, [...incremental(papers).values()]);
      expect(full.length).toBeGreaterThan(100);
      // Certain clusters are the same. A maybe pair found through title words may be missed: the
      // full scan ranks each paper's words by their final frequency, the incremental finder by
      // their frequency when the pair's second paper arrived (lib/dedupe/incremental.ts).
      const certain = (cs: DuplicateCluster[]) => shape(cs.filter((c) => c.level === 'certain'));
      expect(certain(inc)).toEqual(certain(full));
      const maybeFull = shape(full).filter((c) => c.startsWith('maybe'));
      const maybeInc = shape(inc).filter((c) => c.startsWith('maybe'));
      expect(maybeInc.filter((c) => !maybeFull.includes(c))).toEqual([]);
      expect(maybeFull.length - maybeInc.length).toBeLessThanOrEqual(Math.ceil(maybeFull.length * 0.02));
    });
  }

  it('updates pairs when a paper changes, is merged away or deleted', () => {
    const papers = plantedCorpus(4, 60);
    const index = new BlockingIndex();
    const pairs = incremental(papers, index);
    const withPairs = [...pairs.values()][0]!;
    const id = withPairs.a;
    const touching = (ps: DuplicatePair[]) => ps.filter((p) => p.a === id || p.b === id);
    // Retitled to something unique with no abstract: it has no partner any more.
    const changed = { ...papers.find((p) => p.id === id)!, title: 'Zyxwv Qwerty Unmatched', key: 'zyxwv qwerty unmatched', abstract: undefined, doi: undefined, arxivId: undefined };
    expect(touching(index.upsert(id, changed))).toEqual([]);
    expect(index.upsert(id, undefined)).toEqual([]);
    expect(index.has(id)).toBe(false);
    // Put back as it was: the same pairs as before, from its side.
    const back = index.upsert(id, papers.find((p) => p.id === id)!);
    const before = [...pairs.values()].filter((p) => p.a === id || p.b === id).map((p) => pairKey(p.a, p.b)).toSorted();
    expect(back.map((p) => pairKey(p.a, p.b)).toSorted()).toEqual(before);
    // Merged away: left out.
    expect(index.upsert(id, { ...papers.find((p) => p.id === id)!, mergedInto: 'x' })).toEqual([]);
    // The rest still agrees with a full scan of the corpus without it.
    const rest = papers.filter((p) => p.id !== id);
    const again = new BlockingIndex();
    const restPairs = incremental(rest, again);
    expect(shape(clusterPairs(rest, [...restPairs.values()]))).toEqual(shape(findDuplicates(rest)));
  });
});
