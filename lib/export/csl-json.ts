import { bibtexKeys, entryType } from './bibtex';
import { paperUrl } from './links';
import { splitName } from './names';
import type { ExportItem } from './types';

/** CSL-JSON (the citeproc input format; Zotero and Mendeley import it). */

export interface CslName {
  family?: string;
  given?: string;
  suffix?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type: string;
  title: string;
  author?: CslName[];
  issued?: { 'date-parts': [[number]] };
  'container-title'?: string;
  abstract?: string;
  DOI?: string;
  /** A standard CSL variable (csl-data.json), as is PMCID. */
  PMID?: string;
  URL?: string;
  number?: string;
  publisher?: string;
  keyword?: string;
  note?: string;
}

export function cslName(raw: string): CslName {
  const n = splitName(raw);
  // One word, or an organization ("Procter and Gamble Lab"): no family/given split makes sense.
  if (!n.given || /\sand\s/i.test(raw)) return { literal: raw.trim() };
  return { family: n.family, given: n.given, ...(n.suffix ? { suffix: n.suffix } : {}) };
}

export function toCslItems(items: ExportItem[]): CslItem[] {
  const keys = bibtexKeys(items.map((i) => i.paper));
  return items.map(({ paper: p, tags, note }) => {
    const { type } = entryType(p);
    const item: CslItem = {
      id: keys.get(p.id)!,
      type: type === 'article' ? 'article-journal' : type === 'inproceedings' ? 'paper-conference' : 'article',
      title: p.title,
    };
    const authors = (p.authors ?? []).filter((a) => a.trim());
    if (authors.length) item.author = authors.map(cslName);
    if (p.year && Number.isInteger(p.year)) item.issued = { 'date-parts': [[p.year]] };
    if (p.venue && type !== 'misc') item['container-title'] = p.venue;
    if (p.abstract) item.abstract = p.abstract;
    if (p.doi) item.DOI = p.doi;
    if (p.pmid) item.PMID = p.pmid;
    const url = paperUrl(p);
    if (url) item.URL = url;
    if (p.arxivId) {
      // Zotero's mapping of an arXiv preprint: publisher arXiv, number = the arXiv id.
      item.number = `arXiv:${p.arxivId}`;
      item.publisher = 'arXiv';
    }
    if (tags.length) item.keyword = tags.join(', ');
    if (note) item.note = note;
    return item;
  });
}

export function toCslJson(items: ExportItem[]): string {
  return JSON.stringify(toCslItems(items), null, 2) + '\n';
}
