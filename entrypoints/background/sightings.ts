import type { ShelfmarkDB, SightingRow } from '@/lib/storage/db';
import type { Paper } from '@/lib/model/types';
import { titleKey } from '@/lib/model/normalize';
import { applyOffers, idsOf, pageOffers, taughtBy, withdrawIds, withdrawals, type IdKind, type LearnOffer, type TaughtId } from '@/lib/match/learn';
import type { TabEntry } from '@/lib/messaging/messages';
import { skipRevisionStamp } from '@/lib/storage/papers-revision';
import type { Context, TabState } from './context';

/** Sightings (where and when a paper was seen) and the ids matched papers learn from listing pages. */

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Queues sightings of recognized entries (match and maybe) once per page view, and the ids a
 * matched entry carries for the paper to learn. Entries not in the corpus are not recorded: a
 * 2000-row listing would otherwise add 2000 rows per visit.
 */
export function queueSightings(ctx: Context, state: TabState, items: TabEntry[]): void {
  const now = Date.now();
  const host = hostOf(state.pageUrl);
  let queued = false;
  for (const { entry, result } of items) {
    if (result.status === 'none') continue;
    const key = titleKey(entry.title);
    const dedupe = `${result.paperId ?? ''}|${key}`;
    if (state.sighted.has(dedupe)) continue;
    state.sighted.add(dedupe);
    const row: SightingRow = {
      title: entry.title,
      key,
      pageUrl: state.pageUrl,
      host,
      ids: entry.ids,
      status: result.status,
      seenAt: now,
    };
    if (result.status === 'match' && result.paperId) row.paperId = result.paperId;
    if (entry.url) row.url = entry.url;
    ctx.pending.sightings.push(row);
    queued = true;
  }
  // Ids are judged at the flush, against the whole page as it stands then: an entry with ids or
  // a recognized one may teach an id, or be the rival that takes back one this page view taught.
  if (items.some((it) => it.result.status !== 'none' || idsOf(it.entry.ids).length)) {
    ctx.pending.learn.add(state);
    queued = true;
  }
  if (queued) ctx.platform.scheduleFlush();
}

/**
 * Dexie reports the exact keys of a bulk write only below 50 rows; a larger one is reported as
 * "the whole table changed", which would make the background rebuild its match index from every
 * paper. The background's own paper writes therefore go in batches of 49 (same transaction).
 */
async function putInSmallBatches(db: ShelfmarkDB, rows: Paper[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 49) await db.papers.bulkPut(rows.slice(i, i + 49));
}

/**
 * Writes queued sightings in one transaction, stamps the papers' lastSeenAt, and stores ids the
 * matched papers lacked (a paper matched by title on a page whose entry links its arXiv id learns
 * the id, so the next visit is an id lookup). An id another paper already has is not copied.
 */
export async function flushSightings(ctx: Context): Promise<number> {
  const rows = ctx.pending.sightings.splice(0);
  const pages = [...ctx.pending.learn];
  ctx.pending.learn.clear();
  // What each page view may teach, and what it taught that a later batch contradicts.
  const learn = new Map<string, LearnOffer>();
  const teacher = new Map<string, TabState>();
  const takeBack: { state: TabState; paperId: string; ids: TaughtId[] }[] = [];
  for (const state of pages) {
    const offers = pageOffers([...state.entries.values()], state.pageUrl);
    for (const [paperId, offer] of offers) {
      if (learn.has(paperId)) continue;
      learn.set(paperId, offer);
      teacher.set(paperId, state);
    }
    if (state.taught) for (const [paperId, ids] of withdrawals(state.taught, offers)) takeBack.push({ state, paperId, ids });
  }
  if (!rows.length && !learn.size && !takeBack.length) return 0;
  const index = ctx.index.peek() ?? (await ctx.index.get());
  const db = ctx.db;
  const seen = new Map<string, number>();
  for (const r of rows) if (r.paperId) seen.set(r.paperId, Math.max(seen.get(r.paperId) ?? 0, r.seenAt));
  // 1. Sightings and lastSeenAt: fields the match index does not read, so no revision stamp
  //    (the persisted index stays valid) and the background's own change listener skips them.
  const seenIds = [...seen.keys()];
  ctx.quietPapers = new Set(seenIds);
  try {
    await db.transaction('rw', db.sightings, db.papers, async () => {
      skipRevisionStamp();
      if (rows.length) await db.sightings.bulkAdd(rows);
      const papers = await db.papers.bulkGet(seenIds);
      const changed = papers.flatMap((p) =>
        p && !p.mergedInto && (p.lastSeenAt ?? 0) < seen.get(p.id)! ? [{ ...p, lastSeenAt: seen.get(p.id)! }] : [],
      );
      await putInSmallBatches(db, changed);
    });
  } finally {
    ctx.quietPapers = undefined;
  }
  // 2. Ids the matched papers lacked, and ids taken back: these do change the index.
  if (!learn.size && !takeBack.length) return rows.length;
  // Only sure, sole claims teach ids, with where they came from (lib/match/learn.ts).
  const owner = (kind: IdKind, value: string) => index.match({ title: '', ids: { [kind]: value } }).paperId;
  const updated = await db.transaction('rw', db.papers, async () => {
    const out: Paper[] = [];
    for (const t of takeBack) {
      const p = await db.papers.get(t.paperId);
      const next = p && withdrawIds(p, t.ids, t.state.pageUrl);
      if (next) out.push(next);
      t.state.taught!.delete(t.paperId);
    }
    if (out.length) await putInSmallBatches(db, out);
    const changed = applyOffers(await db.papers.bulkGet([...learn.keys()]), learn, owner);
    await putInSmallBatches(db, changed);
    return [...out, ...changed];
  });
  // Remember what each page view taught, to take it back if a later batch of it brings a rival.
  for (const p of updated) {
    const offer = learn.get(p.id);
    const state = teacher.get(p.id);
    const ids = offer ? taughtBy(p, offer) : [];
    if (state && ids.length) (state.taught ??= new Map()).set(p.id, ids);
  }
  for (const p of updated) ctx.index.upsert(p);
  return rows.length;
}
