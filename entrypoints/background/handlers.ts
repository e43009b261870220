import type { ShelfmarkDB, SightingRow } from '@/lib/db';
import type { Paper, PaperEntry } from '@/lib/types';
import type { MatchResult } from '@/lib/match';
import { titleKey } from '@/lib/normalize';
import { normalizeArxivId, normalizeDoi } from '@/lib/ids';
import {
  LIMITS,
  ResyncSchema,
  parseRequest,
  type EntryResult,
  type ListRef,
  type Ok,
  type Request,
  type RequestOf,
  type RequestType,
  type Response,
  type TabEntry,
  type WireEntry,
} from '@/lib/messages';
import {
  addPaperFromEntry,
  addTag,
  addToList,
  confirmMatch,
  createList,
  rejectMatch,
  rejectedPairs,
  confirmedPairs,
  removeFromList,
  removeTag,
} from '@/lib/actions';
import type { IndexStore } from './index-store';
import { skipRevisionStamp } from '@/lib/papers-revision';
import { annotateTriage, triageHandlers } from './triage';

/**
 * The background's message handlers, as plain functions over a context (database, match index,
 * per-tab state, and the few browser calls they need), so they are unit-tested without a browser.
 * entrypoints/background/index.ts wires them to browser.runtime.onMessage.
 */

/** Who sent a message, as established by index.ts from the browser's MessageSender. */
export type Sender =
  | { kind: 'content'; tabId: number; url?: string }
  | { kind: 'page'; url?: string };

/** The parts of the browser's MessageSender that decide who is talking. */
export interface RawSender {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

/**
 * Accepts only this extension: its own pages (popup, library; even when open in a tab) and its
 * content scripts in tabs. Anything else — another extension, a sender without a tab that is not
 * one of our pages — is refused (undefined).
 */
export function classifySender(s: RawSender, runtimeId: string, extensionOrigin: string): Sender | undefined {
  // `!s`: a missing sender (never from a conforming browser) is refused, not dereferenced.
  if (!runtimeId || !s || s.id !== runtimeId) return undefined;
  if (s.url?.startsWith(extensionOrigin)) return { kind: 'page', url: s.url };
  if (s.tab?.id !== undefined && s.tab.id >= 0) return { kind: 'content', tabId: s.tab.id, url: s.url };
  return undefined;
}

/** The browser calls the handlers need; index.ts implements them, tests record them. */
export interface Platform {
  /** Pushes changed results to a tab's content script. */
  pushResults(tabId: number, results: EntryResult[]): void;
  /** Sets the toolbar badge of a tab to the number of its entries in the corpus. */
  setBadge(tabId: number, count: number): void;
  /** Asks a tab's content script for every entry it found (after a service worker restart). */
  fetchTabEntries(tabId: number): Promise<unknown>;
  /** Ids of open tabs (any of them may hold a content script). */
  listTabs(): Promise<number[]>;
  /** Requests a sightings flush soon; the flush itself is `flushSightings(ctx)`. */
  scheduleFlush(): void;
}

interface TabState {
  pageUrl: string;
  entries: Map<number, TabEntry>;
  /** Title keys already recorded as sightings for this page view. */
  sighted: Set<string>;
}

export interface Context {
  db: ShelfmarkDB;
  index: Pick<IndexStore, 'get' | 'peek' | 'upsert'>;
  platform: Platform;
  tabs: Map<number, TabState>;
  pending: { sightings: SightingRow[]; learn: Map<string, WireEntry> };
  /** Timings of the last match batch (diagnostics for the annotation benchmark). */
  lastBatch?: {
    entries: number;
    parseMs: number;
    indexMs: number;
    matchMs: number;
    dataMs: number;
    totalMs: number;
    /** When the handler started, on the shared wall clock (timeOrigin + now), to line up with the page's marks. */
    startedAt: number;
  };
  lastMatch?: { indexMs: number; matchMs: number; dataMs: number };
  /** The refresh in progress (refreshes run one after another). */
  refreshing?: Promise<void>;
  /** Papers whose lastSeenAt the background is writing right now: its change listener ignores them. */
  quietPapers?: Set<string>;
}

export function createContext(db: ShelfmarkDB, index: Context['index'], platform: Platform): Context {
  return { db, index, platform, tabs: new Map(), pending: { sightings: [], learn: new Map() } };
}

// ---- matching --------------------------------------------------------------------------------

function queryOf(e: WireEntry): PaperEntry {
  return { title: e.title, ids: e.ids, abstract: e.abstract };
}

interface UserData {
  tags: Map<string, string[]>;
  lists: Map<string, ListRef[]>;
}

/** Tags and live lists of the given papers, in two indexed reads. */
async function userDataFor(db: ShelfmarkDB, paperIds: string[]): Promise<UserData> {
  const tags = new Map<string, string[]>();
  const lists = new Map<string, ListRef[]>();
  if (!paperIds.length) return { tags, lists };
  return db.transaction('r', db.paperTags, db.listItems, db.lists, async () => {
    const [tagRows, itemRows] = await Promise.all([
      db.paperTags.where('paperId').anyOf(paperIds).toArray(),
      db.listItems.where('paperId').anyOf(paperIds).toArray(),
    ]);
    for (const r of tagRows) {
      const arr = tags.get(r.paperId) ?? [];
      arr.push(r.tag);
      tags.set(r.paperId, arr);
    }
    for (const arr of tags.values()) arr.sort((a, b) => a.localeCompare(b));
    if (itemRows.length) {
      const listRows = await db.lists.bulkGet([...new Set(itemRows.map((r) => r.listId))]);
      const live = new Map(listRows.filter((l) => l && !l.deletedAt).map((l) => [l!.id, l!.name]));
      for (const r of itemRows) {
        const name = live.get(r.listId);
        if (name === undefined) continue;
        const arr = lists.get(r.paperId) ?? [];
        arr.push({ id: r.listId, name });
        lists.set(r.paperId, arr);
      }
    }
    return { tags, lists };
  });
}

/** Matches entries and attaches candidates' titles and the matched papers' tags and lists. */
export async function matchEntries(ctx: Context, entries: readonly WireEntry[]): Promise<EntryResult[]> {
  if (!entries.length) return [];
  const t0 = performance.now();
  // The user's confirm/reject decisions are read while the index loads and matches: one
  // database round trip overlapping the CPU work instead of following it.
  const pairs = Promise.all([rejectedPairs(ctx.db), confirmedPairs(ctx.db)]);
  pairs.catch(() => undefined); // awaited below; no unhandled rejection if the index fails first
  const index = await ctx.index.get();
  const t1 = performance.now();
  const raw: MatchResult[] = index.matchMany(entries.map(queryOf));
  const t2 = performance.now();
  const [rejected, confirmed] = await pairs;
  const results: EntryResult[] = [];
  // Titles are needed for the candidates of maybes only; tags and lists for matches only.
  const candidateIds = new Set<string>();
  const matchedIds = new Set<string>();
  entries.forEach((e, i) => {
    const r = raw[i]!;
    let status = r.status;
    let paperId = r.paperId;
    let candidates = (r.candidates ?? []).slice(0, LIMITS.candidates);
    if (status === 'maybe' && confirmed.size) {
      // The user said this title is that paper: a match, whatever else the matcher doubts.
      const key = titleKey(e.title);
      const sure = candidates.find((c) => confirmed.get(c.paperId)?.has(key)) ?? (paperId && confirmed.get(paperId)?.has(key) ? { paperId } : undefined);
      if (sure) {
        status = 'match';
        paperId = sure.paperId;
      }
    }
    if (status === 'maybe' && rejected.size) {
      // A "maybe" the user rejected for this title is not proposed again.
      const key = titleKey(e.title);
      candidates = candidates.filter((c) => !rejected.get(c.paperId)?.has(key));
      if (paperId && rejected.get(paperId)?.has(key)) paperId = candidates[0]?.paperId;
      if (!candidates.length && !paperId) status = 'none';
    }
    if (status === 'none') {
      paperId = undefined;
      candidates = [];
    }
    if (status === 'match' && paperId) matchedIds.add(paperId);
    if (status === 'maybe') for (const c of candidates) candidateIds.add(c.paperId);
    results.push({
      eid: e.eid,
      status,
      ...(paperId ? { paperId } : {}),
      ...(status === 'maybe' ? { candidates: candidates.map((c) => ({ paperId: c.paperId, title: '', score: c.score })) } : {}),
      tags: [],
      lists: [],
    });
  });
  const [papers, user] = await Promise.all([
    candidateIds.size ? ctx.db.papers.bulkGet([...candidateIds]) : [],
    userDataFor(ctx.db, [...matchedIds]),
  ]);
  const titles = new Map<string, string>();
  papers.forEach((p) => p && titles.set(p.id, p.title));
  for (const r of results) {
    if (r.candidates) for (const c of r.candidates) c.title = (titles.get(c.paperId) ?? '').slice(0, LIMITS.titleChars);
    // Tags and lists are shown for matches only: a maybe is not yet known to be that paper.
    if (r.status === 'match' && r.paperId) {
      r.tags = user.tags.get(r.paperId) ?? [];
      r.lists = user.lists.get(r.paperId) ?? [];
    }
  }
  ctx.lastMatch = { indexMs: t1 - t0, matchMs: t2 - t1, dataMs: performance.now() - t2 };
  return results;
}

function badgeCount(state: TabState): number {
  const ids = new Set<string>();
  for (const { result } of state.entries.values()) if (result.status === 'match' && result.paperId) ids.add(result.paperId);
  return ids.size;
}

/** Stores a tab's entries and results, and updates its toolbar badge. */
function remember(ctx: Context, tabId: number, pageUrl: string, reset: boolean, items: TabEntry[]): TabState {
  let state = ctx.tabs.get(tabId);
  if (!state || reset || state.pageUrl !== pageUrl) {
    state = { pageUrl, entries: new Map(), sighted: new Set() };
    ctx.tabs.set(tabId, state);
  }
  for (const it of items) state.entries.set(it.entry.eid, it);
  ctx.platform.setBadge(tabId, badgeCount(state));
  return state;
}

// ---- sightings and learned ids ---------------------------------------------------------------

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Queues sightings of recognized entries (match and maybe) once per page view, and the ids a
 * matched entry carries for the paper to learn. Entries not in the corpus are not recorded: a
 * 2000-row listing would otherwise add 2000 rows per visit.
 */
function queueSightings(ctx: Context, state: TabState, items: TabEntry[]): void {
  const now = Date.now();
  const host = hostOf(state.pageUrl);
  let queued = false;
  for (const { entry, result } of items) {
    if (result.status === 'none') continue;
    const key = titleKey(entry.title);
    const dedupe = `${result.paperId ?? ''}|${key}`;
    if (state.sighted.has(dedupe)) continue;
    state.sighted.add(dedupe);
    const row: SightingRow = {
      title: entry.title,
      key,
      pageUrl: state.pageUrl,
      host,
      ids: entry.ids,
      status: result.status,
      seenAt: now,
    };
    if (result.status === 'match' && result.paperId) row.paperId = result.paperId;
    if (entry.url) row.url = entry.url;
    ctx.pending.sightings.push(row);
    if (result.status === 'match' && result.paperId && (entry.ids.arxiv || entry.ids.doi || entry.ids.openreview)) {
      ctx.pending.learn.set(result.paperId, entry);
    }
    queued = true;
  }
  if (queued) ctx.platform.scheduleFlush();
}

/**
 * Dexie reports the exact keys of a bulk write only below 50 rows; a larger one is reported as
 * "the whole table changed", which would make the background rebuild its match index from every
 * paper. The background's own paper writes therefore go in batches of 49 (same transaction).
 */
async function putInSmallBatches(db: ShelfmarkDB, rows: Paper[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 49) await db.papers.bulkPut(rows.slice(i, i + 49));
}

/**
 * Writes queued sightings in one transaction, stamps the papers' lastSeenAt, and stores ids the
 * matched papers lacked (a paper matched by title on a page whose entry links its arXiv id learns
 * the id, so the next visit is an id lookup). An id another paper already has is not copied.
 */
export async function flushSightings(ctx: Context): Promise<number> {
  const rows = ctx.pending.sightings.splice(0);
  const learn = new Map(ctx.pending.learn);
  ctx.pending.learn.clear();
  if (!rows.length && !learn.size) return 0;
  const index = ctx.index.peek() ?? (await ctx.index.get());
  const db = ctx.db;
  const seen = new Map<string, number>();
  for (const r of rows) if (r.paperId) seen.set(r.paperId, Math.max(seen.get(r.paperId) ?? 0, r.seenAt));
  // 1. Sightings and lastSeenAt: fields the match index does not read, so no revision stamp
  //    (the persisted index stays valid) and the background's own change listener skips them.
  const seenIds = [...seen.keys()];
  ctx.quietPapers = new Set(seenIds);
  try {
    await db.transaction('rw', db.sightings, db.papers, async () => {
      skipRevisionStamp();
      if (rows.length) await db.sightings.bulkAdd(rows);
      const papers = await db.papers.bulkGet(seenIds);
      const changed = papers.flatMap((p) =>
        p && !p.mergedInto && (p.lastSeenAt ?? 0) < seen.get(p.id)! ? [{ ...p, lastSeenAt: seen.get(p.id)! }] : [],
      );
      await putInSmallBatches(db, changed);
    });
  } finally {
    ctx.quietPapers = undefined;
  }
  // 2. Ids the matched papers lacked: these do change the index.
  if (!learn.size) return rows.length;
  const owner = (probe: PaperEntry['ids']) => index.match({ title: '', ids: probe }).paperId;
  const updated = await db.transaction('rw', db.papers, async () => {
    const ids = [...learn.keys()];
    const papers = await db.papers.bulkGet(ids);
    const changed: Paper[] = [];
    papers.forEach((p) => {
      if (!p || p.mergedInto) return;
      const e = learn.get(p.id)!;
      const next: Paper = { ...p };
      let dirty = false;
      const arxiv = e.ids.arxiv ? normalizeArxivId(e.ids.arxiv) : undefined;
      const doi = e.ids.doi ? normalizeDoi(e.ids.doi) : undefined;
      const openreview = e.ids.openreview && /^[A-Za-z0-9_-]{6,}$/.test(e.ids.openreview) ? e.ids.openreview : undefined;
      if (arxiv && !p.arxivId && !owner({ arxiv })) {
        next.arxivId = arxiv;
        dirty = true;
      }
      if (doi && !p.doi && !owner({ doi })) {
        next.doi = doi;
        dirty = true;
      }
      if (openreview && !p.openreviewId && !owner({ openreview })) {
        next.openreviewId = openreview;
        dirty = true;
      }
      if (dirty) changed.push({ ...next, updatedAt: Date.now() });
    });
    await putInSmallBatches(db, changed);
    return changed;
  });
  for (const p of updated) if (p.arxivId || p.doi || p.openreviewId) ctx.index.upsert(p);
  return rows.length;
}

// ---- pushing changes to tabs ------------------------------------------------------------------

function sameResult(a: EntryResult, b: EntryResult): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Re-matches every entry of the known tabs and pushes the results that changed (a tag added in
 * the popup, a paper added from another tab, a list renamed in the library page).
 * Tabs the background does not know (it restarted) are asked for their entries first.
 */
export function refreshTabs(ctx: Context, opts: { resyncUnknown?: boolean } = {}): Promise<void> {
  // One refresh at a time: two overlapping ones could push older results after newer ones.
  const run = (ctx.refreshing ?? Promise.resolve()).catch(() => undefined).then(() => refreshTabsNow(ctx, opts));
  ctx.refreshing = run;
  return run;
}

async function refreshTabsNow(ctx: Context, opts: { resyncUnknown?: boolean }): Promise<void> {
  if (opts.resyncUnknown) {
    const open = await ctx.platform.listTabs().catch(() => [] as number[]);
    await Promise.all(open.filter((id) => !ctx.tabs.has(id)).map((id) => resyncTab(ctx, id)));
  }
  for (const [tabId, state] of ctx.tabs) {
    const items = [...state.entries.values()];
    const fresh = await matchEntries(
      ctx,
      items.map((it) => it.entry),
    );
    await annotateTriage(ctx, state, items.map((it, i) => ({ entry: it.entry, result: fresh[i]! })), false);
    const changed: EntryResult[] = [];
    fresh.forEach((r, i) => {
      const old = items[i]!;
      if (!sameResult(old.result, r)) {
        changed.push(r);
        old.result = r;
      }
    });
    if (changed.length) {
      ctx.platform.pushResults(tabId, changed);
      ctx.platform.setBadge(tabId, badgeCount(state));
    }
  }
}

/**
 * Rebuilds a tab's state from its content script (which keeps every entry it found) and pushes
 * the results. Returns false when the tab has no content script. Records no sightings: the page
 * was already seen.
 */
export async function resyncTab(ctx: Context, tabId: number): Promise<boolean> {
  const raw = await ctx.platform.fetchTabEntries(tabId).catch(() => undefined);
  const parsed = ResyncSchema.safeParse(raw);
  if (!parsed.success) return false;
  const { pageUrl, entries } = parsed.data;
  const results = await matchEntries(ctx, entries);
  const items = entries.map((entry, i) => ({ entry, result: results[i]! }));
  const state = remember(ctx, tabId, pageUrl, true, items);
  for (const it of items) if (it.result.status !== 'none') state.sighted.add(`${it.result.paperId ?? ''}|${titleKey(it.entry.title)}`);
  await annotateTriage(ctx, state, items, false);
  ctx.platform.pushResults(tabId, results);
  return true;
}

// ---- handlers ----------------------------------------------------------------------------------

type Handler<T extends RequestType> = (ctx: Context, msg: RequestOf<T>, sender: Sender) => Promise<Ok<T>>;

function requireTab(sender: Sender): number {
  if (sender.kind !== 'content') throw new Error('only a content script of a tab may send this');
  return sender.tabId;
}

export const handlers: { [T in RequestType]: Handler<T> } = {
  async 'match-batch'(ctx, msg, sender) {
    const tabId = requireTab(sender);
    const results = await matchEntries(ctx, msg.entries);
    const items = msg.entries.map((entry, i) => ({ entry, result: results[i]! }));
    const state = remember(ctx, tabId, msg.pageUrl, !!msg.reset, items);
    await annotateTriage(ctx, state, items, true);
    queueSightings(ctx, state, items);
    return { ok: true, results };
  },

  async 'add-tag'(ctx, msg) {
    const tag = await addTag(ctx.db, msg.paperIds, msg.tag);
    return { ok: true, tag };
  },

  async 'remove-tag'(ctx, msg) {
    await removeTag(ctx.db, msg.paperIds, msg.tag);
    return { ok: true };
  },

  async 'create-list'(ctx, msg) {
    const listId = await createList(ctx.db, msg.name);
    return { ok: true, listId };
  },

  async 'add-to-list'(ctx, msg) {
    await addToList(ctx.db, msg.listId, msg.paperIds);
    return { ok: true };
  },

  async 'remove-from-list'(ctx, msg) {
    await removeFromList(ctx.db, msg.listId, msg.paperIds);
    return { ok: true };
  },

  async 'confirm-match'(ctx, msg) {
    const paper = await confirmMatch(ctx.db, msg.paperId, msg.entry);
    ctx.index.upsert(paper);
    return { ok: true };
  },

  async 'reject-match'(ctx, msg) {
    await rejectMatch(ctx.db, msg.paperId, msg.entry);
    return { ok: true };
  },

  async 'add-paper'(ctx, msg) {
    const { paperId, created } = await addPaperFromEntry(ctx.db, msg.entry, msg.pageUrl);
    if (created) {
      const p = await ctx.db.papers.get(paperId);
      await ctx.index.get();
      if (p) ctx.index.upsert(p);
    }
    return { ok: true, paperId };
  },

  async 'menu-data'(ctx) {
    const [tags, lists] = await Promise.all([ctx.db.tags.orderBy('name').keys(), ctx.db.lists.toArray()]);
    return {
      ok: true,
      tags: tags.map(String),
      lists: lists
        .filter((l) => !l.deletedAt)
        .toSorted((a, b) => a.name.localeCompare(b.name))
        .map((l) => ({ id: l.id, name: l.name })),
    };
  },

  async 'tab-entries'(ctx, msg, sender) {
    // A content script may read only its own tab; extension pages name the tab.
    const tabId = sender.kind === 'content' ? sender.tabId : msg.tabId;
    if (tabId === undefined) throw new Error('tab-entries needs a tabId');
    if (!ctx.tabs.has(tabId)) await resyncTab(ctx, tabId);
    const state = ctx.tabs.get(tabId);
    if (!state) return { ok: true, entries: [] };
    return { ok: true, pageUrl: state.pageUrl, entries: [...state.entries.values()] };
  },

  async 'data-changed'(ctx) {
    await refreshTabs(ctx, { resyncUnknown: true });
    return { ok: true };
  },

  ...triageHandlers,
};

/** Which senders may send which messages. */
function allowed(type: RequestType, sender: Sender): boolean {
  if (type === 'match-batch') return sender.kind === 'content';
  if (type === 'data-changed') return sender.kind === 'page';
  return true;
}

/**
 * The one entry point: parse, check the sender, dispatch. Never throws; every failure is an
 * `{ ok: false, error }` response.
 */
export async function handleMessage(ctx: Context, raw: unknown, sender: Sender): Promise<Response<RequestType>> {
  const t0 = performance.now();
  const parsed = parseRequest(raw);
  const parseMs = performance.now() - t0;
  if (!parsed.ok) return parsed;
  const msg: Request = parsed.msg;
  if (!allowed(msg.type, sender)) return { ok: false, error: `${msg.type} is not accepted from this sender` };
  try {
    const handler = handlers[msg.type] as Handler<RequestType>;
    const res = await handler(ctx, msg as RequestOf<RequestType>, sender);
    if (msg.type === 'match-batch' && ctx.lastMatch) {
      const totalMs = performance.now() - t0;
      ctx.lastBatch = { entries: msg.entries.length, parseMs, ...ctx.lastMatch, totalMs, startedAt: performance.timeOrigin + t0 };
    }
    return res;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
