import { describe, it, expect, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { ContentMessageSchema, LIMITS, parseContentMessage, parseRequest, sendToBackground } from '../lib/messaging/messages';

const pageUrl = 'https://arxiv.org/list/cs.LG/new';
const goodBatch = { type: 'match-batch', pageUrl, entries: [{ eid: 0, title: 'A title', ids: { arxiv: '2401.00001' } }] };

/** The error text parseRequest gives, '' when it accepts. */
function err(m: unknown): string {
  const r = parseRequest(m);
  return r.ok ? '' : r.error;
}

describe('parseRequest', () => {
  it('accepts every well-formed request type', () => {
    const entry = { eid: 3, title: 'T', ids: {}, authors: ['A'], url: 'https://x.org', abstract: 'abs' };
    const msgs = [
      goodBatch,
      { ...goodBatch, reset: true },
      { type: 'add-tag', paperIds: ['p1'], tag: 'rl' },
      { type: 'remove-tag', paperIds: ['p1'], tag: 'rl' },
      { type: 'create-list', name: 'L' },
      { type: 'add-to-list', listId: 'l1', paperIds: ['p1'] },
      { type: 'remove-from-list', listId: 'l1', paperIds: ['p1'] },
      { type: 'confirm-match', entry, paperId: 'p1', pageUrl },
      { type: 'reject-match', entry, paperId: 'p1', pageUrl },
      { type: 'add-paper', entry, pageUrl },
      { type: 'menu-data' },
      { type: 'tab-entries', tabId: 3 },
      { type: 'tab-entries' },
      { type: 'data-changed' },
    ];
    for (const m of msgs) expect(parseRequest(m), m.type).toMatchObject({ ok: true, msg: m });
  });

  it('trims tags and list names and rejects blank ones', () => {
    expect(parseRequest({ type: 'add-tag', paperIds: ['p'], tag: '  rl ' })).toMatchObject({ ok: true, msg: { tag: 'rl' } });
    expect(parseRequest({ type: 'create-list', name: '   ' }).ok).toBe(false);
  });

  it('rejects wrong types, unknown types, extra keys and oversized payloads with a located message', () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /invalid message/],
      [[goodBatch], /invalid message/],
      [{ ...goodBatch, type: 'match-batch ' }, /invalid message at type/],
      [{ ...goodBatch, extra: 1 }, /invalid message/],
      [{ ...goodBatch, pageUrl: 'u'.repeat(LIMITS.urlChars + 1) }, /at pageUrl/],
      [{ ...goodBatch, entries: [{ eid: 1.5, title: 'x', ids: {} }] }, /at entries\.0\.eid/],
      [{ ...goodBatch, entries: [{ eid: 1, title: 'x', ids: { arxiv: 5 } }] }, /at entries\.0\.ids\.arxiv/],
      [{ ...goodBatch, entries: [{ eid: 1, title: 'x', ids: { isbn: '1' } }] }, /at entries\.0\.ids/],
      [{ ...goodBatch, entries: [{ eid: 1, title: 'x', ids: {}, authors: Array(LIMITS.authors + 1).fill('a') }] }, /authors/],
      [{ ...goodBatch, entries: [{ eid: 1, title: 'x'.repeat(10_000_000), ids: {} }] }, /title/],
      [{ ...goodBatch, entries: Array.from({ length: 1_000_000 }, (_, i) => ({ eid: i, title: 't', ids: {} })) }, /at entries/],
      [{ type: 'add-tag', paperIds: Array(LIMITS.paperIdsPerCall + 1).fill('p'), tag: 't' }, /paperIds/],
      [{ type: 'add-tag', paperIds: ['p'.repeat(65)], tag: 't' }, /paperIds/],
      [{ type: 'tab-entries', tabId: 'me' }, /tabId/],
    ];
    for (const [m, re] of bad) {
      const r = parseRequest(m);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(re);
    }
  });

  it('says what is wrong in words, not only where', () => {
    expect(err({ ...goodBatch, pageUrl: 'u'.repeat(LIMITS.urlChars + 1) })).toBe(`invalid message at pageUrl: too long (at most ${LIMITS.urlChars})`);
    expect(err({ ...goodBatch, entries: [{ eid: 1, title: 'x', ids: { arxiv: 5 } }] })).toBe('invalid message at entries.0.ids.arxiv: expected string');
    expect(err({ ...goodBatch, entries: [{ eid: -1, title: 'x', ids: {} }] })).toBe('invalid message at entries.0.eid: too small (at least 0)');
    expect(err({ ...goodBatch, entries: [{ eid: 1, title: '', ids: {} }] })).toBe('invalid message at entries.0.title: too short (at least 1)');
    expect(err({ ...goodBatch, extra: 1 })).toBe('invalid message: unknown key extra');
    expect(err({ type: 'nope' })).toMatch(/^invalid message at type: /);
  });
});

describe('content messages', () => {
  it('validates pushed results', () => {
    expect(ContentMessageSchema.safeParse({ type: 'resync' }).success).toBe(true);
    expect(
      ContentMessageSchema.safeParse({ type: 'results', results: [{ eid: 1, status: 'match', paperId: 'p', tags: ['a'], lists: [{ id: 'l', name: 'L' }] }] }).success,
    ).toBe(true);
    expect(ContentMessageSchema.safeParse({ type: 'results', results: [{ eid: 1, status: 'yes', tags: [], lists: [] }] }).success).toBe(false);
  });
});

describe('parseContentMessage (the zod schema content scripts use)', () => {
  const good = { eid: 1, status: 'match', paperId: 'p', tags: ['a'], lists: [{ id: 'l', name: 'L' }] };
  const accepted: unknown[] = [
    { type: 'resync' },
    { type: 'results', results: [] },
    { type: 'results', results: [good] },
    { type: 'results', results: [{ ...good, status: 'maybe', candidates: [{ paperId: 'p', title: 'T', score: 0.8 }] }] },
  ];
  const rejected: unknown[] = [
    { type: 'results', results: [{ ...good, status: 'yes' }] },
    { type: 'results', results: [{ ...good, eid: -1 }] },
    { type: 'results', results: [{ ...good, eid: 1.5 }] },
    { type: 'results', results: [{ ...good, tags: [1] }] },
    { type: 'results', results: [{ ...good, tags: ['x'.repeat(LIMITS.tagChars + 1)] }] },
    { type: 'results', results: [{ ...good, lists: [{ id: 'l' }] }] },
    { type: 'results', results: [{ ...good, paperId: '' }] },
    { type: 'results', results: [{ ...good, candidates: Array.from({ length: 6 }, () => ({ paperId: 'p', title: 't', score: 1 })) }] },
    { type: 'results', results: Array.from({ length: LIMITS.entriesPerBatch * 4 + 1 }, (_, i) => ({ ...good, eid: i })) },
    { type: 'results', results: 'x' },
    { type: 'results' },
    { type: 'other' },
    null,
    'resync',
  ];
  it('accepts well-formed results and resync, returning the message', () => {
    for (const m of accepted) expect(parseContentMessage(m), JSON.stringify(m)).toEqual(m);
  });
  it('rejects wrong types, bad values and oversized payloads', () => {
    for (const m of rejected) expect(parseContentMessage(m), JSON.stringify(m)?.slice(0, 120)).toBeUndefined();
  });
  it('is ContentMessageSchema itself (one source of truth)', () => {
    for (const m of [...accepted, ...rejected]) {
      expect(parseContentMessage(m) !== undefined).toBe(ContentMessageSchema.safeParse(m).success);
    }
  });
});

describe('sendToBackground', () => {
  beforeEach(() => fakeBrowser.reset());

  it('returns the listener response, and an error when nothing answers', async () => {
    browser.runtime.onMessage.addListener(((msg: { type: string }) => Promise.resolve({ ok: true, tags: [msg.type], lists: [] })) as never);
    expect(await sendToBackground({ type: 'menu-data' })).toEqual({ ok: true, tags: ['menu-data'], lists: [] });
    fakeBrowser.reset();
    const r = await sendToBackground({ type: 'menu-data' });
    expect(r.ok).toBe(false);
  });
});
