import { parseRequest, type Ok, type Request, type RequestOf, type RequestType, type Response } from '@/lib/messaging/messages';
import { allowed, type Sender } from '@/lib/messaging/sender';
import { addPaperFromEntry, addTag, addToList, confirmMatch, createListWithPapers, rejectMatch, removeFromList, removeTag } from '@/lib/actions';
import { liveListsByName, tagNames } from '@/lib/storage/queries';
import type { Context } from './context';
import { matchEntries, titlesOf } from './match-results';
import { badgeCount, refreshTabs, remember, resyncTab } from './tab-state';
import { settleClaims } from '@/lib/match/claims';
import { queueSightings } from './sightings';
import { annotateTriage, triageHandlers } from './triage';

/**
 * The background's request handlers, one per message type, over a context (./context.ts).
 * entrypoints/background/index.ts wires `handleMessage` to browser.runtime.onMessage.
 */

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
    const demoted = await settleClaims([...state.entries.values()], titlesOf(ctx));
    const earlier = demoted.filter((it) => !items.includes(it)).map((it) => it.result);
    if (earlier.length) {
      ctx.platform.pushResults(tabId, earlier);
      ctx.platform.setBadge(tabId, badgeCount(state));
    }
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
    const listId = await createListWithPapers(ctx.db, msg.name, msg.paperIds ?? []);
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
    const paper = await confirmMatch(ctx.db, msg.paperId, msg.entry, msg.pageUrl);
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
    const [tags, lists] = await Promise.all([tagNames(ctx.db), liveListsByName(ctx.db)]);
    return { ok: true, tags, lists: lists.map((l) => ({ id: l.id, name: l.name })) };
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
