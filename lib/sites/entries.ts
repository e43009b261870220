import { allOf } from './dom-text';
import type { FoundEntry } from './types';

/**
 * The loop every row-based adapter runs: one entry per row matched by the first working `rows`
 * selector, in page order. A row `read` gives nothing for (no title, front matter) is skipped; a
 * page that makes `read` throw gives no entries at all, as `findEntries` promises.
 */
export function entriesOf(doc: ParentNode, rows: readonly string[], read: (row: Element) => FoundEntry | undefined): FoundEntry[] {
  try {
    const out: FoundEntry[] = [];
    for (const row of allOf(doc, rows)) {
      const entry = read(row);
      if (entry) out.push(entry);
    }
    return out;
  } catch {
    return [];
  }
}

/** Sets the optional fields the page gave: a missing url or an empty author list leaves the field out. */
export function withDetails(entry: FoundEntry, details: { url?: string | undefined; authors?: readonly string[] }): FoundEntry {
  if (details.url) entry.url = details.url;
  if (details.authors?.length) entry.authors = [...details.authors];
  return entry;
}
