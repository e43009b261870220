import { describe, it, expect, beforeEach } from 'vitest';
import { parse as parseBib } from '@retorquere/bibtex-parser';
import Papa from 'papaparse';
import { Cite, plugins } from '@citation-js/core';
// oxlint-disable-next-line import/no-unassigned-import -- registers the plugin
import '@citation-js/plugin-bibtex';
// oxlint-disable-next-line import/no-unassigned-import -- registers the plugin
import '@citation-js/plugin-ris';
// oxlint-disable-next-line import/no-unassigned-import -- registers the plugin
import '@citation-js/plugin-csl';
import { freshDb, populate, PAPERS } from './fixtures';
import { exportSelection, selectForExport, toBibtex, toCsv, toRis, toCslItems, toMarkdown, bibtexKeys, paperBibtex, paperMarkdownLink } from '../../lib/export';
import { baseKey, escapeLatex } from '../../lib/export/bibtex';
import { csvCell } from '../../lib/export/csv';
import { parseRis } from '../../lib/import/ris';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { ExportItem } from '../../lib/export/types';

const items: ExportItem[] = PAPERS.map((paper, i) => ({ paper, tags: i === 1 ? ['to read, later', 'transformers'] : [] }));

describe('BibTeX export', () => {
  it('re-parses with @retorquere/bibtex-parser without errors, keeping titles, authors, ids', () => {
    const bib = toBibtex(items);
    const lib = parseBib(bib, { sentenceCase: false, english: false, caseProtection: false });
    expect(lib.errors).toEqual([]);
    expect(lib.entries).toHaveLength(PAPERS.length);
    lib.entries.forEach((e, i) => {
      const p = PAPERS[i]!;
      expect(e.fields.title).toBe(p.title);
      const authors = (e.fields.author ?? []).map((c) => c.name ?? [c.firstName, c.prefix, c.lastName].filter(Boolean).join(' '));
      expect(authors).toEqual(p.authors ?? []);
      if (p.year) expect(e.fields.year).toBe(String(p.year));
      else expect(e.fields.year).toBeUndefined();
      if (p.arxivId) {
        expect(e.fields.eprint).toBe(p.arxivId);
        expect(e.fields.archiveprefix).toBe('arXiv');
      }
      if (p.doi) expect(e.fields.doi).toBe(p.doi);
    });
    // Abstract with newlines and quotes survives as one line of text.
    expect(lib.entries[1]!.fields.abstract).toBe('Line one, with "quotes", commas and a second line; and a third.');
    expect(lib.entries[1]!.fields.keywords).toEqual(['to read\uff0c later', 'transformers']);
  });

  it('old-style arXiv ids carry their primary class', () => {
    expect(toBibtex([items[5]!])).toContain('primaryClass = {hep-th}');
    expect(toBibtex([items[0]!])).not.toContain('primaryClass');
  });

  it('keys are author+year+first word, unique, and independent of order', () => {
    const keys = bibtexKeys(PAPERS);
    expect(new Set(keys.values()).size).toBe(PAPERS.length);
    expect(keys.get('p0000000000000003')).toBe('lambert2024tulu');
    expect(keys.get('p0000000000000004')).toBe('anonpaper');
    // Three Vaswani 2017 "attention…" papers: a, b, c in paper-id order.
    expect(keys.get('p0000000000000001')).toBe('vaswani2017attentiona');
    expect(keys.get('p0000000000000002')).toBe('vaswani2017attentionb');
    expect(keys.get('p0000000000000006')).toBe('vaswani2017attentionc');
    const reversed = bibtexKeys(PAPERS.toReversed());
    expect([...reversed.entries()].toSorted()).toEqual([...keys.entries()].toSorted());
  });

  it('a suffixed key never collides with another paper\'s base key', () => {
    const a = { ...PAPERS[3]!, id: 'pa', title: 'Paper x' };
    const b = { ...PAPERS[3]!, id: 'pb', title: 'Paper y' };
    const c = { ...PAPERS[3]!, id: 'pc', title: 'Papera' };
    expect(baseKey(c)).toBe('anonpapera');
    const keys = bibtexKeys([a, b, c]);
    expect(new Set(keys.values()).size).toBe(3);
    expect(keys.get('pc')).toBe('anonpapera');
  });

  it('escapes every LaTeX special and keeps braces balanced', () => {
    const e = escapeLatex('{a} } { $ & % # _ ^ ~ \\');
    expect(e).toBe('\\textbraceleft{}a\\textbraceright{} \\textbraceright{} \\textbraceleft{} \\$ \\& \\% \\# \\_ \\textasciicircum{} \\textasciitilde{} \\textbackslash{}');
    const lib = parseBib(`@misc{k, title = {${e}}}`, { sentenceCase: false, english: false, caseProtection: false });
    expect(lib.errors).toEqual([]);
    expect(lib.entries[0]!.fields.title).toBe('{a} } { $ & % # _ ^ ~ \\');
  });

  it('round-trips hostile titles through the parser: ligatures, angle brackets, quotes, Unicode', () => {
    const titles = [
      'a < b > c',
      'Pre-training -- and --- dashes',
      "``quoted'' and `single' ?` !`",
      '<b>not markup</b> & <i>x</i>',
      'Über-Ærø — ∑ 中文 😀',
      'back\\slash {{double}} }{',
    ];
    for (const title of titles) {
      const bib = toBibtex([{ paper: { ...PAPERS[3]!, title, authors: [`Zoë <${title.slice(0, 3)}>`] }, tags: [] }]);
      const lib = parseBib(bib, { sentenceCase: false, english: false, caseProtection: false });
      expect(lib.errors).toEqual([]);
      expect(lib.entries[0]!.fields.title).toBe(title);
    }
  });

  it('per-paper copy gives one valid entry and a Markdown link', () => {
    const bib = paperBibtex(PAPERS[0]!, ['x']);
    const lib = parseBib(bib);
    expect(lib.errors).toEqual([]);
    expect(lib.entries[0]!.key).toBe('vaswani2017attention');
    expect(paperMarkdownLink(PAPERS[0]!)).toBe('[Attention Is All You Need](https://arxiv.org/abs/1706.03762)');
    expect(paperMarkdownLink(PAPERS[6]!)).toBe('=HYPERLINK\\("http://evil"\\) formula, title');
  });

  it('citation-js reads the BibTeX too', () => {
    const data = plugins.input.chain(toBibtex(items)) as { title: string }[];
    expect(data.map((d) => d.title)).toEqual(PAPERS.map((p) => p.title));
  });
});

describe('CSL-JSON export', () => {
  it('is consumed by citation-js and renders a bibliography', () => {
    const csl = toCslItems(items);
    const cite = new Cite(JSON.parse(JSON.stringify(csl)));
    expect(cite.data).toHaveLength(PAPERS.length);
    const out = cite.format('bibliography', { format: 'text', template: 'apa' }) as string;
    expect(out).toContain('Vaswani, A., Shazeer, N., & Parmar, N. (2017). Attention Is All You Need (arXiv:1706.03762)');
    expect(out).toContain('Procter and Gamble Lab');
    expect(out).toContain('Lambert, N.');
    expect(out).toContain('van der Berg');
    expect(csl[2]!.author![1]).toEqual({ family: 'van der Berg', given: 'Anna' });
    expect(csl[0]).toMatchObject({ id: 'vaswani2017attentiona', type: 'article', number: 'arXiv:1706.03762', issued: { 'date-parts': [[2017]] } });
    expect(csl[1]).toMatchObject({ type: 'article-journal', 'container-title': 'Journal of Machine Learning Research', DOI: '10.1234/abc.def' });
    expect(csl[3]!.author).toBeUndefined();
    expect(csl[3]!.issued).toBeUndefined();
    // citeproc's first style load is slow on a busy machine; the timeout is not a speed target.
  }, 30_000);
});

describe('RIS export', () => {
  it('is read back by citation-js and by our parser', () => {
    const ris = toRis(items);
    const data = plugins.input.chain(ris) as { title: string; DOI?: string }[];
    expect(data.map((d) => d.title)).toEqual(PAPERS.map((p) => p.title));
    expect(data[1]!.DOI).toBe('10.1234/abc.def');
    const ours = parseRis(ris);
    expect(ours.records.map((r) => r.title)).toEqual(PAPERS.map((p) => p.title));
    expect(ours.records.map((r) => r.authors ?? [])).toEqual(PAPERS.map((p) => p.authors ?? []));
    expect(ours.records[0]!.ids).toEqual({ arxiv: '1706.03762' });
    expect(ours.records[4]!.ids).toEqual({ openreview: 'AbCdEf123' });
    expect(ours.records[1]!.tags).toEqual(['to read, later', 'transformers']);
    // Every line is TAG  - value; the abstract's newlines were folded into one line.
    for (const line of ris.split('\r\n')) expect(line === '' || /^[A-Z][A-Z0-9] {2}- /.test(line)).toBe(true);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and newlines per RFC 4180 and papaparse reads it back', () => {
    const csv = toCsv(items);
    const r = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(r.errors).toEqual([]);
    const [head, ...rows] = r.data;
    expect(head![0]).toBe('title');
    expect(rows).toHaveLength(PAPERS.length);
    const col = (name: string) => head!.indexOf(name);
    rows.forEach((row, i) => {
      const p = PAPERS[i]!;
      const title = row[col('title')]!;
      expect(title.replace(/^'(?==)/, '')).toBe(p.title);
      expect(row[col('abstract')]).toBe(p.abstract ?? '');
      expect(row[col('id')]).toBe(p.id);
    });
    // A formula-looking title is defused.
    expect(rows[6]![col('title')]).toBe(`'${PAPERS[6]!.title}`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('-ε-greedy')).toBe('-ε-greedy');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csv).toContain('"Line one, with ""quotes"", commas\nand a second line;\r\nand a third."');
    expect(rows[1]![col('tags')]).toBe('to read, later; transformers');
  });
});

describe('Markdown export', () => {
  it('escapes markup and links each paper', () => {
    const md = toMarkdown(items, 'My *list*');
    expect(md.startsWith('# My \\*list\\*\n')).toBe(true);
    expect(md).toContain('- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) — Ashish Vaswani, Noam Shazeer, Niki Parmar, 2017');
    expect(md).not.toMatch(/<|(?<!\\)\$π\^\{/);
  });
});

describe('selection API', () => {
  let db: ShelfmarkDB;
  beforeEach(async () => {
    db = freshDb();
    await populate(db);
  });

  it('a reading list comes in list order, with read state, tags and notes', async () => {
    const set = await selectForExport(db, { kind: 'list', listId: 'l1' });
    expect(set.title).toBe('Reading group');
    expect(set.items.map((i) => i.paper.id)).toEqual(['p0000000000000003', 'p0000000000000004', 'p0000000000000001']);
    expect(set.items.map((i) => i.list)).toEqual([
      { name: 'Reading group', position: 1, read: true },
      { name: 'Reading group', position: 2, read: false },
      { name: 'Reading group', position: 3, read: false },
    ]);
    expect(set.items[0]!.tags).toEqual(['Ünïcode tag']);
    expect(set.items[2]!.note).toContain('Key paper.');
    const md = await exportSelection(db, { kind: 'list', listId: 'l1' }, 'markdown');
    expect(md.filename).toBe('reading-group.md');
    expect(md.text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      expect.stringMatching(/^- \[x\] \[TÜLU 3/),
      expect.stringMatching(/^- \[ \] A paper without authors or year$/),
      expect.stringMatching(/^- \[ \] \[Attention Is All You Need\]/),
    ]);
  });

  it('a tag, a set of ids, the whole corpus (merged-away papers left out)', async () => {
    const tag = await selectForExport(db, { kind: 'tag', tag: 'transformers' });
    expect(tag.items.map((i) => i.paper.id).toSorted()).toEqual(['p0000000000000001', 'p0000000000000002']);
    const ids = await selectForExport(db, { kind: 'ids', ids: ['p0000000000000005', 'p00000000000000ff', 'nope'] });
    // The merged-away id resolves to its survivor.
    expect(ids.items.map((i) => i.paper.id)).toEqual(['p0000000000000005', 'p0000000000000001']);
    const all = await selectForExport(db, { kind: 'all' });
    expect(all.items).toHaveLength(PAPERS.length);
    const csv = await exportSelection(db, { kind: 'all' }, 'csv');
    expect(Papa.parse(csv.text, { skipEmptyLines: true }).data).toHaveLength(PAPERS.length + 1);
  });

  it('an unknown list is an error', async () => {
    await expect(selectForExport(db, { kind: 'list', listId: 'nope' })).rejects.toThrow(/No reading list/);
  });
});
