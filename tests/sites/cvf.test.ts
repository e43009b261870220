import { describe, expect, it } from 'vitest';
import { cvf } from '../../lib/sites/cvf';
import { expectedTitles } from './expected-titles';
import { loadFixture, plain } from './load-fixture';

describe('cvf adapter', () => {
  it('claims day, "all", conference and workshop listings, not a paper page', () => {
    for (const u of [
      'https://openaccess.thecvf.com/CVPR2020.py?day=2020-06-16',
      'https://openaccess.thecvf.com/CVPR2023?day=all',
      'https://openaccess.thecvf.com/ICCV2023?day=all',
      'https://openaccess.thecvf.com/WACV2024',
      'https://openaccess.thecvf.com/CVPR2023_workshops/CLVision',
      'https://openaccess.thecvf.com/CVPR2020_search.py',
    ]) {
      expect(cvf.matches(new URL(u)), u).toBe(true);
    }
    for (const u of [
      'https://openaccess.thecvf.com/content_CVPR_2020/html/Wang_Dual_Super-Resolution_Learning_for_Semantic_Segmentation_CVPR_2020_paper.html',
      'https://openaccess.thecvf.com/content/CVPR2023/html/Li_X_CVPR_2023_paper.html',
      'https://openaccess.thecvf.com/content/CVPR2023/papers/Li_X_CVPR_2023_paper.pdf',
      'https://openaccess.thecvf.com.example.org/CVPR2023?day=all',
    ]) {
      expect(cvf.matches(new URL(u)), u).toBe(false);
    }
  });

  describe('CVPR 2020 day 1 (real capture of the listing container: 483 papers)', () => {
    const name = 'cvf/cvpr2020-day1.html';
    const { fixture, doc } = loadFixture(name);
    const entries = cvf.findEntries(doc, fixture.url);

    it('finds every paper, with the titles a browser shows, in page order', () => {
      expect(entries).toHaveLength(483);
      expect(entries.map((e) => e.title)).toEqual(expectedTitles(name).titles);
      // 296 of the 483 link their arXiv version; the ids are distinct.
      const arxiv = entries.map((e) => e.ids.arxiv).filter(Boolean);
      expect(arxiv).toHaveLength(296);
      expect(new Set(arxiv).size).toBe(296);
      expect(entries.every((e) => (e.authors?.length ?? 0) > 0)).toBe(true);
    });

    it('reads the first entry in full (no arXiv link)', () => {
      expect(plain(entries[0]!)).toEqual({
        title: 'Dual Super-Resolution Learning for Semantic Segmentation',
        ids: {},
        url: 'https://openaccess.thecvf.com/content_CVPR_2020/html/Wang_Dual_Super-Resolution_Learning_for_Semantic_Segmentation_CVPR_2020_paper.html',
        authors: ['Li Wang', 'Dong Li', 'Yousong Zhu', 'Lu Tian', 'Yi Shan'],
      });
    });

    it('reads the second entry in full (arXiv link read from its links line)', () => {
      expect(plain(entries[1]!)).toMatchObject({
        title: 'Deep Unfolding Network for Image Super-Resolution',
        ids: { arxiv: '2003.10428' },
      });
    });

    it('reads the last entry in full', () => {
      expect(plain(entries.at(-1)!)).toEqual({
        title: 'Exploiting Joint Robustness to Adversarial Perturbations',
        ids: {},
        url: 'https://openaccess.thecvf.com/content_CVPR_2020/html/Dabouei_Exploiting_Joint_Robustness_to_Adversarial_Perturbations_CVPR_2020_paper.html',
        authors: ['Ali Dabouei', 'Sobhan Soleymani', 'Fariborz Taherkhani', 'Jeremy Dawson', 'Nasser M. Nasrabadi'],
      });
    });

    it('marks the <dt> and anchors the badge on its title link', () => {
      for (const e of entries) {
        expect(e.root.tagName).toBe('DT');
        expect(e.root.contains(e.titleEl)).toBe(true);
      }
    });
  });
});
