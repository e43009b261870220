import { decodeShard, encodeShard, itemBytes, CodecError } from './codec';
import type { Shard, VV } from './crdt';
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

/** The items of one shard (one, or several parts when it is larger than an item may be). */
export function shardItems(id: string, sh: Shard): Record<string, unknown> {
  const key = SHARD_PREFIX + id;
  const enc = encodeShard(sh);
  if (itemBytes(key, enc) <= QUOTA_BYTES_PER_ITEM) return { [key]: enc };
  const text = JSON.stringify(enc);
  const h = hash(text);
  const parts: string[] = [];
  let at = 0;
  while (at < text.length) {
    // Escaping and UTF-8 make bytes differ from characters: shrink until the part fits.
    let len = Math.min(text.length - at, 7_000);
    while (itemBytes(`${key}.99`, { h, n: 99, p: text.slice(at, at + len) }) > QUOTA_BYTES_PER_ITEM - 16) len = Math.floor(len * 0.8);
    // Never cut a surrogate pair in two.
    const code = text.charCodeAt(at + len - 1);
    if (code >= 0xd800 && code <= 0xdbff && at + len < text.length) len--;
    parts.push(text.slice(at, at + len));
    at += len;
  }
  const out: Record<string, unknown> = {};
  parts.forEach((p, i) => {
    out[i ? `${key}.${i}` : key] = i ? { h, p } : { h, n: parts.length, p };
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
    if (!sh || (!sh.els.size && !sh.regs.size)) continue;
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
      const v = value as { h?: unknown; n?: unknown; p?: unknown };
      if (typeof v?.h === 'string') {
        const n = typeof v.n === 'number' ? v.n : 0;
        let text = typeof v.p === 'string' ? v.p : '';
        for (let i = 1; i < n; i++) {
          const part = all[`${key}.${i}`] as { h?: unknown; p?: unknown } | undefined;
          if (!part || part.h !== v.h || typeof part.p !== 'string') throw new CodecError('parts have not all arrived');
          text += part.p;
        }
        if (hash(text) !== v.h) throw new CodecError('parts do not fit together');
        shards.set(id, decodeShard(JSON.parse(text)));
      } else {
        shards.set(id, decodeShard(value));
      }
    } catch (e) {
      problems.push(`${id}: ${(e as Error).message}`);
    }
  }
  return { shards, devices, problems, bytes: bytesOf(all) };
}
