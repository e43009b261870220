import type { Stamp } from './hlc';
import { addEl, emptyShard, removeEl, setReg, type Json, type Shard } from './crdt';

/**
 * What syncs, as keys in shards, and the two directions between it and the user's records:
 * `project` reads the replicated state as a plain view; `capture` turns the differences between
 * the local view and that projection into stamped operations.
 *
 * Families, in the priority order the budget is spent (lib/sync/layout.ts):
 *   t  tag names          reg   <tagref>                 → name | null
 *   l  reading lists      reg   <listref> n / <listref> z → name / deleted
 *   a  tags and lists     set   <paper> <tagref> (tag link), <paper> ~<listref> (list membership);
 *      on papers          reg   <paper> p<listref> → position, <paper> r<listref> → read (absent: unread)
 *   x  decisions          reg   <paper> m → survivor (merge) | null;  set <paper> j<key> (rejected
 *                               entry), <paper> c<key> (confirmed), <paper> d<kind> <key> (adapters)
 *   u  user-added papers  reg   <paper> → { t: title, a?: arXiv id, d?: DOI, o?: OpenReview id }
 *   n  notes              reg   <paper> → text | null
 * Papers are named by their stable id in 11 characters (lib/sync/ids.ts); tags by a short random
 * ref whose name is a register, so a rename is one write and two devices creating the same tag
 * just give it two refs (the view joins them by name).
 */

export type Family = 't' | 'l' | 'a' | 'x' | 'u' | 'n';

export interface FamilyInfo {
  family: Family;
  /** How many shards the family is spread over (each merges on its own). */
  buckets: number;
  label: string;
}

/** Priority order: when the budget runs out, the families at the end are the ones not synced. */
export const FAMILIES: readonly FamilyInfo[] = [
  { family: 't', buckets: 1, label: 'tag names' },
  { family: 'l', buckets: 1, label: 'reading list names' },
  { family: 'a', buckets: 12, label: 'tags and reading lists on papers (with order and read state)' },
  { family: 'x', buckets: 2, label: 'merges and match decisions' },
  { family: 'u', buckets: 4, label: 'papers you added from listings' },
  { family: 'n', buckets: 8, label: 'notes' },
];

export type Doc = Map<string, Shard>;

function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function shardId(family: Family, group: string): string {
  const info = FAMILIES.find((f) => f.family === family)!;
  return info.buckets > 1 ? `${family}${fnv32(group) % info.buckets}` : family;
}

export function allShardIds(): string[] {
  return FAMILIES.flatMap((f) => (f.buckets > 1 ? Array.from({ length: f.buckets }, (_, i) => `${f.family}${i}`) : [f.family]));
}

export function shardOf(doc: Doc, id: string): Shard {
  let sh = doc.get(id);
  if (!sh) doc.set(id, (sh = emptyShard()));
  return sh;
}

// ---- paper ids ------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PAPER_ID = /^p[0-9a-f]{16}$/;

/** "p" + 16 hex digits (README "Paper ids") in 11 base64url characters; anything else kept after "~". */
export function paperRef(id: string): string {
  if (!PAPER_ID.test(id)) return `~${id.replace(/\s/g, '_')}`;
  const hi = parseInt(id.slice(1, 9), 16);
  const lo = parseInt(id.slice(9), 16);
  let out = '';
  // 64 bits as 11 six-bit digits: the first carries the top 4 bits.
  for (let i = 10; i >= 0; i--) {
    const shift = i * 6;
    let v: number;
    if (shift >= 32) v = (hi >>> (shift - 32)) & 63;
    else if (shift + 6 <= 32) v = (lo >>> shift) & 63;
    else v = ((lo >>> shift) | (hi << (32 - shift))) & 63;
    out += B64[v];
  }
  return out;
}

export function paperIdOf(ref: string): string | undefined {
  if (ref.startsWith('~')) return ref.length > 1 ? ref.slice(1) : undefined;
  // The first digit carries only the top 4 of the 64 bits.
  if (ref.length !== 11 || B64.indexOf(ref[0]) > 15) return undefined;
  let hi = 0;
  let lo = 0;
  for (const ch of ref) {
    const v = B64.indexOf(ch);
    if (v < 0) return undefined;
    hi = ((hi << 6) | (lo >>> 26)) >>> 0;
    lo = ((lo << 6) | v) >>> 0;
  }
  return 'p' + hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

const LIST_ID = /^l[0-9a-f]{16}$/;

/**
 * A list's ref: 24 bits of its random id in 4 characters (a clash among one user's lists is a
 * one-in-a-million event); a list received from another device is created under its ref, which
 * is its own ref.
 */
export function listRef(id: string): string {
  if (!LIST_ID.test(id)) return id.replace(/\s/g, '_');
  const n = parseInt(id.slice(1, 7), 16);
  let out = '';
  for (let i = 3; i >= 0; i--) out += B64[(n >>> (i * 6)) & 63];
  return out;
}

// ---- the view ---------------------------------------------------------------------------------

export interface UserPaperRecord {
  title: string;
  arxivId?: string;
  doi?: string;
  openreviewId?: string;
}

/** The synced part of the user's data, keyed by local ids (paper ids, list refs). */
export interface SyncView {
  tags: Set<string>;
  /** `${paperId}\t${tag}` */
  links: Set<string>;
  /** listRef → list */
  lists: Map<string, { name: string; deleted: boolean }>;
  /** `${listRef}\t${paperId}` → place and read state */
  items: Map<string, { pos: number; read: boolean }>;
  notes: Map<string, string>;
  userPapers: Map<string, UserPaperRecord>;
  /** mergedId → survivorId */
  merges: Map<string, string>;
  /** `${paperId}\t${titleKey}` */
  rejects: Set<string>;
  confirms: Set<string>;
  /** `${kind}\t${paperId}\t${key}` from the decision adapters (lib/sync/decisions.ts). */
  decisions: Set<string>;
}

export function emptyView(): SyncView {
  return {
    tags: new Set(),
    links: new Set(),
    lists: new Map(),
    items: new Map(),
    notes: new Map(),
    userPapers: new Map(),
    merges: new Map(),
    rejects: new Set(),
    confirms: new Set(),
    decisions: new Set(),
  };
}

const tab = (...parts: string[]) => parts.join('\t');
const untab = (s: string) => s.split('\t');

function splitKey(key: string): [string, string] {
  const i = key.indexOf(' ');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

function* familyShards(doc: Doc, family: Family): Generator<Shard> {
  for (const [id, sh] of doc) if (id[0] === family) yield sh;
}

/** tagref → name, for live tag refs. */
export function tagNames(doc: Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const sh of familyShards(doc, 't')) for (const [k, r] of sh.regs) if (typeof r.v === 'string') out.set(k, r.v);
  return out;
}

/** The replicated state as a view. Entries naming ids that are not papers are left out. */
export function project(doc: Doc): SyncView {
  const v = emptyView();
  const names = tagNames(doc);
  for (const n of names.values()) v.tags.add(n);
  for (const sh of familyShards(doc, 'l')) {
    for (const [k, r] of sh.regs) {
      const [ref, field] = splitKey(k);
      const cur = v.lists.get(ref) ?? { name: '', deleted: false };
      if (field === 'n' && typeof r.v === 'string') cur.name = r.v;
      else if (field === 'z') cur.deleted = r.v === true;
      v.lists.set(ref, cur);
    }
  }
  for (const [ref, l] of v.lists) if (!l.name) v.lists.delete(ref);
  for (const sh of familyShards(doc, 'a'))
    for (const k of sh.els.keys()) {
      const [p, rest] = splitKey(k);
      const id = paperIdOf(p);
      if (!id) continue;
      if (rest[0] !== '~') {
        const name = names.get(rest);
        if (name) v.links.add(tab(id, name));
        continue;
      }
      const lref = rest.slice(1);
      if (!v.lists.has(lref)) continue;
      const pos = sh.regs.get(`${p} p${lref}`)?.v;
      const read = sh.regs.get(`${p} r${lref}`)?.v;
      v.items.set(tab(lref, id), { pos: typeof pos === 'number' ? pos : Number.MAX_SAFE_INTEGER, read: read === true });
    }
  for (const sh of familyShards(doc, 'x')) {
    for (const [k, r] of sh.regs) {
      const [p, f] = splitKey(k);
      const id = paperIdOf(p);
      const to = typeof r.v === 'string' ? paperIdOf(r.v) : undefined;
      if (f === 'm' && id && to) v.merges.set(id, to);
    }
    for (const k of sh.els.keys()) {
      const [p, rest] = splitKey(k);
      const id = paperIdOf(p);
      if (!id) continue;
      if (rest[0] === 'j') v.rejects.add(tab(id, rest.slice(1)));
      else if (rest[0] === 'c') v.confirms.add(tab(id, rest.slice(1)));
      else if (rest[0] === 'd') {
        const [kind, key] = splitKey(rest.slice(1));
        v.decisions.add(tab(kind, id, key));
      }
    }
  }
  for (const sh of familyShards(doc, 'u'))
    for (const [k, r] of sh.regs) {
      const id = paperIdOf(k);
      const rec = r.v as { t?: unknown; a?: unknown; d?: unknown; o?: unknown } | null;
      if (!id || !rec || typeof rec !== 'object' || typeof rec.t !== 'string') continue;
      const out: UserPaperRecord = { title: rec.t };
      if (typeof rec.a === 'string') out.arxivId = rec.a;
      if (typeof rec.d === 'string') out.doi = rec.d;
      if (typeof rec.o === 'string') out.openreviewId = rec.o;
      v.userPapers.set(id, out);
    }
  for (const sh of familyShards(doc, 'n'))
    for (const [k, r] of sh.regs) {
      const id = paperIdOf(k);
      if (id && typeof r.v === 'string') v.notes.set(id, r.v);
    }
  return v;
}

/** Paper ids a view refers to (to check which of them this profile has). */
export function paperIdsIn(v: SyncView): Set<string> {
  const out = new Set<string>();
  for (const l of v.links) out.add(untab(l)[0]);
  for (const k of v.items.keys()) out.add(untab(k)[1]);
  for (const id of v.notes.keys()) out.add(id);
  for (const [a, b] of v.merges) out.add(a).add(b);
  for (const s of [v.rejects, v.confirms]) for (const k of s) out.add(untab(k)[0]);
  for (const k of v.decisions) out.add(untab(k)[1]);
  return out;
}

/** The same view with only entries whose papers pass `known` (names are kept as they are). */
export function restrictView(v: SyncView, known: (id: string) => boolean): SyncView {
  const out = emptyView();
  for (const t of v.tags) out.tags.add(t);
  for (const [k, l] of v.lists) out.lists.set(k, l);
  for (const l of v.links) if (known(untab(l)[0])) out.links.add(l);
  for (const [k, it] of v.items) if (known(untab(k)[1])) out.items.set(k, it);
  for (const [k, n] of v.notes) if (known(k)) out.notes.set(k, n);
  for (const [k, p] of v.userPapers) out.userPapers.set(k, p);
  for (const [a, b] of v.merges) if (known(a) && known(b)) out.merges.set(a, b);
  for (const k of v.rejects) if (known(untab(k)[0])) out.rejects.add(k);
  for (const k of v.confirms) if (known(untab(k)[0])) out.confirms.add(k);
  for (const k of v.decisions) if (known(untab(k)[1])) out.decisions.add(k);
  return out;
}

function newTagRef(used: Set<string>): string {
  for (;;) {
    const b = new Uint8Array(3);
    crypto.getRandomValues(b);
    const ref = Array.from(b, (x) => (x % 36).toString(36)).join('');
    if (!used.has(ref)) return ref;
  }
}

export interface CaptureOptions {
  /**
   * First capture of a profile that joins: its records fill what the sync area lacks but do not
   * override or delete what other devices wrote.
   */
  join?: boolean;
}

/**
 * Writes into `doc` the operations that turn `project(doc)` (restricted to known papers) into
 * `local`, all stamped `s`. Returns how many fields changed.
 */
export function capture(doc: Doc, synced: SyncView, local: SyncView, s: Stamp, opts: CaptureOptions = {}): number {
  let n = 0;
  const join = !!opts.join;
  const reg = (family: Family, group: string, key: string, v: Json | null) => {
    setReg(shardOf(doc, shardId(family, group)), key, v, s);
    n++;
  };
  // Tags: refs by name.
  const names = tagNames(doc);
  const refsOf = new Map<string, string[]>();
  for (const [ref, name] of names) refsOf.set(name, [...(refsOf.get(name) ?? []), ref].toSorted());
  const used = new Set(doc.get('t')?.regs.keys() ?? []);
  for (const t of local.tags)
    if (!refsOf.has(t)) {
      const ref = newTagRef(used);
      used.add(ref);
      reg('t', ref, ref, t);
      refsOf.set(t, [ref]);
    }
  if (!join) for (const t of synced.tags) if (!local.tags.has(t)) for (const ref of refsOf.get(t) ?? []) reg('t', ref, ref, null);

  for (const [ref, l] of local.lists) {
    const cur = synced.lists.get(ref);
    if (!cur || (!join && cur.name !== l.name)) reg('l', ref, `${ref} n`, l.name);
    if ((!cur && l.deleted) || (cur && !join && cur.deleted !== l.deleted)) reg('l', ref, `${ref} z`, l.deleted);
  }

  for (const link of local.links)
    if (!synced.links.has(link)) {
      const [id, tag] = untab(link);
      const p = paperRef(id);
      addEl(shardOf(doc, shardId('a', p)), `${p} ${refsOf.get(tag)![0]}`, s);
      n++;
    }
  if (!join)
    for (const link of synced.links)
      if (!local.links.has(link)) {
        const [id, tag] = untab(link);
        const p = paperRef(id);
        for (const ref of refsOf.get(tag) ?? []) removeEl(shardOf(doc, shardId('a', p)), `${p} ${ref}`);
        n++;
      }

  for (const [k, it] of local.items) {
    const [lref, id] = untab(k);
    const p = paperRef(id);
    const cur = synced.items.get(k);
    if (!cur) {
      addEl(shardOf(doc, shardId('a', p)), `${p} ~${lref}`, s);
      n++;
    }
    if (!cur || (!join && cur.pos !== it.pos)) reg('a', p, `${p} p${lref}`, it.pos);
    // Unread is the default: a new unread item costs no register.
    if ((!cur && it.read) || (cur && !join && cur.read !== it.read)) reg('a', p, `${p} r${lref}`, it.read);
  }
  if (!join)
    for (const k of synced.items.keys())
      if (!local.items.has(k)) {
        const [lref, id] = untab(k);
        const p = paperRef(id);
        removeEl(shardOf(doc, shardId('a', p)), `${p} ~${lref}`);
        // The place and read state of a removed item are dead weight: tombstones, collected later.
        const sh = shardOf(doc, shardId('a', p));
        for (const f of ['p', 'r']) if (sh.regs.get(`${p} ${f}${lref}`)?.v != null) reg('a', p, `${p} ${f}${lref}`, null);
      }

  const regMap = <T>(family: Family, localM: Map<string, T>, syncedM: Map<string, T>, key: (p: string) => string, enc: (v: T) => Json, same: (a: T, b: T) => boolean, deletes: boolean) => {
    for (const [id, val] of localM) {
      const cur = syncedM.get(id);
      if (cur === undefined || (!join && !same(cur, val))) {
        const p = paperRef(id);
        reg(family, p, key(p), enc(val));
      }
    }
    if (deletes && !join)
      for (const id of syncedM.keys())
        if (!localM.has(id)) {
          const p = paperRef(id);
          reg(family, p, key(p), null);
        }
  };
  regMap('x', local.merges, synced.merges, (p) => `${p} m`, (to) => paperRef(to), (a, b) => a === b, true);
  regMap('n', local.notes, synced.notes, (p) => p, (t) => t, (a, b) => a === b, true);
  // A user paper is never deleted through sync: it may be the paper others' tags attach to.
  regMap(
    'u',
    local.userPapers,
    synced.userPapers,
    (p) => p,
    (u) => {
      const o: Record<string, string> = { t: u.title };
      if (u.arxivId) o.a = u.arxivId;
      if (u.doi) o.d = u.doi;
      if (u.openreviewId) o.o = u.openreviewId;
      return o;
    },
    (a, b) => a.title === b.title && a.arxivId === b.arxivId && a.doi === b.doi && a.openreviewId === b.openreviewId,
    false,
  );

  const elSet = (localS: Set<string>, syncedS: Set<string>, keyOf: (parts: string[]) => [string, string]) => {
    for (const k of localS)
      if (!syncedS.has(k)) {
        const [p, key] = keyOf(untab(k));
        addEl(shardOf(doc, shardId('x', p)), key, s);
        n++;
      }
    if (!join)
      for (const k of syncedS)
        if (!localS.has(k)) {
          const [p, key] = keyOf(untab(k));
          removeEl(shardOf(doc, shardId('x', p)), key);
          n++;
        }
  };
  elSet(local.rejects, synced.rejects, ([id, key]) => {
    const p = paperRef(id);
    return [p, `${p} j${key}`];
  });
  elSet(local.confirms, synced.confirms, ([id, key]) => {
    const p = paperRef(id);
    return [p, `${p} c${key}`];
  });
  elSet(local.decisions, synced.decisions, ([kind, id, key]) => {
    const p = paperRef(id);
    return [p, `${p} d${kind} ${key}`];
  });
  return n;
}
