/**
 * Reads the persisted search index off the main thread (lib/search/parts-read.ts) and hands the
 * typed arrays over without copying. One request per worker: the popup starts one when it opens.
 */
import { readStoredParts, transferables } from './parts-read';

interface Request {
  name: string;
  withTitles: boolean;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: unknown, transfer: Transferable[]): void };
scope.onmessage = (e) => {
  readStoredParts(e.data.name, e.data.withTitles).then(
    (read) => scope.postMessage({ read }, read ? transferables(read) : []),
    (err: unknown) => scope.postMessage({ error: err instanceof Error ? err.message : String(err) }, []),
  );
};
