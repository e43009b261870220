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

/**
 * Mounts badges without stalling the page: the ones near the viewport at once (their positions
 * read in one pass, one layout), the rest in idle-time slices, so a 2000-row page stays
 * responsive while its badges appear.
 */
export class BadgeQueue<T> {
  private queue: T[] = [];
  private pumping = false;

  constructor(private readonly o: BadgeQueueOptions<T>) {}

  mount(items: readonly T[]): void {
    if (!items.length) return;
    const vh = this.o.doc.defaultView?.innerHeight ?? 800;
    // Every position first, then every insertion: interleaving them would lay the page out again
    // for each badge (hundreds of milliseconds on a 2000-row listing).
    const near = items.map((t) => {
      const r = this.o.rootOf(t).getBoundingClientRect();
      return r.bottom > -vh && r.top < 2 * vh;
    });
    const later: T[] = [];
    items.forEach((t, i) => (near[i] ? this.o.render(t) : later.push(t)));
    this.enqueue(later);
  }

  private enqueue(items: T[]): void {
    if (!items.length) return;
    this.queue.push(...items);
    if (this.pumping) return;
    this.pumping = true;
    const view = this.o.doc.defaultView as (Window & typeof globalThis) | null;
    const later = (fn: () => void) =>
      view?.requestIdleCallback ? view.requestIdleCallback(fn, { timeout: 100 }) : setTimeout(fn, 0);
    const step = () => {
      if (this.o.stopped()) return;
      for (const t of this.queue.splice(0, this.o.slice)) if (this.o.current(t)) this.o.render(t);
      if (this.queue.length) later(step);
      else {
        this.pumping = false;
        this.o.onDrained?.();
      }
    };
    later(step);
  }
}
