import type { ShelfmarkDB } from '../storage/db';
import { CandidateEngine, type ScanProgress } from './candidates';

/** Keeps the stored duplicate candidates current (lib/dedupe/candidates.ts), off the page's thread where it can. */
export interface CandidateFinder {
  /** Compares the papers written since the last sync (a first or interrupted scan runs or resumes). */
  sync(): Promise<ScanProgress>;
  /** A full re-scan; `resume` continues a stopped one. */
  rescan(resume?: boolean): Promise<ScanProgress>;
  /** Stops a running scan after its current chunk. */
  cancel(): void;
}

const finders = new WeakMap<ShelfmarkDB, CandidateFinder>();

/**
 * The finder of a database, one per page: in extension pages a module worker that holds the
 * blocking index between writes (the library page keeps scrolling meanwhile); on this thread
 * elsewhere (tests, browsers without module workers).
 */
export function candidateFinder(db: ShelfmarkDB): CandidateFinder {
  let f = finders.get(db);
  if (f) return f;
  const inExtension = typeof location !== 'undefined' && location.protocol.endsWith('-extension:');
  f = inExtension && typeof Worker === 'function' ? workerFinder(db.name) : new CandidateEngine(db);
  finders.set(db, f);
  return f;
}

function workerFinder(dbName: string): CandidateFinder {
  let worker: Promise<Worker> | undefined;
  let seq = 0;
  const get = (): Promise<Worker> =>
    // Vite's ?worker import bundles the worker as its own file of the extension.
    (worker ??= import('./candidates.worker.ts?worker').then(({ default: W }) => new W()));
  const call = async (op: 'sync' | 'rescan' | 'resume'): Promise<ScanProgress> => {
    const w = await get();
    const mine = ++seq;
    return new Promise((resolve, reject) => {
      const done = () => {
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
      };
      const onMessage = (e: MessageEvent<{ seq: number; progress?: ScanProgress; error?: string }>) => {
        if (e.data.seq !== mine) return;
        done();
        if (e.data.error !== undefined) reject(new Error(e.data.error));
        else resolve(e.data.progress!);
      };
      const onError = (e: ErrorEvent) => {
        done();
        reject(new Error(e.message || 'the duplicate finder stopped'));
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
      w.postMessage({ seq: mine, op, dbName });
    });
  };
  return {
    sync: () => call('sync'),
    rescan: (resume = false) => call(resume ? 'resume' : 'rescan'),
    cancel: () => {
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
      if (worker) void worker.then((w) => w.postMessage({ seq: ++seq, op: 'cancel', dbName }));
    },
  };
}
