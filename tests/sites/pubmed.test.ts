import { describe, expect, it } from 'vitest';
import { idsFromUrl, normalizePmid } from '../../lib/model/ids';
import { pubmed } from '../../lib/sites/pubmed';
import { domFor, loadFixture, plain } from './load-fixture';

describe('pubmed adapter', () => {
  it('claims search results and the trending list, not a record page', () => {
    for (const u of [
      'https://pubmed.ncbi.nlm.nih.gov/?term=endometriosis&sort=date&size=100',
      'https://pubmed.ncbi.nlm.nih.gov/?term=crispr&page=3',
      'https://pubmed.ncbi.nlm.nih.gov/trending/',
    ]) {
      expect(pubmed.matches(new URL(u)), u).toBe(true);
    }
    for (const u of [
      'https://pubmed.ncbi.nlm.nih.gov/37988744/',
      'https://pubmed.ncbi.nlm.nih.gov/37988744/citations/',
      'https://www.ncbi.nlm.nih.gov/pmc/?term=x',
      'https://pubmed.ncbi.nlm.nih.gov.example.org/?term=x',
    ]) {
      expect(pubmed.matches(new URL(u)), u).toBe(false);
    }
  });

  it('reads PMIDs from PubMed links, old and new', () => {
    expect(idsFromUrl('/37988744/', 'https://pubmed.ncbi.nlm.nih.gov/?term=x')).toEqual({ pmid: '37988744' });
    expect(idsFromUrl('https://www.ncbi.nlm.nih.gov/pubmed/12345678')).toEqual({ pmid: '12345678' });
    expect(idsFromUrl('https://pubmed.ncbi.nlm.nih.gov/trending/')).toEqual({});
    expect(idsFromUrl('https://pubmed.ncbi.nlm.nih.gov/0123/')).toEqual({});
    expect(normalizePmid('PMID: 37988744')).toBe('37988744');
    expect(normalizePmid('3798x')).toBeUndefined();
  });

  describe('search results for "endometriosis", newest first (real capture: the first two results)', () => {
    const { fixture, doc } = loadFixture('pubmed/search.html');
    const entries = pubmed.findEntries(doc, fixture.url);

    it('finds both results and reads them in full (PMID from the link, DOI from the citation line)', () => {
      expect(entries.map(plain)).toEqual([
        {
          title:
            "Living With Endometriosis: A Reflexive Thematic Analysis Examining Women's Experiences With the Irish Healthcare Services",
          ids: { pmid: '37988744', doi: '10.1177/10497323231214114' },
          url: 'https://pubmed.ncbi.nlm.nih.gov/37988744/',
          authors: ['Lightbourne A', 'Foley S', 'Dempsey M', 'Cronin M'],
        },
        {
          title:
            'Pilot study of treatment of patients with deep infiltrative endometriosis with methotrexate carried in lipid nanoparticles',
          ids: { pmid: '37987824', doi: '10.1007/s00404-023-07246-8' },
          url: 'https://pubmed.ncbi.nlm.nih.gov/37987824/',
          authors: [
            'Avila-Tavares R', 'Gibran L', 'Brito LGO', 'Tavoni TM', 'Gonçalves MO', 'Baracat EC', 'Maranhão RC', 'Podgaec S',
          ],
        },
      ]);
    });

    it('marks the article and anchors the badge on the title link', () => {
      for (const e of entries) {
        expect(e.root.matches('article.full-docsum')).toBe(true);
        expect(e.titleEl.matches('a.docsum-title')).toBe(true);
      }
    });
  });

  it('strips only the final period PubMed adds (not a question mark, not a doubled period) and drops "et al."', () => {
    const url = new URL('https://pubmed.ncbi.nlm.nih.gov/?term=x');
    const doc = domFor(
      `<article class="full-docsum"><a class="docsum-title" href="/1/" data-article-id="1">Does it work?</a>
       <span class="docsum-authors full-authors">Roe J, et al.</span></article>
       <article class="full-docsum"><a class="docsum-title" href="/2/">Results in the U.S..</a></article>
       <article class="full-docsum"><a class="docsum-title" href="/3/"> </a></article>`,
      url,
    );
    expect(pubmed.findEntries(doc, url).map(plain)).toEqual([
      { title: 'Does it work?', ids: { pmid: '1' }, url: 'https://pubmed.ncbi.nlm.nih.gov/1/', authors: ['Roe J'] },
      { title: 'Results in the U.S..', ids: { pmid: '2' }, url: 'https://pubmed.ncbi.nlm.nih.gov/2/' },
    ]);
  });
});
