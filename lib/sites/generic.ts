import { idsFromLinks, idsFromUrl, mergeIds, normalizeArxivId, normalizeDoi } from '../model/ids';
import { titleKey } from '../model/normalize';
import type { PaperIds } from '../model/types';
import { absoluteUrl, collapse, textOf, uniqueNames } from './dom-text';
import type { FoundEntry, SiteAdapter } from './types';

/**
 * The fallback for pages no dedicated adapter knows. It only runs where the user enabled it for
 * that site (optional host permission); the registry skips it unless asked for fallbacks.
 *
 * It reads, in this order of trust:
 *   1. citation_* meta tags (Highwire/Google Scholar): the page's own paper, one entry;
 *   2. schema.org ScholarlyArticle, as JSON-LD (the page's paper) and as microdata (any number:
 *      the page's paper, reference lists, listings);
 *   3. COinS spans (class Z3988, OpenURL in the title attribute): one entry each;
 *   4. runs of links to arXiv or DOI (three or more sibling rows each holding one) whose link
 *      text, or an emphasized part of the row, reads as a title.
 * One paper described several ways in one place (meta tags plus the page's own microdata or
 * COinS, a COinS span inside a microdata row) is one entry; the same paper listed in two rows
 * is two entries, one badge each.
 */

type Source = 'meta' | 'jsonld' | 'microdata' | 'coins' | 'links';

interface Candidate {
  source: Source;
  title: string;
  authors: string[];
  ids: PaperIds;
  url?: string;
  abstract?: string;
  /** Where the badge goes; undefined for page-level data (meta tags, JSON-LD) until placed. */
  root?: Element;
  titleEl?: Element;
}

// ---------------------------------------------------------------------------------------------
// 1. citation_* meta tags

function metaValues(doc: Document, name: string): string[] {
  const out: string[] = [];
  doc.querySelectorAll('meta[name][content]').forEach((m) => {
    if ((m.getAttribute('name') ?? '').toLowerCase() === name) {
      const v = collapse(m.getAttribute('content') ?? '');
      if (v) out.push(v);
    }
  });
  return out;
}

function fromMeta(doc: Document, url: URL): Candidate | undefined {
  const title = metaValues(doc, 'citation_title')[0];
  if (!title) return undefined;
  const ids: PaperIds = {};
  const doi = metaValues(doc, 'citation_doi')[0];
  if (doi) {
    const d = normalizeDoi(doi);
    if (d) ids.doi = d;
  }
  const arxiv = metaValues(doc, 'citation_arxiv_id')[0];
  if (arxiv) {
    const a = normalizeArxivId(arxiv);
    if (a) ids.arxiv = a;
  }
  const pageLinks = [
    ...metaValues(doc, 'citation_abstract_html_url'),
    ...metaValues(doc, 'citation_fulltext_html_url'),
    ...metaValues(doc, 'citation_pdf_url'),
  ];
  mergeIds(ids, idsFromLinks(pageLinks, url.href));
  const cand: Candidate = {
    source: 'meta',
    title,
    authors: uniqueNames(metaValues(doc, 'citation_author')),
    ids,
  };
  const pageUrl = absoluteUrl(
    metaValues(doc, 'citation_abstract_html_url')[0] ??
      metaValues(doc, 'citation_fulltext_html_url')[0] ??
      doc.querySelector('link[rel="canonical"]')?.getAttribute('href'),
    url.href,
  );
  cand.url = pageUrl ?? url.href;
  const abstract = metaValues(doc, 'citation_abstract')[0];
  if (abstract) cand.abstract = abstract;
  return cand;
}

// ---------------------------------------------------------------------------------------------
// 2a. schema.org JSON-LD

function isScholarly(type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  // ScholarlyArticle and its subtype MedicalScholarlyArticle, bare or as a full IRI.
  return types.some((t) => typeof t === 'string' && t.endsWith('ScholarlyArticle'));
}

function jsonText(v: unknown): string {
  if (typeof v === 'string') return collapse(v);
  if (Array.isArray(v)) return jsonText(v[0]);
  return '';
}

function jsonAuthors(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return uniqueNames(
    list.map((a) => {
      if (typeof a === 'string') return a;
      if (a && typeof a === 'object') {
        const o = a as Record<string, unknown>;
        return jsonText(o.name) || [jsonText(o.givenName), jsonText(o.familyName)].join(' ');
      }
      return '';
    }),
  );
}

function jsonLinks(o: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['@id', 'url', 'sameAs', 'identifier']) {
    const v = o[key];
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') out.push(item);
      else if (item && typeof item === 'object') {
        const val = (item as Record<string, unknown>).value;
        if (typeof val === 'string') out.push(val);
      }
    }
  }
  return out;
}

function fromJsonLd(doc: Document, url: URL): Candidate[] {
  const out: Candidate[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 8 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (isScholarly(o['@type'])) {
      const title = jsonText(o.headline) || jsonText(o.name);
      if (title) {
        const links = jsonLinks(o);
        const ids = idsFromLinks(links, url.href);
        // A bare DOI as identifier ("10.1000/xyz", "doi:10.1000/xyz").
        for (const l of links) {
          if (!ids.doi && /^(?:doi:\s*)?10\.\d{4,9}\//i.test(l)) {
            const d = normalizeDoi(l);
            if (d) ids.doi = d;
          }
        }
        const cand: Candidate = { source: 'jsonld', title, authors: jsonAuthors(o.author), ids };
        const u = absoluteUrl(jsonText(o.url), url.href);
        if (u) cand.url = u;
        const abstract = jsonText(o.abstract) || jsonText(o.description);
        if (abstract) cand.abstract = abstract;
        out.push(cand);
      }
    }
    for (const [k, v] of Object.entries(o)) {
      if (k !== '@context') visit(v, depth + 1);
    }
  };
  doc.querySelectorAll('script[type="application/ld+json"]').forEach((s) => {
    try {
      visit(JSON.parse(s.textContent ?? ''), 0);
    } catch {
      // Malformed JSON-LD is common; it is simply not data.
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2b. schema.org microdata

const ITEM_SELECTOR = [
  // Microdata items typed ScholarlyArticle or MedicalScholarlyArticle (http and https vocabularies).
  '[itemscope][itemtype*="schema.org/ScholarlyArticle"]',
  '[itemscope][itemtype*="schema.org/MedicalScholarlyArticle"]',
].join(',');

function hasProp(el: Element, name: string): boolean {
  return (el.getAttribute('itemprop') ?? '').split(/\s+/).includes(name);
}

/** The item's own properties named `name`: nested items' properties belong to those items. */
function ownProps(item: Element, name: string): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    for (const child of Array.from(el.children)) {
      if (hasProp(child, name)) out.push(child);
      if (!child.hasAttribute('itemscope')) walk(child);
    }
  };
  walk(item);
  return out;
}

function personName(el: Element): string {
  if (!el.hasAttribute('itemscope')) return textOf(el);
  const name = ownProps(el, 'name')[0];
  if (name) return textOf(name);
  const given = ownProps(el, 'givenName')[0];
  const family = ownProps(el, 'familyName')[0];
  if (given || family) return collapse(`${textOf(given)} ${textOf(family)}`);
  return textOf(el);
}

function propUrl(el: Element): string | null {
  return el.getAttribute('href') ?? el.getAttribute('content') ?? el.getAttribute('src');
}

function fromMicrodata(doc: Document, url: URL): Candidate[] {
  const out: Candidate[] = [];
  doc.querySelectorAll(ITEM_SELECTOR).forEach((item) => {
    const titleEl = ownProps(item, 'headline')[0] ?? ownProps(item, 'name')[0];
    const title = textOf(titleEl);
    if (!titleEl || !title) return;
    const links = [
      ...ownProps(item, 'url'),
      ...ownProps(item, 'sameAs'),
      ...ownProps(item, 'identifier'),
    ]
      .map(propUrl)
      .filter((h): h is string => !!h);
    // Links inside the title (a linked reference title) count too.
    titleEl.querySelectorAll('a[href]').forEach((a) => links.push(a.getAttribute('href') ?? ''));
    if (titleEl.matches('a[href]')) links.push(titleEl.getAttribute('href') ?? '');
    const cand: Candidate = {
      source: 'microdata',
      title,
      authors: uniqueNames(ownProps(item, 'author').map(personName)),
      ids: idsFromLinks(links, url.href),
      root: item,
      titleEl,
    };
    const first = links.map((l) => absoluteUrl(l, url.href)).find((l) => l);
    if (first) cand.url = first;
    const abstract = textOf(ownProps(item, 'abstract')[0] ?? ownProps(item, 'description')[0]);
    if (abstract) cand.abstract = abstract;
    out.push(cand);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// 3. COinS

function fromCoins(doc: Document, url: URL): Candidate[] {
  const out: Candidate[] = [];
  doc.querySelectorAll('span.Z3988[title]').forEach((span) => {
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(span.getAttribute('title') ?? '');
    } catch {
      return;
    }
    const title = collapse(
      params.get('rft.atitle') ?? params.get('rft.btitle') ?? params.get('rft.title') ?? '',
    );
    if (!title) return;
    const authors = params.getAll('rft.au');
    const last = params.get('rft.aulast');
    if (!authors.length && last) authors.push(`${params.get('rft.aufirst') ?? ''} ${last}`);
    const ids: PaperIds = {};
    const links: string[] = [];
    for (const raw of params.getAll('rft_id')) {
      const id = raw.trim();
      const info = /^info:(doi|arxiv)\/(.+)$/i.exec(id);
      if (info?.[1]?.toLowerCase() === 'doi') {
        const d = normalizeDoi(info[2] ?? '');
        if (d) ids.doi ??= d;
      } else if (info?.[1]?.toLowerCase() === 'arxiv') {
        const a = normalizeArxivId(info[2] ?? '');
        if (a) ids.arxiv ??= a;
      } else if (/^https?:/i.test(id)) {
        links.push(id);
      }
    }
    mergeIds(ids, idsFromLinks(links, url.href));
    const root = span.parentElement ?? span;
    const cand: Candidate = { source: 'coins', title, authors: uniqueNames(authors), ids, root, titleEl: span };
    if (links[0]) cand.url = links[0];
    out.push(cand);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// 4. Runs of links to arXiv / DOI

const ROW_SELECTOR = 'li, tr, dd, dt, p, div';
const EMPHASIS = 'strong, b, em, i, cite, .title, [class*="title"]';
const MIN_RUN = 3;

/** Whether `s` reads like a paper title rather than a citation fragment, an id or a URL. */
function looksLikeTitle(s: string): boolean {
  if (s.length < 15 || s.length > 400) return false;
  if (s.split(' ').length < 3) return false;
  if (/^(?:https?:|www\.|doi\b|arxiv\b|10\.\d{4,9}\/)/i.test(s)) return false;
  // Journal/volume/page/year fragments: "Phys. Rep. 417, 1 (2005)".
  if (/\(\d{4}\)|\b\d+\s*,\s*\d+\b/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits / s.length < 0.3;
}

function fromLinkRuns(doc: Document, url: URL, covered: Element[]): Candidate[] {
  const rows = new Map<Element, Element[]>();
  const isCovered = (el: Element): boolean => covered.some((c) => c === el || c.contains(el));
  doc.querySelectorAll('a[href]').forEach((a) => {
    const ids = idsFromUrl(a.getAttribute('href') ?? '', url.href);
    if (!ids.arxiv && !ids.doi) return;
    const row = a.closest(ROW_SELECTOR);
    if (!row?.parentElement || isCovered(row)) return;
    const links = rows.get(row);
    if (links) links.push(a);
    else rows.set(row, [a]);
  });
  const byParent = new Map<Element, Element[]>();
  for (const row of rows.keys()) {
    const p = row.parentElement!;
    const list = byParent.get(p);
    if (list) list.push(row);
    else byParent.set(p, [row]);
  }
  const out: Candidate[] = [];
  const idKey = (row: Element): string => {
    const ids = idsFromLinks((rows.get(row) ?? []).map((a) => a.getAttribute('href') ?? ''), url.href);
    return `${ids.arxiv ?? ''}|${ids.doi ?? ''}`;
  };
  for (const group of byParent.values()) {
    // A run lists different papers: navigation menus repeat the page's own DOI in every link
    // ("Citing articles", section anchors), which is not a list.
    const distinct = new Set(group.map(idKey));
    if (group.length < MIN_RUN || distinct.size < MIN_RUN) continue;
    const seenIds = new Set<string>();
    for (const row of group) {
      const k = idKey(row);
      if (seenIds.has(k)) continue;
      seenIds.add(k);
      const links = rows.get(row) ?? [];
      const titled =
        links.find((a) => looksLikeTitle(textOf(a))) ??
        Array.from(row.querySelectorAll(EMPHASIS)).find((el) => looksLikeTitle(textOf(el)));
      if (!titled) continue;
      const hrefs = links.map((a) => a.getAttribute('href') ?? '');
      const cand: Candidate = {
        source: 'links',
        title: textOf(titled),
        authors: [],
        ids: idsFromLinks(hrefs, url.href),
        root: row,
        titleEl: titled,
      };
      const u = absoluteUrl(hrefs[0], url.href);
      if (u) cand.url = u;
      out.push(cand);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merging and placing

/** Fills `into`'s missing fields from `from` (the first source to give a field keeps it). */
function absorb(into: Candidate, from: Candidate): void {
  mergeIds(into.ids, from.ids);
  if (!into.authors.length) into.authors = [...from.authors];
  into.url ??= from.url;
  into.abstract ??= from.abstract;
  if (!into.root && from.root) {
    into.root = from.root;
    into.titleEl = from.titleEl;
  }
}

/** A visible heading showing `title`, for page-level data that has no element of its own. */
function headingFor(doc: Document, title: string, exactOnly = false): Element | undefined {
  const key = titleKey(title);
  const headings = Array.from(doc.querySelectorAll('h1, h2, h3, [itemprop~="headline"], .title'));
  const exact = headings.find((h) => titleKey(textOf(h)) === key) ?? textShowing(doc, title, key);
  if (exact || exactOnly) return exact;
  // A page whose only <h1> is the paper's title shown differently (case, subtitle).
  const h1s = Array.from(doc.querySelectorAll('h1')).filter((h) => textOf(h) !== '');
  return h1s.length === 1 ? h1s[0] : undefined;
}

const NOT_SHOWN = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'HEAD']);

/** The element of a text node spelling out the title, for pages that show it outside headings. */
function textShowing(doc: Document, title: string, key: string): Element | undefined {
  if (!doc.body || !key) return undefined;
  const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const data = n.nodeValue ?? '';
    // Cheap length check first: only text about as long as the title can spell it.
    if (data.length < title.length * 0.8 || data.length > title.length * 2 + 40) continue;
    const parent = n.parentElement;
    if (!parent || NOT_SHOWN.has(parent.tagName)) continue;
    if (titleKey(data) === key) return parent;
  }
  return undefined;
}

function byDocumentOrder(a: FoundEntry, b: FoundEntry): number {
  if (a.titleEl === b.titleEl) return 0;
  // DOCUMENT_POSITION_FOLLOWING (4): b comes after a.
  return a.titleEl.compareDocumentPosition(b.titleEl) & 4 ? -1 : 1;
}

export const generic: SiteAdapter = {
  id: 'generic',
  label: 'Other pages (citation metadata, COinS, schema.org, arXiv/DOI links)',
  fallback: true,
  matches(url) {
    return url.protocol === 'http:' || url.protocol === 'https:';
  },
  findEntries(doc, url) {
    try {
      const pageLevel = [fromMeta(doc, url), ...fromJsonLd(doc, url)].filter(
        (c): c is Candidate => !!c,
      );
      const placedRaw = [...fromMicrodata(doc, url), ...fromCoins(doc, url)];
      const covered = placedRaw.map((c) => c.root!).filter((r) => r !== doc.body);
      const all = [...pageLevel, ...placedRaw, ...fromLinkRuns(doc, url, covered)];
      for (const c of all) {
        // Reference lists and COinS often end the title with the sentence's period.
        if (c.title.endsWith('.') && !c.title.endsWith('..')) c.title = c.title.slice(0, -1).trimEnd();
      }
      const keyOf = (c: Candidate): string => titleKey(c.title) || c.title;

      // Rows on the page: the same paper listed twice is two rows (two badges), but one row
      // described twice (microdata plus a COinS span inside it) is one.
      const placed: Candidate[] = [];
      for (const c of all.filter((x) => x.root)) {
        const same = placed.find(
          (e) => keyOf(e) === keyOf(c) && (e.root!.contains(c.root!) || c.root!.contains(e.root!)),
        );
        if (same) absorb(same, c);
        else placed.push({ ...c, ids: { ...c.ids }, authors: [...c.authors] });
      }
      // Page-level data (meta tags, JSON-LD) describes the page's own paper: it joins the row
      // showing that paper, or another page-level record of it, or stands alone at its heading.
      const alone: Candidate[] = [];
      for (const c of pageLevel) {
        const row = placed.find((e) => keyOf(e) === keyOf(c));
        if (row) {
          const rowData = { ...row, ids: { ...row.ids }, authors: [...row.authors] };
          Object.assign(row, { ...c, ids: { ...c.ids }, authors: [...c.authors], root: row.root, titleEl: row.titleEl });
          absorb(row, rowData);
          // A COinS span is an invisible anchor; the page's visible title heading is better.
          const heading = rowData.source === 'coins' ? headingFor(doc, c.title, true) : undefined;
          if (heading) {
            row.root = heading;
            row.titleEl = heading;
          }
          continue;
        }
        const other = alone.find((e) => keyOf(e) === keyOf(c));
        if (other) absorb(other, c);
        else alone.push({ ...c, ids: { ...c.ids }, authors: [...c.authors] });
      }
      const merged = [...alone, ...placed];

      const out: FoundEntry[] = [];
      const usedTitleEls = new Set<Element>();
      for (const c of merged) {
        let root = c.root;
        let titleEl = c.titleEl;
        if (!root || !titleEl) {
          const h = headingFor(doc, c.title);
          if (!h) continue;
          root = h;
          titleEl = h;
        }
        if (usedTitleEls.has(titleEl)) continue;
        usedTitleEls.add(titleEl);
        const entry: FoundEntry = { title: c.title, ids: c.ids, root, titleEl };
        if (c.authors.length) entry.authors = c.authors;
        if (c.url) entry.url = c.url;
        if (c.abstract) entry.abstract = c.abstract;
        out.push(entry);
      }
      return out.toSorted(byDocumentOrder);
    } catch {
      return [];
    }
  },
};
