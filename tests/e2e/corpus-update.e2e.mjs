#!/usr/bin/env node
// End-to-end in real Chromium: a corpus update (the extension reloaded from disk with a new
// corpus.json, as an extension update does) applies the new corpus and leaves the user's data
// alone: tags, lists and notes are unchanged and a tagged paper dropped from the corpus is kept.
//
//   node tests/e2e/corpus-update.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT, chromeExtDir, inServiceWorker, launchChromium, poll, readStores } from './lib/chromium.mjs';

const SEED_PAPERS = 314;

/** lib/corpus/corpus.ts for Node (the same code the build hook runs), to write a valid new asset. */
async function loadCorpusLib(dir) {
  const out = join(dir, 'corpus-lib.mjs');
  await build({
    entryPoints: [join(ROOT, 'lib', 'corpus', 'corpus.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: out,
    logLevel: 'silent',
  });
  return import(pathToFileURL(out).href);
}

/** Reads the database through raw IndexedDB in the service worker. */
async function snapshot(ext) {
  const out = await readStores(ext, ['papers', 'meta', 'tags', 'paperTags', 'lists', 'listItems', 'notes']);
  return {
    papers: Object.fromEntries(out.papers.map((p) => [p.id, p])),
    corpus: out.meta.find((m) => m.key === 'corpus')?.value,
    user: { tags: out.tags, paperTags: out.paperTags, lists: out.lists, listItems: out.listItems, notes: out.notes },
  };
}

const work = mkdtempSync(join(tmpdir(), 'shelfmark-update-'));
// A private copy of the build: the update rewrites its corpus files.
const extDir = join(work, 'ext');
cpSync(chromeExtDir(), extDir, { recursive: true });
const ext = await launchChromium({ extDir, extensionDebugging: true });
try {
  const v1 = JSON.parse(readFileSync(join(extDir, 'corpus.json'), 'utf8'));
  await poll(async () => (await snapshot(ext)).corpus?.state === 'complete', { timeout: 30000, what: 'first import' });
  const before = await snapshot(ext);
  assert.equal(Object.keys(before.papers).length, SEED_PAPERS);
  assert.equal(before.corpus.version, v1.version);

  const lib = await loadCorpusLib(work);
  const papers = lib.corpusPapers(v1);
  const [tagged, listed, untouched] = [papers[0], papers[1], papers[2]];

  // The user's data: a tag on `tagged` (which the update drops), `listed` in a list with a note.
  await inServiceWorker(
    ext,
    ({ taggedId, listedId }) =>
      new Promise((res, rej) => {
        const open = indexedDB.open('shelfmark');
        open.onsuccess = () => {
          const tx = open.result.transaction(['tags', 'paperTags', 'lists', 'listItems', 'notes'], 'readwrite');
          tx.objectStore('tags').put({ name: 'keep', createdAt: 1 });
          tx.objectStore('paperTags').put({ paperId: taggedId, tag: 'keep', addedAt: 1 });
          tx.objectStore('lists').put({ id: 'l-e2e', name: 'to read', createdAt: 1, updatedAt: 1 });
          tx.objectStore('listItems').put({ listId: 'l-e2e', paperId: listedId, position: 0, read: false, addedAt: 1 });
          tx.objectStore('notes').put({ paperId: listedId, text: 'check the ablations', updatedAt: 1 });
          tx.oncomplete = () => {
            open.result.close();
            res();
          };
          tx.onerror = () => rej(new Error(String(tx.error)));
        };
      }),
    { taggedId: tagged.id, listedId: listed.id },
  );
  const userBefore = (await snapshot(ext)).user;
  assert.equal(userBefore.paperTags.length, 1);

  // Version 2 of the corpus: `tagged` and `untouched` dropped, `listed` gets a new abstract, one new paper.
  const newcomer = { id: lib.paperIdFromKey('ane2etestpaperaddedbyanupdate'), key: 'ane2etestpaperaddedbyanupdate', title: 'An E2E Test Paper Added By An Update', abstract: 'Added by corpus version 2.', provenance: [{ kind: 'seed', source: '005_update.txt', line: 1 }] };
  const v2 = lib.buildCorpusAsset([
    ...papers.filter((p) => p !== tagged && p !== untouched).map((p) => (p === listed ? { ...p, abstract: 'Revised abstract (v2).' } : p)),
    newcomer,
  ]);
  writeFileSync(join(extDir, 'corpus.json'), JSON.stringify(v2));
  writeFileSync(join(extDir, 'corpus-version.json'), JSON.stringify({ version: v2.version }));

  // Reload the extension from disk, as an update does. (chrome.runtime.reload() would leave a
  // command-line-loaded extension disabled in Chromium 156, so the DevTools protocol loads it again.)
  await ext.reloadExtension();

  const after = await poll(
    async () => {
      const s = await snapshot(ext);
      return s.corpus?.version === v2.version && s.corpus.state === 'complete' ? s : undefined;
    },
    { timeout: 30000, what: 'corpus v2 imported' },
  );
  assert.deepEqual(after.corpus.counts, { added: 1, updated: 1, unchanged: SEED_PAPERS - 3, removed: 1, kept: 1, transactions: 1 });
  assert.deepEqual(after.user, userBefore, 'user tables unchanged by the corpus update');
  assert.ok(after.papers[tagged.id], 'the tagged paper dropped from the corpus is kept');
  assert.equal(after.papers[untouched.id], undefined, 'an untouched paper dropped from the corpus is removed');
  assert.equal(after.papers[listed.id].abstract, 'Revised abstract (v2).');
  assert.equal(after.papers[listed.id].addedAt, before.papers[listed.id].addedAt, 'the updated paper keeps its history');
  assert.equal(after.papers[newcomer.id]?.title, newcomer.title);
  assert.equal(Object.keys(after.papers).length, SEED_PAPERS - 1 + 1);
  console.log(`corpus-update e2e: PASS ${JSON.stringify({ from: v1.version, to: v2.version, counts: after.corpus.counts })}`);
} finally {
  await ext.close();
  rmSync(work, { recursive: true, force: true });
}
