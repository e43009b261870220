import { idsFromLinks } from '../model/ids';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';
import { clean, firstOf, textSkipping } from './dom-text';

// Semantic Scholar search (/search?q=…) and author pages (/author/<name>/<id>). Both render their rows
// client-side; the content script re-runs findEntries when rows appear, so this reads the rows present now.

const PATHS = /^\/(?:search|author\/)/;

/** Text of `el` without the descendants matched by `skip` (buttons, "TLDR" labels). */
function textWithout(el: Element, skip: string): string {
  return clean(textSkipping(el, skip));
}

// One result row. Alternatives, newest first.
const ROWS = [
  '.cl-paper-row', // search and author pages, 2019–2025: <div class="cl-paper-row serp-papers__paper-row …">
  '[data-test-id="search-result"]', // search rows marked for Semantic Scholar's own tests
  'article[data-paper-id]', // paper cards carrying the paper id
];

// The element that names the paper.
const TITLES = [
  '.cl-paper-title', // <h2 class="cl-paper-title"><span>…</span></h2> inside the title link (2021+)
  '[data-test-id="title-link"]', // the title link itself (2020–2025)
  '[data-selenium-selector="title-link"]', // the title link before data-test-id (2019–2020)
  'a[data-heap-id="title_link"]', // analytics-tagged title link
  'h2 a[href*="/paper/"], h3 a[href*="/paper/"]', // any heading link to a paper page
];

const TITLE_LINK = [
  'a[data-test-id="title-link"]',
  'a[data-selenium-selector="title-link"]',
  'a[data-heap-id="title_link"]',
  'a[href*="/paper/"]',
];

// Author names: linked authors and authors without a profile, in page order.
const AUTHORS = '.cl-paper-authors__author-link, .author-list__author-name';
// Abstract or its TLDR stand-in; the Expand/Collapse buttons and the "TLDR" label are not text of it.
const ABSTRACT = ['.cl-paper-abstract', '.tldr-abstract-replacement', '[data-test-id="paper-abstract"]'];
const NOT_ABSTRACT = 'button, .tldr-label, .cl-paper-abstract__expand, .more, [role="button"]';

function rowsOf(doc: Document): Element[] {
  for (const sel of ROWS) {
    const rows = Array.from(doc.querySelectorAll(sel));
    if (rows.length > 0) {
      // Nested matches (a row inside a row) would mark one paper twice: keep the outermost.
      return rows.filter((r) => !rows.some((o) => o !== r && o.contains(r)));
    }
  }
  return [];
}

export const semanticscholar: SiteAdapter = {
  id: 'semanticscholar',
  label: 'Semantic Scholar',
  matches(url) {
    return onSite('semanticscholar', url.hostname) && PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      const out: FoundEntry[] = [];
      for (const row of rowsOf(doc)) {
        const heading = firstOf(row, TITLES);
        if (!heading) continue;
        const title = clean(heading.textContent);
        if (!title) continue;
        const enclosing = heading.closest('a[href]');
        const link = enclosing ?? firstOf(row, TITLE_LINK);
        // The badge goes after titleEl: after the title link when the heading sits inside one, so a click
        // on the badge never follows the link.
        const titleEl = enclosing && row.contains(enclosing) ? enclosing : heading;
        let href: string | undefined;
        try {
          const h = link?.getAttribute('href');
          if (h) href = new URL(h, url.href).href;
        } catch {
          href = undefined;
        }
        // arXiv/DOI ids come from the row's outbound links (View PDF, publisher, DOI), never from author links.
        const hrefs = Array.from(row.querySelectorAll('a[href]'))
          .filter((a) => !a.matches(AUTHORS))
          .map((a) => a.getAttribute('href') ?? '');
        const entry: FoundEntry = { title, ids: idsFromLinks(hrefs, url.href), root: row, titleEl };
        const authors = Array.from(row.querySelectorAll(AUTHORS))
          .map((a) => clean(a.textContent))
          .filter((n) => n.length > 0);
        if (authors.length > 0) entry.authors = authors;
        if (href) entry.url = href;
        const abs = firstOf(row, ABSTRACT);
        if (abs) {
          const text = textWithout(abs, NOT_ABSTRACT);
          if (text) entry.abstract = text;
        }
        out.push(entry);
      }
      return out;
    } catch {
      return [];
    }
  },
};
