/**
 * The incremental duplicate finder: a blocking index over the corpus, kept in memory, that
 * compares one new or changed paper with the others in about a millisecond instead of clustering
 * the whole corpus again. It uses the full scan's own blocking and comparison (lib/dedupe/dedupe.ts:
 * keys and ids, the rarest title words, abstract shingles, then `judge`), so a corpus fed to it
 * paper by paper yields the full scan's pairs (tests/dedupe-incremental.test.ts checks it on
 * generated corpora with planted duplicates).
 *
 * Two differences, both deliberate:
 * - Title candidates are looked up from the new paper's side only (the full scan also lets every
 *   older paper pick the new one among its 16 best): looking from every side would re-query the
 *   neighbours of each paper at each write.
 * - Abstract shingles are indexed for a fixed half of the hash space only (a Map of every shingle
 *   at 100k abstracts holds ~15M keys, past what one V8 Map takes). Pairs worth proposing share at
 *   least a third of their shingles, so a pair with ≥ 20 shared shingles is missed with odds
 *   below 1e-6; the overlap is then counted exactly over all shingles.
 */
import type { Paper } from '../model/types';
import {
  abstractsOverlap,
  blockKeys,
  contentWords,
  judge,
  KEY_GROUP_MAX,
  makeRec,
  MIN_SHINGLES,
  SHINGLE_MAX_DF,
  titlesAlike,
  topByCount,
  WORD_MAX_DF,
  WORD_SCAN_BUDGET,
  wordNeighbours,
  type DuplicatePair,
  type Rec,
} from './dedupe';

const SHARDS = 16;

/** Shingles whose hash is even are indexed (see the module comment). */
const sampled = (h: number): boolean => (h & 1) === 0;

interface Entry {
  rec: Rec;
  keys: string[];
  words: string[];
}

function removeFrom(list: number[] | undefined | null, slot: number): void {
  if (!list) return;
  const at = list.indexOf(slot);
  if (at >= 0) list.splice(at, 1);
}

export class BlockingIndex {
  private entries: (Entry | undefined)[] = [];
  private slots = new Map<string, number>();
  private keyPost = new Map<string, number[]>();
  private wordPost = new Map<string, number[]>();
  /**
   * Sampled shingle → records: one record number as is (most shingles are in one abstract: no
   * array per shingle, millions of them at 100k), an array for more, null once it is common
   * phrasing (more than SHINGLE_MAX_DF records).
   */
  private shPost: Map<number, number | number[] | null>[] = Array.from({ length: SHARDS }, () => new Map());
  private scratch = new Uint8Array(1024);

  constructor(private readonly maxVerify = 16) {}

  get size(): number {
    return this.slots.size;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Indexes a paper without comparing it (merged-away records are left out). */
  add(paper: Paper): void {
    if (paper.mergedInto) return;
    if (this.slots.has(paper.id)) this.remove(paper.id);
    const slot = this.entries.length;
    const rec = makeRec(paper);
    const entry: Entry = { rec, keys: [...new Set(blockKeys(paper, rec.key))], words: contentWords(rec) };
    this.entries.push(entry);
    this.slots.set(paper.id, slot);
    if (this.scratch.length <= slot) {
      const grown = new Uint8Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    for (const k of entry.keys) push(this.keyPost, k, slot);
    for (const w of entry.words) push(this.wordPost, w, slot);
    if (rec.sh.size >= MIN_SHINGLES) {
      for (const h of rec.sh) {
        if (!sampled(h)) continue;
        const shard = this.shPost[h % SHARDS]!;
        const l = shard.get(h);
        if (l === null) continue;
        if (l === undefined) shard.set(h, slot);
        else if (typeof l === 'number') shard.set(h, [l, slot]);
        else if (l.length >= SHINGLE_MAX_DF) shard.set(h, null);
        else l.push(slot);
      }
    }
  }

  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const e = this.entries[slot]!;
    for (const k of e.keys) removeFrom(this.keyPost.get(k), slot);
    for (const w of e.words) removeFrom(this.wordPost.get(w), slot);
    for (const h of e.rec.sh) {
      if (!sampled(h)) continue;
      const shard = this.shPost[h % SHARDS]!;
      const l = shard.get(h);
      if (l === slot) shard.delete(h);
      else if (typeof l === 'object') removeFrom(l, slot);
    }
    this.entries[slot] = undefined;
    this.slots.delete(id);
  }

  /** The proposed pairs between an indexed paper and the other indexed papers. */
  pairsOf(id: string): DuplicatePair[] {
    const i = this.slots.get(id);
    if (i === undefined) return [];
    const self = this.entries[i]!;
    const cand = new Map<number, Set<string>>();
    const add = (j: number, source: string): void => {
      if (j === i || !this.entries[j]) return;
      let s = cand.get(j);
      if (!s) cand.set(j, (s = new Set()));
      s.add(source);
    };
    // 1 + 2: keys, aliases, ids.
    for (const k of self.keys) {
      const l = this.keyPost.get(k);
      if (!l || l.length < 2 || l.length > KEY_GROUP_MAX) continue;
      for (const j of l) add(j, 'key');
    }
    // 3: titles through the rarest words, verified.
    const post = (w: string) => this.wordPost.get(w);
    for (const j of wordNeighbours(i, [...self.words], post, this.scratch, this.maxVerify)) {
      if (titlesAlike(self.rec, this.entries[j]!.rec)) add(j, 'title');
    }
    // The other direction: an older paper whose own rarest words would pick this one (the full
    // scan looks from both sides). Its likeliest such papers share the most words with this one.
    for (const j of this.mostSharedWords(i, self.words)) {
      if (cand.get(j)?.has('title')) continue;
      const o = this.entries[j]!;
      if (!titlesAlike(self.rec, o.rec)) continue;
      if (wordNeighbours(j, [...o.words], post, this.scratch, this.maxVerify).includes(i)) add(j, 'title');
    }
    // 4: abstracts sharing a sampled shingle, then counted exactly.
    if (self.rec.sh.size >= MIN_SHINGLES) {
      const seen = new Map<number, number>();
      for (const h of self.rec.sh) {
        if (!sampled(h)) continue;
        const l = this.shPost[h % SHARDS]!.get(h);
        if (l === null || l === undefined || typeof l === 'number') continue;
        for (const j of l) if (j !== i) seen.set(j, (seen.get(j) ?? 0) + 1);
      }
      for (const [j, n] of seen) {
        const o = this.entries[j]!.rec;
        // Worth counting exactly only when the sampled overlap is near a third of the smaller
        // abstract's sampled half (a shared stock phrase or two is not).
        if (n * 12 < Math.min(self.rec.sh.size, o.sh.size)) continue;
        let shared = 0;
        for (const h of self.rec.sh) if (o.sh.has(h)) shared++;
        if (abstractsOverlap(shared, self.rec, o)) add(j, 'abstract');
      }
    }
    const out: DuplicatePair[] = [];
    for (const [j, via] of cand) {
      const o = this.entries[j]!.rec;
      // The smaller id first, so a pair reads the same whichever paper arrived last.
      const [x, y] = self.rec.paper.id < o.paper.id ? [self.rec, o] : [o, self.rec];
      const pair = judge(x, y, via);
      if (pair) out.push(pair);
    }
    return out;
  }

  /** The records sharing the most of `words` (each word held by ≤ WORD_MAX_DF records), at most maxVerify. */
  private mostSharedWords(self: number, words: string[]): number[] {
    const counts = new Map<number, number>();
    let scanned = 0;
    for (const w of words) {
      const l = this.wordPost.get(w);
      if (!l || l.length > WORD_MAX_DF || scanned + l.length > 2 * WORD_SCAN_BUDGET) continue;
      scanned += l.length;
      for (const j of l) if (j !== self) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    return topByCount(counts, this.maxVerify).map(([j]) => j);
  }

  /**
   * Replaces what the index knows of paper `id` (undefined: deleted) and returns its pairs with
   * the other papers: what a write of that paper changes in the candidates.
   */
  upsert(id: string, paper: Paper | undefined): DuplicatePair[] {
    this.remove(id);
    if (!paper || paper.mergedInto) return [];
    this.add(paper);
    return this.pairsOf(id);
  }
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
