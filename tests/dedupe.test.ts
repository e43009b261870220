import { describe, expect, it } from 'vitest';
import { buildSeedCorpus } from '../lib/corpus/corpus';
import { parseSeedDumps } from '../lib/corpus/seed-parser';
import {
  digitWordsDiffer,
  findDuplicatePairs,
  findDuplicates,
  pairKey,
  pickSurvivor,
  wordsCompatible,
} from '../lib/dedupe/dedupe';
import type { Paper } from '../lib/model/types';
import { makePaper } from './helpers/db';
import { readSeedFiles } from './helpers/seeds';

const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper =>
  makePaper(id, title, { provenance: [], origin: 'user', ...extra });

const files = readSeedFiles();
const corpus = buildSeedCorpus(files);
const seedPapers: Paper[] = corpus.papers.map((p) =>
  paper(p.id, p.title, { key: p.key, abstract: p.abstract, provenance: p.provenance, origin: 'seed' }),
);
const byTitle = (t: string) => seedPapers.find((p) => p.title.startsWith(t))!;

/** Deterministic word edits: every `every`-th word of the abstract replaced. */
function editWords(text: string, every: number): string {
  return text
    .split(' ')
    .map((w, i) => (i % every === every - 1 ? `${w}x` : w))
    .join(' ');
}

describe('word-level checks', () => {
  it('accepts typos, stop words and joins; rejects other words and reordering', () => {
    expect(wordsCompatible(['decision', 'transformer'], ['decison', 'transformer'])).toBe(true);
    expect(wordsCompatible(['a', 'survey', 'of', 'rl'], ['survey', 'rl'])).toBe(true);
    expect(wordsCompatible(['post', 'training'], ['posttraining'])).toBe(true);
    expect(wordsCompatible(['offline', 'rl'], ['online', 'rl'])).toBe(false);
    expect(wordsCompatible(['deep', 'data', 'driven'], ['data', 'driven', 'deep'])).toBe(false);
  });

  it('sees names with digits as different papers', () => {
    expect(digitWordsDiffer(['d4rl', 'datasets'], ['d5rl', 'datasets'])).toBe(true);
    expect(digitWordsDiffer(['gpt', '4'], ['gpt', '4'])).toBe(false);
    // A published version that dropped the name is not a conflict.
    expect(digitWordsDiffer(['d5rl', 'datasets'], ['diverse', 'datasets'])).toBe(false);
  });
});

describe('dedupe on the seed corpus', () => {
  it('finds exactly the import-time exact duplicates as certain clusters when entries are not collapsed', () => {
    // Every seed entry as its own record: the clusters must be the groups collapseEntries merges.
    const { entries } = parseSeedDumps(files.toSorted((a, b) => (a.name < b.name ? -1 : 1)));
    const raw = entries.map((e, i) => paper(`e${i}`, e.title, { abstract: e.abstract }));
    const clusters = findDuplicates(raw);
    const groups = new Map<string, string[]>();
    for (const r of raw) groups.set(r.key, [...(groups.get(r.key) ?? []), r.id]);
    const expected = [...groups.values()].filter((g) => g.length > 1).map((g) => g.toSorted().join('|'));
    expect(entries.length - corpus.papers.length).toBeGreaterThan(0);
    const certain = clusters.filter((c) => c.level === 'certain').map((c) => c.id);
    expect(certain.toSorted()).toEqual(expected.toSorted());
    // No cluster joins records with different keys, even as a maybe.
    for (const c of clusters) {
      const keys = new Set(c.paperIds.map((id) => raw.find((r) => r.id === id)!.key));
      expect(keys.size).toBe(1);
    }
  });

  it('proposes nothing in the collapsed corpus, and its near-misses stay separate papers', () => {
    const clusters = findDuplicates(seedPapers);
    expect(clusters.filter((c) => c.level === 'certain')).toEqual([]);
    const d4 = byTitle('D4RL:');
    const d5 = byTitle('D5RL:');
    expect(d4.id).not.toBe(d5.id);
    for (const c of clusters) expect(c.paperIds.includes(d4.id) && c.paperIds.includes(d5.id)).toBe(false);
  });

  it('keeps near-miss titles (D4RL / D5RL) out of certain even with a copied abstract', () => {
    const d4 = byTitle('D4RL:');
    // A hostile case: a different paper name with the other's abstract.
    const fake = paper('x1', d4.title.replace('D4RL', 'D6RL'), { abstract: d4.abstract });
    const pairs = findDuplicatePairs([...seedPapers, fake]);
    const pair = pairs.find((p) => pairKey(p.a, p.b) === pairKey(d4.id, 'x1'))!;
    expect(pair.level).toBe('maybe');
    expect(pair.reasons.join(' ')).toMatch(/name or number/);
  });
});

describe('preprint and published versions', () => {
  const pre = byTitle('Future-conditioned Unsupervised Pretraining');
  const published = paper('pub1', 'Return-Conditioned Sequence Modeling for Offline Control', {
    abstract: editWords(pre.abstract!, 30),
    doi: '10.5555/neurips.2021.123',
    venue: 'NeurIPS',
    year: 2021,
  });

  it('proposes a retitled published version as certain on its near-identical abstract, and keeps the published record', () => {
    const clusters = findDuplicates([...seedPapers, published]);
    const c = clusters.find((x) => x.paperIds.includes('pub1'))!;
    expect(c.paperIds.toSorted()).toEqual([pre.id, 'pub1'].toSorted());
    expect(c.level).toBe('certain');
    expect(c.pairs[0]!.reasons.join(' ')).toMatch(/abstracts \d+% alike \(retitled version\?\)/);
    expect(c.survivorId).toBe('pub1');
  });

  it('makes a typo title without abstract a maybe, and a shared arXiv id certain', () => {
    const typo = paper('t1', pre.title.replace('Unsupervised', 'Unsupervsied'));
    const sameId = paper('i1', 'Future-Conditioned Pretraining (camera ready)', { arxivId: '2106.01345' });
    const withId = { ...pre, arxivId: '2106.01345' };
    const pairs = findDuplicatePairs([...seedPapers.filter((p) => p.id !== pre.id), withId, typo, sameId]);
    const levelOf = (a: string, b: string) => pairs.find((p) => pairKey(p.a, p.b) === pairKey(a, b))?.level;
    expect(levelOf(pre.id, 't1')).toBe('maybe');
    expect(levelOf(pre.id, 'i1')).toBe('certain');
  });

  it('refuses certain when the ids disagree, and honours "not duplicates"', () => {
    const a = paper('a1', 'Scaling Laws for Offline Agents', { arxivId: '2301.00001' });
    const b = paper('b1', 'Scaling Laws for Offline Agents', { arxivId: '2405.99999' });
    const [pair] = findDuplicatePairs([a, b]);
    expect(pair!.level).toBe('maybe');
    expect(pair!.reasons.join(' ')).toMatch(/different arXiv ids/);
    expect(findDuplicatePairs([a, b], { notDuplicates: new Set([pairKey('a1', 'b1')]) })).toEqual([]);
  });

  it('proposes a title without its subtitle as a maybe', () => {
    const a = paper('a1', 'A Little Help Goes a Long Way: Efficient LLM Training by Leveraging Small LMs');
    const b = paper('b1', 'A Little Help Goes a Long Way');
    const [pair] = findDuplicatePairs([a, b]);
    expect(pair!.level).toBe('maybe');
    expect(pair!.reasons).toContain('one title is the other without its subtitle');
    // A one- or two-word main title is too generic to pair on.
    expect(findDuplicatePairs([paper('c1', 'Introduction: Deep Learning for Robots'), paper('c2', 'Introduction')])).toEqual([]);
  });

  it('uses the matcher as an extra title source', () => {
    const a = paper('a1', 'Offline Agents at Scale');
    const b = paper('b1', 'Scaling Offline Agents');
    expect(findDuplicatePairs([a, b])).toEqual([]);
    const pairs = findDuplicatePairs([a, b], { titleCandidates: (p) => (p.id === 'a1' ? ['b1'] : []) });
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.level).toBe('maybe');
  });

  it('picks the richest record as survivor', () => {
    const bare = paper('z1', 'X');
    const rich = paper('z2', 'X', { abstract: 'long text', doi: '10.1/x', authors: ['A. B.'] });
    expect(pickSurvivor([bare, rich]).id).toBe('z2');
  });
});
