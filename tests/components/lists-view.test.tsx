// The polyfill installs itself on import: IndexedDB for Dexie in Node.
// oxlint-disable-next-line import/no-unassigned-import
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addToList, createList } from '../../lib/actions';
import { listItemsInOrder } from '../../lib/storage/queries';
import { ListsView } from '../../entrypoints/library/lists-view';

const PAPERS: Paper[] = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((t, i) => makePaper(`p${i}`, `${t} paper`));
const byId = new Map(PAPERS.map((p) => [p.id, p]));

let db: ShelfmarkDB;
let opened: string[];

function Harness({ initial }: { initial?: string }) {
  const [selected, setSelected] = useState<string | undefined>(initial);
  return <ListsView db={db} paper={(id) => byId.get(id)} selectedId={selected} onSelect={setSelected} onOpenPaper={(id) => opened.push(id)} />;
}

beforeEach(async () => {
  db = await openTestDb('lv', PAPERS);
  opened = [];
});

afterEach(async () => {
  cleanup();
  await dropTestDb(db);
});

const rows = () => within(screen.getByRole('list', { name: /^Papers in / })).queryAllByRole('listitem');
const titles = () => rows().map((r) => r.getAttribute('data-paper'));
const order = async (listId: string) => (await listItemsInOrder(db, listId)).map((i) => i.paperId);
const navButton = (name: RegExp) => within(screen.getByRole('navigation', { name: 'Reading lists' })).getByRole('button', { name });

async function listWithAll(): Promise<string> {
  const id = await createList(db, 'Queue');
  await addToList(db, id, PAPERS.map((p) => p.id));
  return id;
}

describe('ListsView', () => {
  it('creates a list, selects it and counts its papers in the nav', async () => {
    render(<Harness />);
    screen.getByText('No lists yet.');
    fireEvent.input(screen.getByLabelText('New list'), { target: { value: '  Weekend  ' } });
    fireEvent.submit(screen.getByLabelText('New list').closest('form')!);
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'Weekend' })).toBeTruthy());
    expect(screen.getByRole('status').textContent).toBe('Created “Weekend”.');
    expect((screen.getByLabelText('New list') as HTMLInputElement).value).toBe('');
    expect(navButton(/^Weekend/).getAttribute('aria-current')).toBe('true');
    expect(navButton(/^Weekend/).textContent).toContain('(0)');
    // A second list under the same name is refused with a visible error.
    fireEvent.input(screen.getByLabelText('New list'), { target: { value: 'weekend' } });
    fireEvent.submit(screen.getByLabelText('New list').closest('form')!);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/already exists/));
  });

  it('moves every paper to every position with Alt+↑/↓ and the buttons', async () => {
    const id = await listWithAll();
    render(<Harness initial={id} />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    for (const paperId of PAPERS.map((p) => p.id)) {
      // Down to the bottom by keyboard, then up to the top by the buttons.
      for (let step = 0; step < 4; step++) {
        const before = await order(id);
        const at = before.indexOf(paperId);
        const title = screen.getByRole('button', { name: byId.get(paperId)!.title });
        title.focus();
        fireEvent.keyDown(title, { key: 'ArrowDown', altKey: true });
        const want = at === before.length - 1 ? before : [...before.slice(0, at), before[at + 1]!, paperId, ...before.slice(at + 2)];
        await waitFor(async () => expect(await order(id)).toEqual(want));
        await waitFor(() => expect(titles()).toEqual(want));
        if (at < before.length - 1) {
          expect(screen.getByRole('status').textContent).toBe(`Moved to position ${at + 2}.`);
          await waitFor(() => expect(document.activeElement?.textContent).toBe(byId.get(paperId)!.title));
        }
      }
      expect((await order(id)).at(-1)).toBe(paperId);
      expect((screen.getByRole('button', { name: `Move down: ${byId.get(paperId)!.title}` }) as HTMLButtonElement).disabled).toBe(true);
      // One click at a time: a move reorders the list as last shown.
      for (let at = 3; at > 0; at--) {
        fireEvent.click(screen.getByRole('button', { name: `Move up: ${byId.get(paperId)!.title}` }));
        await waitFor(() => expect(titles().indexOf(paperId)).toBe(at - 1));
      }
      expect((await order(id))[0]).toBe(paperId);
      await waitFor(() => expect((screen.getByRole('button', { name: `Move up: ${byId.get(paperId)!.title}` }) as HTMLButtonElement).disabled).toBe(true));
    }
  });

  it('moves the focus between rows with plain ↑/↓ without reordering, and opens a paper', async () => {
    const id = await listWithAll();
    render(<Harness initial={id} />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const before = await order(id);
    const buttons = () => before.map((p) => screen.getByRole('button', { name: byId.get(p)!.title }));
    buttons()[0]!.focus();
    for (let i = 1; i < 4; i++) {
      fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
      expect(document.activeElement).toBe(buttons()[i]);
    }
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(buttons()[3]);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(buttons()[2]);
    expect(await order(id)).toEqual(before);
    fireEvent.click(buttons()[2]!);
    expect(opened).toEqual([before[2]]);
  });

  it('marks read, removes a paper, renames (Esc cancels) and deletes with undo', async () => {
    const id = await listWithAll();
    render(<Harness initial={id} />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    await waitFor(() => expect(navButton(/^Queue/).textContent).toContain('(4, 4 unread)'));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Read: Alpha paper' }));
    await waitFor(() => expect(navButton(/^Queue/).textContent).toContain('(4, 3 unread)'));
    await waitFor(() => expect(rows()[0]!.className).toContain('sm-read'));

    fireEvent.click(screen.getByRole('button', { name: 'Remove from list: Bravo paper' }));
    await waitFor(() => expect(titles()).toEqual(['p0', 'p2', 'p3']));
    expect(screen.getByRole('status').textContent).toBe('Removed “Bravo paper”.');

    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByLabelText('List name') as HTMLInputElement;
    expect(field.value).toBe('Queue');
    fireEvent.input(field, { target: { value: 'Later' } });
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.getByRole('heading', { level: 2, name: 'Queue' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    fireEvent.input(screen.getByLabelText('List name'), { target: { value: 'Later' } });
    fireEvent.submit(screen.getByLabelText('List name').closest('form')!);
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'Later' })).toBeTruthy());

    fireEvent.click(screen.getByRole('button', { name: 'Delete list' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Deleted “Later”\./));
    screen.getByText('Choose a list, or create one.');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'Later' })).toBeTruthy());
    expect(screen.getByRole('status').textContent).toBe('Restored “Later”.');
    await waitFor(() => expect(titles()).toEqual(['p0', 'p2', 'p3']));
  });
});
