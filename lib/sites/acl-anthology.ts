import { idsFromElement } from '../model/ids';
import { absoluteUrl, firstOf, textOf, uniqueNames } from './dom-text';
import type { SiteAdapter } from './types';
import { entriesOf, withDetails } from './entries';
import { onSite } from './hosts';

/**
 * ACL Anthology event pages (/events/acl-2023/: every volume of an event) and volume pages
 * (/volumes/2023.acl-long/), plus author pages (/people/…), which list papers the same way.
 * Each paper is a row with pdf/bib/abs buttons, the linked title and the authors; its abstract
 * is the collapsed card right after the row.
 */

const LISTING_PATHS = /^\/(?:events|volumes|people)\/./;

const ROWS = [
  // 2019–2024 layout (Bootstrap 4): <p class="d-sm-flex align-items-stretch">.
  // 2025+ layout (Bootstrap 5): <div class="d-sm-flex align-items-stretch mb-3">.
  '.d-sm-flex.align-items-stretch',
] as const;

const TITLE = [
  // Both layouts: <span class="d-block"><strong><a class="align-middle" href="/ID/">Title</a></strong>.
  'span.d-block strong a[href]',
  'strong a.align-middle[href]',
] as const;

const ABSTRACT_BODY = [
  // The abstract card body: <div class="card-body p-3 small">.
  '.card-body',
] as const;

/**
 * Anthology ids of volume front matter ("Proceedings of …", not a paper): paper number 0 in
 * new-style ids (2023.acl-long.0) and in old-style ones (P19-1000; workshops W19-3600).
 */
function isFrontMatter(id: string): boolean {
  if (/^\d{4}\.[a-z0-9-]+\.0$/i.test(id)) return true;
  const old = /^([A-Z])\d{2}-(\d{4})$/.exec(id);
  if (!old) return false;
  return old[1] === 'W' ? old[2]!.endsWith('00') : old[2]!.endsWith('000');
}

function anthologyId(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const path = new URL(href).pathname;
    return /^\/([^/]+)\/?$/.exec(path)?.[1];
  } catch {
    return undefined;
  }
}

export const aclAnthology: SiteAdapter = {
  id: 'acl-anthology',
  label: 'ACL Anthology',
  matches(url) {
    return onSite('aclAnthology', url.hostname) && LISTING_PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    return entriesOf(doc, ROWS, (row) => {
      const titleEl = firstOf(row, TITLE);
      const title = textOf(titleEl);
      if (!titleEl || !title) return undefined;
      const href = absoluteUrl(titleEl.getAttribute('href'), url.href);
      const id = anthologyId(href);
      if (id && isFrontMatter(id)) return undefined;
      // Authors are the /people/ links next to the title (not the buttons).
      const byline = titleEl.closest('span.d-block') ?? row;
      const authors = uniqueNames(Array.from(byline.querySelectorAll('a[href*="/people/"]')).map((a) => textOf(a)));
      const entry = withDetails({ title, ids: idsFromElement(row, url.href), root: row, titleEl }, { url: href, authors });
      const next = row.nextElementSibling;
      if (next?.classList.contains('abstract-collapse')) {
        const abstract = textOf(firstOf(next, ABSTRACT_BODY) ?? next);
        if (abstract) entry.abstract = abstract;
      }
      return entry;
    });
  },
};
