import { describe, it, expect, afterEach } from 'vitest';
import { BadgeQueue } from '../entrypoints/listing.content/badge-queue';

/** An IntersectionObserver the test drives: it records what is observed and reports on demand. */
class FakeObserver {
  static last: FakeObserver | undefined;
  readonly observed = new Set<Element>();
  constructor(readonly cb: (entries: IntersectionObserverEntry[]) => void) {
    FakeObserver.last = this;
  }
  observe(el: Element) {
    this.observed.add(el);
  }
  unobserve(el: Element) {
    this.observed.delete(el);
  }
  disconnect() {
    this.observed.clear();
  }
  report(el: Element, isIntersecting: boolean) {
    this.cb([{ target: el, isIntersecting } as unknown as IntersectionObserverEntry]);
  }
}

const original = Object.getOwnPropertyDescriptor(window, 'IntersectionObserver');
afterEach(() => {
  if (original) Object.defineProperty(window, 'IntersectionObserver', original);
  document.body.innerHTML = '';
});

/** `n` rows, row i at i viewports from the top (happy-dom lays nothing out: positions are given). */
function rows(n: number): HTMLElement[] {
  const vh = window.innerHeight;
  return Array.from({ length: n }, (_, i) => {
    const el = document.createElement('div');
    el.getBoundingClientRect = () => ({ top: i * vh, bottom: i * vh + 50, left: 0, right: 10, width: 10, height: 50, x: 0, y: i * vh, toJSON: () => ({}) });
    document.body.append(el);
    return el;
  });
}

function setup(n: number, slice: number) {
  Object.defineProperty(window, 'IntersectionObserver', { configurable: true, writable: true, value: FakeObserver });
  const els = rows(n);
  const rendered: number[] = [];
  let drained = 0;
  const gone = new Set<number>();
  const q = new BadgeQueue<number>({
    doc: document,
    slice,
    rootOf: (i) => els[i]!,
    render: (i) => rendered.push(i),
    current: (i) => !gone.has(i),
    stopped: () => false,
    onDrained: () => drained++,
  });
  return { q, els, rendered, gone, drained: () => drained };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('BadgeQueue', () => {
  it('mounts the rows near the viewport at once and the rest later, in order, each once', async () => {
    for (const [n, slice] of [
      [3, 1],
      [25, 4],
      [120, 7],
    ] as const) {
      const s = setup(n, slice);
      s.q.mount(Array.from({ length: n }, (_, i) => i));
      // Rows 0 and 1 are within two viewports of the top.
      expect(s.rendered).toEqual([0, 1]);
      await until(() => s.drained() > 0);
      expect(s.rendered).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(s.drained()).toBe(1);
      document.body.innerHTML = '';
    }
  });

  it('a waiting row that comes near the viewport (a scroll) gets its badge ahead of the queue, and only once', async () => {
    const s = setup(40, 2);
    s.q.mount(Array.from({ length: 40 }, (_, i) => i));
    const io = FakeObserver.last!;
    expect(io.observed.size).toBe(38);
    io.report(s.els[30]!, false); // still far: nothing happens
    expect(s.rendered).toEqual([0, 1]);
    io.report(s.els[30]!, true);
    io.report(s.els[31]!, true);
    expect(s.rendered).toEqual([0, 1, 30, 31]);
    expect(io.observed.has(s.els[30]!)).toBe(false);
    await until(() => s.drained() > 0);
    expect(s.rendered.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(io.observed.size).toBe(0);
  });

  it('a row that left the page meanwhile gets no badge', async () => {
    const s = setup(10, 3);
    s.q.mount(Array.from({ length: 10 }, (_, i) => i));
    s.gone.add(5);
    s.gone.add(9);
    FakeObserver.last!.report(s.els[9]!, true);
    await until(() => s.drained() > 0);
    expect(s.rendered).toEqual([0, 1, 2, 3, 4, 6, 7, 8]);
  });
});
