import type { Paper } from '../model/types';
import { MatchIndex } from '../match';
import { titleKey } from '../model/normalize';
import { paperIdFields, type PaperIdFields } from '../model/ids';
import { paperIdFromKey } from '../corpus/corpus';
import { LIMITS } from '../messaging/messages';
import { ImportError, type ImportRecord, type ImportReport } from './types';

/**
 * The import's plan: every record matched, in file order, against the corpus snapshot and the
 * records before it (lib/match's MatchIndex), deciding which papers are new, which existing ones
 * gain fields, tags and notes. Pure: nothing here touches the database (lib/import/apply.ts
 * writes the plan). Records may come in any number of slices; the outcome depends only on their
 * order, never on where a slice ends.
 */

export const MAX_TAG = LIMITS.tagChars;
/** Records matched between two additions to the match index (see ImportPlan.add). */
export const INDEX_BATCH = 2000;
const MAX_TITLE = 1000;

/** Printable ASCII words, single spaces between: already what cleanText makes of it. */
const CLEAN_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** One-line text in NFC (parsers may hand back decomposed accents: "u" + U+0308 for ü). */
function cleanText(s: string | undefined): string | undefined {
  // Most of a file is plain ASCII already: checking is cheaper than normalizing 100-word abstracts.
  if (s && CLEAN_ASCII.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  const t = s?.normalize('NFC').replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return t || undefined;
}

export function randomPaperId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'p' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** What the import will write to an existing paper: only fields it lacks, never overwriting. */
export interface Patch {
  fields: Partial<Paper>;
  aliasKeys: Set<string>;
  provenance: Paper['provenance'];
}

export interface PlanOptions {
  /** File name recorded in provenance. */
  source: string;
  /** A tag added to every imported paper. */
  tag?: string;
  /** Records matched between two additions to the match index; default INDEX_BATCH. */
  indexBatch?: number;
  now: number;
}

export class ImportPlan {
  readonly created = new Map<string, Paper>();
  readonly patches = new Map<string, Patch>();
  readonly tagsFor = new Map<string, Set<string>>();
  readonly notesFor = new Map<string, string[]>();
  /** Paper ids touched, in file order. */
  readonly order: string[] = [];
  /** A backup's paper id → the paper it was imported into. */
  readonly sourceMap = new Map<string, string>();
  /** Counts and details; warnings of the matching (tags ignored) in `warnings`. */
  readonly report: Omit<ImportReport, 'format' | 'warnings' | 'paperIds'> = { new: 0, merged: 0, skipped: 0, maybe: 0, details: [] };
  readonly warnings: string[] = [];
  /** Created papers handed out by takeCreated, and those of them a later record changed. */
  readonly handedOut = new Set<string>();
  readonly changedAfterHandout = new Set<string>();

  private readonly existing: Map<string, Paper>;
  private readonly allIds: Set<string>;
  private readonly index: MatchIndex;
  private readonly indexBatch: number;
  private readonly extraTag: string | undefined;
  private readonly seenInOrder = new Set<string>();
  // Papers this batch created or patched: added to the index every indexBatch records. Adding
  // after every record made the index rebuild its delta segment before every query (quadratic:
  // minutes for 60k records). Within a batch, a repeat is found by its exact title key or an id;
  // a fuzzy repeat (a typo) within one batch becomes a new paper that the duplicates view offers.
  private readonly touched = new Set<string>();
  private readonly batchKeys = new Map<string, string>();
  private fresh: Paper[] = [];
  private seen = 0;

  /** `papers`: every paper of the library, merged-away ones included (their ids stay taken). */
  constructor(
    papers: readonly Paper[],
    private readonly opts: PlanOptions,
  ) {
    const live = papers.filter((p) => !p.mergedInto);
    this.existing = new Map(live.map((p) => [p.id, p]));
    this.allIds = new Set(papers.map((p) => p.id));
    this.index = MatchIndex.build(live);
    this.indexBatch = Math.max(1, opts.indexBatch ?? INDEX_BATCH);
    this.extraTag = opts.tag ? cleanTagName(opts.tag) : undefined;
    if (opts.tag && !this.extraTag) throw new ImportError(`The tag "${opts.tag}" is empty or longer than ${MAX_TAG} characters.`);
  }

  /** Records seen so far. */
  get size(): number {
    return this.seen;
  }

  /** The existing (snapshot) version of a paper the plan patches. */
  existingPaper(id: string): Paper | undefined {
    return this.existing.get(id);
  }

  /** Papers created since the last call, in creation order; later changes to them are noted in changedAfterHandout. */
  takeCreated(): Paper[] {
    const out = this.fresh;
    this.fresh = [];
    for (const p of out) this.handedOut.add(p.id);
    return out;
  }

  /** Matches the next record of the file and plans what it adds. */
  add(rec: ImportRecord): void {
    const i = this.seen++;
    if (i % this.indexBatch === 0) this.flushIndex();
    const report = this.report;
    const where = rec.line ? `line ${rec.line}` : `record ${i + 1}`;
    const title = cleanText(rec.title)?.slice(0, MAX_TITLE);
    const key = title ? titleKey(title) : '';
    const ids = paperIdFields(rec.ids);
    const hasIds = Object.keys(ids).length > 0;
    if (!key && !hasIds) {
      report.skipped++;
      report.details.push(`${where}: no title and no arXiv id, DOI, OpenReview id or PMID.`);
      return;
    }
    let res = this.index.match({ title: title ?? '', ids: { arxiv: ids.arxivId, doi: ids.doi, openreview: ids.openreviewId, pmid: ids.pmid }, abstract: rec.abstract });
    if (res.status !== 'match') {
      const earlier = this.batchTarget(key, ids);
      if (earlier) res = { status: 'match', paperId: earlier, candidates: [], reason: 'same batch' };
    }
    let target: string;
    const prov: Paper['provenance'][number] = { kind: 'import', source: this.opts.source, ...(rec.line ? { line: rec.line } : {}), ...(rec.listingDate ? { listingDate: rec.listingDate } : {}) };
    if (res.status === 'match' && res.paperId && (this.existing.has(res.paperId) || this.created.has(res.paperId))) {
      target = res.paperId;
      report.merged++;
      const fresh = this.created.get(target);
      if (fresh) {
        // A second record of a paper new in this same file: fold it into the planned paper.
        fillPaper(fresh, rec, ids, key);
        fresh.provenance.push(prov);
        if (this.handedOut.has(target)) this.changedAfterHandout.add(target);
      } else {
        const p = this.existing.get(target)!;
        const patch = this.patches.get(target) ?? { fields: {}, aliasKeys: new Set(), provenance: [] };
        this.patches.set(target, patch);
        planPatch(p, patch, rec, ids, key);
        patch.provenance.push(prov);
      }
      this.touched.add(target);
    } else if (key && title) {
      const free = (x: string | undefined): x is string => !!x && !this.allIds.has(x) && !this.created.has(x);
      // A backup's paper keeps its id when it is free here, so its history stays attached.
      let id = free(rec.sourceId) ? rec.sourceId : paperIdFromKey(key);
      if (!free(id)) id = randomPaperId();
      const src = rec.sourcePaper;
      const now = this.opts.now;
      const paper: Paper = src
        ? { ...src, id, aliasKeys: [...src.aliasKeys], provenance: [...src.provenance, prov], updatedAt: now }
        : { id, title, key, aliasKeys: [], provenance: [prov], origin: 'import', addedAt: now, updatedAt: now };
      delete paper.mergedInto;
      fillPaper(paper, rec, ids, key);
      this.created.set(id, paper);
      this.fresh.push(paper);
      this.touched.add(id);
      target = id;
      report.new++;
      if (res.status === 'maybe') {
        report.maybe++;
        report.details.push(`${where}: "${title.slice(0, 80)}" may be a paper already in the library; added as new, review it under duplicates.`);
      }
    } else {
      report.skipped++;
      report.details.push(`${where}: ${describeIds(ids)} is not in the library and the file gives no title.`);
      return;
    }
    const batchKeys = this.batchKeys;
    if (key) batchKeys.set(`k:${key}`, target);
    if (ids.arxivId) batchKeys.set(`a:${ids.arxivId}`, target);
    if (ids.doi) batchKeys.set(`d:${ids.doi}`, target);
    if (ids.openreviewId) batchKeys.set(`o:${ids.openreviewId}`, target);
    if (rec.sourceId) this.sourceMap.set(rec.sourceId, target);
    if (!this.seenInOrder.has(target)) {
      this.seenInOrder.add(target);
      this.order.push(target);
    }
    const tags = this.tagsFor.get(target) ?? new Set<string>();
    this.tagsFor.set(target, tags);
    for (const t of rec.tags) {
      const c = cleanTagName(t);
      if (c) tags.add(c);
      else this.warnings.push(`${where}: tag "${t.slice(0, 40)}" ignored (empty or over ${MAX_TAG} characters).`);
    }
    if (this.extraTag) tags.add(this.extraTag);
    const note = rec.note?.trim();
    if (note) {
      const n = this.notesFor.get(target) ?? [];
      if (!n.includes(note)) n.push(note);
      this.notesFor.set(target, n);
    }
  }

  /** After the last record: the index learns the last batch (as it always has). */
  finish(): void {
    this.flushIndex();
  }

  private flushIndex(): void {
    this.index.addMany([...this.touched].map((target) => indexView(this.created.get(target) ?? patchedView(this.existing.get(target)!, this.patches.get(target)!))));
    this.touched.clear();
    this.batchKeys.clear();
  }

  private batchTarget(key: string, ids: PaperIdFields): string | undefined {
    const b = this.batchKeys;
    return (ids.arxivId && b.get(`a:${ids.arxivId}`)) || (ids.doi && b.get(`d:${ids.doi}`)) || (ids.openreviewId && b.get(`o:${ids.openreviewId}`)) || (key && b.get(`k:${key}`)) || undefined;
  }
}

function describeIds(ids: PaperIdFields): string {
  if (ids.arxivId) return `arXiv:${ids.arxivId}`;
  if (ids.doi) return `DOI ${ids.doi}`;
  if (ids.openreviewId) return `OpenReview ${ids.openreviewId}`;
  return `PMID ${ids.pmid}`;
}

export function cleanTagName(raw: string): string | undefined {
  const t = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  return t && t.length <= MAX_TAG ? t : undefined;
}

/** An existing paper as the index should see it once the planned patch is written. */
function patchedView(p: Paper, patch: Patch | undefined): Paper {
  if (!patch) return p;
  return { ...p, ...patch.fields, aliasKeys: [...(p.aliasKeys ?? []), ...patch.aliasKeys] };
}

function indexView(p: Paper) {
  return { id: p.id, title: p.title, arxivId: p.arxivId, doi: p.doi, openreviewId: p.openreviewId, pmid: p.pmid, aliasKeys: p.aliasKeys, abstract: p.abstract };
}

/** Fills a planned new paper's missing fields from a record. */
function fillPaper(p: Paper, rec: ImportRecord, ids: PaperIdFields, key: string): void {
  p.arxivId ??= ids.arxivId;
  p.doi ??= ids.doi;
  p.openreviewId ??= ids.openreviewId;
  p.pmid ??= ids.pmid;
  const authors = rec.authors?.map((a) => cleanText(a)).filter((a): a is string => !!a);
  if (!p.authors?.length && authors?.length) p.authors = authors;
  if (p.year === undefined && rec.year && Number.isInteger(rec.year)) p.year = rec.year;
  p.abstract ??= cleanText(rec.abstract);
  p.venue ??= cleanText(rec.venue);
  p.url ??= cleanText(rec.url);
  if (key && key !== p.key && !p.aliasKeys.includes(key)) p.aliasKeys.push(key);
  for (const k of ['arxivId', 'doi', 'openreviewId', 'pmid', 'abstract', 'venue', 'url'] as const) if (p[k] === undefined) delete p[k];
}

/** Plans what a record adds to an existing paper: ids and fields it lacks, its title as an alias. */
function planPatch(p: Paper, patch: Patch, rec: ImportRecord, ids: PaperIdFields, key: string): void {
  const f = patch.fields;
  const set = <K extends keyof Paper>(k: K, v: Paper[K] | undefined) => {
    if (v !== undefined && p[k] === undefined && f[k] === undefined) f[k] = v;
  };
  set('arxivId', ids.arxivId);
  set('doi', ids.doi);
  set('openreviewId', ids.openreviewId);
  set('pmid', ids.pmid);
  const authors = rec.authors?.map((a) => cleanText(a)).filter((a): a is string => !!a);
  if (!p.authors?.length && authors?.length) set('authors', authors);
  if (rec.year && Number.isInteger(rec.year)) set('year', rec.year);
  set('abstract', cleanText(rec.abstract));
  set('venue', cleanText(rec.venue));
  set('url', cleanText(rec.url));
  if (key && key !== p.key && !p.aliasKeys?.includes(key)) patch.aliasKeys.add(key);
}
