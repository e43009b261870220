#!/usr/bin/env node
// Browser sync in real Firefox ESR (the MV2 build, gecko id set): the same encoding written and read
// through Firefox's storage.sync.
//
// 1. Write: a library built in Firefox, with sync turned on in the library's Sync view, lands in
//    browser.storage.sync; decoded here in Node by the same lib/sync code, it is exactly that library.
// 2. Read: items encoded here in Node as another device's edits (a new tag, a paper marked read, a
//    list renamed) are written into Firefox's storage.sync; Firefox's background merges them into
//    its IndexedDB and keeps its own edits.
//
//   node tests/e2e/sync-firefox.e2e.mjs   (extension: $SHELFMARK_FIREFOX_EXT or .output/firefox-mv2)
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { countStore, launchFirefox, poll } from './lib/firefox.mjs';
import { ROOT } from './lib/chromium.mjs';
import { bundleForPage } from './lib/page-code.mjs';

// lib/sync for Node: the encoding and merge code under test, bundled once.
const outDir = join(ROOT, 'node_modules', '.cache', 'shelfmark-e2e');
mkdirSync(outDir, { recursive: true });
const nodeLib = join(outDir, 'sync-lib.mjs');
await build({
  stdin: {
    contents: `export * from './lib/sync/model'; export * from './lib/sync/layout'; export * from './lib/sync/crdt'; export { Hlc } from './lib/sync/hlc';`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: nodeLib,
  logLevel: 'warning',
});
const sync = await import(pathToFileURL(nodeLib).href);

const pageCode = await bundleForPage(
  `
      import { ShelfmarkDB } from './lib/storage/db';
      import * as actions from './lib/actions';
      import { readLocalView } from './lib/sync/bridge';
      import { readSyncStatus } from './lib/sync/engine';
      const db = new ShelfmarkDB();
      async function view() {
        const v = await readLocalView(db);
        return { tags: [...v.tags].sort(), links: [...v.links].sort(), lists: [...v.lists].map(([r, l]) => r + '=' + l.name).sort(), items: [...v.items].map(([k, it]) => k + '|' + it.pos + '|' + it.read).sort() };
      }
      globalThis.SyncFF = { db, actions, view, status: () => readSyncStatus(db) };`,
  { sourcefile: 'sync-ff-entry.ts' },
);

/** The plain parts of a sync view, comparable with the page's. */
function plain(v) {
  return {
    tags: [...v.tags].toSorted(),
    links: [...v.links].toSorted(),
    lists: [...v.lists].map(([r, l]) => `${r}=${l.name}`).toSorted(),
    items: [...v.items].map(([k, it]) => `${k}|${it.pos}|${it.read}`).toSorted(),
  };
}

const extDir = resolve(process.env.SHELFMARK_FIREFOX_EXT ?? join(ROOT, '.output', 'firefox-mv2'));
const ff = await launchFirefox({ extDir });
try {
  const lib = await ff.openExtensionPage('library.html#view=sync');
  await poll(async () => ((await countStore(lib, 'shelfmark', 'papers')).count >= 314 ? true : undefined), { timeout: 60000 });
  await lib.evaluate(pageCode);
  const ids = await lib.evaluate(async () => {
    const { db, actions } = globalThis.SyncFF;
    const seed = (await db.papers.where('origin').equals('seed').primaryKeys()).slice(0, 6);
    await actions.addTag(db, seed.slice(0, 4), 'firefox');
    await actions.addTag(db, [seed[4]], 'Ünïcode, "quoted": tag');
    const l = await actions.createList(db, 'Firefox list');
    await actions.addToList(db, l, seed.slice(0, 5));
    await actions.reorderList(db, l, [seed[4], seed[3], seed[2], seed[1], seed[0]]);
    await actions.setRead(db, l, seed[2], true);
    return seed;
  });

  // ---- 1. write: the Sync view's switch, then the background's round ---------------------------------
  const t0 = Date.now();
  await lib.evaluate(() => {
    const box = [...document.querySelectorAll('label')].find((l) => l.textContent.includes('Sync my library')).querySelector('input');
    box.click();
  });
  const status = await poll(
    async () => {
      const s = await lib.evaluate(() => globalThis.SyncFF.status());
      return s?.enabled && s.lastSyncedAt >= t0 ? s : undefined;
    },
    { timeout: 30000 },
  );
  assert.deepEqual(status.errors, []);
  const items = await lib.evaluate(() => browser.storage.sync.get(null));
  const read = sync.readItems(items);
  assert.deepEqual(read.problems, []);
  const fromFirefox = plain(sync.project(new Map(read.shards)));
  const inFirefox = await lib.evaluate(() => globalThis.SyncFF.view());
  assert.deepEqual(fromFirefox, inFirefox, "Firefox's storage.sync decodes to Firefox's library");
  assert.equal(fromFirefox.links.length, 5);
  const bytes = await lib.evaluate(() => browser.storage.sync.getBytesInUse(null));
  assert.ok(bytes > 0 && bytes <= 102_400, `bytes in use ${bytes}`);

  // ---- 2. read: another device's edits, encoded in Node ---------------------------------------------
  const doc = new Map(read.shards);
  const proj = sync.project(doc);
  const local = sync.restrictView(proj, () => true);
  local.tags.add('from node');
  local.links.add(`${ids[5]}\tfrom node`);
  const listRef = [...local.lists.keys()][0];
  local.lists.set(listRef, { name: 'Renamed elsewhere', deleted: false });
  const itemKey = `${listRef}\t${ids[0]}`;
  local.items.set(itemKey, { ...local.items.get(itemKey), read: true });
  const clock = new sync.Hlc('node01', 0);
  for (const sh of doc.values()) clock.receive(sync.maxTime(sh));
  sync.capture(doc, sync.restrictView(proj, () => true), local, clock.now());
  const lay = sync.layout(doc);
  const t1 = Date.now();
  await lib.evaluate((its) => browser.storage.sync.set(its), lay.items);
  const after = await poll(
    async () => {
      const v = await lib.evaluate(() => globalThis.SyncFF.view());
      return v.links.includes(`${ids[5]}\tfrom node`) ? v : undefined;
    },
    { timeout: 30000 },
  );
  assert.ok(after.lists.includes(`${listRef}=Renamed elsewhere`), 'rename applied');
  assert.ok(after.items.includes(`${itemKey}|4|true`), 'read state applied, order kept');
  assert.ok(after.links.includes(`${ids[0]}\tfirefox`), 'own tags kept');
  const s2 = await lib.evaluate(() => globalThis.SyncFF.status());
  assert.ok(s2.lastSyncedAt >= t1 && s2.errors.length === 0);
  console.log(`sync firefox e2e: ok — ${Object.keys(items).length} items, ${bytes} bytes in storage.sync; Node-encoded edits applied`);
} finally {
  await ff.close();
}
