#!/usr/bin/env node
// End-to-end in real Chromium: after installing the built extension, the `papers` table of its
// IndexedDB holds the 314 seed papers, meta records the shipped corpus version as complete, and
// the fixture server of the harness serves only what it is given.
//
//   node tests/e2e/corpus-install.e2e.mjs        (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromeExtDir, idbCount, launchChromium, poll, readStores, serveFixtures } from './lib/chromium.mjs';
import { readShelfmarkStores } from './lib/idb.mjs';

/** Distinct papers in the five seed dumps (401 entries; see lib/corpus/corpus.ts and tests/corpus.test.ts). */
const SEED_PAPERS = 314;

const ext = await launchChromium();
const t0 = Date.now();
try {
  const shipped = JSON.parse(readFileSync(join(chromeExtDir(), 'corpus-version.json'), 'utf8')).version;

  // 1. The background imports the corpus on install.
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= SEED_PAPERS, {
    timeout: 30000,
    what: `${SEED_PAPERS} papers in IndexedDB`,
  });
  const installMs = Date.now() - t0;
  const stored = await readStores(ext, ['papers', 'meta']);
  const state = {
    count: stored.papers.length,
    meta: stored.meta.find((m) => m.key === 'corpus')?.value,
    d5rl: stored.papers.find((p) => p.key === 'd5rldiversedatasetsfordatadrivendeepreinforcementlearning'),
  };
  assert.equal(state.count, SEED_PAPERS, 'papers in the extension IndexedDB');
  assert.equal(state.meta?.state, 'complete');
  assert.equal(state.meta?.version, shipped, 'recorded corpus version is the shipped one');
  assert.equal(state.meta?.counts?.added, SEED_PAPERS);
  assert.match(state.d5rl?.id ?? '', /^p[0-9a-f]{16}$/);
  assert.equal(state.d5rl.title, 'D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning');
  assert.equal(state.d5rl.origin, 'seed');
  assert.equal(state.d5rl.provenance.length, 4, 'one provenance per dump line');

  // 2. The extension's own page reaches the same database (the library and popup rely on it).
  const page = await ext.context.newPage();
  await page.goto(ext.extensionUrl('popup.html'));
  const fromPage = await page.evaluate(readShelfmarkStores, ['papers']);
  assert.equal(fromPage.papers.length, SEED_PAPERS, 'papers seen from an extension page');

  // 3. Harness check: a fixture is served under its real URL, everything else is aborted.
  const served = await serveFixtures(ext.context, [
    { url: 'https://huggingface.co/papers?e2e=1', body: '<!doctype html><title>fixture</title><p id=x>served</p>' },
  ]);
  await page.goto('https://huggingface.co/papers?e2e=1');
  assert.equal(await page.textContent('#x'), 'served');
  const outside = await page.evaluate(() =>
    fetch('https://example.com/').then(
      () => 'reached',
      () => 'blocked',
    ),
  );
  assert.equal(outside, 'blocked');
  assert.ok(served.blocked.includes('https://example.com/'), `blocked: ${served.blocked}`);
  await served.unroute();

  console.log(`corpus-install e2e: PASS ${JSON.stringify({ papers: state.count, version: shipped, installMs })}`);
} finally {
  await ext.close();
}
