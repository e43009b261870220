import { describe, expect, it } from 'vitest';
import { SearchIndex, SEARCH_PARTS_VERSION, type SearchDoc, type SearchParts } from '../lib/search';

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

  it('rejects parts of another version, of the old JSON layout, of wrong types or with inconsistent sizes', () => {
    const parts = SearchIndex.build([
      { id: 'a1', title: 'Attention is all you need' },
      { id: 'b22', title: 'Deep residual learning', abstract: 'residual networks' },
    ]).toParts();
    const bad: [string, unknown, RegExp][] = [
      ['newer version', { ...parts, version: SEARCH_PARTS_VERSION + 1 }, /expected/],
      // The v1 layout: ids and terms as JSON arrays, no offsets into them, no id table.
      ['v1 layout', { version: 1, ids: '["a1","b22"]', terms: '["attention"]', offsets: new Uint32Array(2), postings: new Uint32Array(0), titleLens: parts.titleLens, absLens: parts.absLens }, /expected/],
      ['v1 strings in v2', { ...parts, ids: '["a1","b22"]' }, /sizes/],
      ['postings cut', { ...parts, postings: parts.postings.subarray(1) }, /sizes/],
      ['ids cut', { ...parts, ids: parts.ids.slice(1) }, /sizes/],
      ['an id end missing', { ...parts, idEnds: parts.idEnds.subarray(1) }, /sizes/],
      ['id ends out of order', { ...parts, idEnds: Uint32Array.from([3, 2]) }, /order|sizes/],
      ['terms cut', { ...parts, terms: parts.terms.slice(0, -1) }, /sizes/],
      ['offsets out of order', { ...parts, offsets: Uint32Array.from(parts.offsets).toReversed() }, /order|sizes/],
      ['id table too small', { ...parts, idTable: new Uint32Array(2) }, /size/],
      ['id table not a power of two', { ...parts, idTable: new Uint32Array(17) }, /size/],
      ['ids as an array', { ...parts, ids: ['a1', 'b22'] }, /types/],
      ['postings as a plain array', { ...parts, postings: [...parts.postings] }, /types/],
      ['lengths of another type', { ...parts, titleLens: Uint32Array.from(parts.titleLens) }, /types/],
      ['not an object', null, /object/],
      ['a string', 'index', /object|version/],
    ];
    for (const [what, p, re] of bad) expect(() => SearchIndex.fromParts(p as SearchParts), what).toThrow(re);
    expect(SearchIndex.fromParts(structuredClone(parts)).search('residual').map((h) => h.id)).toEqual(['b22']);
  });

  // A damaged id table of the right size (bits flipped on disk) cannot make the index answer with
  // another paper's id or loop: lookups compare the id itself and probe at most the table's size.
  it('a scrambled id table only loses lookups, never answers wrongly or hangs', () => {
    const r = rng(9);
    const docs = Array.from({ length: 200 }, (_, i) => doc(r, `p${i}`));
    const parts = SearchIndex.build(docs).toParts();
    for (const fill of [0, 1, 0xffffffff, 7]) {
      const idTable = new Uint32Array(parts.idTable.length).fill(fill);
      const back = SearchIndex.fromParts({ ...parts, idTable });
      for (let i = 0; i < 200; i++) expect([false, i === fill - 1]).toContain(back.has(`p${i}`));
      expect(back.has('nope')).toBe(false);
      // Search does not need the table: hits are the same as the intact index's.
      expect(back.search('robot', { limit: 1000 })).toEqual(SearchIndex.fromParts(parts).search('robot', { limit: 1000 }));
    }
  });

  // Damaged posting bytes (the right length, any content) give wrong scores at worst: every hit is
  // a paper of the index, nothing throws or hangs.
  it('damaged posting bytes never throw, hang or answer a paper that is not there', () => {
    const r = rng(21);
    const docs = Array.from({ length: 300 }, (_, i) => doc(r, `p${i}`));
    const parts = SearchIndex.build(docs).toParts();
    for (const fill of [0, 0x7f, 0x80, 0xff, -1]) {
      const postings = fill >= 0 ? new Uint8Array(parts.postings.length).fill(fill) : Uint8Array.from(parts.postings, () => Math.floor(r() * 256));
      const back = SearchIndex.fromParts({ ...parts, postings });
      for (const q of QUERIES) for (const h of back.search(q, { limit: 1000 })) expect(h.id).toMatch(/^p\d+$/);
    }
  });

  // The class of queries a user types, over generated corpora with edits: a loaded index
  // (structured clone of its parts, as IndexedDB stores them) answers exactly as the in-memory
  // index it was saved from — the same hits, scores and order.
  for (const seed of [11, 12, 13]) {
    it(`answers generated queries like the in-memory index it was saved from (seed ${seed})`, () => {
      const r = rng(seed);
      const idx = SearchIndex.build(Array.from({ length: 400 }, (_, i) => doc(r, `d${i}`)));
      const back = SearchIndex.fromParts(structuredClone(idx.toParts()));
      const vocab = [...WORDS, 'the', 'of', 'zzz', 'pre', 'r', 'x-ray'];
      const queries: string[] = [];
      for (let k = 0; k < 150; k++) {
        const words = Array.from({ length: 1 + Math.floor(r() * 3) }, () => vocab[Math.floor(r() * vocab.length)]!);
        // Cut the last word to a prefix half of the time (type-ahead), end in a space sometimes.
        if (r() < 0.5) words[words.length - 1] = words.at(-1)!.slice(0, 1 + Math.floor(r() * words.at(-1)!.length));
        queries.push(words.join(' ') + (r() < 0.2 ? ' ' : ''));
      }
      // Edits after loading land on both the same way.
      for (let k = 0; k < 40; k++) {
        const d = r() < 0.5 ? doc(r, `d${Math.floor(r() * 450)}`) : undefined;
        const id = d?.id ?? `d${Math.floor(r() * 450)}`;
        for (const x of [idx, back]) {
          if (d) x.upsert(d);
          else x.remove(id);
        }
      }
      for (const q of queries) {
        expect(back.search(q, { limit: 50 }), q).toEqual(idx.search(q, { limit: 50 }));
        expect(back.search(q, { limit: 5, filter: (id) => id.endsWith('1') }), q).toEqual(idx.search(q, { limit: 5, filter: (id) => id.endsWith('1') }));
      }
      for (let i = 0; i < 450; i++) expect(back.has(`d${i}`)).toBe(idx.has(`d${i}`));
    });
  }

  it('an empty index round-trips', () => {
    const back = SearchIndex.fromParts(SearchIndex.build([]).toParts());
    expect(back.size).toBe(0);
    expect(back.search('anything')).toEqual([]);
  });
});
