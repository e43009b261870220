import type { SiteAdapter } from '@/lib/sites/types';
import { LIMITS, type EntryResult, type ListRef, type WireEntry } from '@/lib/messaging/messages';
import type { Send } from '@/lib/messaging/transport';
import type { MenuAction } from '@/components/badge-menu';
import { HOST_ATTR, MenuHost, mountBadge } from './render';
import { ENTRY_ATTR, EntryTracker, type Tracked } from './scanner';
import { BadgeQueue } from './badge-queue';
import { performMenuAction } from './menu-actions';

export { ENTRY_ATTR, toWire, type Tracked } from './scanner';

export type { Send } from '@/lib/messaging/transport';

export interface MarkerOptions {
  doc: Document;
  adapter: SiteAdapter;
  send: Send;
  shadowMode: ShadowRootMode;
  /** Current page address (location.href in the browser). */
  href: () => string;
  /** Debounce of the mutation observer, ms. */
  debounceMs?: number;
  /** Badges mounted per task; the statuses are set at once, the badges follow in slices. */
  badgeSlice?: number;
  /** Called after results are applied (triage: entrypoints/listing.content/triage.ts). */
  onApplied?: (entries: MarkedEntry[]) => void;
  /** Called when an entry's badge is put on the page (triage mounts its chip after it). */
  onBadge?: (entry: MarkedEntry) => void;
}

/** An entry as the marker's hooks see it. */
export interface MarkedEntry {
  eid: number;
  root: Element;
  titleEl: Element;
  wire: WireEntry;
  result?: EntryResult;
  /** The badge's host element, once mounted. */
  badge?: HTMLElement;
}

const marked = (t: Tracked): MarkedEntry => ({
  eid: t.eid,
  root: t.found.root,
  titleEl: t.found.titleEl,
  wire: t.wire,
  result: t.result,
  badge: t.badge?.host,
});

/** Performance marks for the annotation benchmark (timing only, no page or user data). */
function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // No performance timeline (old test environments).
  }
}

/**
 * Finds the entries of a listing page, asks the background about them in batches, marks each
 * root with its status and puts a badge after its title; keeps up with rows added later
 * (infinite scroll, client-side rendering) and with SPA navigation.
 */
export class Marker {
  private readonly tracker = new EntryTracker();
  private readonly tracked = this.tracker.tracked;
  private pageUrl: string;
  private resetPending = true;
  private observer: MutationObserver | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private readonly menu: MenuHost;
  private readonly badges: BadgeQueue<Tracked>;
  private openEid: number | undefined;
  private menuData: { tags: string[]; lists: ListRef[] } = { tags: [], lists: [] };
  private stopped = false;
  private retries = 0;
  /** Resolves when the latest scan's statuses are all set (tests and the bench wait on it). */
  lastScan: Promise<void> = Promise.resolve();

  constructor(private readonly o: MarkerOptions) {
    this.pageUrl = o.href();
    this.menu = new MenuHost(o.doc, o.shadowMode);
    this.badges = new BadgeQueue<Tracked>({
      doc: o.doc,
      slice: o.badgeSlice ?? 150,
      rootOf: (t) => t.found.root,
      render: (t) => this.renderBadge(t),
      current: (t) => this.current(t),
      stopped: () => this.stopped,
      onDrained: () => mark('shelfmark:badges'),
    });
  }

  start(): void {
    this.lastScan = this.scan();
    this.observer = new MutationObserver((records) => {
      if (records.some((r) => Array.from(r.addedNodes).some((n) => !this.isOurs(n)))) this.schedule();
    });
    this.observer.observe(this.o.doc.documentElement, { childList: true, subtree: true });
    this.o.doc.addEventListener('pointerdown', this.onOutsidePointer, true);
  }

  stop(): void {
    this.stopped = true;
    this.observer?.disconnect();
    if (this.timer) clearTimeout(this.timer);
    this.o.doc.removeEventListener('pointerdown', this.onOutsidePointer, true);
    this.menu.close();
  }

  /** Called on SPA navigation (and by the observer): a changed address starts a new page. */
  schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastScan = this.scan();
    }, this.o.debounceMs ?? 150);
  }

  private isOurs(n: Node): boolean {
    return n.nodeType === 1 && (n as Element).hasAttribute(HOST_ATTR);
  }

  private resetPage(): void {
    this.tracker.clear();
    this.resetPending = true;
    this.closeMenu(false);
  }

  /** Finds unmarked entries and marks them. Scans never overlap; a request during one runs after it. */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.doScan().finally(() => {
      this.scanning = undefined;
      if (this.rescan && !this.stopped) {
        this.rescan = false;
        this.lastScan = this.scan();
      }
    });
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    const href = this.o.href();
    if (href !== this.pageUrl) {
      this.pageUrl = href;
      this.resetPage();
    }
    mark('shelfmark:scan');
    const found = EntryTracker.find(this.o.adapter, this.o.doc, href);
    mark('shelfmark:found');
    this.tracker.dropDetached();
    const fresh = this.tracker.track(found);
    if (!fresh.length && !this.resetPending) return;
    for (let i = 0; i < fresh.length || (i === 0 && this.resetPending); i += LIMITS.entriesPerBatch) {
      const chunk = fresh.slice(i, i + LIMITS.entriesPerBatch);
      const reset = this.resetPending;
      this.resetPending = false;
      const res = await this.o.send({
        type: 'match-batch',
        pageUrl: this.pageUrl,
        entries: chunk.map((t) => t.wire),
        ...(reset ? { reset: true } : {}),
      });
      mark('shelfmark:answered');
      if (this.stopped) return;
      if (!res.ok) {
        // The background is unavailable or refused the batch: leave the rows unmarked, retry on the next scan.
        this.tracker.untrack(chunk);
        if (reset) this.resetPending = true;
        console.warn('Shelfmark:', res.error);
        // A background that is starting or updating answers later: retry a few times, backing off.
        if (this.retries < 4 && !this.stopped) {
          const wait = 500 * 2 ** this.retries++;
          setTimeout(() => (this.lastScan = this.scan()), wait);
        }
        return;
      }
      this.retries = 0;
      this.apply(res.results);
    }
  }

  /**
   * Sets every status at once, in one pass of attribute writes and nothing else, so the page (and
   * anything observing it) sees every entry marked as soon as the answer arrives. Badges already
   * mounted update at once too. New badges follow in later tasks: the ones near the viewport first
   * (their positions read in one pass, one layout), the rest in idle-time slices, so a 2000-row
   * page is marked in one go and stays responsive while its badges appear.
   */
  apply(results: readonly EntryResult[]): void {
    const fresh: Tracked[] = [];
    for (const r of results) {
      const t = this.tracked.get(r.eid);
      if (!t) continue;
      t.result = r;
      if (t.found.root.getAttribute(ENTRY_ATTR) !== r.status) t.found.root.setAttribute(ENTRY_ATTR, r.status);
      if (t.badge?.host.isConnected) this.renderBadge(t);
      else fresh.push(t);
    }
    mark('shelfmark:marked');
    if (this.o.onApplied) {
      const done = results.flatMap((r) => {
        const t = this.tracked.get(r.eid);
        return t ? [marked(t)] : [];
      });
      this.o.onApplied(done);
    }
    if (fresh.length) setTimeout(() => this.mountFresh(fresh), 0);
    if (this.openEid !== undefined && results.some((r) => r.eid === this.openEid)) void this.renderMenu();
  }

  /** Whether `t` is still one of this page's entries (a reset or a removed row drops it). */
  private current(t: Tracked): boolean {
    return !this.stopped && this.tracker.holds(t);
  }

  private mountFresh(items: Tracked[]): void {
    this.badges.mount(items.filter((t) => this.current(t) && !t.badge?.host.isConnected));
  }

  private renderBadge(t: Tracked): void {
    if (!t.found.titleEl.isConnected) return;
    if (!t.badge || !t.badge.host.isConnected) {
      t.badge?.remove();
      t.badge = mountBadge(t.found.titleEl, this.o.shadowMode, () => this.toggleMenu(t.eid));
      t.badge.update(t.result, this.openEid === t.eid);
      this.o.onBadge?.(marked(t));
      return;
    }
    t.badge.update(t.result, this.openEid === t.eid);
  }

  /** This page's entries, in the order they were found (keyboard triage walks them). */
  entries(): MarkedEntry[] {
    return [...this.tracked.values()].filter((t) => t.found.root.isConnected).map(marked);
  }

  /** Runs a badge-menu action on an entry (keyboard triage), then refreshes its badge. */
  async act(eid: number, a: MenuAction): Promise<void> {
    const t = this.tracked.get(eid);
    if (t) await this.perform(t, a);
  }

  /** Asks again about one entry (after a dismissal or its undo). */
  async recheck(eid: number): Promise<void> {
    const t = this.tracked.get(eid);
    if (!t) return;
    const r = await this.o.send({ type: 'match-batch', pageUrl: this.pageUrl, entries: [t.wire] });
    if (r.ok) this.apply(r.results);
  }

  /** Opens an entry's menu (keyboard triage). */
  openMenu(eid: number): void {
    if (this.openEid !== eid) this.toggleMenu(eid);
  }

  get page(): string {
    return this.pageUrl;
  }

  /** The entries this page holds, for a background that restarted. */
  entriesForResync(): { pageUrl: string; entries: WireEntry[] } {
    const entries: WireEntry[] = [];
    for (const t of this.tracked.values()) if (t.found.root.isConnected && t.result) entries.push(t.wire);
    return { pageUrl: this.pageUrl, entries };
  }

  // ---- menu ---------------------------------------------------------------------------------

  private readonly onOutsidePointer = (e: Event): void => {
    if (this.openEid === undefined) return;
    const path = e.composedPath();
    if (path.includes(this.menu.host)) return;
    const t = this.tracked.get(this.openEid);
    if (t?.badge && path.includes(t.badge.host)) return; // the badge's own click toggles
    this.closeMenu(false);
  };

  private toggleMenu(eid: number): void {
    if (this.openEid === eid) {
      this.closeMenu(true);
      return;
    }
    const prev = this.openEid;
    this.openEid = eid;
    if (prev !== undefined) {
      const p = this.tracked.get(prev);
      if (p) this.renderBadge(p);
    }
    const t = this.tracked.get(eid);
    if (t) this.renderBadge(t);
    void this.refreshMenuData().then(() => this.renderMenu());
    void this.renderMenu();
  }

  private closeMenu(refocus: boolean): void {
    const eid = this.openEid;
    this.openEid = undefined;
    this.menu.close();
    const t = eid === undefined ? undefined : this.tracked.get(eid);
    if (t) {
      this.renderBadge(t);
      if (refocus) t.badge?.focus();
    }
  }

  private async refreshMenuData(): Promise<void> {
    const r = await this.o.send({ type: 'menu-data' });
    if (r.ok) this.menuData = { tags: r.tags, lists: r.lists };
  }

  private async renderMenu(): Promise<void> {
    const t = this.openEid === undefined ? undefined : this.tracked.get(this.openEid);
    if (!t?.badge) return;
    this.menu.render(
      t.badge.host,
      { title: t.wire.title, result: t.result, allTags: this.menuData.tags, allLists: this.menuData.lists },
      (a) => this.perform(t, a),
      () => this.closeMenu(true),
    );
  }

  private async perform(t: Tracked, a: MenuAction): Promise<void> {
    await performMenuAction(a, { entry: t.wire, result: t.result, pageUrl: this.pageUrl, send: this.o.send });
    // The background pushes the new results to every tab; asking again makes this badge
    // current at once even if that push is late.
    const r = await this.o.send({ type: 'match-batch', pageUrl: this.pageUrl, entries: [t.wire] });
    if (r.ok) this.apply(r.results);
    await this.refreshMenuData();
    await this.renderMenu();
  }
}
