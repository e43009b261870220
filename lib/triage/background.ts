import type { ShelfmarkDB } from '../storage/db';
import type { EntryResult, WireEntry } from '../messaging/messages';
import { titleKey } from '../model/normalize';
import { dismissedAmong } from './dismiss';
import { MIN_PAPERS_PER_TAG, restoreModel, train, type Doc, type SerializedModel, type Suggestion, type TagModel } from './model';
import { fnv1a, loadSeen, pageLabel, persistSeen, seenHash, type SeenIndex, type SeenInfo } from './seen';
import { META } from '../storage/meta';

/**
 * The background's triage: adds "seen before", "dismissed" and suggested tags to match results,
 * records page views in the seen store, and keeps the suggestion model trained.
 *
 * Where the model trains: in the background itself (the MV3 service worker, Firefox's event page)
 * — never on a page's main thread, and Chrome offers no Worker inside a service worker. Training
 * awaits a macrotask between tags, so match requests are answered in between; a page is marked
 * with the last model until the new one is ready. The model is persisted (`triageParts.model`)
 * with a fingerprint of the user's tagging, so a cold worker loads it instead of retraining, and
 * retrains only when the tagging changed (a debounced retrain follows every tag write).
 */

export interface TriageSettings {
  /** How dismissed entries look on later listings. */
  dismissed: 'dim' | 'hide';
  /** Keyboard triage on listing pages. */
  keys: boolean;
}

export const DEFAULT_SETTINGS: TriageSettings = { dismissed: 'dim', keys: true };
export async function readSettings(db: ShelfmarkDB): Promise<TriageSettings> {
  const v = (await META.triageSettings.get(db)) ?? {};
  return {
    dismissed: v.dismissed === 'hide' ? 'hide' : 'dim',
    keys: v.keys !== false,
  };
}

export async function writeSettings(db: ShelfmarkDB, s: TriageSettings): Promise<void> {
  await META.triageSettings.put(db, { dismissed: s.dismissed, keys: s.keys });
}

/** Untagged corpus papers used as every tag's negatives: this many per tagged paper, at least UNTAGGED_MIN. */
const UNTAGGED_PER_TAGGED = 2;
const UNTAGGED_MIN = 500;
/** Entries whose suggestions are computed while the page waits; a bigger batch gets them just after. */
const SUGGEST_NOW = 300;
const SUGGEST_SLICE = 200;

interface PersistedModel {
  fingerprint: string;
  model: SerializedModel;
}

/** A fingerprint of the user's tagging: which paper carries which tag. */
export async function taggingFingerprint(db: ShelfmarkDB): Promise<string> {
  const rows = await db.paperTags.toArray();
  const lines = rows.map((r) => `${r.paperId}\t${r.tag}`).toSorted();
  return `${rows.length}:${fnv1a(lines.join('\n')).toString(16)}`;
}

/** The training set: every tagged paper (title + abstract) and a sample of untagged ones. */
export async function trainingDocs(db: ShelfmarkDB): Promise<Doc[]> {
  const rows = await db.paperTags.toArray();
  const byPaper = new Map<string, string[]>();
  for (const r of rows) {
    const list = byPaper.get(r.paperId);
    if (list) list.push(r.tag);
    else byPaper.set(r.paperId, [r.tag]);
  }
  const papers = await db.papers.bulkGet([...byPaper.keys()]);
  const docs: Doc[] = [];
  papers.forEach((p) => {
    if (p && !p.mergedInto) docs.push({ title: p.title, ...(p.abstract ? { abstract: p.abstract } : {}), tags: byPaper.get(p.id)! });
  });
  // Ids are hashes of titles, so their order is a fair sample of the corpus.
  const want = Math.max(UNTAGGED_MIN, UNTAGGED_PER_TAGGED * docs.length);
  const untagged = await db.papers
    .filter((p) => !byPaper.has(p.id) && !p.mergedInto)
    .limit(want)
    .toArray();
  for (const p of untagged) docs.push({ title: p.title, ...(p.abstract ? { abstract: p.abstract } : {}), tags: [] });
  return docs;
}

export class Triage {
  private seenLoad: Promise<SeenIndex> | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly views = new WeakMap<object, Map<number, SeenInfo | null>>();
  private model: TagModel | undefined;
  /** Bumped whenever the model changes; suggestion caches are per version. */
  private version = 0;
  private readonly suggestions = new WeakMap<object, { version: number; byEid: Map<number, Suggestion[]> }>();
  private modelLoad: Promise<void> | undefined;
  private trainTimer: ReturnType<typeof setTimeout> | undefined;
  private training: Promise<void> | undefined;
  private retrainAgain = false;
  /** Called after a training run replaced the model, and after late suggestions are ready. */
  onChange: () => void = () => {};
  /** Diagnostics: how the current model came to be. */
  lastModel: { source: 'loaded' | 'trained' | 'none'; ms?: number; tags?: number; docs?: number } = { source: 'none' };

  constructor(readonly db: ShelfmarkDB) {}

  seen(): Promise<SeenIndex> {
    this.seenLoad ??= loadSeen(this.db);
    return this.seenLoad;
  }

  /** Loads the persisted model; retrains when the tagging changed since it was trained. */
  ensureModel(): Promise<void> {
    this.modelLoad ??= (async () => {
      const [row, fp] = await Promise.all([this.db.triageParts.get('model'), taggingFingerprint(this.db)]);
      const saved = row?.data as PersistedModel | undefined;
      const model = saved ? restoreModel(saved.model) : undefined;
      if (model) {
        this.model = model;
        this.version++;
        this.lastModel = { source: 'loaded', tags: model.tags.length };
      }
      if (!model || saved?.fingerprint !== fp) this.scheduleTrain(0);
    })().catch((e) => {
      this.modelLoad = undefined;
      throw e;
    });
    return this.modelLoad;
  }

  /** A retrain soon (tag writes come in bursts: an import, a multi-select). */
  scheduleTrain(delayMs = 1500): void {
    if (this.trainTimer) clearTimeout(this.trainTimer);
    this.trainTimer = setTimeout(() => {
      this.trainTimer = undefined;
      void this.trainNow().catch((e) => console.warn('Shelfmark: tag model not trained', e));
    }, delayMs);
  }

  /** Trains on the current tagging and persists the model. Runs one at a time. */
  trainNow(): Promise<void> {
    if (this.training) {
      this.retrainAgain = true;
      return this.training;
    }
    this.training = (async () => {
      const t0 = performance.now();
      const fp = await taggingFingerprint(this.db);
      const docs = await trainingDocs(this.db);
      const model = await train(docs, { yieldEvery: () => new Promise((r) => setTimeout(r, 0)) });
      await this.db.triageParts.put({ part: 'model', data: { fingerprint: fp, model: model.data } satisfies PersistedModel });
      this.model = model;
      this.version++;
      this.lastModel = { source: 'trained', ms: performance.now() - t0, tags: model.tags.length, docs: docs.length };
    })().finally(() => {
      this.training = undefined;
      if (this.retrainAgain) {
        this.retrainAgain = false;
        this.scheduleTrain(0);
      } else this.onChange();
    });
    return this.training;
  }

  get currentModel(): TagModel | undefined {
    return this.model;
  }

  /**
   * Adds seen / dismissed / suggest to `items`' results (in place). `view` is the page view's
   * state object (one per tab and page view): a paper is counted once per view, and its seen
   * figure stays the one of that view's start. `record` writes the view's new papers to the store.
   */
  async annotate(
    view: object,
    pageUrl: string,
    items: readonly { entry: WireEntry; result: EntryResult }[],
    opts: { record: boolean },
  ): Promise<void> {
    if (!items.length) return;
    const [idx] = await Promise.all([this.seen(), this.ensureModel().catch(() => undefined)]);
    let cache = this.views.get(view);
    if (!cache) this.views.set(view, (cache = new Map()));
    const fresh: number[] = [];
    const keys = items.map((it) => titleKey(it.entry.title));
    items.forEach((it) => {
      const h = seenHash(it.entry.title);
      let info = cache.get(h);
      if (info === undefined) {
        info = idx.get(h) ?? null;
        cache.set(h, info);
        if (opts.record) fresh.push(h);
      }
      // Never seen before: no field at all (the hook's "absent or 0"), so results stay as small as before.
      if (info) {
        it.result.seen = info.count;
        it.result.firstSeen = { label: info.firstLabel, at: info.firstAt };
      } else {
        delete it.result.seen;
        delete it.result.firstSeen;
      }
    });
    if (fresh.length) {
      const label = pageLabel(pageUrl);
      const at = Date.now();
      const batch = Uint32Array.from(fresh);
      idx.add(batch, label, at);
      this.writes = this.writes
        .catch(() => undefined)
        .then(() => persistSeen(this.db, idx, batch, label, at))
        .catch((e) => console.warn('Shelfmark: page view not recorded', e));
    }
    const dismissed = await dismissedAmong(
      this.db,
      items.map((it, i) => ({ key: keys[i]!, paperId: it.result.paperId })),
    );
    items.forEach((it, i) => {
      if (dismissed[i]) it.result.dismissed = true;
      else delete it.result.dismissed;
    });
    this.addSuggestions(view, items);
  }

  /** Waits for queued seen-store writes (tests, and before a worker may stop). */
  flush(): Promise<unknown> {
    return this.writes;
  }

  private addSuggestions(view: object, items: readonly { entry: WireEntry; result: EntryResult }[]): void {
    const model = this.model;
    if (!model || !model.tags.length) {
      for (const it of items) delete it.result.suggest;
      return;
    }
    let cache = this.suggestions.get(view);
    if (!cache || cache.version !== this.version) this.suggestions.set(view, (cache = { version: this.version, byEid: new Map() }));
    const byEid = cache.byEid;
    // New entries and corpus papers without tags get suggestions; tagged papers are already sorted.
    const wanted = items.filter((it) => !(it.result.status === 'match' && it.result.tags.length));
    const missing = wanted.filter((it) => !byEid.has(it.entry.eid));
    const compute = (list: readonly { entry: WireEntry }[]) => {
      for (const it of list) byEid.set(it.entry.eid, model.suggest(it.entry.title, it.entry.abstract));
    };
    if (missing.length <= SUGGEST_NOW) compute(missing);
    else {
      // A long page is marked first; its suggestions follow in slices, then a refresh pushes them.
      compute(missing.slice(0, SUGGEST_NOW));
      let at = SUGGEST_NOW;
      const step = () => {
        if (this.suggestions.get(view) !== cache) return;
        compute(missing.slice(at, at + SUGGEST_SLICE));
        at += SUGGEST_SLICE;
        if (at < missing.length) setTimeout(step, 0);
        else this.onChange();
      };
      setTimeout(step, 0);
    }
    for (const it of items) {
      const s = byEid.get(it.entry.eid);
      const tags = it.result.status === 'match' && it.result.tags.length ? undefined : s?.map((x) => x.tag);
      if (tags?.length) it.result.suggest = tags;
      else delete it.result.suggest;
    }
  }
}

const instances = new WeakMap<ShelfmarkDB, Triage>();

/** The triage state of a database (one per background). */
export function getTriage(db: ShelfmarkDB): Triage {
  let t = instances.get(db);
  if (!t) instances.set(db, (t = new Triage(db)));
  return t;
}

export { MIN_PAPERS_PER_TAG };
