import * as z from 'zod/mini';
import { idsFromUrl } from '../model/ids';
import type { FoundEntry, SiteAdapter } from './types';
import { onSite } from './hosts';
import { clean } from './dom-text';

// Hugging Face papers: the daily list (/papers, /papers?date=…, /papers/date/…, /papers/week|month/…,
// /papers/trending), paper search, a paper page's lists of related papers (/papers/<id>) and collections
// (/collections/<owner>/<slug>). Cards show title and avatars only; the daily list's hydration data
// (`data-props` of the DailyPapers block) carries full authors and abstracts, used where the card lacks them.

const PATHS = /^\/(?:papers(?:\/|$)|collections\/)/;
/** A link to a paper page: /papers/<arXiv id>, relative or absolute. */
const PAPER_HREF = /^(?:https?:\/\/(?:www\.)?huggingface\.co)?\/papers\/\d{4}\.\d{4,5}(?:v\d+)?\/?(?:[?#].*)?$/i;

// The hydration data is page data: parsed defensively, anything unexpected is ignored.
// zod/mini: the listing content script carries this, and full zod would be most of its size.
const AuthorSchema = z.looseObject({ name: z.optional(z.string()), hidden: z.optional(z.boolean()) });
const PaperSchema = z.looseObject({
  id: z.string(),
  title: z.optional(z.string()),
  summary: z.optional(z.string()),
  authors: z.optional(z.array(z.unknown())),
});
const WrappedSchema = z.looseObject({ paper: PaperSchema });
const PropsSchema = z.looseObject({
  dailyPapers: z.optional(z.array(z.unknown())),
  papers: z.optional(z.array(z.unknown())),
});

interface Hydrated {
  authors?: string[];
  abstract?: string;
}

/** arXiv id → authors and abstract, from every hydration block that lists papers. */
function hydration(doc: Document): Map<string, Hydrated> {
  const out = new Map<string, Hydrated>();
  // DailyPapers: the daily/weekly/monthly list (2023+). Other list blocks use the same item shape.
  const blocks = doc.querySelectorAll('[data-target="DailyPapers"][data-props], [data-target="PapersList"][data-props]');
  blocks.forEach((el) => {
    let json: unknown;
    try {
      json = JSON.parse(el.getAttribute('data-props') ?? '');
    } catch {
      return;
    }
    const props = PropsSchema.safeParse(json);
    if (!props.success) return;
    const items = [...(props.data.dailyPapers ?? []), ...(props.data.papers ?? [])];
    for (const raw of items) {
      // Daily lists wrap each paper ({ paper: {…}, title, … }); other lists hold papers directly.
      const wrapped = WrappedSchema.safeParse(raw);
      const bare = wrapped.success ? undefined : PaperSchema.safeParse(raw);
      const paper: z.infer<typeof PaperSchema> | undefined = wrapped.success
        ? wrapped.data.paper
        : bare?.success
          ? bare.data
          : undefined;
      if (!paper) continue;
      const id = idsFromUrl(`https://huggingface.co/papers/${paper.id}`).arxiv;
      if (!id) continue;
      const h: Hydrated = {};
      const names: string[] = [];
      for (const a of paper.authors ?? []) {
        const author = AuthorSchema.safeParse(a);
        if (!author.success || author.data.hidden === true) continue;
        const name = clean(author.data.name);
        if (name) names.push(name);
      }
      if (names.length > 0) h.authors = names;
      const summary = clean(paper.summary);
      if (summary) h.abstract = summary;
      if (!out.has(id)) out.set(id, h);
    }
  });
  return out;
}

function paperLink(el: Element): Element | null {
  if (el.matches('a[href]') && PAPER_HREF.test(el.getAttribute('href') ?? '')) return el;
  for (const a of Array.from(el.querySelectorAll('a[href]'))) {
    if (PAPER_HREF.test(a.getAttribute('href') ?? '')) return a;
  }
  return null;
}

// Paper cards and rows. Alternatives, each for one layout; a row found by an earlier one is not found twice.
const ROWS: ReadonlyArray<{ row: string; title: string }> = [
  // Daily/weekly/monthly list, trending and search result cards (2023–2025): <article> … <h3><a href="/papers/…">.
  { row: 'article', title: 'h3, h2' },
  // Collection items and compact paper lists: a link to the paper wrapping a heading.
  { row: 'a[href*="/papers/"]:has(h3, h4)', title: 'h3, h4' },
  // A paper page's related papers (Librarian Bot's list and similar): <li><a href="…/papers/…">Title</a> (2024)</li>.
  { row: 'li:has(> a[href*="/papers/"])', title: 'a[href*="/papers/"]' },
];

function cardEntries(doc: Document, url: URL): FoundEntry[] {
  const hyd = hydration(doc);
  const out: FoundEntry[] = [];
  const taken = new Set<Element>();
  for (const { row, title: titleSel } of ROWS) {
    let rows: Element[];
    try {
      rows = Array.from(doc.querySelectorAll(row));
    } catch {
      continue; // :has() unsupported in this engine
    }
    for (const root of rows) {
      if (taken.has(root) || Array.from(taken).some((t) => t.contains(root) || root.contains(t))) continue;
      const link = paperLink(root);
      if (!link) continue;
      // The heading that names the paper; for plain link rows the link itself.
      const headings = Array.from(root.querySelectorAll(titleSel));
      const heading = headings.find((h) => paperLink(h) !== null) ?? headings[0];
      if (!heading) continue;
      const title = clean(heading.textContent);
      // The badge goes after titleEl: when the heading sits inside a link (collection items), after
      // that link, so a click on the badge never opens the paper.
      const enclosing = heading.closest('a[href]');
      const titleEl = enclosing && (enclosing === root || root.contains(enclosing)) && !heading.contains(enclosing)
        ? enclosing
        : heading;
      if (!title) continue;
      const ids = idsFromUrl(link.getAttribute('href') ?? '', url.href);
      if (!ids.arxiv) continue;
      // Skip the page's own paper on a paper page: it is the page, not a list entry.
      if (url.pathname.replace(/\/$/, '') === `/papers/${ids.arxiv}` && root === doc.querySelector('main article')) continue;
      const entry: FoundEntry = { title, ids, root, titleEl, url: `https://huggingface.co/papers/${ids.arxiv}` };
      const h = hyd.get(ids.arxiv);
      if (h?.authors) entry.authors = h.authors;
      if (h?.abstract) entry.abstract = h.abstract;
      taken.add(root);
      out.push(entry);
    }
  }
  // Document order, whatever layout found a row.
  out.sort((a, b) => (a.root.compareDocumentPosition(b.root) & 4 ? -1 : 1));
  return out;
}

export const huggingface: SiteAdapter = {
  id: 'huggingface',
  label: 'Hugging Face papers',
  matches(url) {
    return onSite('huggingface', url.hostname) && PATHS.test(url.pathname);
  },
  findEntries(doc, url) {
    try {
      return cardEntries(doc, url);
    } catch {
      return [];
    }
  },
};
