import { describe, expect, it } from 'vitest';
import { SearchIndex, SEARCH_PARTS_VERSION, type SearchDoc } from '../lib/search';

/** Small deterministic generator: documents over a small vocabulary so queries hit many of them. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const WORDS = 'offline reinforcement learning diffusion policy transformer reward model robot manipulation benchmark language pre-training datasets decision sequence attention survey café naïve'.split(' ');

function doc(r: () => number, id: string): SearchDoc {
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!).join(' ');
  return { id, title: words(3 + Math.floor(r() * 8)), abstract: r() < 0.2 ? undefined : words(Math.floor(r() * 60)) };
}

const QUERIES = ['offline', 'reinforcement learning ', 'trans', 'di', 'pretraining', 'cafe naive ', 'robot manip', 'survey of datasets ', 'zzz'];

describe('SearchIndex parts', () => {
  // The class: any mix of build, upserts (new and retitled papers) and removals survives a
  // round trip through toParts/fromParts. The loaded index answers like a fresh build of the
  // live papers (same order, same scores): removed papers no longer count in term frequencies.
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`round-trips an edited index (seed ${seed})`, () => {
      const r = rng(seed);
      const live = new Map<string, SearchDoc>();
      const docs = Array.from({ length: 300 }, (_, i) => doc(r, `p${i}`));
      for (const d of docs) live.set(d.id, d);
      const idx = SearchIndex.build(docs);
      const upsert = (d: SearchDoc) => {
        idx.upsert(d);
        live.delete(d.id);
        live.set(d.id, d);
      };
      for (let k = 0; k < 120; k++) {
        const x = r();
        if (x < 0.4) upsert(doc(r, `p${Math.floor(r() * 400)}`));
        else if (x < 0.7) {
          const id = `p${Math.floor(r() * 400)}`;
          idx.remove(id);
          live.delete(id);
        } else upsert(doc(r, `new${k}`));
      }
      const back = SearchIndex.fromParts(structuredClone(idx.toParts()));
      const fresh = SearchIndex.build(live.values());
      expect(back.size).toBe(live.size);
      for (const q of QUERIES) {
        const got = back.search(q, { limit: 1000 });
        expect(got, q).toEqual(fresh.search(q, { limit: 1000 }));
        // The same papers as the edited index it came from.
        expect(new Set(got.map((h) => h.id)), q).toEqual(new Set(idx.search(q, { limit: 1000 }).map((h) => h.id)));
      }
      for (let i = 0; i < 400; i++) expect(back.has(`p${i}`)).toBe(live.has(`p${i}`));
      // And it keeps working as an index after loading: edits apply on top of the loaded parts.
      back.upsert({ id: 'late', title: 'Quantum entanglement of robots' });
      back.remove('p0');
      expect(back.search('quantum')[0]?.id).toBe('late');
      expect(back.has('p0')).toBe(false);
    });
  }

  it('rejects parts of another version or with inconsistent sizes', () => {
    const parts = SearchIndex.build([{ id: 'a', title: 'Attention is all you need' }]).toParts();
    expect(() => SearchIndex.fromParts({ ...parts, version: SEARCH_PARTS_VERSION + 1 })).toThrow(/expected/);
    expect(() => SearchIndex.fromParts({ ...parts, postings: parts.postings.subarray(1) })).toThrow(/sizes/);
    expect(() => SearchIndex.fromParts({ ...parts, ids: '[]' })).toThrow(/sizes/);
    expect(() => SearchIndex.fromParts({ ...parts, ids: '{' })).toThrow();
  });

  it('an empty index round-trips', () => {
    const back = SearchIndex.fromParts(SearchIndex.build([]).toParts());
    expect(back.size).toBe(0);
    expect(back.search('anything')).toEqual([]);
  });
});
