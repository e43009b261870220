// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { oneClaimPerPaper, type ClaimEntry, type ClaimEvidence } from '../lib/match/claims';
import { applyOffers, forgetId, learnOffer, repairPaper, type LearningPaper } from '../lib/match/learn';
import { LearnedIds } from '../components/learned-ids';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';

afterEach(cleanup);

const T = 'Improving Offline-to-Online Reinforcement Learning with Q-Ensembles';
const V = 'Improving Offline-to-Offline Reinforcement Learning with Q-Ensembles';
const item = (title: string, ids: ClaimEntry['entry']['ids'], status: 'match' | 'maybe' | 'none', paperId?: string, evidence?: ClaimEvidence): ClaimEntry => ({
  entry: { title, ids },
  result: { status, ...(paperId ? { paperId } : {}), ...(evidence ? { evidence } : {}) },
});

describe('one page, one claim', () => {
  const EVID: ClaimEvidence[] = ['id', 'confirmed', 'key', 'alias', 'cut', 'fuzzy'];
  it('for every pair of evidence kinds, the stronger keeps match and the other becomes a maybe with a reason', () => {
    for (let i = 0; i < EVID.length; i++) {
      for (let j = i + 1; j < EVID.length; j++) {
        // Both orders on the page: strength wins, not position.
        for (const flip of [false, true]) {
          const strong = item(T, { arxiv: '2306.00001' }, 'match', 'p', EVID[i]);
          const weak = item(V, { arxiv: '2306.00002' }, 'match', 'p', EVID[j]);
          const page = flip ? [weak, strong] : [strong, weak];
          expect(oneClaimPerPaper(page)).toEqual([weak]);
          expect(strong.result.status).toBe('match');
          expect(weak.result).toMatchObject({ status: 'maybe', reason: expect.stringMatching(/^another entry on this page is this paper/) });
        }
      }
    }
  });
  it('the same title printed twice is one claim; other papers are untouched', () => {
    const a = item(T, { arxiv: '2306.00001' }, 'match', 'p', 'key');
    const b = item(T, {}, 'match', 'p', 'key');
    const c = item('Other', {}, 'match', 'q', 'fuzzy');
    expect(oneClaimPerPaper([a, b, c])).toEqual([]);
    // Same title but a different arXiv id: two entries, one claim.
    const d = item(T, { arxiv: '2306.00009' }, 'match', 'p', 'key');
    expect(oneClaimPerPaper([a, d])).toEqual([d]);
  });
});

const url = 'https://arxiv.org/list/cs.LG/new';
const s = (title: string, arxiv: string) => ({ paperId: 'p', title, key: '', pageUrl: url, ids: { arxiv }, seenAt: 3 });

describe('ids are learned only from sure, sole claims', () => {
  it('key, alias and confirmed teach; cut, fuzzy and id hits do not', () => {
    for (const ev of ['key', 'alias', 'confirmed'] as ClaimEvidence[]) {
      const it1 = item(T, { arxiv: '2306.00001v2' }, 'match', 'p', ev);
      expect(learnOffer(it1, [it1], url)).toMatchObject({ paperId: 'p', ids: [{ kind: 'arxiv', value: '2306.00001' }], title: T, pageUrl: url });
    }
    for (const ev of ['cut', 'fuzzy', 'id'] as ClaimEvidence[]) {
      const it1 = item(T, { arxiv: '2306.00001' }, 'match', 'p', ev);
      expect(learnOffer(it1, [it1], url)).toBeUndefined();
    }
    const maybe = item(T, { arxiv: '2306.00001' }, 'maybe', 'p');
    expect(learnOffer(maybe, [maybe], url)).toBeUndefined();
  });
  it('not when another entry of the page claims the paper, nor an id another title carries', () => {
    const orig = item(T, { arxiv: '2306.00001' }, 'match', 'p', 'key');
    const variant = item(V, { arxiv: '2306.00002' }, 'maybe', 'p');
    expect(learnOffer(orig, [orig, variant], url)).toBeUndefined();
    const twice = item(T, { arxiv: '2306.00001' }, 'match', 'p', 'key');
    expect(learnOffer(orig, [orig, twice], url)).toBeDefined();
    // Ten titles, one DOI: the DOI proves nothing, the arXiv id still teaches.
    const shared = item(T, { doi: '10.1000/vol', arxiv: '2306.00001' }, 'match', 'p', 'key');
    const others = Array.from({ length: 9 }, (_, i) => item(`Unrelated Paper Number ${i}`, { doi: '10.1000/VOL' }, 'none'));
    expect(learnOffer(shared, [shared, ...others], url)?.ids).toEqual([{ kind: 'arxiv', value: '2306.00001' }]);
  });
  it('stores provenance; never overwrites, never takes an id another paper holds or the user removed', () => {
    const offer = { paperId: 'p', pageUrl: url, title: T, via: 'key' as const, ids: [{ kind: 'arxiv' as const, value: '2306.00001' }, { kind: 'doi' as const, value: '10.1/x' }] };
    const p = makePaper('p', T) as LearningPaper;
    const [next] = applyOffers([p], new Map([['p', offer]]), () => undefined, 42);
    expect(next).toMatchObject({ arxivId: '2306.00001', doi: '10.1/x', learnedIds: [{ kind: 'arxiv', value: '2306.00001', pageUrl: url, title: T, at: 42, via: 'key' }, { kind: 'doi' }] });
    expect(applyOffers([p], new Map([['p', offer]]), (k) => (k === 'arxiv' ? 'other' : undefined), 42)[0]?.arxivId).toBeUndefined();
    const forgotten = forgetId(next!, 'arxiv', '2306.00001');
    expect(forgotten.arxivId).toBeUndefined();
    expect(forgotten.learnedIds!.map((l) => l.kind)).toEqual(['doi']);
    expect(applyOffers([forgotten], new Map([['p', offer]]), () => undefined)).toEqual([]);
    expect(applyOffers([{ ...p, arxivId: '1111.11111' }], new Map([['p', { ...offer, ids: [offer.ids[0]!] }]]), () => undefined)).toEqual([]);
  });
  it('the repair keeps an id its own title taught and drops one another title taught', () => {
    const p = { ...makePaper('p', T), arxivId: '2306.00001' } as LearningPaper;
    expect(repairPaper(p, [s(V, '2306.00001')])).toMatchObject({ forgottenIds: ['arxiv:2306.00001'] });
    expect(repairPaper(p, [s(V, '2306.00001')])?.arxivId).toBeUndefined();
    expect(repairPaper(p, [s(V, '2306.00001'), s(T, '2306.00001v2')])).toMatchObject({ arxivId: '2306.00001', learnedIds: [{ title: T, via: 'repair' }] });
    expect(repairPaper(p, [s(V, '2306.00099')])).toBeUndefined();
  });
});

describe('the paper detail shows learned ids and removes them', () => {
  it('lists page, time and entry title; Remove clears the id and records it as removed', async () => {
    const paper = { ...makePaper('p', T), arxivId: '2306.00001', learnedIds: [{ kind: 'arxiv', value: '2306.00001', pageUrl: 'https://arxiv.org/list/cs.LG/new', title: T, at: 1, via: 'key' }] } as LearningPaper;
    const db = await openTestDb('learned-ui', [paper]);
    render(<LearnedIds db={db} paper={paper} />);
    expect(screen.getByText(/arXiv 2306\.00001/).textContent).toContain(`entry “${T}”`);
    expect(screen.getByRole('link', { name: 'arxiv.org' }).getAttribute('href')).toBe('https://arxiv.org/list/cs.LG/new');
    fireEvent.click(screen.getByRole('button', { name: 'Remove arXiv 2306.00001' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/removed/));
    const stored = (await db.papers.get('p')) as LearningPaper;
    expect(stored.arxivId).toBeUndefined();
    expect(stored.learnedIds).toEqual([]);
    expect(stored.forgottenIds).toEqual(['arxiv:2306.00001']);
    await dropTestDb(db);
  });
});
