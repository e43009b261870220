import { Dexie, type DBCore, type DBCoreMutateRequest } from 'dexie';

/**
 * A revision stamp of the `papers` table, kept in `meta` under PAPERS_REVISION_KEY.
 *
 * The background persists the match index with the revision it was built from; on a cold start
 * it loads the persisted index only when the stamp still equals the stored one. For that to be
 * trustworthy, *every* write to `papers` — from the background, the popup, the library page, an
 * import — must change the stamp, in the same transaction as the write. The papers-write
 * middleware (installPapersWriteTracking, lib/storage/paper-changes.ts) does that for every
 * ShelfmarkDB instance, so no caller can forget it.
 */
export const PAPERS_REVISION_KEY = 'papersRevision';

/** Marks a transaction whose papers writes cannot affect the match index (see skipRevisionStamp). */
const NO_STAMP = Symbol('shelfmark.noRevisionStamp');

/**
 * Call inside a Dexie transaction whose papers writes change only fields the match index does
 * not read (lastSeenAt): the stamp is left alone, so the persisted index stays valid and a cold
 * service worker does not rebuild it after every page view.
 */
export function skipRevisionStamp(): void {
  const t = Dexie.currentTransaction as unknown as { idbtrans?: Record<symbol, unknown> } | null;
  if (!t?.idbtrans) throw new Error('skipRevisionStamp() must run inside a transaction');
  t.idbtrans[NO_STAMP] = true;
}

/** True for a transaction marked by skipRevisionStamp (other papers-change trackers skip it too). */
export function isRevisionStampSkipped(trans: unknown): boolean {
  return !!(trans as Record<symbol, unknown> | undefined)?.[NO_STAMP];
}

/** Unique per write; only equality matters, so no read-increment (that would widen the transaction). */
function stamp(): number {
  return Date.now() + Math.random();
}

/** The stamp's write, added to a papers write's transaction (lib/storage/paper-changes.ts installs it). */
export function revisionStampPut(down: DBCore, trans: DBCoreMutateRequest['trans']): Promise<unknown> {
  return down.table('meta').mutate({ type: 'put', trans, values: [{ key: PAPERS_REVISION_KEY, value: stamp() }] });
}

/** The current stamp (0 when papers were never written). */
export async function papersRevision(db: Dexie): Promise<number> {
  const row = (await db.table('meta').get(PAPERS_REVISION_KEY)) as { value?: unknown } | undefined;
  return typeof row?.value === 'number' ? row.value : 0;
}
