// The polyfill installs itself on import: IndexedDB for Dexie in Node.
// oxlint-disable-next-line import/no-unassigned-import
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';
import type { TabEntry } from '../../lib/messaging/messages';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag } from '../../lib/actions';
import { PopupApp } from '../../entrypoints/popup/app';
import { createContext, type Context } from '../../entrypoints/background/context';
import { handleMessage } from '../../entrypoints/background/handlers';

let db: ShelfmarkDB;
let sent: { type: string; [k: string]: unknown }[];
let ctx: Context;
// The background's real handlers answer the popup's tag and list writes.
const WRITES = ['add-tag', 'remove-tag', 'create-list', 'add-to-list', 'remove-from-list'];
const noIndex: Context['index'] = { get: async () => { throw new Error('no index here'); }, peek: () => undefined, upsert: () => {} };
const noPlatform: Context['platform'] = { pushResults() {}, setBadge() {}, fetchTabEntries: async () => undefined, listTabs: async () => [], scheduleFlush() {} };

const paper = (id: string, title: string): Paper => makePaper(id, title, { provenance: [] });

const entries: TabEntry[] = [
  { entry: { eid: 1, title: 'Decision Transformer', ids: {} }, result: { eid: 1, status: 'match', paperId: 'p1', tags: [], lists: [] } },
  {
    entry: { eid: 2, title: 'Implicit Q Learning', ids: {} },
    result: { eid: 2, status: 'maybe', candidates: [{ paperId: 'p2', title: 'Implicit Q-Learning', score: 0.78 }], tags: [], lists: [] },
  },
  { entry: { eid: 3, title: 'A Brand New Paper', ids: { arxiv: '2401.00001' } }, result: { eid: 3, status: 'none', tags: [], lists: [] } },
];

beforeEach(async () => {
  fakeBrowser.reset();
  db = await openTestDb('popup', [paper('p1', 'Decision Transformer'), paper('p2', 'Implicit Q-Learning')]);
  await addTag(db, ['p1'], 'sequence-models');
  sent = [];
  ctx = createContext(db, noIndex, noPlatform);
  fakeBrowser.runtime.onMessage.addListener(async (msg: unknown) => {
    const m = msg as { type: string; entry?: { title: string } };
    sent.push(m);
    if (m.type === 'tab-entries') return { ok: true, pageUrl: 'https://arxiv.org/list/cs.LG/recent', entries };
    if (m.type === 'add-paper') {
      await db.papers.add(paper('p3', m.entry!.title));
      return { ok: true, paperId: 'p3' };
    }
    if (WRITES.includes(m.type)) return handleMessage(ctx, m, { kind: 'page', url: 'chrome-extension://x/popup.html' });
    return { ok: true };
  });
});

afterEach(async () => {
  cleanup();
  await dropTestDb(db);
});

const group = (name: RegExp) => screen.getByRole('region', { name });

describe('PopupApp', () => {
  it('groups the tab’s papers by status with their tags, and focuses the search box', async () => {
    render(<PopupApp db={db} tabId={7} shortcut="Alt+Shift+S" />);
    await screen.findByRole('heading', { name: /In your corpus \(1\)/ });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search your corpus' }));
    expect(sent[0]).toEqual({ type: 'tab-entries', tabId: 7 });
    expect(within(group(/In your corpus/)).getByText('Decision Transformer')).toBeTruthy();
    await waitFor(() => expect(within(group(/In your corpus/)).getByText('sequence-models')).toBeTruthy());
    expect(within(group(/Maybe/)).getByText(/Is it “Implicit Q-Learning”\?/)).toBeTruthy();
    expect(within(group(/^New/)).getByRole('button', { name: 'Add to corpus' })).toBeTruthy();
    expect(screen.getByText(/Open this popup with Alt\+Shift\+S/)).toBeTruthy();
    // The corpus search answers once its index is built (in slices, after the first paint).
    const box = screen.getByRole('searchbox', { name: 'Search your corpus' });
    await waitFor(() => {
      fireEvent.input(box, { target: { value: 'implicit' } });
      expect(screen.getByRole('listbox', { name: 'Search results' }).textContent).toBe('Implicit Q-Learning');
    });
  });

  it('confirms a maybe through the background and shows it as in the corpus', async () => {
    render(<PopupApp db={db} tabId={7} />);
    await screen.findByRole('heading', { name: /Maybe/ });
    fireEvent.click(within(group(/Maybe/)).getByRole('button', { name: 'Confirm' }));
    await screen.findByRole('heading', { name: /In your corpus \(2\)/ });
    const msg = sent.find((m) => m.type === 'confirm-match')!;
    expect(msg.paperId).toBe('p2');
    expect((msg.entry as { title: string }).title).toBe('Implicit Q Learning');
    expect(screen.queryByRole('heading', { name: /Maybe/ })).toBeNull();
  });

  it('tags a selection, saving a new paper to the corpus first', async () => {
    render(<PopupApp db={db} tabId={7} />);
    await screen.findByRole('heading', { name: /New/ });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Decision Transformer' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select A Brand New Paper' }));
    const sel = screen.getByRole('region', { name: 'Selected papers' });
    const box = within(sel).getByRole('combobox', { name: /Add a tag/ });
    fireEvent.input(box, { target: { value: 'to-read' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(async () => expect(await db.paperTags.where('tag').equals('to-read').count()).toBe(2));
    expect(sent.some((m) => m.type === 'add-paper')).toBe(true);
    // One write path: the tag went through the background, with both papers.
    expect(sent.find((m) => m.type === 'add-tag')).toEqual({ type: 'add-tag', paperIds: ['p1', 'p3'], tag: 'to-read' });
    await screen.findByRole('heading', { name: /In your corpus \(2\)/ });
    // Both now carry the tag, so it shows as a common tag of the selection.
    await waitFor(() => expect(within(sel).getByRole('button', { name: 'Remove tag to-read' })).toBeTruthy());
  });

  it('adds a paper to a new list from its row editor, with the keyboard', async () => {
    render(<PopupApp db={db} tabId={7} />);
    await screen.findByRole('heading', { name: /In your corpus/ });
    const title = screen.getByRole('button', { name: 'Decision Transformer' });
    fireEvent.keyDown(title, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Implicit Q Learning' }));
    fireEvent.click(title);
    const field = screen.getByRole('textbox', { name: 'Find or create a reading list' });
    fireEvent.input(field, { target: { value: 'Weekend' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(async () => expect(await db.listItems.count()).toBe(1));
    const list = (await db.lists.toArray())[0]!;
    expect(list.name).toBe('Weekend');
    expect((await db.listItems.toArray())[0]!.paperId).toBe('p1');
    expect(sent.find((m) => m.type === 'create-list')).toEqual({ type: 'create-list', name: 'Weekend', paperIds: ['p1'] });
    await screen.findByText('In: Weekend');
    fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Find or create a reading list' })).toBeNull());
  });
});
