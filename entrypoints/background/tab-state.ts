import { titleKey } from '@/lib/model/normalize';
import { ResyncSchema, type EntryResult, type TabEntry } from '@/lib/messaging/messages';
import type { Context, TabState } from './context';
import { matchEntries } from './match-results';
import { annotateTriage } from './triage';

/** Per-tab state: a tab's entries and results, its toolbar count, and pushing changed results to it. */

export function badgeCount(state: TabState): number {
  const ids = new Set<string>();
  for (const { result } of state.entries.values()) if (result.status === 'match' && result.paperId) ids.add(result.paperId);
  return ids.size;
}

/** Stores a tab's entries and results, and updates its toolbar badge. */
export function remember(ctx: Context, tabId: number, pageUrl: string, reset: boolean, items: TabEntry[]): TabState {
  let state = ctx.tabs.get(tabId);
  if (!state || reset || state.pageUrl !== pageUrl) {
    state = { pageUrl, entries: new Map(), sighted: new Set() };
    ctx.tabs.set(tabId, state);
  }
  for (const it of items) state.entries.set(it.entry.eid, it);
  ctx.platform.setBadge(tabId, badgeCount(state));
  return state;
}

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
