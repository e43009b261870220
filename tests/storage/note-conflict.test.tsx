// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ShelfmarkDB } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { titleKey } from '@/lib/model/normalize';
import { setNote } from '@/lib/actions';
import { PaperDetail } from '@/entrypoints/library/paper-detail';

const title = 'Conservative Q-Learning for Offline Reinforcement Learning';
const paper: Paper = { id: 'p1', title, key: titleKey(title), aliasKeys: [], provenance: [], origin: 'user', addedAt: 1, updatedAt: 1 };
let name: string;
let db: ShelfmarkDB;
let other: ShelfmarkDB;

beforeEach(async () => {
  fakeBrowser.reset();
  name = `note-ui-${Math.random().toString(36).slice(2)}`;
  db = new ShelfmarkDB(name);
  other = new ShelfmarkDB(name); // another library tab
  await db.papers.add(paper);
  await setNote(db, 'p1', 'Strong baseline.');
});
afterEach(async () => {
  cleanup();
  db.close();
  other.close();
  await db.delete();
});

describe('library paper page: a note edited in two tabs', () => {
  it('saving an edit of an older note keeps the other tab’s newer text and says so', async () => {
    render(<PaperDetail db={db} paper={paper} allTags={[]} lists={[]} onClose={() => {}} onOpen={() => {}} />);
    const box = (await screen.findByLabelText('Note')) as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toBe('Strong baseline.'));
    fireEvent.input(box, { target: { value: 'Strong baseline. Check seeds.' } });
    // Meanwhile the other tab saves its own edit.
    await setNote(other, 'p1', 'Strong baseline. Compare with IQL.', { basedOn: 'Strong baseline.' });
    fireEvent.blur(box);
    await screen.findByText(/changed in another window meanwhile: both versions are kept/);
    const text = (await db.notes.get('p1'))!.text;
    expect(text).toContain('Compare with IQL.');
    expect(text).toContain('Check seeds.');
  });

  it('a normal edit replaces the note', async () => {
    render(<PaperDetail db={db} paper={paper} allTags={[]} lists={[]} onClose={() => {}} onOpen={() => {}} />);
    const box = (await screen.findByLabelText('Note')) as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toBe('Strong baseline.'));
    fireEvent.input(box, { target: { value: 'Rewritten.' } });
    fireEvent.blur(box);
    await screen.findByText('Note saved.');
    expect((await db.notes.get('p1'))!.text).toBe('Rewritten.');
  });
});
