import { describe, expect, it } from 'vitest';
import { normalizeTitle, titleKey } from '../lib/model/normalize';
import { parseSeedDumps } from '../lib/corpus/seed-parser';
import { readSeedFiles } from './helpers/seeds';

const sameKey = (...titles: string[]) => {
  const keys = titles.map(titleKey);
  expect(new Set(keys).size, `${titles.join(' | ')} → ${keys.join(' | ')}`).toBe(1);
  return keys[0];
};

describe('normalizeTitle: one key for the renderings of one title', () => {
  it('ignores case and spacing, and keeps words', () => {
    const n = normalizeTitle('  Offline   Reinforcement\nLearning\twith Implicit Q-Learning ');
    expect(n).toEqual({ words: ['offline', 'reinforcement', 'learning', 'with', 'implicit', 'qlearning'], key: 'offlinereinforcementlearningwithimplicitqlearning', truncated: false });
    sameKey('OFFLINE REINFORCEMENT LEARNING', 'offline reinforcement learning', 'Offline  Reinforcement Learning');
  });

  it('folds Unicode: accents, ligatures, full-width forms, non-decomposing letters', () => {
    expect(sameKey('TÜLU 3: Pushing Frontiers', 'Tülu 3: Pushing Frontiers', 'Tulu 3: Pushing Frontiers', 'TULU 3： Pushing Frontiers')).toBe('tulu3pushingfrontiers');
    sameKey('Efficient ﬁne-tuning', 'Efficient fine-tuning');
    sameKey('Ｆｕｌｌ Ｗｉｄｔｈ', 'Full Width');
    expect(titleKey('Straße Æther Øresund Łódź')).toBe('strasseaetheroresundlodz');
  });

  it('treats quotes, apostrophes, dashes and hyphens as joiners', () => {
    sameKey("A Pretrainer's Guide", 'A Pretrainer’s Guide', 'A Pretrainers Guide', 'A Pretrainer‘s Guide');
    sameKey('Pre-training', 'Pretraining', 'Pre training', 'Pre‐training', 'Pre–training', 'Pre—training', 'Pre−training', 'pre_training');
    expect(normalizeTitle('Pre-training at Scale').words).toEqual(['pretraining', 'at', 'scale']);
    expect(normalizeTitle('Pre training at Scale').words).toEqual(['pre', 'training', 'at', 'scale']);
    sameKey('“Quoted” Title', '"Quoted" Title', 'Quoted Title');
  });

  it('removes LaTeX and MathJax remnants and spells Greek letters out', () => {
    sameKey('$\\pi_0$: A Vision-Language-Action Flow Model', 'π0: A Vision-Language-Action Flow Model', 'pi0: A Vision-Language-Action Flow Model', '\\(\\pi_0\\): A Vision-Language-Action Flow Model');
    sameKey('R$_ρ$ Regularization', 'Rρ Regularization', 'Rrho Regularization', 'R$_\\rho$ Regularization');
    sameKey('$\\alpha$-Divergence Policies', 'α-Divergence Policies', 'alpha-Divergence Policies', '$\\varalpha$-Divergence Policies');
    sameKey('\\textbf{Bold} and \\emph{Emphasis} in {\\em Titles}', 'Bold and Emphasis in Titles');
    sameKey('$\\mathrm{DPO}$ Works', 'DPO Works', '$\\mathcal{DPO}$ Works');
    sameKey('Quality \\& Toxicity', 'Quality & Toxicity', 'Quality and Toxicity');
    sameKey('Sch\\"{o}lkopf and G\\\'eron', 'Schölkopf and Géron', 'Scholkopf and Geron');
    sameKey('$π^{*}_{0.6}$: a VLA', 'π*0.6: a VLA', 'pi 0.6: a VLA', '$\\pi^*_{0.6}$: a VLA');
    sameKey('Learning with x^{2} Loss', 'Learning with x2 Loss');
  });

  it('decodes HTML entities and drops highlighting markup', () => {
    sameKey('Quality &amp; Toxicity', 'Quality & Toxicity');
    sameKey('A Pretrainer&#39;s Guide', 'A Pretrainer&#x2019;s Guide', 'A Pretrainer&rsquo;s Guide', "A Pretrainer's Guide");
    sameKey('Offline&nbsp;RL &quot;Done Right&quot;', 'Offline RL "Done Right"');
    sameKey('Offline <b>Reinforcement</b> Learning', 'Offline <em>Reinforcement</em> Learning', 'Offline &lt;b&gt;Reinforcement&lt;/b&gt; Learning', 'Offline Reinforcement Learning');
    // Unknown entities are kept as text rather than guessed ("&" reads "and", as everywhere).
    expect(titleKey('A &bogus; Entity')).toBe(titleKey('A & bogus; Entity'));
  });

  it('strips page prefixes and badges, stacked or not', () => {
    sameKey('Title: Decision Transformer', 'title : Decision Transformer', '[PDF] Decision Transformer', '[HTML] Decision Transformer', '[CITATION][C] Decision Transformer', '[BOOK][B] Decision Transformer', '[PDF][PDF] Decision Transformer', 'Original article: Decision Transformer', 'Decision Transformer');
    // A title that merely contains the word keeps it.
    expect(titleKey('Title Generation with Transformers')).toBe('titlegenerationwithtransformers');
  });

  it('strips a trailing version tag, but not a version that is part of a name', () => {
    sameKey('Decision Transformer v2', 'Decision Transformer (v3)', 'Decision Transformer [v1]', 'Decision Transformer');
    expect(titleKey('MobileNetV2: Inverted Residuals')).toBe('mobilenetv2invertedresiduals');
    expect(titleKey('Scaling RLIPv2')).toBe('scalingrlipv2');
    // An upper-case " V2" is a name ("MobileNet V2"), so "MobileNet V2" and "MobileNet V3" stay apart.
    expect(titleKey('MobileNet V2')).not.toBe(titleKey('MobileNet V3'));
  });

  it('drops trailing periods (DBLP) and recognizes cut titles', () => {
    sameKey('Decision Transformer.', 'Decision Transformer');
    for (const cut of ['Decision Transfo…', 'Decision Transfo...', 'Decision Transfo ...', 'Decision Transfo⋯', 'Decision Transfo . . .']) {
      expect(normalizeTitle(cut), cut).toEqual({ words: ['decision', 'transfo'], key: 'decisiontransfo', truncated: true });
    }
    expect(normalizeTitle('Decision Transformer').truncated).toBe(false);
    expect(normalizeTitle('Decision Transformer.').truncated).toBe(false);
  });

  it('keeps digits, so numbered names stay apart', () => {
    const keys = ['D4RL: Datasets', 'D5RL: Datasets', 'NeoRL: Benchmarks', 'NeoRL-2: Benchmarks', 'Kimi k1.5', 'Kimi k2', 'Llama 2', 'Llama 3'].map(titleKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is safe on bad input', () => {
    expect(normalizeTitle('')).toEqual({ words: [], key: '', truncated: false });
    expect(normalizeTitle('…')).toEqual({ words: [], key: '', truncated: true });
    expect(normalizeTitle(undefined as unknown as string).key).toBe('');
    expect(normalizeTitle('$$$ {} ^_^').key).toBe('');
    expect(titleKey('\\')).toBe('');
  });

  it('gives the seed corpus 314 distinct keys for its 401 entries', () => {
    const { entries } = parseSeedDumps(readSeedFiles());
    expect(entries).toHaveLength(401);
    expect(new Set(entries.map((e) => titleKey(e.title))).size).toBe(314);
  });
});
