#!/usr/bin/env node
// Browser sync in two real Chromium profiles, on the production build.
//
// Chrome's sync transport needs the network and a signed-in account, so the spec plays the
// transport: it reads profile A's chrome.storage.sync (in A's service worker) and writes those
// items into profile B's (in B's service worker), and back — where both wrote the same item, one
// writer's copy wins for both, as Chrome Sync does. Everything else is the real extension: the
// library page's Sync switch, the background's onChanged listener and Dexie writes.
//
// 1. A fresh profile B that turns sync on receives A's tags, lists, list order and read state.
// 2. Concurrent edits in A and B, carried both ways, converge in both, with every edit kept.
// 3. Filling the budget (long notes) shows the over-quota message in the Sync view; storage.sync
//    stays within its quota and every local note is still there.
//
//   node tests/e2e/sync.e2e.mjs   (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { idbCount, inServiceWorker, launchChromium, poll } from './lib/chromium.mjs';
import { bundleForPage } from './lib/page-code.mjs';

const code = await bundleForPage(
  `
      import { ShelfmarkDB } from './lib/storage/db';
      import * as actions from './lib/actions';
      import { readLocalView } from './lib/sync/bridge';
      import { readSyncStatus, syncEnabled } from './lib/sync/engine';
      const db = new ShelfmarkDB();
      async function view() {
        const v = await readLocalView(db);
        const names = new Map([...v.lists].map(([ref, l]) => [ref, l.name]));
        return {
          tags: [...v.tags].sort(),
          links: [...v.links].sort(),
          lists: [...v.lists.values()].map((l) => l.name + (l.deleted ? ' (deleted)' : '')).sort(),
          items: [...v.items].map(([k, it]) => [names.get(k.split('\\t')[0]), k.split('\\t')[1], it.pos, it.read].join('|')).sort(),
          notes: [...v.notes].map(([id, t]) => id + '=' + t.length).sort(),
        };
      }
      globalThis.SyncE2E = { db, actions, view, status: () => readSyncStatus(db), enabled: () => syncEnabled(db) };`,
  { sourcefile: 'sync-e2e-entry.ts', chromeAsBrowser: true },
);

const syncItems = (ext) => inServiceWorker(ext, () => chrome.storage.sync.get(null));
const syncBytes = (ext) => inServiceWorker(ext, () => chrome.storage.sync.getBytesInUse(null));

/**
 * The transport: the items of `from` that differ in `to` are written into `to` (Chrome Sync
 * delivers changed items). Returns how many changed there.
 */
async function carry(from, to) {
  const items = await syncItems(from);
  const there = await syncItems(to);
  const changed = Object.fromEntries(Object.entries(items).filter(([k, v]) => JSON.stringify(there[k]) !== JSON.stringify(v)));
  if (Object.keys(changed).length) await inServiceWorker(to, (its) => chrome.storage.sync.set(its), changed);
  return Object.keys(changed).length;
}

async function openLibrary(ext) {
  const page = await ext.context.newPage();
  await page.goto(ext.extensionUrl('library.html#view=sync'));
  await page.evaluate(code);
  return page;
}

/** Waits until the background finished a round that started after `since` (its status says when). */
async function syncedAfter(page, since, what) {
  return poll(
    async () => {
      const s = await page.evaluate(() => globalThis.SyncE2E.status());
      return s?.enabled && s.lastSyncedAt > since ? s : false;
    },
    { timeout: 30000, what },
  );
}

/** Carries both ways until neither side changes its items any more (the transport settling). */
async function settle(a, b, pageA, pageB) {
  for (let round = 0; round < 6; round++) {
    const before = JSON.stringify([await syncItems(a), await syncItems(b)]);
    let t = Date.now();
    if (await carry(a, b)) await syncedAfter(pageB, t, 'B to merge what A wrote');
    t = Date.now();
    if (await carry(b, a)) await syncedAfter(pageA, t, 'A to merge what B wrote');
    // Let debounced local pushes go out.
    await new Promise((r) => setTimeout(r, 2600));
    const after = JSON.stringify([await syncItems(a), await syncItems(b)]);
    if (before === after) return round;
  }
  throw new Error('the two profiles kept rewriting their sync items');
}

const a = await launchChromium();
const b = await launchChromium();
const figures = {};
try {
  for (const ext of [a, b]) await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 60000, what: 'seed corpus' });
  const pageA = await openLibrary(a);
  const pageB = await openLibrary(b);

  // ---- 1. A builds a library and turns sync on through the Sync view -------------------------------
  const ids = await pageA.evaluate(async () => {
    const { db, actions } = globalThis.SyncE2E;
    const seed = (await db.papers.where('origin').equals('seed').primaryKeys()).slice(0, 12);
    await actions.addTag(db, seed.slice(0, 5), 'rl');
    await actions.addTag(db, seed.slice(3, 8), 'to read: "soon", maybe');
    const l1 = await actions.createList(db, 'Offline RL');
    await actions.addToList(db, l1, seed.slice(0, 6));
    await actions.reorderList(db, l1, [seed[5], seed[0], seed[4], seed[1], seed[3], seed[2]]);
    await actions.setRead(db, l1, seed[0], true);
    await actions.setRead(db, l1, seed[4], true);
    const l2 = await actions.createList(db, 'Survey');
    await actions.addToList(db, l2, seed.slice(6, 9));
    await actions.setNote(db, seed[1], 'Check the ablation in section 5.');
    return seed;
  });
  let t = Date.now();
  await pageA.getByLabel('Sync my library through this browser').check();
  const s1 = await syncedAfter(pageA, t, 'A first round');
  assert.deepEqual(s1.errors, []);
  assert.ok((await syncItems(a))['s.t'], 'A wrote its tag names');
  await pageA.getByText(/KB of 100\.0 KB/).waitFor();

  t = Date.now();
  await pageB.getByLabel('Sync my library through this browser').check();
  await syncedAfter(pageB, t, 'B first round');
  figures.carried = await carry(a, b);
  await poll(async () => (await pageB.evaluate(() => globalThis.SyncE2E.view())).links.length === 10, { timeout: 30000, what: 'tags in B' });
  const viewA = await pageA.evaluate(() => globalThis.SyncE2E.view());
  const viewB = await pageB.evaluate(() => globalThis.SyncE2E.view());
  assert.deepEqual(viewB, viewA, 'B holds what A has: tags, lists, order, read state, notes');
  assert.ok(viewB.items.includes(`Offline RL|${ids[5]}|0|false`) && viewB.items.includes(`Offline RL|${ids[0]}|1|true`), 'order and read state');
  // B's badges use the same data: its library shows the tag on the paper.
  const tagRowsB = await pageB.evaluate(async (id) => (await globalThis.SyncE2E.db.paperTags.where('paperId').equals(id).toArray()).map((r) => r.tag), ids[0]);
  assert.deepEqual(tagRowsB, ['rl']);
  await settle(a, b, pageA, pageB);

  // ---- 2. concurrent edits on both, carried both ways -----------------------------------------------
  await pageA.evaluate(async (p) => {
    const { db, actions } = globalThis.SyncE2E;
    const lists = await db.lists.toArray();
    const l1 = lists.find((l) => l.name === 'Offline RL').id;
    await actions.removeTag(db, [p[0]], 'rl');
    await actions.addTag(db, [p[9]], 'from-a');
    await actions.setRead(db, l1, p[5], true);
    await actions.removeFromList(db, l1, [p[2]]);
  }, ids);
  await pageB.evaluate(async (p) => {
    const { db, actions } = globalThis.SyncE2E;
    const lists = await db.lists.toArray();
    const l1 = lists.find((l) => l.name === 'Offline RL').id;
    await actions.addTag(db, [p[10]], 'rl');
    await actions.addTag(db, [p[0]], 'from-b');
    await actions.addToList(db, l1, [p[11]]);
    await actions.renameList(db, lists.find((l) => l.name === 'Survey').id, 'Survey 2026');
  }, ids);
  // Both push their own edits before either hears of the other's.
  t = Date.now() - 100;
  await syncedAfter(pageA, t, 'A to push its edits');
  await syncedAfter(pageB, t, 'B to push its edits');
  // Items both wrote: one writer's copy wins everywhere (Chrome Sync keeps one per item).
  const [itemsA, itemsB] = [await syncItems(a), await syncItems(b)];
  const clashes = Object.keys(itemsA).filter((k) => k in itemsB && JSON.stringify(itemsA[k]) !== JSON.stringify(itemsB[k]));
  figures.clashingItems = clashes.length;
  const winner = { ...itemsB, ...itemsA };
  await inServiceWorker(b, (its) => chrome.storage.sync.set(its), winner);
  figures.settleRounds = await settle(a, b, pageA, pageB);
  const endA = await pageA.evaluate(() => globalThis.SyncE2E.view());
  const endB = await pageB.evaluate(() => globalThis.SyncE2E.view());
  assert.deepEqual(endB, endA, 'both profiles converge');
  assert.ok(!endA.links.includes(`${ids[0]}\trl`), "A's removal kept");
  for (const l of [`${ids[9]}\tfrom-a`, `${ids[10]}\trl`, `${ids[0]}\tfrom-b`]) assert.ok(endA.links.includes(l), `kept: ${l}`);
  assert.ok(endA.items.includes(`Offline RL|${ids[5]}|0|true`), "A's read state kept");
  assert.ok(!endA.items.some((x) => x.startsWith(`Offline RL|${ids[2]}|`)), "A's removal from the list kept");
  assert.ok(endA.items.some((x) => x.startsWith(`Offline RL|${ids[11]}|`)), "B's addition to the list kept");
  assert.ok(endA.lists.includes('Survey 2026'), "B's rename kept");

  // ---- 3. past the budget ----------------------------------------------------------------------------
  t = Date.now();
  const notes = await pageA.evaluate(async () => {
    const { db, actions } = globalThis.SyncE2E;
    const some = (await db.papers.where('origin').equals('seed').primaryKeys()).slice(20, 60);
    for (const [i, id] of some.entries()) await actions.setNote(db, id, `Note ${i}: `.padEnd(3600, 'long reading notes. '));
    return db.notes.count();
  });
  const over = await syncedAfter(pageA, t, 'A to sync the long notes');
  assert.ok(over.notSynced.length > 0, 'something did not fit');
  assert.ok(over.notSynced.every((x) => x.family === 'n'), 'notes go first (lowest priority)');
  assert.deepEqual(over.errors, []);
  const alert = pageA.locator('[data-sync-over-quota]');
  await alert.waitFor();
  const alertText = await alert.innerText();
  assert.match(alertText, /notes: \d+ entries/);
  assert.match(alertText, /download a backup file/);
  figures.bytesInUse = await syncBytes(a);
  assert.ok(figures.bytesInUse <= 102_400, `storage.sync within quota (${figures.bytesInUse})`);
  assert.equal(await pageA.evaluate(() => globalThis.SyncE2E.db.notes.count()), notes, 'every note is still local');
  figures.notesNotSynced = over.notSynced.reduce((n, x) => n + x.entries, 0);
  // Turning sync off keeps the local data.
  await pageA.getByLabel('Sync my library through this browser').uncheck();
  await poll(async () => (await pageA.evaluate(() => globalThis.SyncE2E.status()))?.enabled === false, { what: 'sync off' });
  assert.equal(await pageA.evaluate(() => globalThis.SyncE2E.db.notes.count()), notes);
  assert.deepEqual((await pageA.evaluate(() => globalThis.SyncE2E.view())).links, endA.links);

  console.log(`sync e2e: ok — ${JSON.stringify(figures)}`);
} finally {
  await a.close();
  await b.close();
}
