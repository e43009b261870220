/**
 * Duplicate clustering off the page's main thread: at 100k papers a full run takes seconds, and
 * the library page must stay responsive meanwhile. Receives the papers and the "not duplicates"
 * pairs, answers with the clusters (see lib/dedupe/dedupe-client.ts).
 */
import { findDuplicates } from './dedupe';
import { MatchIndex } from '../match/index';
import type { Paper } from '../model/types';

interface Request {
  seq: number;
  papers: Paper[];
  notDuplicates: string[];
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (e) => {
  const { seq, papers, notDuplicates } = e.data;
  try {
    const live = papers.filter((p) => !p.mergedInto);
    const index = MatchIndex.build(live);
    const clusters = findDuplicates(live, {
      notDuplicates: new Set(notDuplicates),
      titleCandidates: (p) => index.match({ title: p.title }).candidates.map((c) => c.paperId).filter((id) => id !== p.id),
    });
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
    scope.postMessage({ seq, clusters });
  } catch (err) {
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin
    scope.postMessage({ seq, error: err instanceof Error ? err.message : String(err) });
  }
};
