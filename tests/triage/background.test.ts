import { describe, it, expect, afterEach } from 'vitest';
import { dropTestDb, makePaper, openTestDb } from '../helpers/db';
import { Triage, readSettings, writeSettings } from '../../lib/triage/background';
import { dismiss } from '../../lib/triage/dismiss';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { EntryResult, WireEntry } from '../../lib/messaging/messages';

let db: ShelfmarkDB | undefined;
afterEach(async () => {
  if (db) await dropTestDb(db);
  db = undefined;
});

const GNN = ['Graph attention networks', 'Semi-supervised classification with graph convolutional networks', 'Inductive representation learning on large graphs', 'How powerful are graph neural networks', 'Graph neural networks for molecules'];
const ADV = ['Explaining and harnessing adversarial examples', 'Towards deep learning models resistant to adversarial attacks', 'Adversarial examples in the physical world', 'Certified robustness to adversarial perturbations', 'Universal adversarial perturbations'];
const OTHER = ['Language models are few-shot learners', 'Denoising diffusion probabilistic models', 'Playing Atari with deep reinforcement learning', 'Scaling laws for neural language models', 'An image is worth 16x16 words'];

async function library(): Promise<ShelfmarkDB> {
  const papers = [...GNN, ...ADV, ...OTHER].map((t, i) => makePaper(`p${i}`, t));
  const d = await openTestDb('triage-bg', papers);
  const now = Date.now();
  await d.paperTags.bulkAdd([
    ...GNN.map((_, i) => ({ paperId: `p${i}`, tag: 'gnn', addedAt: now })),
    ...ADV.map((_, i) => ({ paperId: `p${i + GNN.length}`, tag: 'adversarial', addedAt: now })),
  ]);
  return d;
}

const entry = (eid: number, title: string): WireEntry => ({ eid, title, ids: {} });
const none = (eid: number): EntryResult => ({ eid, status: 'none', tags: [], lists: [] });
const view = (titles: string[]) => titles.map((t, i) => ({ entry: entry(i + 1, t), result: none(i + 1) }));

describe('triage in the background', () => {
  it('trains when there is no model, persists it, and a cold start loads it without training', async () => {
    db = await library();
    const a = new Triage(db);
    await a.ensureModel();
    await a.trainNow();
    expect(a.lastModel).toMatchObject({ source: 'trained', tags: 2 });
    expect(await db.triageParts.get('model')).toBeDefined();

    const cold = new Triage(db); // a restarted service worker
    let trained = false;
    const orig = cold.trainNow.bind(cold);
    cold.trainNow = () => {
      trained = true;
      return orig();
    };
    await cold.ensureModel();
    await new Promise((r) => setTimeout(r, 20));
    expect(cold.lastModel.source).toBe('loaded');
    expect(trained).toBe(false);
    expect(cold.currentModel!.suggest('Graph convolutional networks for citation graphs')[0]?.tag).toBe('gnn');
  });

  it('retrains when the tagging changed since the model was saved (a new tag appears)', async () => {
    db = await library();
    const a = new Triage(db);
    await a.trainNow();
    expect(a.currentModel!.tags).toEqual(['adversarial', 'gnn']);
    const now = Date.now();
    await db.paperTags.bulkAdd(OTHER.slice(0, 3).map((_, i) => ({ paperId: `p${i + 10}`, tag: 'misc', addedAt: now })));
    const cold = new Triage(db);
    await cold.ensureModel(); // stale fingerprint: loads the old model, schedules a retrain
    expect(cold.currentModel!.tags).toEqual(['adversarial', 'gnn']);
    await new Promise<void>((resolve) => (cold.onChange = resolve));
    expect(cold.currentModel!.tags).toEqual(['adversarial', 'gnn', 'misc']);
    expect(cold.lastModel.source).toBe('trained');
  });

  it('annotates a page view: seen counts from earlier views (a reload counts), dismissed, suggestions for untagged entries only', async () => {
    db = await library();
    const t = new Triage(db);
    await t.trainNow();
    const titles = ['Graph transformers for molecules and graph neural networks', 'Adversarial attacks on graph neural networks', 'Robust training against adversarial examples', 'Cooking recipes'];
    const v1 = view(titles);
    const page = 'https://arxiv.org/list/cs.LG/new';
    await t.annotate({}, page, v1, { record: true });
    // Never seen before: no field (the page shows 0).
    expect(v1.map((i) => i.result.seen)).toEqual([undefined, undefined, undefined, undefined]);
    expect(v1[0]!.result.suggest?.[0]).toBe('gnn');
    expect(v1[2]!.result.suggest?.[0]).toBe('adversarial');

    // The same view asks again (infinite scroll, a refresh): its figures do not change.
    const same = v1[0]!;
    const viewState = {};
    await t.annotate(viewState, page, view(titles), { record: true });
    const again = view(titles);
    await t.annotate(viewState, page, again, { record: true });
    expect(again.map((i) => i.result.seen)).toEqual([1, 1, 1, 1]);
    expect(same.result.seen).toBeUndefined();

    // A reload is a new view; a dismissal shows; a matched, tagged paper gets no suggestion.
    await dismiss(db, { title: titles[3]!, pageUrl: page });
    const reload = view(titles);
    reload[0]!.result = { eid: 1, status: 'match', paperId: 'p0', tags: ['gnn'], lists: [] };
    await t.annotate({}, page, reload, { record: true });
    expect(reload.map((i) => i.result.seen)).toEqual([2, 2, 2, 2]);
    expect(reload[0]!.result.firstSeen).toEqual({ label: 'arxiv.org/list/cs.LG/new', at: expect.any(Number) });
    expect(reload.map((i) => !!i.result.dismissed)).toEqual([false, false, false, true]);
    expect(reload[0]!.result.suggest).toBeUndefined();

    // Persisted: a cold start sees the same counts.
    await t.flush();
    const cold = new Triage(db);
    const next = view(titles);
    await cold.annotate({}, page, next, { record: false });
    expect(next.map((i) => i.result.seen)).toEqual([3, 3, 3, 3]);
  });

  it('suggests for a long page in two steps: the first entries at once, the rest just after', async () => {
    db = await library();
    const t = new Triage(db);
    await t.trainNow();
    const titles = Array.from({ length: 700 }, (_, i) => (i % 2 ? `Adversarial examples number ${i}` : `Graph neural networks number ${i}`));
    const state = {};
    const v = view(titles);
    const done = new Promise<void>((resolve) => (t.onChange = resolve));
    await t.annotate(state, 'https://x.org/', v, { record: false });
    const now = v.filter((i) => i.result.suggest).length;
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(700);
    await done;
    const later = view(titles);
    await t.annotate(state, 'https://x.org/', later, { record: false });
    expect(later.every((i, k) => i.result.suggest?.[0] === (k % 2 ? 'adversarial' : 'gnn'))).toBe(true);
  });

  it('settings default to dim + keys on, and round-trip', async () => {
    db = await openTestDb('triage-settings');
    expect(await readSettings(db)).toEqual({ dismissed: 'dim', keys: true });
    await writeSettings(db, { dismissed: 'hide', keys: false });
    expect(await readSettings(db)).toEqual({ dismissed: 'hide', keys: false });
    await db.meta.put({ key: 'triageSettings', value: { dismissed: '<b>', keys: 'yes' } });
    expect(await readSettings(db)).toEqual({ dismissed: 'dim', keys: true });
  });
});
