import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { CLUSTERS_PER_PAGE, MergeView } from '../../components/merge-view';
import type { DuplicateCluster } from '../../lib/dedupe/dedupe';
import type { Paper } from '../../lib/model/types';
import { rng } from '../../lib/model/rng';
import { makePaper } from '../helpers/db';

afterEach(cleanup);

/** `n` two-paper clusters over generated papers, certain and maybe mixed. */
function generated(n: number, r: () => number): { clusters: DuplicateCluster[]; papers: Map<string, Paper> } {
  const papers = new Map<string, Paper>();
  const clusters: DuplicateCluster[] = [];
  for (let i = 0; i < n; i++) {
    const a = `p${i}a`;
    const b = `p${i}b`;
    papers.set(a, makePaper(a, `Generated Paper Number ${i}`));
    papers.set(b, makePaper(b, `Generated Paper Numbr ${i}`));
    const level = r() < 0.5 ? 'certain' : 'maybe';
    clusters.push({ id: `${a}|${b}`, paperIds: [a, b], survivorId: a, level, pairs: [{ a, b, level, reasons: ['titles alike'], titleSimilarity: 0.9 }] });
  }
  return { clusters, papers };
}

const noop = async () => {};

describe('MergeView with many clusters', () => {
  for (const seed of [1, 2, 3]) {
    it(`renders a page of clusters at a time and shows the rest on request (seed ${seed})`, () => {
      const r = rng(seed);
      const n = CLUSTERS_PER_PAGE + 1 + Math.floor(r() * 3 * CLUSTERS_PER_PAGE);
      const { clusters, papers } = generated(n, r);
      const certain = clusters.filter((c) => c.level === 'certain').length;
      render(
        <MergeView clusters={clusters} paper={(id) => papers.get(id)} onMerge={async () => []} onUndoMerge={noop} onNotDuplicates={noop} onUndoNotDuplicates={noop} />,
      );
      // The summary counts every cluster, not only the rendered ones.
      expect(screen.getByText(`${n} candidate clusters: ${certain} certain, ${n - certain} to review.`)).toBeTruthy();
      expect(screen.getAllByRole('article')).toHaveLength(CLUSTERS_PER_PAGE);
      let shown = CLUSTERS_PER_PAGE;
      while (shown < n) {
        const more = Math.min(CLUSTERS_PER_PAGE, n - shown);
        fireEvent.click(screen.getByRole('button', { name: `Show ${more} more` }));
        shown += more;
        expect(screen.getAllByRole('article')).toHaveLength(shown);
      }
      expect(screen.queryByRole('button', { name: /^Show \d+ more$/ })).toBeNull();
      // Clusters keep their order across pages.
      const ids = screen.getAllByRole('article').map((el) => el.getAttribute('data-cluster'));
      expect(ids).toEqual(clusters.map((c) => c.id));
    });
  }

  it('"Select all certain" selects certain clusters beyond the first page too', () => {
    const { clusters, papers } = generated(CLUSTERS_PER_PAGE * 2, rng(9));
    const certain = clusters.filter((c) => c.level === 'certain').length;
    render(
      <MergeView clusters={clusters} paper={(id) => papers.get(id)} onMerge={async () => []} onUndoMerge={noop} onNotDuplicates={noop} onUndoNotDuplicates={noop} />,
    );
    fireEvent.click(screen.getByRole('button', { name: `Select all certain (${certain})` }));
    expect(screen.getByRole('button', { name: `Merge selected (${certain})` })).toBeTruthy();
  });
});
