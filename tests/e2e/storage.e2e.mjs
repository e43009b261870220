#!/usr/bin/env node
// Storage trust in real Chromium, on the production build:
//
// 1. Concurrent edits: three extension pages (popup + two library tabs) run lib/actions/index.ts on the
//    extension's real IndexedDB at once — 3 writers × 200 mixed operations (tag, untag, add to and
//    remove from ONE shared reading list, reorder it from a stale view, read state, notes) on the
//    same papers. Each writer owns some keys (its tags, its papers' list entries, read flags and
//    notes) so the expected end state follows from each writer's own log whatever the interleaving;
//    shared keys (a shared tag, the list's order) are checked for union and consistency.
// 2. A hostile page (hostile/storage-spoof-huggingface-daily from tests/fixtures/hostile/variants.mjs:
//    the real HF daily capture plus a page script) spoofs marks and badges, forces shadow roots open, logs every
//    mutation and event, and tries to reach the background. After the user adds a paper and a tag
//    reaches its badge, nothing the page can read contains the tag; fake marks change nothing.
// 3. Untrusted messages: a web page has no runtime API; the real content script's world sends
//    malformed and oversized payloads and gets { ok: false } answers, the background stays up.
// 4. Schema: the production database is at version 7 (×10 in IndexedDB) with the backups table (v2), the triage tables (v4),
//    the v5 tables (papers change journal, persisted search index, duplicate cache), the sync table (v6)
//    and the papers.pmid index (v7).
// 5. Backups: the daily alarm exists; "Back up now" and "Restore…" on the library page bring back
//    tags and notes deleted in between (slim backup + corpus re-import: every paper back too).
//
//   node tests/e2e/storage.e2e.mjs      (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
//   SHELFMARK_MEASURE_SIZE=1 node tests/e2e/storage.e2e.mjs   also measures 100k papers on disk
import assert from 'node:assert/strict';
import { variantPage } from '../fixtures/hostile/variants.mjs';
import { badgeNames, fixtureUrl, idbCount, inServiceWorker, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';
import { bundleForPage, openExtensionPages } from './lib/page-code.mjs';

const WRITERS = 3;
const OPS = 200;
// The real HF daily capture plus the spoofing page script (tests/fixtures/hostile/variants.mjs).
const SPOOF = variantPage('hostile/storage-spoof-huggingface-daily');
const HOSTILE = { url: fixtureUrl(SPOOF.file), body: SPOOF.html };
const HF_ENTRIES = 13;
const SECRET = 'secret-storage-tag-91c4';

// The real lib/ code, bundled for evaluation in extension pages.
const code = await bundleForPage(
  `
      import { ShelfmarkDB } from './lib/storage/db';
      import * as actions from './lib/actions';
      globalThis.StorageE2E = { db: new ShelfmarkDB(), actions };`,
  { sourcefile: 'storage-e2e-entry.ts', chromeAsBrowser: true },
);

const figures = {};
const ext = await launchChromium();
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 60000, what: 'seed corpus' });

  // ---- 4. schema version ------------------------------------------------------------------------
  const schema = await readStores(ext, ['tags']);
  assert.equal(schema.version, 80, 'IndexedDB version 80 = Dexie schema v8');
  assert.ok(schema.stores.includes('backups'), 'v2 backups table');
  assert.ok(['seenLog', 'triageParts', 'dismissals'].every((t) => schema.stores.includes(t)), 'v4 triage tables');
  for (const t of ['paperChanges', 'searchParts', 'duplicateCache']) assert.ok(schema.stores.includes(t), `v5 ${t} table`);
  for (const t of ['duplicateCandidates', 'duplicateScan']) assert.ok(schema.stores.includes(t), `v8 ${t} table`);

  // ---- 1. concurrent edits ------------------------------------------------------------------------
  const pages = await openExtensionPages(ext, ['popup.html', 'library.html', 'library.html'], code);
  const setup = await pages[0].evaluate(async () => {
    const { db, actions } = globalThis.StorageE2E;
    const ids = (await db.papers.orderBy('id').primaryKeys()).slice(0, 6);
    const listId = await actions.createList(db, 'Storage e2e shared');
    return { ids, listId };
  });
  const t0 = Date.now();
  const logs = await Promise.all(
    pages.map((page, w) =>
      page.evaluate(
        async ({ writer, ids, listId, ops }) => {
          const { db, actions: A } = globalThis.StorageE2E;
          let s = 7919 + writer;
          const r = (n) => {
            s = (s * 1103515245 + 12345) % 2147483648;
            return Math.floor((s / 2147483648) * n);
          };
          // This writer's own papers: list entries, read flags and notes on them are only its own.
          const mine = ids.filter((_, i) => i % 3 === writer);
          const tags = new Set();
          const listed = new Set();
          const read = new Map();
          const notes = new Map();
          const shared = new Set();
          const counts = {};
          for (let i = 0; i < ops; i++) {
            const k = r(8);
            const any = ids[r(ids.length)];
            const own = mine[r(mine.length)];
            const tag = `e2e-w${writer}-${r(4)}`;
            const kind = ['tag', 'untag', 'shared', 'add', 'remove', 'reorder', 'read', 'note'][k];
            counts[kind] = (counts[kind] ?? 0) + 1;
            switch (kind) {
              case 'tag':
                await A.addTag(db, [any], tag);
                tags.add(`${any}|${tag}`);
                break;
              case 'untag':
                await A.removeTag(db, [any], tag);
                tags.delete(`${any}|${tag}`);
                break;
              case 'shared':
                await A.addTag(db, [any], 'e2e-shared');
                shared.add(any);
                break;
              case 'add':
                await A.addToList(db, listId, [own]);
                if (!listed.has(own)) read.set(own, false);
                listed.add(own);
                break;
              case 'remove':
                await A.removeFromList(db, listId, [own]);
                listed.delete(own);
                read.delete(own);
                break;
              case 'reorder': {
                // A stale view: read the whole shared list, shuffle, write it back later.
                const seen = (await db.listItems.where('[listId+position]').between([listId, -Infinity], [listId, Infinity]).toArray()).map((x) => x.paperId);
                for (let j = seen.length - 1; j > 0; j--) {
                  const x = r(j + 1);
                  [seen[j], seen[x]] = [seen[x], seen[j]];
                }
                await new Promise((res) => setTimeout(res, r(3)));
                await A.reorderList(db, listId, seen);
                break;
              }
              case 'read':
                if (listed.has(own)) {
                  const v = r(2) === 0;
                  await A.setRead(db, listId, own, v);
                  read.set(own, v);
                }
                break;
              default: {
                const text = `w${writer} #${i}`;
                await A.setNote(db, own, text);
                notes.set(own, text);
              }
            }
          }
          return { tags: [...tags], listed: [...listed], read: [...read], notes: [...notes], shared: [...shared], counts };
        },
        { writer: w, ids: setup.ids, listId: setup.listId, ops: OPS },
      ),
    ),
  );
  const stressMs = Date.now() - t0;
  const st = await readStores(ext, ['paperTags', 'listItems', 'notes', 'tags']);
  const e2eTags = st.paperTags.filter((x) => x.tag.startsWith('e2e-w')).map((x) => `${x.paperId}|${x.tag}`);
  assert.deepEqual(e2eTags.toSorted(), logs.flatMap((l) => l.tags).toSorted(), 'every writer-owned tag effect');
  assert.deepEqual(
    st.paperTags.filter((x) => x.tag === 'e2e-shared').map((x) => x.paperId).toSorted(),
    [...new Set(logs.flatMap((l) => l.shared))].toSorted(),
    'shared tag on every paper any writer gave it',
  );
  assert.equal(st.tags.filter((t) => t.name === 'e2e-shared').length, 1, 'one tag row');
  assert.ok(st.tags.every((t) => t.lower === t.name.toLowerCase()), 'v2 tags.lower kept on every tag row');
  const items = st.listItems.filter((x) => x.listId === setup.listId);
  assert.deepEqual(items.map((x) => x.paperId).toSorted(), logs.flatMap((l) => l.listed).toSorted(), 'shared list holds exactly the listed papers');
  assert.equal(new Set(items.map((x) => x.position)).size, items.length, 'unique positions after stale reorders');
  assert.deepEqual(
    Object.fromEntries(items.map((x) => [x.paperId, x.read])),
    Object.fromEntries(logs.flatMap((l) => l.read)),
    'every read flag as its writer last set it',
  );
  assert.deepEqual(
    Object.fromEntries(st.notes.filter((n) => setup.ids.includes(n.paperId)).map((n) => [n.paperId, n.text])),
    Object.fromEntries(logs.flatMap((l) => l.notes)),
    'every note as its writer last wrote it',
  );
  const opCounts = {};
  for (const l of logs) for (const [k, v] of Object.entries(l.counts)) opCounts[k] = (opCounts[k] ?? 0) + v;
  figures.stress = `${WRITERS * OPS} operations (${JSON.stringify(opCounts)}) in ${stressMs} ms; ${e2eTags.length} tags, ${items.length} list items, ${st.notes.length} notes checked`;
  for (const p of pages.slice(1)) await p.close();
  const extPage = pages[0];

  // ---- 2. hostile page --------------------------------------------------------------------------
  const server = await serveFixtures(ext.context, [HOSTILE]);
  const evil = await ext.context.newPage();
  await evil.goto(HOSTILE.url, { waitUntil: 'domcontentloaded' });
  const realHosts = () =>
    evil.evaluate(() =>
      [...document.querySelectorAll('[data-shelfmark-host="badge"]')].filter((h) => !h.classList.contains('spoof-host')).length,
    );
  await poll(async () => (await realHosts()) === HF_ENTRIES, { timeout: 30000, what: `${HF_ENTRIES} real badges` });
  await evil.waitForTimeout(300);
  const marks = await evil.evaluate(() => ({
    articles: [...document.querySelectorAll('article')].map((a) => a.getAttribute('data-shelfmark-entry')),
    fakeEntries: [...document.querySelectorAll('.spoof-entry')].map((d) => ({
      mark: d.getAttribute('data-shelfmark-entry'),
      realHost: [...d.querySelectorAll('[data-shelfmark-host]')].some((h) => !h.classList.contains('spoof-host')),
    })),
  }));
  // No paper of this page is in the seed corpus: the page's spoofed "match" on every row was replaced.
  assert.deepEqual(marks.articles, Array(HF_ENTRIES).fill('none'), 'real statuses replace the spoofed marks');
  assert.equal(marks.fakeEntries.length, 5);
  assert.ok(marks.fakeEntries.every((f) => !f.realHost), 'fake entries get no Shelfmark badge');
  const tagRowsBefore = (await readStores(ext, ['paperTags'])).paperTags.length;
  // Clicking the look-alike badges does nothing to the user's data.
  for (const b of await evil.locator('.spoof-badge').all()) await b.click({ force: true }).catch(() => {});
  await evil.waitForTimeout(300);
  assert.equal((await readStores(ext, ['paperTags'])).paperTags.length, tagRowsBefore, 'fake badges write nothing');

  // The user adds the first paper through its real badge (mouse + keyboard).
  const title = await evil.evaluate(() => document.querySelector('article h3')?.textContent?.replace(/\s+/g, ' ').trim());
  const host = await evil.evaluateHandle(() => document.querySelector('article [data-shelfmark-host="badge"]:not(.spoof-host)'));
  await host.asElement().click();
  await poll(() => evil.evaluate(() => !!document.querySelector('[data-shelfmark-host="menu"]')), { what: 'badge menu' });
  await evil.keyboard.press('Enter'); // "Add to library"
  const added = await poll(
    async () => (await readStores(ext, ['papers'])).papers.find((p) => p.title.replace(/\s+/g, ' ').trim() === title),
    { what: 'paper added from the hostile page' },
  );
  await evil.keyboard.press('Escape');
  // The tag is given from an extension page (no keystrokes on the hostile page), and reaches the badge.
  const tagRes = await extPage.evaluate(([id, tag]) => chrome.runtime.sendMessage({ type: 'add-tag', paperIds: [id], tag }), [added.id, SECRET]);
  assert.deepEqual(tagRes, { ok: true, tag: SECRET });
  await poll(async () => (await badgeNames(ext.context, evil)).some((n) => n.startsWith('Shelfmark:') && n.includes(SECRET)), {
    what: 'the tag on the real badge (accessibility tree)',
  });
  // Hover and focus the badge, as a user would, so the page's event logger sees what it can.
  await host.asElement().hover();
  await host.asElement().focus().catch(() => {});
  await evil.waitForTimeout(200);
  const scan = await evil.evaluate(() => window['__scan']());
  for (const [where, text] of Object.entries(scan)) {
    if (typeof text === 'string') assert.ok(!text.includes(SECRET), `the tag is not readable by the page (${where})`);
  }
  assert.equal(scan.hostShadow, 0, 'every Shelfmark shadow root is closed');
  assert.deepEqual(scan.roots, [], "the page's attachShadow override never saw a Shelfmark root");
  assert.equal(scan.hostText, '', 'hosts have no light-DOM content');
  assert.ok(scan.hostAttrs.every((a) => /^data-shelfmark-host=(badge|menu|triage|help|toast)$|^style=/.test(a)), `host attributes: ${scan.hostAttrs.join(' ')}`);
  figures.hostile = `${HF_ENTRIES} real badges, 5 fake entries + ${HF_ENTRIES} look-alike badges ignored; page read ${scan.html.length} chars of HTML, ${scan.events.split('\n').length} events, ${scan.attrs.split('\n').length} attribute changes: tag not found`;

  // ---- 3. messages from the page and from the content script -------------------------------------
  const pageApi = await evil.evaluate(() => {
    window['__spoofMessages']();
    return { runtime: window['__stolen'].runtime, hasChromeRuntime: typeof chrome !== 'undefined' && !!chrome.runtime?.sendMessage };
  });
  assert.equal(pageApi.hasChromeRuntime, false, 'a web page has no runtime.sendMessage to reach the extension');
  await evil.waitForTimeout(500);
  const afterSpoof = await readStores(ext, ['paperTags', 'tags']);
  assert.ok(!afterSpoof.tags.some((t) => t.name.startsWith('via-')), 'postMessage / DOM events reach no handler');

  const cdp = await ext.context.newCDPSession(evil);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  await poll(() => worlds.some((c) => c.auxData?.type === 'isolated' && c.origin?.includes(ext.extensionId) !== false && c.name === 'Shelfmark'), {
    what: "the content script's isolated world",
  });
  const cs = worlds.find((c) => c.auxData?.type === 'isolated' && c.name === 'Shelfmark');
  const bad = await cdp.send('Runtime.evaluate', {
    contextId: cs.id,
    awaitPromise: true,
    returnByValue: true,
    expression: `(async () => {
      const big = (n) => 'x'.repeat(n);
      const page = location.href;
      const msgs = [
        null, 42, 'match-batch', {}, { type: 'nope' }, { type: 'data-changed' },
        { type: 'match-batch', pageUrl: page, entries: Array.from({ length: 1000000 }, (_, i) => ({ eid: i, title: 't', ids: {} })) },
        { type: 'match-batch', pageUrl: page, entries: [{ eid: 1, title: big(10 * 1024 * 1024), ids: {} }] },
        { type: 'match-batch', pageUrl: page, entries: [{ eid: -1, title: 'x', ids: {} }] },
        { type: 'match-batch', pageUrl: page, entries: [{ eid: 1, title: 'x', ids: {}, html: '<b>' }] },
        { type: 'add-tag', paperIds: ['${added.id}'], tag: big(10 * 1024 * 1024) },
        { type: 'add-tag', paperIds: Array.from({ length: 1000000 }, (_, i) => 'p' + i), tag: 'x' },
        { type: 'add-tag', paperIds: ['${added.id}'], tag: '   ' },
        { type: 'create-list', name: big(100000) },
        { type: 'add-paper', entry: { eid: 1, title: big(3000), ids: {} }, pageUrl: page },
        { type: 'confirm-match', entry: { eid: 1, title: 'x', ids: { arxiv: { $ne: 1 } } }, paperId: '${added.id}', pageUrl: page },
      ];
      const out = [];
      for (const m of msgs) {
        const t = performance.now();
        let r;
        try { r = await chrome.runtime.sendMessage(m); } catch (e) { r = { thrown: String(e) }; }
        out.push({ ok: r && r.ok, error: r && typeof r.error === 'string' ? r.error.slice(0, 120) : r, ms: Math.round(performance.now() - t) });
      }
      const alive = await chrome.runtime.sendMessage({ type: 'menu-data' });
      return { out, alive: alive && alive.ok };
    })()`,
  });
  assert.ok(!bad.exceptionDetails, JSON.stringify(bad.exceptionDetails));
  const { out, alive } = bad.result.value;
  const notRejected = out.filter((o) => o.ok !== false || typeof o.error !== 'string');
  assert.deepEqual(notRejected, [], 'every bad payload from the content script is answered with an error');
  assert.equal(alive, true, 'the background still answers');
  const stored = await readStores(ext, ['tags', 'lists']);
  assert.ok(!stored.tags.some((t) => t.name.length > 100) && !stored.lists.some((l) => l.name.length > 200), 'nothing oversized stored');
  figures.messages = `${out.length} bad payloads from the real content script world, all { ok: false } (slowest ${Math.max(...out.map((o) => o.ms))} ms); page has no runtime API`;
  await cdp.detach().catch(() => {});
  await server.unroute();

  // ---- 5. automatic backups: the schedule, and a restore from the library page ---------------------
  const alarm = await inServiceWorker(ext, () => chrome.alarms.get('shelfmark-auto-backup'));
  assert.equal(alarm?.periodInMinutes, 24 * 60, 'daily backup alarm registered by the background');
  const lib = await ext.context.newPage();
  await lib.goto(ext.extensionUrl('library.html#view=exchange'));
  await lib.getByRole('button', { name: 'Back up now' }).click();
  await lib.getByText('Backed up.').waitFor({ timeout: 20000 });
  const userTables = ['paperTags', 'notes', 'listItems', 'tags', 'lists'];
  const norm = (t) => Object.fromEntries(userTables.map((n) => [n, t[n].map((r) => JSON.stringify(r)).toSorted()]));
  const beforeLoss = await readStores(ext, [...userTables, 'papers']);
  // Disaster: every tag and note gone (a bad import, a bug).
  await extPage.evaluate(async () => {
    const { db } = globalThis.StorageE2E;
    await db.transaction('rw', db.paperTags, db.notes, async () => {
      await db.paperTags.clear();
      await db.notes.clear();
    });
  });
  assert.equal((await readStores(ext, ['paperTags'])).paperTags.length, 0);
  await lib.getByRole('button', { name: 'Restore…' }).first().click();
  await lib.getByRole('button', { name: 'Replace my library with this backup' }).click();
  await lib.getByText(/^Restored\./).waitFor({ timeout: 60000 });
  const restored = await readStores(ext, [...userTables, 'papers', 'backups']);
  assert.deepEqual(norm(restored), norm(beforeLoss), 'every tag, note, list item, tag and list row restored');
  assert.equal(restored.papers.length, beforeLoss.papers.length, 'slim backup + corpus re-import: every paper back');
  assert.deepEqual(restored.backups.map((b) => b.reason).toSorted(), ['before-restore', 'manual'], 'the replaced state was backed up first');
  assert.ok(restored.backups.every((b) => b.encoding === 'gzip'), 'gzip in Chromium');
  const manual = restored.backups.find((b) => b.reason === 'manual');
  figures.backup = `backup of ${manual.counts.papers} touched papers + user data: ${manual.jsonChars} JSON chars stored as ${manual.data.byteLength ?? manual.data.length} bytes; restore brought back ${userTables.map((n) => `${restored[n].length} ${n}`).join(', ')} and ${restored.papers.length} papers`;

  // ---- optional: what 100k papers cost on disk (for the unlimitedStorage decision) -----------------
  if (process.env.SHELFMARK_MEASURE_SIZE === '1') {
    figures.size = await extPage.evaluate(async () => {
      const { db } = globalThis.StorageE2E;
      const sample = await db.papers.limit(314).toArray();
      const before = await navigator.storage.estimate();
      const probe = new (db.constructor)('shelfmark-size-probe');
      const N = 100000;
      for (let c = 0; c < N; c += 5000) {
        const rows = [];
        for (let i = c; i < c + 5000; i++) {
          const s = sample[i % sample.length];
          rows.push({ ...s, id: 'p' + i.toString(16).padStart(16, '0'), key: s.key + i, title: s.title + ' ' + i });
        }
        await probe.papers.bulkPut(rows);
      }
      const after = await navigator.storage.estimate();
      const persisted = await navigator.storage.persisted();
      const persist = await navigator.storage.persist().catch((e) => 'error ' + e);
      probe.close();
      await probe.delete();
      return {
        papers: N,
        usageDeltaMB: Math.round(((after.usage - before.usage) / 1e6) * 10) / 10,
        quotaMB: Math.round(after.quota / 1e6),
        persistedBefore: persisted,
        persistGranted: persist,
      };
    });
  }

  console.log('storage e2e: ok');
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
} finally {
  await ext.close();
}
