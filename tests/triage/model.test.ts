import { describe, it, expect } from 'vitest';
import { MAX_SUGGESTIONS, MIN_PAPERS_PER_TAG, RECIPES, restoreModel, terms, tokens, train, type Doc } from '../../lib/triage/model';
import { rng } from '../../bench/lib/evalset';

/**
 * Synthetic libraries: each topic has its own words; a title mixes 2–4 topic words with common
 * words every topic shares. A classifier must learn which words mark which topic.
 */
function library(seed: number, topics: number, perTopic: number, untagged: number) {
  const r = rng(seed);
  const common = Array.from({ length: 40 }, (_, i) => `common${i}`);
  const words = Array.from({ length: topics }, (_t, t) => Array.from({ length: 12 }, (_w, i) => `t${t}word${i}`));
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const title = (t: number | undefined) => {
    const ws = Array.from({ length: 4 + Math.floor(r() * 4) }, () => pick(common));
    if (t !== undefined) for (let k = 0; k < 2 + Math.floor(r() * 3); k++) ws.splice(Math.floor(r() * ws.length), 0, pick(words[t]!));
    return ws.join(' ');
  };
  const docs: Doc[] = [];
  for (let t = 0; t < topics; t++) for (let i = 0; i < perTopic; i++) docs.push({ title: title(t), tags: [`topic ${t}`] });
  for (let i = 0; i < untagged; i++) docs.push({ title: title(undefined), tags: [] });
  return { docs, title };
}

describe('tag model', () => {
  it('tokenizes like arxiv-sanity-lite: lower case, accents folded, stop words out, word bigrams', () => {
    expect(tokens('Über die Graph-Neural Networks of the Year 2024')).toEqual(['uber', 'die', 'graph', 'neural', 'networks', 'year', '2024'].filter((w) => !/^\d/.test(w)));
    expect(terms('Graph Neural Networks')).toEqual(['graph', 'neural', 'networks', 'graph neural', 'neural networks']);
  });

  it('suggests the right topic first for new titles (several random libraries)', async () => {
    for (const seed of [1, 2, 3]) {
      const { docs, title } = library(seed, 5, 40, 100);
      const model = await train(docs);
      expect(model.tags).toEqual(['topic 0', 'topic 1', 'topic 2', 'topic 3', 'topic 4']);
      let right = 0;
      let n = 0;
      for (let t = 0; t < 5; t++) {
        for (let i = 0; i < 20; i++) {
          const s = model.suggest(title(t));
          n++;
          if (s[0]?.tag === `topic ${t}`) right++;
          expect(s.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
          for (let k = 1; k < s.length; k++) expect(s[k - 1]!.score).toBeGreaterThanOrEqual(s[k]!.score);
        }
      }
      expect(right / n).toBeGreaterThan(0.9);
      // Titles of no topic mostly get nothing.
      const none = Array.from({ length: 50 }, () => model.suggest(title(undefined)).length).filter((x) => x > 0).length;
      expect(none).toBeLessThan(15);
    }
  });

  it(`a tag with fewer than ${MIN_PAPERS_PER_TAG} papers suggests nothing; excluded tags are not suggested`, async () => {
    const { docs, title } = library(4, 2, 20, 30);
    docs.push({ title: 'rare rareword', tags: ['rare'] }, { title: 'rare rareword again', tags: ['rare'] });
    const model = await train(docs);
    expect(model.tags).not.toContain('rare');
    expect(model.suggest('rareword rare rareword').map((s) => s.tag)).not.toContain('rare');
    const t0 = title(0);
    expect(model.suggest(t0)[0]?.tag).toBe('topic 0');
    expect(model.suggest(t0, undefined, ['TOPIC 0']).map((s) => s.tag)).not.toContain('topic 0');
  });

  it('a tag learned from bare titles still fits entries a listing shows with an abstract (better than one title + abstract view)', async () => {
    const { docs, title } = library(5, 2, 20, 0);
    // Untagged papers have abstracts full of generic words; the tagged ones have none.
    const r = rng(9);
    for (let i = 0; i < 60; i++) docs.push({ title: title(undefined), abstract: Array.from({ length: 60 }, () => `generic${Math.floor(r() * 30)}`).join(' '), tags: [] });
    const abstract = Array.from({ length: 60 }, () => `generic${Math.floor(r() * 30)}`).join(' ');
    const ours = await train(docs);
    expect(ours.data.fullText).toEqual([false, false]);
    let ok = 0;
    for (let i = 0; i < 20; i++) if (ours.suggest(title(1), abstract)[0]?.tag === 'topic 1') ok++;
    expect(ok).toBeGreaterThanOrEqual(6);
    // With a single title + abstract view (arxiv-sanity-lite), the abstract's words pull toward "untagged".
    const asl = await train(docs, { recipe: { ...RECIPES.asl, minDf: 1, maxDf: 1 } });
    expect(asl.data.fullText).toEqual([true, true]);
    let aslOk = 0;
    for (let i = 0; i < 20; i++) if (asl.suggest(title(1), abstract)[0]?.tag === 'topic 1') aslOk++;
    expect(aslOk).toBeLessThan(ok - 4);
  });

  it('round-trips through structured clone (IndexedDB) and rejects a damaged copy', async () => {
    const { docs, title } = library(6, 3, 10, 20);
    const model = await train(docs);
    const copy = restoreModel(structuredClone(model.data))!;
    const t = title(2);
    expect(Array.from(copy.scores(t))).toEqual(Array.from(model.scores(t)));
    expect(restoreModel(undefined)).toBeUndefined();
    expect(restoreModel({ ...model.data, version: 2 })).toBeUndefined();
    expect(restoreModel({ ...model.data, weights: new Float32Array(3) })).toBeUndefined();
    expect(restoreModel({ ...model.data, fullText: [] })).toBeUndefined();
    expect(restoreModel({ ...model.data, idf: [1, 2] })).toBeUndefined();
  });

  it('trains deterministically, and an empty library gives an empty model', async () => {
    const { docs, title } = library(7, 2, 10, 10);
    const a = await train(docs);
    const b = await train(docs);
    const t = title(0);
    expect(Array.from(a.scores(t))).toEqual(Array.from(b.scores(t)));
    const empty = await train([]);
    expect(empty.tags).toEqual([]);
    expect(empty.suggest('anything')).toEqual([]);
  });
});
