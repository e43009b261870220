import { idsFromElement } from '../model/ids';
import { absoluteUrl, allOf, firstOf, textOf, uniqueNames } from './dom-text';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';

/**
 * OpenReview venue and group pages (openreview.net/group?id=ICLR.cc/2024/Conference and the
 * newer /venue and /submissions pages), plus search results and profile pages, which render
 * their papers with the same note list. The lists are rendered client-side, tab by tab; the
 * content script re-runs findEntries as rows appear, so this only reads what is in the DOM now.
 */

// Listing pages only: a /forum page is one paper with its reviews, not a list of papers.
const LISTING_PATHS = /^\/(?:group|venue|submissions|search|profile)\/?$/;

const ROWS = [
  // 2017–2021 webfield pages (jQuery/Handlebars templates): <ul class="submissions-list"><li class="note">.
  // 2022+ React pages: <ul class="submissions-list"><li><div class="note">.
  // Both at once, so a page mid-way through re-rendering still yields every row.
  '.submissions-list li.note, .submissions-list li > div.note',
  // Lists rendered outside a submissions-list container (group pages with custom webfields,
  // search results): any note carrying its id.
  '.note[data-id]',
] as const;

const TITLE = [
  // Every layout so far: the forum link inside the note's <h4> heading.
  'h4 a[href*="forum?id="]',
  // A heading link without the id in it (custom webfields link titles elsewhere).
  'h4 a:not(.pdf-link)',
] as const;

const AUTHOR_LINKS = [
  // Profile links (2019+: /profile?id=~Name1; 2017–2018: /profile?email=…).
  '.note-authors a[href*="/profile"]',
] as const;

const AUTHOR_BLOCK = [
  // Plain-text author line (anonymous submissions, or names without profiles).
  '.note-authors',
] as const;

const CONTENT_FIELDS = [
  // Legacy: <ul class="note-content"><li><strong class="note-content-field">Abstract:</strong>
  // <span class="note-content-value">…; React: the same classes on <div>s.
  '.note-content li, .note-content > div',
] as const;

function abstractOf(row: Element): string | undefined {
  for (const field of allOf(row, CONTENT_FIELDS)) {
    const name = textOf(field.querySelector('.note-content-field'));
    if (!/^abstract\b/i.test(name)) continue;
    const value = textOf(field.querySelector('.note-content-value'));
    if (value) return value;
  }
  return undefined;
}

function authorsOf(row: Element): string[] | undefined {
  const links = allOf(row, AUTHOR_LINKS);
  const names = links.length
    ? uniqueNames(links.map((a) => textOf(a)))
    : uniqueNames(textOf(firstOf(row, AUTHOR_BLOCK)).split(','));
  // Blind submissions list "Anonymous" (or "Anonymous Authors"): that is not a name.
  const real = names.filter((n) => !/^anonymous( authors?)?$/i.test(n));
  return real.length ? real : undefined;
}

export const openreview: SiteAdapter = {
  id: 'openreview',
  label: 'OpenReview',
  matches(url) {
    return onSite('openreview', url.hostname) && LISTING_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      const out: FoundEntry[] = [];
      const seen = new Set<Element>();
      for (const row of allOf(doc, ROWS)) {
        if (seen.has(row)) continue;
        seen.add(row);
        const titleEl = firstOf(row, TITLE);
        const title = textOf(titleEl);
        if (!titleEl || !title) continue;
        const entry: FoundEntry = {
          title,
          // Ids from the heading only (forum + PDF links): abstracts and TL;DRs link to other papers.
          ids: idsFromElement(titleEl.closest('h4') ?? titleEl, url.href),
          root: row,
          titleEl,
        };
        const href = absoluteUrl(titleEl.getAttribute('href'), url.href);
        if (href) entry.url = href;
        const authors = authorsOf(row);
        if (authors) entry.authors = authors;
        const abstract = abstractOf(row);
        if (abstract) entry.abstract = abstract;
        out.push(entry);
      }
      return out;
    } catch {
      return [];
    }
  },
};
