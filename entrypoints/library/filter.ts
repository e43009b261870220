import type { Paper } from '@/lib/model/types';
import type { SearchIndex } from '@/lib/search';

export type StatusFilter = 'all' | 'in-list' | 'unread' | 'read' | 'tagged' | 'untagged' | 'note' | 'seen' | 'unseen' | 'merged';
export type SortKey = 'relevance' | 'added' | 'title' | 'seen';

export const STATUS_LABELS: Record<StatusFilter, string> = {
  all: 'All papers',
  'in-list': 'In a reading list',
  unread: 'Unread (in a list)',
  read: 'Read',
  tagged: 'Tagged',
  untagged: 'Untagged',
  note: 'With a note',
  seen: 'Seen on a page',
  unseen: 'Never seen on a page',
  merged: 'Merged away (kept for undo)',
};

export const SORT_LABELS: Record<SortKey, string> = {
  relevance: 'Relevance',
  added: 'Date added',
  title: 'Title',
  seen: 'Last seen',
};

export interface Filters {
  q: string;
  /** A tag name. */
  tag?: string;
  /** A list id. */
  list?: string;
  /** `seed:<file>`, `origin:<seed|user|import>` or `host:<hostname>` (a site the paper was seen on). */
  source?: string;
  status: StatusFilter;
  sort: SortKey;
}

/** Sets of paper ids from the user's data, read from the database by the page. */
export interface UserSets {
  tagged: Set<string>;
  withTag?: Set<string>;
  inList?: Set<string>;
  inAnyList: Set<string>;
  read: Set<string>;
  unread: Set<string>;
  notes: Set<string>;
  seenOn?: Set<string>;
}

function statusOk(p: Paper, s: StatusFilter, u: UserSets): boolean {
  switch (s) {
    case 'all':
      return true;
    case 'in-list':
      return u.inAnyList.has(p.id);
    case 'unread':
      return u.unread.has(p.id);
    case 'read':
      return u.read.has(p.id);
    case 'tagged':
      return u.tagged.has(p.id);
    case 'untagged':
      return !u.tagged.has(p.id);
    case 'note':
      return u.notes.has(p.id);
    case 'seen':
      return !!p.lastSeenAt;
    case 'unseen':
      return !p.lastSeenAt;
    case 'merged':
      return !!p.mergedInto;
  }
}

function sourceOk(p: Paper, source: string | undefined, u: UserSets): boolean {
  if (!source) return true;
  if (source.startsWith('seed:')) {
    const file = source.slice(5);
    return p.provenance.some((x) => x.kind === 'seed' && x.source === file);
  }
  if (source.startsWith('origin:')) return p.origin === source.slice(7);
  if (source.startsWith('host:')) return u.seenOn?.has(p.id) ?? false;
  return true;
}

/** Most search hits shown for one query (the list says "2,000+" beyond): nobody reads further, and each one costs a filter call. */
export const SEARCH_LIMIT = 2000;

/**
 * The papers to show, in order: ranked search hits when there is a query (re-sorted if another
 * sort is chosen), else every paper sorted. Merged-away records only under the "merged" status.
 */
export function selectPapers(
  papers: Map<string, Paper>,
  index: SearchIndex | undefined,
  f: Filters,
  u: UserSets,
  limit = 100_000,
): Paper[] {
  const keep = (p: Paper): boolean =>
    (f.status === 'merged' ? true : !p.mergedInto) &&
    statusOk(p, f.status, u) &&
    (!f.tag || (u.withTag?.has(p.id) ?? false)) &&
    (!f.list || (u.inList?.has(p.id) ?? false)) &&
    sourceOk(p, f.source, u);

  let out: Paper[];
  if (f.q.trim() && !index) {
    // The index is still being built: every query word in the title, unranked, so typing is
    // never blocked on indexing.
    const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
    out = [];
    for (const p of papers.values()) {
      if (!keep(p)) continue;
      const t = p.title.toLowerCase();
      if (words.every((w) => t.includes(w))) out.push(p);
      if (out.length >= SEARCH_LIMIT) break;
    }
  } else if (f.q.trim() && index) {
    const hits = index.search(f.q, {
      limit: Math.min(limit, SEARCH_LIMIT),
      filter: (id) => {
        const p = papers.get(id);
        return !!p && keep(p);
      },
    });
    out = hits.map((h) => papers.get(h.id)!);
    if (f.sort === 'relevance') return out;
  } else {
    out = [];
    for (const p of papers.values()) if (keep(p)) out.push(p);
  }
  return sortPapers(out, f.sort === 'relevance' ? 'added' : f.sort).slice(0, limit);
}

export function sortPapers(xs: Paper[], sort: Exclude<SortKey, 'relevance'>): Paper[] {
  switch (sort) {
    case 'added':
      return xs.toSorted((a, b) => b.addedAt - a.addedAt || cmp(a.title, b.title));
    case 'title':
      return xs.toSorted((a, b) => cmp(a.title, b.title));
    case 'seen':
      return xs.toSorted((a, b) => (b.lastSeenAt ?? 0) - (a.lastSeenAt ?? 0) || b.addedAt - a.addedAt);
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
function cmp(a: string, b: string): number {
  return collator.compare(a, b);
}

/** The source choices: seed files, origins and the sites papers were seen on. */
export function sourceOptions(papers: Iterable<Paper>, hosts: readonly string[]): { value: string; label: string }[] {
  const files = new Map<string, string | undefined>();
  const origins = new Set<string>();
  for (const p of papers) {
    origins.add(p.origin);
    for (const pr of p.provenance) if (pr.kind === 'seed' && !files.has(pr.source)) files.set(pr.source, pr.listingDate);
  }
  const out: { value: string; label: string }[] = [];
  for (const o of ['seed', 'user', 'import']) {
    if (origins.has(o)) out.push({ value: `origin:${o}`, label: o === 'seed' ? 'Seed corpus' : o === 'user' ? 'Added from pages' : 'Imported' });
  }
  for (const [file, date] of [...files].toSorted((a, b) => cmp(a[0], b[0]))) {
    out.push({ value: `seed:${file}`, label: `Seed listing ${file}${date ? ` (${date})` : ''}` });
  }
  for (const h of hosts) out.push({ value: `host:${h}`, label: `Seen on ${h}` });
  return out;
}
