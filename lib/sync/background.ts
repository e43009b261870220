import { browser } from 'wxt/browser';
import { Dexie } from 'dexie';
import type { ShelfmarkDB } from '../storage/db';
import { SyncEngine, SETTINGS_KEY, syncEnabled, type SyncArea } from './engine';

/**
 * Runs sync in the background: a round after the worker starts, after the sync area changes (other
 * devices' writes, delivered by the browser), after the user's own edits (debounced, so a burst of
 * tagging is one write), and when the library page flips the setting. Rounds never overlap.
 */

/** User tables whose writes are synced (papers: only the user-added ones, caught on the next round). */
const WATCHED = ['tags', 'paperTags', 'lists', 'listItems', 'notes', 'merges'];
/** A burst of edits becomes one write: wait this long after the last one. */
const LOCAL_DEBOUNCE_MS = 2_000;
const REMOTE_DEBOUNCE_MS = 1_000;

export function startSync(db: ShelfmarkDB, ready: () => Promise<unknown>, area: SyncArea | undefined = browser.storage?.sync): SyncEngine | undefined {
  if (!area) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = Infinity;
  const engine = new SyncEngine(db, area, { ready, retryIn: (ms) => schedule(ms + 50) });
  function schedule(ms: number): void {
    const at = Date.now() + ms;
    if (timer && at >= due) return;
    if (timer) clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      timer = undefined;
      due = Infinity;
      engine.sync().catch((e) => console.warn('Shelfmark: sync failed', e));
    }, ms);
  }

  // The library page writes the setting; the status the engine writes is not a reason to run again.
  Dexie.on('storagemutated', (parts: Record<string, unknown>) => {
    const keys = Object.keys(parts);
    const settings = keys.some((k) => k.startsWith(`idb://${db.name}/sync/`)) && JSON.stringify(parts[`idb://${db.name}/sync/`] ?? '').includes(SETTINGS_KEY);
    if (settings) {
      schedule(0);
      return;
    }
    // meta changes with every papers write (papersRevision); only match decisions are synced there.
    const meta = keys.some((k) => k.startsWith(`idb://${db.name}/meta/`)) && /"(reject|confirm):/.test(JSON.stringify(parts[`idb://${db.name}/meta/`] ?? ''));
    if (meta || keys.some((k) => WATCHED.some((t) => k.startsWith(`idb://${db.name}/${t}/`)))) {
      void syncEnabled(db).then((on) => on && schedule(LOCAL_DEBOUNCE_MS));
    }
  });
  browser.storage.onChanged.addListener((_changes, areaName) => {
    if (areaName !== 'sync') return;
    void syncEnabled(db).then((on) => on && schedule(REMOTE_DEBOUNCE_MS));
  });
  // A worker (re)start: catch up with what arrived while it slept, and run if the page asked to.
  schedule(300);
  return engine;
}
