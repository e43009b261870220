import { Dexie, type Table, type Transaction } from 'dexie';
import type { ListItemRow, PaperTagRow, ShelfmarkDB } from '../storage/db';
import type { Paper } from '../model/types';
import type { Backup } from '../storage/backup';
import { phaseTimer } from './timing';
import { ImportPlan, randomPaperId } from './plan';
import { parsedSource, type RecordSource } from './source';
import { ImportError, type ImportProgress, type ImportReport, type ParsedImport } from './types';

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
  /** Records matched between two additions to the match index; default INDEX_BATCH (lib/import/plan.ts). */
  indexBatch?: number;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('The import was cancelled.', 'AbortError');
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** Imports a parsed file: see applyImportFrom. */
export async function applyImport(db: ShelfmarkDB, parsed: ParsedImport, opts: ApplyOptions = {}): Promise<ImportReport> {
  return applyImportFrom(db, parsedSource(parsed), opts);
}

/** New papers handed from the matching to the writer, and how the matching ended. */
interface Feed {
  batches: Paper[][];
  done: boolean;
  error?: unknown;
}

/**
 * Matches every record against the corpus and the records before it (ImportPlan) and writes the
 * result in ONE Dexie transaction: any error, or a cancel, before the commit leaves the database
 * as it was. The transaction opens first and reads the corpus snapshot, so nothing can change
 * under the plan; new papers are written while later records are still being read and matched
 * (IndexedDB's per-row cost then overlaps the parsing and matching instead of following them);
 * updates of existing papers, papers a later record changed, tags, notes and lists are written
 * once the last record is matched.
 */
export async function applyImportFrom(db: ShelfmarkDB, source: RecordSource, opts: ApplyOptions = {}): Promise<ImportReport> {
  const { signal, onProgress } = opts;
  const yieldEvery = opts.yieldEvery ?? 250;
  const sourceName = opts.filename ?? `${source.format} import`;
  throwIfAborted(signal);
  const timer = phaseTimer();
  const now = Date.now();
  const parseWarnings: string[] = [];
  let plan: ImportPlan | undefined;
  const tables = [db.papers, db.tags, db.paperTags, db.notes, db.lists, db.listItems, db.sightings, db.notDuplicates];
  try {
    await db.transaction('rw', tables, async () => {
      const p = new ImportPlan(await db.papers.toArray(), { source: sourceName, tag: opts.tag, indexBatch: opts.indexBatch, now });
      plan = p;
      const early = new EarlyTags(await db.tags.toArray(), p, now);
      const feed: Feed = { batches: [], done: false };
      // The matching runs in its own tasks, outside the transaction's zone; the writer below keeps
      // the transaction alive and writes what the matching hands over.
      void Dexie.ignoreTransaction(() => matchAll(source, p, feed, parseWarnings, { signal, onProgress, yieldEvery, timer }));
      const trans = Dexie.currentTransaction!;
      const written = await writeCreated(trans, feed, early, () => timer.start('write'));
      await writeRest(db, p, early, source.backup, opts, now, written);
    });
  } finally {
    source.close();
  }
  timer.end('write');
  timer.end('tail');
  timer.flush();
  const done = plan!;
  const writeTotal = done.created.size + done.patches.size + done.order.length;
  onProgress?.({ phase: 'write', done: writeTotal, total: writeTotal });
  return { format: source.format, ...done.report, warnings: [...parseWarnings, ...done.warnings], paperIds: done.order };
}

/** Reads the source slice by slice and matches its records, handing new papers to the writer as it goes. */
async function matchAll(
  source: RecordSource,
  plan: ImportPlan,
  feed: Feed,
  parseWarnings: string[],
  o: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; yieldEvery: number; timer: ReturnType<typeof phaseTimer> },
): Promise<void> {
  const handOver = () => {
    const created = plan.takeCreated();
    if (created.length) feed.batches.push(created);
  };
  try {
    let total = 0;
    for (;;) {
      throwIfAborted(o.signal);
      const slice = await source.next();
      if (!slice) break;
      o.timer.add('parse', slice.parseMs);
      for (const w of slice.warnings) parseWarnings.push(w);
      total = slice.total;
      o.onProgress?.({ phase: 'parse', done: slice.done, total: slice.total });
      let t0 = performance.now();
      for (const rec of slice.records) {
        const i = plan.size;
        if (i % o.yieldEvery === 0) {
          throwIfAborted(o.signal);
          o.onProgress?.({ phase: 'match', done: i, total });
          if (i) {
            handOver();
            o.timer.add('match', performance.now() - t0);
            await tick();
            t0 = performance.now();
          }
        }
        plan.add(rec);
      }
      handOver();
      o.timer.add('match', performance.now() - t0);
    }
    const t1 = performance.now();
    plan.finish();
    o.timer.add('match', performance.now() - t1);
    throwIfAborted(o.signal);
    o.onProgress?.({ phase: 'match', done: plan.size, total: plan.size });
    o.timer.start('tail');
    feed.done = true;
  } catch (e) {
    feed.error = e;
  }
}

/**
 * Writes the new papers the matching hands over, inside the running transaction, until the
 * matching ends; returns how many were written. IndexedDB keeps a transaction open only while it
 * has requests, and new requests can be placed only from a request's callback: so a batch is
 * written as two halves with a cheap read between them, whose callback hands over the next batch
 * while the second half is still being written (the database never waits for the page), or, with
 * nothing to hand over yet, places another cheap read.
 */
function writeCreated(trans: Transaction, feed: Feed, early: EarlyTags, onFirst: () => void): Promise<number> {
  const papers = trans.table('papers') as Table<Paper, string>;
  const paperTags = trans.table('paperTags') as Table<PaperTagRow, [string, string]>;
  const store = trans.idbtrans.objectStore('papers');
  const pending: Promise<unknown>[] = [];
  let failure: unknown;
  let written = 0;
  const add = (xs: Paper[]) => {
    if (!xs.length) return;
    if (!written) onFirst();
    written += xs.length;
    pending.push(
      papers.bulkAdd(xs).catch((e: Error) => {
        // An id another writer took since the snapshot: the whole import is refused, nothing is written.
        failure ??= e.name === 'BulkError' || e.name === 'ConstraintError' ? changed() : e;
      }),
    );
    const tagRows = early.rowsFor(xs);
    if (tagRows.length)
      pending.push(
        paperTags.bulkPut(tagRows).catch((e: unknown) => {
          failure ??= e;
        }),
      );
  };
  return new Dexie.Promise<number>((resolve, reject) => {
    trans.idbtrans.addEventListener('abort', () => reject(trans.idbtrans.error ?? new DOMException('The import was cancelled.', 'AbortError')));
    const wake = () => {
      store.get(-Infinity).onsuccess = pump;
    };
    const pump = () => {
      try {
        if (failure !== undefined) return reject(failure);
        if (feed.error !== undefined) return reject(feed.error);
        const batch = feed.batches.length === 1 ? feed.batches.pop()! : feed.batches.splice(0).flat();
        if (batch.length) {
          const half = batch.length >> 1;
          add(batch.slice(0, half));
          wake();
          add(batch.slice(half));
        } else if (feed.done) {
          // Every write is placed; wait for them in the transaction's zone, then report.
          Dexie.Promise.all(pending).then(() => (failure !== undefined ? reject(failure) : resolve(written)), reject);
        } else wake();
      } catch (e) {
        reject(e);
      }
    };
    pump();
  });
}

/** Everything after the new papers: papers changed after they were written, updates of existing papers, tags, notes, lists, a backup's extras. */
async function writeRest(db: ShelfmarkDB, plan: ImportPlan, early: EarlyTags, backup: Backup | undefined, opts: ApplyOptions, now: number, writtenEarly: number): Promise<void> {
  const { signal, onProgress } = opts;
  const writeTotal = plan.created.size + plan.patches.size + plan.order.length;
  let written = writtenEarly;
  const step = (n: number) => {
    written += n;
    onProgress?.({ phase: 'write', done: Math.min(written, writeTotal), total: writeTotal });
    throwIfAborted(signal);
  };
  step(0);
  // A paper this file created and a later record of the same file changed: written again, whole.
  const again = [...plan.changedAfterHandout].map((id) => plan.created.get(id)!);
  for (let i = 0; i < again.length; i += 500) await db.papers.bulkPut(again.slice(i, i + 500));
  const patchIds = [...plan.patches.keys()];
  const current = await db.papers.bulkGet(patchIds);
  const updated: Paper[] = [];
  current.forEach((p, i) => {
    const id = patchIds[i]!;
    if (!p || p.mergedInto) throw changed();
    const patch = plan.patches.get(id)!;
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

  // Tags: an existing tag differing only in case keeps its spelling (as lib/actions does); a tag
  // new to the library is spelled as in the first paper (in file order) that has it.
  const spelling = new Map(early.library);
  const newTags: { name: string; createdAt: number }[] = [];
  const wanted: { paperId: string; tag: string; addedAt: number }[] = [];
  for (const [paperId, tags] of plan.tagsFor) {
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
  // Only papers that existed can have tag rows already; a new paper's rows need no lookup, and most
  // were written with the paper. A later record may have added a tag to it, or brought a spelling
  // that comes first in file order: those rows are written now, the misspelled ones removed.
  const created = plan.created;
  const onNew = wanted.filter((w) => created.has(w.paperId));
  const wantedOnNew = new Set(onNew.map(tagRowKey));
  const stale = [...early.written].flatMap(([paperId, names]) => [...names].filter((tag) => !wantedOnNew.has(tagRowKey({ paperId, tag }))).map((tag) => [paperId, tag] as [string, string]));
  if (stale.length) await db.paperTags.bulkDelete(stale);
  const onOld = wanted.filter((w) => !created.has(w.paperId));
  const have = await db.paperTags.bulkGet(onOld.map((w) => [w.paperId, w.tag] as [string, string]));
  const missing = dedupeBy([...onNew.filter((w) => !early.written.get(w.paperId)?.has(w.tag)), ...onOld.filter((_, i) => !have[i])], tagRowKey);
  if (missing.length) await db.paperTags.bulkPut(missing);

  // Notes: an imported note is appended to the paper's note unless the note already holds it.
  const noteIds = [...plan.notesFor.keys()];
  const notes = await db.notes.bulkGet(noteIds);
  const noteRows = noteIds.flatMap((paperId, i) => {
    const old = notes[i]?.text ?? '';
    const add = plan.notesFor.get(paperId)!.filter((n) => !old.includes(n));
    if (!add.length) return [];
    return [{ paperId, text: [old, ...add].filter(Boolean).join('\n\n'), updatedAt: now }];
  });
  if (noteRows.length) await db.notes.bulkPut(noteRows);

  if (opts.listName) await appendToList(db, opts.listName, plan.order, now);
  if (backup) await mergeBackupExtras(db, backup, plan.sourceMap, now, plan);
  step(plan.order.length);
}

/**
 * Tag rows of new papers, written with the papers. A tag the library has keeps its spelling; a
 * tag new to it is spelled as first met here, which the last record may still change (writeRest
 * then rewrites those rows). Which rows were written is kept per paper.
 */
class EarlyTags {
  /** Lower-cased name → the library's spelling, read when the import's transaction opened. */
  readonly library: Map<string, string>;
  readonly written = new Map<string, Set<string>>();
  private readonly provisional = new Map<string, string>();

  constructor(
    tags: readonly { name: string }[],
    private readonly plan: ImportPlan,
    private readonly now: number,
  ) {
    this.library = new Map(tags.map((t) => [t.name.toLowerCase(), t.name]));
  }

  rowsFor(papers: readonly Paper[]): PaperTagRow[] {
    const rows: PaperTagRow[] = [];
    for (const p of papers) {
      const tags = this.plan.tagsFor.get(p.id);
      if (!tags?.size) continue;
      const done = new Set<string>();
      for (const t of tags) {
        const lower = t.toLowerCase();
        let name = this.library.get(lower) ?? this.provisional.get(lower);
        if (!name) this.provisional.set(lower, (name = t));
        if (done.has(name)) continue;
        done.add(name);
        rows.push({ paperId: p.id, tag: name, addedAt: this.now });
      }
      this.written.set(p.id, done);
    }
    return rows;
  }
}

const tagRowKey = (w: { paperId: string; tag: string }) => `${w.paperId}\u0000${w.tag}`;

function dedupeBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
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
async function mergeBackupExtras(db: ShelfmarkDB, b: Backup, map: Map<string, string>, now: number, plan: ImportPlan): Promise<void> {
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
  if (liveMerged) plan.warnings.push(`${liveMerged} merge-history entries of the backup were not carried over (merging into a library keeps only its own history; use "Replace" to restore everything).`);
}
