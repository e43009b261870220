export interface BadgeQueueOptions<T> {
  doc: Document;
  /** Badges mounted per task. */
  slice: number;
  rootOf: (item: T) => Element;
  render: (item: T) => void;
  /** False once the item left the page (a reset, a removed row): it gets no badge. */
  current: (item: T) => boolean;
  stopped: () => boolean;
  /** Called when the queue runs empty. */
  onDrained?: () => void;
}

/** How far above and below the viewport an entry counts as near: one viewport each way. */
const NEAR_MARGIN = '100% 0px 100% 0px';

/**
 * Mounts badges without stalling the page: the ones near the viewport at once (their positions
 * read in one pass, one layout), the rest in idle-time slices; an entry that comes near the
 * viewport before the queue reaches it (a fast scroll) gets its badge at once, ahead of the queue
 * (an IntersectionObserver watches the waiting entries).
 */
export class BadgeQueue<T> {
  private queue: T[] = [];
  private head = 0;
  private readonly queued = new Set<T>();
  private pumping = false;
  /** Items waiting for their badge (whichever comes first: the observer or the queue). */
  private readonly pending = new Set<T>();
  private readonly byRoot = new Map<Element, T>();
  private observer: IntersectionObserver | undefined;

  constructor(private readonly o: BadgeQueueOptions<T>) {}

  mount(items: readonly T[]): void {
    if (!items.length) return;
    const view = this.o.doc.defaultView as (Window & typeof globalThis) | null;
    const vh = view?.innerHeight ?? 800;
    // Every position first, then every insertion: interleaving them would lay the page out again
    // for each badge (hundreds of milliseconds on a 2000-row listing).
    const near = items.map((t) => {
      const r = this.o.rootOf(t).getBoundingClientRect();
      return r.bottom > -vh && r.top < 2 * vh;
    });
    const later: T[] = [];
    items.forEach((t, i) => (near[i] ? this.o.render(t) : later.push(t)));
    if (!later.length) {
      if (!this.pending.size) this.o.onDrained?.();
      return;
    }
    if (view?.IntersectionObserver) this.observer ??= new view.IntersectionObserver((entries) => this.onIntersect(entries), { rootMargin: NEAR_MARGIN });
    for (const t of later) {
      if (this.pending.has(t)) continue;
      this.pending.add(t);
      const root = this.o.rootOf(t);
      this.byRoot.set(root, t);
      this.observer?.observe(root);
    }
    this.enqueue(later);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    if (this.o.stopped()) {
      this.observer?.disconnect();
      return;
    }
    for (const e of entries) {
      const t = e.isIntersecting ? this.byRoot.get(e.target) : undefined;
      if (t !== undefined && this.pending.has(t)) this.take(t);
    }
  }

  /** Mounts `t`'s badge now (if it is still on the page) and forgets it. */
  private take(t: T): void {
    this.pending.delete(t);
    const root = this.o.rootOf(t);
    if (this.byRoot.get(root) === t) {
      this.byRoot.delete(root);
      this.observer?.unobserve(root);
    }
    if (this.o.current(t)) this.o.render(t);
    if (!this.pending.size) this.o.onDrained?.();
  }

  /** Queues the items not queued yet (each waits once). */
  private enqueue(items: T[]): void {
    for (const t of items) {
      if (this.queued.has(t)) continue;
      this.queued.add(t);
      this.queue.push(t);
    }
    if (this.head >= this.queue.length) return;
    if (this.pumping) return;
    this.pumping = true;
    const view = this.o.doc.defaultView as (Window & typeof globalThis) | null;
    const later = (fn: () => void) =>
      view?.requestIdleCallback ? view.requestIdleCallback(fn, { timeout: 100 }) : setTimeout(fn, 0);
    const step = () => {
      if (this.o.stopped()) {
        this.observer?.disconnect();
        return;
      }
      let n = 0;
      while (n < this.o.slice && this.head < this.queue.length) {
        const t = this.queue[this.head++]!;
        this.queued.delete(t);
        // Taken meanwhile (it came near the viewport): nothing to do.
        if (!this.pending.has(t)) continue;
        this.take(t);
        n++;
      }
      if (this.head < this.queue.length) later(step);
      else {
        this.queue = [];
        this.head = 0;
        this.pumping = false;
      }
    };
    later(step);
  }
}
