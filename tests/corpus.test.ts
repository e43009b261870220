import { describe, expect, it } from 'vitest';
import {
  buildSeedCorpus,
  collapseEntries,
  corpusPapers,
  fnv1a64Hex,
  paperIdFromKey,
  parseCorpusAsset,
  PAPER_ID,
} from '@/lib/corpus/corpus';
import { titleKey } from '@/lib/model/normalize';
import type { SeedEntry } from '@/lib/corpus/seed-parser';
import { readSeedFiles } from './helpers/seeds';

/** Reference FNV-1a 64 with BigInt, to check the limb arithmetic. */
function fnvBig(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

describe('paper ids', () => {
  it('are FNV-1a 64 of the key (published test vectors and a BigInt reference)', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
    for (const s of ['d4rldatasetsfordeepdatadrivenreinforcementlearning', 'tülu3', 'π06avlathatlearnsfromexperience', 'x'.repeat(300)]) {
      expect(fnv1a64Hex(s)).toBe(fnvBig(s));
    }
  });

  it('look like "p" + 16 hex digits and are stable', () => {
    const id = paperIdFromKey('neorlanearrealworldbenchmarkforofflinereinforcementlearning');
    expect(id).toMatch(PAPER_ID);
    expect(paperIdFromKey('neorlanearrealworldbenchmarkforofflinereinforcementlearning')).toBe(id);
  });
});

describe('the seed corpus', () => {
  const built = buildSeedCorpus(readSeedFiles());
  const byTitle = (t: string) => built.papers.find((p) => p.title === t);

  it('collapses 401 entries into 314 papers carrying every provenance', () => {
    expect(built.entryCount).toBe(401);
    expect(built.problems).toEqual([]);
    expect(built.papers).toHaveLength(314);
    expect(built.papers.reduce((n, p) => n + p.provenance.length, 0)).toBe(401);
    expect(new Set(built.papers.map((p) => p.id)).size).toBe(314);
    for (const p of built.papers) {
      expect(p.key).toBe(titleKey(p.title));
      expect(p.id).toBe(paperIdFromKey(p.key));
    }
  });

  it('keeps every sighting of a repeated paper', () => {
    const d5rl = byTitle('D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning')!;
    expect(d5rl.provenance).toEqual([
      { kind: 'seed', source: '000_867e48db8b7fb532.txt', line: 15, listingDate: 'Mar 17' },
      { kind: 'seed', source: '002_518ee158acff60e0.txt', line: 45 },
      { kind: 'seed', source: '003_ca68fdea4f562e64.txt', line: 103 },
      { kind: 'seed', source: '004_dcb931a5de6ec7ac.txt', line: 259, listingDate: 'Apr 22' },
    ]);
  });

  it('keeps near-miss titles apart (D4RL vs D5RL, NeoRL vs NeoRL-2)', () => {
    const d4 = byTitle('D4RL: Datasets for Deep Data-Driven Reinforcement Learning');
    const d5 = byTitle('D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning');
    const neo = byTitle('NeoRL: A Near Real-World Benchmark for Offline Reinforcement Learning');
    const neo2 = byTitle(
      'NeoRL-2: Near Real-World Benchmarks for Offline Reinforcement Learning with Extended Realistic Scenarios',
    );
    for (const p of [d4, d5, neo, neo2]) expect(p).toBeDefined();
    expect(new Set([d4!.id, d5!.id, neo!.id, neo2!.id]).size).toBe(4);
    expect(d4!.provenance).toHaveLength(1);
    expect(neo!.provenance).toHaveLength(2);
    expect(neo2!.provenance).toHaveLength(1);
  });

  it('round-trips through the compact asset and validates it', () => {
    const json = JSON.parse(JSON.stringify(built.asset));
    const asset = parseCorpusAsset(json);
    expect(asset.version).toBe(built.asset.version);
    expect(corpusPapers(asset)).toEqual(built.papers);
    expect(asset.sources).toHaveLength(5);
    expect(asset.dates.toSorted()).toEqual(['Apr 22', 'Mar 13', 'Mar 17']);
  });

  it('is reproducible: the same dumps in any order give the same version', () => {
    const again = buildSeedCorpus(readSeedFiles().toReversed());
    expect(again.asset.version).toBe(built.asset.version);
  });

  const clone = (): { papers: unknown[][] } => JSON.parse(JSON.stringify(built.asset));

  it('rejects a damaged asset with a clear error', () => {
    expect(() => parseCorpusAsset(null)).toThrow(/Invalid corpus asset/);
    const dup = clone();
    dup.papers[1]![0] = dup.papers[0]![0];
    expect(() => parseCorpusAsset(dup)).toThrow(/duplicate paper id/);
    const truncated = clone();
    truncated.papers.pop();
    expect(() => parseCorpusAsset(truncated)).toThrow(/version does not match/);
    const badRef = clone();
    badRef.papers[0]![4] = [99, 1, -1];
    expect(() => parseCorpusAsset(badRef)).toThrow(/out of range/);
    const badId = clone();
    badId.papers[0]![0] = 'x123';
    expect(() => parseCorpusAsset(badId)).toThrow(/Invalid corpus asset/);
  });
});

function entry(title: string, line: number): SeedEntry {
  return { title, abstract: line === 1 ? '' : `abstract ${line}`, provenance: { kind: 'seed', source: 'f.txt', line } };
}

describe('collapseEntries', () => {

  it('merges titles differing only in case and punctuation, and fills a missing abstract', () => {
    const papers = collapseEntries([entry('Deep RL: A Survey', 1), entry('deep rl - a survey', 2), entry('Deep RL 2: A Survey', 3)]);
    expect(papers.map((p) => [p.title, p.abstract, p.provenance.map((x) => x.line)])).toEqual([
      ['Deep RL: A Survey', 'abstract 2', [1, 2]],
      ['Deep RL 2: A Survey', 'abstract 3', [3]],
    ]);
  });
});
