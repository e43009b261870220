import { idsFromElement } from '../model/ids';
import { absoluteUrl, collapse, firstOf, textOf, textSkipping, uniqueNames } from './dom-text';
import type { SiteAdapter } from './types';
import { entriesOf, withDetails } from './entries';
import { onSite } from './hosts';

/**
 * Issue tables of contents of Open Journal Systems (OJS) sites, starting with AAAI's proceedings
 * (ojs.aaai.org/index.php/AAAI/issue/view/683). Only sites listed in lib/sites/hosts.ts are read
 * without asking; other OJS journals run the generic adapter once the user enables them.
 *
 * Markup covered: the OJS 3 default theme's article summary (OJS 3.1–3.4 and the many themes built
 * on it): `<div class="obj_article_summary">` with the title link in `<h3 class="title">` (h2–h5
 * depending on where the list sits), an optional `<span class="subtitle">`, authors in
 * `<div class="meta"><div class="authors">` and galley links (PDF). Seen on real AAAI issue pages of
 * 2024 (Vol. 38) and 2026 (Vol. 40). Not covered (no real capture found): OJS 2's
 * `table.tocArticle` rows and the Bootstrap 3 theme's `div.article-summary` media list.
 */

// /index.php/<journal>/issue/view/<id>[/…] and /index.php/<journal>/issue/current.
const LISTING_PATHS = /^\/(?:index\.php\/)?[^/]+\/issue\/(?:view\/\d+|current)(?:\/|$)/;

const ROWS = [
  // OJS 3 default theme and its children: <div class="obj_article_summary">.
  '.obj_article_summary',
] as const;

const TITLE = [
  // <h3 class="title"><a id="article-36958" href="…/article/view/36958">Title</a></h3> (any heading level).
  '.title a[href*="/article/view/"]',
  '.title a[href]',
] as const;

const AUTHORS = [
  // <div class="meta"><div class="authors">A, B, C</div>.
  '.meta .authors',
  '.authors',
] as const;

export const ojs: SiteAdapter = {
  id: 'ojs',
  label: 'OJS journals and proceedings',
  matches(url) {
    return onSite('ojs', url.hostname) && LISTING_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    return entriesOf(doc, ROWS, (row) => {
      const titleEl = firstOf(row, TITLE);
      if (!titleEl) return undefined;
      // "Title: Subtitle" when the journal uses subtitles (a span inside the link).
      const main = collapse(textSkipping(titleEl, '.subtitle'));
      const sub = textOf(titleEl.querySelector('.subtitle'));
      const title = main && sub ? `${main.replace(/[:.]$/, '')}: ${sub}` : main;
      if (!title) return undefined;
      return withDetails(
        { title, ids: idsFromElement(row, url.href), root: row, titleEl },
        { url: absoluteUrl(titleEl.getAttribute('href'), url.href), authors: uniqueNames(textOf(firstOf(row, AUTHORS)).split(',')) },
      );
    });
  },
};
