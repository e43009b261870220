import { describe, expect, it } from 'vitest';
import { buildHashTable, lowerBound, PackedIds, PackedStrings } from '@/lib/search/packed';
import { PaperTitles } from '@/lib/search/persisted';
import { rng } from '@/lib/model/rng';

/** Strings of every kind an id or a title can be: empty, ASCII, accents, CJK, emoji (surrogate pairs), separators. */
function strings(seed: number, n: number): string[] {
  const r = rng(seed);
  const alphabet = ['a', 'b', 'z', '0', '9', ' ', '-', ':', '/', '\n', '\u0000', 'é', 'ß', '漢', '字', '😀', '\u{1F9EA}', '"', '\\', '\u2028'];
  return Array.from({ length: n }, () => Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]!).join(''));
}

describe('PackedStrings', () => {
  for (const seed of [1, 2, 3]) {
    it(`round-trips generated strings through a structured clone (seed ${seed})`, () => {
      const list = strings(seed, 500);
      const packed = PackedStrings.from(list);
      const back = new PackedStrings(...(Object.values(structuredClone({ t: packed.text, e: packed.ends })) as [string, Uint32Array]));
      back.check('test');
      expect(back.length).toBe(list.length);
      expect(Array.from({ length: back.length }, (_, i) => back.get(i))).toEqual(list);
    });
  }

  it('check() rejects offsets that do not describe the text', () => {
    const p = PackedStrings.from(['ab', 'cde', 'f']);
    expect(() => new PackedStrings(p.text.slice(1), p.ends).check('x')).toThrow(/sizes/);
    expect(() => new PackedStrings(p.text + 'g', p.ends).check('x')).toThrow(/sizes/);
    expect(() => new PackedStrings(p.text, Uint32Array.from([2, 1, 6])).check('x')).toThrow(/order/);
    expect(() => PackedStrings.from([]).check('x')).not.toThrow();
  });

  it('lowerBound finds every string of a sorted list and the place of absent ones', () => {
    const list = [...new Set(strings(4, 300))].toSorted();
    const packed = PackedStrings.from(list);
    list.forEach((s, i) => expect(lowerBound(packed, s)).toBe(i));
    for (const s of strings(5, 200)) expect(lowerBound(packed, s)).toBe(list.filter((x) => x < s).length);
  });
});

describe('PackedIds', () => {
  for (const seed of [1, 2, 3]) {
    it(`finds every id and no other string (seed ${seed})`, () => {
      const ids = [...new Set(strings(seed, 2000))];
      const packed = PackedIds.from(ids);
      const back = new PackedIds(new PackedStrings(packed.strings.text, packed.strings.ends), structuredClone(packed.table));
      ids.forEach((id, i) => expect(back.indexOf(id)).toBe(i));
      const known = new Set(ids);
      for (const s of strings(seed + 100, 2000)) expect(back.indexOf(s)).toBe(known.has(s) ? ids.indexOf(s) : -1);
    });
  }

  it('survives a full table (every slot taken): an absent id is not found, the probe stops', () => {
    const ids = Array.from({ length: 15 }, (_, i) => `id${i}`);
    const table = buildHashTable(ids);
    expect(table.length).toBe(32);
    const full = new Uint32Array(16).fill(1);
    const p = new PackedIds(PackedStrings.from(ids), full);
    expect(p.indexOf('id0')).toBe(0);
    expect(p.indexOf('absent')).toBe(-1);
    expect(() => new PackedIds(PackedStrings.from(ids), new Uint32Array(8))).toThrow(/size/);
  });
});

describe('PaperTitles', () => {
  it('reads the stored titles and the edits made since, like a Map', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `p${i}`);
    const titles = PaperTitles.from(ids.map((id) => [id, `title of ${id}`] as const));
    const ref = new Map(ids.map((id) => [id, `title of ${id}`]));
    const r = rng(7);
    for (let k = 0; k < 400; k++) {
      const id = `p${Math.floor(r() * 400)}`;
      if (r() < 0.6) {
        const t = `retitled ${k}`;
        titles.set(id, t);
        ref.set(id, t);
      } else {
        titles.delete(id);
        ref.delete(id);
      }
      expect(titles.size).toBe(ref.size);
    }
    for (let i = 0; i < 400; i++) expect(titles.get(`p${i}`)).toBe(ref.get(`p${i}`));
    expect([...titles.values()].toSorted()).toEqual([...ref.values()].toSorted());
  });
});
