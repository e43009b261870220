/**
 * Full-text search over the corpus: titles and abstracts, ranked with BM25.
 *
 * The library page keeps one SearchIndex in memory. A full build of 100k papers with abstracts
 * stores the postings of every term in one CSR layout (byte offsets into one array of
 * gap-encoded postings, about 1.3 bytes each) instead of a Map of JS arrays: that is what keeps
 * 100k abstracts to about 15 MB, and what the popup and the library page read from IndexedDB
 * as is (toParts/fromParts: nothing to parse). Edits
 * after the build (a paper added, retitled, merged away) go to a small delta segment and a
 * tombstone bit, so a single change does not rebuild the index; `needsCompaction` says when a
 * rebuild is worth it.
 *
 * Ranking: query terms are ANDed softly — documents that contain more of the query's terms come
 * first, BM25 orders within that: title and abstract counts are length-normalized and saturated
 * (k1 = 1.2) per field, and the title's share weighs TITLE_WEIGHT times the abstract's, because a
 * word in the title says far more about a paper than the same word repeated in a long abstract. A posting packs the document number (24 bits) with both counts
 * (title ≤ 7, abstract ≤ 31: beyond that saturation makes no difference). The last query word is also
 * matched as a prefix (type-ahead), unless the query ends in a space.
 */

import { lowerBound, PackedIds, PackedStrings } from './packed';

export interface SearchDoc {
  id: string;
  title: string;
  abstract?: string;
}

export interface SearchHit {
  id: string;
  score: number;
  /** How many of the query's terms the paper contains. */
  matched: number;
}

export interface SearchOptions {
  /** Maximum number of hits (default 200). */
  limit?: number;
  /** Only papers for which this returns true (library filters). */
  filter?: (id: string) => boolean;
  /** Match the last query word as a prefix too (default true unless the query ends in whitespace). */
  prefix?: boolean;
}

const TITLE_WEIGHT = 2;
const B_TITLE = 0.5;
const K1 = 1.2;
const B = 0.75;
/** At most this many vocabulary terms stand in for one prefix, the most frequent first. */
const MAX_PREFIX_EXPANSION = 64;
/** Field counts are accumulated in one number: abstract in the low 16 bits, title above. */
const TITLE_UNIT = 1 << 16;

const STOP = new Set(
  'a an and are as at be by for from has in is it its of on or that the this to was were with via we our into than which these their can not'.split(
    ' ',
  ),
);

/**
 * Turns text into index terms: lower-case, diacritics folded, stop words dropped, a plural "s"
 * stripped. A hyphenated word yields the joined form and its parts ("pre-training" →
 * pretraining, pre, training) so both spellings find it; "model's" gives "model".
 *
 * A hand-written scanner rather than regex splits: tokenizing 100k abstracts is most of an
 * index build, and this is several times faster on ASCII text (non-ASCII letters take a slow
 * path per character).
 */
export function tokenize(text: string, keepStopWords = false): string[] {
  let s = text.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  const out: string[] = [];
  let parts: string[] = [];
  let start = -1;
  const endPart = (i: number): void => {
    if (start >= 0) parts.push(s.slice(start, i));
    start = -1;
  };
  const endWord = (): void => {
    if (parts.length === 1) pushTerm(out, parts[0]!, keepStopWords);
    else if (parts.length > 1) {
      pushTerm(out, parts.join(''), keepStopWords);
      for (const x of parts) pushTerm(out, x, keepStopWords);
    }
    if (parts.length) parts = [];
  };
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && isWordChar(s[i]!))) {
      if (start < 0) start = i;
    } else if (c === 45 || c === 95 || c === 0x2010 || c === 0x2011 || c === 0x2013) {
      // Hyphen or underscore: a part boundary inside one compound word.
      endPart(i);
    } else if (c === 39 || c === 0x2019) {
      // Apostrophe: "model's" → model; "don't" → dont (a compound of its parts).
      endPart(i);
      const next = s.charCodeAt(i + 1);
      const after = s.charCodeAt(i + 2);
      if (next === 115 && !(after >= 97 && after <= 122) && !(after >= 48 && after <= 57)) i++;
    } else {
      endPart(i);
      endWord();
    }
  }
  endPart(n);
  endWord();
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
function isWordChar(ch: string): boolean {
  return WORD_CHAR.test(ch);
}

function pushTerm(out: string[], w: string, keepStopWords: boolean): void {
  if (!keepStopWords && STOP.has(w)) return;
  out.push(stem(w));
}

function stem(w: string): string {
  // Plural "s" only: cheap, predictable, and enough for "transformers"/"transformer".
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) {
    return w.slice(0, -1);
  }
  return w;
}

interface Builder {
  /** Document ids by number, and numbers by id (dropped when the build finishes). */
  ids: string[];
  seen: Map<string, number>;
  /** Terms numbered as first met; renumbered in sorted order when the build finishes. */
  termNum: Map<string, number>;
  pairTerms: U32Buf;
  pairPost: U32Buf;
  titleLens: number[];
  absLens: number[];
  termCounts: number[];
  local: Map<number, number>;
}

/** Growable byte buffer: the base postings are encoded into it. */
class U8Buf {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  bytes(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Appends one term's postings (`doc << 8 | counts`, documents ascending) to `out`. Each posting
 * is a varint of (gap to the previous document − 1) × 2, whose low bit says whether a counts
 * byte follows; without one the counts are "once in the abstract", the commonest case. About
 * 1.7 bytes a posting instead of 4: the stored index is read (and structured-cloned) on every
 * popup and library page open, so its size is most of their search-ready time.
 */
function encodePostings(out: U8Buf, list: ArrayLike<number>, from: number, to: number): void {
  let prev = -1;
  for (let i = from; i < to; i++) {
    const p = list[i]!;
    const doc = p >>> 8;
    const c = p & 255;
    // Gaps are positive by construction (documents numbered in order); anything else is a bug
    // that would store garbage.
    if (doc <= prev) throw new Error('search index: postings out of order');
    let v = (doc - prev - 1) * 2 + (c === 1 ? 0 : 1);
    prev = doc;
    while (v >= 128) {
      out.push((v & 127) | 128);
      v >>>= 7;
    }
    out.push(v);
    if (c !== 1) out.push(c);
  }
}

/**
 * Decodes postings from `bytes[from..to)` into `out` as `doc << 8 | counts`; returns how many.
 * Damaged bytes give wrong numbers, never a hang or a throw (the varint is at most 4 bytes;
 * callers skip documents past the end).
 */
function decodePostings(bytes: Uint8Array, from: number, to: number, out: Uint32Array): number {
  let n = 0;
  let prev = -1;
  let i = from;
  while (i < to && n < out.length) {
    let b = bytes[i++]!;
    let v = b & 127;
    for (let shift = 7; b & 128 && shift < 28; shift += 7) {
      b = bytes[i++] ?? 0;
      v |= (b & 127) << shift;
    }
    const doc = prev + 1 + (v >>> 1);
    prev = doc;
    const c = v & 1 ? (bytes[i++] ?? 0) : 1;
    out[n++] = ((doc << 8) | c) >>> 0;
  }
  return n;
}

/** Growable Uint32 buffer: postings are collected here during a build. */
class U32Buf {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Bumped when the meaning of the persisted parts changes (tokenizer, posting layout, packing). */
export const SEARCH_PARTS_VERSION = 2;

/**
 * A SearchIndex as stored in IndexedDB (see `toParts`): strings packed with end offsets and the
 * id lookup stored as a hash table, so loading needs no JSON parse and no Map (lib/search/packed.ts).
 */
export interface SearchParts {
  version: number;
  /** Document ids by document number, concatenated; `idEnds[d]` is where id d ends. */
  ids: string;
  idEnds: Uint32Array;
  /** Hash table of document number + 1 by id (lib/search/packed.ts). */
  idTable: Uint32Array;
  /** The vocabulary, sorted, concatenated; term k's postings are bytes offsets[k]..offsets[k+1] of `postings`. */
  terms: string;
  termEnds: Uint32Array;
  offsets: Uint32Array;
  /** Encoded postings (see encodePostings). */
  postings: Uint8Array;
  /** Postings per term (document frequency). */
  dfs: Uint32Array;
  titleLens: Float32Array;
  absLens: Float32Array;
}

export class SearchIndex {
  /** Document ids by internal number: the base (built or loaded), then documents upserted since. */
  private baseIds: PackedIds = PackedIds.from([]);
  private moreIds: string[] = [];
  /** Numbers of the documents upserted since the base (the base's are found through its hash table). */
  private moreNum = new Map<string, number>();
  /** Documents numbered so far, removed ones included. */
  private count = 0;
  /** Title and abstract length (in terms) of each document. */
  private titleLens: Float32Array = new Float32Array(0);
  private absLens: Float32Array = new Float32Array(0);
  private totalTitle = 0;
  private totalAbs = 0;
  private live = 0;
  private dead: Uint8Array = new Uint8Array(0);
  private deadCount = 0;

  /** Base segment: sorted terms; the postings of term t are bytes offsets[t]..offsets[t+1] of `postings` (encodePostings), dfs[t] of them. */
  private baseTerms: PackedStrings = PackedStrings.from([]);
  /** Terms only the delta segment has, sorted. */
  private extraTerms: string[] = [];
  private offsets: Uint32Array = new Uint32Array(1);
  private postings: Uint8Array = new Uint8Array(0);
  private dfs: Uint32Array = new Uint32Array(0);
  /** Scratch for one base term's decoded postings. */
  private decoded: Uint32Array = new Uint32Array(0);
  /** Delta segment: postings of documents added after the build. */
  private delta = new Map<string, number[]>();
  private deltaDocs = 0;

  /** Scratch arrays reused across queries (sized to the document count). */
  private scores: Float64Array = new Float64Array(0);
  private hits: Uint8Array = new Uint8Array(0);
  private stamp: Uint32Array = new Uint32Array(0);
  private touched: Int32Array = new Int32Array(0);
  private stampGen = 0;

  static build(docs: Iterable<SearchDoc>): SearchIndex {
    const idx = new SearchIndex();
    idx.buildBase(docs);
    return idx;
  }

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.numOf(id) !== undefined;
  }

  /** True when edits since the build are large enough that a rebuild pays off. */
  get needsCompaction(): boolean {
    return this.deltaDocs > 2000 || this.deadCount > Math.max(2000, this.count / 4);
  }

  /** The live document number of `id`. */
  private numOf(id: string): number | undefined {
    const more = this.moreNum.get(id);
    if (more !== undefined) return more;
    const d = this.baseIds.indexOf(id);
    return d >= 0 && !this.dead[d] ? d : undefined;
  }

  private idAt(d: number): string {
    const base = this.baseIds.length;
    return d < base ? this.baseIds.get(d) : this.moreIds[d - base]!;
  }

  /** The base number of `term`. */
  private baseTerm(term: string): number | undefined {
    const k = lowerBound(this.baseTerms, term);
    return k < this.baseTerms.length && this.baseTerms.get(k) === term ? k : undefined;
  }

  private buildBase(docs: Iterable<SearchDoc>): void {
    const b = this.beginBuild();
    for (const doc of docs) this.addToBuild(b, doc);
    this.finishBuild(b);
  }

  /**
   * Builds the index a slice of documents at a time, yielding to the event loop between slices,
   * so a page can index 100k abstracts without freezing (tokenizing is most of the work; the
   * final sort into typed arrays is one short step).
   */
  static async buildAsync(
    docs: readonly SearchDoc[],
    options: { sliceMs?: number; onProgress?: (done: number, total: number) => void; signal?: { aborted: boolean } } = {},
  ): Promise<SearchIndex | undefined> {
    const idx = new SearchIndex();
    const b = idx.beginBuild();
    const sliceMs = options.sliceMs ?? 12;
    let i = 0;
    while (i < docs.length) {
      const t0 = performance.now();
      // At least one batch per slice, so any sliceMs makes progress.
      do {
        const end = Math.min(docs.length, i + 64);
        for (; i < end; i++) idx.addToBuild(b, docs[i]!);
      } while (i < docs.length && performance.now() - t0 < sliceMs);
      options.onProgress?.(i, docs.length);
      await new Promise((res) => setTimeout(res, 0));
      if (options.signal?.aborted) return undefined;
    }
    idx.finishBuild(b);
    return idx;
  }

  private beginBuild(): Builder {
    // Pass 1 collects one (term, doc<<8|counts) pair per distinct term per document.
    return {
      ids: [],
      seen: new Map<string, number>(),
      termNum: new Map<string, number>(),
      pairTerms: new U32Buf(1 << 16),
      pairPost: new U32Buf(1 << 16),
      titleLens: [],
      absLens: [],
      termCounts: [],
      local: new Map<number, number>(),
    };
  }

  private addToBuild(b: Builder, doc: SearchDoc): void {
    if (b.seen.has(doc.id)) return;
    const termNum = b.termNum;
    const n = b.ids.length;
    b.ids.push(doc.id);
    b.seen.set(doc.id, n);
    b.local.clear();
    const len = this.countTerms(doc, b.local, (term) => {
      let t = termNum.get(term);
      if (t === undefined) {
        t = b.termCounts.length;
        termNum.set(term, t);
        b.termCounts.push(0);
      }
      return t;
    });
    b.titleLens.push(len.title);
    b.absLens.push(len.abs);
    this.totalTitle += len.title;
    this.totalAbs += len.abs;
    for (const [t, tf] of b.local) {
      b.pairTerms.push(t);
      b.pairPost.push(pack(n, tf));
      b.termCounts[t]!++;
    }
  }

  private finishBuild(b: Builder): void {
    // Pass 2: counting sort of the pairs by term into the CSR arrays, terms renumbered in sorted
    // order (lookups are a binary search, no Map). Documents were visited in order, so each
    // term's postings come out sorted by document.
    const nTerms = b.termCounts.length;
    const sorted = [...b.termNum.keys()].toSorted();
    const rank = new Uint32Array(nTerms);
    sorted.forEach((term, k) => {
      rank[b.termNum.get(term)!] = k;
    });
    const starts = new Uint32Array(nTerms + 1);
    const dfs = new Uint32Array(nTerms);
    for (let k = 0; k < nTerms; k++) {
      dfs[k] = b.termCounts[b.termNum.get(sorted[k]!)!]!;
      starts[k + 1] = starts[k]! + dfs[k]!;
    }
    const fill = starts.slice(0, nTerms);
    const postings = new Uint32Array(b.pairTerms.length);
    for (let i = 0; i < b.pairTerms.length; i++) {
      const k = rank[b.pairTerms.data[i]!]!;
      postings[fill[k]!++] = b.pairPost.data[i]!;
    }
    const out = new U8Buf(Math.max(1024, postings.length * 2));
    const offsets = new Uint32Array(nTerms + 1);
    for (let k = 0; k < nTerms; k++) {
      encodePostings(out, postings, starts[k]!, starts[k + 1]!);
      offsets[k + 1] = out.length;
    }
    this.offsets = offsets;
    this.postings = out.bytes();
    this.dfs = dfs;
    this.baseTerms = PackedStrings.from(sorted);
    this.baseIds = PackedIds.from(b.ids);
    this.count = b.ids.length;
    this.titleLens = Float32Array.from(b.titleLens);
    this.absLens = Float32Array.from(b.absLens);
    this.dead = new Uint8Array(this.count);
    this.live = this.count;
    this.allocScratch();
  }

  private countTerms<K>(doc: SearchDoc, local: Map<K, number>, num: (term: string) => K): { title: number; abs: number } {
    const len = { title: 0, abs: 0 };
    for (const term of tokenize(doc.title)) {
      const t = num(term);
      local.set(t, (local.get(t) ?? 0) + TITLE_UNIT);
      len.title++;
    }
    if (doc.abstract) {
      for (const term of tokenize(doc.abstract)) {
        const t = num(term);
        local.set(t, (local.get(t) ?? 0) + 1);
        len.abs++;
      }
    }
    return len;
  }

  private allocScratch(): void {
    const n = this.count;
    if (this.scores.length >= n) return;
    const cap = Math.max(n, Math.ceil(this.scores.length * 1.5), 64);
    this.scores = new Float64Array(cap);
    this.hits = new Uint8Array(cap);
    this.stamp = new Uint32Array(cap);
  }

  /**
   * The index as a few flat parts (typed arrays and two JSON strings) for IndexedDB, so a page
   * can load it instead of tokenizing every abstract again. Edits since the build are folded in:
   * removed papers are dropped and documents renumbered, the delta joins the base postings, and
   * terms are numbered in sorted order (the vocabulary needs no sort on load).
   */
  toParts(): SearchParts {
    const n = this.count;
    const renum = new Int32Array(n).fill(-1);
    const ids: string[] = [];
    const titleLens: number[] = [];
    const absLens: number[] = [];
    for (let d = 0; d < n; d++) {
      if (this.dead[d]) continue;
      renum[d] = ids.length;
      ids.push(this.idAt(d));
      titleLens.push(this.titleLens[d]!);
      absLens.push(this.absLens[d]!);
    }
    // Each term's live postings, renumbered (base then delta: documents stay ascending), encoded.
    const terms: string[] = [];
    const dfs: number[] = [];
    const offsets: number[] = [0];
    const out = new U8Buf(Math.max(1024, this.postings.length));
    let list = new Uint32Array(64);
    for (const term of this.allTerms()) {
      const t = this.baseTerm(term);
      const dl = this.delta.get(term);
      const need = (t === undefined ? 0 : this.dfs[t]!) + (dl?.length ?? 0);
      if (list.length < need) list = new Uint32Array(need * 2);
      let c = 0;
      const keep = (p: number): void => {
        const d = renum[p >>> 8]!;
        if (d >= 0) list[c++] = ((d << 8) | (p & 255)) >>> 0;
      };
      if (t !== undefined) {
        const base = this.baseList(t);
        for (let i = 0; i < base.length; i++) keep(base[i]!);
      }
      if (dl) for (const p of dl) keep(p);
      if (c === 0) continue;
      encodePostings(out, list, 0, c);
      terms.push(term);
      dfs.push(c);
      offsets.push(out.length);
    }
    const packedIds = PackedIds.from(ids);
    const packedTerms = PackedStrings.from(terms);
    return {
      version: SEARCH_PARTS_VERSION,
      ids: packedIds.strings.text,
      idEnds: packedIds.strings.ends,
      idTable: packedIds.table,
      terms: packedTerms.text,
      termEnds: packedTerms.ends,
      offsets: Uint32Array.from(offsets),
      postings: out.bytes(),
      dfs: Uint32Array.from(dfs),
      titleLens: Float32Array.from(titleLens),
      absLens: Float32Array.from(absLens),
    };
  }

  /**
   * The index from `toParts()`, using the parts' arrays as they are (nothing is parsed or put in
   * a Map: a 100k-paper index loads in about a millisecond). Throws on parts of another format,
   * wrong types or inconsistent sizes.
   */
  static fromParts(parts: SearchParts): SearchIndex {
    if (typeof parts !== 'object' || parts === null) throw new Error('search index parts: not an object');
    if (parts.version !== SEARCH_PARTS_VERSION) throw new Error(`search index parts v${String(parts.version)}, expected v${SEARCH_PARTS_VERSION}`);
    const { ids, idEnds, idTable, terms, termEnds, offsets, postings, dfs, titleLens, absLens } = parts;
    if (typeof ids !== 'string' || typeof terms !== 'string' || !(idEnds instanceof Uint32Array) || !(idTable instanceof Uint32Array) || !(termEnds instanceof Uint32Array)) {
      throw new Error('search index parts: wrong types');
    }
    if (!(offsets instanceof Uint32Array) || !(postings instanceof Uint8Array) || !(dfs instanceof Uint32Array) || !(titleLens instanceof Float32Array) || !(absLens instanceof Float32Array)) {
      throw new Error('search index parts: wrong types');
    }
    const n = idEnds.length;
    const nTerms = termEnds.length;
    if (offsets.length !== nTerms + 1 || dfs.length !== nTerms || offsets[0] !== 0 || offsets[nTerms] !== postings.length || titleLens.length !== n || absLens.length !== n || n >= DOC_SCALE) {
      throw new Error('search index parts: sizes disagree');
    }
    for (let k = 0; k < nTerms; k++) if (offsets[k]! > offsets[k + 1]!) throw new Error('search index parts: offsets out of order');
    const packedIds = new PackedStrings(ids, idEnds);
    packedIds.check('ids');
    const packedTerms = new PackedStrings(terms, termEnds);
    packedTerms.check('terms');
    const idx = new SearchIndex();
    idx.baseIds = new PackedIds(packedIds, idTable);
    idx.count = n;
    idx.baseTerms = packedTerms;
    idx.offsets = offsets;
    idx.postings = postings;
    idx.dfs = dfs;
    idx.titleLens = titleLens;
    idx.absLens = absLens;
    for (let d = 0; d < n; d++) {
      idx.totalTitle += titleLens[d]!;
      idx.totalAbs += absLens[d]!;
    }
    idx.dead = new Uint8Array(n);
    idx.live = n;
    idx.allocScratch();
    return idx;
  }

  /** Adds a paper, or replaces its indexed text when it is already there. */
  upsert(doc: SearchDoc): void {
    this.remove(doc.id);
    const n = this.count++;
    this.moreIds.push(doc.id);
    this.moreNum.set(doc.id, n);
    const local = new Map<string, number>();
    const len = this.countTerms(doc, local, (term) => term);
    for (const [term, tf] of local) {
      let list = this.delta.get(term);
      if (!list) {
        list = [];
        this.delta.set(term, list);
        if (this.baseTerm(term) === undefined) insertSorted(this.extraTerms, term);
      }
      list.push(pack(n, tf));
    }
    if (this.titleLens.length <= n) {
      const cap = Math.max(n + 1, Math.ceil(this.titleLens.length * 1.5), 64);
      this.titleLens = grow(this.titleLens, cap);
      this.absLens = grow(this.absLens, cap);
      const nextDead = new Uint8Array(cap);
      nextDead.set(this.dead);
      this.dead = nextDead;
    }
    this.titleLens[n] = len.title;
    this.absLens[n] = len.abs;
    this.totalTitle += len.title;
    this.totalAbs += len.abs;
    this.live++;
    this.deltaDocs++;
    this.allocScratch();
  }

  /** Removes a paper (tombstone); a no-op for an unknown id. */
  remove(id: string): void {
    const n = this.numOf(id);
    if (n === undefined) return;
    this.moreNum.delete(id);
    if (this.dead[n]) return;
    this.dead[n] = 1;
    this.deadCount++;
    this.live--;
    this.totalTitle -= this.titleLens[n]!;
    this.totalAbs -= this.absLens[n]!;
  }

  /** Every term of the base and the delta, sorted. */
  private allTerms(): string[] {
    const base: string[] = [];
    for (let k = 0; k < this.baseTerms.length; k++) base.push(this.baseTerms.get(k));
    return this.extraTerms.length ? mergeSorted(base, this.extraTerms) : base;
  }

  /** The vocabulary terms starting with `prefix`, most frequent first, at most MAX_PREFIX_EXPANSION. */
  private expand(prefix: string, max = MAX_PREFIX_EXPANSION): string[] {
    const base: string[] = [];
    const terms = this.baseTerms;
    for (let i = lowerBound(terms, prefix); i < terms.length; i++) {
      const t = terms.get(i);
      if (!t.startsWith(prefix)) break;
      base.push(t);
    }
    const extra = this.extraTerms;
    let lo = 0;
    let hi = extra.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (extra[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const more: string[] = [];
    for (let i = lo; i < extra.length && extra[i]!.startsWith(prefix); i++) more.push(extra[i]!);
    const out = more.length ? mergeSorted(base, more) : base;
    if (out.length <= max) return out;
    const dfs = new Map(out.map((t) => [t, this.df(t)]));
    return out.toSorted((a, b) => dfs.get(b)! - dfs.get(a)!).slice(0, max);
  }

  private df(term: string): number {
    const t = this.baseTerm(term);
    const base = t === undefined ? 0 : this.dfs[t]!;
    return base + (this.delta.get(term)?.length ?? 0);
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(1, options.limit ?? 200);
    const usePrefix = options.prefix ?? !/\s$/.test(query);
    let terms = [...new Set(tokenize(query))];
    // A query of only stop words ("the") still searches for them rather than returning nothing.
    if (terms.length === 0) terms = [...new Set(tokenize(query, true))];
    if (terms.length === 0 || this.live === 0) return [];
    if (this.touched.length < this.count) this.touched = new Int32Array(this.scores.length);

    // Last word typed: its exact term and, for type-ahead, the terms it is a prefix of. Short
    // prefixes expand to fewer (the most frequent) terms: "re" would otherwise mean hundreds.
    const lastRaw = usePrefix ? lastWord(query) : undefined;
    let nt = 0;
    for (let qi = 0; qi < terms.length; qi++) {
      const term = terms[qi]!;
      const expandTo = lastRaw && qi === terms.length - 1 && lastRaw.length >= 2 ? (lastRaw.length <= 2 ? 8 : lastRaw.length === 3 ? 24 : MAX_PREFIX_EXPANSION) : 0;
      const variants = expandTo ? unique([term, ...this.expand(lastRaw!, expandTo)]) : [term];
      const gen = ++this.stampGen;
      for (const v of variants) {
        const df = this.df(v);
        if (df === 0) continue;
        // BM25+ style idf floor keeps very common words from scoring negative.
        const idf = Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
        // An expansion ranks a bit below the exact word the user may still be typing.
        const weight = v === term ? idf : idf * 0.8;
        const t = this.baseTerm(v);
        if (t !== undefined) {
          const list = this.baseList(t);
          nt = this.accumulate(list, 0, list.length, weight, gen, nt);
        }
        const dl = this.delta.get(v);
        if (dl) nt = this.accumulate(dl, 0, dl.length, weight, gen, nt);
      }
    }
    // Stamps can wrap after 4 billion queries; reset them all long before that.
    if (this.stampGen > 0xfffffff0) {
      this.stamp.fill(0);
      this.stampGen = 0;
    }
    return this.topK(nt, limit, options.filter);
  }

  /** Base term t's postings, decoded into a scratch array (valid until the next call). */
  private baseList(t: number): Uint32Array {
    const df = this.dfs[t]!;
    if (this.decoded.length < df) this.decoded = new Uint32Array(Math.max(df, this.decoded.length * 2, 1024));
    const n = decodePostings(this.postings, this.offsets[t]!, this.offsets[t + 1]!, this.decoded.subarray(0, df));
    return this.decoded.subarray(0, n);
  }

  /** Adds one term's postings to the scores; returns the new number of touched documents. */
  private accumulate(list: ArrayLike<number>, from: number, to: number, weight: number, gen: number, nt: number): number {
    const { scores, hits, stamp, dead, titleLens, absLens, touched, count } = this;
    const avgTitle = this.totalTitle / this.live || 1;
    const avgAbs = this.totalAbs / this.live || 1;
    const k1w = weight * (K1 + 1);
    for (let i = from; i < to; i++) {
      const p = list[i]!;
      const d = p >>> 8;
      // Past the end only in damaged parts: skipped rather than scored as a paper without an id.
      if (d >= count || dead[d]) continue;
      const tt = (p >>> 5) & 7;
      const ta = p & 31;
      // Each field saturates on its own, then the title's share is weighted: a word repeated
      // ten times in an abstract cannot outweigh the same word in the title.
      const ft = tt ? tt / (1 - B_TITLE + (B_TITLE * titleLens[d]!) / avgTitle) : 0;
      const fa = ta ? ta / (1 - B + (B * absLens[d]!) / avgAbs) : 0;
      const s = (ft ? (TITLE_WEIGHT * ft) / (ft + K1) : 0) + (fa ? fa / (fa + K1) : 0);
      if (hits[d] === 0) touched[nt++] = d;
      scores[d]! += k1w * s;
      if (stamp[d] !== gen) {
        stamp[d] = gen;
        hits[d]!++;
      }
    }
    return nt;
  }

  /**
   * The best `limit` touched documents by (matched terms, score), resetting the scratch arrays.
   * Each candidate becomes one sortable double — matched (3 bits), quantized score (28 bits),
   * inverted document number (21 bits) — so selection is a quickselect plus a sort of the top
   * only, with no object per candidate: a common word touches most of 100k documents.
   */
  private topK(nt: number, limit: number, filter: ((id: string) => boolean) | undefined): SearchHit[] {
    const { scores, hits, stamp, touched } = this;
    const keys = new Float64Array(nt);
    for (let k = 0; k < nt; k++) {
      const d = touched[k]!;
      const m = hits[d]!;
      const q = Math.min(Math.floor(scores[d]! * 65536), SCORE_MAX);
      scores[d] = 0;
      hits[d] = 0;
      stamp[d] = 0;
      keys[k] = (Math.min(m, 7) * (SCORE_MAX + 1) + q) * DOC_SCALE + (DOC_SCALE - 1 - d);
    }
    // The filter (library filters: a map lookup per paper) runs on candidates best first, a chunk
    // at a time, so a common word costs `limit`-ish filter calls rather than one per document.
    const out: SearchHit[] = [];
    let end = nt;
    let chunk = filter ? Math.min(nt, limit * 2) : Math.min(nt, limit);
    while (end > 0 && out.length < limit) {
      const region = keys.subarray(0, end);
      if (chunk < end) selectLargest(region, chunk);
      const top = region.subarray(end - Math.min(chunk, end));
      top.sort();
      for (let k = top.length - 1; k >= 0 && out.length < limit; k--) {
        const key = top[k]!;
        const d = DOC_SCALE - 1 - (key % DOC_SCALE);
        const id = this.idAt(d);
        if (filter && !filter(id)) continue;
        const rest = Math.floor(key / DOC_SCALE);
        out.push({ id, score: (rest % (SCORE_MAX + 1)) / 65536, matched: Math.floor(rest / (SCORE_MAX + 1)) });
      }
      end -= top.length;
      chunk *= 2;
    }
    return out;
  }
}

const SCORE_MAX = 2 ** 28 - 1;
/** Document numbers must stay below 2^21 (2M papers) for the packed sort keys. */
const DOC_SCALE = 2 ** 21;

/** Rearranges `a` so its `k` largest values are at the end (quickselect, Hoare partitions). */
function selectLargest(a: Float64Array, k: number): void {
  const target = a.length - k;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot.
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

function pack(doc: number, counts: number): number {
  const title = Math.min(Math.floor(counts / TITLE_UNIT), 7);
  const abs = Math.min(counts % TITLE_UNIT, 31);
  return ((doc << 8) | (title << 5) | abs) >>> 0;
}

function grow(a: Float32Array, cap: number): Float32Array {
  const next = new Float32Array(cap);
  next.set(a);
  return next;
}


/** The raw last word of the query (unstemmed: "transformers" must still prefix-match itself). */
function lastWord(query: string): string | undefined {
  const raw = query.trim().split(/\s+/).pop();
  if (!raw) return undefined;
  let s = raw.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  const cleaned = s.replace(/[^\p{L}\p{N}]+/gu, '');
  return cleaned || undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

function insertSorted(arr: string[], v: string): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  if (arr[lo] !== v) arr.splice(lo, 0, v);
}
