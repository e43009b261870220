import type { DBCore, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Dexie } from 'dexie';
import { browser } from 'wxt/browser';

/**
 * Nothing the user saves may fail silently. IndexedDB refuses writes when the profile is out of
 * space (QuotaExceededError, often only at commit time), and in some private windows it cannot
 * open at all. Every ShelfmarkDB instance — background, popup, library page — runs this guard:
 * a failed write is recorded, with what it was (the tag, the note's first words, the list), in a
 * small "unsaved changes" record the popup shows until the user dismisses it.
 *
 * The record lives in browser.storage.session (shared by the background and the extension pages,
 * survives a stopped service worker, gone when the browser closes — as the unsaved changes are)
 * and, where that is unavailable, in this context's memory.
 */

export interface UnsavedChange {
  id: string;
  at: number;
  /** What was not saved, in words the user recognizes ("tag “RL” on 2 papers"). */
  what: string;
  /** The browser's reason ("QuotaExceededError: …"). */
  error: string;
}

export const UNSAVED_KEY = 'shelfmark.unsaved';
/** A failing loop must not fill storage.session (10 MB) with copies of one failure. */
export const MAX_UNSAVED = 50;
const MAX_WHAT = 300;

/** Error names that mean the browser's storage refused or lost the write (Dexie keeps DOMException names). */
const STORAGE_FAILURES = new Set([
  'QuotaExceededError',
  'UnknownError',
  'InvalidStateError',
  'NotReadableError',
  'DataCloneError',
  'TransactionInactiveError',
  'DatabaseClosedError',
  'OpenFailedError',
  'MissingAPIError',
  'InvalidAccessError',
  'NotFoundError',
  'VersionError',
  'UpgradeError',
  'SecurityError',
]);

function errorName(e: unknown): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  return typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}

/** True for errors from the storage itself, not from validation (ActionError, BackupError, a bug's TypeError). */
export function isStorageFailure(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 4; depth++) {
    const name = errorName(cur);
    if (name && STORAGE_FAILURES.has(name)) return true;
    // Dexie wraps the DOMException (AbortError, BulkError, OpenFailedError…) and keeps it as `inner`.
    const next = (cur as { inner?: unknown; failures?: unknown[] }).inner ?? (cur as { failures?: unknown[] }).failures?.[0];
    cur = next;
  }
  return false;
}

export function describeError(e: unknown): string {
  if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) {
    const inner = (e as { inner?: unknown }).inner;
    const own = `${errorName(e) ?? 'Error'}: ${String((e as { message?: unknown }).message ?? '')}`;
    return inner && inner !== e ? `${own} (${describeError(inner)})` : own;
  }
  return String(e);
}

// ---- the record -------------------------------------------------------------------------------

let memory: UnsavedChange[] = [];
const listeners = new Set<(items: UnsavedChange[]) => void>();

function session(): typeof browser.storage.session | undefined {
  try {
    return browser.storage?.session;
  } catch {
    return undefined;
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

let seq = 0;
function newId(): string {
  seq += 1;
  return `${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Writes are serialized so two failures reported at once do not overwrite each other's record. */
let chain: Promise<unknown> = Promise.resolve();

/** Records a change that was not saved. Never throws: the reporter must not become a new failure. */
export function recordUnsaved(what: string, error: unknown): Promise<UnsavedChange> {
  const item: UnsavedChange = { id: newId(), at: Date.now(), what: clip(what, MAX_WHAT), error: clip(describeError(error), MAX_WHAT) };
  console.warn(`Shelfmark: not saved: ${item.what} — ${item.error}`);
  const run = chain.then(async () => {
    memory = [...memory, item].slice(-MAX_UNSAVED);
    const s = session();
    if (s) {
      try {
        const cur = await readSession(s);
        const merged = dedupe([...cur, ...memory]).slice(-MAX_UNSAVED);
        await s.set({ [UNSAVED_KEY]: merged });
        memory = merged;
      } catch {
        // storage.session unavailable (no permission, old browser): the in-memory record remains.
      }
    }
    for (const l of listeners) l(memory);
    return item;
  });
  chain = run.catch(() => undefined);
  return run;
}

function dedupe(items: UnsavedChange[]): UnsavedChange[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true))).toSorted((a, b) => a.at - b.at);
}

function isUnsaved(x: unknown): x is UnsavedChange {
  return (
    !!x &&
    typeof x === 'object' &&
    typeof (x as UnsavedChange).id === 'string' &&
    typeof (x as UnsavedChange).what === 'string' &&
    typeof (x as UnsavedChange).error === 'string' &&
    typeof (x as UnsavedChange).at === 'number'
  );
}

async function readSession(s: NonNullable<ReturnType<typeof session>>): Promise<UnsavedChange[]> {
  const got = (await s.get(UNSAVED_KEY)) as Record<string, unknown>;
  const v = got[UNSAVED_KEY];
  return Array.isArray(v) ? v.filter(isUnsaved) : [];
}

/** Every unsaved change known to this browser session (all extension contexts), oldest first. */
export async function listUnsaved(): Promise<UnsavedChange[]> {
  await chain;
  const s = session();
  if (s) {
    try {
      return dedupe([...(await readSession(s)), ...memory]).slice(-MAX_UNSAVED);
    } catch {
      // Fall through to memory.
    }
  }
  return [...memory];
}

/** The user saw them: forgets the given changes (all when no ids are given). */
export async function dismissUnsaved(ids?: readonly string[]): Promise<void> {
  const drop = (items: UnsavedChange[]) => (ids ? items.filter((i) => !ids.includes(i.id)) : []);
  const run = chain.then(async () => {
    memory = drop(memory);
    const s = session();
    if (s) {
      try {
        await s.set({ [UNSAVED_KEY]: drop(await readSession(s)) });
      } catch {
        // Memory already cleared.
      }
    }
    for (const l of listeners) l(memory);
  });
  chain = run.catch(() => undefined);
  await run;
}

/** Calls `cb` with the current list whenever any context records or dismisses a change. */
export function watchUnsaved(cb: (items: UnsavedChange[]) => void): () => void {
  const local = () => void listUnsaved().then(cb);
  listeners.add(local);
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'session' && UNSAVED_KEY in changes) local();
  };
  let watching = false;
  try {
    browser.storage?.onChanged?.addListener(onChanged);
    watching = true;
  } catch {
    // No storage API: local changes only.
  }
  local();
  return () => {
    listeners.delete(local);
    if (watching) browser.storage.onChanged.removeListener(onChanged);
  };
}

/** Test helper: forget the in-memory record. */
export function resetUnsavedMemory(): void {
  memory = [];
}

// ---- describing a failed write ----------------------------------------------------------------

type Row = Record<string, unknown>;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quote = (s: unknown) => `“${clip(String(s ?? ''), 60)}”`;

/** Words for one failed mutation, from what it tried to write. Undefined: not user data (caches). */
export function describeMutation(table: string, req: DBCoreMutateRequest): string | undefined {
  const values = (req.type === 'add' || req.type === 'put' ? (req.values as Row[]) : []).filter((v) => v && typeof v === 'object');
  const keys = req.type === 'delete' ? req.keys : [];
  const uniq = (f: (v: Row) => unknown) => [...new Set(values.map(f).map(String))];
  switch (table) {
    case 'indexParts':
      return undefined; // A cache: rebuilt from the papers when it is missing.
    case 'meta':
      if (values.every((v) => v.key === 'papersRevision')) return undefined;
      return `settings (${uniq((v) => v.key).slice(0, 3).join(', ')})`;
    case 'paperTags': {
      if (req.type === 'delete') return `removing a tag from ${plural(keys.length, 'paper')}`;
      const tags = uniq((v) => v.tag);
      return `tag ${tags.slice(0, 3).map(quote).join(', ')} on ${plural(uniq((v) => v.paperId).length, 'paper')}`;
    }
    case 'tags':
      if (req.type === 'delete') return `deleting tag ${keys.slice(0, 3).map(quote).join(', ')}`;
      return `tag ${uniq((v) => v.name).slice(0, 3).map(quote).join(', ')}`;
    case 'notes':
      if (req.type === 'delete') return `clearing a note`;
      return `note ${quote(values[0]?.text)}${values.length > 1 ? ` and ${plural(values.length - 1, 'more note')}` : ''}`;
    case 'lists':
      if (req.type === 'delete') return `deleting a reading list`;
      return `reading list ${uniq((v) => v.name).slice(0, 3).map(quote).join(', ')}`;
    case 'listItems': {
      if (req.type === 'delete') return `removing ${plural(keys.length, 'paper')} from a reading list`;
      return `${plural(values.length, 'reading-list entry', 'reading-list entries')} (papers added, order or read state)`;
    }
    case 'papers':
      if (req.type === 'delete') return `removing ${plural(keys.length, 'paper')}`;
      return values.length === 1 ? `paper ${quote(values[0]?.title)}` : `${plural(values.length, 'paper')} (corpus)`;
    case 'sightings':
      return `${plural(Math.max(values.length, keys.length), 'sighting')} of papers on pages`;
    case 'merges':
    case 'notDuplicates':
      return 'a duplicate decision (merge or "not a duplicate")';
    case 'backups':
      return 'an automatic backup';
    default:
      return `changes to ${table}`;
  }
}

// ---- the middleware ----------------------------------------------------------------------------

/** What each live write transaction tried to write, so a commit-time failure can say what was lost. */
const pending = new WeakMap<object, string[]>();
const reported = new WeakSet<object>();

function reportTransaction(trans: object, error: unknown, fallback: string): void {
  if (reported.has(trans)) return;
  reported.add(trans);
  const parts = [...new Set(pending.get(trans) ?? [])];
  if (!parts.length && !fallback) return;
  void recordUnsaved(parts.length ? parts.join('; ') : fallback, error);
}

/** Installs the guard on a Dexie instance (every ShelfmarkDB does it in its constructor). */
export function installStorageGuard(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'shelfmark-storage-guard',
    create(down: DBCore): Partial<DBCore> {
      return {
        ...down,
        transaction(stores, mode, options): DBCoreTransaction {
          const trans = down.transaction(stores, mode, options);
          if (mode === 'readwrite') {
            pending.set(trans, []);
            // Quota errors often come at commit: the transaction aborts with the error after every
            // request succeeded. An abort without an error is a rollback the code asked for.
            const idb = trans as unknown as Partial<IDBTransaction>;
            idb.addEventListener?.('abort', () => {
              const err = idb.error;
              if (err && isStorageFailure(err)) {
                const user = stores.filter((s) => s !== 'indexParts' && s !== 'meta');
                reportTransaction(trans, err, user.length ? `changes to ${user.join(', ')}` : '');
              }
            });
          }
          return trans;
        },
        table(name: string): DBCoreTable {
          const table = down.table(name);
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              const what = describeMutation(name, req);
              if (what) pending.get(req.trans)?.push(what);
              return table.mutate(req).catch((e: unknown) => {
                if (isStorageFailure(e) && what) reportTransaction(req.trans, e, what);
                throw e;
              });
            },
          };
        },
      };
    },
  });
}

/**
 * Opens the database now and records it when the browser cannot open it (private windows, a
 * profile without space): the popup then says nothing will be saved, instead of every click
 * failing without a word.
 */
export function openOrReport(db: Dexie): Promise<boolean> {
  return db.open().then(
    () => true,
    (e: unknown) => {
      void recordUnsaved('Nothing can be saved: this browser profile does not let Shelfmark open its database', e);
      return false;
    },
  );
}
