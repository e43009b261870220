import { describe, expect, it } from 'vitest';
import { MatchIndex, type IndexedPaper, type MatchQuery } from '../lib/match/index';
import { typoEquivalent, verify } from '../lib/match/verify';
import { normalizeTitle } from '../lib/model/normalize';

const D5RL = 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning';
const NEORL = 'NeoRL: A Near Real-World Benchmark for Offline Reinforcement Learning';
const KIMI = 'Kimi k1.5: Scaling Reinforcement Learning with LLMs';
const papers: IndexedPaper[] = [
  { id: 'd5rl', title: D5RL, arxivId: '2408.08441', abstract: 'Offline reinforcement learning algorithms hold the promise of enabling data-driven RL methods that do not require costly or dangerous real-world exploration and benefit from large pre-collected datasets.' },
  { id: 'neorl', title: NEORL },
  { id: 'kimi', title: KIMI, doi: '10.48550/arXiv.2501.12599' },
  { id: 'iql', title: 'Offline Reinforcement Learning with Implicit Q-Learning', openreviewId: '68n2s9ZJWF8' },
  { id: 'guide', title: "A Pretrainer's Guide to Training Data: Measuring the Effects of Data Age, Domain Coverage, Quality, & Toxicity" },
  { id: 'eorl1', title: 'Efficient Online Reinforcement Learning with Offline Data' },
  { id: 'eorl2', title: 'Efficient Online Reinforcement Learning Fine-Tuning Need Not Retain Offline Data' },
  { id: 'llama2', title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models' },
  { id: 'dt', title: 'Decision Transformer: Reinforcement Learning via Sequence Modeling' },
  { id: 'cql', title: 'Conservative Q-Learning for Offline Reinforcement Learning' },
  { id: 'vpt', title: 'Video PreTraining (VPT): Learning to Act by Watching Unlabeled Online Videos' },
  { id: 'tulu', title: 'TÜLU 3: Pushing Frontiers in Open Language Model Post-Training' },
];
const ix = MatchIndex.build(papers);
const m = (title: string, extra: Partial<MatchQuery> = {}) => ix.match({ title, ...extra });

describe('MatchIndex: identifiers first', () => {
  it('matches an arXiv id (any version), a DOI (any case or resolver) and an OpenReview id', () => {
    expect(m('', { ids: { arxiv: '2408.08441v3' } })).toMatchObject({ status: 'match', paperId: 'd5rl', reason: 'same arXiv id', evidence: 'id' });
    expect(m('', { ids: { doi: 'https://doi.org/10.48550/ARXIV.2501.12599' } })).toMatchObject({ status: 'match', paperId: 'kimi' });
    expect(m(KIMI, { ids: { doi: 'https://doi.org/10.48550/ARXIV.2501.12599' } })).toMatchObject({ status: 'match', paperId: 'kimi' });
    expect(m('', { ids: { openreview: '68n2s9ZJWF8' } })).toMatchObject({ status: 'match', paperId: 'iql' });
    expect(m('x', { ids: { arxiv: '2101.00001' } }).status).toBe('none');
  });

  it('demotes a title match whose arXiv id contradicts the paper', () => {
    const r = m(D5RL, { ids: { arxiv: '2101.00001' } });
    expect(r.status).toBe('maybe');
    expect(r.reason).toMatch(/arXiv id differs/);
  });

  it('learns an id through add(): the next visit is an id lookup', () => {
    const local = MatchIndex.build(papers);
    expect(local.match({ title: '', ids: { arxiv: '2106.01345' } }).status).toBe('none');
    local.add({ ...papers.find((p) => p.id === 'dt')!, arxivId: '2106.01345' });
    expect(local.match({ title: '', ids: { arxiv: '2106.01345' } })).toMatchObject({ status: 'match', paperId: 'dt' });
    expect(local.match({ title: 'Decision Transformers: RL via Sequence Modeling', ids: { arxiv: '2106.01345' } })).toMatchObject({ status: 'match', paperId: 'dt' });
    expect(local.size).toBe(papers.length);
  });
});

describe('MatchIndex: titles', () => {
  it('matches normalizable noise through the exact key', () => {
    for (const t of ['d5rl: diverse datasets for data-driven deep reinforcement learning', '[PDF] D5RL — Diverse Datasets for Data‐Driven Deep Reinforcement Learning v2', 'Title: $\\mathrm{D5RL}$: Diverse Datasets for Data Driven Deep Reinforcement Learning.', 'Tulu 3: Pushing Frontiers in Open Language Model Posttraining']) {
      const r = m(t);
      expect(r.status, t).toBe('match');
      expect(r.reason).toBe('same title key');
    }
  });

  it('matches typos, a dropped stop word ("&" lost) and split/joined words', () => {
    expect(m('Offline Reinforcement Learning with Implicit Q-Learnign')).toMatchObject({ status: 'match', paperId: 'iql' });
    expect(m('Conservative Q-Learning for Offline Reinforcment Learning')).toMatchObject({ status: 'match', paperId: 'cql' });
    expect(m("A Pretrainer's Guide to Training Data: Measuring the Effects of Data Age, Domain Coverage, Quality, Toxicity")).toMatchObject({ status: 'match', paperId: 'guide' });
    expect(m('Decision Transformer: Reinforcement Learning via Sequence Modelling')).toMatchObject({ status: 'match', paperId: 'dt' });
    expect(m('Video Pre Training (VPT): Learning to Act by Watching Unlabeled Online Vidoes')).toMatchObject({ status: 'match', paperId: 'vpt' });
  });

  it('keeps near-misses apart: D4RL/D5RL, NeoRL/NeoRL-2, Kimi k1.5/k2', () => {
    const cases = [
      'D4RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning',
      'D4RL: Datasets for Deep Data-Driven Reinforcement Learning',
      'NeoRL-2: A Near Real-World Benchmark for Offline Reinforcement Learning',
      'NeoRL-2: Near Real-World Benchmarks for Offline Reinforcement Learning with Extended Realistic Scenarios',
      'Kimi k2: Scaling Reinforcement Learning with LLMs',
      'Kimi k2: Open Agentic Intelligence',
      'Kimi k1.6: Scaling Reinforcement Learning with LLMs',
    ];
    for (const t of cases) expect(m(t).status, t).not.toBe('match');
    // Near-identical titles that differ only in the number are shown as a "maybe" to confirm.
    expect(m('NeoRL-2: A Near Real-World Benchmark for Offline Reinforcement Learning')).toMatchObject({ status: 'maybe', paperId: 'neorl', reason: 'title differs in a number or version' });
  });

  it('keeps numbered sequels and other version numbers apart', () => {
    for (const t of [
      'Decision Transformer 2: Reinforcement Learning via Sequence Modeling',
      'Decision Transformer II: Reinforcement Learning via Sequence Modeling',
      'Decision Transformer: Reinforcement Learning via Sequence Modeling II',
      'Llama 3: Open Foundation and Fine-Tuned Chat Models',
      'Llama 2.1: Open Foundation and Fine-Tuned Chat Models',
      'Llama 2 v3: Open Foundation and Fine-Tuned Chat Models',
      'TÜLU 2: Pushing Frontiers in Open Language Model Post-Training',
      'Tulu 3.1: Pushing Frontiers in Open Language Model Post-Training',
    ]) {
      expect(m(t).status, t).not.toBe('match');
    }
  });

  it('does not match a title with one content word changed; it is a maybe at most', () => {
    const r = m('Offline Reinforcement Learning with Explicit Q-Learning');
    expect(r.status).toBe('maybe');
    expect(r.reason).toBe('title differs in one word');
    expect(r.candidates[0]!.paperId).toBe('iql');
    expect(m('Conservative Q-Learning for Online Reinforcement Learning').status).not.toBe('match');
    expect(m('Optimistic Q-Learning for Offline Reinforcement Learning').status).not.toBe('match');
  });

  it('answers none for unrelated titles and empty input', () => {
    expect(m('Attention Is All You Need')).toMatchObject({ status: 'none', candidates: [] });
    expect(m('').status).toBe('none');
    expect(ix.match({ title: undefined as unknown as string }).status).toBe('none');
    expect(ix.match(null as unknown as MatchQuery).status).toBe('none');
    expect(ix.match({ title: D5RL, abstract: 42 as unknown as string, ids: { arxiv: 7 as unknown as string } }).status).toBe('match');
  });
});

describe('MatchIndex: cut titles', () => {
  it('matches a unique prefix and asks "maybe" when several papers share it', () => {
    expect(m('Conservative Q-Learning for Offline Reinf…')).toMatchObject({ status: 'match', paperId: 'cql', reason: 'unique prefix of a cut title' });
    expect(m('Decision Transformer: Reinforcement Learning via ...')).toMatchObject({ status: 'match', paperId: 'dt' });
    const shared = m('Efficient Online Reinforcement Lea…');
    expect(shared.status).toBe('maybe');
    expect(shared.candidates.map((c) => c.paperId).toSorted()).toEqual(['eorl1', 'eorl2']);
  });

  it('is careful with very short cuts, and with a cut word that fits no word of the paper', () => {
    expect(m('Decision Tra…').status).toBe('maybe');
    // Same three words, then a cut word that is not "Offline": another paper.
    expect(m('Conservative Q-Learning for Robust…').status).not.toBe('match');
    // The cut word may carry a typo.
    expect(m('Conservative Q-Learning for Offline Reinfocem…')).toMatchObject({ status: 'match', paperId: 'cql' });
  });

  it('matches a cut title with a typo, in the first words or later', () => {
    expect(m('conservative q-learning for offlnie reinforcement lea…')).toMatchObject({ status: 'match', paperId: 'cql' });
    expect(m('Conservatve Q-Learning for Offline Reinforcement Lea…')).toMatchObject({ status: 'match', paperId: 'cql' });
    expect(m('Efficient Online Reinforcement Learning Fine-Tunign Need…')).toMatchObject({ status: 'match', paperId: 'eorl2' });
  });
});

describe('MatchIndex: abstracts break ties', () => {
  const twins: IndexedPaper[] = [
    { id: 'a', title: 'Learning to Plan with Latent World Models', abstract: 'We study planning in learned latent spaces and show that a simple model predictive controller suffices for continuous control tasks with pixel inputs.' },
    { id: 'b', title: 'Learning to Plan with Latent World Models', abstract: 'Language agents benefit from explicit world models; we propose a prompting scheme that lets large language models simulate outcomes before acting.' },
  ];
  const tix = MatchIndex.build(twins);

  it('picks the paper whose abstract starts like the snippet', () => {
    const r = tix.match({ title: 'Learning to Plan with Latent World Models', abstract: 'Language agents benefit from explicit world models; we propose a prompting scheme that lets…' });
    expect(r).toMatchObject({ status: 'match', paperId: 'b' });
    expect(r.candidates).toHaveLength(2);
  });

  it('demotes a fuzzy match whose abstract clearly differs', () => {
    const r = ix.match({
      title: 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcment Learning',
      abstract: 'We present a survey of tokenizer design for multilingual speech recognition and analyse vocabulary size, byte fallback and normalization choices across twelve languages.',
    });
    expect(r.status).toBe('maybe');
    expect(r.reason).toMatch(/abstract differs/);
    // Same title with the right abstract: a match.
    expect(ix.match({ title: 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcment Learning', abstract: papers[0]!.abstract }).status).toBe('match');
  });
});

describe('MatchIndex: updates and persistence', () => {
  it('add(), remove() and alias keys take effect at once', () => {
    const local = MatchIndex.build(papers);
    local.remove('cql');
    expect(local.match({ title: 'Conservative Q-Learning for Offline Reinforcement Learning' }).status).toBe('none');
    expect(local.size).toBe(papers.length - 1);
    local.add({ id: 'new', title: 'Scaling Laws for Reward Model Overoptimization' });
    expect(local.match({ title: 'scaling laws for reward model overoptimisation' })).toMatchObject({ status: 'match', paperId: 'new' });
    // A confirmed "maybe": the page title becomes an alias of the paper.
    const alias = normalizeTitle('SERA: Sample Efficient Reward Augmentation in offline-to-online RL').key;
    local.add({ id: 'new', title: 'Scaling Laws for Reward Model Overoptimization', aliasKeys: [alias] });
    expect(local.match({ title: 'SERA: Sample Efficient Reward Augmentation in Offline-to-Online RL' })).toMatchObject({ status: 'match', paperId: 'new' });
    local.remove('new');
    expect(local.match({ title: 'SERA: Sample Efficient Reward Augmentation in Offline-to-Online RL' }).status).toBe('none');
  });

  it('folds a large delta into the base and keeps every answer', () => {
    const local = MatchIndex.build(papers);
    for (let i = 0; i < 2100; i++) local.add({ id: 'g' + i, title: `Generated Paper Number ${i} About Robust Planning`, arxivId: `2301.${String(10000 + i)}` });
    expect(local.size).toBe(papers.length + 2100);
    expect(local.match({ title: 'Generated Paper Number 2099 About Robust Planning' })).toMatchObject({ status: 'match', paperId: 'g2099' });
    expect(local.match({ title: '', ids: { arxiv: '2301.10005' } })).toMatchObject({ status: 'match', paperId: 'g5' });
    expect(local.match({ title: 'Generated Paper Number 2099 About Robust Planing' }).paperId).toBe('g2099');
    expect(local.match({ title: D5RL }).paperId).toBe('d5rl');
  });

  it('answers the same after toParts()/fromParts(), from ArrayBuffers or Uint8Array views', () => {
    const local = MatchIndex.build(papers);
    local.add({ id: 'late', title: 'A Paper Added After the Build', doi: '10.1000/LATE' });
    local.remove('kimi');
    const parts = local.toParts();
    for (const v of Object.values(parts)) expect(typeof v === 'string' || v instanceof ArrayBuffer || v instanceof Uint8Array).toBe(true);
    const queries: MatchQuery[] = [
      { title: D5RL },
      { title: 'Offline Reinforcement Learning with Implicit Q-Learnign' },
      { title: 'Efficient Online Reinforcement Lea…' },
      { title: 'NeoRL-2: A Near Real-World Benchmark for Offline Reinforcement Learning' },
      { title: KIMI },
      { title: 'x', ids: { doi: '10.1000/late' } },
      { title: 'Conservatve Q-Learning for Offline Reinforcement Lea…' },
    ];
    const before = local.matchMany(queries);
    const restored = MatchIndex.fromParts(parts);
    expect(restored.size).toBe(local.size);
    expect(restored.matchMany(queries)).toEqual(before);
    expect(before[4]!.status).toBe('none');
    // Parts read back as Uint8Array views at an odd offset (as a store may return them).
    const copy: Record<string, ArrayBuffer | Uint8Array | string> = {};
    for (const [k, v] of Object.entries(parts)) {
      if (typeof v === 'string') copy[k] = v;
      else {
        const bytes = new Uint8Array(v as ArrayBuffer);
        const host = new Uint8Array(bytes.length + 3);
        host.set(bytes, 3);
        copy[k] = host.subarray(3);
      }
    }
    expect(MatchIndex.fromParts(copy).matchMany(queries)).toEqual(before);
  });

  it('rejects missing or mismatched parts with a clear error', () => {
    const parts = MatchIndex.build(papers).toParts();
    expect(() => MatchIndex.fromParts({})).toThrow(/meta/);
    expect(() => MatchIndex.fromParts({ ...parts, keys: 'short' })).toThrow(/do not fit/);
    expect(() => MatchIndex.fromParts({ ...parts, meta: JSON.stringify({ format: 0 }) })).toThrow(/format/);
  });

  it('matchMany answers like match', () => {
    const qs = ['Decision Transfo…', 'Conservative Q-Learning for Offline Reinforcment Learning', 'nothing like it'].map((title) => ({ title }));
    expect(ix.matchMany(qs)).toEqual(qs.map((q) => ix.match(q)));
  });
});

const w = (t: string) => normalizeTitle(t).words;

describe('verify and typoEquivalent (word-level rules)', () => {
  it('treats letter typos as small, digits and roman numerals as hard', () => {
    expect(typoEquivalent('reinforcement', 'reinforcment')).toBe(true);
    expect(typoEquivalent('learning', 'laerning')).toBe(true);
    expect(typoEquivalent('offline', 'online')).toBe(false);
    expect(typoEquivalent('d4rl', 'd5rl')).toBe(false);
    expect(typoEquivalent('gpt4', 'gpt4o')).toBe(false);
    expect(typoEquivalent('neorl', 'neorl2')).toBe(false);
    expect(typoEquivalent('r1style', 'r1stlye')).toBe(true);
    expect(typoEquivalent('iii', 'ii')).toBe(false);
    expect(typoEquivalent('cat', 'cut')).toBe(false);
  });

  it('classifies word differences', () => {
    expect(verify(w('Offline RL with Implicit Q-Learnign'), w('Offline RL with Implicit Q-Learning'), false)).toMatchObject({ small: 1, content: 0, hard: 0 });
    expect(verify(w('Offline RL Implicit Q-Learning'), w('Offline RL with Implicit Q-Learning'), false)).toMatchObject({ small: 1, content: 0, hard: 0 });
    expect(verify(w('Offline RL with Explicit Q-Learning'), w('Offline RL with Implicit Q-Learning'), false)).toMatchObject({ content: 1, hard: 0 });
    expect(verify(w('Kimi k2: Scaling RL'), w('Kimi k1.5: Scaling RL'), false).hard).toBeGreaterThan(0);
    expect(verify(w('Post Training at Scale'), w('Posttraining at Scale'), false)).toMatchObject({ small: 0, content: 0, hard: 0 });
    expect(verify(w('Offline RL with Impl'), w('Offline RL with Implicit Q-Learning'), true)).toMatchObject({ small: 0, content: 0, hard: 0 });
  });
});
