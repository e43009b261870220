import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshDb, populate, snapshot, PAPERS } from '../export/fixtures';
import { createBackup, restoreBackup, type Backup } from '../../lib/storage/backup';
import { exportSelection } from '../../lib/export';
import { importText, ImportError, type ImportFormat } from '../../lib/import';
import type { ShelfmarkDB } from '../../lib/storage/db';
// The benchmarks' seeded generator (mulberry32): pure, no Node APIs.
import { rng } from '../../bench/lib/evalset';

/**
 * Fuzz: for each import format, FILES mutated or truncated versions of a valid file (seeded PRNG,
 * so every run tries the same files). Each one must either import cleanly or be rejected with an
 * ImportError, and a rejected or failed import must leave the database exactly as it was. On a
 * share of the accepted files a failure is injected in the middle of the write (a throwing
 * Dexie hook or a cancel) to check the one-transaction promise on real writes too.
 */
const FILES = 1000;

const JUNK = ['{', '}', '@', ',', '=', '"', '\\', '$', '%', '#', '\n', '\r\n', '  - ', 'TY  - ', 'ER  - ', '@misc{', '}}', '\u0000', 'é', '😀', '\u202e', 'ȷ', '\t', ':', '[', ']', 'null', '1e999', '-', '10.1/x', '2401.00001'];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  let s = text;
  const ops = 1 + int(3);
  for (let k = 0; k < ops; k++) {
    const at = int(s.length + 1);
    switch (int(7)) {
      case 0: // truncate
        s = s.slice(0, at);
        break;
      case 1: // delete a span
        s = s.slice(0, at) + s.slice(at + 1 + int(40));
        break;
      case 2: // insert junk
        s = s.slice(0, at) + JUNK[int(JUNK.length)]! + s.slice(at);
        break;
      case 3: // duplicate a span
        s = s.slice(0, at) + s.slice(at, at + int(200)) + s.slice(at);
        break;
      case 4: { // swap two lines
        const lines = s.split('\n');
        const i = int(lines.length);
        const j = int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        s = lines.join('\n');
        break;
      }
      case 5: // replace one character
        s = s.slice(0, at) + String.fromCharCode(32 + int(95)) + s.slice(at + 1);
        break;
      default: // drop a whole line
        {
          const lines = s.split('\n');
          lines.splice(int(lines.length), 1);
          s = lines.join('\n');
        }
    }
  }
  return s;
}

/** Structural JSON mutations: byte noise alone almost never gets past JSON.parse. */
function mutateJson(b: Backup, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const copy = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
  const values: unknown[] = [null, 0, -1, 1.5, '', 'x', true, [], {}, 'p0000000000000001', 1e300, '\u0000', 'l1'];
  const ops = 1 + int(3);
  for (let k = 0; k < ops; k++) {
    // Walk to a random container and change, delete or add one of its members.
    let node: unknown = copy;
    let parent: Record<string, unknown> | unknown[] = copy;
    let key: string | number = 'tables';
    for (let depth = 0; depth < 6 && node && typeof node === 'object'; depth++) {
      const keys = Object.keys(node as object);
      if (!keys.length || rnd() < 0.2) break;
      parent = node as Record<string, unknown>;
      key = keys[int(keys.length)]!;
      if (Array.isArray(parent)) key = Number(key);
      node = (parent as Record<string, unknown>)[key as string];
    }
    const r = int(4);
    if (r === 0 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else if (r === 1 && Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(parent[int(parent.length)] ?? null)));
    else (parent as Record<string, unknown>)[key as string] = values[int(values.length)];
  }
  return JSON.stringify(copy);
}

interface Tally {
  tried: number;
  accepted: number;
  rejected: number;
  /** Rejections caused by a failure injected mid-write (the file itself was fine). */
  injected: number;
  halfWritten: number;
  other: string[];
}

function invariants(s: Record<string, unknown[]>): string[] {
  const problems: string[] = [];
  const papers = new Set((s.papers as { id: string }[]).map((p) => p.id));
  const tags = new Set((s.tags as { name: string }[]).map((t) => t.name));
  const lists = new Set((s.lists as { id: string }[]).map((l) => l.id));
  for (const t of s.paperTags as { paperId: string; tag: string }[]) {
    if (!papers.has(t.paperId)) problems.push(`paperTag → missing paper ${t.paperId}`);
    if (!tags.has(t.tag)) problems.push(`paperTag → missing tag ${t.tag}`);
  }
  for (const i of s.listItems as { listId: string; paperId: string }[]) {
    if (!lists.has(i.listId)) problems.push(`listItem → missing list ${i.listId}`);
    if (!papers.has(i.paperId)) problems.push(`listItem → missing paper ${i.paperId}`);
  }
  return problems;
}

let db: ShelfmarkDB;
let base: Backup;
let baseSnap: Record<string, unknown[]>;
const bases: Partial<Record<ImportFormat, string>> = {};
const results: Partial<Record<ImportFormat, Tally>> = {};

beforeAll(async () => {
  db = freshDb();
  await populate(db);
  base = await createBackup(db);
  baseSnap = await snapshot(db);
  bases.bibtex = (await exportSelection(db, { kind: 'all' }, 'bibtex')).text;
  bases.ris = (await exportSelection(db, { kind: 'all' }, 'ris')).text;
  bases.backup = JSON.stringify(base);
  // A real listing dump: the first entries of a seed file.
  const seedDir = join(process.cwd(), 'seeds');
  const seed = readdirSync(seedDir).find((f) => f.endsWith('.txt'))!;
  bases.listing = readFileSync(join(seedDir, seed), 'utf8').split('\n').slice(0, 40).join('\n');
  bases.plain = ['# reading', ...PAPERS.flatMap((p) => [p.arxivId ?? p.title]), 'https://doi.org/10.1234/abc.def', '2502.00002 A new one', 'Just a title'].join('\n');
});

async function fuzz(format: ImportFormat, seed: number): Promise<Tally> {
  const rnd = rng(seed);
  const tally: Tally = { tried: 0, accepted: 0, rejected: 0, injected: 0, halfWritten: 0, other: [] };
  for (let i = 0; i < FILES; i++) {
    const text = format === 'backup' && rnd() < 0.6 ? mutateJson(base, rnd) : mutate(bases[format]!, rnd);
    const replace = format === 'backup' && i % 2 === 1;
    // Every 10th file gets a failure injected in the write phase (if it gets that far).
    const inject = i % 10 === 5 ? (rnd() < 0.5 ? 'hook' : 'abort') : undefined;
    const ctl = new AbortController();
    let created = 0;
    let fired = false;
    const hook = () => {
      if (++created === 2) {
        fired = true;
        throw new Error('injected write failure');
      }
    };
    // On the second paper written, new or updated.
    if (inject === 'hook') {
      db.papers.hook('creating', hook);
      db.papers.hook('updating', hook);
    }
    tally.tried++;
    let ok = false;
    try {
      await importText(db, text, {
        format,
        replace,
        filename: `fuzz.${format}`,
        // Small BibTeX batches so the batched parser (and its fallback) is what gets fuzzed.
        parseBatch: 2,
        signal: ctl.signal,
        onProgress: (p) => {
          if (inject === 'abort' && p.phase === 'write') {
            fired = true;
            ctl.abort();
          }
        },
      });
      ok = true;
    } catch (e) {
      const err = e as Error;
      const expected = err instanceof ImportError || (fired && (err.name === 'AbortError' || /injected write failure/.test(err.message)));
      if (!expected) tally.other.push(`file ${i}: ${err.name}: ${err.message}`);
    } finally {
      if (inject === 'hook') {
        db.papers.hook('creating').unsubscribe(hook);
        db.papers.hook('updating').unsubscribe(hook);
      }
    }
    const after = await snapshot(db);
    if (ok) {
      tally.accepted++;
      const problems = invariants(after);
      if (problems.length) tally.other.push(`file ${i}: accepted but inconsistent: ${problems.slice(0, 3).join('; ')}`);
      await restoreBackup(db, base);
    } else {
      tally.rejected++;
      if (fired) tally.injected++;
      try {
        expect(after).toEqual(baseSnap);
      } catch {
        tally.halfWritten++;
        await restoreBackup(db, base);
      }
    }
  }
  return tally;
}

describe('import fuzz', () => {
  const formats: [ImportFormat, number][] = [
    ['bibtex', 1],
    ['ris', 2],
    ['backup', 3],
    ['listing', 4],
    ['plain', 5],
  ];
  for (const [format, seed] of formats) {
    it(`${format}: ${FILES} mutated files each import cleanly or are rejected, never half-written`, async () => {
      const t = await fuzz(format, seed);
      results[format] = t;
      // The figures for the report (accepted includes files whose damage the format tolerates).
      console.log(`fuzz ${format}: tried ${t.tried}, accepted ${t.accepted}, rejected ${t.rejected} (of which injected write failures ${t.injected}), half-written ${t.halfWritten}`);
      expect(t.other).toEqual([]);
      expect(t.tried).toBe(FILES);
      expect(t.accepted + t.rejected).toBe(FILES);
      expect(t.halfWritten).toBe(0);
      expect(t.accepted).toBeGreaterThan(0);
      expect(t.rejected - t.injected).toBeGreaterThan(0);
      expect(t.injected).toBeGreaterThan(0);
    }, 300_000);
  }
});
