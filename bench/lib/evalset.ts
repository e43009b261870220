/**
 * The labelled evaluation set for the matcher, generated deterministically from the seed corpus:
 *  - positives: noisy renderings of every corpus title, as listing pages produce them;
 *  - negatives: ≥ 2000 real-looking titles that are not in the corpus, including near-misses of
 *    corpus titles (one word changed, halves of two titles, a number or sequel changed);
 *  - synthetic corpora (10k/100k/1M) around the 314 real titles.
 * Pure module (no Node APIs), so the Chromium bench page can generate the same corpora.
 */
import { parseSeedDumps } from '../../lib/corpus/seed-parser';
import { normalizeTitle, titleKey } from '../../lib/model/normalize';
import { typoEquivalent, osaWithin, STOP_WORDS } from '../../lib/match/verify';

export interface CorpusPaper {
  id: string;
  title: string;
  abstract?: string;
}

export interface EvalQuery {
  title: string;
  /** Corpus paper this renders, or undefined for a paper not in the corpus. */
  expect?: string;
  kind: string;
  /** A near-miss negative: must never be reported as `match`. */
  nearMiss?: boolean;
}

import { rng } from '../../lib/model/rng';

export { rng };

const pick = <T>(r: () => number, arr: readonly T[]): T => arr[Math.floor(r() * arr.length)]!;

/** The seed corpus: one paper per distinct title key (314 from 401 entries). */
export function seedCorpus(files: { name: string; text: string }[]): CorpusPaper[] {
  const { entries } = parseSeedDumps(files);
  const seen = new Set<string>();
  const out: CorpusPaper[] = [];
  for (const e of entries) {
    const k = titleKey(e.title);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    out.push({ id: 's' + out.length, title: e.title, abstract: e.abstract });
  }
  return out;
}

// ---------------------------------------------------------------- positive noise

function typo(r: () => number, title: string): string | undefined {
  const spans = [...title.matchAll(/[A-Za-z]{5,}/g)];
  if (!spans.length) return undefined;
  const m = pick(r, spans);
  const w = m[0];
  const at = 1 + Math.floor(r() * (w.length - 2));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let nw: string;
  switch (Math.floor(r() * 4)) {
    case 0: {
      let c = pick(r, [...letters]);
      if (c === w[at]!.toLowerCase()) c = c === 'e' ? 'a' : 'e';
      nw = w.slice(0, at) + c + w.slice(at + 1);
      break;
    }
    case 1:
      nw = w.slice(0, at) + w.slice(at + 1);
      break;
    case 2:
      nw = w.slice(0, at) + pick(r, [...letters]) + w.slice(at);
      break;
    default:
      nw = w[at] === w[at + 1] || at + 1 >= w.length ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  }
  return title.slice(0, m.index) + nw + title.slice(m.index! + w.length);
}

function truncate(title: string, frac: number, mark: string): string | undefined {
  if (title.length < 30) return undefined;
  const cut = Math.floor(title.length * frac);
  return title.slice(0, cut).trimEnd() + mark;
}

function unicodeNoise(title: string): string {
  if (/[^ -~]/.test(title)) return title.normalize('NFKD').replace(/\p{M}/gu, '').replace(/π/g, 'pi');
  return title
    .replace(/-/, '\u2010')
    .replace(/'/g, '\u2019')
    .replace(/fi/, '\ufb01')
    .replace(/: /, '\uff1a ')
    .replace(/ /, '\u00a0');
}

function latexNoise(title: string): string {
  const m = /^([A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*):/.exec(title);
  let t = title.replace(/&/g, '\\&');
  if (m) t = `$\\mathrm{${m[1]}}$` + t.slice(m[1]!.length);
  else t = t.replace(/\b([A-Za-z]{6,})\b/, '{\\em $1}');
  return t;
}

function hyphenNoise(title: string): string | undefined {
  if (/pre-?train/i.test(title)) return title.replace(/(pre)-?(train)/i, (_m, a, b) => (/-/.test(_m) ? a + b : a + '-' + b));
  if (/fine-?tun/i.test(title)) return title.replace(/(fine)-?(tun)/i, (_m, a, b) => (/-/.test(_m) ? a + b : a + '-' + b));
  if (/\w-\w/.test(title)) return title.replace(/(\w)-(\w)/, '$1 $2');
  return undefined;
}

function entityNoise(r: () => number, title: string): string {
  let t = title.replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  const words = [...t.matchAll(/\b[A-Za-z]{4,}\b/g)];
  if (words.length) {
    const w = pick(r, words);
    t = t.slice(0, w.index) + '<b>' + w[0] + '</b>' + t.slice(w.index! + w[0].length);
  }
  return t;
}

export function positives(corpus: CorpusPaper[], seed = 1): EvalQuery[] {
  const r = rng(seed);
  const out: EvalQuery[] = [];
  for (const p of corpus) {
    const t = p.title;
    const add = (kind: string, title: string | undefined) => {
      if (title !== undefined && title !== t) out.push({ title, expect: p.id, kind });
    };
    add('lower', t.toLowerCase());
    add('nopunct', t.replace(/[^\p{L}\p{N}\s-]/gu, ''));
    add('unicode', unicodeNoise(t));
    add('html', entityNoise(r, t));
    add('trunc60', truncate(t, 0.6, '…'));
    if (t.length > 75) add('scholar_cut', t.slice(0, 70).trimEnd() + ' ...');
    add('v2', t + ' v2');
    add('latex', latexNoise(t));
    add('hyphen', hyphenNoise(t));
    add('typo', typo(r, t));
    add('prefix', pick(r, ['Title: ', '[PDF] ', '[HTML] ', '[CITATION][C] ']) + t);
    add('dblp', t + '.');
    add('spaces', t.replace(/ /g, () => (r() < 0.15 ? '  \n ' : ' ')));
    add('combo_norm', '[PDF] ' + unicodeNoise(t.toLowerCase()) + ' v2');
    const hard = typo(r, truncate(t, 0.6 + 0.15 * r(), '') ?? t);
    if (hard && t.length >= 30) add('combo_hard', hard.toLowerCase() + '…');
  }
  return out;
}

// ---------------------------------------------------------------- negatives

const ACR_PARTS = ['Re', 'Gen', 'Q', 'Net', 'RL', 'Flow', 'Go', 'Mix', 'Star', 'Graph', 'Prime', 'Zero', 'Act', 'Vi', 'Lang', 'Mo', 'Trans', 'Dyn', 'Sim', 'Opt', 'Hyper', 'Auto', 'Ex', 'Pro', 'Deep', 'Seq', 'Max', 'Neo', 'Ada', 'Kin'];
function acronym(r: () => number): string {
  const roll = r();
  if (roll < 0.35) {
    let s = '';
    const n = 3 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) s += String.fromCharCode(65 + Math.floor(r() * 26));
    return r() < 0.2 ? s + '-' + (1 + Math.floor(r() * 3)) : s;
  }
  let s = pick(r, ACR_PARTS) + pick(r, ACR_PARTS);
  if (roll > 0.85) s += '-' + pick(r, ['R1', 'V', 'X', '2', 'Zero', 'Pro']);
  return s;
}

const ADJ = ['Scalable', 'Robust', 'Efficient', 'Adaptive', 'Hierarchical', 'Conservative', 'Offline', 'Online', 'Model-Based', 'Model-Free', 'Sample-Efficient', 'Generalizable', 'Multi-Agent', 'Multimodal', 'Self-Supervised', 'Contrastive', 'Causal', 'Bayesian', 'Distributional', 'Uncertainty-Aware', 'Safe', 'Interpretable', 'Lightweight', 'Long-Horizon', 'Goal-Conditioned', 'Diffusion-Based', 'Verifiable', 'Decentralized', 'Latent', 'Implicit', 'Explicit', 'Sparse', 'Dense', 'Risk-Sensitive', 'Zero-Shot', 'Few-Shot', 'Continual', 'Federated', 'Compositional', 'Curriculum'];
const NOUN = ['Policy Optimization', 'Value Estimation', 'Reward Modeling', 'World Models', 'Preference Learning', 'Q-Learning', 'Actor-Critic Methods', 'Trajectory Stitching', 'Representation Learning', 'Exploration', 'Planning', 'Imitation Learning', 'Credit Assignment', 'Skill Discovery', 'Reasoning', 'Alignment', 'Instruction Tuning', 'Data Selection', 'Tokenization', 'Distillation', 'Pretraining', 'Fine-Tuning', 'Policy Evaluation', 'Behavior Cloning', 'Uncertainty Estimation', 'Retrieval', 'Tool Use', 'Chain-of-Thought', 'Self-Correction', 'Dataset Curation', 'Action Chunking', 'Temporal Abstraction', 'State Abstraction', 'Reward Shaping', 'Off-Policy Correction', 'Test-Time Scaling', 'Process Supervision', 'Verifier Training', 'Model Merging', 'Memory'];
const DOMAIN = ['Robotic Manipulation', 'Autonomous Driving', 'Language Models', 'Vision-Language Models', 'Code Generation', 'Mathematical Reasoning', 'Recommender Systems', 'Continuous Control', 'Atari Games', 'Healthcare', 'Dialogue Systems', 'Web Agents', 'Legged Locomotion', 'Dexterous Hands', 'Protein Design', 'Chip Placement', 'Traffic Signal Control', 'Power Grids', 'Embodied Agents', 'GUI Agents', 'Molecular Generation', 'Theorem Proving', 'Video Prediction', 'Speech Recognition', 'Machine Translation'];
const TECH = ['Diffusion Models', 'Transformers', 'Mixture of Experts', 'Contrastive Learning', 'Energy-Based Models', 'Normalizing Flows', 'Graph Neural Networks', 'Kernel Methods', 'Gaussian Processes', 'Ensembles', 'Successor Features', 'Optimal Transport', 'Large Language Models', 'State Space Models', 'Monte Carlo Tree Search', 'Evolution Strategies', 'Hindsight Relabeling', 'Synthetic Data', 'Human Feedback', 'AI Feedback', 'Natural Language Instructions', 'Video Pretraining'];
const VERB = ['Plan', 'Explore', 'Reason', 'Generalize', 'Adapt', 'Collaborate', 'Act', 'Search', 'Verify', 'Imitate', 'Remember', 'Forget', 'Compose', 'Predict', 'Ground Language'];

const TEMPLATES: ((r: () => number) => string)[] = [
  (r) => `${acronym(r)}: ${pick(r, ADJ)} ${pick(r, NOUN)} for ${pick(r, DOMAIN)}`,
  (r) => `${pick(r, ADJ)} ${pick(r, NOUN)} with ${pick(r, TECH)}`,
  (r) => `On the ${pick(r, ['Role', 'Limits', 'Pitfalls', 'Benefits', 'Sample Complexity', 'Stability', 'Generalization'])} of ${pick(r, NOUN)} in ${pick(r, DOMAIN)}`,
  (r) => `Towards ${pick(r, ADJ)} ${pick(r, NOUN)}: ${pick(r, ['A Survey', 'A Benchmark', 'An Empirical Study', 'Theory and Practice', 'Lessons Learned'])}`,
  (r) => `${pick(r, TECH)} Are ${pick(r, ['Strong', 'Efficient', 'Scalable', 'Zero-Shot', 'Surprisingly Good'])} ${pick(r, ['Planners', 'Learners', 'Critics', 'Reward Models', 'World Models', 'Policies'])}`,
  (r) => `Learning to ${pick(r, VERB)} with ${pick(r, ADJ)} ${pick(r, NOUN)}`,
  (r) => `${acronym(r)}: ${pick(r, NOUN)} via ${pick(r, ADJ)} ${pick(r, TECH)} for ${pick(r, DOMAIN)}`,
  (r) => `When Does ${pick(r, NOUN)} Help ${pick(r, ADJ)} ${pick(r, NOUN)}?`,
  (r) => `${pick(r, ['Rethinking', 'Revisiting', 'Scaling', 'Understanding', 'Improving', 'Benchmarking', 'Unifying'])} ${pick(r, ADJ)} ${pick(r, NOUN)} in ${pick(r, DOMAIN)}`,
  (r) => `${pick(r, NOUN)} Is All You Need for ${pick(r, ADJ)} ${pick(r, DOMAIN)}`,
  (r) => `${acronym(r)}: ${pick(r, ['A', 'An Open', 'A Unified', 'A Simple'])} ${pick(r, ['Framework', 'Benchmark', 'Library', 'Recipe', 'Baseline'])} for ${pick(r, ADJ)} ${pick(r, NOUN)}`,
  (r) => `${pick(r, ADJ)} ${pick(r, TECH)} for ${pick(r, NOUN)} from ${pick(r, ['Offline Data', 'Human Videos', 'Demonstrations', 'Play Data', 'Suboptimal Data', 'Web-Scale Data'])}`,
];

/** A real-looking machine-learning paper title (not checked against anything). */
export function fakeTitle(r: () => number): string {
  return pick(r, TEMPLATES)(r);
}

const contentOf = (s: string) => normalizeTitle(s).words.filter((w) => !STOP_WORDS.has(w)).join(' ');

function contentWords(corpus: CorpusPaper[]): string[] {
  const set = new Set<string>();
  for (const p of corpus) for (const w of p.title.split(/\s+/)) if (/^[A-Za-z]{4,}$/.test(w) && !STOP_WORDS.has(w.toLowerCase())) set.add(w);
  return [...set];
}

export function negatives(corpus: CorpusPaper[], seed = 2, generated = 2200): EvalQuery[] {
  const r = rng(seed);
  const corpusKeys = new Set(corpus.map((p) => titleKey(p.title)));
  const out: EvalQuery[] = [];
  const seen = new Set<string>();
  const push = (q: EvalQuery) => {
    const k = titleKey(q.title);
    if (!k || corpusKeys.has(k) || seen.has(k)) return;
    seen.add(k);
    out.push(q);
  };
  // Real-looking titles in the same field, some with page noise.
  while (out.length < generated) {
    let t = fakeTitle(r);
    const roll = r();
    if (roll < 0.1) t = t.toLowerCase();
    else if (roll < 0.15) t += ' v2';
    else if (roll < 0.2) t = '[PDF] ' + t;
    else if (roll < 0.28) t = truncate(t, 0.7, '…') ?? t;
    push({ title: t, kind: 'generated' });
  }
  const vocab = contentWords(corpus);
  // One content word replaced by a clearly different one: another paper with a near-identical title.
  for (const p of corpus) {
    const words = p.title.split(' ');
    const idx = words.map((w, i) => (/^[A-Za-z]{4,}$/.test(w) && !STOP_WORDS.has(w.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const i = pick(r, idx);
    for (let tries = 0; tries < 20; tries++) {
      const w = pick(r, vocab);
      if (osaWithin(w.toLowerCase(), words[i]!.toLowerCase(), 2) <= 2) continue;
      const nw = words.slice();
      nw[i] = w;
      push({ title: nw.join(' '), kind: 'one_word_swap', nearMiss: true });
      break;
    }
  }
  // First half of one title + second half of another.
  for (let n = 0; n < 320; n++) {
    const a = pick(r, corpus).title.split(' ');
    const b = pick(r, corpus).title.split(' ');
    if (a.length < 4 || b.length < 4) continue;
    const t = [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.ceil(b.length / 2))].join(' ');
    // Halves that differ from a source title only in stop words ("… Benchmark in Offline RL" from
    // "… Benchmark for Offline RL") are the same title, not a near-miss.
    if (contentOf(t) === contentOf(a.join(' ')) || contentOf(t) === contentOf(b.join(' '))) continue;
    push({ title: t, kind: 'shared_prefix', nearMiss: true });
  }
  // Numbers, sequels and versions: D4RL/D5RL, NeoRL/NeoRL-2, Kimi k1.5/k2, "… 2", "II".
  for (const p of corpus) {
    const t = p.title;
    if (/\d/.test(t)) {
      push({ title: t.replace(/\d/, (d) => String((Number(d) + 1) % 10)), kind: 'number_changed', nearMiss: true });
    }
    const m = /^([^:]{2,24}):\s/.exec(t);
    if (m) {
      push({ title: `${m[1]}-2: ${t.slice(m[0].length)}`, kind: 'sequel', nearMiss: true });
      push({ title: `${m[1]} v3: ${t.slice(m[0].length)}`, kind: 'version', nearMiss: true });
    } else if (r() < 0.5) {
      push({ title: `${t} II`, kind: 'sequel', nearMiss: true });
    } else {
      push({ title: `${t} 2`, kind: 'sequel', nearMiss: true });
    }
  }
  for (const t of [
    'D4RL: Datasets for Deep Data-Driven Reinforcement Learning',
    'Kimi k2: Scaling Reinforcement Learning with LLMs',
    'Kimi k2: Open Agentic Intelligence',
    'Kimi k1.6: Scaling Reinforcement Learning with LLMs',
    'TÜLU 2: Pushing Frontiers in Open Language Model Post-Training',
    'Tulu 3.1: Pushing Frontiers in Open Language Model Post-Training',
  ]) {
    push({ title: t, kind: 'named_near_miss', nearMiss: true });
  }
  return out;
}

// ---------------------------------------------------------------- synthetic corpora

/**
 * `n` synthetic titles (the real corpus is added by the caller): template titles like the
 * negatives' and word-bigram chains over the seed titles and abstracts, 41% with a "NAME:"
 * prefix as in the seeds. Titles sharing a key or a 4-word span with an evaluation title are
 * rejected, so every label stays true.
 */
export function syntheticTitles(corpus: CorpusPaper[], evalTitles: string[], n: number, seed = 3): string[] {
  const r = rng(seed);
  const banKeys = new Set<string>();
  const banSpans = new Set<string>();
  // A cut evaluation title ("Towards Generalizable Behavior Clon…") would be a true prefix of a
  // synthetic title that starts like it: such titles are rejected too.
  const banStarts = new Map<string, string[]>();
  for (const t of [...corpus.map((p) => p.title), ...evalTitles]) {
    const nt = normalizeTitle(t);
    const w = nt.words;
    banKeys.add(w.join(''));
    for (let i = 0; i + 4 <= w.length; i++) banSpans.add(w.slice(i, i + 4).join(' '));
    if (nt.truncated && w.length >= 2) {
      const k2 = w[0]! + ' ' + w[1]!;
      const list = banStarts.get(k2);
      if (list) list.push(nt.key);
      else banStarts.set(k2, [nt.key]);
    }
  }
  // Bigram chain over titles and abstracts.
  const next = new Map<string, string[]>();
  const starts: string[] = [];
  for (const p of corpus) {
    for (const text of [p.title, p.abstract ?? '']) {
      for (const sentence of text.split(/[.!?;:]\s+/)) {
        const ws = sentence.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z0-9-]*$/.test(w));
        if (ws.length < 3) continue;
        starts.push(ws[0]!);
        for (let i = 0; i + 1 < ws.length; i++) {
          const list = next.get(ws[i]!.toLowerCase());
          if (list) list.push(ws[i + 1]!);
          else next.set(ws[i]!.toLowerCase(), [ws[i + 1]!]);
        }
      }
    }
  }
  const chain = (): string => {
    const len = 5 + Math.floor(r() * 8);
    const ws = [pick(r, starts)];
    while (ws.length < len) {
      const list = next.get(ws[ws.length - 1]!.toLowerCase());
      if (!list) break;
      ws.push(pick(r, list));
    }
    const titled = r() < 0.6;
    return ws.map((w) => (titled && !STOP_WORDS.has(w.toLowerCase()) ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
  };
  const out: string[] = [];
  const keys = new Set<string>();
  while (out.length < n) {
    let t = r() < 0.5 ? fakeTitle(r) : chain();
    if (!/^[^:]{2,24}: /.test(t) && r() < 0.35) t = acronym(r) + ': ' + t;
    const w = normalizeTitle(t).words;
    const k = w.join('');
    if (k.length < 12 || banKeys.has(k) || keys.has(k)) continue;
    let banned = w.length >= 2 && !!banStarts.get(w[0] + ' ' + w[1])?.some((cut) => k.startsWith(cut));
    for (let i = 0; i + 4 <= w.length && !banned; i++) banned = banSpans.has(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2] + ' ' + w[i + 3]);
    if (banned) continue;
    keys.add(k);
    out.push(t);
  }
  return out;
}

export { typoEquivalent };

/**
 * Synthetic abstracts: 90–220-word walks of a word-bigram chain over the corpus abstracts, so word
 * frequencies look like real ML abstracts (very common words such as "learning" included).
 * Each call draws from `r`: the first word, then the length, then each next word.
 */
export function abstractWalk(corpus: readonly CorpusPaper[], r: () => number): () => string {
  const next = new Map<string, string[]>();
  const starts: string[] = [];
  for (const p of corpus) {
    const ws = (p.abstract ?? '').split(/\s+/).filter(Boolean);
    if (ws.length < 3) continue;
    starts.push(ws[0]!);
    for (let i = 0; i + 1 < ws.length; i++) {
      const list = next.get(ws[i]!);
      if (list) list.push(ws[i + 1]!);
      else next.set(ws[i]!, [ws[i + 1]!]);
    }
  }
  return () => {
    const ws = [pick(r, starts)];
    const len = 90 + Math.floor(r() * 130);
    while (ws.length < len) {
      const l = next.get(ws[ws.length - 1]!);
      ws.push(l ? pick(r, l) : pick(r, starts));
    }
    return ws.join(' ');
  };
}
