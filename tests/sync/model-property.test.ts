import { describe, it, expect } from 'vitest';
import { Hlc, cmpStamp, type Stamp } from '../../lib/sync/hlc';
import { maxTime, mergeShard } from '../../lib/sync/crdt';
import { capture, paperRef, project, restrictView, shardId, type Doc, type SyncView } from '../../lib/sync/model';
import { layout, readItems } from '../../lib/sync/layout';
import { rng } from '../../lib/model/rng';

const PAPERS = Array.from({ length: 8 }, (_, i) => `p${(0xabc0 + i).toString(16).padStart(16, '0')}`);
const TAGS = ['rl', 'vision', 'to cite'];
/** Papers alone in their shard of tags and lists: clearing them empties that shard. */
const CLEARED = PAPERS.filter((p) => PAPERS.filter((q) => shardId('a', paperRef(q)) === shardId('a', paperRef(p))).length === 1).slice(0, 3);

function copyView(v: SyncView): SyncView {
  return {
    tags: new Set(v.tags),
    links: new Set(v.links),
    lists: new Map([...v.lists].map(([k, l]) => [k, { ...l }])),
    items: new Map([...v.items].map(([k, x]) => [k, { ...x }])),
    notes: new Map(v.notes),
    userPapers: new Map(v.userPapers),
    merges: new Map(v.merges),
    rejects: new Set(v.rejects),
    confirms: new Set(v.confirms),
    decisions: new Set(v.decisions),
  };
}

const text = (v: SyncView) =>
  JSON.stringify({
    tags: [...v.tags].toSorted(),
    links: [...v.links].toSorted(),
    lists: [...v.lists].toSorted(),
    items: [...v.items].toSorted(),
    notes: [...v.notes].toSorted(),
    rejects: [...v.rejects].toSorted(),
  });

/**
 * Three devices edit their own copy of the user's data (tags on papers, one shared list's
 * membership, order and read state, notes, rejections) and sync in rounds as the engine does:
 * capture local edits, merge the sync-area items other devices wrote (through the real encoding and
 * layout, delivered late, out of order, some twice), replace the local view with the projection.
 */
function run(seed: number, steps: number) {
  const r = rng(seed);
  let wall = 1_767_225_600_000 + 1e8;
  const devs = ['d1', 'd2', 'd3'].map((id) => {
    const empty = project(new Map());
    empty.tags = new Set(TAGS);
    empty.lists.set('L1', { name: 'Shared', deleted: false });
    return { clock: new Hlc(id, 0, () => wall), doc: new Map() as Doc, local: empty };
  });
  const inbox: { to: number; items: Record<string, unknown> }[] = [];
  // Oracle for last-writer-wins fields: every captured write of a note and of a read state.
  const writes = new Map<string, { s: Stamp; v: unknown }[]>();
  let ops = 0;

  const round = (i: number, send = true) => {
    const d = devs[i];
    const synced = restrictView(project(d.doc), () => true);
    const s = d.clock.now();
    const before = copyView(d.local);
    capture(d.doc, synced, d.local, s);
    for (const [id, t] of before.notes) if (synced.notes.get(id) !== t) (writes.get(`n${id}`) ?? writes.set(`n${id}`, []).get(`n${id}`)!).push({ s, v: t });
    for (const id of synced.notes.keys()) if (!before.notes.has(id)) (writes.get(`n${id}`) ?? writes.set(`n${id}`, []).get(`n${id}`)!).push({ s, v: undefined });
    for (const [k, item] of before.items) {
      const cur = synced.items.get(k);
      if (!cur || cur.read !== item.read) (writes.get(`r${k}`) ?? writes.set(`r${k}`, []).get(`r${k}`)!).push({ s, v: item.read });
    }
    if (!send) return;
    const items = layout(d.doc, Infinity).items;
    for (let to = 0; to < 3; to++)
      if (to !== i) {
        inbox.push({ to, items });
        if (r() < 0.1) inbox.push({ to, items });
      }
  };
  const receive = (m: (typeof inbox)[number]) => {
    const d = devs[m.to];
    // Local edits are captured before a merge, as the engine does; the write goes out on its next round.
    round(m.to, false);
    const remote = readItems(m.items);
    for (const [id, sh] of remote.shards) {
      d.clock.receive(maxTime(sh));
      d.doc.set(id, d.doc.has(id) ? mergeShard(d.doc.get(id)!, sh) : sh);
    }
    d.local = restrictView(project(d.doc), () => true);
  };

  for (let step = 0; step < steps; step++) {
    wall += Math.floor(r() * 4000);
    const i = Math.floor(r() * 3);
    const v = devs[i].local;
    // Near the end, device 0 clears half the papers and nobody touches them again: shards emptied
    // by removals must still carry those removals to the others.
    if (step === steps - 500) {
      const d0 = devs[0].local;
      for (const q of CLEARED) {
        for (const l of d0.links) if (l.startsWith(q)) d0.links.delete(l);
        d0.items.delete(`L1\t${q}`);
        d0.notes.delete(q);
      }
      round(0);
    }
    const pool = step >= steps - 500 ? PAPERS.filter((q) => !CLEARED.includes(q)) : PAPERS;
    const p = pool[Math.floor(r() * pool.length)];
    const roll = r();
    ops++;
    if (roll < 0.25) v.links.add(`${p}\t${TAGS[Math.floor(r() * TAGS.length)]}`);
    else if (roll < 0.4) v.links.delete(`${p}\t${TAGS[Math.floor(r() * TAGS.length)]}`);
    else if (roll < 0.5) {
      if (!v.items.has(`L1\t${p}`)) v.items.set(`L1\t${p}`, { pos: v.items.size, read: false });
    } else if (roll < 0.57) v.items.delete(`L1\t${p}`);
    else if (roll < 0.7) {
      const item = v.items.get(`L1\t${p}`);
      if (item) v.items.set(`L1\t${p}`, { ...item, read: !item.read });
    } else if (roll < 0.77) {
      const item = v.items.get(`L1\t${p}`);
      if (item) v.items.set(`L1\t${p}`, { ...item, pos: Math.floor(r() * 10) });
    } else if (roll < 0.9) v.notes.set(p, `note ${step} from ${i}`);
    else if (roll < 0.95) v.notes.delete(p);
    else v.rejects.add(`${p}\tanother title ${step % 5}`);
    // Devices sync now and then; messages arrive late and in any order.
    if (r() < 0.3) round(i);
    const n = Math.floor(r() * 3);
    for (let k = 0; k < n && inbox.length; k++) receive(inbox.splice(Math.floor(r() * inbox.length), 1)[0]);
  }
  for (let i = 0; i < 3; i++) round(i);
  while (inbox.length) receive(inbox.splice(Math.floor(r() * inbox.length), 1)[0]);
  // Anti-entropy: everyone syncs with everyone's final state.
  for (let k = 0; k < 2; k++)
    for (let i = 0; i < 3; i++) {
      round(i);
      while (inbox.length) receive(inbox.shift()!);
    }
  return { devs, writes, ops };
}

describe('sync model: three devices, the real encoding, late, reordered and duplicated delivery', () => {
  for (const seed of [21]) {
    it(`all devices end with the same library and the latest write on each field (seed ${seed}, 10,000 edits)`, { timeout: 60_000 }, () => {
      const { devs, writes, ops } = run(seed, 10_000);
      expect(ops).toBe(10_000);
      expect(CLEARED.length).toBeGreaterThan(0);
      const t0 = text(devs[0].local);
      expect(text(devs[1].local)).toBe(t0);
      expect(text(devs[2].local)).toBe(t0);
      const final = devs[0].local;
      let checked = 0;
      for (const [key, ws] of writes) {
        const last = ws.toSorted((a, b) => cmpStamp(b.s, a.s))[0];
        if (key.startsWith('n')) {
          expect(final.notes.get(key.slice(1))).toBe(last.v);
          checked++;
        } else {
          const item = final.items.get(key.slice(1));
          // A read state survives while its item is in the list (removal is a set operation).
          if (item) {
            expect(item.read).toBe(last.v);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(5);
      expect(final.links.size).toBeGreaterThan(0);
    });
  }
});
