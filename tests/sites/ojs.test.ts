import { describe, expect, it } from 'vitest';
import { ojs } from '../../lib/sites/ojs';
import { expectedTitles } from './expected-titles';
import { domFor, loadFixture, plain } from './load-fixture';

describe('ojs adapter', () => {
  it('claims issue tables of contents on ojs.aaai.org, not article pages', () => {
    for (const u of [
      'https://ojs.aaai.org/index.php/AAAI/issue/view/683',
      'https://ojs.aaai.org/index.php/AAAI/issue/current',
      'https://ojs.aaai.org/index.php/ICWSM/issue/view/600',
      'https://ojs.aaai.org/index.php/AIES/issue/view/609/',
    ]) {
      expect(ojs.matches(new URL(u)), u).toBe(true);
    }
    for (const u of [
      'https://ojs.aaai.org/index.php/AAAI/article/view/36958',
      'https://ojs.aaai.org/index.php/AAAI/issue/archive',
      'https://example.org/index.php/AAAI/issue/view/683',
    ]) {
      expect(ojs.matches(new URL(u)), u).toBe(false);
    }
  });

  describe('AAAI-26 Technical Tracks 1 (real capture, OJS 3 default theme)', () => {
    const name = 'ojs/aaai26-technical-tracks-1.html';
    const { fixture, doc } = loadFixture(name);
    const entries = ojs.findEntries(doc, fixture.url);

    it('finds every article, with the titles a browser shows, in page order', () => {
      expect(entries).toHaveLength(94);
      expect(entries.map((e) => e.title)).toEqual(expectedTitles(name).titles);
      expect(entries.every((e) => (e.authors?.length ?? 0) > 0)).toBe(true);
    });

    it('reads the first and last entries in full', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'Resource Efficient Sleep Staging via Multi-Level Masking and Prompt Learning',
        ids: {},
        url: 'https://ojs.aaai.org/index.php/AAAI/article/view/36958',
        authors: ['Lejun Ai', 'Yulong Li', 'Haodong Yi', 'Jixuan Xie', 'Yue Wang', 'Jia Liu', 'Min Chen', 'Rui Wang'],
      });
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'DynamicRTL: RTL Representation Learning for Dynamic Circuit Behavior',
        ids: {},
        url: 'https://ojs.aaai.org/index.php/AAAI/article/view/37051',
        authors: [
          'Ruiyang Ma', 'Yunhao Zhou', 'Yipeng Wang', 'Yi Liu', 'Zhengyuan Shi', 'Ziyang Zheng',
          'Kexin Chen', 'Zhiqiang He', 'Lingwei Yan', 'Gang Chen', 'Qiang Xu', 'Guojie Luo',
        ],
      });
    });

    it('anchors each badge on the title link inside the summary', () => {
      for (const e of entries) {
        expect(e.root.classList.contains('obj_article_summary')).toBe(true);
        expect(e.titleEl.closest('h3.title')).not.toBeNull();
      }
    });
  });

  describe('AAAI-24 Technical Tracks 1 (real capture, two years earlier)', () => {
    const { fixture, doc } = loadFixture('ojs/aaai24-technical-tracks-1.html');
    const entries = ojs.findEntries(doc, fixture.url);

    it('finds every article and reads the first and last in full', () => {
      expect(entries).toHaveLength(75);
      expect(plain(entries[0]!)).toEqual({
        title: 'A Multi-Modal Contrastive Diffusion Model for Therapeutic Peptide Generation',
        ids: {},
        url: 'https://ojs.aaai.org/index.php/AAAI/article/view/27749',
        authors: ['Yongkang Wang', 'Xuan Liu', 'Feng Huang', 'Zhankun Xiong', 'Wen Zhang'],
      });
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'Data Augmented Graph Neural Networks for Personality Detection',
        ids: {},
        url: 'https://ojs.aaai.org/index.php/AAAI/article/view/27823',
        authors: ['Yangfu Zhu', 'Yue Xia', 'Meiling Li', 'Tingting Zhang', 'Bin Wu'],
      });
    });
  });

  it('joins a subtitle to its title and reads a DOI link when the journal shows one', () => {
    const url = new URL('https://ojs.aaai.org/index.php/AAAI/issue/view/1');
    const doc = domFor(
      `<div class="obj_article_summary"><h4 class="title"><a href="/index.php/AAAI/article/view/9"> </a></h4></div>
       <div class="obj_article_summary"><h4 class="title"><a id="article-7" href="/index.php/AAAI/article/view/7">Main Title
       <span class="subtitle">A Subtitle</span></a></h4><div class="meta"><div class="authors">Ann One, Bo Two</div></div>
       <div class="doi"><a href="https://doi.org/10.1609/aaai.v40i1.7">https://doi.org/10.1609/aaai.v40i1.7</a></div></div>`,
      url,
    );
    expect(ojs.findEntries(doc, url).map(plain)).toEqual([
      {
        title: 'Main Title: A Subtitle',
        ids: { doi: '10.1609/aaai.v40i1.7' },
        url: 'https://ojs.aaai.org/index.php/AAAI/article/view/7',
        authors: ['Ann One', 'Bo Two'],
      },
    ]);
  });
});
