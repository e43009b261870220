/**
 * Sync benchmark (`npm run bench -- sync`): bytes a reading life takes in storage.sync, and the time
 * to encode and to merge it, for lives of 100, 1,000 and 5,000 tagged papers (30 tags, 20 lists,
 * sessions over a year: bench/lib/sync-life.ts).
 *
 * Side by side, in the same run, on the same life and the same history:
 *  - plain JSON of the records with no merge metadata (what a "dump it to storage.sync" sync stores;
 *    it cannot merge, so it is a floor, not an alternative);
 *  - Yjs (Y.Map per kind of record, one transaction per session), state as one update, base64;
 *  - Automerge (one change per session), `save()` output, base64.
 * storage.sync stores JSON, so binary encodings pay base64 (4/3). Budget: 102,400 bytes in all,
 * 8,192 per item.
 *
 * The life includes revisits (read marks, moves, swapped tags) that overwrite earlier edits.
 *
 * Env: BENCH_SYNC_SIZES (default "100,1000,5000"), BENCH_SYNC_REPEAT (default 3).
 */
import { deflateRawSync } from 'node:zlib';
import * as Y from 'yjs';
import * as A from '@automerge/automerge';
import { buildLife } from './lib/sync-life';
import { layout, QUOTA_BYTES, DEVICE_RESERVE } from '../lib/sync/layout';
import { mergeShard } from '../lib/sync/crdt';
import { Hlc } from '../lib/sync/hlc';
import { capture, project, restrictView, type Doc, type SyncView } from '../lib/sync/model';
import { decodeShard, encodeShard } from '../lib/sync/codec';

const SIZES = (process.env.BENCH_SYNC_SIZES ?? '100,1000,5000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_SYNC_REPEAT ?? 3);
const b64 = (n: number) => Math.ceil(n / 3) * 4 + 2;

function time<T>(fn: () => T): { ms: number; out: T } {
  let best = Infinity;
  let out!: T;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    out = fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: Math.round(best * 10) / 10, out };
}

/** The view as records per paper, the way a naive dump would store it. */
function plainJson(v: SyncView): string {
  const papers: Record<string, { t?: string[]; l?: [string, number, boolean][]; n?: string; u?: unknown }> = {};
  const at = (id: string) => (papers[id] ??= {});
  for (const l of v.links) {
    const [id, tag] = l.split('\t');
    (at(id).t ??= []).push(tag);
  }
  for (const [k, it] of v.items) {
    const [ref, id] = k.split('\t');
    (at(id).l ??= []).push([ref, it.pos, it.read]);
  }
  for (const [id, n] of v.notes) at(id).n = n;
  for (const [id, u] of v.userPapers) at(id).u = u;
  return JSON.stringify({ tags: [...v.tags], lists: [...v.lists], papers, rejects: [...v.rejects] });
}

/** Replays the life's history (the same sessions) into Yjs and Automerge. */
function libraries(papers: number) {
  const life = buildLife(papers);
  const ydoc = new Y.Doc();
  let am = A.init<{ links: Record<string, boolean>; items: Record<string, { p: number; r: boolean }>; notes: Record<string, string>; user: Record<string, { t: string; a?: string }>; tags: string[]; lists: Record<string, string> }>();
  am = A.change(am, (d) => {
    d.links = {};
    d.items = {};
    d.notes = {};
    d.user = {};
    d.tags = [...life.view.tags];
    d.lists = Object.fromEntries([...life.view.lists].map(([k, l]) => [k, l.name]));
  });
  ydoc.transact(() => {
    const tags = ydoc.getArray<string>('tags');
    tags.push([...life.view.tags]);
    const lists = ydoc.getMap<string>('lists');
    for (const [k, l] of life.view.lists) lists.set(k, l.name);
  });
  for (const h of life.history) {
    ydoc.transact(() => {
      const yl = ydoc.getMap<boolean>('links');
      for (const [k, on] of h.links) {
        if (on) yl.set(k, true);
        else yl.delete(k);
      }
      const yi = ydoc.getMap<unknown>('items');
      for (const [k, it] of h.items) {
        if (it) yi.set(k, [it.pos, it.read]);
        else yi.delete(k);
      }
      const yn = ydoc.getMap<string>('notes');
      for (const [id, n] of h.notes) yn.set(id, n);
      const yu = ydoc.getMap<unknown>('user');
      for (const [id, u] of h.user) yu.set(id, { t: u.title, a: u.arxivId });
    });
    am = A.change(am, (d) => {
      for (const [k, on] of h.links) {
        if (on) d.links[k] = true;
        else delete d.links[k];
      }
      for (const [k, it] of h.items) {
        if (it) d.items[k] = { p: it.pos, r: it.read };
        else delete d.items[k];
      }
      for (const [id, n] of h.notes) d.notes[id] = n;
      for (const [id, u] of h.user) d.user[id] = { t: u.title, ...(u.arxivId ? { a: u.arxivId } : {}) };
    });
  }
  return { life, ydoc, am };
}

/** Another device's copy with 50 edits (tags moved, items marked read), for the merge timings. */
function otherDevice(doc: Doc): Doc {
  const other: Doc = new Map([...doc].map(([id, sh]) => [id, decodeShard(encodeShard(sh))]));
  const proj = project(other);
  const local = restrictView(proj, () => true);
  const links = [...local.links].slice(0, 25);
  for (const l of links) local.links.delete(l);
  for (const [k, it] of [...local.items].slice(0, 25)) local.items.set(k, { ...it, read: !it.read });
  capture(other, restrictView(proj, () => true), local, new Hlc('dev9z9', 0, () => 1_767_225_600_000 + 400 * 86_400_000).now());
  return other;
}

const rows: Record<string, unknown>[] = [];
for (const n of SIZES) {
  const { life, ydoc, am } = libraries(n);
  const lay = time(() => layout(life.doc, Infinity)).out;
  const enc = time(() => layout(life.doc));
  const jsonFloor = time(() => plainJson(life.view));
  const yEnc = time(() => Y.encodeStateAsUpdate(ydoc));
  const aEnc = time(() => A.save(am));
  const other = otherDevice(life.doc);
  const merge = time(() => {
    const out: Doc = new Map();
    for (const [id, sh] of life.doc) out.set(id, other.has(id) ? mergeShard(sh, other.get(id)!) : sh);
    return out;
  });
  const projectT = time(() => project(merge.out));
  // Yjs / Automerge merges of a concurrent copy with the same 50 edits.
  const yOther = new Y.Doc();
  Y.applyUpdate(yOther, yEnc.out);
  yOther.transact(() => {
    const yl = yOther.getMap<boolean>('links');
    for (const k of [...yl.keys()].slice(0, 25)) yl.delete(k);
  });
  const yUpdate = Y.encodeStateAsUpdate(yOther);
  const yMerge = time(() => {
    const d = new Y.Doc();
    Y.applyUpdate(d, yEnc.out);
    Y.applyUpdate(d, yUpdate);
    return d;
  });
  const aOther = A.change(A.clone(am, { actor: '0123456789abcdef0123456789abcdef' }), (d) => {
    for (const k of Object.keys(d.links).slice(0, 25)) delete d.links[k];
  });
  const aMerge = time(() => A.merge(A.clone(am), aOther));
  const row = {
    papers: n,
    sessions: life.sessions,
    shelfmarkBytes: lay.bytes,
    shelfmarkItems: Object.keys(lay.items).length,
    fits: lay.bytes <= QUOTA_BYTES - DEVICE_RESERVE,
    notSyncedAtBudget: enc.out.notSynced.map((x) => x.shard).join(' ') || '-',
    // Not shipped: what deflating each item (then base64) would save, for a later format version.
    deflatedB64: Object.entries(lay.items).reduce((sum, [k, v]) => sum + k.length + b64(deflateRawSync(JSON.stringify(v)).length), 0),
    plainJsonBytes: jsonFloor.out.length,
    yjsBytesB64: b64(yEnc.out.length),
    automergeBytesB64: b64(aEnc.out.length),
    encodeMs: enc.ms,
    plainJsonMs: jsonFloor.ms,
    yjsEncodeMs: yEnc.ms,
    automergeSaveMs: aEnc.ms,
    mergeMs: merge.ms,
    projectMs: projectT.ms,
    yjsMergeMs: yMerge.ms,
    automergeMergeMs: aMerge.ms,
  };
  rows.push(row);
}
console.log(`budget: ${QUOTA_BYTES} bytes (${QUOTA_BYTES - DEVICE_RESERVE} for data), 8192 per item, 512 items; repeat ${REPEAT}, best time`);
console.table(rows);
console.log(`BENCH_JSON ${JSON.stringify({ bench: 'sync', rows })}`);
