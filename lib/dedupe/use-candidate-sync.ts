import { useEffect, useState } from 'preact/hooks';
import type { ShelfmarkDB } from '../storage/db';
import { lastChange } from '../storage/paper-changes';
import { useLiveQuery } from '../storage/live';
import { candidateFinder } from './candidates-client';

/**
 * Keeps the stored duplicate candidates current while a page is open: whenever the papers change
 * journal moves (an import here, a paper added from a listing, a merge in another tab), the finder
 * compares the changed papers in its worker. `delayMs` holds the first sync back so a page's own
 * first paint and corpus load do not share the CPU with it (the duplicates view passes 0).
 * Returns the last sync's error ('' when it went well).
 */
/** The last sync asked for per database: pages with two users of this hook (the library and its duplicates view) ask once per journal position. */
const lastSync = new WeakMap<ShelfmarkDB, { seq: number; run: Promise<unknown> }>();

function syncAt(db: ShelfmarkDB, seq: number): Promise<unknown> {
  const last = lastSync.get(db);
  if (last?.seq === seq) return last.run;
  const run = candidateFinder(db).sync();
  lastSync.set(db, { seq, run });
  // A failed sync is asked again by the next user, not handed its error.
  run.catch(() => {
    if (lastSync.get(db)?.run === run) lastSync.delete(db);
  });
  return run;
}

export function useCandidateSync(db: ShelfmarkDB, delayMs = 0): string {
  const seq = useLiveQuery(() => lastChange(db), [db]);
  const [ready, setReady] = useState(delayMs <= 0);
  const [error, setError] = useState('');
  useEffect(() => {
    if (ready) return undefined;
    const t = setTimeout(() => setReady(true), delayMs);
    return () => clearTimeout(t);
  }, [ready, delayMs]);
  useEffect(() => {
    if (!ready || seq === undefined) return;
    syncAt(db, seq).then(
      () => setError(''),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [db, ready, seq]);
  return error;
}
