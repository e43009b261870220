import { idsFromElement, mergeIds, normalizeDoi, normalizePmid } from '../model/ids';
import { absoluteUrl, allOf, firstOf, textOf, uniqueNames } from './dom-text';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';

/**
 * PubMed search results (pubmed.ncbi.nlm.nih.gov/?term=…, also the trending list): one
 * `<article class="full-docsum">` per paper with the title link (`a.docsum-title`, href /<PMID>/),
 * the full author list, the journal citation (which carries the DOI as text, "doi: 10.…") and the
 * PMID. A record page (/<PMID>/) is one paper, not a listing.
 */

// Search results live at the site root (?term=…); /trending/ uses the same result list.
const LISTING_PATHS = /^\/(?:trending\/?)?$/;

const ROWS = [
  // 2020+ interface: <article class="full-docsum"> in div.search-results-chunk.
  'article.full-docsum',
  // The summary without its article wrapper (result chunks loaded by "show more" keep it, but be lenient).
  '.docsum-wrap',
] as const;

const TITLE = [
  // <a class="docsum-title" href="/37988744/" data-article-id="37988744">Title with <b>hits</b>.</a>
  'a.docsum-title',
] as const;

const AUTHORS = [
  // Full list "Lightbourne A, Foley S, Cronin M." (the short one ends in "et al.").
  '.docsum-authors.full-authors',
  '.docsum-authors',
] as const;

const CITATION = [
  // "Qual Health Res. 2023 Nov 21:10497323231214114. doi: 10.1177/10497323231214114. Online ahead of print."
  '.docsum-journal-citation.full-journal-citation',
  '.docsum-journal-citation',
] as const;

const PMID = [
  // <span class="citation-part">PMID: <span class="docsum-pmid">37988744</span></span>
  '.docsum-pmid',
] as const;

export const pubmed: SiteAdapter = {
  id: 'pubmed',
  label: 'PubMed',
  matches(url) {
    return onSite('pubmed', url.hostname) && LISTING_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      const out: FoundEntry[] = [];
      for (const row of allOf(doc, ROWS)) {
        const titleEl = firstOf(row, TITLE);
        // PubMed ends every title with a period (NLM citation style); it is not part of the title.
        const title = textOf(titleEl).replace(/(?<!\.)\.$/, '');
        if (!titleEl || !title) continue;
        const ids = idsFromElement(row, url.href);
        const pmid = normalizePmid(textOf(firstOf(row, PMID)) || (titleEl.getAttribute('data-article-id') ?? ''));
        const doiText = /\bdoi:\s*(10\.\S+)/i.exec(textOf(firstOf(row, CITATION)))?.[1];
        const doi = doiText ? normalizeDoi(doiText) : undefined;
        mergeIds(ids, { ...(pmid ? { pmid } : {}), ...(doi ? { doi } : {}) });
        const entry: FoundEntry = { title, ids, root: row, titleEl };
        const href = absoluteUrl(titleEl.getAttribute('href'), url.href);
        if (href) entry.url = href;
        const authorLine = textOf(firstOf(row, AUTHORS)).replace(/\.$/, '');
        const authors = uniqueNames(authorLine.split(',')).filter((a) => !/^et al\.?$/i.test(a));
        if (authors.length) entry.authors = authors;
        out.push(entry);
      }
      return out;
    } catch {
      return [];
    }
  },
};
