import { idsFromLinks } from '../model/ids';
import { isScholarHostname } from './hosts';
import type { FoundEntry, SiteAdapter } from './types';
import { clean, textSkipping } from './dom-text';

// Google Scholar: result lists (/scholar?q=…, cites=…, cluster=…) and author profiles (/citations?user=…),
// on every Scholar domain (scholar.google.com, .de, .co.uk, .com.au, .co.jp, .cat, …).

const PATHS = /^\/(?:scholar|citations)\/?$/;

// The kind badges Scholar prints in front of some titles. [PDF]/[HTML] live in the side link,
// [BOOK]/[CITATION]/[B]/[C] inside the h3; none of them is part of the title.
const BADGE_ELEMENTS = '.gs_ctc, .gs_ctu, .gs_ctg, .gs_ctg2';
const BADGE_TEXT = /^(?:\s*\[(?:PDF|HTML|DOC|PS|CITATION|BOOK|B|C)\]\s*)+/i;

/** Title text of Scholar's h3 without badge spans or badge prefixes. */
function titleText(h3: Element): string {
  return clean(textSkipping(h3, BADGE_ELEMENTS)).replace(BADGE_TEXT, '').trim();
}

/** "A Vaswani, N Shazeer… - Advances in neural …, 2017 - neurips.cc" → the names before the first " - ". */
function authorsFromByline(byline: string): string[] | undefined {
  const head = clean(byline).split(/\s[-–]\s/)[0] ?? '';
  const names = head
    .split(',')
    .map((s) => s.replace(/[…]|\.\.\.$/g, '').trim())
    .filter((s) => s.length > 0 && s !== '...');
  return names.length > 0 ? names : undefined;
}

function hrefOf(a: Element | null, base: string): string | undefined {
  if (!a) return undefined;
  // Older profile markup puts the real link in data-href and "javascript:void(0)" in href.
  for (const attr of ['href', 'data-href']) {
    const v = a.getAttribute(attr);
    if (v && !/^\s*javascript:/i.test(v)) {
      try {
        return new URL(v, base).href;
      } catch {
        // Unparsable link: try the next attribute.
      }
    }
  }
  return undefined;
}

/** A CAPTCHA / "unusual traffic" interstitial: there is nothing to mark and nothing to report. */
function isBlocked(doc: Document): boolean {
  if (doc.querySelector('#gs_captcha_ccl, #gs_captcha_f, form#captcha-form, #recaptcha, .g-recaptcha')) return true;
  const body = clean(doc.body?.textContent).slice(0, 4000);
  return /unusual traffic|not a robot|ungewöhnlichen datenverkehr|trafic inhabituel/i.test(body);
}

// One search result. Alternatives, newest first.
const RESULT_ROWS = [
  '.gs_r.gs_or', // 2017+ results: <div class="gs_r gs_or gs_scl" data-cid=…>
  '.gs_r:has(> .gs_ri)', // 2012–2017 results: <div class="gs_r"><div class="gs_ri">…
  '.gs_ri', // anything else that still wraps a result body in gs_ri
];

// The parts of a result, alternatives each.
const RESULT_TITLE = [
  'h3.gs_rt', // every results layout since 2012: <h3 class="gs_rt"><a href=…>Title</a></h3>
  '.gs_rt', // the same class on another element
];
const RESULT_SIDE_LINKS = [
  '.gs_ggs a[href]', // the [PDF]/[HTML] side column (2012+)
  '.gs_or_ggsm a[href]', // its 2017+ inner wrapper, should the column class change
];

function firstOf(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const sel of selectors) {
    const el = root.querySelector(sel);
    if (el) return el;
  }
  return null;
}

function resultEntries(doc: Document, url: URL): FoundEntry[] {
  let rows: Element[] = [];
  for (const sel of RESULT_ROWS) {
    try {
      rows = Array.from(doc.querySelectorAll(sel));
    } catch {
      rows = []; // :has() is missing in older engines
    }
    if (rows.length > 0) break;
  }
  const out: FoundEntry[] = [];
  for (const row of rows) {
    const titleEl = firstOf(row, RESULT_TITLE);
    if (!titleEl) continue;
    const title = titleText(titleEl);
    if (!title) continue;
    const titleLink = hrefOf(titleEl.querySelector('a[href]'), url.href);
    // The side link ([PDF] arxiv.org, …) often is the arXiv copy; "Cited by"/"Related" links are not the paper.
    const side = Array.from(row.querySelectorAll(RESULT_SIDE_LINKS.join(', ')))
      .map((a) => hrefOf(a, url.href))
      .filter((h): h is string => !!h);
    const ids = idsFromLinks([...(titleLink ? [titleLink] : []), ...side]);
    const entry: FoundEntry = { title, ids, root: row, titleEl };
    const byline = row.querySelector('.gs_a');
    const authors = byline ? authorsFromByline(byline.textContent ?? '') : undefined;
    if (authors) entry.authors = authors;
    if (titleLink) entry.url = titleLink;
    const snippet = clean(row.querySelector('.gs_rs')?.textContent);
    if (snippet) entry.abstract = snippet;
    out.push(entry);
  }
  return out;
}

// One row of a profile's article table: <tr class="gsc_a_tr"> since the 2012 profile pages.
const PROFILE_ROWS = [
  'tr.gsc_a_tr', // profile table rows (2012–today)
  '.gsc_a_tr', // the same rows when rendered outside a table
];

const PROFILE_TITLE = [
  'a.gsc_a_at', // the title link (2012–today; its href was "javascript:void(0)" plus data-href until ~2020)
  '.gsc_a_at', // the same class on a non-link element
];

function profileEntries(doc: Document, url: URL): FoundEntry[] {
  let rows: Element[] = [];
  for (const sel of PROFILE_ROWS) {
    rows = Array.from(doc.querySelectorAll(sel));
    if (rows.length > 0) break;
  }
  const out: FoundEntry[] = [];
  for (const row of rows) {
    const titleEl = firstOf(row, PROFILE_TITLE);
    if (!titleEl) continue;
    const title = titleText(titleEl);
    if (!title) continue;
    const link = hrefOf(titleEl, url.href);
    const entry: FoundEntry = { title, ids: idsFromLinks(link ? [link] : []), root: row, titleEl };
    // The first grey line lists the authors, the second the venue.
    const authors = authorsFromByline(row.querySelector('.gs_gray')?.textContent ?? '');
    if (authors) entry.authors = authors;
    if (link) entry.url = link;
    out.push(entry);
  }
  return out;
}

export const scholar: SiteAdapter = {
  id: 'scholar',
  label: 'Google Scholar',
  matches(url) {
    // Every Google country domain, from the one list the manifest is built from (lib/sites/hosts.ts):
    // a look-alike such as scholar.google.com.xyz is not Scholar.
    return isScholarHostname(url.hostname) && PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      if (isBlocked(doc)) return [];
      if (url.pathname.startsWith('/citations')) return profileEntries(doc, url);
      return resultEntries(doc, url);
    } catch {
      return [];
    }
  },
};
