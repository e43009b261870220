import { describe, expect, it } from 'vitest';
import { parseSeedDump, parseSeedDumps, looksLikeAbstract } from '@/lib/corpus/seed-parser';
import { readSeedFiles } from './helpers/seeds';

const files = readSeedFiles();
const byName = (prefix: string) => files.find((f) => f.name.startsWith(prefix))!;

describe('parseSeedDump on the five shipped dumps', () => {
  it('finds 401 entries and reports no problem', () => {
    const { entries, problems } = parseSeedDumps(files);
    expect(files).toHaveLength(5);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(401);
  });

  it('counts entries per file, in both layouts', () => {
    const counts = Object.fromEntries(files.map((f) => [f.name.slice(0, 3), parseSeedDump(f.text, f.name).entries.length]));
    // 000, 001, 004 separate lines by blank lines; 002 and 003 do not.
    expect(counts).toEqual({ '000': 87, '001': 65, '002': 51, '003': 119, '004': 79 });
  });

  it('records provenance: file name, 1-based title line and the date line before it', () => {
    const f = byName('000');
    const { entries } = parseSeedDump(f.text, f.name);
    expect(entries[0]).toEqual({
      title: 'Pretraining the Vision Transformer using self-supervised methods for vision based Deep Reinforcement Learning',
      abstract: expect.stringMatching(/^The Vision Transformer architecture has shown to be competitive/),
      provenance: { kind: 'seed', source: '000_867e48db8b7fb532.txt', listingDate: 'Mar 17', line: 11 },
    });
    const last = entries.at(-1)!;
    expect(last.title).toBe('B-Coder: Value-Based Deep Reinforcement Learning for Program Synthesis');
    expect(last.provenance.line).toBe(355);
    expect(last.abstract).toMatch(/^Program synthesis aims to create accurate/);
    // Every entry in the file is dated by its single date line.
    expect(new Set(entries.map((e) => e.provenance.listingDate))).toEqual(new Set(['Mar 17']));
    const f4 = byName('004');
    expect(parseSeedDump(f4.text, f4.name).entries[0]!.provenance.listingDate).toBe('Apr 22');
  });

  it('leaves entries undated when the dump has no date line', () => {
    const f = byName('002');
    const { entries } = parseSeedDump(f.text, f.name);
    expect(entries.every((e) => e.provenance.listingDate === undefined)).toBe(true);
  });

  it('unglues the first title from "Subscribe"', () => {
    const f3 = byName('003');
    const first3 = parseSeedDump(f3.text, f3.name).entries[0]!;
    expect(first3.title).toBe('FORGE: Forming Semantic Identifiers for Generative Retrieval in Industrial Datasets');
    expect(first3.provenance.line).toBe(3);
    const f2 = byName('002');
    expect(parseSeedDump(f2.text, f2.name).entries[0]!.title).toBe('Finetuning Offline World Models in the Real World');
    const all = parseSeedDumps(files).entries;
    expect(all.some((e) => e.title.startsWith('Subscribe'))).toBe(false);
  });

  it('drops the "Abstract " label in front of an abstract', () => {
    const hits = parseSeedDumps(files).entries.filter((e) =>
      e.title.startsWith('Improving Language Models with Advantage-based Offline Policy Gradients'),
    );
    expect(hits).toHaveLength(3);
    for (const h of hits) expect(h.abstract).toMatch(/^Language Models \(LMs\) achieve substantial/);
  });

  it('never turns page chrome into a title', () => {
    const titles = parseSeedDumps(files).entries.map((e) => e.title);
    for (const chrome of ['new', 'Subscribe', 'byAK and the research community', 'Mar 17', 'Apr 22']) {
      expect(titles).not.toContain(chrome);
    }
    expect(titles.some((t) => t.startsWith('Get trending papers'))).toBe(false);
  });
});

function abstract(n: string): string {
  return `We study ${n} in depth. Our method improves over strong baselines on many benchmarks while using far less compute, and we release code and data for others to build upon.`;
}

describe('parseSeedDump on odd input', () => {

  it('reports a line it cannot place instead of dropping it or shifting the pairing', () => {
    const text = [
      'Mar 3',
      'First Paper Title',
      abstract('the first problem'),
      'Upvote 42', // unknown chrome: a title-like line with no abstract after it
      'Second Paper Title',
      abstract('the second problem'),
      abstract('an orphan paragraph'), // prose with no title
      'Third Paper Title',
      abstract('the third problem'),
      'Trailing Title With No Abstract',
    ].join('\n');
    const { entries, problems } = parseSeedDump(text, 'user.txt');
    expect(entries.map((e) => [e.title, e.provenance.line, e.provenance.listingDate])).toEqual([
      ['First Paper Title', 2, 'Mar 3'],
      ['Second Paper Title', 5, 'Mar 3'],
      ['Third Paper Title', 8, 'Mar 3'],
    ]);
    expect(entries[1]!.abstract).toBe(abstract('the second problem'));
    expect(problems).toEqual([
      { source: 'user.txt', line: 4, text: 'Upvote 42', reason: 'title-without-abstract' },
      { source: 'user.txt', line: 7, text: abstract('an orphan paragraph'), reason: 'abstract-without-title' },
      { source: 'user.txt', line: 10, text: 'Trailing Title With No Abstract', reason: 'title-without-abstract' },
    ]);
  });

  it('handles CRLF, a BOM, no-break spaces and a later date line', () => {
    const text = '\ufeffnew\r\n\r\nSubscribe\r\nJan 5\r\nA\u00a0Title  With  Spaces\r\n' + abstract('x') + '\r\nFeb 9\r\nAnother Title\r\n' + abstract('y');
    const { entries, problems } = parseSeedDump(text, 'crlf.txt');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.title, e.provenance.line, e.provenance.listingDate])).toEqual([
      ['A Title With Spaces', 5, 'Jan 5'],
      ['Another Title', 8, 'Feb 9'],
    ]);
  });

  it('does not unglue "Subscribe" from a real word or after the header', () => {
    const text = ['Subscriber Churn Prediction at Scale', abstract('churn'), 'SubscribeNow: A Title', abstract('z')].join('\n');
    const { entries } = parseSeedDump(text, 't.txt');
    expect(entries.map((e) => e.title)).toEqual(['Subscriber Churn Prediction at Scale', 'SubscribeNow: A Title']);
  });

  it('does not take a question-mark title for an abstract', () => {
    expect(looksLikeAbstract('Can 1B LLM Surpass 405B LLM? Rethinking Compute-Optimal Test-Time Scaling')).toBe(false);
    expect(looksLikeAbstract(abstract('q'))).toBe(true);
  });
});
