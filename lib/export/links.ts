import type { Paper } from '../model/types';

/** The best link to a paper: its own URL, else arXiv, DOI, OpenReview, PubMed. */
export function paperUrl(p: Paper): string | undefined {
  if (p.url && /^https?:\/\//i.test(p.url)) return p.url;
  if (p.arxivId) return `https://arxiv.org/abs/${p.arxivId}`;
  if (p.doi) return `https://doi.org/${p.doi}`;
  if (p.openreviewId) return `https://openreview.net/forum?id=${encodeURIComponent(p.openreviewId)}`;
  if (p.pmid) return pubmedUrl(p.pmid);
  return undefined;
}

/** A PubMed record's address. */
export function pubmedUrl(pmid: string): string {
  return `https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(pmid)}/`;
}

/** The primary class carried by an old-style arXiv id (hep-th/9901001 → hep-th); new-style ids carry none. */
export function arxivClassFromId(id: string): string | undefined {
  const m = /^([a-z-]+(?:\.[A-Z]{2})?)\/\d{7}$/.exec(id);
  return m?.[1];
}
