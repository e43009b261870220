#!/usr/bin/env node
// Concurrent edits in real Chromium: three extension pages (two library tabs and the popup page)
// run lib/actions/index.ts against the extension's real IndexedDB at the same time — 3 writers × 200
// mixed operations (tag, untag, add to / remove from a reading list, note) on the same seed
// papers — and at the end every operation's effect is present, checked from the service worker.
//
// The actions are the real lib/ code, bundled with esbuild and evaluated in the extension pages
// through the DevTools protocol (extension pages' CSP forbids injected script tags).
//
//   node tests/e2e/concurrency.e2e.mjs    (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { idbCount, launchChromium, poll, readStores } from './lib/chromium.mjs';
import { bundleForPage, openExtensionPages } from './lib/page-code.mjs';

const WRITERS = 3;
const OPS = 200;

const code = await bundleForPage(
  `
      import { ShelfmarkDB } from './lib/storage/db';
      import * as A from './lib/actions';
      globalThis.ShelfmarkStress = { db: new ShelfmarkDB(), ...A };`,
  { sourcefile: 'stress-entry.ts' },
);

const ext = await launchChromium();
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 60000, what: 'seed corpus' });
  // The first three papers in key order.
  const paperIds = (await readStores(ext, ['papers'])).papers.slice(0, 3).map((p) => p.id);
  assert.equal(paperIds.length, 3);

  const pages = await openExtensionPages(ext, ['library.html', 'library.html', 'popup.html'], code);
  // Each writer gets its own list (created up front) and tag names; all share the papers and one tag.
  const lists = await pages[0].evaluate(async () => {
    const S = globalThis.ShelfmarkStress;
    return Promise.all(['Stress 0', 'Stress 1', 'Stress 2'].map((n) => S.createList(S.db, n)));
  });

  const t0 = Date.now();
  const models = await Promise.all(
    pages.map((page, w) =>
      page.evaluate(
        async ({ writer, listIds, ids, ops }) => {
          const S = globalThis.ShelfmarkStress;
          let seed = 1000 + writer;
          const rand = (n) => {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            return Math.floor((seed / 2147483648) * n);
          };
          const tags = new Set();
          const listed = new Set();
          const shared = new Set();
          let note;
          for (let i = 0; i < ops; i++) {
            const pid = ids[rand(ids.length)];
            const tag = `stress-w${writer}-t${rand(5)}`;
            switch (rand(6)) {
              case 0:
                await S.addTag(S.db, [pid], tag);
                tags.add(`${pid}|${tag}`);
                break;
              case 1:
                await S.removeTag(S.db, [pid], tag);
                tags.delete(`${pid}|${tag}`);
                break;
              case 2:
                await S.addToList(S.db, listIds[writer], [pid]);
                listed.add(pid);
                break;
              case 3:
                await S.removeFromList(S.db, listIds[writer], [pid]);
                listed.delete(pid);
                break;
              case 4:
                await S.addTag(S.db, [pid], 'stress-shared');
                shared.add(pid);
                break;
              default:
                note = `note from writer ${writer} #${i}`;
                await S.setNote(S.db, pid, note);
            }
          }
          return { tags: [...tags], listed: [...listed], shared: [...shared] };
        },
        { writer: w, listIds: lists, ids: paperIds, ops: OPS },
      ),
    ),
  );
  const ms = Date.now() - t0;

  // Check from the service worker (a fourth context), with raw IndexedDB.
  const state = await readStores(ext, ['paperTags', 'listItems', 'tags', 'notes']);
  const stressTags = state.paperTags.filter((r) => r.tag.startsWith('stress-w')).map((r) => `${r.paperId}|${r.tag}`);
  assert.deepEqual(stressTags.toSorted(), models.flatMap((m) => m.tags).toSorted(), 'every tag effect');
  assert.deepEqual(
    state.paperTags.filter((r) => r.tag === 'stress-shared').map((r) => r.paperId).toSorted(),
    [...new Set(models.flatMap((m) => m.shared))].toSorted(),
    'the shared tag on every paper any writer gave it',
  );
  assert.equal(state.tags.filter((t) => t.name === 'stress-shared').length, 1, 'one tag row for a tag added concurrently');
  for (let w = 0; w < WRITERS; w++) {
    assert.deepEqual(
      state.listItems.filter((r) => r.listId === lists[w]).map((r) => r.paperId).toSorted(),
      models[w].listed.toSorted(),
      `list of writer ${w}`,
    );
    const positions = state.listItems.filter((r) => r.listId === lists[w]).map((r) => r.position);
    assert.equal(new Set(positions).size, positions.length, 'no two items share a position');
  }
  assert.ok(state.notes.every((n) => /^note from writer [012] #\d+$/.test(n.text)), 'notes are whole writes');
  console.log(
    `concurrency e2e: ok — ${WRITERS} extension pages × ${OPS} operations in ${ms} ms; ` +
      `${stressTags.length} tags, ${state.listItems.length} list items, ${state.notes.length} notes checked`,
  );
} finally {
  await ext.close();
}
