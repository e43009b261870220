import { describe, expect, it } from 'vitest';
import { neuripsIclr } from '../../lib/sites/neurips-iclr';
import { expectedTitles } from './expected-titles';
import { domFor, loadFixture, plain } from './load-fixture';

describe('neurips-iclr adapter (the NeurIPS / ICLR proceedings app)', () => {
  it('claims year, track and search pages on the three hosts, not a paper page', () => {
    for (const u of [
      'https://proceedings.neurips.cc/paper_files/paper/2023',
      'https://proceedings.neurips.cc/paper_files/paper/2023/',
      'https://papers.nips.cc/paper_files/paper/2023',
      'https://papers.nips.cc/paper/2019',
      'https://proceedings.iclr.cc/paper_files/paper/2024',
      'https://proceedings.neurips.cc/papers/search?q=diffusion',
    ]) {
      expect(neuripsIclr.matches(new URL(u)), u).toBe(true);
    }
    for (const u of [
      'https://proceedings.neurips.cc/',
      'https://proceedings.neurips.cc/paper_files/paper/2023/hash/0001ca33ba34ce0351e4612b744b3936-Abstract-Conference.html',
      'https://proceedings.neurips.cc/paper_files/paper/2023/file/0001ca33ba34ce0351e4612b744b3936-Paper-Conference.pdf',
      'https://neurips.cc/virtual/2023/papers.html',
      'https://proceedings.neurips.cc.example.org/paper_files/paper/2023',
    ]) {
      expect(neuripsIclr.matches(new URL(u)), u).toBe(false);
    }
  });

  describe('NeurIPS 2023 year page (real capture: 3540 papers, both tracks)', () => {
    const name = 'neurips-iclr/neurips-2023.html';
    const { fixture, doc } = loadFixture(name);
    const entries = neuripsIclr.findEntries(doc, fixture.url);

    it('finds every paper of both tracks, with the titles a browser shows, in page order', () => {
      expect(entries).toHaveLength(3540);
      expect(entries.map((e) => e.title)).toEqual(expectedTitles(name).titles);
      const kinds = new Map<string, number>();
      for (const e of entries) kinds.set(e.root.className, (kinds.get(e.root.className) ?? 0) + 1);
      expect(Object.fromEntries(kinds)).toEqual({ conference: 3218, datasets_and_benchmarks: 322 });
      // Every entry links its own abstract page (one proceedings hash per paper).
      expect(new Set(entries.map((e) => e.url)).size).toBe(3540);
      for (const e of entries) expect(e.url).toMatch(/\/paper_files\/paper\/2023\/hash\/[0-9a-f]{32}-Abstract-(Conference|Datasets_and_Benchmarks)\.html$/);
    });

    it('reads the first entry (main track) in full', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'Modelling Cellular Perturbations with the Sparse Additive Mechanism Shift Variational Autoencoder',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2023/hash/0001ca33ba34ce0351e4612b744b3936-Abstract-Conference.html',
        authors: ['Michael Bereket', 'Theofanis Karaletsos'],
      });
    });

    it('reads the last entry (datasets and benchmarks track) in full', () => {
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'American Stories: A Large-Scale Structured Text Dataset of Historical U.S. Newspapers',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2023/hash/ffeb860479ccae44d84c0de32acd693d-Abstract-Datasets_and_Benchmarks.html',
        authors: [
          'Melissa Dell',
          'Jacob Carlson',
          'Tom Bryan',
          'Emily Silcock',
          'Abhishek Arora',
          'Zejiang Shen',
          "Luca D'Amico-Wong",
          'Quan Le',
          'Pablo Querubin',
          'Leander Heldring',
        ],
      });
    });

    it('anchors each badge on the title link inside its row', () => {
      for (const e of entries) {
        expect(e.root.tagName).toBe('LI');
        expect(e.root.contains(e.titleEl)).toBe(true);
        expect(e.titleEl.getAttribute('title')).toBe('paper title');
      }
    });
  });

  describe('ICLR 2024 year page on proceedings.iclr.cc (real capture)', () => {
    const { fixture, doc } = loadFixture('neurips-iclr/iclr-2024.html');
    const entries = neuripsIclr.findEntries(doc, fixture.url);

    it('finds every paper', () => {
      expect(entries).toHaveLength(2260);
      expect(new Set(entries.map((e) => e.url)).size).toBe(2260);
      expect(entries.every((e) => e.authors && e.authors.length > 0)).toBe(true);
    });

    it('reads the first and last entries in full', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'LabelDP-Pro: Learning with Label Differential Privacy via Projections',
        ids: {},
        url: 'https://proceedings.iclr.cc/paper_files/paper/2024/hash/00153f90d9177dd3a872133972bc8dea-Abstract-Conference.html',
        authors: ['Badih Ghazi', 'Yangsibo Huang', 'Pritish Kamath', 'Ravi Kumar', 'Pasin Manurangsi', 'Chiyuan Zhang'],
      });
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'DP-OPT: Make Large Language Model Your Privacy-Preserving Prompt Engineer',
        ids: {},
        url: 'https://proceedings.iclr.cc/paper_files/paper/2024/hash/fffe5a7804c40465ef2432386850c2c7-Abstract-Conference.html',
        authors: ['Junyuan Hong', 'Jiachen (Tianhao) Wang', 'Chenhui Zhang', 'Zhangheng LI', 'Bo Li', 'Zhangyang Wang'],
      });
    });
  });

  describe('NeurIPS 2014 year page (real capture: rows before tracks existed, class "none")', () => {
    const { fixture, doc } = loadFixture('neurips-iclr/neurips-2014.html');
    const entries = neuripsIclr.findEntries(doc, fixture.url);

    it('finds every paper and reads the first and last in full', () => {
      expect(entries).toHaveLength(411);
      expect(entries.every((e) => e.root.className === 'none')).toBe(true);
      expect(plain(entries[0]!)).toEqual({
        title: 'From Stochastic Mixability to Fast Rates',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2014/hash/002302d5a1c66195b6981e33e38df11d-Abstract.html',
        authors: ['Nishant A Mehta', 'Robert C. Williamson'],
      });
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'Deep Fragment Embeddings for Bidirectional Image Sentence Mapping',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2014/hash/fe31664311a4a44314c89321386a20f6-Abstract.html',
        authors: ['Andrej Karpathy', 'Armand Joulin', 'Li F Fei-Fei'],
      });
    });
  });

  describe('NeurIPS 2025 year page (real capture, cut to its first 597 entries: the 2025 redesign, three tracks)', () => {
    const { fixture, doc } = loadFixture('neurips-iclr/neurips-2025.html');
    const entries = neuripsIclr.findEntries(doc, fixture.url);

    it('finds every entry of the three tracks', () => {
      expect(entries).toHaveLength(597);
      const kinds = new Map<string, number>();
      for (const e of entries) kinds.set(e.root.className, (kinds.get(e.root.className) ?? 0) + 1);
      expect(Object.fromEntries(kinds)).toEqual({ conference: 533, datasets_and_benchmarks_track: 63, position_paper_track: 1 });
      // Authors come from span.paper-authors; where the page printed "Error" instead (41 rows, all in
      // the two smaller tracks) the entry has none.
      const without = entries.filter((e) => !e.authors);
      expect(without).toHaveLength(41);
      for (const e of without) {
        expect(e.root.querySelector('.paper-authors')?.textContent).toBe('Error');
        expect(e.root.className).not.toBe('conference');
      }
    });

    it('reads the first entry in full', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'NeuralPLexer3: Accurate Biomolecular Complex Structure Prediction with Flow Models',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2025/hash/0010031a1b4910aa67edbda26a705518-Abstract-Conference.html',
        authors: [
          'Jarren Zhuoran Qiao', 'Feizhi Ding', 'Thomas Dresselhaus', 'Mia Rosenfeld', 'Xiaotian Han', 'Owen Howell',
          'Aniketh Iyengar', 'Stephen Opalenski', 'Anders Christensen', 'Sai Krishna Sirumalla', 'Fred Manby',
          'Thomas K. Miller', 'Matthew Welborn',
        ],
      });
    });

    it('reads the last entry in full (position paper track; the page shows "Error" for its authors)', () => {
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'Rigor in AI: Doing Rigorous AI Work Requires a Broader, Responsible AI-Informed Conception of Rigor',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2025/hash/19bd7e362324c52d2454e28f075467ab-Abstract-Position_Paper_Track.html',
      });
    });

    it('anchors each badge on the title link, not on the track badge', () => {
      for (const e of entries) expect(e.titleEl.getAttribute('title')).toBe('paper title');
    });
  });

  it('skips rows without a title and keeps page text as text', () => {
    const url = new URL('https://proceedings.neurips.cc/paper_files/paper/2023');
    const doc = domFor(
      `<ul class="paper-list"><li class="conference"><a title="paper title" href="/paper_files/paper/2023/hash/a-Abstract-Conference.html"> </a> <i>Nobody</i></li>
       <li class="conference"><a title="paper title" href="/paper_files/paper/2023/hash/b-Abstract-Conference.html">&lt;img src=x onerror=alert(1)&gt; Title</a> <i></i></li></ul>`,
      url,
    );
    expect(neuripsIclr.findEntries(doc, url).map(plain)).toEqual([
      {
        title: '<img src=x onerror=alert(1)> Title',
        ids: {},
        url: 'https://proceedings.neurips.cc/paper_files/paper/2023/hash/b-Abstract-Conference.html',
      },
    ]);
  });
});
