import type { ShelfmarkDB } from '../storage/db';
import { titleKey } from '../model/normalize';

/**
 * "Seen before": how many earlier page views showed a paper, and where and when it was first seen.
 *
 * Storage is packed, never a row per entry per visit:
 * - a snapshot (one `triageParts` row, `seen`): four parallel typed arrays sorted by key —
 *   uint32 hash of the title key, uint16 view count (saturating), uint16 day of first sight
 *   (days since 2020-01-01), uint16 index into a label table — 10 bytes per distinct paper,
 *   ~10 MB at 1M papers (measured: `npm run bench -- suggest`, "seen store" line);
 * - a log (`seenLog`): one row per page view batch holding that view's hashes as a Uint32Array
 *   (4 bytes per entry: a 2000-entry page adds one 8 KB row), folded into the snapshot once the
 *   log grows (COMPACT_*), in one transaction, so a view is never counted twice or lost.
 * Keys are 32-bit FNV-1a hashes of the normalized title key: the same paper on arXiv and on
 * Hugging Face is one key. With 1M papers seen, a never-seen title collides with probability
 * 1M / 2^32 ≈ 0.02 %.
 */

const DAY0 = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;
const COMPACT_ROWS = 200;
const COMPACT_KEYS = 50_000;

export function dayOf(at: number): number {
  return Math.max(0, Math.min(0xffff, Math.floor((at - DAY0) / DAY_MS)));
}

export function dayToTime(day: number): number {
  return DAY0 + day * DAY_MS;
}

/** 32-bit FNV-1a of a string (UTF-16 code units). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seen-store key of a title. */
export function seenHash(title: string): number {
  return fnv1a(titleKey(title));
}

/** A short place name for a page: host (without www.) and path, e.g. "arxiv.org/list/cs.LG/new". */
export function pageLabel(pageUrl: string): string {
  try {
    const u = new URL(pageUrl);
    const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
    return `${u.hostname.replace(/^www\./, '')}${path}`.slice(0, 80);
  } catch {
    return '';
  }
}

export interface SeenInfo {
  /** Earlier page views that showed this paper. */
  count: number;
  firstLabel: string;
  /** Time of the first sight, at day precision. */
  firstAt: number;
}

export interface SeenSnapshot {
  keys: Uint32Array;
  counts: Uint16Array;
  days: Uint16Array;
  labels: Uint16Array;
  labelTable: string[];
}

interface Recent {
  count: number;
  day: number;
  label: string;
}

const emptySnapshot = (): SeenSnapshot => ({
  keys: new Uint32Array(0),
  counts: new Uint16Array(0),
  days: new Uint16Array(0),
  labels: new Uint16Array(0),
  labelTable: [],
});

/** The in-memory store: the sorted snapshot plus a small map of what the log added since. */
export class SeenIndex {
  snap: SeenSnapshot = emptySnapshot();
  readonly recent = new Map<number, Recent>();
  /** Log rows not yet folded into the snapshot. */
  logRows = 0;

  private find(key: number): number {
    const k = this.snap.keys;
    let lo = 0;
    let hi = k.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = k[mid]!;
      if (v === key) return mid;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(key: number): SeenInfo | undefined {
    const i = this.find(key);
    const r = this.recent.get(key);
    if (i < 0 && !r) return undefined;
    if (i < 0) return { count: r!.count, firstLabel: r!.label, firstAt: dayToTime(r!.day) };
    const s = this.snap;
    return {
      count: s.counts[i]! + (r?.count ?? 0),
      firstLabel: s.labelTable[s.labels[i]!] ?? '',
      firstAt: dayToTime(s.days[i]!),
    };
  }

  /** Adds one view of each key (the caller passes each key of a view once). */
  add(keys: ArrayLike<number>, label: string, at: number): void {
    const day = dayOf(at);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]! >>> 0;
      const r = this.recent.get(k);
      if (r) r.count++;
      else this.recent.set(k, { count: 1, day, label });
    }
  }

  get size(): number {
    let extra = 0;
    for (const k of this.recent.keys()) if (this.find(k) < 0) extra++;
    return this.snap.keys.length + extra;
  }

  /** Folds `recent` into a new sorted snapshot (a merge of two sorted runs). */
  compact(): SeenSnapshot {
    const s = this.snap;
    const add = [...this.recent.keys()].toSorted((a, b) => a - b);
    const n = s.keys.length;
    const out = emptySnapshot();
    let cap = n + add.length;
    out.keys = new Uint32Array(cap);
    out.counts = new Uint16Array(cap);
    out.days = new Uint16Array(cap);
    out.labels = new Uint16Array(cap);
    out.labelTable = s.labelTable.slice();
    const labelIdx = new Map(out.labelTable.map((l, i) => [l, i]));
    const labelOf = (l: string): number => {
      let i = labelIdx.get(l);
      if (i === undefined) {
        // The table is capped at uint16: past that, new places share the last slot's name.
        i = Math.min(out.labelTable.length, 0xffff);
        if (i === out.labelTable.length) out.labelTable.push(l);
        labelIdx.set(l, i);
      }
      return i;
    };
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < n || j < add.length) {
      const a = i < n ? s.keys[i]! : Infinity;
      const b = j < add.length ? add[j]! : Infinity;
      if (a < b) {
        out.keys[o] = a;
        out.counts[o] = s.counts[i]!;
        out.days[o] = s.days[i]!;
        out.labels[o] = s.labels[i]!;
        i++;
      } else {
        const r = this.recent.get(b)!;
        out.keys[o] = b;
        if (a === b) {
          out.counts[o] = Math.min(0xffff, s.counts[i]! + r.count);
          out.days[o] = s.days[i]!;
          out.labels[o] = s.labels[i]!;
          i++;
        } else {
          out.counts[o] = Math.min(0xffff, r.count);
          out.days[o] = r.day;
          out.labels[o] = labelOf(r.label);
        }
        j++;
      }
      o++;
    }
    cap = o;
    out.keys = out.keys.slice(0, cap);
    out.counts = out.counts.slice(0, cap);
    out.days = out.days.slice(0, cap);
    out.labels = out.labels.slice(0, cap);
    return out;
  }

  /** Bytes the snapshot takes (its arrays; the label table is a few KB). */
  get snapshotBytes(): number {
    const s = this.snap;
    return s.keys.byteLength + s.counts.byteLength + s.days.byteLength + s.labels.byteLength;
  }
}

function isSnapshot(v: unknown): v is SeenSnapshot {
  const s = v as SeenSnapshot | undefined;
  return (
    !!s &&
    s.keys instanceof Uint32Array &&
    s.counts instanceof Uint16Array &&
    s.days instanceof Uint16Array &&
    s.labels instanceof Uint16Array &&
    Array.isArray(s.labelTable) &&
    s.counts.length === s.keys.length &&
    s.days.length === s.keys.length &&
    s.labels.length === s.keys.length
  );
}

/** Reads the snapshot and the log into memory. A damaged snapshot row is ignored, not fatal. */
export async function loadSeen(db: ShelfmarkDB): Promise<SeenIndex> {
  const idx = new SeenIndex();
  await db.transaction('r', db.triageParts, db.seenLog, async () => {
    const row = await db.triageParts.get('seen');
    if (row && isSnapshot(row.data)) idx.snap = row.data;
    let rows = 0;
    await db.seenLog.each((r) => {
      rows++;
      if (r.keys instanceof Uint32Array) idx.add(r.keys, r.label, r.at);
    });
    idx.logRows = rows;
  });
  return idx;
}

/**
 * Writes one page view's batch (each key once), which the caller has already added to `idx`
 * (`idx.add`, at once, so a quick reload sees it), to the log; folds the log into the snapshot
 * when it has grown, in the same transaction as the log write.
 */
export async function persistSeen(db: ShelfmarkDB, idx: SeenIndex, keys: Uint32Array, label: string, at: number): Promise<void> {
  if (!keys.length) return;
  idx.logRows++;
  const fold = idx.logRows >= COMPACT_ROWS || idx.recent.size >= COMPACT_KEYS;
  if (!fold) {
    await db.seenLog.add({ at, label, keys });
    return;
  }
  const snap = idx.compact();
  await db.transaction('rw', db.triageParts, db.seenLog, async () => {
    await db.seenLog.clear();
    await db.triageParts.put({ part: 'seen', data: snap });
  });
  idx.snap = snap;
  idx.recent.clear();
  idx.logRows = 0;
}
