import type { Stamp } from './hlc';
import { emptyShard, type Json, type Shard, type VV } from './crdt';

/**
 * The compact text of one shard, as stored in storage.sync (which counts key + JSON bytes).
 *
 * Keys are `<group> <rest>`: everything about one paper shares a group (its 11-character id), so the
 * id is written once. Stamps are written once per shard in a sorted table (one capture stamps many
 * fields with the same time) and referred to by a base-36 index. Element dots go into one string
 * per group ("rest:i,rest:i"); registers holding a number, a boolean or a deletion go into the same
 * string ("rest=12:i", "rest=t:i", "rest=n:i"), others into a flat array [rest, value, i, …].
 *
 *   { "d": "dev1,dev2", "v": [t1, t2], "s": "delta,delta,…",
 *     "g": { "<group>": "elements" | ["elements", rest, value, i, …] } }
 *
 * A stamp code is t * devices + deviceIndex, so a device and its time fit in one number.
 */

export interface EncodedShard {
  d: string;
  v: number[];
  s: string;
  g: Record<string, string | Json[]>;
}

export class CodecError extends Error {
  override name = 'CodecError';
}

function split(key: string): [string, string] {
  const i = key.indexOf(' ');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

/** Element rests go into "rest:i" lists; these characters are escaped. */
const escRest = (s: string) => (/[%:,=]/.test(s) ? s.replace(/[%:,=]/g, (c) => `%${c.charCodeAt(0).toString(16)}`) : s);
const unescRest = (s: string) => (s.includes('%') ? s.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

export function encodeShard(sh: Shard): EncodedShard {
  const devices = new Set(Object.keys(sh.vv));
  for (const r of sh.regs.values()) devices.add(r.s.d);
  for (const dots of sh.els.values()) for (const d of Object.keys(dots)) devices.add(d);
  const devs = [...devices].toSorted();
  const D = Math.max(1, devs.length);
  const di = new Map(devs.map((d, i) => [d, i]));
  const code = (d: string, t: number) => t * D + di.get(d)!;

  const codes = new Set<number>();
  for (const r of sh.regs.values()) codes.add(code(r.s.d, r.s.t));
  for (const dots of sh.els.values()) for (const [d, t] of Object.entries(dots)) codes.add(code(d, t));
  const table = [...codes].toSorted((a, b) => a - b);
  const idx = new Map(table.map((c, i) => [c, i.toString(36)]));
  let prev = 0;
  const s = table
    .map((c) => {
      const delta = (c - prev).toString(36);
      prev = c;
      return delta;
    })
    .join(',');

  const els = new Map<string, string[]>();
  for (const k of [...sh.els.keys()].toSorted()) {
    const [g, rest] = split(k);
    const dots = sh.els.get(k)!;
    const refs = Object.keys(dots)
      .toSorted()
      .map((d) => idx.get(code(d, dots[d]))!);
    (els.get(g) ?? els.set(g, []).get(g)!).push([escRest(rest), ...refs].join(':'));
  }
  const regs = new Map<string, Json[]>();
  for (const k of [...sh.regs.keys()].toSorted()) {
    const [g, rest] = split(k);
    const r = sh.regs.get(k)!;
    const i = idx.get(code(r.s.d, r.s.t))!;
    const inline = r.v === null ? 'n' : r.v === true ? 't' : r.v === false ? 'f' : typeof r.v === 'number' && Number.isFinite(r.v) ? String(r.v) : undefined;
    if (inline !== undefined) (els.get(g) ?? els.set(g, []).get(g)!).push(`${escRest(rest)}=${inline}:${i}`);
    else (regs.get(g) ?? regs.set(g, []).get(g)!).push(rest, r.v as Json, parseInt(i, 36));
  }
  const g: Record<string, string | Json[]> = {};
  for (const name of [...new Set([...els.keys(), ...regs.keys()])].toSorted()) {
    // An entry with the same single stamp as the one before it leaves it out (one capture, one stamp).
    let last = '';
    const e = (els.get(name) ?? [])
      .map((entry) => {
        const parts = entry.split(':');
        if (parts.length !== 2) {
          last = '';
          return entry;
        }
        if (parts[1] === last) return parts[0];
        last = parts[1];
        return entry;
      })
      .join(',');
    const r = regs.get(name);
    g[name] = r ? [e, ...r] : e;
  }
  return { d: devs.join(','), v: devs.map((d) => sh.vv[d] ?? -1), s, g };
}

/** Reads an encoded shard; throws CodecError on anything malformed (a stored item may be corrupt). */
export function decodeShard(raw: unknown): Shard {
  if (!raw || typeof raw !== 'object') throw new CodecError('shard is not an object');
  const e = raw as Partial<EncodedShard>;
  if (typeof e.d !== 'string' || !Array.isArray(e.v) || typeof e.s !== 'string' || !e.g || typeof e.g !== 'object')
    throw new CodecError('shard fields missing');
  const devs = e.d ? e.d.split(',') : [];
  if (e.v.length !== devs.length) throw new CodecError('device list and version vector differ');
  const D = Math.max(1, devs.length);
  const sh = emptyShard();
  devs.forEach((d, i) => {
    const t = e.v![i];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new CodecError('bad version vector');
    if (t >= 0) sh.vv[d] = t;
  });
  const table: Stamp[] = [];
  let acc = 0;
  if (e.s)
    for (const part of e.s.split(',')) {
      const n = parseInt(part, 36);
      if (!Number.isFinite(n)) throw new CodecError('bad stamp table');
      acc += n;
      const d = devs[acc % D];
      if (d === undefined) throw new CodecError('stamp names no device');
      table.push({ t: Math.floor(acc / D), d });
    }
  const stamp = (i: number) => {
    const s = table[i];
    if (!s) throw new CodecError('stamp index out of range');
    return s;
  };
  for (const [g, val] of Object.entries(e.g)) {
    const elText = typeof val === 'string' ? val : val[0];
    if (typeof elText !== 'string') throw new CodecError('bad element list');
    let last: string | undefined;
    if (elText)
      for (const item of elText.split(',')) {
        const [head, ...given] = item.split(':');
        const refs = given.length ? given : last !== undefined ? [last] : [];
        if (!refs.length) throw new CodecError('element without a dot');
        last = refs.length === 1 ? refs[0] : undefined;
        const eq = head.indexOf('=');
        if (eq >= 0) {
          const rest = unescRest(head.slice(0, eq));
          const tok = head.slice(eq + 1);
          const v = tok === 'n' ? null : tok === 't' ? true : tok === 'f' ? false : Number(tok);
          if (typeof v === 'number' && !Number.isFinite(v)) throw new CodecError('bad register value');
          sh.regs.set(rest ? `${g} ${rest}` : g, { v, s: stamp(parseInt(refs[0], 36)) });
          continue;
        }
        const rest = head;
        const dots: VV = {};
        for (const ref of refs) {
          const s = stamp(parseInt(ref, 36));
          dots[s.d] = s.t;
        }
        sh.els.set(rest ? `${g} ${unescRest(rest)}` : g, dots);
      }
    if (Array.isArray(val)) {
      if ((val.length - 1) % 3) throw new CodecError('bad register list');
      for (let i = 1; i < val.length; i += 3) {
        const rest = val[i];
        const si = val[i + 2];
        if (typeof rest !== 'string' || typeof si !== 'number') throw new CodecError('bad register');
        sh.regs.set(rest ? `${g} ${rest}` : g, { v: val[i + 1] ?? null, s: stamp(si) });
      }
    }
  }
  return sh;
}

/** Bytes storage.sync counts for an item: key plus the JSON of its value (UTF-8). */
export function itemBytes(key: string, value: unknown): number {
  return new TextEncoder().encode(key + JSON.stringify(value)).length;
}

/** JSON with object keys sorted at every level: the browser may hand items back with keys reordered. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .toSorted()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
