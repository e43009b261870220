import { decodeShard, encodeShard, itemBytes, CodecError, type EncodedShard } from './codec';
import { canonical, emptyShard, type Shard, type VV } from './crdt';
import { FAMILIES, allShardIds, type Doc } from './model';

/**
 * How the replicated state is laid out in storage.sync, within its limits, and read back.
 *
 * Items: `s.<shard>` holds one encoded shard; a shard too large for one item is stored as text in
 * parts `s.<shard>` + `s.<shard>.1` … that all carry the same hash, and a reader takes it only when
 * every part has arrived (the browser may deliver items one at a time). `d.<device>` is a device's
 * record: when it last synced and, for shards holding deletions, the version vector it has seen
 * (tombstones are collected once every device has seen them).
 */

export const QUOTA_BYTES = 102_400;
export const QUOTA_BYTES_PER_ITEM = 8_192;
export const MAX_ITEMS = 512;
/** Room kept for device records, so a device joining never pushes the state past the quota. */
export const DEVICE_RESERVE = 3_000;

export const SHARD_PREFIX = 's.';
export const DEVICE_PREFIX = 'd.';

export interface DeviceRecord {
  /** HLC time of its last sync. */
  t: number;
  /** shard → seen version vector, for shards with tombstones. */
  v: Record<string, VV>;
}

export interface NotSynced {
  shard: string;
  family: string;
  label: string;
  /** Entries (tags on a paper, notes, list items…) held locally and not in the sync area. */
  entries: number;
  bytes: number;
}

export interface Layout {
  items: Record<string, unknown>;
  bytes: number;
  notSynced: NotSynced[];
}

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

function groupOf(key: string): string {
  const i = key.indexOf(' ');
  return i < 0 ? key : key.slice(0, i);
}

/** The part of `sh` whose keys are in `groups` (the version vector goes with every part). */
function subShard(sh: Shard, groups: Set<string>): Shard {
  const out = emptyShard();
  out.vv = { ...sh.vv };
  for (const [k, r] of sh.regs) if (groups.has(groupOf(k))) out.regs.set(k, r);
  for (const [k, d] of sh.els) if (groups.has(groupOf(k))) out.els.set(k, d);
  return out;
}

/**
 * The items of one shard: one item, or when it is larger than an item may be, parts split by
 * groups, each a shard of its own (own stamp table) carrying the hash of the whole and the count.
 */
export function shardItems(id: string, sh: Shard): Record<string, unknown> {
  const key = SHARD_PREFIX + id;
  const enc = encodeShard(sh);
  if (itemBytes(key, enc) <= QUOTA_BYTES_PER_ITEM) return { [key]: enc };
  const h = hash(canonical(sh));
  const all = [...new Set([...sh.regs.keys(), ...sh.els.keys()].map(groupOf))].toSorted();
  const parts: EncodedShard[] = [];
  const place = (groups: string[]): void => {
    const part = encodeShard(subShard(sh, new Set(groups)));
    if (groups.length > 1 && itemBytes(`${key}.99`, { ...part, h, n: 99 }) > QUOTA_BYTES_PER_ITEM) {
      const mid = Math.ceil(groups.length / 2);
      place(groups.slice(0, mid));
      place(groups.slice(mid));
    } else parts.push(part);
  };
  place(all);
  const out: Record<string, unknown> = {};
  parts.forEach((p, i) => {
    out[i ? `${key}.${i}` : key] = { ...p, h, n: parts.length };
  });
  return out;
}

const bytesOf = (items: Record<string, unknown>) => Object.entries(items).reduce((n, [k, v]) => n + itemBytes(k, v), 0);

function entries(sh: Shard): number {
  let n = sh.els.size;
  for (const r of sh.regs.values()) if (r.v !== null) n++;
  return n;
}

/**
 * The items for `doc`, spending the budget in FAMILIES order (shard by shard): what does not fit is
 * left out (it stays local) and reported.
 */
export function layout(doc: Doc, budget = QUOTA_BYTES - DEVICE_RESERVE, maxItems = MAX_ITEMS - 32): Layout {
  const items: Record<string, unknown> = {};
  let bytes = 0;
  let count = 0;
  const notSynced: NotSynced[] = [];
  for (const id of allShardIds()) {
    const sh = doc.get(id);
    // A shard emptied by removals is still written: its version vector is what tells the other
    // devices that the entries they hold were removed.
    if (!sh || (!sh.els.size && !sh.regs.size && !Object.keys(sh.vv).length)) continue;
    const its = shardItems(id, sh);
    const b = bytesOf(its);
    const k = Object.keys(its).length;
    if (bytes + b <= budget && count + k <= maxItems) {
      Object.assign(items, its);
      bytes += b;
      count += k;
    } else {
      const fam = FAMILIES.find((f) => f.family === id[0])!;
      notSynced.push({ shard: id, family: fam.family, label: fam.label, entries: entries(sh), bytes: b });
    }
  }
  return { items, bytes, notSynced };
}

export interface ReadResult {
  shards: Map<string, Shard>;
  devices: Map<string, DeviceRecord>;
  /** Shards whose parts have not all arrived, or that could not be read. */
  problems: string[];
  bytes: number;
}

/** Reads what storage.sync holds (the result of `get(null)`). Bad items are reported, never thrown. */
export function readItems(all: Record<string, unknown>): ReadResult {
  const shards = new Map<string, Shard>();
  const devices = new Map<string, DeviceRecord>();
  const problems: string[] = [];
  const known = new Set(allShardIds());
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(DEVICE_PREFIX)) {
      const rec = value as Partial<DeviceRecord> | null;
      if (rec && typeof rec.t === 'number' && rec.v && typeof rec.v === 'object') devices.set(key.slice(DEVICE_PREFIX.length), rec as DeviceRecord);
      continue;
    }
    if (!key.startsWith(SHARD_PREFIX)) continue;
    const id = key.slice(SHARD_PREFIX.length);
    if (!known.has(id)) continue;
    try {
      const v = value as { h?: unknown; n?: unknown };
      if (typeof v?.h === 'string') {
        const n = typeof v.n === 'number' ? v.n : 0;
        const whole = emptyShard();
        for (let i = 0; i < n; i++) {
          const part = (i ? all[`${key}.${i}`] : value) as { h?: unknown } | undefined;
          if (!part || part.h !== v.h) throw new CodecError('parts have not all arrived');
          // Parts hold disjoint groups of one state: a plain union (a merge would read each part's
          // missing entries as removed).
          const sh = decodeShard(part);
          whole.vv = sh.vv;
          for (const [k, r] of sh.regs) whole.regs.set(k, r);
          for (const [k, d] of sh.els) whole.els.set(k, d);
        }
        if (hash(canonical(whole)) !== v.h) throw new CodecError('parts do not fit together');
        shards.set(id, whole);
      } else {
        shards.set(id, decodeShard(value));
      }
    } catch (e) {
      problems.push(`${id}: ${(e as Error).message}`);
    }
  }
  return { shards, devices, problems, bytes: bytesOf(all) };
}
