import { describe, it, expect } from 'vitest';
import { addEl, canonical, emptyShard, setReg, type Shard } from '../../lib/sync/crdt';
import { decodeShard, encodeShard, CodecError } from '../../lib/sync/codec';
import { layout, readItems, shardItems, QUOTA_BYTES_PER_ITEM } from '../../lib/sync/layout';
import { itemBytes } from '../../lib/sync/codec';
import { rng } from '../../lib/model/rng';

/** Text with every character the formats use as separators, plus quotes, escapes and astral characters. */
const NASTY = ['a', 'Z', '0', ':', ',', '=', '%', '%3a', ' ', '"', '\\', '~', 'é', '日本', '😀', '\n', '{', ']'];

function randomShard(r: () => number, n: number): Shard {
  const sh = emptyShard();
  const text = (len: number) => Array.from({ length: len }, () => NASTY[Math.floor(r() * NASTY.length)]).join('');
  const devs = ['a1', 'b2', 'c3', 'd4'];
  for (let i = 0; i < n; i++) {
    const s = { t: Math.floor(r() * 40_000_000), d: devs[Math.floor(r() * devs.length)] };
    // Groups stay small, as a paper's entries are (a group is never split across items).
    const group = r() < 0.5 ? `G${Math.floor(r() * n)}` : text(3).replace(/ /g, '');
    const key = r() < 0.2 ? group : `${group} ${text(1 + Math.floor(r() * 6))}`;
    const roll = r();
    if (roll < 0.4) addEl(sh, key, s);
    else if (roll < 0.55) setReg(sh, key, Math.floor(r() * 1000) - 10, s);
    else if (roll < 0.65) setReg(sh, key, r() < 0.5, s);
    else if (roll < 0.75) setReg(sh, key, null, s);
    else if (roll < 0.9) setReg(sh, key, text(1 + Math.floor(r() * 40)), s);
    else setReg(sh, key, { t: text(10), a: '2501.00001' }, s);
  }
  // Some elements with several dots (concurrent adds).
  for (const [k, dots] of [...sh.els].slice(0, 5)) sh.els.set(k, { ...dots, zz: 5 });
  sh.vv.zz = 5;
  for (const reg of sh.regs.values()) if ((sh.vv[reg.s.d] ?? -1) < reg.s.t) sh.vv[reg.s.d] = reg.s.t;
  return sh;
}

describe('sync codec', () => {
  it('random shards with separator characters in keys and values decode to the same state', () => {
    const r = rng(11);
    for (let round = 0; round < 200; round++) {
      const sh = randomShard(r, 1 + Math.floor(r() * 60));
      const back = decodeShard(JSON.parse(JSON.stringify(encodeShard(sh))));
      expect(canonical(back)).toBe(canonical(sh));
    }
  });

  it('a shard larger than an item is split into parts that each fit, and is read back only when all are there', () => {
    const r = rng(12);
    const sh = randomShard(r, 3000);
    const items = shardItems('n0', sh);
    expect(Object.keys(items).length).toBeGreaterThan(1);
    for (const [k, v] of Object.entries(items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(QUOTA_BYTES_PER_ITEM);
    // Keys reordered, as a browser may hand them back.
    const shuffled = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(items))).toReversed());
    const read = readItems(shuffled);
    expect(read.problems).toEqual([]);
    expect(canonical(read.shards.get('n0')!)).toBe(canonical(sh));
    // One part still the old version: the shard is not taken (it would look like deletions).
    const older = shardItems('n0', randomShard(rng(13), 3000));
    const mixed = { ...items, 's.n0.1': older['s.n0.1'] };
    const r2 = readItems(mixed);
    expect(r2.shards.has('n0')).toBe(false);
    expect(r2.problems.length).toBe(1);
  });

  it('malformed items are reported, never thrown, and never taken as state', () => {
    const bad: Record<string, unknown> = {
      's.t': 'not an object',
      's.l': { d: 'a', v: [1, 2], s: '', g: {} },
      's.x0': { d: 'a', v: [1], s: 'zz', g: { G: 'k:9' } },
      's.x1': { d: 'a', v: [1], s: '1', g: { G: 'k' } },
      's.unknown': { anything: true },
      'd.dev': { t: 'x' },
    };
    const r = readItems(bad);
    expect(r.shards.size).toBe(0);
    expect(r.devices.size).toBe(0);
    expect(r.problems.length).toBe(4);
    expect(() => decodeShard({ d: 'a', v: [1], s: '1', g: { G: ['x', 'rest'] } })).toThrow(CodecError);
  });

  it('the layout spends the budget in priority order and reports what it left out', () => {
    const r = rng(14);
    const doc = new Map<string, Shard>([
      ['t', randomShard(r, 50)],
      ['a0', randomShard(r, 400)],
      ['n0', randomShard(r, 400)],
      ['n1', randomShard(r, 400)],
    ]);
    const full = layout(doc, 1e9);
    const tight = layout(doc, full.bytes - 1);
    expect(tight.notSynced.map((x) => x.shard)).toEqual(['n1']);
    expect(tight.bytes).toBeLessThan(full.bytes);
    expect(Object.keys(tight.items).some((k) => k.startsWith('s.n1'))).toBe(false);
    const tiny = layout(doc, 100);
    expect(tiny.notSynced.map((x) => x.shard)).toEqual(['t', 'a0', 'n0', 'n1']);
  });
});
