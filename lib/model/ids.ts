import type { PaperIds } from './types';
import { SITE_HOSTS, onSiteDomain } from '../sites/hosts';

// New-style arXiv ids (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style ones
// (hep-th/9901001, math.GT/0309136). The version suffix is dropped: v1 and v3 are one paper.
const ARXIV_NEW = /(?:^|[^\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])/;
const ARXIV_OLD = /(?:^|[^a-z-])([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?!\d)/;
// DOIs: "10." + registrant + "/" + suffix; the suffix runs until whitespace, quotes or markup.
const DOI = /\b(10\.\d{4,9}\/[^\s"'<>]+)/i;

/** Normalizes an arXiv id: no "arXiv:" prefix, no version. Returns undefined when it is not one. */
export function normalizeArxivId(raw: string): string | undefined {
  const s = raw.trim().replace(/^arxiv:\s*/i, '');
  const m = ARXIV_NEW.exec(s) ?? ARXIV_OLD.exec(s);
  return m?.[1];
}

/** Normalizes a DOI: lower-case (DOIs are case-insensitive), no resolver prefix, no trailing punctuation. */
export function normalizeDoi(raw: string): string | undefined {
  let s = raw.trim();
  try {
    s = decodeURIComponent(s);
  } catch {
    // A malformed percent escape: keep the raw text.
  }
  s = s.replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '');
  const m = DOI.exec(s);
  if (!m?.[1]) return undefined;
  return m[1].replace(/[.,;:)\]]+$/, '').toLowerCase();
}

// OpenReview note ids: URL-safe characters, at least six of them.
const OPENREVIEW_ID = /^[A-Za-z0-9_-]{6,}$/;

/** An OpenReview id as given, or undefined when it does not have the shape of one. */
export function normalizeOpenReviewId(raw: string): string | undefined {
  return OPENREVIEW_ID.test(raw) ? raw : undefined;
}

// PMIDs: positive decimal numbers, up to 8 digits today (NLM assigns them sequentially).
const PMID = /^[1-9]\d{0,9}$/;

/** A PubMed id as digits, or undefined when it is not one. */
export function normalizePmid(raw: string): string | undefined {
  const s = raw.trim().replace(/^pmid:\s*/i, '');
  return PMID.test(s) ? s : undefined;
}

/** A paper row's id fields. */
export interface PaperIdFields {
  arxivId?: string;
  doi?: string;
  openreviewId?: string;
  pmid?: string;
}

/** The ids as the `papers` table stores them, each normalized; ids that fail normalization are dropped. */
export function paperIdFields(ids: PaperIds): PaperIdFields {
  const out: PaperIdFields = {};
  const a = ids.arxiv ? normalizeArxivId(ids.arxiv) : undefined;
  if (a) out.arxivId = a;
  const d = ids.doi ? normalizeDoi(ids.doi) : undefined;
  if (d) out.doi = d;
  const o = ids.openreview ? normalizeOpenReviewId(ids.openreview) : undefined;
  if (o) out.openreviewId = o;
  const m = ids.pmid ? normalizePmid(ids.pmid) : undefined;
  if (m) out.pmid = m;
  return out;
}

/** Fills `into`'s missing ids from `from` (the first value found for a kind wins); empty kinds are removed. */
export function mergeIds(into: PaperIds, from: PaperIds): void {
  into.arxiv ??= from.arxiv;
  into.doi ??= from.doi;
  into.openreview ??= from.openreview;
  into.pmid ??= from.pmid;
  if (!into.arxiv) delete into.arxiv;
  if (!into.doi) delete into.doi;
  if (!into.openreview) delete into.openreview;
  if (!into.pmid) delete into.pmid;
}

const PUBMED_HOST = /^pubmed\.ncbi\.nlm\.nih\.gov$/i;
const NCBI_HOST = /^(?:www\.)?ncbi\.nlm\.nih\.gov$/i;

/** An address on arxiv.org or one of its subdomains (the base a relative link resolves against). */
const ARXIV_PAGE = new RegExp(
  `^https?://(?:[a-z0-9-]+\\.)*(?:${SITE_HOSTS.arxiv.domains.map((d) => d.replaceAll('.', '\\.')).join('|')})(?::\\d+)?(?:[/?#]|$)`,
  'i',
);

/**
 * The ids a link points to. This is the one place adapters turn hrefs into ids:
 * arxiv.org/abs|pdf|html/<id>, huggingface.co/papers/<arxiv id>, doi.org/<doi>,
 * any URL path holding a DOI (publisher pages, ACL Anthology's doi links),
 * openreview.net/forum?id=… and /pdf?id=…, PubMed records (pubmed.ncbi.nlm.nih.gov/<pmid>/ and
 * the older www.ncbi.nlm.nih.gov/pubmed/<pmid>).
 */
export function idsFromUrl(href: string, base?: string): PaperIds {
  // Fast path for the commonest link there is, an arXiv listing row's relative abs link: the
  // same ids the URL parse below gives, without building a URL per row of a 2000-row page.
  if (href.startsWith('/abs/') && base !== undefined && ARXIV_PAGE.test(base)) {
    const m = /^\/abs\/([^?#]+?)\/?$/.exec(href);
    const id = m?.[1] ? normalizeArxivId(m[1]) : undefined;
    if (id) return { arxiv: id };
  }
  const ids: PaperIds = {};
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return ids;
  }
  const host = url.hostname;
  const path = url.pathname;
  if (onSiteDomain('arxiv', host)) {
    const m = /^\/(?:abs|pdf|html|format)\/(.+?)(?:\.pdf)?\/?$/.exec(path);
    if (m?.[1]) {
      const id = normalizeArxivId(m[1]);
      if (id) ids.arxiv = id;
    }
  } else if (onSiteDomain('huggingface', host)) {
    const m = /^\/papers\/(\d{4}\.\d{4,5})(?:v\d+)?\/?$/.exec(path);
    if (m?.[1]) ids.arxiv = m[1];
  } else if (onSiteDomain('openreview', host)) {
    const id = url.searchParams.get('id');
    if (id && /^\/(?:forum|pdf|attachment)\/?$/.test(path) && OPENREVIEW_ID.test(id)) {
      ids.openreview = id;
    }
  } else if (PUBMED_HOST.test(host) || NCBI_HOST.test(host)) {
    const m = (PUBMED_HOST.test(host) ? /^\/(\d+)\/?$/ : /^\/pubmed\/(\d+)\/?$/).exec(path);
    const pmid = m?.[1] ? normalizePmid(m[1]) : undefined;
    if (pmid) ids.pmid = pmid;
  }
  if (/(^|\.)doi\.org$/i.test(host)) {
    const doi = normalizeDoi(path.slice(1));
    if (doi) ids.doi = doi;
    // arXiv's own DOIs (10.48550/arXiv.<id>, DataCite) name the arXiv paper: DBLP links CoRR
    // entries only through them.
    const arxiv = doi && /^10\.48550\/arxiv\.(.+)$/.exec(doi)?.[1];
    if (arxiv && !ids.arxiv) {
      const id = normalizeArxivId(arxiv);
      if (id) ids.arxiv = id;
    }
  } else if (!ids.arxiv && /\/10\.\d{4,9}\//.test(path)) {
    const doi = normalizeDoi(path.slice(path.indexOf('/10.') + 1));
    if (doi) ids.doi = doi;
  }
  return ids;
}

/** Merges the ids of several links of one entry; the first value found for a kind wins. */
export function idsFromLinks(hrefs: Iterable<string>, base?: string): PaperIds {
  const out: PaperIds = {};
  for (const href of hrefs) mergeIds(out, idsFromUrl(href, base));
  return out;
}

/** The ids of every `<a href>` inside `root`. */
export function idsFromElement(root: Element, base?: string): PaperIds {
  const hrefs: string[] = [];
  root.querySelectorAll('a[href]').forEach((a) => {
    const h = a.getAttribute('href');
    if (h) hrefs.push(h);
  });
  return idsFromLinks(hrefs, base);
}
