import type { Paper } from '../model/types';
import { arxivClassFromId, paperUrl } from './links';
import { asciiSlug } from './names';
import type { ExportItem } from './types';

/**
 * BibTeX export for Overleaf and friends.
 *
 * Keys are firstauthor + year + first significant title word ("vaswani2017attention"), and
 * disambiguated with a/b/c. Colliding papers get their suffixes in paper-id order, so a paper's
 * key does not depend on the order in which the selection was listed.
 */

// Words skipped when picking the title word of a key: a key "smith2024a" says nothing.
const STOP = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'from', 'towards', 'toward', 'is', 'are', 'do', 'does', 'via', 'at', 'by']);

export function baseKey(p: Paper): string {
  const first = p.authors?.find((a) => a.trim());
  let author = '';
  if (first) {
    const trimmed = first.trim();
    // "Family, Given" or "Given Family": the family name is the last word of the display form.
    const family = trimmed.includes(',') ? trimmed.split(',')[0]! : trimmed.split(/\s+/).pop()!;
    author = asciiSlug(family);
  }
  const year = p.year && Number.isInteger(p.year) && p.year > 0 ? String(p.year) : '';
  const words = p.title.split(/[^\p{L}\p{N}]+/u).map(asciiSlug).filter(Boolean);
  const word = words.find((w) => !STOP.has(w)) ?? words[0] ?? '';
  const key = `${author || 'anon'}${year}${word}`;
  return key.slice(0, 60);
}

function suffix(n: number): string {
  // 0 → a, 25 → z, 26 → aa …
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/** Unique keys for the papers, by paper id. */
export function bibtexKeys(papers: Paper[]): Map<string, string> {
  const groups = new Map<string, Paper[]>();
  for (const p of papers) {
    const k = baseKey(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  const taken = new Set(groups.keys());
  const out = new Map<string, string>();
  for (const [k, g] of groups) {
    if (g.length === 1) {
      out.set(g[0]!.id, k);
      continue;
    }
    const sorted = g.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let n = 0;
    for (const p of sorted) {
      // A suffixed key can collide with another paper's base key ("smith2024a" + "b"…): skip those.
      let key: string;
      do key = k + suffix(n++);
      while (taken.has(key));
      taken.add(key);
      out.set(p.id, key);
    }
  }
  return out;
}

const LATEX: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  $: '\\$',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  // In LaTeX's default OT1 text font "<" and ">" print as ¡ and ¿.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
};

/**
 * Escapes text for a brace-delimited BibTeX field. Braces become \textbrace… commands rather
 * than \{ \}: BibTeX counts \{ as a brace, so an unbalanced one would break the whole file.
 * Unicode stays as UTF-8 (biber, and pdflatex with inputenc, read it); control characters and
 * newlines become spaces. Ligature-forming pairs are split so "--" stays two hyphens.
 */
export function escapeLatex(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/[\\{}$&%#_^~<>]/g, (c) => LATEX[c]!)
      // TeX ligatures: -- and --- are dashes, `` and '' curly quotes, ?` and !` inverted marks.
      // An empty group between the characters keeps them literal.
      .replace(/([-`'?!])(?=[-`'])/g, '$1{}')
  );
}

function field(name: string, value: string): string {
  return `  ${name} = {${value}},`;
}

function authorList(authors: string[]): string {
  return authors
    .map((a) => a.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .map((a) => {
      const e = escapeLatex(a);
      // " and " inside one name would split it into two authors; braces keep it whole.
      return /\sand\s/i.test(a) ? `{${e}}` : e;
    })
    .join(' and ');
}

const JOURNAL = /journal|transactions|letters|review|magazine|annals|proceedings of the national/i;

export function entryType(p: Paper): { type: string; venueField?: string } {
  if (p.venue && !/^arxiv/i.test(p.venue.trim())) {
    return JOURNAL.test(p.venue) ? { type: 'article', venueField: 'journal' } : { type: 'inproceedings', venueField: 'booktitle' };
  }
  return { type: 'misc' };
}

/** A tag as one item of the verbatim keywords list (braces would unbalance the field). */
export function keywordSafe(tag: string): string {
  return tag
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/,/g, '\uff0c')
    .replace(/;/g, '\uff1b')
    .replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'));
}

export function bibtexEntry(item: ExportItem, key: string): string {
  const p = item.paper;
  const { type, venueField } = entryType(p);
  const lines = [`@${type}{${key},`];
  // The inner braces keep the title's capitalization (bibliography styles lower-case it otherwise).
  lines.push(field('title', `{${escapeLatex(p.title)}}`));
  const authors = p.authors?.filter((a) => a.trim()) ?? [];
  if (authors.length) lines.push(field('author', authorList(authors)));
  if (p.year && Number.isInteger(p.year)) lines.push(field('year', String(p.year)));
  if (venueField && p.venue) lines.push(field(venueField, escapeLatex(p.venue)));
  if (p.arxivId) {
    lines.push(field('eprint', p.arxivId));
    lines.push(field('archivePrefix', 'arXiv'));
    const cls = arxivClassFromId(p.arxivId);
    if (cls) lines.push(field('primaryClass', cls));
  }
  if (p.doi) lines.push(field('doi', escapeLatex(p.doi)));
  const url = paperUrl(p);
  // url is a verbatim field: only braces need care, and a URL with unbalanced braces is dropped.
  if (url && !/[{}\s]/.test(url)) lines.push(field('url', url));
  if (p.openreviewId) lines.push(field('openreview', escapeLatex(p.openreviewId)));
  // JabRef's `pmid` field, which citation-js maps to CSL PMID (biblatex's eprint is taken by the arXiv id).
  if (p.pmid) lines.push(field('pmid', escapeLatex(p.pmid)));
  if (p.abstract) lines.push(field('abstract', escapeLatex(p.abstract)));
  const tags = item.tags.filter((t) => t.trim());
  // keywords is a verbatim list split at "," and ";": those characters inside a tag become their
  // full-width forms so the tag stays one; the BibTeX importer maps them back.
  if (tags.length) lines.push(field('keywords', tags.map((t) => keywordSafe(t)).join(', ')));
  if (item.note) lines.push(field('note', escapeLatex(item.note)));
  lines.push('}');
  return lines.join('\n');
}

export function toBibtex(items: ExportItem[]): string {
  const keys = bibtexKeys(items.map((i) => i.paper));
  return items.map((i) => bibtexEntry(i, keys.get(i.paper.id)!)).join('\n\n') + (items.length ? '\n' : '');
}
