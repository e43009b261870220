import { idsFromLinks } from '../model/ids';
import { absoluteUrl, allOf, firstOf, textOf, uniqueNames } from './dom-text';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';

/**
 * DBLP person pages (/pid/…, the older /pers/…), search results (/search?q=…, /search/publ)
 * and tables of contents (/db/conf/…, /db/journals/…), on dblp.org and its mirrors.
 * Every publication is an <li class="entry …"> with schema.org microdata.
 */

const LISTING_PATHS = /^\/(?:pid|pers|search|db)(?:\/|$)/;

const ROWS = [
  // 2014+ layout (person, search and TOC pages alike): <ul class="publ-list"><li class="entry …">.
  'ul.publ-list > li.entry',
  // The same rows if the list wrapper is renamed: entries carry ScholarlyArticle microdata.
  'li.entry[itemtype*="ScholarlyArticle"]',
] as const;

const TITLE = [
  // 2014+ layout: <cite class="data"><span class="title" itemprop="name">Title.</span>.
  'cite span.title',
  '.title[itemprop="name"]',
] as const;

const AUTHORS = [
  // Author names in the microdata; the visible text drops the homonym number ("Wei Wang 0001").
  'cite [itemprop="author"] [itemprop="name"]',
] as const;

const EDITION_LINKS = [
  // "electronic edition" links (DOI, arXiv, publisher) in the entry's view menu. Entries without
  // one have no view menu; the other menus' head links (export, search elsewhere) are not editions.
  'nav.publ li.ee a[href]',
] as const;

const RECORD_LINK = [
  // The dblp record page ("references & citations").
  'nav.publ li.details a[href]',
] as const;

/** DBLP ends every title with a period it added itself ("Attention Is All You Need."). */
function stripDblpPeriod(title: string): string {
  return title.endsWith('.') && !title.endsWith('..') ? title.slice(0, -1).trimEnd() : title;
}

export const dblp: SiteAdapter = {
  id: 'dblp',
  label: 'DBLP',
  matches(url) {
    return onSite('dblp', url.hostname) && LISTING_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      const out: FoundEntry[] = [];
      for (const row of allOf(doc, ROWS)) {
        // Edited volumes (a TOC page's front entry, "Editorship" on person pages) are
        // proceedings, not papers.
        if (row.classList.contains('editor')) continue;
        const titleEl = firstOf(row, TITLE);
        const title = stripDblpPeriod(textOf(titleEl));
        if (!titleEl || !title) continue;
        const editions = allOf(row, EDITION_LINKS)
          .map((a) => absoluteUrl(a.getAttribute('href'), url.href))
          .filter((h): h is string => !!h);
        const entry: FoundEntry = {
          title,
          ids: idsFromLinks(editions, url.href),
          root: row,
          titleEl,
        };
        const href = editions[0] ?? absoluteUrl(firstOf(row, RECORD_LINK)?.getAttribute('href'), url.href);
        if (href) entry.url = href;
        const authors = uniqueNames(allOf(row, AUTHORS).map((el) => textOf(el)));
        if (authors.length) entry.authors = authors;
        out.push(entry);
      }
      return out;
    } catch {
      return [];
    }
  },
};
