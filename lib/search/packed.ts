/**
 * Lists of strings stored as one string plus end offsets, and a hash table from string to
 * position stored as a typed array: what the persisted search index keeps instead of JSON arrays
 * and Maps, so loading it from IndexedDB needs no parse and no Map of 100k entries before the
 * first query (structured clone copies strings and typed arrays without decoding them).
 */

/** Strings `0..length-1`: string i is `text.slice(ends[i - 1] ?? 0, ends[i])`. */
export class PackedStrings {
  constructor(
    readonly text: string,
    readonly ends: Uint32Array,
  ) {}

  static from(list: readonly string[]): PackedStrings {
    const ends = new Uint32Array(list.length);
    let at = 0;
    list.forEach((s, i) => {
      at += s.length;
      ends[i] = at;
    });
    return new PackedStrings(list.join(''), ends);
  }

  get length(): number {
    return this.ends.length;
  }

  get(i: number): string {
    return this.text.slice(i > 0 ? this.ends[i - 1]! : 0, this.ends[i]!);
  }

  /** Throws unless the offsets are non-decreasing and end at the text's end. */
  check(what: string): void {
    let prev = 0;
    for (const e of this.ends) {
      if (e < prev) throw new Error(`search index parts: ${what} offsets out of order`);
      prev = e;
    }
    if (prev !== this.text.length) throw new Error(`search index parts: ${what} sizes disagree`);
  }
}

/** FNV-1a over UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Open-addressing table (linear probing) of positions + 1 by hashString, size a power of two at
 * least twice the count; 0 is an empty slot.
 */
export function buildHashTable(strings: PackedStrings | readonly string[]): Uint32Array {
  const n = strings.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const table = new Uint32Array(size);
  const mask = size - 1;
  const at = strings instanceof PackedStrings ? (i: number) => strings.get(i) : (i: number) => strings[i]!;
  for (let i = 0; i < n; i++) {
    let slot = hashString(at(i)) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  return table;
}

/** A PackedStrings with its hash table: position of a string without a Map. */
export class PackedIds {
  private readonly mask: number;

  constructor(
    readonly strings: PackedStrings,
    readonly table: Uint32Array,
  ) {
    // A power of two with room for every string (else a probe for a missing one would not stop).
    if (table.length < 16 || (table.length & (table.length - 1)) !== 0 || table.length < strings.length + 1) {
      throw new Error('search index parts: id table has the wrong size');
    }
    this.mask = table.length - 1;
  }

  static from(list: readonly string[]): PackedIds {
    return new PackedIds(PackedStrings.from(list), buildHashTable(list));
  }

  get length(): number {
    return this.strings.length;
  }

  get(i: number): string {
    return this.strings.get(i);
  }

  /** The position of `s`, or -1. */
  indexOf(s: string): number {
    const { table, mask } = this;
    let slot = hashString(s) & mask;
    for (let probes = 0; probes <= mask; probes++) {
      const v = table[slot]!;
      if (v === 0) return -1;
      if (v <= this.strings.length && this.strings.get(v - 1) === s) return v - 1;
      slot = (slot + 1) & mask;
    }
    return -1;
  }
}

/** First position in sorted `strings` whose string is ≥ `s` (binary search). */
export function lowerBound(strings: PackedStrings, s: string): number {
  let lo = 0;
  let hi = strings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strings.get(mid) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
