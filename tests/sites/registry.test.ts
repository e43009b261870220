import { describe, expect, it } from 'vitest';
import { LISTING_HOSTS } from '../../lib/sites/hosts';
import { ADAPTERS, adapterFor } from '../../lib/sites/index';
import type { SiteAdapter } from '../../lib/sites/types';
import { domFor, listFixtures, readFixture } from './load-fixture';

/**
 * Every saved page under tests/fixtures/sites/<site>/ (whoever added it) is checked against the
 * whole registry: its URL is claimed by its own adapter and no other, and no other dedicated
 * adapter finds anything on it.
 */

const fixtures = listFixtures().map(readFixture);
const dedicated = ADAPTERS.filter((a) => !a.fallback);
const fallbacks = ADAPTERS.filter((a) => a.fallback);
const byId = new Map(ADAPTERS.map((a) => [a.id, a] as const));

// Parsed once, shared by the cross-site checks (the big pages take a while in jsdom).
const docs = new Map(fixtures.map((f) => [f.name, domFor(f.html, f.url)] as const));

describe('site registry', () => {
  it('has unique ids and exactly one fallback, listed last', () => {
    expect(new Set(ADAPTERS.map((a) => a.id)).size).toBe(ADAPTERS.length);
    expect(fallbacks.map((a) => a.id)).toEqual(['generic']);
    expect(ADAPTERS.at(-1)?.id).toBe('generic');
  });

  // Adapters shipped before a real capture of their pages could be found (see the sites-b
  // report). The list must shrink: the test fails as soon as a fixture lands for one of them.
  const AWAITING_REAL_FIXTURE = new Set(['acl-anthology', 'semanticscholar']);

  it('has at least one real fixture page for every adapter', () => {
    const sites = new Set(fixtures.map((f) => f.site));
    for (const a of ADAPTERS) {
      if (AWAITING_REAL_FIXTURE.has(a.id)) {
        expect(sites.has(a.id), `${a.id} has a fixture now: drop it from AWAITING_REAL_FIXTURE`).toBe(false);
      } else {
        expect(sites.has(a.id), `no fixture for ${a.id}`).toBe(true);
      }
    }
  });

  it('finds fixtures only in directories named after a registered adapter', () => {
    for (const f of fixtures) expect(byId.has(f.site), `${f.name}: unknown site "${f.site}"`).toBe(true);
  });

  it('keeps the old adapterFor(url, adapters) form working', () => {
    const someFixture = fixtures.find((f) => byId.get(f.site) && !byId.get(f.site)!.fallback);
    if (!someFixture) return;
    expect(adapterFor(someFixture.url, ADAPTERS)?.id).toBe(someFixture.site);
    expect(adapterFor(someFixture.url, [])).toBeUndefined();
  });

  for (const f of fixtures) {
    describe(f.name, () => {
      it('records where and when it was captured', () => {
        expect(f.source).toMatch(/^github\.com\/[^/]+\/[^/]+\/.+/);
        // A capture date, or the commit date when the capture date is not known.
        expect(f.captured).toMatch(/^(\d{4}-\d{2}-\d{2}|unknown \(committed \d{4}-\d{2}-\d{2})/);
      });

      it('is claimed by its own adapter and no other dedicated one', () => {
        const claiming = dedicated.filter((a) => a.matches(f.url)).map((a) => a.id);
        const own = byId.get(f.site)!;
        if (own.fallback) {
          expect(claiming).toEqual([]);
          expect(adapterFor(f.url)).toBeUndefined();
          expect(adapterFor(f.url, { allowFallback: true })?.id).toBe(f.site);
        } else {
          expect(claiming).toEqual([f.site]);
          expect(adapterFor(f.url)?.id).toBe(f.site);
          expect(adapterFor(f.url, { allowFallback: true })?.id).toBe(f.site);
        }
      });

      it('yields nothing to every other dedicated adapter', { timeout: 60_000 }, () => {
        for (const a of dedicated) {
          if (a.id === f.site) continue;
          expect(a.findEntries(docs.get(f.name)!, f.url), `${a.id} on ${f.name}`).toEqual([]);
        }
      });
    });
  }
});

// The conference-proceedings and PubMed hosts: a listing URL of each, the adapter that must claim it
// (and no other), and the host permission the manifest needs for it.
const PROCEEDINGS_HOSTS: [url: string, adapter: string][] = [
  ['https://proceedings.neurips.cc/paper_files/paper/2023', 'neurips-iclr'],
  ['https://papers.nips.cc/paper_files/paper/2022', 'neurips-iclr'],
  ['https://proceedings.iclr.cc/paper_files/paper/2024', 'neurips-iclr'],
  ['https://proceedings.mlr.press/v235/', 'pmlr'],
  ['https://openaccess.thecvf.com/CVPR2024?day=all', 'cvf'],
  ['https://ojs.aaai.org/index.php/AAAI/issue/view/576', 'ojs'],
  ['https://pubmed.ncbi.nlm.nih.gov/?term=transformer', 'pubmed'],
  ['https://aclanthology.org/volumes/2023.acl-long/', 'acl-anthology'],
  ['https://aclanthology.org/events/acl-2023/', 'acl-anthology'],
  ['https://openreview.net/group?id=ICLR.cc/2021/Conference', 'openreview'],
];

describe('proceedings and PubMed hosts', () => {
  for (const [u, id] of PROCEEDINGS_HOSTS) {
    it(`${u} is in the manifest's host list and claimed by ${id} only`, () => {
      const url = new URL(u);
      expect(LISTING_HOSTS).toContain(`https://${url.hostname}/*`);
      expect(dedicated.filter((a) => a.matches(url)).map((a) => a.id)).toEqual([id]);
    });
  }
});

const GARBAGE = [
  '',
  '<<<>>><div class="note"><h4><a href',
  '<li class="entry inproceedings"><cite><span class="title"></span></cite></li>',
  '<div class="paper-card infinite-item"><h1><a></a></h1></div><p class="d-sm-flex"><strong><a href="/x/"> </a></strong></p>',
  '<span class="Z3988" title="%%%&&&=rft.atitle"></span><span class="Z3988"></span>',
  '<script type="application/ld+json">{"@type":"ScholarlyArticle","headline":{"x":1},"author":[null,7,{"name":["a"]}]}</script>',
  '<div itemscope itemtype="http://schema.org/ScholarlyArticle"><span itemprop="name"></span></div>',
  '<table><tr><td><a href="https://arxiv.org/abs/">x</a></td></tr></table><ul><li><a href="https://doi.org/">y</a></li></ul>',
  `${'<div>'.repeat(400)}deep${'</div>'.repeat(10)}`,
  '\u0000\u0001\ufffd<x:y z:w="1"><a href="javascript:alert(1)">a b c d e f</a>',
];

/** A URL the adapter claims (its first fixture's), so garbage is fed past any URL checks. */
function urlFor(a: SiteAdapter): URL {
  return fixtures.find((f) => f.site === a.id)?.url ?? new URL('https://example.org/');
}

describe('every adapter on empty and garbage documents', () => {
  for (const a of ADAPTERS) {
    it(`${a.id} returns [] without throwing`, { timeout: 30_000 }, () => {
      const empty = domFor('', 'https://example.org/');
      for (const url of [urlFor(a)]) {
        expect(a.findEntries(empty, url)).toEqual([]);
        for (const g of GARBAGE) {
          const doc = domFor(g, url);
          let out: unknown;
          expect(() => {
            out = a.findEntries(doc, url);
          }, `${a.id} on ${JSON.stringify(g.slice(0, 40))}`).not.toThrow();
          expect(out, `${a.id} on ${JSON.stringify(g.slice(0, 40))}`).toEqual([]);
        }
      }
    });
  }

  it('a matches() that throws is treated as no match', () => {
    const broken: SiteAdapter = {
      id: 'broken',
      label: 'broken',
      matches() {
        throw new Error('boom');
      },
      findEntries: () => [],
    };
    expect(adapterFor(new URL('https://example.org/'), [broken])).toBeUndefined();
    expect(adapterFor(new URL('https://example.org/'), { adapters: [broken], allowFallback: true })).toBeUndefined();
  });
});
