/**
 * The duplicate candidates kept current off the page's thread (lib/dedupe/candidates.ts): a
 * first scan or a re-scan at 100k papers takes seconds to minutes, and the blocking index it
 * builds stays here between requests, so later writes are compared in about a millisecond each.
 * The worker opens the database itself (IndexedDB is available in workers): papers never cross
 * postMessage. Progress is read by the page from the scan checkpoint row.
 */
import { ShelfmarkTables } from '../storage/tables';
import { CandidateEngine } from './candidates';

interface Request {
  seq: number;
  op: 'sync' | 'rescan' | 'resume' | 'cancel';
  /** The page's database name (the worker opens the same database). */
  dbName: string;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: unknown): void };
let engine: CandidateEngine | undefined;

scope.onmessage = (e) => {
  const { seq, op, dbName } = e.data;
  if (!engine) {
    // The page's schema and write middlewares, without the extension APIs a worker cannot load
    // (a refused write fails the request; the page shows the error).
    engine = new CandidateEngine(new ShelfmarkTables(dbName));
  }
  if (op === 'cancel') {
    engine.cancel();
    return;
  }
  const run = op === 'sync' ? engine.sync() : engine.rescan(op === 'resume');
  run.then(
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
    (progress) => scope.postMessage({ seq, progress }),
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
    (err: unknown) => scope.postMessage({ seq, error: err instanceof Error ? err.message : String(err) }),
  );
};
