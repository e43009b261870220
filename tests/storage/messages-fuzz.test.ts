// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getDb } from '@/lib/storage/db';
import { buildSeedCorpus } from '@/lib/corpus/corpus';
import { readCorpusMeta } from '@/lib/corpus/corpus-import';
import { LIMITS } from '@/lib/messaging/messages';
import { readSeedFiles } from '../helpers/seeds';

/**
 * Untrusted messages through the background's real registered listener: the entrypoint's main()
 * runs against fakeBrowser (with the seed corpus served as the built extension would), and every
 * message goes to the listener it added to runtime.onMessage, with the sender the browser would
 * report. Malformed and oversized payloads, wrong senders and hostile shapes must each get
 * `{ ok: false, error }` — never an exception, never a hang — and change nothing in the database.
 */

vi.mock('@/lib/sites/permissions', () => ({ watchSitePermissions: async () => {} }));

const { asset } = buildSeedCorpus(readSeedFiles());
const ID = fakeBrowser.runtime.id;
const ORIGIN = `chrome-extension://${ID}/`;
const PAGE = { id: ID, url: `${ORIGIN}popup.html` };
const CONTENT = { id: ID, url: 'https://arxiv.org/list/cs.LG/recent', tab: { id: 7 } };

type Listener = (msg: unknown, sender: unknown, sendResponse: (r: unknown) => void) => unknown;
let listener: Listener;
let paperId: string;

/** Delivers one message as the browser would; resolves with the answer (or 'no answer' after 10 s). */
function deliver(msg: unknown, sender: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('no answer'), 10_000);
    try {
      listener(msg, sender, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    } catch (e) {
      clearTimeout(timer);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

beforeAll(async () => {
  fakeBrowser.reset();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const path = new URL(url).pathname;
      const files: Record<string, unknown> = { '/corpus.json': asset, '/corpus-version.json': { version: asset.version } };
      return path in files ? new Response(JSON.stringify(files[path])) : new Response('not found', { status: 404 });
    }),
  );
  const added: Listener[] = [];
  const orig = fakeBrowser.runtime.onMessage.addListener.bind(fakeBrowser.runtime.onMessage);
  vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener').mockImplementation((l) => {
    added.push(l as unknown as Listener);
    orig(l);
  });
  const background = (await import('@/entrypoints/background/index')).default as unknown as { main(): void };
  background.main();
  expect(added).toHaveLength(1);
  listener = added[0]!;
  const db = getDb();
  await vi.waitFor(async () => expect(await readCorpusMeta(db)).toMatchObject({ state: 'complete' }), { timeout: 20_000 });
  paperId = (await db.papers.toCollection().first())!.id;
}, 30_000);

afterAll(() => {
  vi.unstubAllGlobals();
});

const big = (n: number) => 'x'.repeat(n);
const MB10 = big(10 * 1024 * 1024);
const entry = (eid: number, title = 'Attention Is All You Need') => ({ eid, title, ids: {} });

/** ≥ 200 messages no background may act on. */
function malformed(): { label: string; msg: unknown; sender: unknown }[] {
  const out: { label: string; msg: unknown; sender: unknown }[] = [];
  const add = (label: string, msg: unknown, sender: unknown = CONTENT) => out.push({ label, msg, sender });
  // Not objects at all.
  for (const v of [null, undefined, 0, 42, -1, Number.NaN, true, false, '', 'match-batch', '{"type":"add-tag"}', [], [1, 2], 10n]) add(`scalar ${String(v)}`, v);
  // Missing, wrong and unknown types.
  add('empty object', {});
  for (const t of [1, null, true, {}, [], 'MATCH-BATCH', 'match_batch', ' add-tag', 'add-tag ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'eval', 'delete-everything', 'export-all', 'read-notes', 'get-tags', big(1000)]) {
    add(`type ${JSON.stringify(t)?.slice(0, 20)}`, { type: t });
  }
  // Prototype pollution shapes.
  add('__proto__ key', JSON.parse('{"type":"add-tag","paperIds":["x"],"tag":"t","__proto__":{"polluted":1}}'));
  add('constructor key', JSON.parse('{"type":"menu-data","constructor":{"prototype":{"polluted":1}}}'));
  // Every request type: missing fields, wrong types, extra keys.
  const types = ['match-batch', 'add-tag', 'remove-tag', 'create-list', 'add-to-list', 'remove-from-list', 'confirm-match', 'reject-match', 'add-paper', 'tab-entries'];
  for (const type of types) {
    add(`${type} bare`, { type, extra: 1 });
    add(`${type} wrong fields`, { type, paperIds: 'p', tag: 5, name: [], listId: {}, entry: 'e', entries: {}, pageUrl: 7, tabId: 'one' });
    add(`${type} nested garbage`, { type, paperIds: [{ $gt: '' }], tag: { toString: 'x' }, listId: ['l'], entry: { eid: 1 }, pageUrl: ['u'] });
  }
  // match-batch payloads.
  const page = 'https://arxiv.org/list/cs.LG/recent';
  const mb = (entries: unknown, extra: object = {}) => ({ type: 'match-batch', pageUrl: page, entries, ...extra });
  add('a million entries', mb(Array.from({ length: 1_000_000 }, (_, i) => entry(i))));
  add('entries limit + 1', mb(Array.from({ length: LIMITS.entriesPerBatch + 1 }, (_, i) => entry(i))));
  add('10 MB title', mb([entry(1, MB10)]));
  add('10 MB abstract', mb([{ ...entry(1), abstract: MB10 }]));
  add('10 MB url', mb([{ ...entry(1), url: MB10 }]));
  add('10 MB pageUrl', { type: 'match-batch', pageUrl: MB10, entries: [entry(1)] });
  add('10 MB arxiv id', mb([{ ...entry(1), ids: { arxiv: MB10 } }]));
  add('100k authors', mb([{ ...entry(1), authors: Array.from({ length: 100_000 }, () => 'A. Author') }]));
  add('10 MB author', mb([{ ...entry(1), authors: [MB10] }]));
  for (const eid of [-1, 1.5, Number.NaN, Infinity, -Infinity, '1', null, 2 ** 60, {}]) add(`eid ${String(eid)}`, mb([{ ...entry(0), eid }]));
  for (const title of ['', null, 5, ['t'], { t: 1 }, undefined]) add(`title ${JSON.stringify(title)}`, mb([{ ...entry(1), title }]));
  for (const ids of [null, 'arxiv', [], { arxiv: 5 }, { doi: ['10.1/x'] }, { pmid: 1 }, { pmcid: '1' }, { arxiv: { $ne: '' } }]) add(`ids ${JSON.stringify(ids)}`, mb([{ ...entry(1), ids }]));
  add('entry extra key (html)', mb([{ ...entry(1), html: '<img src=x onerror=alert(1)>' }]));
  add('entries not array', mb('all'));
  add('entries object', mb({ 0: entry(1), length: 1 }));
  add('reset not boolean', mb([entry(1)], { reset: 'yes' }));
  add('deeply nested', mb([{ ...entry(1), ids: JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) }]));
  // Tag and list payloads.
  const ids1 = [paperId || 'p0000000000000000'];
  for (const tag of ['', '   ', '\n\t', big(LIMITS.tagChars + 1), MB10, 5, null, ['t'], { length: 1 }]) {
    add(`add-tag tag ${String(tag).slice(0, 12)}`, { type: 'add-tag', paperIds: ids1, tag });
    add(`remove-tag tag ${String(tag).slice(0, 12)}`, { type: 'remove-tag', paperIds: ids1, tag });
  }
  for (const paperIds of [[], [''], [big(LIMITS.paperIdChars + 1)], [5], 'p', null, Array.from({ length: 1_000_000 }, (_, i) => `p${i}`), Array.from({ length: LIMITS.paperIdsPerCall + 1 }, (_, i) => `p${i}`), [MB10]]) {
    add(`add-tag paperIds ${Array.isArray(paperIds) ? paperIds.length : String(paperIds)}`, { type: 'add-tag', paperIds, tag: 'ok' });
    add(`add-to-list paperIds ${Array.isArray(paperIds) ? paperIds.length : String(paperIds)}`, { type: 'add-to-list', listId: 'l1', paperIds });
  }
  for (const name of ['', '  ', big(LIMITS.listNameChars + 1), MB10, 1, null, ['n']]) add(`create-list ${String(name).slice(0, 10)}`, { type: 'create-list', name });
  for (const listId of ['', big(65), MB10, 3, null]) add(`add-to-list listId ${String(listId).slice(0, 10)}`, { type: 'add-to-list', listId, paperIds: ids1 });
  // confirm / reject / add-paper with bad entries.
  for (const type of ['confirm-match', 'reject-match', 'add-paper']) {
    for (const e of [null, {}, entry(-1), { ...entry(1), title: MB10 }, { ...entry(1), extra: true }, [entry(1)]]) {
      add(`${type} entry ${JSON.stringify(e)?.slice(0, 16)}`, { type, entry: e, paperId: ids1[0], pageUrl: page });
    }
    add(`${type} no pageUrl`, { type, entry: entry(1), paperId: ids1[0] });
    add(`${type} 10 MB pageUrl`, { type, entry: entry(1), paperId: ids1[0], pageUrl: MB10 });
  }
  for (const tabId of [-1, 1.5, '7', null, Number.NaN, Infinity]) add(`tab-entries tabId ${String(tabId)}`, { type: 'tab-entries', tabId }, PAGE);
  // Well-formed, but from a sender not allowed to send it.
  add('match-batch from an extension page', mb([entry(1)]), PAGE);
  add('data-changed from a content script', { type: 'data-changed' }, CONTENT);
  // Senders that are not this extension.
  const valid = { type: 'add-tag', paperIds: ids1, tag: 'spoofed' };
  const strangers = [
    {},
    { id: 'another-extension-id', url: 'chrome-extension://another-extension-id/x.html' },
    { id: 'another-extension-id', url: 'https://arxiv.org/', tab: { id: 3 } },
    { url: 'https://evil.example/', tab: { id: 3 } },
    { url: 'https://evil.example/', origin: 'https://evil.example' },
    { id: ID, url: 'https://evil.example/' },
    { id: ID, tab: { id: -1 } },
    { id: ID, url: 'chrome-extension://another-extension-id/popup.html' },
    { id: '', url: ORIGIN },
    { id: ID.toUpperCase(), url: `${ORIGIN}popup.html` },
    null,
  ];
  for (const s of strangers) {
    add(`sender ${JSON.stringify(s)}`, valid, s);
    add(`sender ${JSON.stringify(s)} menu-data`, { type: 'menu-data' }, s);
  }
  return out;
}

describe('the background listener under malformed, oversized and foreign messages', () => {
  it('answers every one with an error, stays up, and writes nothing', async () => {
    const db = getDb();
    const before = { tags: await db.tags.count(), paperTags: await db.paperTags.count(), lists: await db.lists.count(), papers: await db.papers.count() };
    const cases = malformed();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const bad: string[] = [];
    let slowest = { label: '', ms: 0 };
    for (const c of cases) {
      const t0 = performance.now();
      let res: unknown;
      try {
        res = await deliver(c.msg, c.sender);
      } catch (e) {
        bad.push(`${c.label}: listener threw ${String(e)}`);
        continue;
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { label: c.label, ms };
      const r = res as { ok?: unknown; error?: unknown };
      if (!r || r.ok !== false || typeof r.error !== 'string' || !r.error) bad.push(`${c.label}: answered ${JSON.stringify(res)?.slice(0, 120)}`);
      else if (r.error.length > 500) bad.push(`${c.label}: error echoes the payload (${r.error.length} chars)`);
    }
    expect(bad).toEqual([]);
    const after = { tags: await db.tags.count(), paperTags: await db.paperTags.count(), lists: await db.lists.count(), papers: await db.papers.count() };
    expect(after).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    console.log(`messages fuzz: ${cases.length} malformed/oversized/foreign messages, all answered { ok: false }; slowest ${slowest.label} ${slowest.ms.toFixed(0)} ms`);

    // Still serving: a real batch and a real tag from the right senders work afterwards.
    const paper = (await db.papers.get(paperId))!;
    const match = (await deliver({ type: 'match-batch', pageUrl: 'https://arxiv.org/list/cs.LG/recent', entries: [entry(1, paper.title)] }, CONTENT)) as {
      ok: boolean;
      results: { status: string; paperId?: string }[];
    };
    expect(match.ok).toBe(true);
    expect(match.results[0]).toMatchObject({ status: 'match', paperId });
    expect(await deliver({ type: 'add-tag', paperIds: [paperId], tag: 'still-works' }, PAGE)).toEqual({ ok: true, tag: 'still-works' });
    expect(await db.paperTags.get([paperId, 'still-works'])).toBeTruthy();
  }, 120_000);
});
