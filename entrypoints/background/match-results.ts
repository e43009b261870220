import type { ShelfmarkDB } from '@/lib/storage/db';
import type { PaperEntry } from '@/lib/model/types';
import type { MatchResult } from '@/lib/match';
import { titleKey } from '@/lib/model/normalize';
import { LIMITS, type EntryResult, type ListRef, type WireEntry } from '@/lib/messaging/messages';
import { confirmedPairs, rejectedPairs } from '@/lib/actions';
import type { Context } from './context';
import { settleClaims } from '@/lib/match/claims';

/** Match results as a page shows them: the matcher's answer, the user's confirm/reject decisions, candidates' titles, tags and lists. */

function queryOf(e: WireEntry): PaperEntry {
  return { title: e.title, ids: e.ids, abstract: e.abstract };
}

interface UserData {
  tags: Map<string, string[]>;
  lists: Map<string, ListRef[]>;
}

/** Tags and live lists of the given papers, in two indexed reads. */
async function userDataFor(db: ShelfmarkDB, paperIds: string[]): Promise<UserData> {
  const tags = new Map<string, string[]>();
  const lists = new Map<string, ListRef[]>();
  if (!paperIds.length) return { tags, lists };
  return db.transaction('r', db.paperTags, db.listItems, db.lists, async () => {
    const [tagRows, itemRows] = await Promise.all([
      db.paperTags.where('paperId').anyOf(paperIds).toArray(),
      db.listItems.where('paperId').anyOf(paperIds).toArray(),
    ]);
    for (const r of tagRows) {
      const arr = tags.get(r.paperId) ?? [];
      arr.push(r.tag);
      tags.set(r.paperId, arr);
    }
    for (const arr of tags.values()) arr.sort((a, b) => a.localeCompare(b));
    if (itemRows.length) {
      const listRows = await db.lists.bulkGet([...new Set(itemRows.map((r) => r.listId))]);
      const live = new Map(listRows.filter((l) => l && !l.deletedAt).map((l) => [l!.id, l!.name]));
      for (const r of itemRows) {
        const name = live.get(r.listId);
        if (name === undefined) continue;
        const arr = lists.get(r.paperId) ?? [];
        arr.push({ id: r.listId, name });
        lists.set(r.paperId, arr);
      }
    }
    return { tags, lists };
  });
}

/** Matches entries and attaches candidates' titles and the matched papers' tags and lists. */
export async function matchEntries(ctx: Context, entries: readonly WireEntry[]): Promise<EntryResult[]> {
  if (!entries.length) return [];
  const t0 = performance.now();
  // The user's confirm/reject decisions are read while the index loads and matches: one
  // database round trip overlapping the CPU work instead of following it.
  const pairs = Promise.all([rejectedPairs(ctx.db), confirmedPairs(ctx.db)]);
  pairs.catch(() => undefined); // awaited below; no unhandled rejection if the index fails first
  const index = await ctx.index.get();
  const t1 = performance.now();
  const raw: MatchResult[] = index.matchMany(entries.map(queryOf));
  const t2 = performance.now();
  const [rejected, confirmed] = await pairs;
  const results: EntryResult[] = [];
  // Titles are needed for the candidates of maybes only; tags and lists for matches only.
  const candidateIds = new Set<string>();
  const matchedIds = new Set<string>();
  const confirmedAt = new Set<number>();
  entries.forEach((e, i) => {
    const r = raw[i]!;
    let status = r.status;
    let paperId = r.paperId;
    let candidates = (r.candidates ?? []).slice(0, LIMITS.candidates);
    if (status === 'maybe' && confirmed.size) {
      // The user said this title is that paper: a match, whatever else the matcher doubts.
      const key = titleKey(e.title);
      const sure = candidates.find((c) => confirmed.get(c.paperId)?.has(key)) ?? (paperId && confirmed.get(paperId)?.has(key) ? { paperId } : undefined);
      if (sure) {
        status = 'match';
        paperId = sure.paperId;
        r.evidence = undefined;
        confirmedAt.add(i);
      }
    }
    if (status === 'maybe' && rejected.size) {
      // A "maybe" the user rejected for this title is not proposed again.
      const key = titleKey(e.title);
      candidates = candidates.filter((c) => !rejected.get(c.paperId)?.has(key));
      if (paperId && rejected.get(paperId)?.has(key)) paperId = candidates[0]?.paperId;
      if (!candidates.length && !paperId) status = 'none';
    }
    if (status === 'none') {
      paperId = undefined;
      candidates = [];
    }
    if (status === 'match' && paperId) matchedIds.add(paperId);
    if (status === 'maybe') for (const c of candidates) candidateIds.add(c.paperId);
    results.push({
      eid: e.eid,
      status,
      ...(paperId ? { paperId } : {}),
      ...(status === 'maybe' ? { candidates: candidates.map((c) => ({ paperId: c.paperId, title: '', score: c.score })) } : {}),
      tags: [],
      lists: [],
      ...(status === 'maybe' && r.reason ? { reason: r.reason.slice(0, 200) } : {}),
      ...(status === 'match' ? { evidence: confirmedAt.has(i) ? 'confirmed' : r.evidence } : {}),
    });
  });
  // One page, one claim (lib/match/claims.ts): callers with a whole page settle it again.
  await settleClaims(results.map((result, i) => ({ entry: entries[i]!, result })), titlesOf(ctx));
  const [papers, user] = await Promise.all([
    candidateIds.size ? ctx.db.papers.bulkGet([...candidateIds]) : [],
    userDataFor(ctx.db, [...matchedIds]),
  ]);
  const titles = new Map<string, string>();
  papers.forEach((p) => p && titles.set(p.id, p.title));
  for (const r of results) {
    if (r.candidates) for (const c of r.candidates) c.title = (titles.get(c.paperId) ?? '').slice(0, LIMITS.titleChars);
    // Tags and lists are shown for matches only: a maybe is not yet known to be that paper.
    if (r.status === 'match' && r.paperId) {
      r.tags = user.tags.get(r.paperId) ?? [];
      r.lists = user.lists.get(r.paperId) ?? [];
    }
  }
  ctx.lastMatch = { indexMs: t1 - t0, matchMs: t2 - t1, dataMs: performance.now() - t2 };
  return results;
}

/** Titles of papers by id, cut to the wire limit (what claim settling compares). */
export function titlesOf(ctx: Context): (ids: string[]) => Promise<(string | undefined)[]> {
  return async (ids) => (await ctx.db.papers.bulkGet(ids)).map((p) => p?.title.slice(0, LIMITS.titleChars));
}
