// The polyfill installs itself on import: IndexedDB for Dexie in Node.
// oxlint-disable-next-line import/no-unassigned-import
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { addTag } from '../../lib/actions';
import { DuplicatesPanel } from '../../components/duplicates-panel';

let db: ShelfmarkDB;

const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper =>
  makePaper(id, title, { provenance: [], origin: 'user', ...extra });

const abstract =
  'We study offline reinforcement learning from fixed datasets and propose a conservative objective that lowers the value of unseen actions while keeping the learned policy close to the data, with strong results on standard locomotion and manipulation benchmarks.';

beforeEach(async () => {
  db = await openTestDb('mv', [
    // An exact duplicate (certain): same title, one with a DOI.
    paper('a1', 'Conservative Q-Learning for Offline Reinforcement Learning', { abstract, arxivId: '2006.04779' }),
    paper('a2', 'Conservative Q-learning for offline reinforcement learning', { doi: '10.5555/cql', venue: 'NeurIPS' }),
    // A typo'd title without abstracts (maybe).
    paper('b1', 'Implicit Q-Learning with Expectile Regression'),
    paper('b2', 'Implicit Q-Learning with Expectile Regresion'),
    paper('c1', 'Unrelated Paper About Vision'),
  ]);
  await addTag(db, ['a1'], 'cql');
});

afterEach(async () => {
  cleanup();
  await dropTestDb(db);
});

const clusters = () => screen.queryAllByRole('article');
const undoButton = () => screen.queryByRole('button', { name: 'Undo' });

describe('MergeView over the database', () => {
  it('shows clusters side by side with levels and reasons', async () => {
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    const [first, second] = clusters();
    expect(within(first!).getByRole('heading', { level: 3 }).textContent).toMatch(/^Certain 2 records/);
    expect(within(first!).getByRole('list', { name: 'Why proposed' }).textContent).toMatch(/same title after normalization/);
    expect(within(second!).getByRole('heading', { level: 3 }).textContent).toMatch(/^Maybe 2 records/);
    expect(within(second!).getByRole('list', { name: 'Why proposed' }).textContent).toMatch(/titles \d+% alike, differing only by typos/);
    // The richer record (DOI + venue beats arXiv + abstract here) is preselected.
    const keep = within(first!).getAllByRole('radio', { name: 'Keep this record' }) as HTMLInputElement[];
    expect(keep.filter((r) => r.checked)).toHaveLength(1);
    expect(screen.getByText(/2 candidate clusters: 1 certain, 1 to review/)).toBeTruthy();
  });

  it('merges, then undoes the merge', async () => {
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    const first = clusters()[0]!;
    // Keep a1 instead of the preselected record.
    const radios = within(first).getAllByRole('radio') as HTMLInputElement[];
    const a1Radio = radios.find((r) => r.closest('.sm-card')!.textContent!.includes('2006.04779'))!;
    fireEvent.click(a1Radio);
    fireEvent.click(within(first).getByRole('button', { name: 'Merge into kept record' }));
    await waitFor(() => expect(clusters()).toHaveLength(1));
    expect((await db.papers.get('a2'))!.mergedInto).toBe('a1');
    expect((await db.papers.get('a1'))!.doi).toBe('10.5555/cql');
    expect(screen.getByText(/Merged 1 record into “Conservative Q-Learning/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(clusters()).toHaveLength(2));
    expect((await db.papers.get('a2'))!.mergedInto).toBeUndefined();
    expect((await db.papers.get('a1'))!.doi).toBeUndefined();
    expect(await db.paperTags.where('paperId').equals('a1').count()).toBe(1);
  });

  it('remembers "not duplicates", and can undo that too', async () => {
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    fireEvent.click(within(clusters()[1]!).getByRole('button', { name: 'Not duplicates' }));
    await waitFor(() => expect(clusters()).toHaveLength(1));
    expect(await db.notDuplicates.count()).toBe(1);
    // Remembered: a fresh view proposes it no more.
    cleanup();
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(1));
    expect(undoButton()).toBeNull();
    cleanup();
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(1));
    // Undo within the session that made the decision.
    fireEvent.click(within(clusters()[0]!).getByRole('button', { name: 'Not duplicates' }));
    await waitFor(() => expect(clusters()).toHaveLength(0));
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(clusters()).toHaveLength(1));
    expect(await db.notDuplicates.count()).toBe(1);
  });

  it('batch-merges the selected clusters', async () => {
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Select all certain (1)' }));
    fireEvent.click(within(clusters()[1]!).getByRole('checkbox', { name: 'Select for batch merge' }));
    fireEvent.click(screen.getByRole('button', { name: 'Merge selected (2)' }));
    await waitFor(() => expect(clusters()).toHaveLength(0));
    expect(await db.papers.filter((p) => !!p.mergedInto).count()).toBe(2);
    expect(screen.getByText('Merged 2 clusters (2 records).')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(clusters()).toHaveLength(2));
    expect(await db.papers.filter((p) => !!p.mergedInto).count()).toBe(0);
  });
});

describe('DuplicatesPanel over stored candidates', () => {
  it('opens from the stored candidates without reading every paper, and follows later writes', async () => {
    const { vi } = await import('vitest');
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    expect(await db.table('duplicateCandidates').count()).toBe(2);
    cleanup();
    // Nothing changed: the view reads the candidates and their papers, never the whole table.
    const toArray = vi.spyOn(db.papers, 'toArray');
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    expect(within(clusters()[0]!).getByRole('heading', { level: 3 }).textContent).toMatch(/^Certain 2 records/);
    // A new duplicate written elsewhere: compared on arrival against the index in memory.
    await db.papers.add(paper('c2', 'Unrelated paper about vision'));
    await waitFor(() => expect(clusters()).toHaveLength(3));
    expect(toArray).not.toHaveBeenCalled();
    cleanup();
    // A "not duplicates" decision taken elsewhere is applied when reading.
    await db.notDuplicates.put({ pair: 'c1|c2', at: 1 });
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(clusters()).toHaveLength(2));
    toArray.mockRestore();
  });

  it('shows a stopped scan and resumes it on request', async () => {
    await db.table('duplicateScan').put({ key: 'scan', status: 'running', cancelled: true, startSeq: 0, lastId: 'a2', done: 2, total: 5, at: 1 });
    render(<DuplicatesPanel db={db} />);
    await waitFor(() => expect(screen.getByText('Scan stopped at 2 of 5 papers (40%).')).toBeTruthy());
    expect(clusters()).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Resume scan' }));
    // Papers after a2 are compared with every paper before them: the b pair is found; the a
    // pair was "done" before the stop (this checkpoint is made up), so it is not compared again.
    await waitFor(async () => expect((await db.table('duplicateScan').get('scan')).status).toBe('done'));
    await waitFor(() => expect(clusters()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Resume scan' })).toBeNull();
    // A full re-scan finds both.
    fireEvent.click(await screen.findByRole('button', { name: 'Re-scan all papers' }));
    await waitFor(() => expect(clusters()).toHaveLength(2));
  });
});
