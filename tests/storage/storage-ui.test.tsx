// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag, setNote } from '@/lib/actions';
import { runAutoBackup } from '@/lib/storage/auto-backup';
import { recordUnsaved, resetUnsavedMemory } from '@/lib/storage/storage-guard';
import { UnsavedBanner } from '@/components/unsaved-banner';
import { AutoBackups } from '@/components/auto-backups';

vi.mock('@/lib/corpus/install', () => ({ ensureCorpusImported: async () => ({ version: 'test' }) }));

let db: ShelfmarkDB;
const paper = (id: string, title: string): Paper => makePaper(id, title, { provenance: [], origin: 'user' });

beforeEach(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  fakeBrowser.reset();
  resetUnsavedMemory();
  db = await openTestDb('ui', [paper('pa', 'Offline RL'), paper('pb', 'Decision Transformer')]);
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await dropTestDb(db);
});

describe('UnsavedBanner (popup)', () => {
  it('shows nothing when everything was saved, then each unsaved change with what it was, until dismissed', async () => {
    render(<UnsavedBanner />);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('alert')).toBeNull();
    // Recorded by another context (the background): the popup hears it through storage.session.
    await recordUnsaved('tag “RL” on 2 papers', new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    await recordUnsaved('note “check the ablation”', new DOMException('x', 'QuotaExceededError'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('2 changes were not saved');
    expect(alert.textContent).toContain('tag “RL” on 2 papers');
    expect(alert.textContent).toContain('note “check the ablation”');
    expect(alert.textContent).toContain('QuotaExceededError');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});

describe('AutoBackups (library page)', () => {
  it('lists backups by date and restores one after a confirmation, backing up the current state first', async () => {
    await addTag(db, ['pa', 'pb'], 'RL');
    await setNote(db, 'pa', 'keep this');
    await runAutoBackup(db, { now: () => Date.UTC(2026, 10, 20, 9) });
    await db.paperTags.clear();
    await db.notes.clear();
    render(<AutoBackups db={db} />);
    const item = await screen.findByText(/2 tags on papers, 0 lists, 0 list entries, 1 notes/);
    expect(item.textContent).toContain('(daily)');
    fireEvent.click(screen.getByRole('button', { name: 'Restore…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Replace my library with this backup' }));
    await screen.findByText(/Restored\./);
    expect(await db.paperTags.count()).toBe(2);
    expect((await db.notes.get('pa'))?.text).toBe('keep this');
    // The state it replaced is listed first, so the restore can be undone.
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    expect(screen.getAllByRole('listitem')[0]!.textContent).toMatch(/before a restore.*0 tags on papers/);
  });
});
