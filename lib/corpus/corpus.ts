/**
 * The seed corpus: parsed dump entries collapsed into papers, and the compact asset
 * (`corpus.json`) that the build ships and the background imports into IndexedDB.
 *
 * Pure module: used by the build hook in wxt.config.ts (Node), by the background (browser)
 * and by tests.
 */
import { z } from 'zod';
import { titleKey } from '../model/normalize';
import { parseSeedDumps, type SeedEntry, type SeedProblem, type SeedProvenance } from './seed-parser';

export interface CorpusPaper {
  id: string;
  /** Normalized title key (lib/model/normalize.ts) the id was derived from. */
  key: string;
  title: string;
  abstract: string;
  provenance: SeedProvenance[];
}

// ---------------------------------------------------------------------------------------------
// Stable ids

const FNV64_OFFSET = [0xcbf2, 0x9ce4, 0x8422, 0x2325] as const;
const utf8 = new TextEncoder();

/**
 * 64-bit FNV-1a over the UTF-8 bytes of `s`, as 16 hex digits.
 *
 * Computed on four 16-bit limbs so it stays exact in doubles and fast (no BigInt per byte):
 * the FNV-64 prime is 2^40 + 0x1b3, so h * prime = (h << 40) + h * 0x1b3 (mod 2^64).
 * FNV-1a disperses short text keys well; the chance of any collision among 100k keys is
 * about 3e-10, and buildCorpus refuses to ship one anyway.
 */
export function fnv1a64Hex(s: string): string {
  let [h3, h2, h1, h0] = FNV64_OFFSET as unknown as [number, number, number, number];
  for (const byte of utf8.encode(s)) {
    h0 ^= byte;
    // h * 0x1b3, limb by limb with carries.
    let t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3;
    let t3 = h3 * 0x1b3;
    // + (h << 40): h0 lands in limb 2 shifted by 8 bits, h1 in limb 3 shifted by 8 bits.
    t2 += h0 << 8;
    t3 += h1 << 8;
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    t3 += t2 >>> 16;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function indexOf(map: Map<string, number>, list: string[], v: string): number {
  let i = map.get(v);
  if (i === undefined) {
    i = list.length;
    list.push(v);
    map.set(v, i);
  }
  return i;
}

/** The stable paper id for a normalized title key: "p" + 16 hex digits. */
export function paperIdFromKey(key: string): string {
  return 'p' + fnv1a64Hex(key);
}

export const PAPER_ID = /^p[0-9a-f]{16}$/;

// ---------------------------------------------------------------------------------------------
// Entries → papers

/**
 * Collapses entries with the same normalized title key into one paper carrying every
 * provenance. The first occurrence (file order, then line order) gives the title; the first
 * non-empty abstract wins. Near-identical titles (D4RL / D5RL) have different keys and stay
 * apart: this is exact-key deduplication, fuzzy matching is the matcher's job.
 */
export function collapseEntries(entries: readonly SeedEntry[]): CorpusPaper[] {
  const byKey = new Map<string, CorpusPaper>();
  for (const e of entries) {
    const key = titleKey(e.title);
    if (!key) continue; // A title with no letters or digits cannot be matched; the parser keeps such lines out.
    const existing = byKey.get(key);
    if (existing) {
      existing.provenance.push(e.provenance);
      if (!existing.abstract && e.abstract) existing.abstract = e.abstract;
      continue;
    }
    byKey.set(key, {
      id: paperIdFromKey(key),
      key,
      title: e.title,
      abstract: e.abstract,
      provenance: [e.provenance],
    });
  }
  const papers = [...byKey.values()];
  const ids = new Map<string, string>();
  for (const p of papers) {
    const other = ids.get(p.id);
    if (other !== undefined) {
      throw new Error(`Paper id collision: "${other}" and "${p.key}" both hash to ${p.id}`);
    }
    ids.set(p.id, p.key);
  }
  return papers;
}

// ---------------------------------------------------------------------------------------------
// The compact asset

export const CORPUS_FORMAT = 'shelfmark-corpus';
export const CORPUS_FORMAT_VERSION = 1;

/**
 * One paper in the asset: [id, key, title, abstract, provenance], where provenance is a flat
 * list of triples (source index, line, date index or -1). Arrays instead of objects keep the
 * asset about a third smaller than repeating key names 401 times, and it gzips well.
 */
const PaperTuple = z.tuple([
  z.string().regex(PAPER_ID),
  z.string().min(1),
  z.string().min(1),
  z.string(),
  z.array(z.number().int().min(-1)),
]);
export type PaperTuple = z.infer<typeof PaperTuple>;

export const CorpusAssetSchema = z
  .object({
    format: z.literal(CORPUS_FORMAT),
    formatVersion: z.literal(CORPUS_FORMAT_VERSION),
    /** Content hash of the papers; the importer compares it with the version recorded in `meta`. */
    version: z.string().regex(/^c[0-9a-f]{16}$/),
    /** Seed file names, referenced by index from the provenance triples. */
    sources: z.array(z.string().min(1)),
    /** Listing dates ("Mar 17"), referenced by index; -1 means no date. */
    dates: z.array(z.string().min(1)),
    papers: z.array(PaperTuple),
  })
  .superRefine((a, ctx) => {
    const ids = new Set<string>();
    const keys = new Set<string>();
    a.papers.forEach((p, i) => {
      const [id, key, , , prov] = p;
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: ['papers', i, 0], message: `duplicate paper id ${id}` });
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['papers', i, 1], message: `duplicate key ${key}` });
      ids.add(id);
      keys.add(key);
      if (prov.length === 0 || prov.length % 3 !== 0) {
        ctx.addIssue({ code: 'custom', path: ['papers', i, 4], message: 'provenance must be non-empty triples' });
        return;
      }
      for (let j = 0; j < prov.length; j += 3) {
        const [s, line, d] = [prov[j]!, prov[j + 1]!, prov[j + 2]!];
        if (s < 0 || s >= a.sources.length || line < 1 || d >= a.dates.length) {
          ctx.addIssue({ code: 'custom', path: ['papers', i, 4, j], message: 'provenance index out of range' });
        }
      }
    });
  });
export type CorpusAsset = z.infer<typeof CorpusAssetSchema>;

/** The content version: a hash over everything the import writes, so an unchanged corpus keeps its version. */
function contentVersion(a: Omit<CorpusAsset, 'version'>): string {
  return 'c' + fnv1a64Hex(JSON.stringify([a.formatVersion, a.sources, a.dates, a.papers]));
}

/** Builds the asset from papers and validates it (a build that would ship a bad asset fails). */
export function buildCorpusAsset(papers: readonly CorpusPaper[]): CorpusAsset {
  const sources: string[] = [];
  const dates: string[] = [];
  const sourceIdx = new Map<string, number>();
  const dateIdx = new Map<string, number>();
  const tuples: PaperTuple[] = papers.map((p) => {
    if (p.id !== paperIdFromKey(p.key)) throw new Error(`Paper ${p.id} does not derive from its key ${p.key}`);
    const prov: number[] = [];
    for (const pr of p.provenance) {
      prov.push(
        indexOf(sourceIdx, sources, pr.source),
        pr.line,
        pr.listingDate === undefined ? -1 : indexOf(dateIdx, dates, pr.listingDate),
      );
    }
    return [p.id, p.key, p.title, p.abstract, prov];
  });
  const base = {
    format: CORPUS_FORMAT,
    formatVersion: CORPUS_FORMAT_VERSION,
    sources,
    dates,
    papers: tuples,
  } as const;
  return CorpusAssetSchema.parse({ ...base, version: contentVersion(base) });
}

/** Validates untrusted JSON (the fetched asset) and says clearly what is wrong. */
export function parseCorpusAsset(json: unknown): CorpusAsset {
  const r = CorpusAssetSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`Invalid corpus asset (${r.error.issues.length} issue(s)): ${first}`);
  }
  if (r.data.version !== contentVersion(r.data)) {
    throw new Error('Invalid corpus asset: version does not match its content (truncated or edited file?)');
  }
  return r.data;
}

/** Expands the asset back into papers. */
export function corpusPapers(asset: CorpusAsset): CorpusPaper[] {
  return asset.papers.map(([id, key, title, abstract, prov]) => {
    const provenance: SeedProvenance[] = [];
    for (let j = 0; j < prov.length; j += 3) {
      const d = prov[j + 2]!;
      const pr: SeedProvenance = { kind: 'seed', source: asset.sources[prov[j]!]!, line: prov[j + 1]! };
      if (d >= 0) pr.listingDate = asset.dates[d]!;
      provenance.push(pr);
    }
    return { id, key, title, abstract, provenance };
  });
}

export interface SeedCorpusBuild {
  asset: CorpusAsset;
  entryCount: number;
  papers: CorpusPaper[];
  problems: SeedProblem[];
}

/** Seed dumps (file name + text, in the order given) → validated asset. Files are sorted by name so builds are reproducible. */
export function buildSeedCorpus(files: readonly { name: string; text: string }[]): SeedCorpusBuild {
  const sorted = files.toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { entries, problems } = parseSeedDumps(sorted);
  const papers = collapseEntries(entries);
  return { asset: buildCorpusAsset(papers), entryCount: entries.length, papers, problems };
}
