import { describe, it, expect, afterEach } from 'vitest';
import { dropTestDb, openTestDb } from '../helpers/db';
import { dismiss, dismissedAmong, listDismissals, undismiss } from '../../lib/triage/dismiss';
import { titleKey } from '../../lib/model/normalize';
import type { ShelfmarkDB } from '../../lib/storage/db';

let db: ShelfmarkDB | undefined;
afterEach(async () => {
  if (db) await dropTestDb(db);
  db = undefined;
});

describe('dismissals', () => {
  it('dismisses by title (any site, any rendering) or by the matched paper, and undo restores', async () => {
    db = await openTestDb('dismiss');
    await dismiss(db, { title: 'Deep Residual Learning for Image Recognition', pageUrl: 'https://arxiv.org/list/cs.CV/new' }, 10);
    await dismiss(db, { title: 'Some Paper', pageUrl: 'https://huggingface.co/papers', paperId: 'p1' }, 20);
    const q = [
      { key: titleKey('deep residual learning for image recognition.') },
      { key: titleKey('Another title of p1'), paperId: 'p1' },
      { key: titleKey('Not dismissed') },
      { key: titleKey('Not dismissed either'), paperId: 'p2' },
    ];
    expect(await dismissedAmong(db, q)).toEqual([true, true, false, false]);
    expect((await listDismissals(db)).map((r) => r.title)).toEqual(['Some Paper', 'Deep Residual Learning for Image Recognition']);

    expect(await undismiss(db, titleKey('Deep Residual Learning for Image Recognition'))).toBe(true);
    expect(await undismiss(db, titleKey('Deep Residual Learning for Image Recognition'))).toBe(false);
    expect(await dismissedAmong(db, q)).toEqual([false, true, false, false]);
    // Dismissing again after an undo works (a fresh row), and nothing else was touched.
    await dismiss(db, { title: 'Deep Residual Learning for Image Recognition', pageUrl: 'https://x.org/' }, 30);
    expect(await db.dismissals.count()).toBe(2);
  });

  it('refuses an entry without a usable title', async () => {
    db = await openTestDb('dismiss-bad');
    await expect(dismiss(db, { title: '…', pageUrl: 'https://x.org/' })).rejects.toThrow(/no title/);
    expect(await db.dismissals.count()).toBe(0);
  });
});
