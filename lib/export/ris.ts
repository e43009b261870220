import { paperUrl, pubmedUrl } from './links';
import { splitName } from './names';
import { entryType } from './bibtex';
import type { ExportItem } from './types';

/**
 * RIS export for Zotero, Mendeley, EndNote. RIS is line-based: every value is put on one line
 * (newlines and control characters become spaces).
 */

function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

export function risAuthor(name: string): string {
  const n = splitName(name);
  return [n.family, n.suffix, n.given].filter(Boolean).length === 1
    ? n.family
    : n.suffix
      ? `${n.family}, ${n.given ?? ''}, ${n.suffix}`
      : `${n.family}, ${n.given ?? ''}`;
}

export function risRecord(item: ExportItem): string {
  const p = item.paper;
  const out: string[] = [];
  const tag = (t: string, v: string | undefined) => {
    const c = v === undefined ? '' : clean(v);
    if (c) out.push(`${t}  - ${c}`);
  };
  const { type } = entryType(p);
  out.push(`TY  - ${type === 'article' ? 'JOUR' : type === 'inproceedings' ? 'CPAPER' : p.arxivId ? 'UNPB' : 'GEN'}`);
  tag('TI', p.title);
  for (const a of p.authors ?? []) tag('AU', risAuthor(a));
  if (p.year && Number.isInteger(p.year)) tag('PY', String(p.year));
  if (type === 'article') tag('JO', p.venue);
  else if (type === 'inproceedings') tag('T2', p.venue);
  tag('AB', p.abstract);
  tag('DO', p.doi);
  if (p.arxivId) tag('AN', `arXiv:${p.arxivId}`);
  else if (p.pmid) {
    // RIS has no PMID tag: PubMed records carry it as the accession number of database PubMed.
    tag('AN', p.pmid);
    tag('DB', 'PubMed');
  }
  tag('UR', paperUrl(p));
  if (p.arxivId && paperUrl(p) !== `https://arxiv.org/abs/${p.arxivId}`) tag('UR', `https://arxiv.org/abs/${p.arxivId}`);
  if (p.openreviewId) {
    const or = `https://openreview.net/forum?id=${encodeURIComponent(p.openreviewId)}`;
    if (paperUrl(p) !== or) tag('UR', or);
  }
  // The record's PubMed link also carries the PMID where AN holds the arXiv id.
  if (p.pmid && paperUrl(p) !== pubmedUrl(p.pmid)) tag('UR', pubmedUrl(p.pmid));
  for (const t of item.tags) tag('KW', t);
  tag('N1', item.note);
  out.push('ER  - ');
  return out.join('\r\n');
}

export function toRis(items: ExportItem[]): string {
  return items.map((i) => risRecord(i) + '\r\n').join('\r\n');
}
