/**
 * One page, one claim. A listing names a paper once: when several entries of one page resolve to
 * the same paper, the entry with the strongest evidence (id > title key > alias > cut title >
 * fuzzy) keeps `match`, and the others become `maybe`, saying why. Without this, a paper matched
 * by title next to a real-word variant of itself (or a shared DOI) marks both.
 *
 * The same title printed twice (same key, no conflicting ids) is one claim, not a rival.
 */
import { titleKey } from '../model/normalize';
import { normalizeArxivId, normalizeDoi, normalizePmid } from '../model/ids';
import type { PaperIds } from '../model/types';
import { EVIDENCE, type Evidence } from './index';

/** Evidence as the background records it; `confirmed` = the user said this title is the paper. */
export type ClaimEvidence = Evidence | 'confirmed';

export interface ClaimEntry {
  entry: { title: string; ids: PaperIds };
  result: { status: 'match' | 'maybe' | 'none'; paperId?: string; evidence?: ClaimEvidence; reason?: string };
}

const RANK: Record<ClaimEvidence, number> = { id: 0, confirmed: 1, key: 2, alias: 3, cut: 4, fuzzy: 5 };
for (const e of EVIDENCE) if (RANK[e] === undefined) throw new Error(`claims: no rank for evidence ${e}`);

export function rankOf(e: ClaimEvidence | undefined): number {
  return e === undefined ? RANK.fuzzy : RANK[e];
}

/** Ids of an entry as comparable tagged strings. */
export function taggedIds(ids: PaperIds | undefined): string[] {
  const out: string[] = [];
  const a = ids?.arxiv ? normalizeArxivId(String(ids.arxiv)) : undefined;
  if (a) out.push('a' + a);
  const d = ids?.doi ? normalizeDoi(String(ids.doi)) : undefined;
  if (d) out.push('d' + d);
  if (ids?.openreview) out.push('o' + String(ids.openreview).trim());
  const p = ids?.pmid ? normalizePmid(String(ids.pmid)) : undefined;
  if (p) out.push('p' + p);
  return out;
}

/** Two entries are one claim: the same title key and no id of one kind that differs. */
export function sameClaim(a: ClaimEntry['entry'], b: ClaimEntry['entry']): boolean {
  if (titleKey(a.title) !== titleKey(b.title)) return false;
  const ta = taggedIds(a.ids);
  const tb = taggedIds(b.ids);
  return !ta.some((x) => tb.some((y) => y[0] === x[0] && y !== x));
}

/**
 * Demotes, in place, every `match` of a paper but the strongest claim on the page. Returns the
 * items whose result it changed (the caller pushes them when they were sent before).
 */
export function oneClaimPerPaper<T extends ClaimEntry>(items: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const it of items) {
    const r = it.result;
    if (r.status !== 'match' || !r.paperId) continue;
    const cur = best.get(r.paperId);
    // Ties go to the first entry on the page.
    if (!cur || rankOf(r.evidence) < rankOf(cur.result.evidence)) best.set(r.paperId, it);
  }
  const changed: T[] = [];
  for (const it of items) {
    const r = it.result;
    if (r.status !== 'match' || !r.paperId) continue;
    const win = best.get(r.paperId)!;
    if (win === it || sameClaim(win.entry, it.entry)) continue;
    r.status = 'maybe';
    r.reason = `another entry on this page is this paper (${describe(win.result.evidence)})`;
    changed.push(it);
  }
  return changed;
}

function describe(e: ClaimEvidence | undefined): string {
  switch (e) {
    case 'id':
      return 'same identifier';
    case 'confirmed':
      return 'confirmed by you';
    case 'key':
      return 'same title';
    case 'alias':
      return 'a known title of the paper';
    case 'cut':
      return 'cut title';
    default:
      return 'closer title';
  }
}

/** A demoted entry's result as the content script shows a maybe: the paper as its candidate. */
interface ShownResult {
  status: 'match' | 'maybe' | 'none';
  paperId?: string;
  candidates?: { paperId: string; title: string; score: number }[];
  tags: string[];
  lists: unknown[];
}

/**
 * oneClaimPerPaper over a page's entries, and the demoted results made into proper maybes (the
 * paper as candidate, with its title; no tags or lists, which are shown for matches only).
 */
export async function settleClaims<T extends ClaimEntry & { result: ShownResult }>(
  items: readonly T[],
  titlesOf: (paperIds: string[]) => Promise<(string | undefined)[]>,
): Promise<T[]> {
  const changed = oneClaimPerPaper(items);
  if (!changed.length) return changed;
  const ids = [...new Set(changed.map((it) => it.result.paperId!))];
  const titles = await titlesOf(ids);
  const byId = new Map(ids.map((id, i) => [id, titles[i] ?? ''] as const));
  for (const it of changed) {
    const r = it.result;
    r.candidates = [{ paperId: r.paperId!, title: byId.get(r.paperId!)!, score: 1 }];
    r.tags = [];
    r.lists = [];
  }
  return changed;
}
