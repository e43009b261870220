import * as z from 'zod/mini';
import type { ShelfmarkDB } from './db';
import { PAPERS_REVISION_KEY } from './papers-revision';

/**
 * The `meta` table's keys, each declared once with the shape of its value. The table itself is
 * a plain key/value store; reads go through these declarations, so a value of an unexpected
 * shape (an older build's, a hand-edited backup's) reads as missing instead of being trusted.
 */

export interface MetaItem<T> {
  readonly key: string;
  /** The value, or undefined when the key is missing or its value is not of the declared shape. */
  get(db: ShelfmarkDB): Promise<T | undefined>;
  put(db: ShelfmarkDB, value: T): Promise<void>;
  delete(db: ShelfmarkDB): Promise<void>;
}

function metaItem<T>(key: string, schema: z.ZodMiniType<T>): MetaItem<T> {
  return {
    key,
    async get(db) {
      const got = schema.safeParse((await db.meta.get(key))?.value);
      return got.success ? got.data : undefined;
    },
    async put(db, value) {
      await db.meta.put({ key, value });
    },
    async delete(db) {
      await db.meta.delete(key);
    },
  };
}

/** Keys `<prefix><id>`, one per paper, all with the same value shape. */
export interface MetaFamily<T> {
  readonly prefix: string;
  item(id: string): MetaItem<T>;
  /** Every id of the family with its value (values not of the declared shape are left out). */
  all(db: ShelfmarkDB): Promise<Map<string, T>>;
}

function metaFamily<T>(prefix: string, schema: z.ZodMiniType<T>): MetaFamily<T> {
  return {
    prefix,
    item: (id) => metaItem(prefix + id, schema),
    async all(db) {
      const out = new Map<string, T>();
      for (const r of await db.meta.where('key').startsWith(prefix).toArray()) {
        const got = schema.safeParse(r.value);
        if (got.success) out.set(r.key.slice(prefix.length), got.data);
      }
      return out;
    },
  };
}

const importCounts = z.object({
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** Seed papers no longer in the corpus and never touched by the user, deleted. */
  removed: z.number(),
  /** Seed papers no longer in the corpus but kept because the user has data on them. */
  kept: z.number(),
  /** Write transactions used for papers. */
  transactions: z.number(),
});

const corpusMeta = z.looseObject({
  version: z.string(),
  state: z.enum(['importing', 'complete']),
  paperCount: z.number(),
  startedAt: z.number(),
  finishedAt: z.optional(z.number()),
  counts: z.optional(importCounts),
});

export type ImportCounts = z.infer<typeof importCounts>;
export type CorpusMeta = z.infer<typeof corpusMeta>;

const titleKeys = z.array(z.string());

/** Triage on listing pages (lib/triage/background.ts): how dismissed entries look, keyboard on/off. */
const triageSettings = z.looseObject({
  dismissed: z.optional(z.enum(['dim', 'hide'])),
  keys: z.optional(z.boolean()),
});

export const META = {
  /** The seed corpus import: which version, and whether its last run completed. */
  corpus: metaItem('corpus', corpusMeta),
  /** Stamped by every write to papers (lib/storage/papers-revision.ts). */
  papersRevision: metaItem(PAPERS_REVISION_KEY, z.number()),
  /** Which papers revision the persisted match-index parts were built from, and how many papers they hold. */
  indexParts: metaItem('indexParts', z.looseObject({ revision: z.number(), count: z.number(), at: z.number() })),
  /** Title keys the user confirmed as this paper (`confirm:<paperId>`). */
  confirmed: metaFamily('confirm:', titleKeys),
  /** Title keys the user said are not this paper (`reject:<paperId>`). */
  rejected: metaFamily('reject:', titleKeys),
  /** Triage settings chosen in the popup. */
  triageSettings: metaItem('triageSettings', triageSettings),
  /** The benchmark page's request and expected answers (bench builds only). */
  benchPage: metaItem('bench:page', z.array(z.unknown())),
  benchExpected: metaItem('bench:expected', z.array(z.string())),
} as const;
