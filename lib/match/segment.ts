/**
 * One immutable, compact block of the match index: every structure is a typed array or one
 * big string, so it persists as a handful of values and loads without touching each paper.
 *
 * Rows are title keys (space-less normalized titles) and alias keys; papers own rows.
 * Lookups:
 *  - exact key: open-addressing hash table over all rows;
 *  - identifiers: hash table over "a<arXiv id>", "d<doi>", "o<openreview id>", "p<PMID>";
 *  - truncated titles: title rows sorted by key (binary search for the prefix range);
 *  - fuzzy candidates: neighbours of the query in three sorted orders — by key (shares the
 *    beginning), by reversed key (shares the end) and by key from the third word on (a typo in
 *    the first two words of a cut title). A typo or a changed word leaves a long common prefix
 *    or suffix, so the right paper sits next to the query in one of the orders.
 */

export interface SegmentRecord {
  id: string;
  /** Normalized title words (lib/model/normalize.ts). */
  words: string[];
  /** Extra exact keys (confirmed page titles, merged-away titles). */
  aliasKeys: string[];
  arxiv?: string;
  doi?: string;
  openreview?: string;
  pmid?: string;
  /** Abstract signature (ABS_SIG values, 0 = absent), see abstractSignature(). */
  abs?: Uint16Array;
}

export const ABS_SIG = 12;
/**
 * Lengths of the key ends that go into the `ends` filter. A query uses the longest one that is
 * under half its key: one typo or one changed word then leaves that end intact on one side.
 */
export const ENDS = [12, 20, 28] as const;
export const END = ENDS[0];
const SEED_HEAD = 0x811c9dc5;
const SEED_TAIL = 0x2f8e1b37;

export function fnv(s: string, start = 0, end = s.length, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function pow2Above(n: number): number {
  let s = 16;
  while (s < n) s <<= 1;
  return s;
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Word 4-shingles of an abstract's text as 16-bit hashes (never 0). */
export function abstractShingles(text: string, limit = Infinity): number[] {
  let words: string[] | undefined;
  // The first few shingles need only the text's beginning: lower-cased alone, a prefix gives the
  // words of the whole text except its last one (cut, or a final sigma that depends on what
  // follows), so the whole abstract is split only when the prefix is too short.
  const need = limit + 3;
  const prefix = need * 16;
  if (text.length > prefix) {
    const head = wordsOf(text.slice(0, prefix));
    head.pop();
    if (head.length >= need) words = head;
  }
  words ??= wordsOf(text);
  const out: number[] = [];
  for (let i = 0; i + 4 <= words.length && out.length < limit; i++) {
    const h = fnv(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2] + ' ' + words[i + 3]);
    out.push(((h ^ (h >>> 16)) & 0xffff) | 1);
  }
  return out;
}

/** The first ABS_SIG shingles of an abstract: listing snippets show its beginning. */
export function abstractSignature(text: string | undefined): Uint16Array | undefined {
  if (!text) return undefined;
  const sh = abstractShingles(text, ABS_SIG);
  if (sh.length < 4) return undefined;
  const sig = new Uint16Array(ABS_SIG);
  sig.set(sh);
  return sig;
}

interface Layout {
  [name: string]: [offset: number, length: number, type: 'u8' | 'u16' | 'u32' | 'i32' | 'f64'];
}

const CTORS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array } as const;

export const SEGMENT_FORMAT = 5;

export class Segment {
  /** Row keys concatenated; row r is keys[rowOff[r], rowOff[r+1]). */
  keys = '';
  rowOff = new Uint32Array(1);
  /** Word lengths of each row, starting at wordOff[r] (alias rows have none). */
  wordLens = new Uint8Array(0);
  wordOff = new Uint32Array(1);
  rowPaper = new Uint32Array(0);
  /** 1 = alias row (exact lookups only). */
  rowAlias = new Uint8Array(0);
  keyHash = new Uint32Array(16);
  keySlot = new Int32Array(16);
  fwd = new Uint32Array(0);
  rev = new Uint32Array(0);
  off2 = new Uint32Array(0);
  /**
   * The first 16 characters (mode 1: the last 16, reversed) of each row of an order, packed 6 bits
   * a character into two numbers that sort like the text: binary searches run over this one small
   * array and read the big key string only to break ties, which saves most cache misses.
   */
  /**
   * Bloom bits over the first and the last END characters of every title key. A typo or one
   * changed word leaves one end intact, so a query whose both ends are unknown has no similar
   * title and skips the sorted-order searches (most entries of a listing page).
   */
  ends = new Uint8Array(8);
  fwdPre: Float64Array = new Float64Array(0);
  revPre: Float64Array = new Float64Array(0);
  off2Pre: Float64Array = new Float64Array(0);
  /** Paper ids concatenated, paper p is paperIds[pidOff[p], pidOff[p+1]). */
  paperIds = '';
  pidOff = new Uint32Array(1);
  /** Per paper, its identifiers "a…\td…\to…" (only the present ones). */
  ext = '';
  extOff = new Uint32Array(1);
  idHash = new Uint32Array(16);
  idSlot = new Int32Array(16);
  abs = new Uint16Array(0);
  /** Removed papers (runtime only: persisting compacts them away). */
  dead = new Uint8Array(0);
  private byPaperId?: Map<string, number>;
  private paperRow?: Int32Array;

  get rows(): number {
    return this.rowPaper.length;
  }
  get papers(): number {
    return this.pidOff.length - 1;
  }

  static build(records: SegmentRecord[]): Segment {
    const seg = new Segment();
    const m = records.length;
    const rowKeys: string[] = [];
    const rowPaper: number[] = [];
    const rowAlias: number[] = [];
    const rowWords: (string[] | null)[] = [];
    const pids: string[] = [];
    const exts: string[] = [];
    seg.abs = new Uint16Array(m * ABS_SIG);
    for (let p = 0; p < m; p++) {
      const r = records[p]!;
      pids.push(r.id);
      const key = r.words.join('');
      if (key) {
        rowKeys.push(key);
        rowPaper.push(p);
        rowAlias.push(0);
        rowWords.push(r.words);
      }
      for (const a of r.aliasKeys) {
        if (!a || a === key) continue;
        rowKeys.push(a);
        rowPaper.push(p);
        rowAlias.push(1);
        rowWords.push(null);
      }
      const e: string[] = [];
      if (r.arxiv) e.push('a' + r.arxiv);
      if (r.doi) e.push('d' + r.doi);
      if (r.openreview) e.push('o' + r.openreview);
      if (r.pmid) e.push('p' + r.pmid);
      exts.push(e.join('\t'));
      if (r.abs) seg.abs.set(r.abs.subarray(0, ABS_SIG), p * ABS_SIG);
    }
    const n = rowKeys.length;
    seg.keys = rowKeys.join('');
    seg.rowOff = new Uint32Array(n + 1);
    seg.wordOff = new Uint32Array(n + 1);
    const lens: number[] = [];
    let o = 0;
    for (let r = 0; r < n; r++) {
      seg.rowOff[r] = o;
      o += rowKeys[r]!.length;
      seg.wordOff[r] = lens.length;
      const ws = rowWords[r];
      if (ws) {
        for (const w of ws) {
          // Longer words (never seen in titles) are split: only the fuzzy stage sees word lengths.
          let len = w.length;
          while (len > 255) {
            lens.push(255);
            len -= 255;
          }
          if (len) lens.push(len);
        }
      }
    }
    seg.rowOff[n] = o;
    seg.wordOff[n] = lens.length;
    seg.wordLens = Uint8Array.from(lens);
    seg.rowPaper = Uint32Array.from(rowPaper);
    seg.rowAlias = Uint8Array.from(rowAlias);
    // Exact-key table.
    const size = pow2Above(n * 2);
    seg.keyHash = new Uint32Array(size);
    seg.keySlot = new Int32Array(size);
    for (let r = 0; r < n; r++) {
      const h = fnv(rowKeys[r]!);
      let i = h & (size - 1);
      while (seg.keySlot[i] !== 0) i = (i + 1) & (size - 1);
      seg.keySlot[i] = r + 1;
      seg.keyHash[i] = h;
    }
    // Sorted orders over title rows. The comparators read the joined keys in place (no reversed
    // or sliced copies: at a million titles those copies cost seconds of allocation).
    const titleRows: number[] = [];
    const rows2: number[] = [];
    const skip = new Uint32Array(n);
    for (let r = 0; r < n; r++) {
      if (rowAlias[r]) continue;
      titleRows.push(r);
      const ws = rowWords[r]!;
      if (ws.length >= 4) {
        skip[r] = ws[0]!.length + ws[1]!.length;
        rows2.push(r);
      }
    }
    const keys = seg.keys;
    const off = seg.rowOff;
    const forward = (sa: Uint32Array | null) => (a: number, b: number) => {
      const ia = off[a]! + (sa ? sa[a]! : 0);
      const ib = off[b]! + (sa ? sa[b]! : 0);
      const la = off[a + 1]! - ia;
      const lb = off[b + 1]! - ib;
      const len = la < lb ? la : lb;
      for (let i = 0; i < len; i++) {
        const d = keys.charCodeAt(ia + i) - keys.charCodeAt(ib + i);
        if (d !== 0) return d;
      }
      return la - lb || a - b;
    };
    const backward = (a: number, b: number) => {
      const ea = off[a + 1]!;
      const eb = off[b + 1]!;
      const la = ea - off[a]!;
      const lb = eb - off[b]!;
      const len = la < lb ? la : lb;
      for (let i = 1; i <= len; i++) {
        const d = keys.charCodeAt(ea - i) - keys.charCodeAt(eb - i);
        if (d !== 0) return d;
      }
      return la - lb || a - b;
    };
    seg.fwd = Uint32Array.from(titleRows.toSorted(forward(null)));
    seg.rev = Uint32Array.from(titleRows.toSorted(backward));
    seg.off2 = Uint32Array.from(rows2.toSorted(forward(skip)));
    const bits = pow2Above(titleRows.length * 16 * ENDS.length);
    seg.ends = new Uint8Array(bits >>> 3);
    for (const r of titleRows) {
      const a = off[r]!;
      const b = off[r + 1]!;
      for (const L of ENDS) {
        if (b - a < L) break;
        const h1 = fnv(keys, a, a + L, SEED_HEAD + L) & (bits - 1);
        const h2 = fnv(keys, b - L, b, SEED_TAIL + L) & (bits - 1);
        seg.ends[h1 >>> 3]! |= 1 << (h1 & 7);
        seg.ends[h2 >>> 3]! |= 1 << (h2 & 7);
      }
    }
    seg.fwdPre = seg.packOrder(seg.fwd, 0);
    seg.revPre = seg.packOrder(seg.rev, 1);
    seg.off2Pre = seg.packOrder(seg.off2, 2);
    // Identifiers.
    seg.paperIds = pids.join('');
    seg.pidOff = new Uint32Array(m + 1);
    seg.ext = exts.join('');
    seg.extOff = new Uint32Array(m + 1);
    let po = 0;
    let eo = 0;
    let idCount = 0;
    for (let p = 0; p < m; p++) {
      seg.pidOff[p] = po;
      po += pids[p]!.length;
      seg.extOff[p] = eo;
      eo += exts[p]!.length;
      if (exts[p]) idCount += exts[p]!.split('\t').length;
    }
    seg.pidOff[m] = po;
    seg.extOff[m] = eo;
    const isize = pow2Above(idCount * 2);
    seg.idHash = new Uint32Array(isize);
    seg.idSlot = new Int32Array(isize);
    for (let p = 0; p < m; p++) {
      if (!exts[p]) continue;
      for (const f of exts[p]!.split('\t')) {
        const h = fnv(f);
        let i = h & (isize - 1);
        while (seg.idSlot[i] !== 0) i = (i + 1) & (isize - 1);
        seg.idSlot[i] = p + 1;
        seg.idHash[i] = h;
      }
    }
    seg.dead = new Uint8Array(m);
    return seg;
  }

  paperId(p: number): string {
    return this.paperIds.slice(this.pidOff[p], this.pidOff[p + 1]);
  }

  paperExt(p: number): string {
    return this.ext.slice(this.extOff[p], this.extOff[p + 1]);
  }

  rowKey(r: number): string {
    return this.keys.slice(this.rowOff[r], this.rowOff[r + 1]);
  }

  rowWords(r: number): string[] {
    const out: string[] = [];
    let o = this.rowOff[r]!;
    for (let i = this.wordOff[r]!; i < this.wordOff[r + 1]!; i++) {
      const len = this.wordLens[i]!;
      out.push(this.keys.slice(o, o + len));
      o += len;
    }
    return out;
  }

  /** Index of a paper id, or -1 (the map is built on first use: only mutations need it). */
  indexOf(paperId: string): number {
    if (!this.byPaperId) {
      this.byPaperId = new Map();
      for (let p = 0; p < this.papers; p++) this.byPaperId.set(this.paperId(p), p);
    }
    return this.byPaperId.get(paperId) ?? -1;
  }

  /** The title row of paper p, or -1 (the table is built on first use: id hits need it). */
  titleRow(p: number): number {
    if (!this.paperRow) {
      this.paperRow = new Int32Array(this.papers).fill(-1);
      for (let r = 0; r < this.rows; r++) if (!this.rowAlias[r]) this.paperRow[this.rowPaper[r]!] = r;
    }
    return this.paperRow[p] ?? -1;
  }

  /** Live papers whose title or alias key equals `key`. */
  exact(key: string, out: number[]): void {
    const size = this.keySlot.length;
    const h = fnv(key);
    const keys = this.keys;
    for (let i = h & (size - 1); ; i = (i + 1) & (size - 1)) {
      const slot = this.keySlot[i]!;
      if (slot === 0) return;
      if (this.keyHash[i] !== h) continue;
      const r = slot - 1;
      const s = this.rowOff[r]!;
      if (this.rowOff[r + 1]! - s !== key.length || !keys.startsWith(key, s)) continue;
      const p = this.rowPaper[r]!;
      if (!this.dead[p] && !out.includes(p)) out.push(p);
    }
  }

  /** Live papers carrying the identifier `tagged` ("a2401.00001", "d10.…", "o…"). */
  byId(tagged: string, out: number[]): void {
    const size = this.idSlot.length;
    const h = fnv(tagged);
    for (let i = h & (size - 1); ; i = (i + 1) & (size - 1)) {
      const slot = this.idSlot[i]!;
      if (slot === 0) return;
      if (this.idHash[i] !== h) continue;
      const p = slot - 1;
      if (this.dead[p] || out.includes(p)) continue;
      if (this.paperExt(p).split('\t').includes(tagged)) out.push(p);
    }
  }

  /** Compares `q` with row r's key (from char `skip` of the row); forward or backward. */
  private cmp(q: string, r: number, skip: number, backward: boolean): number {
    const keys = this.keys;
    const s = this.rowOff[r]!;
    const e = this.rowOff[r + 1]!;
    const len = e - s - skip;
    const n = q.length < len ? q.length : len;
    if (backward) {
      for (let i = 0; i < n; i++) {
        const d = q.charCodeAt(q.length - 1 - i) - keys.charCodeAt(e - 1 - i);
        if (d !== 0) return d;
      }
    } else {
      const b = s + skip;
      for (let i = 0; i < n; i++) {
        const d = q.charCodeAt(i) - keys.charCodeAt(b + i);
        if (d !== 0) return d;
      }
    }
    return q.length - len;
  }

  private skip2(r: number): number {
    const w = this.wordOff[r]!;
    return this.wordLens[w]! + this.wordLens[w + 1]!;
  }

  /**
   * Packs 8 characters of `text` from `start` (backwards from `start - 1` when `back`), never
   * reading before `end` (backwards) or from `end` on (forwards); missing characters pack as 0.
   */
  static pack(text: string, start: number, end: number, back: boolean): number {
    let v = 0;
    for (let i = 0; i < 8; i++) {
      let code = 0;
      const at = back ? start - 1 - i : start + i;
      if (back ? at >= end : at < end) {
        const c = text.charCodeAt(at);
        // digits 1-10, letters 11-36, anything else (non-ASCII letters sort after z) 63.
        code = c >= 48 && c <= 57 ? c - 47 : c >= 97 && c <= 122 ? c - 86 : 63;
      }
      v = v * 64 + code;
    }
    return v;
  }

  private packRow(r: number, mode: 0 | 1 | 2, from: number): number {
    if (mode === 1) return Segment.pack(this.keys, this.rowOff[r + 1]! - from, this.rowOff[r]!, true);
    return Segment.pack(this.keys, this.rowOff[r]! + (mode === 2 ? this.skip2(r) : 0) + from, this.rowOff[r + 1]!, false);
  }

  /** Characters 0-7 and 8-15 of each row, packed: two numbers per position of the order. */
  packOrder(order: Uint32Array, mode: 0 | 1 | 2): Float64Array {
    const out = new Float64Array(order.length * 2);
    for (let i = 0; i < order.length; i++) {
      out[2 * i] = this.packRow(order[i]!, mode, 0);
      out[2 * i + 1] = this.packRow(order[i]!, mode, 8);
    }
    return out;
  }

  /** First position in `order` whose row is ≥ q (mode 1 compares reversed). */
  private lowerBound(order: Uint32Array, q: string, mode: 0 | 1 | 2): number {
    const pre = mode === 0 ? this.fwdPre : mode === 1 ? this.revPre : this.off2Pre;
    const back = mode === 1;
    const pq = back ? Segment.pack(q, q.length, 0, true) : Segment.pack(q, 0, q.length, false);
    const pq2 = back ? Segment.pack(q, q.length - 8, 0, true) : Segment.pack(q, 8, q.length, false);
    // Packed prefixes order like the text, except where both sides have a character outside
    // [a-z0-9] (packed alike) at the same place: a query without one is always safe.
    const exact = !Segment.hasWild(pq) && !Segment.hasWild(pq2);
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const pm = pre[2 * mid]!;
      let c: number;
      if (exact && pm !== pq) c = pq - pm;
      else if (exact && pre[2 * mid + 1]! !== pq2) c = pq2 - pre[2 * mid + 1]!;
      else {
        const r = order[mid]!;
        c = this.cmp(q, r, mode === 2 ? this.skip2(r) : 0, mode === 1);
      }
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static hasWild(v: number): boolean {
    for (let i = 0; i < 8; i++) {
      if (v % 64 === 63) return true;
      v = Math.floor(v / 64);
    }
    return false;
  }

  /**
   * Whether some title key may start (`tail` false) or end with the same characters as q, over
   * the longest ENDS length under half of q (always true for keys too short to tell).
   */
  mayShareEnd(q: string, tail: boolean): boolean {
    let L = 0;
    for (const l of ENDS) if (q.length >= 2 * l + 2) L = l;
    if (!L) return true;
    const bits = this.ends.length << 3;
    const h = (tail ? fnv(q, q.length - L, q.length, SEED_TAIL + L) : fnv(q, 0, L, SEED_HEAD + L)) & (bits - 1);
    return (this.ends[h >>> 3]! & (1 << (h & 7))) !== 0;
  }

  /** Title rows whose key starts with q: [from, to) in `fwd`, at most `limit` of them. */
  prefixRange(q: string, limit = 64): [number, number] {
    const from = this.lowerBound(this.fwd, q, 0);
    let to = from;
    const keys = this.keys;
    const end = Math.min(this.fwd.length, from + limit);
    while (to < end) {
      const r = this.fwd[to]!;
      const s = this.rowOff[r]!;
      if (this.rowOff[r + 1]! - s < q.length || !keys.startsWith(q, s)) break;
      to++;
    }
    return [from, to];
  }

  /**
   * Rows next to the query in one sorted order (mode 0: by key, 1: by reversed key, 2: by key from
   * the third word), at most `k` on each side, walking outwards only while they share at least
   * `minCommon` leading (mode 1: trailing) characters with q. In sorted order that shared length
   * can only shrink away from the query's position, so a query nothing resembles costs two
   * comparisons. Pushes pairs (row, shared length) to `out` (duplicate rows allowed).
   */
  neighbours(q: string, mode: 0 | 1 | 2, k: number, minCommon: number, out: number[]): void {
    const order = mode === 0 ? this.fwd : mode === 1 ? this.rev : this.off2;
    if (!order.length) return;
    const at = this.lowerBound(order, q, mode);
    for (let i = at - 1, n = 0; i >= 0 && n < k; i--, n++) {
      const r = order[i]!;
      const c = this.commonIn(q, r, mode);
      if (c < minCommon) break;
      out.push(r, c);
    }
    for (let i = at, n = 0; i < order.length && n < k; i++, n++) {
      const r = order[i]!;
      const c = this.commonIn(q, r, mode);
      if (c < minCommon) break;
      out.push(r, c);
    }
  }

  private commonIn(q: string, r: number, mode: 0 | 1 | 2): number {
    if (mode === 1) return this.common(q, r, true);
    const keys = this.keys;
    const s = this.rowOff[r]! + (mode === 2 ? this.skip2(r) : 0);
    const n = Math.min(q.length, this.rowOff[r + 1]! - s);
    let i = 0;
    while (i < n && q.charCodeAt(i) === keys.charCodeAt(s + i)) i++;
    return i;
  }

  /** Common prefix (or suffix) length of q and row r's key. */
  common(q: string, r: number, backward: boolean): number {
    const keys = this.keys;
    const s = this.rowOff[r]!;
    const e = this.rowOff[r + 1]!;
    const n = Math.min(q.length, e - s);
    let i = 0;
    if (backward) {
      while (i < n && q.charCodeAt(q.length - 1 - i) === keys.charCodeAt(e - 1 - i)) i++;
    } else {
      while (i < n && q.charCodeAt(i) === keys.charCodeAt(s + i)) i++;
    }
    return i;
  }

  /**
   * How much of q (from its start) row r's key covers when one edit (substitution, insertion,
   * deletion or swap of neighbours) is allowed: a cut title with a typo still covers all of q.
   */
  coverWithEdit(q: string, r: number): number {
    const keys = this.keys;
    const s = this.rowOff[r]!;
    const e = this.rowOff[r + 1]!;
    const lq = q.length;
    let i = 0;
    while (i < lq && s + i < e && q.charCodeAt(i) === keys.charCodeAt(s + i)) i++;
    if (i === lq || s + i === e) return i;
    let best = i;
    // Continue after a substitution, an insertion, a deletion or a swap of neighbours.
    for (let variant = 0; variant < 4; variant++) {
      let a = i + (variant === 1 ? 0 : 1);
      let b = s + i + (variant === 2 ? 0 : 1);
      if (variant === 3) {
        if (i + 1 >= lq || s + i + 1 >= e || q.charCodeAt(i) !== keys.charCodeAt(s + i + 1) || q.charCodeAt(i + 1) !== keys.charCodeAt(s + i)) continue;
        a = i + 2;
        b = s + i + 2;
      }
      while (a < lq && b < e && q.charCodeAt(a) === keys.charCodeAt(b)) {
        a++;
        b++;
      }
      if (a > best) best = a;
    }
    return best;
  }

  rowLength(r: number): number {
    return this.rowOff[r + 1]! - this.rowOff[r]!;
  }

  records(): SegmentRecord[] {
    const out: SegmentRecord[] = [];
    const byPaper: SegmentRecord[] = [];
    for (let p = 0; p < this.papers; p++) {
      const rec: SegmentRecord = { id: this.paperId(p), words: [], aliasKeys: [] };
      for (const f of this.paperExt(p).split('\t')) {
        if (f[0] === 'a') rec.arxiv = f.slice(1);
        else if (f[0] === 'd') rec.doi = f.slice(1);
        else if (f[0] === 'o') rec.openreview = f.slice(1);
        else if (f[0] === 'p') rec.pmid = f.slice(1);
      }
      const sig = this.abs.subarray(p * ABS_SIG, (p + 1) * ABS_SIG);
      if (sig[0]) rec.abs = sig.slice();
      byPaper.push(rec);
    }
    for (let r = 0; r < this.rows; r++) {
      const rec = byPaper[this.rowPaper[r]!]!;
      if (this.rowAlias[r]) rec.aliasKeys.push(this.rowKey(r));
      else rec.words = this.rowWords(r);
    }
    for (let p = 0; p < this.papers; p++) if (!this.dead[p]) out.push(byPaper[p]!);
    return out;
  }

  toParts(): Record<string, ArrayBuffer | string> {
    const arrays: Record<string, Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array> = {
      rowOff: this.rowOff, wordLens: this.wordLens, wordOff: this.wordOff, rowPaper: this.rowPaper,
      rowAlias: this.rowAlias, ends: this.ends, keyHash: this.keyHash, keySlot: this.keySlot, fwd: this.fwd, rev: this.rev,
      off2: this.off2, fwdPre: this.fwdPre, revPre: this.revPre, off2Pre: this.off2Pre, pidOff: this.pidOff, extOff: this.extOff, idHash: this.idHash, idSlot: this.idSlot, abs: this.abs,
    };
    const layout: Layout = {};
    let total = 0;
    for (const [name, a] of Object.entries(arrays)) {
      total = (total + 7) & ~7;
      const type = a instanceof Uint8Array ? 'u8' : a instanceof Uint16Array ? 'u16' : a instanceof Int32Array ? 'i32' : a instanceof Float64Array ? 'f64' : 'u32';
      layout[name] = [total, a.length, type];
      total += a.byteLength;
    }
    const buf = new ArrayBuffer(total);
    const bytes = new Uint8Array(buf);
    for (const [name, a] of Object.entries(arrays)) {
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), layout[name]![0]);
    }
    return {
      meta: JSON.stringify({ format: SEGMENT_FORMAT, layout, papers: this.papers, rows: this.rows }),
      arrays: buf,
      keys: this.keys,
      paperIds: this.paperIds,
      ext: this.ext,
    };
  }

  static fromParts(parts: Record<string, ArrayBuffer | Uint8Array | string>): Segment {
    const metaRaw = parts.meta;
    if (typeof metaRaw !== 'string') throw new Error('match index parts: "meta" is missing');
    const meta = JSON.parse(metaRaw) as { format: number; layout: Layout };
    if (meta.format !== SEGMENT_FORMAT) throw new Error(`match index parts: format ${meta.format}, expected ${SEGMENT_FORMAT}`);
    const raw = parts.arrays;
    if (raw === undefined || typeof raw === 'string') throw new Error('match index parts: "arrays" is missing');
    let buf: ArrayBuffer;
    if (raw instanceof Uint8Array) {
      // A view at an unaligned offset cannot back 64-bit arrays: copy it.
      buf = raw.byteOffset % 8 === 0 ? (raw.buffer as ArrayBuffer) : (raw.slice().buffer as ArrayBuffer);
    } else buf = raw;
    const base = raw instanceof Uint8Array && raw.byteOffset % 8 === 0 ? raw.byteOffset : 0;
    const seg = new Segment();
    const target = seg as unknown as Record<string, unknown>;
    for (const [name, [offset, length, type]] of Object.entries(meta.layout)) {
      target[name] = new CTORS[type](buf, base + offset, length);
    }
    for (const s of ['keys', 'paperIds', 'ext'] as const) {
      const v = parts[s];
      if (typeof v !== 'string') throw new Error(`match index parts: "${s}" is missing`);
      seg[s] = v;
    }
    if (seg.rowOff[seg.rows] !== seg.keys.length || seg.pidOff[seg.papers] !== seg.paperIds.length) {
      throw new Error('match index parts do not fit together');
    }
    seg.dead = new Uint8Array(seg.papers);
    return seg;
  }
}
