import { idsFromUrl, normalizeArxivId } from '../model/ids';
import type { PaperIds } from '../model/types';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';
import { clean, firstOf, textSkipping } from './dom-text';

// arXiv listing pages. Two markups are in use:
// - the dl/dt/dd listing rendered by arxiv-browse: /list/<archive>/{new,recent,pastweek,YYMM},
//   /a/<author id> author pages and /catchup — one <dt> (id + links) followed by one <dd> (metadata);
// - the search app's result list: /search/… — one <li class="arxiv-result"> per paper.

const PATHS = /^\/(?:list|a|catchup|search)(?:\/|$)/;

/** Text of `el` without the descendants matched by `skip` (labels such as "Title:"). */
function textWithout(el: Element, skip: string): string {
  return clean(textSkipping(el, skip));
}

function authorsFrom(el: Element | null, label: RegExp): string[] | undefined {
  if (!el) return undefined;
  const links = Array.from(el.querySelectorAll('a'))
    .map((a) => clean(a.textContent))
    .filter((s) => s.length > 0);
  if (links.length > 0) return links;
  // Some mirrors print plain comma-separated names.
  const names = clean(el.textContent)
    .replace(label, '')
    .split(/,\s*|\s+and\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return names.length > 0 ? names : undefined;
}

// Where a listing row keeps its title, authors and abstract, as class names: rows are read with
// getElementsByClassName, which stays fast on 2000-row listings.
const LIST_TITLE = [
  'list-title', // arxiv-browse 2023+ and the older PHP listing ("list-title mathjax")
];
const LIST_AUTHORS = [
  'list-authors', // both listing generations
];

/**
 * The row's title text without its "Title:" label (<span class='descriptor'>): the text of the
 * nodes after the label, so the label is never read. Whatever else the element holds (MathJax
 * markup, <a>) still counts. Falls back to stripping the label from the whole text.
 */
function withoutLabel(titleEl: Element): string {
  const label = titleEl.firstElementChild;
  if (!label?.classList.contains('descriptor')) return clean(titleEl.textContent);
  let text = '';
  let after = false;
  for (let n = titleEl.firstChild; n; n = n.nextSibling) {
    if (n === label) after = true;
    else if (after) text += n.nodeType === 3 ? (n.nodeValue ?? '') : (n.textContent ?? '');
    else if (n.nodeType === 3 && n.nodeValue?.trim()) return stripLabel(titleEl, label);
  }
  return clean(text);
}

/** Text before the label (never seen in real listings): the whole text minus the label's. */
function stripLabel(titleEl: Element, label: Element): string {
  const text = clean(titleEl.textContent);
  const l = clean(label.textContent);
  return l && text.startsWith(l) ? text.slice(l.length).trim() : text;
}

function firstByClass(root: Element, classes: readonly string[]): Element | undefined {
  for (const c of classes) {
    const el = root.getElementsByClassName(c)[0];
    if (el) return el;
  }
  return undefined;
}

/**
 * The abs link of a <dt>. Alternatives:
 * - arxiv-browse 2023+: <a href ="/abs/2301.00001" title="Abstract" id=…>;
 * - the older PHP listing: <span class="list-identifier"><a href="/abs/…" title="Abstract">;
 * - anything else in the <dt> that links to an abstract page.
 */
function absLink(dt: Element): Element | undefined {
  // One walk over the live collection, no arrays: this runs once per row.
  const links = dt.getElementsByTagName('a');
  let byHref: Element | undefined;
  for (let i = 0; i < links.length; i++) {
    const a = links[i]!;
    if (a.getAttribute('title') === 'Abstract') return a;
    if (!byHref && (a.getAttribute('href') ?? '').includes('/abs/')) byHref = a;
  }
  return byHref;
}

/**
 * The abstract shown under a row (/new, /catchup with abstracts): arxiv-browse 2024+ prints
 * <p class='mathjax'>, older listings a bare <p> inside the row's metadata.
 */
function abstractOf(dd: Element): Element | undefined {
  const ps = dd.getElementsByTagName('p');
  for (let i = 0; i < ps.length; i++) if (ps[i]!.classList.contains('mathjax')) return ps[i];
  return ps[0];
}

function authorsOf(el: Element | undefined): string[] | undefined {
  if (!el) return undefined;
  const links = el.getElementsByTagName('a');
  const names: string[] = [];
  for (let i = 0; i < links.length; i++) {
    const name = clean(links[i]!.textContent);
    if (name) names.push(name);
  }
  if (names.length > 0) return names;
  return authorsFrom(el, /^authors?:/i);
}

function listingEntries(doc: Document, url: URL): FoundEntry[] {
  const out: FoundEntry[] = [];
  const dds = doc.getElementsByTagName('dd');
  for (let i = 0; i < dds.length; i++) {
    const dd = dds[i]!;
    const dt = dd.previousElementSibling;
    if (!dt || dt.tagName !== 'DT') continue;
    const titleEl = firstByClass(dd, LIST_TITLE);
    if (!titleEl) continue;
    const title = withoutLabel(titleEl);
    if (!title) continue;
    const link = absLink(dt);
    const href = link?.getAttribute('href') ?? '';
    // Ids come from the row's own abs link only: comments often cite other arXiv papers.
    const ids: PaperIds = href ? idsFromUrl(href, url.href) : {};
    if (!ids.arxiv) {
      const fromText = normalizeArxivId(clean(link?.textContent));
      if (fromText) ids.arxiv = fromText;
    }
    const entry: FoundEntry = { title, ids, root: dd, titleEl };
    const authors = authorsOf(firstByClass(dd, LIST_AUTHORS));
    if (authors) entry.authors = authors;
    if (ids.arxiv) entry.url = `https://arxiv.org/abs/${ids.arxiv}`;
    const abs = abstractOf(dd);
    if (abs) {
      const text = clean(abs.textContent);
      if (text) entry.abstract = text;
    }
    out.push(entry);
  }
  return out;
}

// Search results (arxiv.org/search/…), one alternative list per part of a result.
const SEARCH_ROWS = [
  'li.arxiv-result', // the search app (2018+): <ol class="breathe-horizontal"><li class="arxiv-result">
];
const SEARCH_TITLE = [
  'p.title', // <p class="title is-5 mathjax"> (2018+)
];
const SEARCH_ID_LINK = [
  '.list-title a[href*="/abs/"]', // <p class="list-title is-inline-block"><a href="https://arxiv.org/abs/…">
  'a[href*="/abs/"]', // any abs link in the result
];
// The publisher DOI a result shows as a tag beside its id (real 2025 capture):
// <div class="tags has-addons"><span class="tag is-dark">doi</span><span class="tag is-light"><a href="https://doi.org/…">
const SEARCH_DOI = [
  '.tags.has-addons a[href*="doi.org/"]',
];
const SEARCH_AUTHORS = [
  'p.authors', // <p class="authors"><span class="search-hit">Authors:</span> <a …>Name</a>, …
];
const SEARCH_ABSTRACT = [
  '.abstract-full', // the full abstract, hidden until "▽ More" is clicked
  '.abstract-short', // the short one shown first
];

function searchEntries(doc: Document, url: URL): FoundEntry[] {
  const out: FoundEntry[] = [];
  for (const rowSel of SEARCH_ROWS) {
    doc.querySelectorAll(rowSel).forEach((li) => {
      const titleEl = firstOf(li, SEARCH_TITLE);
      if (!titleEl) return;
      const title = clean(titleEl.textContent);
      if (!title) return;
      const link = firstOf(li, SEARCH_ID_LINK);
      const ids: PaperIds = link ? idsFromUrl(link.getAttribute('href') ?? '', url.href) : {};
      // Only the DOI tag: links in comments and abstracts may name other papers.
      const doiLink = firstOf(li, SEARCH_DOI);
      const doi = doiLink ? idsFromUrl(doiLink.getAttribute('href') ?? '', url.href).doi : undefined;
      if (doi) ids.doi = doi;
      const entry: FoundEntry = { title, ids, root: li, titleEl };
      const authors = authorsFrom(firstOf(li, SEARCH_AUTHORS), /^authors?:/i);
      if (authors) entry.authors = authors;
      if (ids.arxiv) entry.url = `https://arxiv.org/abs/${ids.arxiv}`;
      const abs = firstOf(li, SEARCH_ABSTRACT);
      if (abs) {
        // Skip the "△ Less" / "▽ More" toggle links.
        const text = textWithout(abs, 'a').replace(/\s*[△▽]\s*(?:Less|More)\s*$/, '');
        if (text) entry.abstract = text;
      }
      out.push(entry);
    });
    if (out.length > 0) break;
  }
  return out;
}

export const arxiv: SiteAdapter = {
  id: 'arxiv',
  label: 'arXiv',
  matches(url) {
    return onSite('arxiv', url.hostname) && PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      if (/^\/search(?:\/|$)/.test(url.pathname)) return searchEntries(doc, url);
      return listingEntries(doc, url);
    } catch {
      return [];
    }
  },
};
