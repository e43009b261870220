import { describe, it, expect, afterEach } from 'vitest';
import { Marker, ENTRY_ATTR, type Send } from '../entrypoints/listing.content/marker';
import type { SiteAdapter, FoundEntry } from '../lib/sites/types';
import type { EntryResult, Request } from '../lib/messaging/messages';

// A minimal adapter over <li class="row"><a class="t">title</a></li> rows.
const adapter: SiteAdapter = {
  id: 'test',
  label: 'Test',
  matches: () => true,
  findEntries(doc): FoundEntry[] {
    return [...doc.querySelectorAll('li.row')].flatMap((root) => {
      const titleEl = root.querySelector('a.t');
      const title = titleEl?.textContent?.trim() ?? '';
      return titleEl && title ? [{ root, titleEl, title, ids: {} }] : [];
    });
  },
};

function setup(rows: string[], known: Record<string, EntryResult['status']> = {}) {
  document.body.innerHTML = '<ul id="list"></ul>';
  const list = document.getElementById('list')!;
  const add = (titles: string[]) => {
    for (const t of titles) {
      const li = document.createElement('li');
      li.className = 'row';
      const a = document.createElement('a');
      a.className = 't';
      a.textContent = t;
      li.append(a);
      list.append(li);
    }
  };
  add(rows);
  const sent: Request[] = [];
  const send = (async (msg: Request) => {
    sent.push(msg);
    if (msg.type === 'match-batch') {
      return {
        ok: true,
        results: msg.entries.map((e) => ({
          eid: e.eid,
          status: known[e.title] ?? 'none',
          ...(known[e.title] === 'match' ? { paperId: 'p-' + e.title } : {}),
          tags: [],
          lists: [],
        })),
      };
    }
    return { ok: true, tags: [], lists: [] };
  }) as Send;
  let href = 'https://example.org/list';
  const marker = new Marker({ doc: document, adapter, send, shadowMode: 'open', href: () => href, debounceMs: 5, badgeSlice: 2 });
  return { marker, sent, add, list, setHref: (h: string) => (href = h) };
}

const batches = (sent: Request[]) => sent.filter((m) => m.type === 'match-batch') as Extract<Request, { type: 'match-batch' }>[];
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

let current: Marker | undefined;
afterEach(() => {
  current?.stop();
  document.body.innerHTML = '';
  document.querySelectorAll('[data-shelfmark-host]').forEach((n) => n.remove());
});

describe('Marker', () => {
  it('marks every entry in one batch and puts a badge after each title', async () => {
    const { marker, sent } = setup(['Known Paper', 'Other', 'Third'], { 'Known Paper': 'match' });
    current = marker;
    marker.start();
    await marker.lastScan;
    await tick();
    const b = batches(sent);
    expect(b).toHaveLength(1);
    expect(b[0]!.reset).toBe(true);
    expect(b[0]!.entries.map((e) => e.title)).toEqual(['Known Paper', 'Other', 'Third']);
    const statuses = [...document.querySelectorAll('li.row')].map((li) => li.getAttribute(ENTRY_ATTR));
    expect(statuses).toEqual(['match', 'none', 'none']);
    const hosts = document.querySelectorAll('a.t + [data-shelfmark-host="badge"]');
    expect(hosts).toHaveLength(3);
    expect((hosts[0] as HTMLElement).shadowRoot?.querySelector('button')?.className).toContain('sm-match');
  });

  it('sends only new rows when the page grows, and ignores its own insertions', async () => {
    const { marker, sent, add } = setup(['A', 'B']);
    current = marker;
    marker.start();
    await marker.lastScan;
    await tick();
    expect(batches(sent)).toHaveLength(1); // badges added by us did not trigger a rescan
    add(['C', 'D']);
    await tick(60);
    await marker.lastScan;
    const b = batches(sent);
    expect(b).toHaveLength(2);
    expect(b[1]!.entries.map((e) => e.title)).toEqual(['C', 'D']);
    expect(b[1]!.reset).toBeUndefined();
    expect(document.querySelectorAll(`[${ENTRY_ATTR}]`)).toHaveLength(4);
  });

  it('a page cannot make it skip rows by pre-setting the attribute', async () => {
    const { marker, sent, list } = setup(['A']);
    list.querySelector('li')!.setAttribute(ENTRY_ATTR, 'match');
    current = marker;
    marker.start();
    await marker.lastScan;
    expect(batches(sent)[0]!.entries).toHaveLength(1);
    expect(list.querySelector('li')!.getAttribute(ENTRY_ATTR)).toBe('none');
  });

  it('a new address (SPA navigation) starts over with reset', async () => {
    const { marker, sent, setHref } = setup(['A', 'B']);
    current = marker;
    marker.start();
    await marker.lastScan;
    setHref('https://example.org/list?page=2');
    marker.schedule();
    await tick(40);
    await marker.lastScan;
    const b = batches(sent);
    expect(b).toHaveLength(2);
    expect(b[1]!.reset).toBe(true);
    expect(b[1]!.pageUrl).toBe('https://example.org/list?page=2');
    expect(b[1]!.entries.map((e) => e.eid)).toEqual([3, 4]);
    expect(document.querySelectorAll('[data-shelfmark-host="badge"]')).toHaveLength(2);
  });

  it('hostile titles stay text and are clipped to the message bounds', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">' + 'x'.repeat(3000);
    const { marker, sent } = setup([evil]);
    current = marker;
    marker.start();
    await marker.lastScan;
    const e = batches(sent)[0]!.entries[0]!;
    expect(e.title.length).toBe(2000);
    expect(document.querySelector('img')).toBeNull();
  });

  it('applies pushed results and keeps rows unmarked when the background refuses a batch', async () => {
    const { marker } = setup(['A']);
    current = marker;
    marker.start();
    await marker.lastScan;
    marker.apply([{ eid: 1, status: 'match', paperId: 'p', tags: ['t1'], lists: [] }]);
    await tick();
    expect(document.querySelector('li')!.getAttribute(ENTRY_ATTR)).toBe('match');
    const host = document.querySelector('[data-shelfmark-host="badge"]') as HTMLElement;
    expect(host.shadowRoot!.textContent).toContain('t1');
    expect(marker.entriesForResync().entries.map((e) => e.title)).toEqual(['A']);
  });

  it('leaves rows unmarked when the background answers with an error, and retries by itself', async () => {
    document.body.innerHTML = '<ul><li class="row"><a class="t">A</a></li></ul>';
    let fail = true;
    const send = (async (msg: Request) =>
      msg.type === 'match-batch' && fail
        ? { ok: false, error: 'no response from the background' }
        : { ok: true, results: (msg as Extract<Request, { type: 'match-batch' }>).entries.map((e) => ({ eid: e.eid, status: 'none', tags: [], lists: [] })) }) as Send;
    const marker = new Marker({ doc: document, adapter, send, shadowMode: 'open', href: () => 'https://e.org/', debounceMs: 5 });
    current = marker;
    marker.start();
    await marker.lastScan;
    expect(document.querySelector('li')!.hasAttribute(ENTRY_ATTR)).toBe(false);
    fail = false;
    await tick(700); // the first retry comes after 500 ms
    await marker.lastScan;
    expect(document.querySelector('li')!.getAttribute(ENTRY_ATTR)).toBe('none');
  });
});
