// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ShelfmarkDB } from '@/lib/storage/db';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag, setNote } from '@/lib/actions';
import { SyncEngine, syncEnabled, type SyncArea } from '@/lib/sync/engine';
import { SyncPanel } from '@/components/sync-panel';

let db: ShelfmarkDB;
const area: SyncArea & { data: Record<string, unknown> } = {
  data: {},
  async get() {
    return structuredClone(this.data);
  },
  async set(items) {
    Object.assign(this.data, structuredClone(items));
  },
  async remove(keys) {
    for (const k of keys) delete this.data[k];
  },
};

beforeEach(async () => {
  fakeBrowser.reset();
  area.data = {};
  const papers = Array.from({ length: 40 }, (_, i) => makePaper(`p${String(i).padStart(16, '0')}`, `Paper number ${i}`));
  db = await openTestDb('sync-panel', papers);
});
afterEach(async () => {
  cleanup();
  await dropTestDb(db);
});

describe('SyncPanel (library page)', () => {
  it('turns sync on, then shows space used and, past the budget, what stays local with the backup offer', async () => {
    render(<SyncPanel db={db} />);
    const box = await screen.findByLabelText('Sync my library through this browser');
    // Enabled once the stored setting has been read.
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
    expect((box as HTMLInputElement).checked).toBe(false);
    fireEvent.click(box);
    await waitFor(async () => expect(await syncEnabled(db)).toBe(true));
    await addTag(db, ['p0000000000000000'], 'kept');
    for (let i = 0; i < 40; i++) await setNote(db, `p${String(i).padStart(16, '0')}`, `Note ${i} `.padEnd(3500, 'x'));
    const status = await new SyncEngine(db, area).sync();
    expect(status.notSynced.length).toBeGreaterThan(0);
    const alert = await screen.findByText(/Not everything fits/);
    const box2 = alert.closest('[data-sync-over-quota]')!;
    expect(box2.textContent).toMatch(/notes: \d+ entries/);
    expect(screen.getByRole('button', { name: 'download a backup file' })).toBeTruthy();
    expect(screen.getByText(/KB of 100\.0 KB/)).toBeTruthy();
    // Off: the setting is stored, the local data stays.
    fireEvent.click(screen.getByLabelText('Sync my library through this browser'));
    await waitFor(async () => expect(await syncEnabled(db)).toBe(false));
    await new SyncEngine(db, area).sync();
    expect(await db.notes.count()).toBe(40);
    expect(await db.paperTags.count()).toBe(1);
  });
});
