import type { RecordSlice, RecordSource } from './source';
import { WholeFileParsed } from './source';
import { ImportError, type ImportRecord } from './types';

export interface WorkerRequest {
  file: Blob;
  batch?: number;
}

export type WorkerReply =
  | { kind: 'slice'; slice: RecordSlice }
  | { kind: 'end' }
  /** A slice did not parse on its own: the whole file, parsed at once, to import from the start. */
  | { kind: 'whole'; records: ImportRecord[]; warnings: string[] }
  | { kind: 'error'; message: string; line?: number; importError: boolean };

/** Module workers in an extension page (Vite bundles `?worker` imports as files of the extension). */
export function canUseWorker(): boolean {
  return typeof Worker === 'function' && typeof location !== 'undefined' && location.protocol.endsWith('-extension:');
}

/**
 * A BibTeX file read by a worker (lib/import/bibtex.worker.ts): slices arrive as the worker reads
 * them and wait here until the import asks for them. close() stops the worker.
 */
export async function bibtexWorkerSource(file: Blob, batch?: number): Promise<RecordSource> {
  const { default: BibtexWorker } = await import('./bibtex.worker.ts?worker');
  const worker: Worker = new BibtexWorker();
  const ready: WorkerReply[] = [];
  let waiting: { resolve: (r: WorkerReply) => void } | undefined;
  let closed = false;
  const deliver = (r: WorkerReply) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w.resolve(r);
    } else ready.push(r);
  };
  worker.onmessage = (e: MessageEvent<WorkerReply>) => deliver(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    deliver({ kind: 'error', message: `The BibTeX reader stopped: ${e.message || 'unknown error'}`, importError: false });
  };
  // A Worker's postMessage has no target origin (that is window.postMessage).
  // oxlint-disable-next-line unicorn/require-post-message-target-origin
  worker.postMessage({ file, batch } satisfies WorkerRequest);
  const close = () => {
    if (closed) return;
    closed = true;
    worker.terminate();
    // A reader still waiting gets "no more slices" (the import has ended anyway).
    waiting?.resolve({ kind: 'end' });
    waiting = undefined;
  };
  return {
    format: 'bibtex',
    async next() {
      if (closed) return undefined;
      const r = ready.shift() ?? (await new Promise<WorkerReply>((resolve) => (waiting = { resolve })));
      switch (r.kind) {
        case 'slice':
          return r.slice;
        case 'end':
          close();
          return undefined;
        case 'whole':
          close();
          throw new WholeFileParsed({ format: 'bibtex', records: r.records, warnings: r.warnings });
        case 'error':
          close();
          if (!r.importError) throw new Error(r.message);
          throw new ImportError(r.line ? r.message.replace(`Line ${r.line}: `, '') : r.message, r.line);
      }
    },
    close,
  };
}
