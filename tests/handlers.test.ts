// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie (first: Dexie reads them on load)
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { Paper } from '../lib/model/types';
import { titleKey } from '../lib/model/normalize';
import { dropTestDb, makePaper as paper, openTestDb } from './helpers/db';
import { MatchIndex, type MatchResult } from '../lib/match';
import type { EntryResult, WireEntry } from '../lib/messaging/messages';
import { LIMITS } from '../lib/messaging/messages';
import { IndexStore } from '../entrypoints/background/index-store';
import { classifySender, type Sender } from '../lib/messaging/sender';
import { createContext, type Context, type Platform } from '../entrypoints/background/context';
import { handleMessage } from '../entrypoints/background/handlers';
import { flushSightings } from '../entrypoints/background/sightings';
import { refreshTabs } from '../entrypoints/background/tab-state';
import { changedKeys } from '../lib/storage/changes';
import { PAPERS_REVISION_KEY, papersRevision } from '../lib/storage/papers-revision';

const IQL = 'Offline Reinforcement Learning with Implicit Q-Learning';
const DT = 'Decision Transformer: Reinforcement Learning via Sequence Modeling';
const CQL = 'Conservative Q-Learning for Offline Reinforcement Learning';

class RecordingPlatform implements Platform {
  pushed: Array<{ tabId: number; results: EntryResult[] }> = [];
  badges = new Map<number, number>();
  flushes = 0;
  tabEntries = new Map<number, unknown>();
  pushResults(tabId: number, results: EntryResult[]) {
    this.pushed.push({ tabId, results });
  }
  setBadge(tabId: number, count: number) {
    this.badges.set(tabId, count);
  }
  async fetchTabEntries(tabId: number) {
    if (!this.tabEntries.has(tabId)) throw new Error('no content script');
    return this.tabEntries.get(tabId);
  }
  async listTabs() {
    return [...this.tabEntries.keys()];
  }
  scheduleFlush() {
    this.flushes++;
  }
}

let db: ShelfmarkDB;
let platform: RecordingPlatform;
let store: IndexStore;
let ctx: Context;
const tab: Sender = { kind: 'content', tabId: 7, url: 'https://huggingface.co/papers' };
const page: Sender = { kind: 'page', url: 'chrome-extension://x/popup.html' };
const pageUrl = 'https://huggingface.co/papers';

beforeEach(async () => {
  db = await openTestDb('test-handlers', [paper('pa', IQL), paper('pb', DT, { arxivId: '2106.01345' }), paper('pc', CQL)]);
  platform = new RecordingPlatform();
  store = new IndexStore(db, 5);
  ctx = createContext(db, store, platform);
});
afterEach(async () => {
  store.cancelPersist();
  await dropTestDb(db);
});

const entry = (eid: number, title: string, ids: WireEntry['ids'] = {}): WireEntry => ({ eid, title, ids });
const batch = (entries: WireEntry[], reset = false) => ({ type: 'match-batch', pageUrl, entries, reset });

async function ok<T>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as { ok: boolean; error?: string };
  if (!r.ok) throw new Error('expected ok, got: ' + r.error);
  return r as T;
}

describe('untrusted input', () => {
  it('accepts only this extension: its pages and its content scripts in tabs', () => {
    const id = 'abcdefghijklmnop';
    const origin = `chrome-extension://${id}/`;
    expect(classifySender({ id, url: origin + 'popup.html' }, id, origin)).toEqual({ kind: 'page', url: origin + 'popup.html' });
    // The library page open in a tab is still a page, not a content script.
    expect(classifySender({ id, url: origin + 'library.html', tab: { id: 4 } }, id, origin)?.kind).toBe('page');
    expect(classifySender({ id, url: 'https://arxiv.org/list/cs/new', tab: { id: 4 } }, id, origin)).toEqual({
      kind: 'content',
      tabId: 4,
      url: 'https://arxiv.org/list/cs/new',
    });
    expect(classifySender({ id: 'another-extension', url: 'https://arxiv.org/', tab: { id: 4 } }, id, origin)).toBeUndefined();
    expect(classifySender({ url: 'https://evil.example/', tab: { id: 4 } }, id, origin)).toBeUndefined();
    expect(classifySender({ id, url: 'https://x.org/' }, id, origin)).toBeUndefined(); // no tab, not our page
    expect(classifySender({ id, tab: { id: -1 } }, id, origin)).toBeUndefined();
    expect(classifySender({ id: '' }, '', origin)).toBeUndefined();
  });

  it('answers malformed, unknown and oversized messages with an error', async () => {
    const tries: unknown[] = [
      null,
      42,
      'match-batch',
      {},
      { type: 'nope' },
      { type: 'match-batch' },
      { type: 'match-batch', pageUrl, entries: 'x' },
      { type: 'match-batch', pageUrl, entries: [{ eid: -1, title: 'x', ids: {} }] },
      { type: 'match-batch', pageUrl, entries: [{ eid: 1, title: '', ids: {} }] },
      { type: 'match-batch', pageUrl, entries: [{ eid: 1, title: 'x'.repeat(LIMITS.titleChars + 1), ids: {} }] },
      { type: 'match-batch', pageUrl, entries: [{ eid: 1, title: 'x', ids: {}, abstract: 'a'.repeat(LIMITS.abstractChars + 1) }] },
      { type: 'match-batch', pageUrl, entries: Array.from({ length: LIMITS.entriesPerBatch + 1 }, (_, i) => entry(i, 't')) },
      { type: 'match-batch', pageUrl, entries: [{ eid: 1, title: 'x', ids: {}, html: '<b>' }] },
      { type: 'add-tag', paperIds: [], tag: 'x' },
      { type: 'add-tag', paperIds: ['pa'], tag: '' },
      { type: 'add-tag', paperIds: ['pa'], tag: 'x'.repeat(LIMITS.tagChars + 1) },
      { type: 'add-tag', paperIds: ['pa'], tag: { toString: 'x' } },
      { type: 'tab-entries', tabId: -3 },
    ];
    for (const t of tries) {
      const r = await handleMessage(ctx, t, tab);
      expect(r.ok, JSON.stringify(t)?.slice(0, 80)).toBe(false);
      expect((r as { error: string }).error).toMatch(/invalid message/);
    }
    expect(await db.paperTags.count()).toBe(0);
  });

  it('accepts a batch only from a content script, and data-changed only from an extension page', async () => {
    const r = await handleMessage(ctx, batch([entry(1, IQL)]), page);
    expect(r).toEqual({ ok: false, error: 'match-batch is not accepted from this sender' });
    const r2 = await handleMessage(ctx, { type: 'data-changed' }, tab);
    expect(r2.ok).toBe(false);
  });

  it('turns a failing action into an error response', async () => {
    const r = await handleMessage(ctx, { type: 'add-tag', paperIds: ['missing'], tag: 'x' }, tab);
    expect(r).toEqual({ ok: false, error: 'No paper with id missing.' });
  });
});

describe('match-batch', () => {
  it('answers each entry with status, paper, tags and lists, and sets the toolbar count', async () => {
    await db.paperTags.add({ paperId: 'pa', tag: 'offline', addedAt: 1 });
    await db.lists.bulkAdd([
      { id: 'l1', name: 'To read', createdAt: 1, updatedAt: 1 },
      { id: 'l2', name: 'Gone', createdAt: 1, updatedAt: 1, deletedAt: 2 },
    ]);
    await db.listItems.bulkAdd([
      { listId: 'l1', paperId: 'pa', position: 0, read: false, addedAt: 1 },
      { listId: 'l2', paperId: 'pa', position: 0, read: false, addedAt: 1 },
    ]);
    const r = await ok<{ results: EntryResult[] }>(
      handleMessage(ctx, batch([entry(1, 'offline reinforcement learning with implicit q learning'), entry(2, 'Unknown paper'), entry(3, 'Decision Transformer: RL via Sequence Modeling', { arxiv: '2106.01345v2' })]), tab),
    );
    expect(r.results).toEqual([
      { eid: 1, status: 'match', paperId: 'pa', tags: ['offline'], lists: [{ id: 'l1', name: 'To read' }], evidence: 'key' },
      { eid: 2, status: 'none', tags: [], lists: [] },
      { eid: 3, status: 'match', paperId: 'pb', tags: [], lists: [], evidence: 'id' },
    ]);
    expect(platform.badges.get(7)).toBe(2);
    // A second batch on the same page adds to the count; a reset starts over.
    await ok(handleMessage(ctx, batch([entry(4, CQL)]), tab));
    expect(platform.badges.get(7)).toBe(3);
    await ok(handleMessage(ctx, batch([entry(1, CQL)], true), tab));
    expect(platform.badges.get(7)).toBe(1);
  });

  it('records sightings of recognized entries once per page view and learns missing ids', async () => {
    await ok(handleMessage(ctx, batch([entry(1, IQL, { arxiv: '2110.06169' }), entry(2, 'Not in corpus')]), tab));
    await ok(handleMessage(ctx, batch([entry(3, IQL, { arxiv: '2110.06169' })]), tab)); // same paper again
    expect(platform.flushes).toBeGreaterThan(0);
    expect(await flushSightings(ctx)).toBe(1);
    const rows = await db.sightings.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ paperId: 'pa', pageUrl, host: 'huggingface.co', status: 'match', key: titleKey(IQL) });
    const pa = await db.papers.get('pa');
    expect(pa?.arxivId).toBe('2110.06169');
    expect(pa?.lastSeenAt).toBeGreaterThan(0);
    expect((pa as { learnedIds?: unknown[] }).learnedIds).toEqual([
      { kind: 'arxiv', value: '2110.06169', pageUrl, title: IQL, at: expect.any(Number), via: 'key' },
    ]);
    // The next visit matches by id under an arXiv retitle that keeps most words; a title that is
    // plainly another paper is only a maybe.
    const r = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([entry(9, 'Offline RL with Implicit Q-Learning', { arxiv: '2110.06169v3' })], true), tab));
    expect(r.results[0]).toMatchObject({ status: 'match', paperId: 'pa', evidence: 'id' });
    const r2 = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([entry(10, 'IQL (renamed)', { arxiv: '2110.06169v3' })], true), tab));
    expect(r2.results[0]).toMatchObject({ status: 'maybe', paperId: 'pa', reason: 'same arXiv id, different title' });
  });

  it('recording sightings keeps the papers revision (the persisted index stays valid)', async () => {
    const before = await papersRevision(db);
    await ok(handleMessage(ctx, batch([entry(1, IQL), entry(2, DT)]), tab));
    expect(await flushSightings(ctx)).toBe(2);
    expect((await db.papers.get('pa'))?.lastSeenAt).toBeGreaterThan(0);
    expect(await papersRevision(db)).toBe(before);
    // Learning an id is an index change: that stamps.
    await ok(handleMessage(ctx, batch([entry(3, CQL, { arxiv: '2006.04779' })]), tab));
    await flushSightings(ctx);
    expect(await papersRevision(db)).not.toBe(before);
  });

  it('does not copy an id that another paper already has', async () => {
    await ok(handleMessage(ctx, batch([entry(1, IQL, { doi: '10.1000/dt' })]), tab));
    await db.papers.update('pb', { doi: '10.1000/dt' });
    store.upsert((await db.papers.get('pb'))!);
    await flushSightings(ctx);
    expect((await db.papers.get('pa'))?.doi).toBeUndefined();
  });
});

describe('ids learned from a page that arrives in batches', () => {
  const X = '2110.06169';
  // Rivals a later batch of the same page can bring for IQL's entry (batch 1: IQL with arXiv X).
  const rivals: [string, WireEntry][] = [
    ['the same id under another title', entry(2, 'Scaling Laws for Sparse Mixture Models', { arxiv: X })],
    ['the same id under another corpus title', entry(2, CQL, { arxiv: X })],
    ['a second claimant of the paper (a typo of its title, its own id)', entry(2, 'Offline Reinforcement Learning with Implicit Q-Learnign', { arxiv: '2301.00001' })],
  ];
  const first = entry(1, IQL, { arxiv: X });

  for (const [what, rival] of rivals) {
    it(`is not learned when a later batch, before the flush, brings ${what}`, async () => {
      await ok(handleMessage(ctx, batch([first], true), tab));
      await ok(handleMessage(ctx, batch([rival]), tab));
      await flushSightings(ctx);
      const pa = await db.papers.get('pa');
      expect(pa?.arxivId).toBeUndefined();
      expect(pa?.learnedIds ?? []).toEqual([]);
    });

    it(`is withdrawn when a later batch, after the flush, brings ${what}`, async () => {
      await ok(handleMessage(ctx, batch([first], true), tab));
      await flushSightings(ctx);
      expect((await db.papers.get('pa'))?.arxivId).toBe(X);
      await ok(handleMessage(ctx, batch([rival]), tab));
      await flushSightings(ctx);
      const pa = await db.papers.get('pa');
      expect(pa?.arxivId).toBeUndefined();
      expect(pa?.learnedIds ?? []).toEqual([]);
      // Not a user removal: a later page where it is the sole claim teaches it again.
      expect(pa?.forgottenIds ?? []).toEqual([]);
      // The index forgot it too: the id alone no longer names the paper.
      expect((await store.get()).match({ title: '', ids: { arxiv: X } }).paperId).toBeUndefined();
      await ok(handleMessage(ctx, batch([first], true), { ...tab, tabId: 8 } as Sender));
      await flushSightings(ctx);
      expect((await db.papers.get('pa'))?.arxivId).toBe(X);
    });
  }

  it('stays when later batches bring only other papers and unrelated ids', async () => {
    await ok(handleMessage(ctx, batch([first], true), tab));
    await flushSightings(ctx);
    await ok(handleMessage(ctx, batch([entry(2, DT, { arxiv: '2106.01345' }), entry(3, 'Not in corpus', { arxiv: '2301.00002' })]), tab));
    await ok(handleMessage(ctx, batch([entry(4, IQL, { arxiv: X })]), tab)); // the same entry printed again
    await flushSightings(ctx);
    const pa = await db.papers.get('pa');
    expect(pa?.arxivId).toBe(X);
    expect(pa?.learnedIds).toHaveLength(1);
  });
});

describe('actions through messages and pushed updates', () => {
  it('a tag added from the badge menu is pushed to every tab showing the paper', async () => {
    await ok(handleMessage(ctx, batch([entry(1, IQL), entry(2, DT)]), tab));
    const other: Sender = { kind: 'content', tabId: 8 };
    await ok(handleMessage(ctx, { type: 'match-batch', pageUrl: 'https://arxiv.org/list/cs.LG/new', entries: [entry(5, IQL)] }, other));
    const t = await ok<{ tag: string }>(handleMessage(ctx, { type: 'add-tag', paperIds: ['pa'], tag: ' to read ' }, tab));
    expect(t.tag).toBe('to read');
    await refreshTabs(ctx);
    expect(platform.pushed).toEqual([
      { tabId: 7, results: [{ eid: 1, status: 'match', paperId: 'pa', tags: ['to read'], lists: [], evidence: 'key' }] },
      // Tab 8 is a later page view of the paper tab 7 showed: seen once before (lib/triage).
      { tabId: 8, results: [{ eid: 5, status: 'match', paperId: 'pa', tags: ['to read'], lists: [], evidence: 'key', seen: 1, firstSeen: { label: expect.any(String), at: expect.any(Number) } }] },
    ]);
    // Nothing changed since: nothing pushed.
    platform.pushed = [];
    await refreshTabs(ctx);
    expect(platform.pushed).toEqual([]);
  });

  it('lists: create, add, menu data, remove', async () => {
    const { listId } = await ok<{ listId: string }>(handleMessage(ctx, { type: 'create-list', name: 'Weekend' }, tab));
    await ok(handleMessage(ctx, { type: 'add-to-list', listId, paperIds: ['pa', 'pb'] }, tab));
    await ok(handleMessage(ctx, { type: 'add-tag', paperIds: ['pb'], tag: 'zeta' }, tab));
    await ok(handleMessage(ctx, { type: 'add-tag', paperIds: ['pb'], tag: 'alpha' }, tab));
    const menu = await ok<{ tags: string[]; lists: unknown[] }>(handleMessage(ctx, { type: 'menu-data' }, tab));
    expect(menu.tags).toEqual(['alpha', 'zeta']);
    expect(menu.lists).toEqual([{ id: listId, name: 'Weekend' }]);
    const r = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([entry(1, DT)]), tab));
    expect(r.results[0]?.lists).toEqual([{ id: listId, name: 'Weekend' }]);
    expect(r.results[0]?.tags).toEqual(['alpha', 'zeta']);
    await ok(handleMessage(ctx, { type: 'remove-from-list', listId, paperIds: ['pb'] }, tab));
    expect(await db.listItems.count()).toBe(1);
  });

  it('create-list with papers makes the list and adds them in one step; a taken name adds nothing', async () => {
    const { listId } = await ok<{ listId: string }>(handleMessage(ctx, { type: 'create-list', name: 'Popup', paperIds: ['pc', 'pa'] }, page));
    expect((await db.listItems.where('listId').equals(listId).sortBy('position')).map((i) => i.paperId)).toEqual(['pc', 'pa']);
    const again = (await handleMessage(ctx, { type: 'create-list', name: 'popup', paperIds: ['pb'] }, page)) as { ok: boolean; error?: string };
    expect(again.ok).toBe(false);
    expect(again.error).toMatch(/already exists/);
    expect(await db.listItems.count()).toBe(2);
    expect(await db.lists.count()).toBe(1);
  });

  it('add-paper puts a new entry in the corpus and the page now matches it', async () => {
    const e = entry(4, 'A Brand New Method for Offline RL', { arxiv: '2501.01234' });
    const first = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e]), tab));
    expect(first.results[0]?.status).toBe('none');
    const { paperId } = await ok<{ paperId: string }>(handleMessage(ctx, { type: 'add-paper', entry: e, pageUrl }, tab));
    expect((await db.papers.get(paperId))).toMatchObject({ origin: 'user', arxivId: '2501.01234', provenance: [{ kind: 'page', source: pageUrl }] });
    await refreshTabs(ctx);
    expect(platform.pushed.at(-1)).toEqual({ tabId: 7, results: [{ eid: 4, status: 'match', paperId, tags: [], lists: [], evidence: 'id' }] });
    expect(platform.badges.get(7)).toBe(1);
  });

  it('tab-entries returns the tab state, and rebuilds it from the content script after a restart', async () => {
    await ok(handleMessage(ctx, batch([entry(1, IQL), entry(2, 'Other')]), tab));
    const r = await ok<{ entries: Array<{ entry: WireEntry; result: EntryResult }>; pageUrl: string }>(
      handleMessage(ctx, { type: 'tab-entries', tabId: 7 }, page),
    );
    expect(r.pageUrl).toBe(pageUrl);
    expect(r.entries.map((e) => [e.entry.eid, e.result.status])).toEqual([
      [1, 'match'],
      [2, 'none'],
    ]);
    // A fresh background (service worker restart) knows no tabs; it asks the content script.
    const ctx2 = createContext(db, new IndexStore(db, 5), platform);
    platform.tabEntries.set(7, { pageUrl, entries: [entry(1, IQL), entry(2, 'Other')] });
    const r2 = await ok<{ entries: Array<{ result: EntryResult }> }>(handleMessage(ctx2, { type: 'tab-entries', tabId: 7 }, page));
    expect(r2.entries.map((e) => e.result.status)).toEqual(['match', 'none']);
    // A tab without a content script: empty, not an error.
    const r3 = await ok<{ entries: unknown[] }>(handleMessage(ctx2, { type: 'tab-entries', tabId: 99 }, page));
    expect(r3.entries).toEqual([]);
    // Garbage from a content script is ignored.
    platform.tabEntries.set(5, { pageUrl, entries: [{ eid: 'x' }] });
    const r4 = await ok<{ entries: unknown[] }>(handleMessage(ctx2, { type: 'tab-entries', tabId: 5 }, page));
    expect(r4.entries).toEqual([]);
  });

  it('a content script reads only its own tab', async () => {
    await ok(handleMessage(ctx, batch([entry(1, IQL)]), tab));
    const spy: Sender = { kind: 'content', tabId: 8 };
    const r = await ok<{ entries: unknown[] }>(handleMessage(ctx, { type: 'tab-entries', tabId: 7 }, spy));
    expect(r.entries).toEqual([]);
  });
});

// The matcher's fuzzy stage is separate work: a fixed index stands in for a "maybe" here.
function maybeIndex(real: MatchIndex) {
  return {
    async get() {
      return {
        ...real,
        add: (p: Paper) => real.add(p),
        match: (q: Parameters<MatchIndex['match']>[0]) => real.match(q),
        matchMany: (qs: Parameters<MatchIndex['matchMany']>[0]): MatchResult[] =>
          qs.map((q) => {
            const r = real.match(q);
            if ((r.status === 'none' && /^conservative q/i.test(q.title)) || /ids disagree/.test(q.title)) {
              return { status: 'maybe', paperId: 'pc', candidates: [{ paperId: 'pc', score: 0.8 }], reason: 'similar title' };
            }
            return r;
          }),
      } as unknown as MatchIndex;
    },
    peek: () => real,
    upsert: (p: Paper) => real.add(p),
  };
}

describe('maybe: confirm and reject', () => {
  it('a maybe carries candidates with titles; confirm makes it a match, reject stops proposing it', async () => {
    const real = MatchIndex.build(await db.papers.toArray());
    ctx = createContext(db, maybeIndex(real), platform);
    const e = entry(1, 'Conservative Q Learning for Offline RL', { arxiv: '2006.04779' });
    const r = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e]), tab));
    expect(r.results[0]).toEqual({
      eid: 1,
      status: 'maybe',
      paperId: 'pc',
      candidates: [{ paperId: 'pc', title: CQL, score: 0.8 }],
      tags: [],
      lists: [],
      reason: expect.any(String),
    });
    const e2 = entry(2, 'Conservative Q-Learning: the sequel');
    await ok(handleMessage(ctx, { type: 'reject-match', entry: e2, paperId: 'pc', pageUrl }, tab));
    const r2 = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e2]), tab));
    expect(r2.results[0]).toEqual({ eid: 2, status: 'none', tags: [], lists: [] });

    await ok(handleMessage(ctx, { type: 'confirm-match', entry: e, paperId: 'pc', pageUrl }, tab));
    const pc = await db.papers.get('pc');
    expect(pc?.aliasKeys).toEqual([titleKey(e.title)]);
    expect(pc?.arxivId).toBe('2006.04779');
    const r3 = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([{ ...e, eid: 3, ids: {} }]), tab));
    expect(r3.results[0]).toMatchObject({ status: 'match', paperId: 'pc' });
  });
});

describe('maybe: the user decides over an id conflict', () => {
  it('a confirmed entry is a match even when the matcher keeps doubting (ids disagree)', async () => {
    const real = MatchIndex.build(await db.papers.toArray());
    ctx = createContext(db, maybeIndex(real), platform);
    const e = entry(1, 'CQL, ids disagree', { openreview: 'OtherId123' });
    expect((await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e]), tab))).results[0]?.status).toBe('maybe');
    await ok(handleMessage(ctx, { type: 'confirm-match', entry: e, paperId: 'pc', pageUrl }, tab));
    const r = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e]), tab));
    expect(r.results[0]).toEqual({ eid: 1, status: 'match', paperId: 'pc', tags: [], lists: [], evidence: 'confirmed' });
    // Rejecting it later takes the confirmation back.
    await ok(handleMessage(ctx, { type: 'reject-match', entry: e, paperId: 'pc', pageUrl }, tab));
    const r2 = await ok<{ results: EntryResult[] }>(handleMessage(ctx, batch([e]), tab));
    expect(r2.results[0]?.status).toBe('none');
  });
});

describe('index store', () => {
  it('persists the index and loads it from parts on a cold start; rebuilds when papers changed', async () => {
    const a = new IndexStore(db, 5);
    await a.get();
    expect(a.lastLoad).toBe('rebuild');
    expect(await db.indexParts.count()).toBeGreaterThan(0);

    const cold = new IndexStore(db, 5);
    const ix = await cold.get();
    expect(cold.lastLoad).toBe('parts');
    expect(ix.match({ title: IQL }).paperId).toBe('pa');

    // A paper written anywhere changes the stamp: the parts are stale and the next cold start rebuilds.
    await db.papers.put(paper('pd', 'A New Paper Added In The Library'));
    const cold2 = new IndexStore(db, 5);
    const ix2 = await cold2.get();
    expect(cold2.lastLoad).toBe('rebuild');
    expect(ix2.match({ title: 'A New Paper Added In The Library' }).paperId).toBe('pd');
    expect((await new IndexStore(db, 5).get()).size).toBe(4);
  });

  it('incremental changes are persisted after a quiet spell and survive a cold start', async () => {
    const a = new IndexStore(db, 5);
    await a.get();
    const p = paper('pe', 'Learned Later');
    await db.papers.put(p);
    await a.refreshPapers(['pe', 'pa']);
    // Wait for the scheduled persist itself (its meta row carries the current revision) rather
    // than a fixed sleep, which a loaded CI machine can outrun.
    const rev = (await db.meta.get(PAPERS_REVISION_KEY))?.value;
    await vi.waitFor(async () => expect(((await db.meta.get('indexParts'))?.value as { revision?: unknown } | undefined)?.revision).toBe(rev), { timeout: 5000, interval: 20 });
    const cold = new IndexStore(db, 5);
    const ix = await cold.get();
    expect(cold.lastLoad).toBe('parts');
    expect(ix.match({ title: 'Learned Later' }).paperId).toBe('pe');
  });

  it('merged-away papers leave the index', async () => {
    const a = new IndexStore(db, 5);
    await a.get();
    await db.papers.update('pc', { mergedInto: 'pa' });
    await a.refreshPapers(['pc']);
    expect((await a.get()).match({ title: CQL }).status).toBe('none');
  });
});

describe('storagemutated parts', () => {
  it('the background’s own bulk paper writes report exact keys (no full index rebuild)', async () => {
    const many = Array.from({ length: 120 }, (_, i) => paper(`pm${i}`, `Many Papers Number ${i} About Things`));
    await db.papers.bulkAdd(many);
    await ok(handleMessage(ctx, batch(many.map((p, i) => entry(100 + i, p.title, { arxiv: `2401.${String(10000 + i)}` }))), tab));
    const seen: Array<Record<string, unknown>> = [];
    const { Dexie } = await import('dexie');
    const listener = (parts: Record<string, unknown>) => void seen.push(parts);
    Dexie.on('storagemutated', listener);
    await flushSightings(ctx); // lastSeenAt on 120 papers, then 120 learned arXiv ids
    Dexie.on('storagemutated').unsubscribe(listener);
    const paperChanges = seen.map((p) => changedKeys(p, db.name, 'papers')).filter((k) => k !== null);
    expect(paperChanges).toHaveLength(2);
    for (const k of paperChanges) expect(Array.isArray(k) && k.length).toBe(120);
    expect((await db.papers.get('pm7'))?.arxivId).toBe('2401.10007');
  });

  it('reads changed primary keys from live and structured-cloned range sets', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const { Dexie } = await import('dexie');
    const listener = (parts: Record<string, unknown>) => void seen.push(parts);
    Dexie.on('storagemutated', listener);
    await db.papers.update('pb', { venue: 'NeurIPS' });
    await db.papers.bulkPut([paper('pz', 'Zed'), paper('py', 'Why')]);
    await db.paperTags.add({ paperId: 'pa', tag: 't', addedAt: 1 });
    await db.papers.clear();
    Dexie.on('storagemutated').unsubscribe(listener);
    const name = db.name;
    expect(changedKeys(seen[0]!, name, 'papers')).toEqual(['pb']);
    expect(changedKeys(structuredClone(seen[1]!), name, 'papers')).toEqual(['py', 'pz']);
    expect(changedKeys(seen[2]!, name, 'papers')).toBeNull();
    expect(changedKeys(seen[2]!, name, 'paperTags')).toBe('all'); // compound keys
    expect(changedKeys(seen[3]!, name, 'papers')).toBe('all');
  });
});
