import { describe, it, expect } from 'vitest';
import { Hlc, cmpStamp, type Stamp } from '../../lib/sync/hlc';
import {
  addEl,
  canonical,
  collectTombstones,
  emptyShard,
  maxTime,
  mergeShard,
  removeEl,
  setReg,
  type Json,
  type Shard,
} from '../../lib/sync/crdt';
import { rng } from '../../lib/model/rng';

const SHARDS = ['s0', 's1', 's2'];
const keyShard = (k: string) => SHARDS[k.charCodeAt(k.length - 1) % SHARDS.length];

interface Replica {
  id: string;
  clock: Hlc;
  shards: Map<string, Shard>;
}

function clone(sh: Shard): Shard {
  return { vv: { ...sh.vv }, regs: new Map(sh.regs), els: new Map([...sh.els].map(([k, v]) => [k, { ...v }])) };
}

/**
 * Three replicas edit registers and add-wins sets spread over three shards. After each operation a
 * replica "sends" a copy of the shard it touched; messages are delivered late, out of order and some
 * twice. Some replicas collect tombstones using the (possibly stale) seen vectors of the others,
 * as devices do with the records they publish in the sync area.
 */
function run(seed: number, ops: number) {
  const r = rng(seed);
  let wall = 1_767_225_600_000 + 5_000_000;
  const reps: Replica[] = ['a', 'b', 'c'].map((id) => ({
    id,
    // Clocks skewed by up to a minute: ordering must not depend on synchronized clocks.
    clock: new Hlc(id, 0, () => wall + (id === 'b' ? 60_000 : id === 'c' ? -45_000 : 0)),
    shards: new Map(SHARDS.map((s) => [s, emptyShard()])),
  }));
  const inbox: { to: number; shard: string; state: Shard }[] = [];
  // Oracle: every register write, and the dots each add made / each remove or re-add retired.
  const writes = new Map<string, { v: Json | null; s: Stamp }[]>();
  const added = new Map<string, Set<string>>();
  const retired = new Map<string, Set<string>>();
  const seenLog: Map<string, Record<string, number>>[] = reps.map(() => new Map());

  const deliver = (m: (typeof inbox)[number]) => {
    const rep = reps[m.to];
    rep.clock.receive(maxTime(m.state));
    rep.shards.set(m.shard, mergeShard(rep.shards.get(m.shard)!, m.state));
  };

  for (let i = 0; i < ops; i++) {
    wall += Math.floor(r() * 3000);
    const ri = Math.floor(r() * 3);
    const rep = reps[ri];
    const roll = r();
    const isReg = r() < 0.5;
    const key = (isReg ? 'r' : 'e') + Math.floor(r() * 12);
    const sid = keyShard(key);
    const sh = rep.shards.get(sid)!;
    if (roll < 0.55) {
      const s = rep.clock.now();
      if (isReg) {
        const v = r() < 0.2 ? null : `${rep.id}${i}`;
        setReg(sh, key, v, s);
        const w = writes.get(key) ?? [];
        w.push({ v, s });
        writes.set(key, w);
      } else {
        for (const [d, t] of Object.entries(sh.els.get(key) ?? {})) (retired.get(key) ?? retired.set(key, new Set()).get(key)!).add(`${d}:${t}`);
        addEl(sh, key, s);
        (added.get(key) ?? added.set(key, new Set()).get(key)!).add(`${s.d}:${s.t}`);
      }
    } else if (roll < 0.7 && !isReg) {
      for (const [d, t] of Object.entries(sh.els.get(key) ?? {})) (retired.get(key) ?? retired.set(key, new Set()).get(key)!).add(`${d}:${t}`);
      removeEl(sh, key);
    } else if (roll < 0.75) {
      // Tombstone collection with the seen vectors this replica last heard from each device.
      for (const s of SHARDS) {
        seenLog[ri].set(s, { ...rep.shards.get(s)!.vv });
        const vvs = reps.map((_, j) => (j === ri ? rep.shards.get(s)!.vv : (seenLog[j].get(s) ?? {})));
        collectTombstones(rep.shards.get(s)!, vvs);
      }
      continue;
    }
    // Send the touched shard to both others, sometimes twice.
    for (let to = 0; to < 3; to++) {
      if (to === ri) continue;
      const msg = { to, shard: sid, state: clone(rep.shards.get(sid)!) };
      inbox.push(msg);
      if (r() < 0.1) inbox.push(msg);
    }
    // Deliver a few random pending messages (late and out of order).
    const n = Math.floor(r() * 3);
    for (let k = 0; k < n && inbox.length; k++) deliver(inbox.splice(Math.floor(r() * inbox.length), 1)[0]);
  }
  // Everything still in flight arrives, in random order; then one full exchange (anti-entropy).
  while (inbox.length) deliver(inbox.splice(Math.floor(r() * inbox.length), 1)[0]);
  for (let round = 0; round < 2; round++)
    for (const a of reps) for (const b of reps) if (a !== b) for (const s of SHARDS) b.shards.set(s, mergeShard(b.shards.get(s)!, a.shards.get(s)!));
  return { reps, writes, added, retired };
}

describe('sync CRDT: three replicas, late, reordered and duplicated delivery', () => {
  for (const seed of [1, 2, 3]) {
    it(`converges and loses no operation that was not overridden (seed ${seed}, 10,000 operations)`, () => {
      const { reps, writes, added, retired } = run(seed, 10_000);
      for (const s of SHARDS) {
        const texts = reps.map((rep) => canonical(rep.shards.get(s)!));
        expect(texts[1]).toBe(texts[0]);
        expect(texts[2]).toBe(texts[0]);
      }
      const final = reps[0].shards;
      let checkedRegs = 0;
      for (const [key, w] of writes) {
        const last = w.toSorted((x, y) => cmpStamp(y.s, x.s))[0];
        const got = final.get(keyShard(key))!.regs.get(key);
        // The latest write on a field is what every replica holds (a deletion may be collected).
        if (last.v === null) expect(got === undefined || got.v === null).toBe(true);
        else expect(got?.v).toBe(last.v);
        checkedRegs++;
      }
      let present = 0;
      for (const [key, dots] of added) {
        const live = [...dots].filter((d) => !retired.get(key)?.has(d));
        const got = final.get(keyShard(key))!.els.get(key);
        const gotDots = Object.entries(got ?? {}).map(([d, t]) => `${d}:${t}`);
        // Present exactly when some add was not observed by a later remove or re-add.
        expect(gotDots.toSorted()).toEqual(live.toSorted());
        if (live.length) present++;
      }
      expect(checkedRegs).toBeGreaterThan(10);
      expect(present).toBeGreaterThan(0);
    });
  }

  it('an add concurrent with a remove wins; a remove that saw the add wins', () => {
    const a = emptyShard();
    const b = emptyShard();
    addEl(a, 'x', { t: 1, d: 'a' });
    const b1 = mergeShard(b, a);
    removeEl(b1, 'x');
    addEl(a, 'x', { t: 2, d: 'a' });
    expect(mergeShard(a, b1).els.has('x')).toBe(true);
    const a2 = mergeShard(a, b1);
    const b2 = mergeShard(b1, a2);
    removeEl(b2, 'x');
    expect(mergeShard(a2, b2).els.has('x')).toBe(false);
  });

  it('collected tombstones stay collected when an older copy arrives', () => {
    const a = emptyShard();
    setReg(a, 'n', 'text', { t: 1, d: 'a' });
    const old = mergeShard(emptyShard(), a);
    setReg(a, 'n', null, { t: 2, d: 'a' });
    const b = mergeShard(emptyShard(), a);
    expect(collectTombstones(a, [a.vv, b.vv])).toBe(1);
    expect(a.regs.has('n')).toBe(false);
    // b has seen the deletion: the old value it could only get from a stale copy does not come back.
    const bAfter = mergeShard(b, old);
    expect(bAfter.regs.get('n')?.v).toBe(null);
    expect(mergeShard(a, bAfter).regs.has('n')).toBe(false);
    // A device that has not seen the deletion blocks collection.
    const c = mergeShard(emptyShard(), old);
    const a3 = mergeShard(emptyShard(), b);
    expect(collectTombstones(a3, [a3.vv, c.vv])).toBe(0);
  });
});
