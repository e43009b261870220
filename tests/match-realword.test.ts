import { describe, expect, it } from 'vitest';
import { englishWords } from '../lib/match/english';
import { Vocabulary, sameWordVariant } from '../lib/match/words';
import { MatchIndex } from '../lib/match/index';
import { titlesAgree } from '../lib/match/same-title';
import { normalizeTitle } from '../lib/model/normalize';
import { seedCorpus, rng } from '../bench/lib/evalset';
import { realWordVariants } from '../bench/lib/realword';
import { readSeedFiles } from './helpers/seeds';

const english = englishWords();
const corpus = seedCorpus(readSeedFiles());
const ix = MatchIndex.build(corpus, { english });

describe('English dictionary (dictionary-en, Hunspell affix rules)', () => {
  it('knows words through their affixes and not typos', () => {
    for (const w of ['online', 'offline', 'unlearning', 'learning', 'modal', 'model', 'asymmetric', 'descent', 'assignment', 'construction', 'benchmarks', 'policies']) {
      expect(english.has(w), w).toBe(true);
    }
    for (const w of ['learnign', 'transfromer', 'reinforcment', 'offlien', 'qensembles']) expect(english.has(w), w).toBe(false);
    expect(english.size).toBeGreaterThan(40000);
  });
});

describe('typo or another word', () => {
  const vocab = new Vocabulary(english);
  vocab.addWords(['qensembles', 'llms', 'fine', 'five', 'tuning', 'finetuning', 'light', 'r1', 'post', 'ln']);
  it('an edit turning one real word into another is a word change, inside compounds too', () => {
    const pairs: [string, string][] = [
      ['online', 'offline'], ['offlinetoonline', 'offlinetooffline'], ['learning', 'unlearning'], ['symmetric', 'asymmetric'],
      ['alignment', 'assignment'], ['ascent', 'descent'], ['model', 'modal'], ['instruction', 'construction'], ['model', 'made'],
      ['selfsupervised', 'selfunsupervised'],
      // One side a word, the other a compound of the field's words: "Fine-Tuning" / "Five-Tuning".
      ['finetuning', 'fivetuning'],
      // Compounds with name parts: "Light-R1" / "Right-R1", "Post-LN" / "Most-LN".
      ['lightr1', 'rightr1'], ['postln', 'mostln'],
    ];
    for (const [a, b] of pairs) expect(vocab.realWordEdit(a, b), `${a}/${b}`).toBe(true);
  });
  it('typos, plurals and British spellings stay typos', () => {
    const pairs: [string, string][] = [
      ['learning', 'learnign'], ['transformer', 'transfromer'], ['boosting', 'bootsing'], ['benchmark', 'benchmarks'],
      ['offline', 'offlien'], ['framework', 'famework'], ['boosting', 'bootsing'],
      ['policy', 'policies'], ['behavior', 'behaviour'], ['generalization', 'generalisation'], ['modeling', 'modelling'], ['qensembles', 'qensembels'],
    ];
    for (const [a, b] of pairs) expect(vocab.realWordEdit(a, b), `${a}/${b}`).toBe(false);
    expect(sameWordVariant('benchmark', 'benchmarks')).toBe(true);
    expect(sameWordVariant('learning', 'learned')).toBe(false);
  });
});

describe('the real-word class over the whole seed corpus', () => {
  const variants = realWordVariants(corpus);
  it('every corpus title × every real-word substitution: none is a match, every original still is', () => {
    expect(variants.length).toBeGreaterThan(1500);
    const wrong = variants.filter((q) => {
      const r = ix.match({ title: q.title });
      return r.status === 'match' && r.paperId === q.of;
    });
    // The few left are pairs the dictionary does not know as two words (listed when it fails).
    expect(wrong.length / variants.length, wrong.slice(0, 20).map((q) => q.title).join('\n')).toBeLessThan(0.01);
    for (const p of corpus) expect(ix.match({ title: p.title }).paperId).toBe(p.id);
  });
  it('the issue’s examples are maybes, not matches', () => {
    const online = corpus.find((p) => /Offline-to-Online/.test(p.title));
    if (online) {
      const r = ix.match({ title: online.title.replace('Online', 'Offline') });
      expect(r.status).not.toBe('match');
    }
    const local = MatchIndex.build([{ id: 'q', title: 'Improving Offline-to-Online Reinforcement Learning with Q-Ensembles' }], { english });
    expect(local.match({ title: 'Improving Offline-to-Offline Reinforcement Learning with Q-Ensembles' })).toMatchObject({ status: 'maybe', reason: 'title differs in one word' });
    expect(local.match({ title: 'Improving Offline-to-Online Reinforcement Learning with Q-Ensembels' })).toMatchObject({ status: 'match', evidence: 'fuzzy' });
  });
});

describe('an id against a title', () => {
  const r = rng(11);
  it('a shared DOI under another corpus title is a maybe ("same DOI, different title"); the paper’s own title is a match', () => {
    const withDoi = corpus.slice(0, 60).map((p, i) => ({ ...p, doi: `10.1000/vol.${i}` }));
    const local = MatchIndex.build([...withDoi, ...corpus.slice(60)], { english });
    for (let i = 0; i < withDoi.length; i++) {
      const other = corpus[60 + Math.floor(r() * (corpus.length - 60))]!;
      // An unrelated title carrying paper i's DOI: not a match for paper i.
      const res = local.match({ title: other.title, ids: { doi: withDoi[i]!.doi } });
      expect(res.paperId === withDoi[i]!.id && res.status === 'match').toBe(false);
      expect(local.match({ title: withDoi[i]!.title, ids: { doi: withDoi[i]!.doi } })).toMatchObject({ status: 'match', paperId: withDoi[i]!.id, evidence: 'id' });
    }
    const res = local.match({ title: 'A Completely Different Study of Graph Coloring', ids: { doi: withDoi[0]!.doi } });
    expect(res).toMatchObject({ status: 'maybe', paperId: withDoi[0]!.id, reason: 'same DOI, different title' });
  });
  it('allows arXiv retitles that keep most content words', () => {
    const a = normalizeTitle('Decision Transformer: Reinforcement Learning via Sequence Modeling').words;
    expect(titlesAgree(normalizeTitle('Decision Transformers: Offline Reinforcement Learning via Sequence Modeling').words, a, false)).toBe(true);
    expect(titlesAgree(normalizeTitle('Trajectory Transformer for Offline Planning').words, a, false)).toBe(false);
    expect(titlesAgree(normalizeTitle('Decision Transformer: Reinforcement…').words, a, true)).toBe(true);
  });
});
