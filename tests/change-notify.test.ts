// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { ShelfmarkDB } from '../lib/storage/db';
import { installWakeOnChange } from '../lib/storage/change-notify';

describe('installWakeOnChange', () => {
  it('sends one data-changed message per burst of writes to user data, none for other tables', async () => {
    fakeBrowser.reset();
    const got: unknown[] = [];
    browser.runtime.onMessage.addListener(((m: unknown) => {
      got.push(m);
      return Promise.resolve({ ok: true });
    }) as never);
    const db = new ShelfmarkDB('test-notify-' + Math.random());
    // A wide burst window (300 ms) so a loaded CI machine cannot split the two writes below into
    // two bursts; forced: the test page is not an extension page.
    const windowMs = 300;
    installWakeOnChange(db.name, windowMs, true);
    const pastWindow = () => new Promise((r) => setTimeout(r, windowMs + 100));
    // Creating the database reports every table as changed; start counting after that.
    await db.open();
    await pastWindow();
    got.length = 0;
    await db.sightings.add({ title: 't', key: 't', pageUrl: 'u', host: 'h', ids: {}, status: 'none', seenAt: 1 });
    await pastWindow();
    expect(got).toEqual([]);
    await db.paperTags.add({ paperId: 'p', tag: 'a', addedAt: 1 });
    await db.lists.add({ id: 'l', name: 'L', createdAt: 1, updatedAt: 1 });
    await pastWindow();
    expect(got).toEqual([{ type: 'data-changed' }]);
    db.close();
    await db.delete();
  });
});
