import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup } from '@testing-library/preact';
import { parse as parseBib } from '@retorquere/bibtex-parser';
import Papa from 'papaparse';
import { freshDb, populate, PAPERS } from './fixtures';
import { ExportMenu } from '../../components/export-menu';
import { ExportPaperCopy } from '../../components/export-paper-copy';
import { LibraryExport } from '../../components/library-export';
import { ExportListPicker } from '../../components/export-list-picker';
import type { ShelfmarkDB } from '../../lib/storage/db';

let db: ShelfmarkDB;
let blobs: Blob[];
let clicked: { href: string; download: string }[];
let clipboard: string[];

beforeEach(async () => {
  db = freshDb();
  await populate(db);
  blobs = [];
  clicked = [];
  clipboard = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (t: string) => void clipboard.push(t) },
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ExportMenu', () => {
  it('downloads a reading list as BibTeX in list order', async () => {
    render(<ExportMenu db={db} selection={{ kind: 'list', listId: 'l1' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe('reading-group.bib');
    const text = await blobs[0]!.text();
    const lib = parseBib(text);
    expect(lib.errors).toEqual([]);
    expect(lib.entries.map((e) => e.key)).toEqual(['lambert2024tulu', 'anonpaper', 'vaswani2017attention']);
    expect(screen.getByRole('status').textContent).toBe('Saved reading-group.bib');
  });

  it('copies the chosen format; the backup is offered only for the whole corpus', async () => {
    const { unmount } = render(<ExportMenu db={db} selection={{ kind: 'tag', tag: 'transformers' }} />);
    const select = screen.getByLabelText('Format') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).not.toContain('backup');
    fireEvent.change(select, { target: { value: 'markdown' } });
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(clipboard).toHaveLength(1));
    expect(clipboard[0]!.startsWith('# transformers\n\n- [Attention Is All You Need]')).toBe(true);
    unmount();
    render(<ExportMenu db={db} selection={{ kind: 'all' }} />);
    expect([...(screen.getByLabelText('Format') as HTMLSelectElement).options].map((o) => o.value)).toContain('backup');
  });

  it('shows an error for a list that no longer exists', async () => {
    render(<ExportMenu db={db} selection={{ kind: 'list', listId: 'gone' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/No reading list/));
    expect(clicked).toHaveLength(0);
  });
});

describe('ExportPaperCopy', () => {
  it('copies one BibTeX entry and a Markdown link', async () => {
    render(<ExportPaperCopy paper={PAPERS[0]!} tags={['transformers']} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy BibTeX' }));
    await waitFor(() => expect(clipboard).toHaveLength(1));
    expect(parseBib(clipboard[0]!).entries[0]!.fields.keywords).toEqual(['transformers']);
    fireEvent.click(screen.getByRole('button', { name: 'Copy Markdown link' }));
    await waitFor(() => expect(clipboard).toHaveLength(2));
    expect(clipboard[1]).toBe('[Attention Is All You Need](https://arxiv.org/abs/1706.03762)');
  });
});

describe('LibraryExport', () => {
  it('exports the shown list, or a chosen scope', async () => {
    const { unmount } = render(<LibraryExport db={db} list={{ id: 'l1', name: 'Reading group' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe('reading-group.bib');
    unmount();
    render(<LibraryExport db={db} />);
    const scope = screen.getByLabelText('Export') as HTMLSelectElement;
    await waitFor(() => expect(scope.options.length).toBe(1 + 1 + 3));
    // The deleted list is not offered.
    expect([...scope.options].map((o) => o.textContent)).not.toContain('Reading list: Old list');
    expect((screen.getByLabelText('Format') as HTMLSelectElement).value).toBe('backup');
    fireEvent.change(scope, { target: { value: 'tag:transformers' } });
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(clicked[1]!.download).toBe('transformers.csv');
    expect(Papa.parse(await blobs[1]!.text(), { skipEmptyLines: true }).data).toHaveLength(3);
  });
});

describe('ExportListPicker', () => {
  it('offers the most recently changed list first and exports the chosen one', async () => {
    const { container } = render(<ExportListPicker db={freshDb()} />);
    // No lists: nothing at all.
    await new Promise((r) => setTimeout(r, 50));
    expect(container.innerHTML).toBe('');
    cleanup();
    await db.lists.add({ id: 'l3', name: 'Newer list', createdAt: 100, updatedAt: 200 });
    await db.listItems.add({ listId: 'l3', paperId: 'p0000000000000005', position: 1, read: false, addedAt: 1 });
    render(<ExportListPicker db={db} />);
    const select = (await screen.findByLabelText('List')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Newer list', 'Reading group']);
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toBe('newer-list.bib');
    fireEvent.change(select, { target: { value: 'l1' } });
    await waitFor(() => expect(screen.getByText('Export “Reading group”')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(parseBib(await blobs[1]!.text()).entries).toHaveLength(3);
  });
});
