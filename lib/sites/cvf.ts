import { idsFromLinks } from '../model/ids';
import { absoluteUrl, allOf, firstOf, textOf, uniqueNames } from './dom-text';
import type { SiteAdapter } from './types';
import { entriesOf, withDetails } from './entries';
import { onSite } from './hosts';

/**
 * CVF open access (openaccess.thecvf.com): the paper lists of CVPR, ICCV and WACV, per day
 * (CVPR2020.py?day=2020-06-16, CVPR2023?day=all) and per workshop (CVPR2023_workshops/<name>).
 * A paper is a `<dt class="ptitle">` with the title link, followed by `<dd>`s with the authors (one
 * search form per author) and the links (pdf, supp, arXiv, bibtex), up to the next `<dt>`. The
 * `<dt>` is the entry's root; its `<dd>`s are read as part of it.
 */

// Everything but a paper's own pages (/content/…/html/…_paper.html, /content/…/papers/….pdf).
const PAPER_PATHS = /^\/content[^/]*\/(?:.*\/)?(?:html|papers|supplemental)\//i;

const ROWS = [
  // Every year 2013–2026: <dl><dt class="ptitle"><br><a href="…_paper.html">Title</a></dt><dd>…</dd><dd>…</dd>.
  'dt.ptitle',
] as const;

const TITLE = [
  // The title link to the paper's html page.
  'a[href]',
] as const;

const AUTHOR_LINKS = [
  // 2018+: <form class="authsearch"><input type="hidden" name="query[_author]" value="Li Wang"><a href="#">Li Wang</a>,</form>.
  'form.authsearch a',
] as const;

/** The `<dd>` siblings that belong to the `<dt>`: everything up to the next `<dt>`. */
function detailsOf(dt: Element): Element[] {
  const out: Element[] = [];
  for (let el = dt.nextElementSibling; el && el.tagName === 'DD'; el = el.nextElementSibling) out.push(el);
  return out;
}

export const cvf: SiteAdapter = {
  id: 'cvf',
  label: 'CVF open access',
  matches(url) {
    return onSite('cvf', url.hostname) && !PAPER_PATHS.test(url.pathname) && !/\.pdf$/i.test(url.pathname);
  },
  findEntries(doc, url) {
    return entriesOf(doc, ROWS, (row) => {
      const titleEl = firstOf(row, TITLE);
      const title = textOf(titleEl);
      if (!titleEl || !title) return undefined;
      const details = detailsOf(row);
      const hrefs: string[] = [];
      for (const dd of details) {
        dd.querySelectorAll('a[href]').forEach((a) => {
          const h = a.getAttribute('href');
          if (h && h !== '#') hrefs.push(h);
        });
      }
      return withDetails(
        { title, ids: idsFromLinks(hrefs, url.href), root: row, titleEl },
        {
          url: absoluteUrl(titleEl.getAttribute('href'), url.href),
          authors: uniqueNames(details.flatMap((dd) => allOf(dd, AUTHOR_LINKS).map((a) => textOf(a)))),
        },
      );
    });
  },
};
