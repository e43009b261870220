/**
 * The one list of sites Shelfmark reads without asking: the manifest's host permissions
 * (wxt.config.ts) and the listing content script's `matches` both come from here, so the two
 * can never drift apart. Everything else is opt-in per site (lib/sites/permissions.ts).
 *
 * This module is imported at build time by wxt.config.ts and at run time by entrypoints, so it
 * must stay dependency-free.
 */

/**
 * Each site with a dedicated adapter: its domains, the hostnames its listings are served on
 * (granted by the manifest, in this order) and the subdomains its adapter also accepts where a
 * page is open on them ('any': every subdomain). Adapters and id parsing read the hosts from here.
 */
export const SITE_HOSTS = {
  huggingface: { domains: ['huggingface.co'], listing: ['huggingface.co'], subdomains: ['www'] },
  arxiv: { domains: ['arxiv.org'], listing: ['arxiv.org', 'export.arxiv.org'], subdomains: ['www', 'export'] },
  semanticscholar: { domains: ['semanticscholar.org'], listing: ['www.semanticscholar.org'], subdomains: ['www'] },
  openreview: { domains: ['openreview.net'], listing: ['openreview.net'], subdomains: 'any' },
  dblp: {
    domains: ['dblp.org', 'dblp.uni-trier.de', 'dblp.dagstuhl.de'],
    listing: ['dblp.org', 'dblp.uni-trier.de', 'dblp.dagstuhl.de'],
    subdomains: 'any',
  },
  aclAnthology: { domains: ['aclanthology.org'], listing: ['aclanthology.org'], subdomains: ['www'] },
  paperswithcode: { domains: ['paperswithcode.com'], listing: ['paperswithcode.com'], subdomains: ['www'] },
  neuripsIclr: {
    domains: ['proceedings.neurips.cc', 'papers.nips.cc', 'proceedings.iclr.cc'],
    listing: ['proceedings.neurips.cc', 'papers.nips.cc', 'proceedings.iclr.cc'],
    subdomains: [],
  },
  pmlr: { domains: ['proceedings.mlr.press'], listing: ['proceedings.mlr.press'], subdomains: [] },
  cvf: { domains: ['openaccess.thecvf.com'], listing: ['openaccess.thecvf.com'], subdomains: [] },
  ojs: { domains: ['ojs.aaai.org'], listing: ['ojs.aaai.org'], subdomains: [] },
  pubmed: { domains: ['pubmed.ncbi.nlm.nih.gov'], listing: ['pubmed.ncbi.nlm.nih.gov'], subdomains: [] },
} as const satisfies Record<string, { domains: readonly string[]; listing: readonly string[]; subdomains: readonly string[] | 'any' }>;

export type Site = keyof typeof SITE_HOSTS;

/** Whether `hostname` is one of `site`'s domains or a subdomain it accepts. */
export function onSite(site: Site, hostname: string): boolean {
  const h = hostname.toLowerCase();
  const { domains, subdomains } = SITE_HOSTS[site];
  return domains.some((d) =>
    h === d || (subdomains === 'any' ? h.endsWith('.' + d) : (subdomains as readonly string[]).some((sub) => h === `${sub}.${d}`)),
  );
}

/** Whether `hostname` is one of `site`'s domains or any subdomain of them (where its links point). */
export function onSiteDomain(site: Site, hostname: string): boolean {
  const h = hostname.toLowerCase();
  return SITE_HOSTS[site].domains.some((d) => h === d || h.endsWith('.' + d));
}

/** Listing sites with a dedicated adapter, as match patterns. */
export const LISTING_HOSTS: readonly string[] = Object.values(SITE_HOSTS).flatMap((s) => s.listing.map((h) => `https://${h}/*`));

/**
 * Every country domain Google serves (the suffix after "google."), from Google's published
 * list of supported domains. Google Scholar answers on `scholar.google.<suffix>` for each.
 * Match patterns have no TLD wildcard (`scholar.google.*` is invalid in Chrome), so the
 * manifest has to name each one.
 */
export const GOOGLE_DOMAIN_SUFFIXES = [
  'com', 'ad', 'ae', 'com.af', 'com.ag', 'al', 'am', 'co.ao', 'com.ar', 'as', 'at', 'com.au',
  'az', 'ba', 'com.bd', 'be', 'bf', 'bg', 'com.bh', 'bi', 'bj', 'com.bn', 'com.bo', 'com.br',
  'bs', 'bt', 'co.bw', 'by', 'com.bz', 'ca', 'cd', 'cf', 'cg', 'ch', 'ci', 'co.ck', 'cl', 'cm',
  'cn', 'com.co', 'co.cr', 'com.cu', 'cv', 'com.cy', 'cz', 'de', 'dj', 'dk', 'dm', 'com.do',
  'dz', 'com.ec', 'ee', 'com.eg', 'es', 'com.et', 'fi', 'com.fj', 'fm', 'fr', 'ga', 'ge', 'gg',
  'com.gh', 'com.gi', 'gl', 'gm', 'gr', 'com.gt', 'gy', 'com.hk', 'hn', 'hr', 'ht', 'hu',
  'co.id', 'ie', 'co.il', 'im', 'co.in', 'iq', 'is', 'it', 'je', 'com.jm', 'jo', 'co.jp',
  'co.ke', 'com.kh', 'ki', 'kg', 'co.kr', 'com.kw', 'kz', 'la', 'com.lb', 'li', 'lk', 'co.ls',
  'lt', 'lu', 'lv', 'com.ly', 'co.ma', 'md', 'me', 'mg', 'mk', 'ml', 'com.mm', 'mn', 'com.mt',
  'mu', 'mv', 'mw', 'com.mx', 'com.my', 'co.mz', 'com.na', 'com.ng', 'com.ni', 'ne', 'nl', 'no',
  'com.np', 'nr', 'nu', 'co.nz', 'com.om', 'com.pa', 'com.pe', 'com.pg', 'com.ph', 'com.pk',
  'pl', 'pn', 'com.pr', 'ps', 'pt', 'com.py', 'com.qa', 'ro', 'ru', 'rw', 'com.sa', 'com.sb',
  'sc', 'se', 'com.sg', 'sh', 'si', 'sk', 'com.sl', 'sn', 'so', 'sm', 'sr', 'st', 'com.sv',
  'td', 'tg', 'co.th', 'com.tj', 'tl', 'tm', 'tn', 'to', 'com.tr', 'tt', 'com.tw', 'co.tz',
  'com.ua', 'co.ug', 'co.uk', 'com.uy', 'co.uz', 'com.vc', 'co.ve', 'co.vi', 'com.vn', 'vu',
  'ws', 'rs', 'co.za', 'co.zm', 'co.zw', 'cat',
] as const;

/** Google Scholar hostnames, one per Google country domain. */
export const SCHOLAR_HOSTNAMES: readonly string[] = GOOGLE_DOMAIN_SUFFIXES.map(
  (suffix) => `scholar.google.${suffix}`,
);

/** Google Scholar as match patterns. */
export const SCHOLAR_HOSTS: readonly string[] = SCHOLAR_HOSTNAMES.map((host) => `https://${host}/*`);

/**
 * Every site Shelfmark runs on without asking: the host permissions and the listing content
 * script's `matches`. Nothing broader may ever be added here; other sites go through
 * optional permissions.
 */
export const SUPPORTED_MATCHES: readonly string[] = [...LISTING_HOSTS, ...SCHOLAR_HOSTS];

const SCHOLAR_HOSTNAME_SET = new Set(SCHOLAR_HOSTNAMES);

/** Whether `hostname` is one of Google Scholar's domains (for the Scholar adapter's `matches`). */
export function isScholarHostname(hostname: string): boolean {
  return SCHOLAR_HOSTNAME_SET.has(hostname.toLowerCase());
}
