/**
 * Background side of the seed corpus: on install, update, browser start and every worker start,
 * make sure the shipped corpus is completely imported into IndexedDB.
 *
 * Why every worker start and not only onInstalled: an MV3 service worker can be stopped in the
 * middle of a long import, and the next start then comes from some other event (a message),
 * not from onInstalled or onStartup. The check is cheap: one tiny asset fetch and one `meta`
 * read; the 500 KB corpus is only fetched and validated when an import is actually needed.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { getDb, type ShelfmarkDB } from '../storage/db';
import { parseCorpusAsset, type CorpusAsset } from './corpus';
import { importCorpus, needsCorpusImport, type ImportCounts } from './corpus-import';

/** Public asset paths written by the build hook in wxt.config.ts. */
export const CORPUS_PATH = '/corpus.json';
export const CORPUS_VERSION_PATH = '/corpus-version.json';

export const CorpusVersionFileSchema = z.object({ version: z.string().regex(/^c[0-9a-f]{16}$/) });

type Fetch = (url: string) => Promise<Response>;

async function fetchJson(path: string, fetchImpl: Fetch): Promise<unknown> {
  // The public paths are typed by WXT; a plain string keeps this helper generic.
  const url = (browser.runtime.getURL as (p: string) => string)(path);
  const res = await fetchImpl(url);
  if (!res.ok) throw new Error(`Cannot load ${url}: HTTP ${res.status}`);
  return res.json();
}

/** The shipped corpus version (small file, read on every worker start). */
export async function shippedCorpusVersion(fetchImpl: Fetch = fetch): Promise<string> {
  const parsed = CorpusVersionFileSchema.safeParse(await fetchJson(CORPUS_VERSION_PATH, fetchImpl));
  if (!parsed.success) throw new Error(`Invalid ${CORPUS_VERSION_PATH}: ${parsed.error.issues[0]?.message}`);
  return parsed.data.version;
}

/** The shipped corpus, validated with zod. */
export async function loadShippedCorpus(fetchImpl: Fetch = fetch): Promise<CorpusAsset> {
  return parseCorpusAsset(await fetchJson(CORPUS_PATH, fetchImpl));
}

export interface EnsureResult {
  version: string;
  /** Undefined when the shipped version was already completely imported. */
  counts?: ImportCounts;
}

/** Imports the shipped corpus if the database does not hold it completely yet. */
export async function ensureCorpusImported(db: ShelfmarkDB = getDb(), fetchImpl: Fetch = fetch): Promise<EnsureResult> {
  const version = await shippedCorpusVersion(fetchImpl);
  if (!(await needsCorpusImport(db, version))) return { version };
  const asset = await loadShippedCorpus(fetchImpl);
  if (asset.version !== version) {
    throw new Error(`corpus.json is version ${asset.version} but corpus-version.json says ${version}`);
  }
  const counts = await importCorpus(db, asset);
  return { version, counts };
}

let inFlight: Promise<EnsureResult> | undefined;

/**
 * Single-flight wrapper: onInstalled and the worker-start check fire together on install;
 * they share one import. A failed run clears the slot so a later event can retry.
 */
export function ensureCorpus(db?: ShelfmarkDB, fetchImpl?: Fetch): Promise<EnsureResult> {
  inFlight ??= ensureCorpusImported(db, fetchImpl).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

/** Resolves once the current import (if any) finished; handlers that need the corpus may await it. */
export function whenCorpusReady(): Promise<unknown> {
  return inFlight?.catch(() => undefined) ?? Promise.resolve();
}

function run(reason: string): void {
  ensureCorpus().then(
    (r) => {
      if (r.counts) console.info(`[shelfmark] corpus ${r.version} imported (${reason})`, r.counts);
    },
    (err: unknown) => console.error(`[shelfmark] corpus import failed (${reason})`, err),
  );
}

/** Call once from the background's main(). Listeners are registered synchronously, as MV3 requires. */
export function registerCorpusInstall(): void {
  browser.runtime.onInstalled.addListener(() => run('installed'));
  browser.runtime.onStartup.addListener(() => run('startup'));
  run('worker start');
}
