import type { FoundEntry, SiteAdapter } from '@/lib/sites/types';
import { LIMITS, type EntryResult, type WireEntry } from '@/lib/messaging/messages';
import type { BadgeHandle } from './render';

/** The stable hook: every recognized entry's root carries its status. */
export const ENTRY_ATTR = 'data-shelfmark-entry';

/** One entry of the page: what the adapter found, what goes on the wire, the answer and its badge. */
export interface Tracked {
  eid: number;
  found: FoundEntry;
  wire: WireEntry;
  result?: EntryResult;
  badge?: BadgeHandle;
}

const clip = (s: string | undefined, n: number): string | undefined => (s === undefined ? undefined : s.slice(0, n));

/** An entry as it goes on the wire: bounded like the background's schema expects. */
export function toWire(f: FoundEntry, eid: number): WireEntry {
  const w: WireEntry = { eid, title: f.title.replace(/\s+/g, ' ').trim().slice(0, LIMITS.titleChars), ids: {} };
  if (f.ids.arxiv) w.ids.arxiv = clip(f.ids.arxiv, LIMITS.idChars);
  if (f.ids.doi) w.ids.doi = clip(f.ids.doi, LIMITS.idChars);
  if (f.ids.openreview) w.ids.openreview = clip(f.ids.openreview, LIMITS.idChars);
  if (f.ids.pmid) w.ids.pmid = clip(f.ids.pmid, LIMITS.idChars);
  if (f.authors?.length) w.authors = f.authors.slice(0, LIMITS.authors).map((a) => a.slice(0, LIMITS.authorChars));
  if (f.url && f.url.length <= LIMITS.urlChars) w.url = f.url;
  if (f.abstract) w.abstract = f.abstract.slice(0, LIMITS.abstractChars);
  return w;
}

/**
 * The entries of the current page view, by eid. Finds new ones through the site adapter; a root
 * is remembered in a WeakSet, not by our attribute, so a page cannot make us skip a row by
 * pre-setting it.
 */
export class EntryTracker {
  readonly tracked = new Map<number, Tracked>();
  private seen = new WeakSet<Element>();
  private nextEid = 1;

  /** The adapter's entries for `href`; an adapter that throws finds nothing. */
  static find(adapter: SiteAdapter, doc: Document, href: string): FoundEntry[] {
    try {
      return adapter.findEntries(doc, new URL(href));
    } catch {
      return [];
    }
  }

  get(eid: number): Tracked | undefined {
    return this.tracked.get(eid);
  }

  /** Rows removed by the page (virtualized lists, SPA re-renders) are forgotten, with their badges. */
  dropDetached(): void {
    for (const [eid, t] of this.tracked) {
      if (!t.found.root.isConnected) {
        t.badge?.remove();
        this.tracked.delete(eid);
      }
    }
  }

  /** Starts tracking the entries not seen before, and returns them. */
  track(found: readonly FoundEntry[]): Tracked[] {
    const fresh: Tracked[] = [];
    for (const f of found) {
      if (this.seen.has(f.root) || !f.title.trim()) continue;
      this.seen.add(f.root);
      const eid = this.nextEid++;
      const t: Tracked = { eid, found: f, wire: toWire(f, eid) };
      this.tracked.set(eid, t);
      fresh.push(t);
    }
    return fresh;
  }

  /** Stops tracking entries, so the next scan finds them again (their batch failed). */
  untrack(items: readonly Tracked[]): void {
    for (const t of items) {
      this.seen.delete(t.found.root);
      this.tracked.delete(t.eid);
    }
  }

  /** Forgets every entry (a new page): badges and statuses go. Eids keep counting up. */
  clear(): void {
    for (const t of this.tracked.values()) {
      t.badge?.remove();
      if (t.found.root.isConnected) t.found.root.removeAttribute(ENTRY_ATTR);
    }
    this.tracked.clear();
    this.seen = new WeakSet();
  }

  /** Whether `t` is still one of this page's entries (a reset or a removed row drops it). */
  holds(t: Tracked): boolean {
    return this.tracked.get(t.eid) === t;
  }
}
