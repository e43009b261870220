/**
 * BibTeX read off the library page's main thread: the page never holds the file's text (45 MB
 * of UTF-16 at 60k entries) and keeps matching and writing while this reads the next slice.
 * Receives the file, answers with slices of records in file order (lib/import/worker-source.ts).
 */
import { bibtexChunks, parseBibtex, WholeFileNeeded } from './bibtex';
import { checkText } from './check';
import { ImportError } from './types';
import type { WorkerReply, WorkerRequest } from './worker-source';

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(m: WorkerReply): void };

function errorReply(e: unknown): WorkerReply {
  if (e instanceof ImportError) return { kind: 'error', message: e.message, line: e.line, importError: true };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e), importError: false };
}

// oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
const post = (m: WorkerReply) => scope.postMessage(m);

scope.onmessage = async (e) => {
  let text: string;
  try {
    text = await e.data.file.text();
    checkText(text);
  } catch (err) {
    post(errorReply(err));
    return;
  }
  let slices = 0;
  try {
    let t0 = performance.now();
    for (const slice of bibtexChunks(text, e.data.batch)) {
      post({ kind: 'slice', slice: { ...slice, parseMs: performance.now() - t0 } });
      slices++;
      t0 = performance.now();
    }
    post({ kind: 'end' });
  } catch (err) {
    if (!(err instanceof WholeFileNeeded)) {
      post(errorReply(err));
      return;
    }
    try {
      const t0 = performance.now();
      const parsed = parseBibtex(text);
      const parseMs = performance.now() - t0;
      // Nothing handed out yet: the whole file is the only slice. Otherwise the page starts over with it.
      if (!slices) {
        post({ kind: 'slice', slice: { records: parsed.records, warnings: parsed.warnings, done: parsed.records.length, total: parsed.records.length, parseMs } });
        post({ kind: 'end' });
      } else post({ kind: 'whole', records: parsed.records, warnings: parsed.warnings });
    } catch (err2) {
      post(errorReply(err2));
    }
  }
};
