import { describe, it, expect, afterEach } from 'vitest';
import { Marker, type Send } from '../../entrypoints/listing.content/marker';
import { TriageUi, seenText, SEEN_ATTR, DISMISSED_ATTR, SUGGEST_ATTR, CURRENT_ATTR } from '../../entrypoints/listing.content/triage';
import { groupBySuggestion } from '../../components/triage-summary';
import type { SiteAdapter, FoundEntry } from '../../lib/sites/types';
import type { Request, TabEntry } from '../../lib/messaging/messages';
import { titleKey } from '../../lib/model/normalize';

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

const roots = () => [...document.querySelectorAll('li.row')];
const key = (k: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
const te = (eid: number, suggest?: string[], dismissed?: boolean): TabEntry => ({
  entry: { eid, title: `t${eid}`, ids: {} },
  result: { eid, status: 'none', tags: [], lists: [], ...(suggest ? { suggest } : {}), ...(dismissed ? { dismissed } : {}) },
});

/** A fake background: seen counts grow per batch, "Graph …" titles get a suggestion, dismissals are kept. */
function setup(titles: string[], settings = { dismissed: 'dim' as 'dim' | 'hide', keys: true }) {
  document.body.innerHTML = '<ul id="list"></ul>';
  const list = document.getElementById('list')!;
  for (const t of titles) {
    const li = document.createElement('li');
    li.className = 'row';
    const a = document.createElement('a');
    a.className = 't';
    a.textContent = t;
    li.append(a);
    list.append(li);
  }
  const sent: Request[] = [];
  const dismissed = new Set<string>();
  const tagged = new Map<string, string>();
  let views = 0;
  const send = (async (msg: Request) => {
    sent.push(msg);
    switch (msg.type) {
      case 'match-batch':
        views++;
        return {
          ok: true,
          results: msg.entries.map((e) => ({
            eid: e.eid,
            status: tagged.has(e.title) ? 'match' : 'none',
            ...(tagged.has(e.title) ? { paperId: `p-${e.title}` } : {}),
            tags: tagged.has(e.title) ? [tagged.get(e.title)!] : [],
            lists: [],
            seen: views, // grows with every answer: the page must keep its first figure
            ...(dismissed.has(e.title) ? { dismissed: true } : {}),
            ...(e.title.startsWith('Graph') && !tagged.has(e.title) ? { suggest: ['gnn', 'misc'] } : {}),
          })),
        };
      case 'dismiss':
        dismissed.add(msg.entry.title);
        return { ok: true, key: titleKey(msg.entry.title) };
      case 'undismiss':
        for (const t of dismissed) if (titleKey(t) === msg.key) dismissed.delete(t);
        return { ok: true, undone: true };
      case 'add-paper':
        return { ok: true, paperId: `p-${msg.entry.title}` };
      case 'add-tag':
        tagged.set(msg.paperIds[0]!.slice(2), msg.tag);
        return { ok: true, tag: msg.tag };
      case 'triage-settings':
        return { ok: true, ...settings };
      default:
        return { ok: true, tags: [], lists: [] };
    }
  }) as Send;
  const ui = new TriageUi(document, send, 'open');
  const marker = new Marker({ doc: document, adapter, send, shadowMode: 'open', href: () => 'https://example.org/list', debounceMs: 5, onApplied: ui.applied, onBadge: ui.badgeMounted });
  marker.start();
  ui.start(marker);
  return { marker, ui, sent, roots };
}

/** The "not interested" button of the i-th entry's triage chip. */
const dismissButton = (i: number) =>
  document.querySelectorAll('[data-shelfmark-host="triage"]')[i]!.shadowRoot!.querySelector('button.dismiss') as HTMLButtonElement;
const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  document.body.innerHTML = '';
  document.querySelectorAll('[data-shelfmark-host]').forEach((n) => n.remove());
});

describe('triage on the page', () => {
  it('sets the seen / suggest hooks; an entry keeps the seen figure of the view start', async () => {
    const s = setup(['Graph attention networks', 'Cooking', 'Graph kernels']);
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    await tick();
    expect(s.roots().map((r) => r.getAttribute(SEEN_ATTR))).toEqual(['1', '1', '1']);
    expect(s.roots().map((r) => r.getAttribute(SUGGEST_ATTR))).toEqual(['gnn,misc', null, 'gnn,misc']);
    await s.marker.recheck(1); // a later answer says seen 2: the figure of this view stays 1
    expect(s.roots()[0]!.getAttribute(SEEN_ATTR)).toBe('1');
  });

  it('keyboard: j/k move, x dismisses (dimmed), u undoes, y accepts the first suggestion (adds the paper), ? shows the keys', async () => {
    const s = setup(['Graph attention networks', 'Cooking', 'Graph kernels']);
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    await tick();
    key('j');
    expect(s.roots()[0]!.hasAttribute(CURRENT_ATTR)).toBe(true);
    key('j');
    key('k');
    key('j');
    expect(s.roots()[1]!.hasAttribute(CURRENT_ATTR)).toBe(true);
    key('x');
    await tick();
    expect(s.roots()[1]!.getAttribute(DISMISSED_ATTR)).toBe('dim');
    key('u');
    await tick();
    expect(s.roots()[1]!.hasAttribute(DISMISSED_ATTR)).toBe(false);
    key('j');
    key('y');
    await tick();
    const types = s.sent.map((m) => m.type);
    expect(types).toContain('add-paper');
    expect(s.sent.find((m) => m.type === 'add-tag')).toMatchObject({ tag: 'gnn', paperIds: ['p-Graph kernels'] });
    expect(s.roots()[2]!.getAttribute('data-shelfmark-entry')).toBe('match');
    expect(s.roots()[2]!.hasAttribute(SUGGEST_ATTR)).toBe(false);
    key('?');
    expect(document.querySelector('[data-shelfmark-host="help"]')).not.toBeNull();
    key('Escape');
    expect(document.querySelector('[data-shelfmark-host="help"]')).toBeNull();
  });

  it('every hook is set with the statuses; each entry gets its chip with its badge, right after it', async () => {
    const titles = Array.from({ length: 40 }, (_, i) => (i % 3 ? `Paper about topic ${i}` : `Graph paper ${i}`));
    const s = setup(titles);
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    // The answer's task set every status and hook; badges (and so chips) come in later tasks.
    expect(s.roots().every((r) => r.hasAttribute('data-shelfmark-entry') && r.getAttribute(SEEN_ATTR) === '1')).toBe(true);
    expect(s.roots().filter((r) => r.hasAttribute(SUGGEST_ATTR))).toHaveLength(14);
    expect(document.querySelectorAll('[data-shelfmark-host="badge"]')).toHaveLength(0);
    expect(document.querySelectorAll('[data-shelfmark-host="triage"]')).toHaveLength(0);
    await tick();
    for (const r of s.roots()) {
      const badge = r.querySelector('[data-shelfmark-host="badge"]');
      expect(badge?.nextElementSibling?.getAttribute('data-shelfmark-host')).toBe('triage');
    }
    expect(document.querySelectorAll('[data-shelfmark-host="triage"]')).toHaveLength(40);
    // A later answer updates the chips in place (no second chip).
    await s.marker.recheck(3);
    expect(document.querySelectorAll('[data-shelfmark-host="triage"]')).toHaveLength(40);
  });

  it('a click on a suggestion accepts it', async () => {
    const s = setup(['Graph attention networks']);
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    await tick();
    const chip = document.querySelector('[data-shelfmark-host="triage"]')!;
    const buttons = [...chip.shadowRoot!.querySelectorAll('button.suggest')] as HTMLButtonElement[];
    expect(buttons.map((b) => b.textContent)).toEqual(['+ gnn', '+ misc']);
    buttons[1]!.click();
    await tick();
    expect(s.sent.find((m) => m.type === 'add-tag')).toMatchObject({ tag: 'misc' });
  });

  it('one click dismisses an entry, one more click undoes it', async () => {
    const s = setup(['Cooking', 'Baking']);
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    await tick();
    expect(dismissButton(1).getAttribute('aria-label')).toBe('Not interested');
    dismissButton(1).click();
    await tick();
    expect(s.roots()[1]!.getAttribute(DISMISSED_ATTR)).toBe('dim');
    expect(s.roots()[0]!.hasAttribute(DISMISSED_ATTR)).toBe(false);
    expect(dismissButton(1).getAttribute('aria-label')).toBe('Undo: not interested');
    dismissButton(1).click();
    await tick();
    expect(s.roots()[1]!.hasAttribute(DISMISSED_ATTR)).toBe(false);
  });

  it('switched off: keys do nothing; hide mode hides dismissed entries', async () => {
    const s = setup(['Graph attention networks', 'Cooking'], { dismissed: 'hide', keys: false });
    stop = () => (s.marker.stop(), s.ui.stop());
    await s.marker.lastScan;
    await tick();
    key('j');
    key('x');
    await tick();
    expect(document.querySelector(`[${CURRENT_ATTR}]`)).toBeNull();
    expect(s.sent.some((m) => m.type === 'dismiss')).toBe(false);
    await s.ui.run('dismiss', 2);
    expect(s.roots()[1]!.getAttribute(DISMISSED_ATTR)).toBe('hide');
  });

  it('says where a paper was first seen; the popup groups entries by first suggestion, largest group first', () => {
    expect(seenText(3, { label: 'arxiv.org/list/cs.LG/new', at: Date.UTC(2026, 2, 17) })).toBe('seen before: 3 times, first on arxiv.org/list/cs.LG/new, Mar 17');
    expect(seenText(1)).toBe('seen before: 1 time');
    const groups = groupBySuggestion([te(1, ['b']), te(2, ['a', 'b']), te(3, ['b']), te(4), te(5, ['a'], true), te(6, ['c'])]);
    expect(groups.map((g) => [g.tag, g.entries.map((e) => e.entry.eid)])).toEqual([
      ['b', [1, 3]],
      ['a', [2]],
      ['c', [6]],
    ]);
  });
});
