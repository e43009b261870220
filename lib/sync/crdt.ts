import { cmpStamp, type Stamp } from './hlc';

/**
 * The replicated state, in shards that merge independently (a shard is one storage.sync item, so
 * shards can arrive in any order and any one of them may be stale).
 *
 * A shard holds:
 * - registers: per-field last-writer-wins values stamped by the hybrid logical clock; `null` is a
 *   deletion (a tombstone), kept until every device has seen it (`collectTombstones`);
 * - elements: an add-wins set without tombstones (observed-remove set with a version vector): each
 *   element carries the dots (device → time) of the adds that put it there, and `vv` says which
 *   dots of each device this shard has seen. An element absent on one side is dropped by a merge
 *   only when that side has seen its dot, i.e. removed it; a concurrent add carries a dot the
 *   remover never saw, so the add wins.
 * Merge is commutative, associative and idempotent, so late, reordered and duplicated deliveries
 * all end in the same state.
 */

export type Json = string | number | boolean | Json[] | { [k: string]: Json };

export interface Reg {
  v: Json | null;
  s: Stamp;
}

/** device → greatest time of that device this shard reflects. */
export type VV = Record<string, number>;

export interface Shard {
  vv: VV;
  regs: Map<string, Reg>;
  els: Map<string, VV>;
}

export function emptyShard(): Shard {
  return { vv: {}, regs: new Map(), els: new Map() };
}

const covers = (vv: VV, d: string, t: number) => (vv[d] ?? -1) >= t;

function bump(vv: VV, s: Stamp): void {
  if ((vv[s.d] ?? -1) < s.t) vv[s.d] = s.t;
}

export function setReg(sh: Shard, key: string, v: Json | null, s: Stamp): void {
  const cur = sh.regs.get(key);
  if (!cur || cmpStamp(s, cur.s) > 0) sh.regs.set(key, { v, s });
  bump(sh.vv, s);
}

export function addEl(sh: Shard, key: string, s: Stamp): void {
  // The new dot replaces the ones observed here: removing later removes all of them.
  sh.els.set(key, { [s.d]: s.t });
  bump(sh.vv, s);
}

export function removeEl(sh: Shard, key: string): void {
  sh.els.delete(key);
}

export function regValue(sh: Shard, key: string): Json | null | undefined {
  return sh.regs.get(key)?.v;
}

/** Merges `b` into a copy of `a`. */
export function mergeShard(a: Shard, b: Shard): Shard {
  const out: Shard = { vv: { ...a.vv }, regs: new Map(), els: new Map() };
  for (const [d, t] of Object.entries(b.vv)) if ((out.vv[d] ?? -1) < t) out.vv[d] = t;

  for (const [k, ra] of a.regs) {
    const rb = b.regs.get(k);
    if (rb) out.regs.set(k, cmpStamp(ra.s, rb.s) >= 0 ? ra : rb);
    // A tombstone the other side has seen and collected stays collected.
    else if (!(ra.v === null && covers(b.vv, ra.s.d, ra.s.t))) out.regs.set(k, ra);
  }
  for (const [k, rb] of b.regs) {
    if (a.regs.has(k)) continue;
    if (!(rb.v === null && covers(a.vv, rb.s.d, rb.s.t))) out.regs.set(k, rb);
  }

  for (const [k, da] of a.els) {
    const db = b.els.get(k);
    const dots: VV = {};
    for (const [d, t] of Object.entries(da)) {
      // Kept when both have it, or when b has not seen it yet.
      if ((db && db[d] === t) || !covers(b.vv, d, t)) dots[d] = t;
    }
    if (db) for (const [d, t] of Object.entries(db)) if (da[d] !== t && !covers(a.vv, d, t)) dots[d] = t;
    if (Object.keys(dots).length) out.els.set(k, dots);
  }
  for (const [k, db] of b.els) {
    if (a.els.has(k)) continue;
    const dots: VV = {};
    for (const [d, t] of Object.entries(db)) if (!covers(a.vv, d, t)) dots[d] = t;
    if (Object.keys(dots).length) out.els.set(k, dots);
  }
  return out;
}

/**
 * Drops tombstones every device has seen: `seen` holds each known device's version vector for this
 * shard (its own included). A device that has not seen a deletion could otherwise bring the old value
 * back; once all have, the tombstone is dead weight in a 100 KB budget.
 */
export function collectTombstones(sh: Shard, seen: readonly VV[]): number {
  if (!seen.length) return 0;
  let n = 0;
  for (const [k, r] of sh.regs) {
    if (r.v !== null) continue;
    if (seen.every((vv) => covers(vv, r.s.d, r.s.t))) {
      sh.regs.delete(k);
      n++;
    }
  }
  return n;
}

/** The greatest time in a shard (the clock receives it so later local stamps are greater). */
export function maxTime(sh: Shard): number {
  let m = 0;
  for (const t of Object.values(sh.vv)) if (t > m) m = t;
  return m;
}

/** A canonical text of a shard: equal states give equal text (used to skip writes that change nothing). */
export function canonical(sh: Shard): string {
  const vv = Object.keys(sh.vv)
    .toSorted()
    .map((d) => [d, sh.vv[d]]);
  const regs = [...sh.regs.keys()].toSorted().map((k) => {
    const r = sh.regs.get(k)!;
    return [k, r.v, r.s.t, r.s.d];
  });
  const els = [...sh.els.keys()].toSorted().map((k) => {
    const dots = sh.els.get(k)!;
    return [k, Object.keys(dots).toSorted().map((d) => [d, dots[d]])];
  });
  return JSON.stringify([vv, regs, els]);
}
