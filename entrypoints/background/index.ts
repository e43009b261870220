import { browser } from 'wxt/browser';
import { Dexie } from 'dexie';
import { getDb } from '@/lib/storage/db';
import { markBackgroundContext } from '@/lib/storage/change-notify';
import { sendToTab } from '@/lib/messaging/messages';
import { IndexStore } from './index-store';
import { classifySender } from '@/lib/messaging/sender';
import { createContext, type Platform } from './context';
import { handleMessage } from './handlers';
import { flushSightings } from './sightings';
import { refreshTabs } from './tab-state';
import { changedKeys } from '@/lib/storage/changes';
import { META } from '@/lib/storage/meta';
import { registerCorpusInstall, whenCorpusReady } from '@/lib/corpus/install';
import { watchSitePermissions } from '@/lib/sites/permissions';
import { registerAutoBackup } from '@/lib/storage/auto-backup';
import { startSync } from '@/lib/sync/background';
import { installTriage } from './triage';
import { getTriage } from '@/lib/triage/background';

export default defineBackground(() => {
  markBackgroundContext();
  const db = getDb();
  // Seed corpus: imported on install/update/startup, re-checked on every worker start.
  // Registered first: whenCorpusReady() below must see the import this starts.
  registerCorpusInstall();
  // Index loads wait for a running import, so the first page after install sees the seed corpus.
  const index = new IndexStore(db, 1000, whenCorpusReady);
  // MV3 Chrome: action; Firefox MV2: browserAction.
  const action = browser.action ?? browser.browserAction;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const platform: Platform = {
    pushResults(tabId, results) {
      void sendToTab(tabId, { type: 'results', results });
    },
    setBadge(tabId, count) {
      action?.setBadgeText({ tabId, text: count ? String(count) : '' })?.catch(() => {
        // The tab closed meanwhile.
      });
    },
    fetchTabEntries(tabId) {
      return sendToTab(tabId, { type: 'resync' });
    },
    async listTabs() {
      const tabs = await browser.tabs.query({});
      return tabs.flatMap((t) => (t.id === undefined ? [] : [t.id]));
    },
    scheduleFlush() {
      // Sightings from several batches (infinite scroll) go to the database in one transaction.
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined;
        flushSightings(ctx).catch((e) => console.warn('Shelfmark: sightings not saved', e));
      }, 800);
    },
  };
  const ctx = createContext(db, index, platform);
  // Diagnostics for the annotation benchmark (read through the DevTools protocol): how this worker
  // started and how its match index was loaded. No user data.
  Object.defineProperty(globalThis, 'shelfmarkDiagnostics', {
    value: () => ({
      timeOrigin: performance.timeOrigin,
      lastLoad: index.lastLoad,
      lastLoadMs: index.lastLoadMs,
      lastReadMs: index.lastReadMs,
      lastDecodeMs: index.lastDecodeMs,
      size: index.peek()?.size,
      lastBatch: ctx.lastBatch,
      triageModel: getTriage(db).lastModel,
    }),
  });
  void action?.setBadgeBackgroundColor?.({ color: '#2f6f3e' })?.catch(() => {});

  const extensionOrigin = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((msg: unknown, sender, sendResponse: (r: unknown) => void) => {
    const who = classifySender(sender, browser.runtime.id, extensionOrigin);
    if (!who) {
      sendResponse({ ok: false, error: 'unknown sender' });
      return false;
    }
    void handleMessage(ctx, msg, who).then(sendResponse);
    // Keeps the channel open for the asynchronous answer (Chrome and Firefox, with the polyfill).
    return true;
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    ctx.tabs.delete(tabId);
  });
  browser.tabs.onUpdated.addListener((tabId, info) => {
    // A navigation to another document drops the tab's entries; the new page's content script
    // sends its own (an SPA navigation is reported by the content script itself, with reset).
    const state = ctx.tabs.get(tabId);
    if (state && info.status === 'loading' && info.url && info.url !== state.pageUrl) ctx.tabs.delete(tabId);
  });

  // ---- keeping the index and the page badges in step with the database -------------------------
  // Dexie reports every committed write, from this context and (over BroadcastChannel) from the
  // popup, the library page and other extension pages.
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshUnknown = false;
  function scheduleRefresh(resyncUnknown: boolean): void {
    refreshUnknown ||= resyncUnknown;
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      const unknown = refreshUnknown;
      refreshUnknown = false;
      refreshTabs(ctx, { resyncUnknown: unknown }).catch((e) => console.warn('Shelfmark: badge refresh failed', e));
    }, 60);
  }
  function scheduleRebuild(): void {
    // Bulk corpus writes (an import, the seed install) arrive as many transactions: rebuild once after them.
    if (rebuildTimer) clearTimeout(rebuildTimer);
    rebuildTimer = setTimeout(() => {
      rebuildTimer = undefined;
      index.invalidate();
      index
        .get()
        .then(() => scheduleRefresh(false))
        .catch((e) => console.warn('Shelfmark: index rebuild failed', e));
    }, 400);
  }

  Dexie.on('storagemutated', (parts: Record<string, unknown>) => {
    let papers = changedKeys(parts, db.name, 'papers');
    // Our own lastSeenAt writes (flushSightings) change nothing the index reads.
    const quiet = ctx.quietPapers;
    if (quiet && Array.isArray(papers)) papers = papers.filter((id) => !quiet.has(id));
    const user = ['paperTags', 'listItems', 'lists', 'tags'].some((t) => changedKeys(parts, db.name, t) !== null);
    const meta = changedKeys(parts, db.name, 'meta');
    const rejections = meta === 'all' || (Array.isArray(meta) && meta.some((k) => k.startsWith(META.rejected.prefix) || k.startsWith(META.confirmed.prefix)));
    if (papers === 'all' || (Array.isArray(papers) && papers.length > 2000)) {
      scheduleRebuild();
    } else if (Array.isArray(papers) && papers.length) {
      void index
        .refreshPapers(papers)
        .then(() => scheduleRefresh(false))
        .catch(() => scheduleRebuild());
    }
    if (user || rejections) scheduleRefresh(false);
  });

  // Seen / dismissed / suggested tags (lib/triage): retrain on tag changes, refresh badges after.
  installTriage(ctx, () => scheduleRefresh(false));

  // Warm start: load the persisted index (or rebuild it) before the first page asks; a cold worker
  // is usually woken by the navigation itself (tabs.onUpdated), so this overlaps the page load.
  void index.get().catch((e) => console.warn('Shelfmark: match index not loaded', e));
  // After a corpus import (install, update) the index is rebuilt from the new papers and badges refresh.
  void whenCorpusReady()
    .then((r) => {
      if (!(r as { counts?: unknown } | undefined)?.counts) return;
      index.invalidate();
      return index.get().then(() => scheduleRefresh(false));
    })
    .catch((e) => console.warn('Shelfmark: match index not rebuilt after the import', e));
  // An extension page writing while this worker slept sends 'data-changed'; handled in handlers.

  // Sites the user enabled from the popup (optional host permissions): run the listing script there.
  void watchSitePermissions();

  // Daily local backup of the user's data (lib/storage/auto-backup.ts); restored from the library page.
  registerAutoBackup(getDb);

  // Browser sync of the user's data (opt-in, lib/sync/): waits for the seed corpus so received tags attach.
  startSync(db, whenCorpusReady);
});
