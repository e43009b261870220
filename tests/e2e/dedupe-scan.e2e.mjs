#!/usr/bin/env node
// The duplicates re-scan in real Chromium, on a corpus large enough for it to take a while: the
// library's duplicates view shows its progress, "Cancel scan" stops it (and it stays stopped
// across a reload), "Resume scan" continues from its checkpoint, a page closed in the middle of
// a scan resumes by itself when the view is opened again, and what the interrupted scan stored
// is exactly what one uninterrupted scan finds, planted duplicates included.
//
// The corpus: the 314 seed papers + GENERATED synthetic papers (titles and abstracts from the
// bench's generators, bench/lib/evalset.ts) + PLANTED copies of some of them with a one-letter
// typo in the title and the same abstract, written through the extension's own database class so
// the papers change journal records them as it does any real write.
//
//   node tests/e2e/dedupe-scan.e2e.mjs     (extension: $SHELFMARK_CHROME_EXT or .output/chrome-mv3)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, idbCount, launchChromium, poll } from './lib/chromium.mjs';
import { bundleForPage } from './lib/page-code.mjs';

const GENERATED = Number(process.env.SHELFMARK_E2E_SCAN_PAPERS ?? 12000);
const PLANTED = 24;
const step = (s) => console.log(`  · ${s}`);

const seedFiles = readdirSync(join(ROOT, 'seeds'))
  .filter((f) => f.endsWith('.txt'))
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'seeds', name), 'utf8') }));

const code = await bundleForPage(
  `
  import { ShelfmarkDB } from './lib/storage/db';
  import { titleKey } from './lib/model/normalize';
  import { rng } from './lib/model/rng';
  import { CandidateEngine } from './lib/dedupe/candidates';
  import { abstractWalk, seedCorpus, syntheticTitles } from './bench/lib/evalset';

  /** One letter of a longer word changed: a typo'd copy the finder must pair with its original. */
  function typo(title: string, r: () => number): string {
    const words = title.split(' ');
    const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[a-z]{6,}$/i.test(w));
    const [w, i] = long[Math.floor(r() * long.length)] ?? [words[0]!, 0];
    const at = 2 + Math.floor(r() * (w.length - 3));
    const c = w[at] === 'e' ? 'a' : 'e';
    words[i] = w.slice(0, at) + c + w.slice(at + 1);
    return words.join(' ');
  }

  (window as any).e2eWriteCorpus = async (files: { name: string; text: string }[], n: number, planted: number) => {
    const seed = seedCorpus(files);
    const r = rng(17);
    const abstract = abstractWalk(seed, rng(5));
    const titles = syntheticTitles(seed, [], n, 29);
    const now = Date.now();
    const base = { aliasKeys: [], provenance: [{ kind: 'import' as const, source: 'e2e-scan.bib' }], origin: 'import' as const, updatedAt: now };
    const papers = titles.map((title, i) => ({ ...base, id: 'pscan' + String(i).padStart(8, '0'), title, key: titleKey(title), abstract: abstract(), addedAt: now - i }));
    const pairs: string[] = [];
    for (let k = 0; k < planted; k++) {
      const orig = papers[Math.floor((k + 0.5) * (papers.length / planted))]!;
      const title = typo(orig.title, r);
      const copy = { ...base, id: 'pscanz' + String(k).padStart(7, '0'), title, key: titleKey(title), abstract: orig.abstract, addedAt: now };
      papers.push(copy);
      pairs.push([orig.id, copy.id].sort().join('|'));
    }
    const db = new ShelfmarkDB();
    for (let i = 0; i < papers.length; i += 4000) await db.papers.bulkPut(papers.slice(i, i + 4000));
    db.close();
    return pairs;
  };

  (window as any).e2eCandidatePairs = async () => {
    const db = new ShelfmarkDB();
    const rows = await db.duplicateCandidates.toArray();
    db.close();
    return rows.map((row) => [row.a, row.b].sort().join('|')).sort();
  };

  /** One uninterrupted scan on this page's thread (the reference the interrupted one must equal). */
  (window as any).e2eFullScan = async () => {
    const db = new ShelfmarkDB();
    await new CandidateEngine(db).rescan();
    db.close();
  };
  `,
  { chromeAsBrowser: true },
);

const ext = await launchChromium();
try {
  await poll(async () => (await idbCount(ext, 'shelfmark', 'papers')).count >= 314, { timeout: 60000, what: 'seed corpus installed' });

  // 1. The corpus, written from an extension page that keeps no duplicate finder of its own.
  const writer = await ext.context.newPage();
  await writer.goto(ext.extensionUrl('popup.html?tab=987654'));
  await writer.evaluate(code);
  const planted = await writer.evaluate(([files, n, k]) => window.e2eWriteCorpus(files, n, k), [seedFiles, GENERATED, PLANTED]);
  const total = (await idbCount(ext, 'shelfmark', 'papers')).count;
  assert.equal(total, 314 + GENERATED + PLANTED, 'every generated paper written');
  step(`corpus: ${total} papers (${GENERATED} generated, ${PLANTED} planted typo copies)`);

  // 2. The duplicates view: no candidates yet, so the finder scans everything, with progress.
  let lib = await ext.context.newPage();
  await lib.goto(ext.extensionUrl('library.html#view=duplicates'));
  const status = () => lib.getByRole('status').filter({ hasText: /Scan/ }).first();
  const scanned = async () => {
    const text = (await status().textContent({ timeout: 1000 }).catch(() => '')) ?? '';
    const m = /(?:Scanning for duplicates:|Scan stopped at) (\d+) of (\d+)/.exec(text);
    return m ? { done: Number(m[1]), total: Number(m[2]), stopped: text.startsWith('Scan stopped') } : undefined;
  };
  const first = await poll(async () => ((await scanned())?.done ?? 0) > 0 ? scanned() : undefined, { timeout: 60000, what: 'scan progress shown' });
  assert.equal(first.total, total, 'progress counts the whole corpus');
  assert.equal(await lib.getByRole('progressbar', { name: 'Duplicate scan' }).count(), 1, 'a progress bar');
  step(`scan running: ${first.done} of ${first.total}`);

  // 3. Cancel: the scan stops after its current chunk and says where.
  await lib.getByRole('button', { name: 'Cancel scan' }).click();
  const stopped = await poll(async () => {
    const s = await scanned();
    return s?.stopped ? s : undefined;
  }, { timeout: 30000, what: 'scan stopped' });
  assert.ok(stopped.done > 0 && stopped.done < total, `stopped part way (${stopped.done} of ${total})`);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(await scanned(), stopped, 'a stopped scan does not go on');
  step(`cancelled: stopped at ${stopped.done} of ${total}`);

  // 4. Stopped by the user means stopped: a reload shows it stopped, with "Resume scan".
  await lib.reload();
  await lib.getByRole('button', { name: 'Resume scan' }).waitFor({ timeout: 20000 });
  assert.deepEqual(await scanned(), stopped, 'still stopped after a reload, at the same place');

  // 5. Resume, then close the page in the middle: the checkpoint moves on.
  await lib.getByRole('button', { name: 'Resume scan' }).click();
  const moving = await poll(async () => {
    const s = await scanned();
    return s && !s.stopped && s.done > stopped.done ? s : undefined;
  }, { timeout: 60000, what: 'the resumed scan moving past the stop' });
  step(`resumed: ${moving.done} of ${total}`);
  await lib.close();

  // 6. Open the view again: the interrupted scan resumes by itself and finishes.
  lib = await ext.context.newPage();
  await lib.goto(ext.extensionUrl('library.html#view=duplicates'));
  const reopened = await poll(async () => scanned(), { timeout: 30000, what: 'progress after reopening' });
  assert.ok(!reopened.stopped, 'a closed page only interrupts: the scan runs again by itself');
  assert.ok(reopened.done >= moving.done, `resumed from its checkpoint (${reopened.done} ≥ ${moving.done}), not from 0`);
  await lib.getByRole('button', { name: 'Re-scan all papers' }).waitFor({ timeout: 180000 });
  assert.equal(await lib.getByRole('progressbar', { name: 'Duplicate scan' }).count(), 0, 'no progress bar once done');
  step(`reopened at ${reopened.done} of ${total}; finished`);

  // 7. What it stored: every planted pair, and exactly what one uninterrupted scan finds.
  await lib.evaluate(code);
  const interrupted = await lib.evaluate(() => window.e2eCandidatePairs());
  for (const pair of planted) assert.ok(interrupted.includes(pair), `planted pair ${pair} found`);
  await lib.evaluate(() => window.e2eFullScan());
  const reference = await lib.evaluate(() => window.e2eCandidatePairs());
  assert.deepEqual(interrupted, reference, 'the interrupted, cancelled and resumed scan stored what one full scan stores');
  const clusters = lib.getByRole('article');
  await poll(async () => ((await clusters.count()) >= PLANTED ? true : undefined), { timeout: 20000, what: 'planted clusters shown' });
  step(`candidates: ${interrupted.length} pairs, all ${PLANTED} planted pairs among them, equal to an uninterrupted scan`);
  console.log('dedupe-scan e2e: ok');
} finally {
  await ext.close();
}
