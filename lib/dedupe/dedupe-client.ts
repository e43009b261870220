import type { Paper } from '../model/types';
import { findDuplicates, type DuplicateCluster } from './dedupe';
import { MatchIndex } from '../match/index';

/** The matcher's title candidates for a paper, itself excluded (dedupe's "matcher-backed" source). */
export function matcherCandidates(papers: readonly Paper[]): (p: Paper) => string[] {
  const index = MatchIndex.build(papers.filter((p) => !p.mergedInto));
  return (p) => index.match({ title: p.title }).candidates.map((c) => c.paperId).filter((id) => id !== p.id);
}

/** Clusters computed on this thread (tests, and browsers without module workers). */
export function clustersHere(papers: readonly Paper[], notDuplicates: Set<string>): DuplicateCluster[] {
  const live = papers.filter((p) => !p.mergedInto);
  return findDuplicates(live, { notDuplicates, titleCandidates: matcherCandidates(live) });
}

let worker: Worker | undefined;
let seq = 0;

/**
 * Clusters computed in a Web Worker in extension pages (the page keeps scrolling and typing while
 * 100k papers are compared); on this thread elsewhere. A newer request supersedes an older one.
 */
export async function computeClusters(papers: readonly Paper[], notDuplicates: Set<string>): Promise<DuplicateCluster[]> {
  const inExtension = typeof location !== 'undefined' && location.protocol.endsWith('-extension:');
  if (!inExtension || typeof Worker !== 'function') return clustersHere(papers, notDuplicates);
  if (!worker) {
    // Vite's ?worker import bundles the worker as its own file of the extension.
    const { default: DedupeWorker } = await import('./dedupe.worker.ts?worker');
    worker = new DedupeWorker();
  }
  const w = worker;
  const mine = ++seq;
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent<{ seq: number; clusters?: DuplicateCluster[]; error?: string }>) => {
      if (e.data.seq !== mine) return;
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      if (e.data.error !== undefined) reject(new Error(e.data.error));
      else resolve(e.data.clusters ?? []);
    };
    const onError = (e: ErrorEvent) => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      reject(new Error(e.message || 'the duplicate finder stopped'));
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    // A Worker's postMessage has no target origin (that is window.postMessage).
    // oxlint-disable-next-line unicorn/require-post-message-target-origin
    w.postMessage({ seq: mine, papers, notDuplicates: [...notDuplicates] });
  });
}
