import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup } from '@testing-library/preact';
import { freshDb, populate, snapshot } from '../export/fixtures';
import { ImportDialog } from '../../components/import-dialog';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { ImportReport } from '../../lib/import';

let db: ShelfmarkDB;
beforeEach(async () => {
  db = freshDb();
  await populate(db);
});
afterEach(cleanup);

function pick(name: string, text: string): void {
  const input = screen.getByLabelText('File') as HTMLInputElement;
  const file = new File([text], name, { type: 'text/plain' });
  Object.defineProperty(input, 'files', { configurable: true, value: [file] });
  fireEvent.change(input);
}

describe('ImportDialog', () => {
  it('replacing the library with a backup needs a second, explicit click', async () => {
    const { createBackup } = await import('../../lib/storage/backup');
    const b = await createBackup(db);
    b.tables.papers = b.tables.papers.slice(0, 2);
    b.tables.paperTags = b.tables.paperTags.filter((t) => b.tables.papers.some((p) => p.id === t.paperId));
    b.tables.listItems = b.tables.listItems.filter((t) => b.tables.papers.some((p) => p.id === t.paperId));
    b.tables.notes = b.tables.notes.filter((t) => b.tables.papers.some((p) => p.id === t.paperId));
    render(<ImportDialog db={db} />);
    pick('backup.json', JSON.stringify(b));
    fireEvent.click(screen.getByLabelText(/replace the\s+whole library/));
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const confirm = await screen.findByRole('alert');
    expect(confirm.textContent).toMatch(/deletes your library as it is now \(7 papers, 1 reading lists, 3 tags, 1 notes\)/);
    expect(await db.papers.count()).toBe(8);
    fireEvent.click(screen.getByRole('button', { name: 'Keep my library' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(await db.papers.count()).toBe(8);
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Replace my library' }));
    await waitFor(() => expect(document.querySelector('.import-result')).not.toBeNull());
    expect(await db.papers.count()).toBe(2);
  });

  it('imports a BibTeX file into a list and reports new / merged / skipped', async () => {
    let got: ImportReport | undefined;
    render(<ImportDialog db={db} onImported={(r) => (got = r)} />);
    pick('refs.bib', '@misc{a, title={Attention is all you need}}\n@misc{b, title={A fresh paper}}\n@misc{c, year=2020}\n');
    fireEvent.input(screen.getByLabelText('Add to reading list (optional)'), { target: { value: 'From bib' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(got).toBeDefined());
    expect(got).toMatchObject({ new: 1, merged: 1, skipped: 1 });
    const result = document.querySelector('.import-result')!;
    expect(result.querySelector('[data-count="new"]')!.textContent).toBe('1');
    expect(result.querySelector('[data-count="merged"]')!.textContent).toBe('1');
    expect(result.textContent).toMatch(/line 3: no title/);
    const list = (await db.lists.toArray()).find((l) => l.name === 'From bib')!;
    expect(await db.listItems.where('listId').equals(list.id).count()).toBe(2);
  });

  it('a broken file shows the line and changes nothing', async () => {
    const before = await snapshot(db);
    render(<ImportDialog db={db} />);
    pick('refs.ris', 'TY  - JOUR\nTI  - One\nTY  - JOUR\n');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^Line 3: .*Nothing was changed\.$/));
    expect(await snapshot(db)).toEqual(before);
  });

  it('Cancel during a long import writes nothing', async () => {
    const before = await snapshot(db);
    render(<ImportDialog db={db} />);
    const lines = Array.from({ length: 3000 }, (_, i) => `Some generated title number ${i}`).join('\n');
    pick('titles.txt', lines);
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    fireEvent.click(cancel);
    await waitFor(() => expect(document.querySelector('.import-cancelled')).not.toBeNull());
    expect(await snapshot(db)).toEqual(before);
  });
});
