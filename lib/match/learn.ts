/**
 * Ids a paper learns from listing pages, and only from sure matches.
 *
 * A learned id changes every later visit (an id hit outranks any title) and ends up in the user's
 * BibTeX, so an entry teaches its paper an id only when
 *  - it matched by title key or alias, or the user confirmed it (never a fuzzy, cut-title or
 *    one-word match: "Offline-to-Offline" is not "Offline-to-Online");
 *  - it is the only entry of the page that claims the paper (the same title printed twice is one);
 *  - no other entry of the page carries that id under another title (a proceedings-volume DOI, a
 *    link to the wrong version: a shared id proves nothing).
 * Each learned id keeps where it came from (page, time, the entry's title): the paper's detail
 * shows it and can remove it, and a removed id is not learned again.
 */
import type { Paper, PaperIds } from '../model/types';
import type { ShelfmarkDB } from '../storage/db';
import type { LearnedIdRow } from '../storage/rows';
import { titleKey } from '../model/normalize';
import { normalizeArxivId, normalizeDoi, normalizePmid } from '../model/ids';
import { sameClaim, taggedIds, type ClaimEntry, type ClaimEvidence } from './claims';

export type IdKind = 'arxiv' | 'doi' | 'openreview' | 'pmid';

/** Every kind of id a paper stores and can learn. */
export const ID_KINDS: readonly IdKind[] = ['arxiv', 'doi', 'openreview', 'pmid'];

/** Where a learned id came from (declared with the paper row in lib/storage/rows.ts). */
export type LearnedId = LearnedIdRow;

/** The paper row, which carries `learnedIds` and `forgottenIds`. */
export type LearningPaper = Paper;

/** The paper field each kind of id is stored in. */
export const FIELD: Record<IdKind, 'arxivId' | 'doi' | 'openreviewId' | 'pmid'> = { arxiv: 'arxivId', doi: 'doi', openreview: 'openreviewId', pmid: 'pmid' };
const SURE: ReadonlySet<ClaimEvidence> = new Set(['key', 'alias', 'confirmed']);

/** An entry's ids, normalized, by kind. */
export function idsOf(ids: PaperIds | undefined): { kind: IdKind; value: string }[] {
  const out: { kind: IdKind; value: string }[] = [];
  const a = ids?.arxiv ? normalizeArxivId(String(ids.arxiv)) : undefined;
  if (a) out.push({ kind: 'arxiv', value: a });
  const d = ids?.doi ? normalizeDoi(String(ids.doi)) : undefined;
  if (d) out.push({ kind: 'doi', value: d });
  const o = ids?.openreview ? String(ids.openreview).trim() : '';
  if (/^[A-Za-z0-9_-]{6,}$/.test(o)) out.push({ kind: 'openreview', value: o });
  const p = ids?.pmid ? normalizePmid(String(ids.pmid)) : undefined;
  if (p) out.push({ kind: 'pmid', value: p });
  return out;
}

/** One entry's offer to teach its paper ids, checked against the whole page. */
export interface LearnOffer {
  paperId: string;
  pageUrl: string;
  title: string;
  via: LearnedId['via'];
  ids: { kind: IdKind; value: string }[];
}

/**
 * What `item` may teach, judged against every entry of its page (`page`, which includes it), or
 * undefined when nothing.
 */
export function learnOffer(item: ClaimEntry, page: Iterable<ClaimEntry>, pageUrl: string): LearnOffer | undefined {
  const r = item.result;
  if (r.status !== 'match' || !r.paperId || !r.evidence || !SURE.has(r.evidence)) return undefined;
  let ids = idsOf(item.entry.ids);
  if (!ids.length) return undefined;
  const key = titleKey(item.entry.title);
  for (const other of page) {
    if (other === item) continue;
    const or = other.result;
    // Another entry that claims the paper (as a match or a maybe) and is not the same rendering.
    if (or.paperId === r.paperId && or.status !== 'none' && !sameClaim(item.entry, other.entry)) return undefined;
    // An id that another title on the page carries proves nothing.
    if (titleKey(other.entry.title) !== key) {
      const theirs = taggedIds(other.entry.ids);
      ids = ids.filter((i) => !theirs.includes(i.kind[0] + i.value));
    }
  }
  if (!ids.length) return undefined;
  return { paperId: r.paperId, pageUrl, title: item.entry.title, via: r.evidence as LearnedId['via'], ids };
}

/**
 * The offers of a whole page as its entries stand now. The background calls this at flush time,
 * not per batch: a page arrives in batches (infinite scroll, a long proceedings list), and an
 * entry that looked like the sole claimant in the first batch may meet a rival in a later one
 * (the same id under another title, a second entry claiming the paper).
 */
export function pageOffers(page: readonly ClaimEntry[], pageUrl: string): Map<string, LearnOffer> {
  const out = new Map<string, LearnOffer>();
  for (const item of page) {
    const r = item.result;
    // The cheap test first: only sure matches with ids are judged against the whole page.
    if (r.status !== 'match' || !r.paperId || out.has(r.paperId) || !r.evidence || !SURE.has(r.evidence) || !idsOf(item.entry.ids).length) continue;
    const offer = learnOffer(item, page, pageUrl);
    if (offer) out.set(offer.paperId, offer);
  }
  return out;
}

/** An id a page view taught a paper. */
export interface TaughtId {
  kind: IdKind;
  value: string;
}

/** The ids of `offer` that `p` now holds with this page as their provenance (what the page taught). */
export function taughtBy(p: LearningPaper, offer: LearnOffer): TaughtId[] {
  return offer.ids.filter(
    ({ kind, value }) => p[FIELD[kind]] === value && !!p.learnedIds?.some((l) => l.kind === kind && l.value === value && l.pageUrl === offer.pageUrl),
  );
}

/**
 * Ids a page view taught (`taught`, by paper) that its entries, as they stand now (`now`, from
 * pageOffers), no longer support: a later batch brought a rival.
 */
export function withdrawals(taught: ReadonlyMap<string, readonly TaughtId[]>, now: ReadonlyMap<string, LearnOffer>): Map<string, TaughtId[]> {
  const out = new Map<string, TaughtId[]>();
  for (const [paperId, ids] of taught) {
    const still = now.get(paperId)?.ids ?? [];
    const gone = ids.filter((t) => !still.some((i) => i.kind === t.kind && i.value === t.value));
    if (gone.length) out.set(paperId, gone);
  }
  return out;
}

/**
 * Takes back ids a page taught `p` (withdrawals): the field is cleared when it still holds the
 * value, and that page's provenance goes. Unlike the user's "remove", the id may be learned again
 * from a page where it is the sole claim. Returns undefined when nothing changes.
 */
export function withdrawIds(p: LearningPaper, ids: readonly TaughtId[], pageUrl: string, now = Date.now()): LearningPaper | undefined {
  let next: LearningPaper | undefined;
  for (const { kind, value } of ids) {
    const field = FIELD[kind];
    const fromHere = (l: LearnedId) => l.kind === kind && l.value === value && l.pageUrl === pageUrl;
    if (!p.learnedIds?.some(fromHere)) continue;
    next ??= { ...p, learnedIds: [...(p.learnedIds ?? [])] };
    next.learnedIds = next.learnedIds!.filter((l) => !fromHere(l));
    if (next[field] === value && !next.learnedIds.some((l) => l.kind === kind && l.value === value)) delete next[field];
  }
  return next && { ...next, updatedAt: now };
}

/**
 * Applies offers to their papers: an id is stored when the paper lacks one of that kind, the user
 * has not removed it, and no other paper holds it (`owner`). Returns the changed papers (not yet
 * written).
 */
export function applyOffers(
  papers: readonly (LearningPaper | undefined)[],
  offers: ReadonlyMap<string, LearnOffer>,
  owner: (kind: IdKind, value: string) => string | undefined,
  now = Date.now(),
): LearningPaper[] {
  const changed: LearningPaper[] = [];
  for (const p of papers) {
    if (!p || p.mergedInto) continue;
    const offer = offers.get(p.id);
    if (!offer) continue;
    let next: LearningPaper | undefined;
    for (const { kind, value } of offer.ids) {
      const field = FIELD[kind];
      if (p[field] || p.forgottenIds?.includes(`${kind}:${value}`)) continue;
      const held = owner(kind, value);
      if (held && held !== p.id) continue;
      next ??= { ...p, learnedIds: [...(p.learnedIds ?? [])] };
      next[field] = value;
      next.learnedIds!.push({ kind, value, pageUrl: offer.pageUrl, title: offer.title.slice(0, 500), at: now, via: offer.via });
    }
    if (next) changed.push({ ...next, updatedAt: now });
  }
  return changed;
}

/**
 * Removes a learned id from a paper (the detail view's "remove"): the id field is cleared when it
 * still holds that value, the provenance goes, and the id is never learned again for this paper.
 */
export function forgetId(p: LearningPaper, kind: IdKind, value: string, now = Date.now()): LearningPaper {
  const field = FIELD[kind];
  const next: LearningPaper = {
    ...p,
    learnedIds: (p.learnedIds ?? []).filter((l) => !(l.kind === kind && l.value === value)),
    forgottenIds: [...new Set([...(p.forgottenIds ?? []), `${kind}:${value}`])],
    updatedAt: now,
  };
  if (next[field] === value) delete next[field];
  return next;
}

/** The sightings the repair reads (SightingRow, lib/storage/rows.ts). */
export interface RepairSighting {
  paperId?: string;
  title: string;
  key: string;
  pageUrl: string;
  ids: PaperIds;
  seenAt: number;
}

/**
 * Schema v3 repair: ids learned before this module existed carry no provenance. An id is checked
 * against the sightings of its paper: when sightings carry it and none of them shows the paper's
 * own title (its key or an alias key), it was learned from another paper's entry and is dropped;
 * when one does, it is kept with that sighting as its provenance. Ids no sighting carries came
 * from the corpus or an import and stay. Returns the repaired paper, or undefined if unchanged.
 */
export function repairPaper(p: LearningPaper, sightings: readonly RepairSighting[]): LearningPaper | undefined {
  let next: LearningPaper | undefined;
  const own = new Set([p.key, ...(p.aliasKeys ?? [])]);
  for (const kind of ID_KINDS) {
    const field = FIELD[kind];
    const value = p[field];
    if (!value || p.learnedIds?.some((l) => l.kind === kind && l.value === value)) continue;
    const carrying = sightings.filter((s) => idsOf(s.ids).some((i) => i.kind === kind && i.value === value));
    if (!carrying.length) continue;
    const good = carrying.find((s) => own.has(s.key || titleKey(s.title)));
    next ??= { ...p, learnedIds: [...(p.learnedIds ?? [])] };
    if (good) {
      next.learnedIds!.push({ kind, value, pageUrl: good.pageUrl, title: good.title, at: good.seenAt, via: 'repair' });
    } else {
      delete next[field];
      next.forgottenIds = [...new Set([...(next.forgottenIds ?? []), `${kind}:${value}`])];
    }
  }
  return next;
}

/** Provenance for ids a user confirmation adds (`patch` holds the id fields being set), or undefined. */
export function confirmedProvenance(p: LearningPaper, patch: Partial<Paper>, entry: { title: string; url?: string }, pageUrl: string, now = Date.now()): LearnedId[] | undefined {
  const added: LearnedId[] = [];
  for (const kind of ID_KINDS) {
    const value = patch[FIELD[kind]];
    if (value) added.push({ kind, value, pageUrl: pageUrl || entry.url || '', title: entry.title.slice(0, 500), at: now, via: 'confirmed' });
  }
  return added.length ? [...(p.learnedIds ?? []), ...added] : undefined;
}

/** The detail view's "remove": forgets a learned id of a paper in one transaction. */
export async function forgetLearnedId(db: ShelfmarkDB, paperId: string, kind: IdKind, value: string): Promise<void> {
  await db.transaction('rw', db.papers, async () => {
    const p = (await db.papers.get(paperId)) as LearningPaper | undefined;
    if (!p) throw new Error(`No paper with id ${paperId}.`);
    await db.papers.put(forgetId(p, kind, value));
  });
}
