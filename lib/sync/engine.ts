import type { ShelfmarkDB } from '../storage/db';
import { Hlc, newDeviceId } from './hlc';
import { collectTombstones, mergeShard, maxTime, type VV } from './crdt';
import { decodeShard, encodeShard, itemBytes, stableJson, type EncodedShard } from './codec';
import { capture, paperIdsIn, project, restrictView, type Doc, type SyncView } from './model';
import { layout, readItems, DEVICE_PREFIX, QUOTA_BYTES, SHARD_PREFIX, type DeviceRecord, type NotSynced } from './layout';
import { applyDelta, readLocalView } from './bridge';
import { WriteLimiter } from './limiter';

/**
 * One device's side of sync: reads the sync area, merges it into the local replica, applies what
 * changed to the user's records, captures local edits, and writes back what differs — within the
 * budget and Chrome's write rate. Runs in the background; the library page reads its status and
 * flips its setting through the `sync` table.
 *
 * Order of a round: capture local edits first (so a merge cannot undo them), then merge the remote
 * shards, apply the difference to Dexie, collect tombstones everyone has seen, write.
 */

/** The part of browser.storage.sync the engine uses (tests pass an in-memory one). */
export interface SyncArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface SyncStatus {
  enabled: boolean;
  /** ms since epoch of the last completed round. */
  lastSyncedAt?: number;
  bytesUsed: number;
  quotaBytes: number;
  notSynced: NotSynced[];
  errors: string[];
  /** Set while writes wait for Chrome's write limit. */
  waitingUntil?: number;
  devices: number;
  /** Remote changes this device could not apply (e.g. merges of papers it does not have). */
  skipped: string[];
}

interface Replica {
  device: string;
  clock: number;
  joined: boolean;
  shards: Record<string, EncodedShard>;
  writes: number[];
}

export const SETTINGS_KEY = 'settings';
export const STATUS_KEY = 'status';
const REPLICA_KEY = 'replica';
/** A device not heard from for this long no longer holds back tombstone collection. */
export const DEVICE_EXPIRY_S = 60 * 86_400;

export interface EngineOptions {
  /** Resolves when the seed corpus is in the database (received tags must find their papers). */
  ready?: () => Promise<unknown>;
  now?: () => number;
  /** Called when writes were held back by the rate limit, with the delay before retrying. */
  retryIn?: (ms: number) => void;
}

export async function syncEnabled(db: ShelfmarkDB): Promise<boolean> {
  const row = await db.sync.get(SETTINGS_KEY);
  return (row?.value as { enabled?: boolean } | undefined)?.enabled === true;
}

export async function setSyncEnabled(db: ShelfmarkDB, enabled: boolean): Promise<void> {
  await db.sync.put({ key: SETTINGS_KEY, value: { enabled } });
}

export async function readSyncStatus(db: ShelfmarkDB): Promise<SyncStatus | undefined> {
  return (await db.sync.get(STATUS_KEY))?.value as SyncStatus | undefined;
}

async function knownPapers(db: ShelfmarkDB, v: SyncView, extra: Iterable<string> = []): Promise<(id: string) => boolean> {
  const ids = [...paperIdsIn(v)];
  const have = new Set<string>(extra);
  const rows = await db.papers.bulkGet(ids);
  rows.forEach((p, i) => {
    if (p) have.add(ids[i]);
  });
  return (id) => have.has(id);
}

export class SyncEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly db: ShelfmarkDB,
    private readonly area: SyncArea,
    private readonly opts: EngineOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
  }

  /** Runs one round (rounds never overlap). */
  sync(): Promise<SyncStatus> {
    const run = this.chain.then(() => this.round());
    this.chain = run.catch(() => {});
    return run;
  }

  private async loadReplica(): Promise<{ replica: Replica; doc: Doc }> {
    const row = (await this.db.sync.get(REPLICA_KEY))?.value as Replica | undefined;
    const replica: Replica = row ?? { device: newDeviceId(), clock: 0, joined: false, shards: {}, writes: [] };
    const doc: Doc = new Map();
    for (const [id, enc] of Object.entries(replica.shards)) doc.set(id, decodeShard(enc));
    return { replica, doc };
  }

  private async saveStatus(status: SyncStatus): Promise<SyncStatus> {
    await this.db.sync.put({ key: STATUS_KEY, value: status });
    return status;
  }

  private async round(): Promise<SyncStatus> {
    const db = this.db;
    const prev = await readSyncStatus(db);
    if (!(await syncEnabled(db))) {
      // Turning sync off keeps every local record; this device stops holding back collection.
      const row = (await db.sync.get(REPLICA_KEY))?.value as Replica | undefined;
      if (!row && prev && !prev.enabled) return prev;
      if (row) {
        await this.area.remove([DEVICE_PREFIX + row.device]).catch(() => {});
        await db.sync.delete(REPLICA_KEY);
      }
      return this.saveStatus({ enabled: false, bytesUsed: prev?.bytesUsed ?? 0, quotaBytes: QUOTA_BYTES, notSynced: [], errors: [], devices: 0, skipped: [], ...(prev?.lastSyncedAt ? { lastSyncedAt: prev.lastSyncedAt } : {}) });
    }
    const errors: string[] = [];
    try {
      await this.opts.ready?.();
      const { replica, doc } = await this.loadReplica();
      const clock = new Hlc(replica.device, replica.clock, this.now);
      const local = await readLocalView(db);

      // 1. Local edits since the last round become operations on the replica.
      let before: SyncView;
      if (replica.joined) {
        const proj = project(doc);
        const synced = restrictView(proj, await knownPapers(db, proj));
        capture(doc, synced, local, clock.now());
        before = local;
      } else before = local;

      // 2. Merge what the other devices wrote.
      const raw = await this.area.get(null);
      const remote = readItems(raw);
      for (const p of remote.problems) errors.push(`Not read yet: ${p}`);
      for (const [id, sh] of remote.shards) {
        clock.receive(maxTime(sh));
        doc.set(id, doc.has(id) ? mergeShard(doc.get(id)!, sh) : sh);
      }
      if (!replica.joined) {
        // A profile turning sync on: its records join what the others have; nothing is deleted.
        const proj = project(doc);
        capture(doc, restrictView(proj, await knownPapers(db, proj)), local, clock.now(), { join: true });
        replica.joined = true;
      }

      // 3. Apply the difference to the user's records.
      const proj = project(doc);
      const after = restrictView(proj, await knownPapers(db, proj, proj.userPapers.keys()));
      const applied = await applyDelta(db, restrictView(before, () => true), after);

      // 4. Tombstones every live device has seen are dropped.
      const nowS = clock.now().t;
      const others = [...remote.devices].filter(([d, rec]) => d !== replica.device && nowS - rec.t < DEVICE_EXPIRY_S);
      const expired = [...remote.devices.keys()].filter((d) => d !== replica.device && !others.some(([o]) => o === d));
      for (const [id, sh] of doc) collectTombstones(sh, [sh.vv, ...others.map(([, rec]) => rec.v[id] ?? ({} as VV))]);

      // 5. Write what differs, within the budget and the write rate.
      const lay = layout(doc);
      const mine: DeviceRecord = { t: nowS, v: {} };
      for (const [id, sh] of doc) if ([...sh.regs.values()].some((r) => r.v === null)) mine.v[id] = { ...sh.vv };
      const myKey = DEVICE_PREFIX + replica.device;
      const oldMine = raw[myKey] as DeviceRecord | undefined;
      const set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(lay.items)) if (stableJson(raw[k]) !== stableJson(v)) set[k] = v;
      const changedMine = !oldMine || stableJson(oldMine.v) !== stableJson(mine.v) || nowS - oldMine.t > 86_400;
      if (changedMine) set[myKey] = mine;
      const removeKeys = Object.keys(raw).filter((k) => (k.startsWith(SHARD_PREFIX) && !(k in lay.items)) || expired.some((d) => k === DEVICE_PREFIX + d));

      const limiter = new WriteLimiter(replica.writes);
      let waitingUntil: number | undefined;
      const ops = (Object.keys(set).length ? 1 : 0) + (removeKeys.length ? 1 : 0);
      if (ops) {
        const wait = limiter.waitMs(this.now(), ops);
        if (wait > 0) {
          waitingUntil = this.now() + wait;
          this.opts.retryIn?.(wait);
        } else {
          try {
            // Removals first: a shard that no longer fits frees its room before others grow.
            if (removeKeys.length) await this.area.remove(removeKeys);
            if (Object.keys(set).length) await this.area.set(set);
          } catch (e) {
            errors.push(`The browser refused the write: ${(e as Error).message}`);
          }
          limiter.record(this.now(), ops);
        }
      }

      replica.clock = clock.time;
      replica.writes = limiter.log;
      replica.shards = Object.fromEntries([...doc].map(([id, sh]) => [id, encodeShard(sh)]));
      await db.sync.put({ key: REPLICA_KEY, value: replica });
      // What the sync area holds now, as the browser counts it.
      const held: Record<string, unknown> = { ...raw };
      if (!waitingUntil) {
        for (const k of removeKeys) delete held[k];
        Object.assign(held, set);
      }
      const bytesUsed = Object.entries(held).reduce((n, [k, v]) => n + itemBytes(k, v), 0);
      return this.saveStatus({
        enabled: true,
        lastSyncedAt: waitingUntil ? prev?.lastSyncedAt : this.now(),
        bytesUsed,
        quotaBytes: QUOTA_BYTES,
        notSynced: lay.notSynced,
        errors,
        devices: others.length + 1,
        skipped: applied.skipped,
        ...(waitingUntil ? { waitingUntil } : {}),
      });
    } catch (e) {
      errors.push((e as Error).message);
      return this.saveStatus({ ...(prev ?? { bytesUsed: 0, quotaBytes: QUOTA_BYTES, notSynced: [], devices: 0, skipped: [] }), enabled: true, errors });
    }
  }
}
