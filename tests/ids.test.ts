import { describe, it, expect } from 'vitest';
import { idsFromUrl } from '../lib/model/ids';

describe('idsFromUrl', () => {
  it('relative abs links on arXiv pages (fast path) give what the full URL parse gives', () => {
    const hrefs = [
      '/abs/2411.10000',
      '/abs/2411.10000v3',
      '/abs/2411.10000/',
      '/abs/hep-th/9901001',
      '/abs/hep-th/9901001v2',
      '/abs/math.GT/0309136',
      '/abs/2411.10000?context=cs',
      '/abs/2411.10000#x',
      '/abs/not-an-id',
      '/abs/',
      '/abs/10.1000/xyz123',
    ];
    for (const base of ['https://arxiv.org/list/cs.LG/new', 'https://export.arxiv.org/a/smith_j_1', 'http://www.arxiv.org:443/catchup']) {
      for (const href of hrefs) {
        // An absolute link never takes the fast path: it is the reference.
        const reference = idsFromUrl(new URL(href, base).href);
        expect(idsFromUrl(href, base), `${href} on ${base}`).toEqual(reference);
      }
    }
    expect(idsFromUrl('/abs/2411.10000v2', 'https://arxiv.org/list/cs.LG/new')).toEqual({ arxiv: '2411.10000' });
  });

  it('takes no shortcut on other sites: a relative /abs/ link there is not an arXiv link', () => {
    expect(idsFromUrl('/abs/2411.10000', 'https://example.org/list')).toEqual({});
    expect(idsFromUrl('/abs/2411.10000', 'https://notarxiv.org/list')).toEqual({});
    expect(idsFromUrl('/abs/2411.10000', 'https://arxiv.org.evil.example/list')).toEqual({});
  });
});
