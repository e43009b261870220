import { absoluteUrl, firstOf, textOf, uniqueNames } from './dom-text';
import type { SiteAdapter } from './types';
import { entriesOf, withDetails } from './entries';
import { onSite } from './hosts';

/**
 * The proceedings app that NeurIPS (proceedings.neurips.cc, and papers.nips.cc, which serves the
 * same pages) and ICLR (proceedings.iclr.cc) publish their books with: one page per year
 * (/paper_files/paper/2023) listing every paper as `<li class="KIND"><a title="paper title"
 * href="…/hash/<hash>-Abstract-<Track>.html">Title</a> <i>Authors</i></li>` (2025: the link and a
 * `span.paper-authors` inside `div.paper-content`, plus a track badge and client-side track
 * filters that only hide rows), and the search results (/papers/search?q=…), which use the same
 * list. KIND is the track: `conference`, `datasets_and_benchmarks` (2023),
 * `datasets_and_benchmarks_track` (2024+), `position_paper_track` (2025) or `none` (years before
 * tracks, e.g. 2014). A single paper's page (/hash/…) is not a listing.
 *
 * The pages link no arXiv id, DOI or OpenReview id; the paper's address (with its proceedings
 * hash) is the entry's url.
 */

// Year and track pages (/paper_files/paper/2023, /paper/2021 on the older URL scheme), and search.
const LISTING_PATHS = /^\/(?:paper_files\/paper\/\d{4}|paper\/\d{4}|papers\/search)(?:\/|$)/;
// A paper's own pages under a year: /hash/<hash>-Abstract….html and /file/<hash>-Paper….pdf.
const PAPER_PATHS = /\/(?:hash|file)\//;

const ROWS = [
  // Every year 2014–2025: <ul class="paper-list"><li class="conference|datasets_and_benchmarks|none">.
  'ul.paper-list > li',
  // A list without the class (a restyled page): any list item holding a paper-title link.
  'li:has(> a[title="paper title"])',
] as const;

const TITLE = [
  // The title link: <a title="paper title" href="…/hash/….html">.
  'a[title="paper title"]',
  // Without the tooltip attribute: the link to the paper's abstract page.
  'a[href*="/hash/"]',
] as const;

const AUTHORS = [
  // 2014–2024: the author line right after the title, <i>A, B, C</i>.
  ':scope > i',
  // 2025 redesign: <div class="paper-content"><a …>Title</a><span class="paper-authors">A, B</span></div>.
  '.paper-authors',
] as const;

export const neuripsIclr: SiteAdapter = {
  id: 'neurips-iclr',
  label: 'NeurIPS and ICLR proceedings',
  matches(url) {
    return onSite('neuripsIclr', url.hostname) && LISTING_PATHS.test(url.pathname) && !PAPER_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    return entriesOf(doc, ROWS, (row) => {
      const titleEl = firstOf(row, TITLE);
      const title = textOf(titleEl);
      if (!titleEl || !title) return undefined;
      // The 2025 app prints "Error" where it failed to render the authors: not a name.
      const authors = uniqueNames(textOf(firstOf(row, AUTHORS)).split(',')).filter((a) => a !== 'Error');
      return withDetails({ title, ids: {}, root: row, titleEl }, { url: absoluteUrl(titleEl.getAttribute('href'), url.href), authors });
    });
  },
};
