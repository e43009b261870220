import { describe, it, expect, afterEach } from 'vitest';
import { dropTestDb, openTestDb } from '../helpers/db';
import { SeenIndex, dayOf, dayToTime, loadSeen, pageLabel, persistSeen, seenHash } from '../../lib/triage/seen';
import { rng } from '../../bench/lib/evalset';
import type { ShelfmarkDB } from '../../lib/storage/db';

const MAR_17 = Date.UTC(2026, 2, 17, 15, 30);

/** A reference model of the store: a plain map from key to {count, first label, first day}. */
class Reference {
  readonly m = new Map<number, { count: number; label: string; day: number }>();
  add(keys: number[], label: string, at: number): void {
    for (const k of keys) {
      const r = this.m.get(k);
      if (r) r.count++;
      else this.m.set(k, { count: 1, label, day: dayOf(at) });
    }
  }
}

let db: ShelfmarkDB | undefined;
afterEach(async () => {
  if (db) await dropTestDb(db);
  db = undefined;
});

describe('seen store', () => {
  it('hashes the normalized title: the same paper on two sites is one key', () => {
    expect(seenHash('Attention Is All You Need')).toBe(seenHash('  attention is all you need. '));
    expect(seenHash('Attention Is All You Need')).not.toBe(seenHash('Attention Is Not All You Need'));
    expect(pageLabel('https://arxiv.org/list/cs.LG/new')).toBe('arxiv.org/list/cs.LG/new');
    expect(pageLabel('https://www.semanticscholar.org/')).toBe('semanticscholar.org');
    expect(pageLabel('not a url')).toBe('');
  });

  it('counts views and keeps the first place and day, through any number of compactions (random sequences vs a reference map)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const idx = new SeenIndex();
      const ref = new Reference();
      let at = MAR_17;
      for (let view = 0; view < 40; view++) {
        // Distinct keys per view, from a small universe so that views overlap.
        const keys = [...new Set(Array.from({ length: 1 + Math.floor(r() * 30) }, () => Math.floor(r() * 80) * 0x9e3779b1 >>> 0))];
        const label = `site${Math.floor(r() * 5)}/list`;
        idx.add(keys, label, at);
        ref.add(keys, label, at);
        if (r() < 0.2) {
          idx.snap = idx.compact();
          idx.recent.clear();
        }
        at += Math.floor(r() * 3) * 86_400_000;
      }
      expect(idx.size).toBe(ref.m.size);
      for (const [k, v] of ref.m) {
        expect(idx.get(k)).toEqual({ count: v.count, firstLabel: v.label, firstAt: dayToTime(v.day) });
      }
      expect(idx.get(12345)).toBeUndefined();
      // The snapshot stays sorted (binary search depends on it).
      const keys = idx.compact().keys;
      for (let i = 1; i < keys.length; i++) expect(keys[i - 1]!).toBeLessThan(keys[i]!);
    }
  });

  it('packs 10 bytes per paper, and counts saturate instead of wrapping', () => {
    const idx = new SeenIndex();
    const keys = Uint32Array.from({ length: 5000 }, (_, i) => i * 7919);
    idx.add(keys, 'a', MAR_17);
    idx.snap = idx.compact();
    idx.recent.clear();
    expect(idx.snapshotBytes).toBe(5000 * 10);
    for (let i = 0; i < 70_000; i++) idx.add([7919], 'a', MAR_17);
    idx.snap = idx.compact();
    idx.recent.clear();
    expect(idx.get(7919)!.count).toBe(0xffff);
  });

  it('persists a view as one log row, folds the log into the snapshot, and a reload reads both', async () => {
    db = await openTestDb('seen');
    let idx = await loadSeen(db);
    const page = Uint32Array.from({ length: 2000 }, (_, i) => seenHash(`Paper number ${i}`));
    idx.add(page, 'arxiv.org/list/cs.LG/new', MAR_17);
    await persistSeen(db, idx, page, 'arxiv.org/list/cs.LG/new', MAR_17);
    expect(await db.seenLog.count()).toBe(1); // a 2000-entry view is one row, not 2000
    idx = await loadSeen(db);
    expect(idx.get(page[5]!)).toEqual({ count: 1, firstLabel: 'arxiv.org/list/cs.LG/new', firstAt: Date.UTC(2026, 2, 17) });
    // 250 more views of 10 papers each: the log is folded into the snapshot along the way.
    for (let v = 0; v < 250; v++) {
      const keys = page.slice(v % 100, (v % 100) + 10);
      idx.add(keys, `site/${v}`, MAR_17 + v * 86_400_000);
      await persistSeen(db, idx, keys, `site/${v}`, MAR_17 + v * 86_400_000);
    }
    expect(await db.seenLog.count()).toBeLessThan(200);
    expect(await db.triageParts.get('seen')).toBeDefined();
    const reloaded = await loadSeen(db);
    for (const k of [0, 5, 50, 105, 1999]) expect(reloaded.get(page[k]!)).toEqual(idx.get(page[k]!));
    // Paper 5 was in views 0 (the first), and in 5 − 4 … 5 of each block of 100 views (v % 100 ≤ 5 < v % 100 + 10).
    const expected = 1 + [...Array(250).keys()].filter((v) => v % 100 <= 5 && 5 < (v % 100) + 10).length;
    expect(reloaded.get(page[5]!)!.count).toBe(expected);
  });

  it('ignores a damaged snapshot row instead of failing', async () => {
    db = await openTestDb('seen-bad');
    await db.triageParts.put({ part: 'seen', data: { keys: 'nope' } });
    const idx = await loadSeen(db);
    expect(idx.size).toBe(0);
  });
});
