/**
 * The match index: decides for a listing entry whether the paper is in the corpus.
 *
 * Order of evidence, cheapest and surest first:
 *  1. identifiers (arXiv id, DOI, OpenReview id, PMID) — exact, and learned from sightings;
 *  2. the normalized title key (lib/model/normalize.ts), plus alias keys of confirmed page titles;
 *  3. a title cut short ("…"): the papers whose key starts with the cut key — one is a match,
 *     several are a "maybe";
 *  4. fuzzy: a few neighbours of the query in sorted key orders (segment.ts), each checked word by
 *     word (verify.ts) so that typos match and near-misses (D4RL/D5RL, NeoRL/NeoRL-2, Kimi
 *     k1.5/k2, sequels, versions, one changed word) do not. Ties and one-word differences are a
 *     "maybe"; an abstract snippet, when the page shows one, breaks ties.
 *
 * Storage: one compact, immutable base segment (typed arrays + a few strings, see toParts) and a
 * small delta segment for papers added or changed since; the delta is folded into the base when
 * it grows, or when the index is persisted.
 */
import type { MatchStatus, PaperIds } from '../model/types';
import { normalizeArxivId, normalizeDoi, normalizePmid } from '../model/ids';
import { normalizeTitle, type NormalizedTitle } from '../model/normalize';
import { ABS_SIG, Segment, abstractShingles, abstractSignature, type SegmentRecord } from './segment';
import { verify, type Verdict } from './verify';
import { Vocabulary, type WordSet } from './words';
import { titlesAgree } from './same-title';

export interface IndexedPaper {
  id: string;
  title: string;
  arxivId?: string;
  doi?: string;
  openreviewId?: string;
  pmid?: string;
  aliasKeys?: string[];
  abstract?: string;
}

export interface MatchQuery {
  title: string;
  ids?: PaperIds;
  abstract?: string;
}

export interface MatchResult {
  status: MatchStatus;
  paperId?: string;
  /** best candidates, for "maybe" UI */
  candidates: { paperId: string; score: number }[];
  reason: string;
  /** What the verdict rests on, strongest first (one page, one claim: lib/match/claims.ts). */
  evidence?: Evidence;
}

/** Kinds of evidence, strongest first. */
export const EVIDENCE = ['id', 'key', 'alias', 'cut', 'fuzzy'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface MatchOptions {
  /** Neighbours taken on each side of the query in each sorted order. */
  window?: number;
  /** An English dictionary: with the corpus's own words, it tells a typo from a real-word edit. */
  english?: WordSet;
  /** false: typos are judged by spelling alone, as before real-word edits were told apart (benchmarks compare). */
  realWords?: boolean;
}

/** Words of a title with hyphenated compounds split too ("Offline-to-Online" → offline, to, online). */
export function titlePieces(title: string): string[] {
  return normalizeTitle(String(title ?? '').replace(/[-‐‑‒–—―−_/]/g, ' ')).words;
}

/**
 * A cut title matches on its own only when what is left is specific: 20 characters of key, or
 * 3 complete words and 15 characters ("Learning to Rea…" is not enough).
 */
function cutTooShort(nt: NormalizedTitle): boolean {
  if (nt.key.length >= 20) return false;
  return nt.key.length < 15 || nt.words.length - 1 < 3;
}
const MAX_CANDIDATES = 5;

interface Cand {
  seg: Segment;
  p: number;
  paperId: string;
  v: Verdict;
  cost: number;
  score: number;
}

function toRecord(paper: IndexedPaper): SegmentRecord {
  const rec: SegmentRecord = {
    id: String(paper.id),
    words: normalizeTitle(paper.title ?? '').words,
    aliasKeys: [],
  };
  for (const a of paper.aliasKeys ?? []) {
    // Alias keys are stored keys; normalizing again is a no-op for them and cleans anything else.
    const k = normalizeTitle(String(a)).key;
    if (k && !rec.aliasKeys.includes(k)) rec.aliasKeys.push(k);
  }
  const arxiv = paper.arxivId ? normalizeArxivId(paper.arxivId) : undefined;
  if (arxiv) rec.arxiv = arxiv;
  const doi = paper.doi ? normalizeDoi(paper.doi) : undefined;
  if (doi) rec.doi = doi;
  if (paper.openreviewId) rec.openreview = String(paper.openreviewId).trim();
  const pmid = paper.pmid ? normalizePmid(String(paper.pmid)) : undefined;
  if (pmid) rec.pmid = pmid;
  const abs = abstractSignature(paper.abstract);
  if (abs) rec.abs = abs;
  return rec;
}

function costOf(v: Verdict): number {
  return v.small + 100 * v.content + 10000 * v.hard;
}

function scoreOf(v: Verdict): number {
  return Math.max(0, Math.round((1 - 0.04 * v.small - 0.25 * v.content - 0.35 * v.hard) * 1000) / 1000);
}

/** Per-query lazily computed abstract shingles. */
class QueryAbstract {
  private set?: Set<number>;
  constructor(private readonly text: string | undefined) {}
  get present(): boolean {
    return !!this.text && this.shingles.size >= 4;
  }
  get shingles(): Set<number> {
    this.set ??= new Set(this.text ? abstractShingles(this.text) : []);
    return this.set;
  }
  /** 1 = the paper's abstract starts like the snippet, -1 = clearly different, 0 = unknown. */
  compare(seg: Segment, p: number): -1 | 0 | 1 {
    if (!this.present) return 0;
    const sig = seg.abs.subarray(p * ABS_SIG, (p + 1) * ABS_SIG);
    let n = 0;
    let hits = 0;
    for (let i = 0; i < ABS_SIG; i++) {
      const h = sig[i]!;
      if (!h) break;
      n++;
      if (this.shingles.has(h)) hits++;
    }
    if (n < 4) return 0;
    const usable = Math.min(n, this.shingles.size);
    if (hits >= Math.max(4, Math.ceil(usable * 0.6))) return 1;
    if (hits === 0 && usable >= 8) return -1;
    return 0;
  }
}

export class MatchIndex {
  private base: Segment;
  private delta = new Map<string, SegmentRecord>();
  private deltaSeg: Segment | undefined;
  private baseLive: number;
  private readonly window: number;
  /** Corpus words + English: real-word edits are word changes, not typos. */
  readonly words: Vocabulary;
  /** The vocabulary the word checks use (undefined: spelling alone). */
  private readonly check: Vocabulary | undefined;

  private constructor(base: Segment, options: MatchOptions = {}, words?: Vocabulary) {
    this.base = base;
    this.baseLive = base.papers;
    this.window = options.window ?? 4;
    this.words = words ?? new Vocabulary(options.english);
    this.check = options.realWords === false ? undefined : this.words;
  }

  static build(papers: Iterable<IndexedPaper>, options?: MatchOptions): MatchIndex {
    const byId = new Map<string, SegmentRecord>();
    const words = new Vocabulary(options?.english);
    for (const p of papers) {
      if (!p || p.id === undefined || p.id === null) continue;
      const rec = toRecord(p);
      byId.set(rec.id, rec);
      const pieces = titlePieces(p.title);
      words.addWords(pieces);
      words.addCompounds(rec.words, pieces);
      if (p.abstract) words.addText(p.abstract);
    }
    words.dropSeenOnce();
    return new MatchIndex(Segment.build([...byId.values()]), options, words);
  }

  get size(): number {
    return this.baseLive + this.delta.size;
  }

  /** Adds a paper, or replaces it (a paper that learned an id or alias). */
  add(paper: IndexedPaper): void {
    const rec = toRecord(paper);
    const pieces = titlePieces(paper.title);
    this.words.addWords(pieces);
    this.words.addCompounds(rec.words, pieces);
    if (paper.abstract) this.words.addText(paper.abstract);
    this.hideInBase(rec.id);
    this.delta.set(rec.id, rec);
    this.deltaSeg = undefined;
    // The delta segment is rebuilt on the next query, so it is kept small (a few ms to rebuild):
    // past 1/64 of the base, it is folded into the base (sorting, no re-normalizing).
    if (this.delta.size > Math.max(500, this.baseLive >> 6)) this.compact();
  }

  /**
   * Adds many papers, folding the delta into the base at most once, and only when the delta
   * outgrows a quarter of the base: a bulk import adds thousands at a time, and folding at the
   * usual small threshold would re-sort the whole index every few hundred papers.
   */
  addMany(papers: Iterable<IndexedPaper>): void {
    for (const paper of papers) {
      const rec = toRecord(paper);
      this.words.addWords(titlePieces(paper.title));
      if (paper.abstract) this.words.addText(paper.abstract);
      this.hideInBase(rec.id);
      this.delta.set(rec.id, rec);
    }
    this.deltaSeg = undefined;
    if (this.delta.size > Math.max(500, this.baseLive >> 2)) this.compact();
  }

  remove(paperId: string): void {
    this.hideInBase(paperId);
    if (this.delta.delete(paperId)) this.deltaSeg = undefined;
  }

  private hideInBase(paperId: string): void {
    const p = this.base.indexOf(paperId);
    if (p >= 0 && !this.base.dead[p]) {
      this.base.dead[p] = 1;
      this.baseLive--;
    }
  }

  /** Folds the delta and removals into a fresh base (no title is normalized again). */
  compact(): void {
    if (!this.delta.size && this.baseLive === this.base.papers) return;
    const recs = this.base.records();
    for (const r of this.delta.values()) recs.push(r);
    this.base = Segment.build(recs);
    this.baseLive = this.base.papers;
    this.delta.clear();
    this.deltaSeg = undefined;
  }

  private segments(): Segment[] {
    if (!this.delta.size) return [this.base];
    this.deltaSeg ??= Segment.build([...this.delta.values()]);
    return [this.base, this.deltaSeg];
  }

  match(q: MatchQuery): MatchResult {
    return this.matchIn(this.segments(), q);
  }

  matchMany(qs: MatchQuery[]): MatchResult[] {
    const segs = this.segments();
    const out: MatchResult[] = [];
    for (const q of qs) out.push(this.matchIn(segs, q));
    return out;
  }

  private matchIn(segs: Segment[], q: MatchQuery): MatchResult {
    const ids = q?.ids ?? {};
    const tagged: [string, string][] = [];
    if (ids.arxiv) {
      const a = normalizeArxivId(String(ids.arxiv));
      if (a) tagged.push(['a' + a, 'arXiv id']);
    }
    if (ids.doi) {
      const d = normalizeDoi(String(ids.doi));
      if (d) tagged.push(['d' + d, 'DOI']);
    }
    if (ids.openreview) tagged.push(['o' + String(ids.openreview).trim(), 'OpenReview id']);
    if (ids.pmid) {
      const m = normalizePmid(String(ids.pmid));
      if (m) tagged.push(['p' + m, 'PMID']);
    }
    const hits: number[] = [];
    const nt = normalizeTitle(typeof q?.title === 'string' ? q.title : '');
    let idHit: MatchResult | undefined;
    for (const [t, label] of tagged) {
      for (const seg of segs) {
        hits.length = 0;
        seg.byId(t, hits);
        if (!hits.length) continue;
        const p = hits[0]!;
        const candidates = hits.map((h) => ({ paperId: seg.paperId(h), score: 1 }));
        if (this.idTitleAgrees(seg, p, nt)) return { status: 'match', paperId: seg.paperId(p), candidates, reason: `same ${label}`, evidence: 'id' };
        // A shared id proves nothing when the entry's title is plainly another paper.
        idHit ??= { status: 'maybe', paperId: seg.paperId(p), candidates, reason: `same ${label}, different title` };
      }
    }
    if (idHit) {
      // The title may still be another paper of the corpus, sure by its own evidence.
      const byTitle = nt.key ? this.matchTitle(segs, nt, q, tagged) : undefined;
      return byTitle?.status === 'match' ? byTitle : idHit;
    }
    if (!nt.key) return { status: 'none', candidates: [], reason: 'empty title' };
    return this.matchTitle(segs, nt, q, tagged);
  }

  /** The entry's title names the paper its id points to (or the entry shows no title). */
  private idTitleAgrees(seg: Segment, p: number, nt: NormalizedTitle): boolean {
    if (!nt.key) return true;
    const hits: number[] = [];
    seg.exact(nt.key, hits);
    if (hits.includes(p)) return true;
    const r = seg.titleRow(p);
    if (r < 0) return true;
    if (nt.truncated && seg.rowKey(r).startsWith(nt.key)) return true;
    return titlesAgree(nt.words, seg.rowWords(r), nt.truncated, this.check);
  }

  private matchTitle(segs: Segment[], nt: NormalizedTitle, q: MatchQuery, tagged: [string, string][]): MatchResult {
    const hits: number[] = [];
    const abs = new QueryAbstract(typeof q.abstract === 'string' ? q.abstract : undefined);

    if (!nt.truncated) {
      const found: { seg: Segment; p: number }[] = [];
      for (const seg of segs) {
        hits.length = 0;
        seg.exact(nt.key, hits);
        for (const p of hits) found.push({ seg, p });
      }
      if (found.length) return this.decideExact(found, tagged, abs, nt.key);
      return this.fuzzy(segs, nt, tagged, abs);
    }

    // A cut title: every paper whose key starts with it.
    const found: { seg: Segment; p: number }[] = [];
    for (const seg of segs) {
      const [from, to] = seg.prefixRange(nt.key);
      for (let i = from; i < to && found.length <= MAX_CANDIDATES; i++) {
        const p = seg.rowPaper[seg.fwd[i]!]!;
        if (!seg.dead[p] && !found.some((f) => f.seg === seg && f.p === p)) found.push({ seg, p });
      }
    }
    if (found.length) {
      const cands = found.map(({ seg, p }) => ({ paperId: seg.paperId(p), score: 1 }));
      const short = cutTooShort(nt);
      if (found.length === 1 && !short) return { ...this.withIdCheck(found[0]!.seg, found[0]!.p, tagged, cands, 'unique prefix of a cut title'), evidence: 'cut' };
      const pick = this.abstractPick(found, abs);
      if (pick && !short) return { ...this.withIdCheck(pick.seg, pick.p, tagged, cands, 'cut title; abstract picks one'), evidence: 'cut' };
      return { status: 'maybe', paperId: cands[0]!.paperId, candidates: cands.slice(0, MAX_CANDIDATES), reason: short ? 'cut title too short to be sure' : 'cut title shared by several papers' };
    }
    return this.fuzzy(segs, nt, tagged, abs);
  }

  private decideExact(found: { seg: Segment; p: number }[], tagged: [string, string][], abs: QueryAbstract, key: string): MatchResult {
    const cands = found.map(({ seg, p }) => ({ paperId: seg.paperId(p), score: 1 }));
    let pick = found[0]!;
    if (found.length > 1) pick = this.abstractPick(found, abs) ?? pick;
    const r = pick.seg.titleRow(pick.p);
    const alias = r < 0 || pick.seg.rowKey(r) !== key;
    const res = this.withIdCheck(pick.seg, pick.p, tagged, cands, alias ? 'same as a known title of the paper' : found.length > 1 ? 'same title key (several papers)' : 'same title key');
    return { ...res, evidence: alias ? 'alias' : 'key' };
  }

  /** The one paper among `found` whose abstract agrees with the snippet, if exactly one does. */
  private abstractPick<T extends { seg: Segment; p: number }>(found: T[], abs: QueryAbstract): T | undefined {
    if (!abs.present) return undefined;
    const agree = found.filter((f) => abs.compare(f.seg, f.p) === 1);
    return agree.length === 1 ? agree[0] : undefined;
  }

  /** A title match is demoted when the entry carries an arXiv/OpenReview id or PMID the paper contradicts (one of each per paper). */
  private withIdCheck(seg: Segment, p: number, tagged: [string, string][], candidates: MatchResult['candidates'], reason: string): MatchResult {
    const paperId = seg.paperId(p);
    if (tagged.length) {
      const ext = seg.paperExt(p).split('\t');
      for (const [t, label] of tagged) {
        if (t[0] === 'd') continue; // papers have several DOIs (arXiv's, the venue's): no conflict
        if (ext.some((f) => f[0] === t[0] && f !== t)) {
          return { status: 'maybe', paperId, candidates, reason: `${reason}, but the ${label} differs` };
        }
      }
    }
    return { status: 'match', paperId, candidates, reason };
  }

  private fuzzy(segs: Segment[], nt: NormalizedTitle, tagged: [string, string][], abs: QueryAbstract): MatchResult {
    const q = nt.key;
    const qWords = nt.words;
    const cands: Cand[] = [];
    const rows: number[] = [];
    let from2 = nt.truncated && qWords.length >= 4 ? q.slice(qWords[0]!.length + qWords[1]!.length) : '';
    if (from2.length < 4) from2 = '';
    // What a typo or one changed word (≤ 16 characters) leaves is shared at the two ends, so one
    // end shares at least half of the rest: neighbours sharing less are not walked.
    const minEnd = Math.max(4, (q.length - 16) >> 1);
    for (const seg of segs) {
      rows.length = 0;
      let nFwd = 0;
      if (!nt.truncated) {
        if (seg.mayShareEnd(q, false)) seg.neighbours(q, 0, this.window, minEnd, rows);
        nFwd = rows.length;
        if (seg.mayShareEnd(q, true)) seg.neighbours(q, 1, this.window, minEnd, rows);
      } else {
        // A cut title with a typo after its first two words shares its beginning with the paper;
        // one with a typo in them shares what follows (the third-word order).
        seg.neighbours(q, 0, this.window, Math.max(3, Math.min(qWords[0]!.length, Math.floor(q.length / 4))), rows);
        if (from2) seg.neighbours(from2, 2, this.window, Math.max(4, Math.floor(from2.length * 0.6)), rows);
      }
      const verified: number[] = [];
      for (let i = 0; i < rows.length; i += 2) {
        const r = rows[i]!;
        if (verified.includes(r)) continue;
        const p = seg.rowPaper[r]!;
        if (seg.dead[p]) continue;
        // Cheap character filter before the word alignment: what is not shared at either end
        // must fit one changed word (or a typo and a stop word).
        if (!nt.truncated) {
          const lr = seg.rowLength(r);
          const longer = q.length > lr ? q.length : lr;
          const shorter = q.length < lr ? q.length : lr;
          const limit = Math.min(16, 0.4 * longer);
          if (longer - shorter > limit) continue;
          // The walk measured one end already; the other end must cover the rest but `limit`.
          const known = rows[i + 1]!;
          const other = seg.common(q, r, i < nFwd);
          if (longer - Math.min(known + other, shorter) > limit) continue;
        } else if (seg.coverWithEdit(q, r) < 0.8 * q.length) {
          // Rows from the third-word order are checked by their words directly.
          const fromThird = from2 && seg.common(q, r, false) < q.length - from2.length;
          if (!fromThird) continue;
        }
        verified.push(r);
        const v = verify(qWords, seg.rowWords(r), nt.truncated, this.check);
        if (v.content > 1 || v.hard > 1 || (v.content && v.hard)) continue;
        const cost = costOf(v);
        const paperId = seg.paperId(p);
        const prev = cands.find((c) => c.paperId === paperId);
        if (prev) {
          if (cost < prev.cost) Object.assign(prev, { seg, p, v, cost, score: scoreOf(v) });
        } else cands.push({ seg, p, paperId, v, cost, score: scoreOf(v) });
      }
    }
    if (!cands.length) return { status: 'none', candidates: [], reason: 'no similar title' };
    cands.sort((a, b) => a.cost - b.cost);
    const list = cands.slice(0, MAX_CANDIDATES).map((c) => ({ paperId: c.paperId, score: c.score }));
    const best = cands[0]!;
    const fullWords = nt.truncated ? qWords.length - 1 : qWords.length;
    // Typos allowed: none in very short titles, one in short ones, two from six words on.
    const budget = fullWords < 3 && q.length < 20 ? 0 : fullWords < 6 ? 1 : 2;
    const matchable = (c: Cand) => c.v.hard === 0 && c.v.content === 0 && c.v.small <= budget;
    if (matchable(best)) {
      const rivals = cands.filter((c) => c !== best && matchable(c) && c.cost <= best.cost);
      let pick: Cand | undefined = best;
      if (rivals.length) pick = this.abstractPick([best, ...rivals], abs);
      if (!pick) return { status: 'maybe', paperId: best.paperId, candidates: list, reason: 'several papers are this close' };
      if (nt.truncated && cutTooShort(nt)) return { status: 'maybe', paperId: pick.paperId, candidates: list, reason: 'cut title too short to be sure' };
      if (abs.compare(pick.seg, pick.p) === -1) {
        return { status: 'maybe', paperId: pick.paperId, candidates: list, reason: 'title nearly equal, but the abstract differs' };
      }
      return { ...this.withIdCheck(pick.seg, pick.p, tagged, list, nt.truncated ? 'cut title with a typo' : 'title equal up to typos and stop words'), evidence: 'fuzzy' };
    }
    // One content word apart (an added acronym, a reworded word) or a number apart: a maybe,
    // unless the abstract shows it is the same paper (never across a number difference).
    if (best.v.hard === 0 && best.v.content === 1 && best.v.small <= 1 && fullWords >= 3 && abs.compare(best.seg, best.p) === 1) {
      const rivals = cands.filter((c) => c !== best && abs.compare(c.seg, c.p) === 1);
      if (!rivals.length) return { ...this.withIdCheck(best.seg, best.p, tagged, list, 'title one word apart; the abstract agrees'), evidence: 'fuzzy' };
    }
    if (fullWords < 3 && q.length < 20) return { status: 'none', candidates: list, reason: 'title too short for a fuzzy match' };
    const why = best.v.hard ? 'title differs in a number or version' : 'title differs in one word';
    return { status: 'maybe', paperId: best.paperId, candidates: list, reason: why };
  }

  toParts(): Record<string, ArrayBuffer | Uint8Array | string> {
    this.compact();
    return { ...this.base.toParts(), words: [...this.words.corpusWords()].join('\n'), compounds: this.words.compoundLines().join('\n') };
  }

  static fromParts(parts: Record<string, ArrayBuffer | Uint8Array | string>, options?: MatchOptions): MatchIndex {
    const seg = Segment.fromParts(parts);
    const words = new Vocabulary(options?.english);
    if (typeof parts.words === 'string') words.addWords(parts.words.split('\n'));
    else for (let r = 0; r < seg.rows; r++) if (!seg.rowAlias[r]) words.addWords(seg.rowWords(r));
    if (typeof parts.compounds === 'string') words.addCompoundLines(parts.compounds.split('\n'));
    return new MatchIndex(seg, options, words);
  }
}
