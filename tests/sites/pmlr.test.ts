import { describe, expect, it } from 'vitest';
import { pmlr } from '../../lib/sites/pmlr';
import { expectedTitles } from './expected-titles';
import { domFor, loadFixture, plain } from './load-fixture';

describe('pmlr adapter', () => {
  it('claims volume pages, not a paper page or the site index', () => {
    for (const u of ['https://proceedings.mlr.press/v202/', 'https://proceedings.mlr.press/v202', 'https://proceedings.mlr.press/v32/index.html']) {
      expect(pmlr.matches(new URL(u)), u).toBe(true);
    }
    for (const u of [
      'https://proceedings.mlr.press/',
      'https://proceedings.mlr.press/v202/aamand23a.html',
      'https://proceedings.mlr.press/v202/aamand23a/aamand23a.pdf',
      'https://proceedings.mlr.press.example.org/v202/',
    ]) {
      expect(pmlr.matches(new URL(u)), u).toBe(false);
    }
  });

  describe('ICML 2023 volume v202 (real capture: 1828 papers)', () => {
    const name = 'pmlr/v202-icml2023.html';
    const { fixture, doc } = loadFixture(name);
    const entries = pmlr.findEntries(doc, fixture.url);

    it('finds every paper, with the titles a browser shows, in page order', () => {
      expect(entries).toHaveLength(1828);
      expect(entries.map((e) => e.title)).toEqual(expectedTitles(name).titles);
      // ICML 2023 links every paper's OpenReview forum: one distinct id per paper.
      expect(new Set(entries.map((e) => e.ids.openreview)).size).toBe(1828);
      expect(entries.every((e) => e.url?.startsWith('https://proceedings.mlr.press/v202/'))).toBe(true);
    });

    it('reads the first entry in full', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'Data Structures for Density Estimation',
        ids: { openreview: 'BVomXLJQoH' },
        url: 'https://proceedings.mlr.press/v202/aamand23a.html',
        authors: ['Anders Aamand', 'Alexandr Andoni', 'Justin Y. Chen', 'Piotr Indyk', 'Shyam Narayanan', 'Sandeep Silwal'],
      });
    });

    it('reads the last entry in full', () => {
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'The Benefits of Mixup for Feature Learning',
        ids: { openreview: 'hgc9pjjDOo' },
        url: 'https://proceedings.mlr.press/v202/zou23a.html',
        authors: ['Difan Zou', 'Yuan Cao', 'Yuanzhi Li', 'Quanquan Gu'],
      });
    });

    it('anchors each badge on the title paragraph inside the paper block', () => {
      for (const e of entries) {
        expect(e.root.classList.contains('paper')).toBe(true);
        expect(e.titleEl.matches('p.title')).toBe(true);
      }
    });
  });

  describe('ICML 2014 volume v32 (real capture: ten years older, no OpenReview links)', () => {
    const { fixture, doc } = loadFixture('pmlr/v32-icml2014.html');
    const entries = pmlr.findEntries(doc, fixture.url);

    it('finds every paper and reads the first and last in full', () => {
      expect(entries).toHaveLength(310);
      expect(entries.every((e) => Object.keys(e.ids).length === 0)).toBe(true);
      expect(plain(entries[0]!)).toEqual({
        title: 'A Discriminative Latent Variable Model for Online Clustering',
        ids: {},
        url: 'https://proceedings.mlr.press/v32/samdani14.html',
        authors: ['Rajhans Samdani', 'Kai-Wei Chang', 'Dan Roth'],
      });
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'Influence Function Learning in Information Diffusion Networks',
        ids: {},
        url: 'https://proceedings.mlr.press/v32/du14.html',
        authors: ['Nan Du', 'Yingyu Liang', 'Maria Balcan', 'Le Song'],
      });
    });
  });

  it('reads arXiv and DOI links when a volume has them, and skips untitled blocks', () => {
    const url = new URL('https://proceedings.mlr.press/v999/');
    const doc = domFor(
      `<div class="paper"><p class="title"> </p></div>
       <div class="paper"><p class="title">A &lt;b&gt;Bold&lt;/b&gt; Claim</p><p class="details"><span class="authors">Ann&nbsp;One,&nbsp;Bo Two</span></p>
       <p class="links">[<a href="https://proceedings.mlr.press/v999/one99a.html">abs</a>][<a href="https://arxiv.org/abs/2301.00001v2">arXiv</a>][<a href="https://doi.org/10.1000/XYZ">doi</a>]</p></div>`,
      url,
    );
    expect(pmlr.findEntries(doc, url).map(plain)).toEqual([
      {
        title: 'A <b>Bold</b> Claim',
        ids: { arxiv: '2301.00001', doi: '10.1000/xyz' },
        url: 'https://proceedings.mlr.press/v999/one99a.html',
        authors: ['Ann One', 'Bo Two'],
      },
    ]);
  });
});
