import { idsFromElement } from '../model/ids';
import { absoluteUrl, allOf, firstOf, textOf, uniqueNames } from './dom-text';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';

/**
 * Papers with Code listings: the home/latest/greatest feeds, search results, task, method,
 * dataset and author pages. They all render papers as the same "paper card" and grow by
 * infinite scroll (the content script picks up appended cards).
 */

// A single paper's own page (/paper/<slug>) is not a listing.
const SINGLE_PAPER = /^\/paper\/[^/]+/;

const ROWS = [
  // 2019–2025 layout: <div class="row infinite-item item paper-card"> in an .infinite-container.
  '.paper-card.infinite-item',
  // Cards outside an infinite list (task and dataset pages' "papers" sections).
  '.paper-card',
] as const;

const TITLE = [
  // 2019–2025 layout: <div class="item-content"><h1><a href="/paper/slug">Title</a></h1>.
  '.item-content h1 a[href]',
  'h1 a[href]',
] as const;

const ABSTRACT = [
  // The abstract snippet under the title.
  'p.item-strip-abstract',
] as const;

const AUTHORS = [
  // Author pages and some feeds list authors in the author section; dates share the section
  // (class item-date-pub) and are not names.
  '.author-section .author-span:not(.item-date-pub)',
  '.author-section a[href^="/author/"]',
] as const;

export const paperswithcode: SiteAdapter = {
  id: 'paperswithcode',
  label: 'Papers with Code',
  matches(url) {
    return onSite('paperswithcode', url.hostname) && !SINGLE_PAPER.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      const out: FoundEntry[] = [];
      for (const card of allOf(doc, ROWS)) {
        const titleEl = firstOf(card, TITLE);
        const title = textOf(titleEl);
        if (!titleEl || !title) continue;
        const entry: FoundEntry = {
          title,
          // Cards link to the PwC paper page and code; arXiv or DOI links appear on some feeds.
          ids: idsFromElement(card, url.href),
          root: card,
          titleEl,
        };
        const href = absoluteUrl(titleEl.getAttribute('href'), url.href);
        if (href) entry.url = href;
        const authors = uniqueNames(allOf(card, AUTHORS).map((el) => textOf(el)));
        if (authors.length) entry.authors = authors;
        const abstract = textOf(firstOf(card, ABSTRACT));
        if (abstract) entry.abstract = abstract;
        out.push(entry);
      }
      return out;
    } catch {
      return [];
    }
  },
};
