import type { ListItemRow, ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import type { Backup } from '../storage/backup';
import { MatchIndex } from '../match';
import { titleKey } from '../model/normalize';
import { paperIdFields, type PaperIdFields } from '../model/ids';
import { paperIdFromKey } from '../corpus/corpus';
import { LIMITS } from '../messaging/messages';
import { phaseTimer } from './timing';
import { ImportError, type ImportProgress, type ImportRecord, type ImportReport, type ParsedImport } from './types';

/** The import was planned against records another writer changed meanwhile: all or nothing, so nothing is written. */
const changed = () => new ImportError('The library changed while the import was prepared; nothing was written. Please import again.');

export interface ApplyOptions {
  /** File name recorded in provenance. */
  filename?: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** A tag added to every imported paper. */
  tag?: string;
  /** A reading list every imported paper is appended to (created when there is no live list of that name). */
  listName?: string;
  /** The match phase yields to the event loop every this many records, so progress paints and cancel is heard. */
  yieldEvery?: number;
  /** Records matched between two additions to the match index; default INDEX_BATCH. */
  indexBatch?: number;
}

const MAX_TAG = LIMITS.tagChars;
/** Records matched between two additions to the match index (see applyImport). */
const INDEX_BATCH = 2000;
const MAX_TITLE = 1000;

/** One-line text in NFC (parsers may hand back decomposed accents: "u" + U+0308 for ü). */
function cleanText(s: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const t = s?.normalize('NFC').replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return t || undefined;
}

function randomPaperId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'p' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('The import was cancelled.', 'AbortError');
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** What the import will write to an existing paper: only fields it lacks, never overwriting. */
interface Patch {
  fields: Partial<Paper>;
  aliasKeys: Set<string>;
  provenance: Paper['provenance'];
}

/**
 * Matches every record against the corpus (MatchIndex), plans the writes, then writes them in
 * ONE Dexie transaction. Any error or a cancel before the commit leaves the database as it was.
 */
export async function applyImport(db: ShelfmarkDB, parsed: ParsedImport, opts: ApplyOptions = {}): Promise<ImportReport> {
  const { signal, onProgress } = opts;
  const yieldEvery = opts.yieldEvery ?? 250;
  const indexBatch = Math.max(1, opts.indexBatch ?? INDEX_BATCH);
  const source = opts.filename ?? `${parsed.format} import`;
  throwIfAborted(signal);
  const report: ImportReport = {
    format: parsed.format,
    new: 0,
    merged: 0,
    skipped: 0,
    maybe: 0,
    details: [],
    warnings: [...parsed.warnings],
    paperIds: [],
  };

  const timer = phaseTimer();
  timer.start('match');
  // ---- snapshot and matcher ----------------------------------------------------------------
  const { live, allIds } = await db.transaction('r', db.papers, async () => {
    const all = await db.papers.toArray();
    return { live: all.filter((p) => !p.mergedInto), allIds: new Set(all.map((p) => p.id)) };
  });
  const existing = new Map(live.map((p) => [p.id, p]));
  const index = MatchIndex.build(live);

  // ---- plan ----------------------------------------------------------------------------------
  const now = Date.now();
  const created = new Map<string, Paper>();
  const patches = new Map<string, Patch>();
  const tagsFor = new Map<string, Set<string>>();
  const notesFor = new Map<string, string[]>();
  const order: string[] = [];
  const seenInOrder = new Set<string>();
  const sourceMap = new Map<string, string>();
  const extraTag = opts.tag ? cleanTagName(opts.tag) : undefined;
  if (opts.tag && !extraTag) throw new ImportError(`The tag "${opts.tag}" is empty or longer than ${MAX_TAG} characters.`);

  const total = parsed.records.length;
  // Papers this batch created or patched: added to the index every INDEX_BATCH records. Adding
  // after every record made the index rebuild its delta segment before every query (quadratic:
  // minutes for 60k records). Within a batch, a repeat is found by its exact title key or an id;
  // a fuzzy repeat (a typo) within one batch becomes a new paper that the duplicates view offers.
  const touched = new Set<string>();
  const batchKeys = new Map<string, string>();
  const flushIndex = () => {
    index.addMany([...touched].map((target) => indexView(created.get(target) ?? patchedView(existing.get(target)!, patches.get(target)!))));
    touched.clear();
    batchKeys.clear();
  };
  const batchTarget = (key: string, ids: ReturnType<typeof paperIdFields>): string | undefined =>
    (ids.arxivId && batchKeys.get(`a:${ids.arxivId}`)) || (ids.doi && batchKeys.get(`d:${ids.doi}`)) || (ids.openreviewId && batchKeys.get(`o:${ids.openreviewId}`)) || (key && batchKeys.get(`k:${key}`)) || undefined;
  for (let i = 0; i < total; i++) {
    if (i % indexBatch === 0) flushIndex();
    if (i % yieldEvery === 0) {
      throwIfAborted(signal);
      onProgress?.({ phase: 'match', done: i, total });
      if (i) await tick();
    }
    const rec = parsed.records[i]!;
    const where = rec.line ? `line ${rec.line}` : `record ${i + 1}`;
    const title = cleanText(rec.title)?.slice(0, MAX_TITLE);
    const key = title ? titleKey(title) : '';
    const ids = paperIdFields(rec.ids);
    const hasIds = Object.keys(ids).length > 0;
    if (!key && !hasIds) {
      report.skipped++;
      report.details.push(`${where}: no title and no arXiv id, DOI, OpenReview id or PMID.`);
      continue;
    }
    let res = index.match({ title: title ?? '', ids: { arxiv: ids.arxivId, doi: ids.doi, openreview: ids.openreviewId, pmid: ids.pmid }, abstract: rec.abstract });
    if (res.status !== 'match') {
      const earlier = batchTarget(key, ids);
      if (earlier) res = { status: 'match', paperId: earlier, candidates: [], reason: 'same batch' };
    }
    let target: string;
    const prov: Paper['provenance'][number] = { kind: 'import', source, ...(rec.line ? { line: rec.line } : {}), ...(rec.listingDate ? { listingDate: rec.listingDate } : {}) };
    if (res.status === 'match' && res.paperId && (existing.has(res.paperId) || created.has(res.paperId))) {
      target = res.paperId;
      report.merged++;
      const fresh = created.get(target);
      if (fresh) {
        // A second record of a paper new in this same file: fold it into the planned paper.
        fillPaper(fresh, rec, ids, key);
        fresh.provenance.push(prov);
      } else {
        const p = existing.get(target)!;
        const patch = patches.get(target) ?? { fields: {}, aliasKeys: new Set(), provenance: [] };
        patches.set(target, patch);
        planPatch(p, patch, rec, ids, key);
        patch.provenance.push(prov);
      }
      touched.add(target);
    } else if (key && title) {
      const free = (x: string | undefined): x is string => !!x && !allIds.has(x) && !created.has(x);
      // A backup's paper keeps its id when it is free here, so its history stays attached.
      let id = free(rec.sourceId) ? rec.sourceId : paperIdFromKey(key);
      if (!free(id)) id = randomPaperId();
      const src = rec.sourcePaper;
      const paper: Paper = src
        ? { ...src, id, aliasKeys: [...src.aliasKeys], provenance: [...src.provenance, prov], updatedAt: now }
        : { id, title, key, aliasKeys: [], provenance: [prov], origin: 'import', addedAt: now, updatedAt: now };
      delete paper.mergedInto;
      fillPaper(paper, rec, ids, key);
      created.set(id, paper);
      touched.add(id);
      target = id;
      report.new++;
      if (res.status === 'maybe') {
        report.maybe++;
        report.details.push(`${where}: "${title.slice(0, 80)}" may be a paper already in the library; added as new, review it under duplicates.`);
      }
    } else {
      report.skipped++;
      report.details.push(`${where}: ${describeIds(ids)} is not in the library and the file gives no title.`);
      continue;
    }
    if (key) batchKeys.set(`k:${key}`, target);
    if (ids.arxivId) batchKeys.set(`a:${ids.arxivId}`, target);
    if (ids.doi) batchKeys.set(`d:${ids.doi}`, target);
    if (ids.openreviewId) batchKeys.set(`o:${ids.openreviewId}`, target);
    if (rec.sourceId) sourceMap.set(rec.sourceId, target);
    if (!seenInOrder.has(target)) {
      seenInOrder.add(target);
      order.push(target);
    }
    const tags = tagsFor.get(target) ?? new Set<string>();
    tagsFor.set(target, tags);
    for (const t of rec.tags) {
      const c = cleanTagName(t);
      if (c) tags.add(c);
      else report.warnings.push(`${where}: tag "${t.slice(0, 40)}" ignored (empty or over ${MAX_TAG} characters).`);
    }
    if (extraTag) tags.add(extraTag);
    const note = rec.note?.trim();
    if (note) {
      const n = notesFor.get(target) ?? [];
      if (!n.includes(note)) n.push(note);
      notesFor.set(target, n);
    }
  }
  flushIndex();
  throwIfAborted(signal);
  onProgress?.({ phase: 'match', done: total, total });
  report.paperIds = order;
  timer.end('match');
  timer.start('write');

  // ---- write: one transaction ------------------------------------------------------------
  const writeTotal = created.size + patches.size + order.length;
  let written = 0;
  const step = (n: number) => {
    written += n;
    onProgress?.({ phase: 'write', done: Math.min(written, writeTotal), total: writeTotal });
    throwIfAborted(signal);
  };
  const tables = [db.papers, db.tags, db.paperTags, db.notes, db.lists, db.listItems, db.sightings, db.notDuplicates];
  await db.transaction('rw', tables, async () => {
    step(0);
    // Someone may have written papers since the snapshot (another tab): the new papers are added
    // with bulkAdd, which refuses an id that exists, and the refusal aborts the whole transaction.
    // (Checking first with a bulkGet read every new id again: a third of the write time at 60k.)
    const patchIds = [...patches.keys()];
    const current = await db.papers.bulkGet(patchIds);
    const updated: Paper[] = [];
    current.forEach((p, i) => {
      const id = patchIds[i]!;
      if (!p || p.mergedInto) throw changed();
      const patch = patches.get(id)!;
      const next: Paper = { ...p };
      for (const [k, v] of Object.entries(patch.fields)) {
        if ((next as unknown as Record<string, unknown>)[k] === undefined) (next as unknown as Record<string, unknown>)[k] = v;
      }
      next.aliasKeys = [...new Set([...(p.aliasKeys ?? []), ...patch.aliasKeys])].filter((k) => k !== p.key);
      next.provenance = [...(p.provenance ?? []), ...patch.provenance];
      next.updatedAt = now;
      updated.push(next);
    });
    for (let i = 0; i < updated.length; i += 500) {
      await db.papers.bulkPut(updated.slice(i, i + 500));
      step(Math.min(500, updated.length - i));
    }
    const fresh = [...created.values()];
    for (let i = 0; i < fresh.length; i += 500) {
      try {
        await db.papers.bulkAdd(fresh.slice(i, i + 500));
      } catch (e) {
        if ((e as Error).name === 'BulkError' || (e as Error).name === 'ConstraintError') throw changed();
        throw e;
      }
      step(Math.min(500, fresh.length - i));
    }

    // Tags: an existing tag differing only in case keeps its spelling (as lib/actions does).
    const tagRows = await db.tags.toArray();
    const spelling = new Map(tagRows.map((t) => [t.name.toLowerCase(), t.name]));
    const newTags: { name: string; createdAt: number }[] = [];
    const wanted: { paperId: string; tag: string; addedAt: number }[] = [];
    for (const [paperId, tags] of tagsFor) {
      for (const t of tags) {
        let name = spelling.get(t.toLowerCase());
        if (!name) {
          name = t;
          spelling.set(t.toLowerCase(), t);
          newTags.push({ name, createdAt: now });
        }
        wanted.push({ paperId, tag: name, addedAt: now });
      }
    }
    if (newTags.length) await db.tags.bulkAdd(newTags);
    // Only papers that existed can have tag rows already; a new paper's rows need no lookup.
    const onOld = wanted.filter((w) => !created.has(w.paperId));
    const have = await db.paperTags.bulkGet(onOld.map((w) => [w.paperId, w.tag] as [string, string]));
    const missing = dedupeBy([...wanted.filter((w) => created.has(w.paperId)), ...onOld.filter((_, i) => !have[i])], (w) => `${w.paperId}\u0000${w.tag}`);
    if (missing.length) await db.paperTags.bulkPut(missing);

    // Notes: an imported note is appended to the paper's note unless the note already holds it.
    const noteIds = [...notesFor.keys()];
    const notes = await db.notes.bulkGet(noteIds);
    const noteRows = noteIds.flatMap((paperId, i) => {
      const old = notes[i]?.text ?? '';
      const add = notesFor.get(paperId)!.filter((n) => !old.includes(n));
      if (!add.length) return [];
      return [{ paperId, text: [old, ...add].filter(Boolean).join('\n\n'), updatedAt: now }];
    });
    if (noteRows.length) await db.notes.bulkPut(noteRows);

    if (opts.listName) await appendToList(db, opts.listName, order, now);
    if (parsed.backup) await mergeBackupExtras(db, parsed.backup, sourceMap, now, report);
    step(order.length);
  });
  timer.end('write');
  onProgress?.({ phase: 'write', done: writeTotal, total: writeTotal });
  return report;
}

function describeIds(ids: PaperIdFields): string {
  if (ids.arxivId) return `arXiv:${ids.arxivId}`;
  if (ids.doi) return `DOI ${ids.doi}`;
  if (ids.openreviewId) return `OpenReview ${ids.openreviewId}`;
  return `PMID ${ids.pmid}`;
}

function cleanTagName(raw: string): string | undefined {
  const t = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  return t && t.length <= MAX_TAG ? t : undefined;
}

function dedupeBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
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
function fillPaper(p: Paper, rec: ImportRecord, ids: ReturnType<typeof paperIdFields>, key: string): void {
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
function planPatch(p: Paper, patch: Patch, rec: ImportRecord, ids: ReturnType<typeof paperIdFields>, key: string): void {
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

async function appendToList(db: ShelfmarkDB, name: string, paperIds: string[], now: number): Promise<string> {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (!clean || clean.length > 200) throw new ImportError('The list name is empty or longer than 200 characters.');
  const lower = clean.toLowerCase();
  let list = await db.lists.filter((l) => !l.deletedAt && l.name.toLowerCase() === lower).first();
  if (!list) {
    list = { id: randomPaperId().replace(/^p/, 'l'), name: clean, createdAt: now, updatedAt: now };
    await db.lists.add(list);
  }
  await appendItems(
    db,
    list.id,
    paperIds.map((paperId) => ({ paperId, read: false })),
    now,
  );
  return list.id;
}

async function appendItems(db: ShelfmarkDB, listId: string, items: { paperId: string; read: boolean }[], now: number): Promise<void> {
  const rows = await db.listItems.where('listId').equals(listId).toArray();
  const inList = new Map(rows.map((r) => [r.paperId, r]));
  let pos = rows.reduce((m, r) => Math.max(m, r.position), 0);
  const add: ListItemRow[] = [];
  const upd: ListItemRow[] = [];
  for (const it of items) {
    const had = inList.get(it.paperId);
    if (had) {
      // Read on either side stays read: marking something read is user work worth keeping.
      if (it.read && !had.read) upd.push({ ...had, read: true });
      continue;
    }
    const row: ListItemRow = { listId, paperId: it.paperId, position: ++pos, read: it.read, addedAt: now };
    inList.set(it.paperId, row);
    add.push(row);
  }
  if (add.length) await db.listItems.bulkAdd(add);
  if (upd.length) await db.listItems.bulkPut(upd);
}

/** Backup merged into a library (not a replace): lists with order and read state, sightings, "not duplicate" pairs. */
async function mergeBackupExtras(db: ShelfmarkDB, b: Backup, map: Map<string, string>, now: number, report: ImportReport): Promise<void> {
  const t = b.tables;
  const resolve = (id: string | undefined): string | undefined => {
    // A merged-away paper in the backup points (through mergedInto) at its survivor.
    let cur = id;
    for (let hops = 0; cur && hops < 16; hops++) {
      const m = map.get(cur);
      if (m) return m;
      cur = t.papers.find((p) => p.id === cur)?.mergedInto;
    }
    return undefined;
  };
  for (const list of t.lists) {
    if (list.deletedAt) continue;
    const items = t.listItems.filter((i) => i.listId === list.id).toSorted((a, c) => a.position - c.position);
    const lower = list.name.toLowerCase();
    let target = await db.lists.filter((l) => !l.deletedAt && l.name.toLowerCase() === lower).first();
    if (!target) {
      const id = (await db.lists.get(list.id)) ? randomPaperId().replace(/^p/, 'l') : list.id;
      target = { ...list, id, updatedAt: now };
      await db.lists.add(target);
    }
    const mapped = items.flatMap((i) => {
      const pid = resolve(i.paperId);
      return pid ? [{ paperId: pid, read: i.read }] : [];
    });
    await appendItems(db, target.id, mapped, now);
  }
  const sightings = t.sightings.map(({ id: _id, ...s }) => {
    const pid = resolve(s.paperId);
    const row = { ...s };
    if (pid) row.paperId = pid;
    else delete row.paperId;
    return row;
  });
  if (sightings.length) await db.sightings.bulkAdd(sightings);
  const pairs = t.notDuplicates.flatMap((r) => {
    const [a, c] = r.pair.split('|');
    const x = resolve(a);
    const y = resolve(c);
    return x && y && x !== y ? [{ pair: [x, y].toSorted().join('|'), at: r.at }] : [];
  });
  const havePairs = await db.notDuplicates.bulkGet(pairs.map((p) => p.pair));
  const newPairs = dedupeBy(pairs.filter((_, i) => !havePairs[i]), (p) => p.pair);
  if (newPairs.length) await db.notDuplicates.bulkAdd(newPairs);
  const liveMerged = t.merges.filter((m) => !m.undoneAt).length;
  if (liveMerged) report.warnings.push(`${liveMerged} merge-history entries of the backup were not carried over (merging into a library keeps only its own history; use "Replace" to restore everything).`);
}
