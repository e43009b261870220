#!/usr/bin/env node
// The storage layer in real Firefox ESR (the MV2 build, over WebDriver BiDi): the database opens at
// schema v8 (IDB version 80) with the backups table; the daily backup alarm is registered by the
// background; storage.session — where failed writes are recorded for the popup — is shared between
// extension pages; "Back up now" on the library page stores a gzip backup.
//
//   node tests/e2e/storage-firefox.e2e.mjs   (extension: $SHELFMARK_FIREFOX_EXT or .output/firefox-mv2)
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { countStore, launchFirefox, poll, readPageStores } from './lib/firefox.mjs';
import { ROOT } from './lib/chromium.mjs';

const extDir = resolve(process.env.SHELFMARK_FIREFOX_EXT ?? join(ROOT, '.output', 'firefox-mv2'));
const ff = await launchFirefox({ extDir });
try {
  const lib = await ff.openExtensionPage('library.html#view=exchange');
  await poll(async () => ((await countStore(lib, 'shelfmark', 'papers')).count >= 314 ? true : undefined), { timeout: 60000 });
  const schema = await readPageStores(lib, []);
  assert.equal(schema.version, 80, 'schema v8');
  assert.ok(schema.stores.includes('backups'));
  assert.ok(schema.stores.includes('dismissals'));
  assert.ok(schema.stores.includes('paperChanges'));

  const alarm = await poll(() => lib.evaluate(() => browser.alarms.get('shelfmark-auto-backup')), { timeout: 20000 });
  assert.equal(alarm.periodInMinutes, 24 * 60, 'daily backup alarm');

  // storage.session: written by one extension page, read by another (as the popup reads the record).
  assert.equal(await lib.evaluate(() => typeof browser.storage?.session?.set), 'function', 'storage.session exists');
  await lib.evaluate(() =>
    browser.storage.session.set({ 'shelfmark.unsaved': [{ id: 'ff-1', at: Date.now(), what: 'tag “firefox-probe”', error: 'QuotaExceededError: probe' }] }),
  );
  const popup = await ff.openExtensionPage('popup.html');
  const banner = await poll(
    () => popup.evaluate(() => [...document.querySelectorAll('[role="alert"]')].map((e) => e.textContent).find((t) => t.includes('not saved'))),
    { timeout: 20000 },
  );
  assert.ok(banner.includes('tag “firefox-probe”'), `popup banner: ${banner}`);

  // Back up now → a gzip row in the backups table.
  await lib.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent === 'Back up now').click());
  const rows = await poll(
    async () => {
      const { backups } = await readPageStores(lib, ['backups']);
      return backups.length ? backups.map((r) => ({ reason: r.reason, encoding: r.encoding, jsonChars: r.jsonChars })) : undefined;
    },
    { timeout: 20000 },
  );
  assert.deepEqual(rows.map((r) => [r.reason, r.encoding]), [['manual', 'gzip']]);
  console.log(`storage firefox e2e: ok — IDB v${schema.version}, alarm every ${alarm.periodInMinutes} min, storage.session shared with the popup, backup ${rows[0].jsonChars} JSON chars (gzip)`);
} finally {
  await ff.close();
}
