import { describe, expect, it } from 'vitest';
import { selectPapers, sourceOptions, type Filters, type UserSets } from '../entrypoints/library/filter';
import { SearchIndex } from '../lib/search';
import type { Paper } from '../lib/model/types';
import { makePaper } from './helpers/db';

const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper => makePaper(id, title, { provenance: [], ...extra });

const papers = new Map(
  [
    paper('a', 'Offline Reinforcement Learning Survey', { addedAt: 3, lastSeenAt: 50, provenance: [{ kind: 'seed', source: '000.txt', line: 3, listingDate: 'Mar 17' }] }),
    paper('b', 'Attention Is All You Need', { addedAt: 1, origin: 'user', provenance: [{ kind: 'page', source: 'https://arxiv.org/list' }] }),
    paper('c', 'Behavior Cloning for Robots', { addedAt: 2, lastSeenAt: 90, abstract: 'offline data', provenance: [{ kind: 'seed', source: '001.txt', line: 9 }] }),
    paper('d', 'Offline RL (old copy)', { addedAt: 4, mergedInto: 'a' }),
  ].map((p) => [p.id, p]),
);
const index = SearchIndex.build([...papers.values()].filter((p) => !p.mergedInto));
const user: UserSets = {
  tagged: new Set(['a']),
  inAnyList: new Set(['a', 'c']),
  read: new Set(['c']),
  unread: new Set(['a']),
  notes: new Set(['b']),
};
const base: Filters = { q: '', status: 'all', sort: 'added' };
const ids = (f: Partial<Filters>, u: Partial<UserSets> = {}) => selectPapers(papers, index, { ...base, ...f }, { ...user, ...u }).map((p) => p.id);

describe('library filters and sorting', () => {
  it('sorts by date added, title and last seen, hiding merged-away records', () => {
    expect(ids({})).toEqual(['a', 'c', 'b']);
    expect(ids({ sort: 'title' })).toEqual(['b', 'c', 'a']);
    expect(ids({ sort: 'seen' })).toEqual(['c', 'a', 'b']);
  });

  it('ranks a query by relevance, or re-sorts it', () => {
    expect(ids({ q: 'offline ', sort: 'relevance' })).toEqual(['a', 'c']);
    expect(ids({ q: 'offline ', sort: 'title' })).toEqual(['c', 'a']);
  });

  it('matches titles word by word while the index is still being built', () => {
    const f: Filters = { ...base, q: 'offline survey' };
    expect(selectPapers(papers, undefined, f, user).map((p) => p.id)).toEqual(['a']);
  });

  it('filters by status, tag, list and source', () => {
    expect(ids({ status: 'unread' })).toEqual(['a']);
    expect(ids({ status: 'read' })).toEqual(['c']);
    expect(ids({ status: 'untagged' })).toEqual(['c', 'b']);
    expect(ids({ status: 'note' })).toEqual(['b']);
    expect(ids({ status: 'unseen' })).toEqual(['b']);
    expect(ids({ status: 'merged' })).toEqual(['d']);
    expect(ids({ tag: 'rl' }, { withTag: new Set(['c']) })).toEqual(['c']);
    expect(ids({ list: 'l1' }, { inList: new Set(['a', 'b']) })).toEqual(['a', 'b']);
    expect(ids({ source: 'seed:001.txt' })).toEqual(['c']);
    expect(ids({ source: 'origin:user' })).toEqual(['b']);
    expect(ids({ source: 'host:arxiv.org' }, { seenOn: new Set(['a']) })).toEqual(['a']);
    expect(ids({ q: 'offline ', status: 'read' })).toEqual(['c']);
  });

  it('offers seed listings (with their date), origins and sites as sources', () => {
    expect(sourceOptions(papers.values(), ['arxiv.org'])).toEqual([
      { value: 'origin:seed', label: 'Seed corpus' },
      { value: 'origin:user', label: 'Added from pages' },
      { value: 'seed:000.txt', label: 'Seed listing 000.txt (Mar 17)' },
      { value: 'seed:001.txt', label: 'Seed listing 001.txt' },
      { value: 'host:arxiv.org', label: 'Seen on arxiv.org' },
    ]);
  });
});
