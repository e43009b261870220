import { describe, it, expect, beforeEach } from 'vitest';
import { freshDb, populate, snapshot, PAPERS, paper } from '../export/fixtures';
import { createBackup, restoreBackup } from '../../lib/storage/backup';
import { exportSelection } from '../../lib/export';
import { importText, parseImport, detectFormat, ImportError, parseBibtex, parseBibtexChunked } from '../../lib/import';
import type { ShelfmarkDB } from '../../lib/storage/db';
import type { Paper } from '../../lib/model/types';

let db: ShelfmarkDB;
beforeEach(async () => {
  db = freshDb();
  await populate(db);
});

async function wipe(d: ShelfmarkDB): Promise<void> {
  await d.transaction('rw', d.tables, async () => {
    for (const t of d.tables) await t.clear();
  });
}

/** Live papers by title, with their tags: what an export → import round trip must keep. */
async function liveView(d: ShelfmarkDB) {
  const papers = (await d.papers.toArray()).filter((p) => !p.mergedInto);
  const tags = await d.paperTags.toArray();
  return papers
    .map((p) => ({
      title: p.title,
      authors: p.authors ?? [],
      arxivId: p.arxivId,
      doi: p.doi,
      openreviewId: p.openreviewId,
      year: p.year,
      tags: tags.filter((t) => t.paperId === p.id).map((t) => t.tag).toSorted(),
    }))
    .toSorted((a, b) => a.title.localeCompare(b.title));
}

describe('backup and restore', () => {
  it('backup → wipe → restore gives the same database content', async () => {
    const before = await snapshot(db);
    const text = (await exportSelection(db, { kind: 'all' }, 'backup')).text;
    await wipe(db);
    expect((await snapshot(db)).papers).toEqual([]);
    await restoreBackup(db, JSON.parse(text));
    expect(await snapshot(db)).toEqual(before);
    // Into a fresh database too, through the import entry point.
    const other = freshDb();
    const r = await importText(other, text, { filename: 'b.json', replace: true });
    expect(r.new).toBe(PAPERS.length + 1);
    expect(await snapshot(other)).toEqual(before);
  });

  it('keeps unknown fields (a newer build\'s data) through a round trip', async () => {
    const b = await createBackup(db);
    (b.tables.papers[0] as Record<string, unknown>).futureField = { x: [1, 2] };
    await restoreBackup(db, JSON.parse(JSON.stringify(b)));
    expect(((await db.papers.get(b.tables.papers[0]!.id)) as unknown as Record<string, unknown>).futureField).toEqual({ x: [1, 2] });
  });

  it('rejects a broken backup naming the field, and writes nothing', async () => {
    const before = await snapshot(db);
    const b = JSON.parse(JSON.stringify(await createBackup(db)));
    b.tables.listItems[1].read = 'yes';
    await expect(importText(db, JSON.stringify(b), { format: 'backup' })).rejects.toThrow(/tables\.listItems\.1\.read/);
    b.tables.listItems[1].read = false;
    b.tables.listItems[1].paperId = 'nope';
    await expect(importText(db, JSON.stringify(b), { format: 'backup', replace: true })).rejects.toThrow(/unknown paper "nope"/);
    await expect(importText(db, '{"format": "shelfmark-backup", ', { format: 'backup' })).rejects.toThrow(ImportError);
    expect(await snapshot(db)).toEqual(before);
  });

  it('merging a backup into another library goes through the matcher', async () => {
    const text = (await exportSelection(db, { kind: 'all' }, 'backup')).text;
    const other = freshDb();
    // The other library already has one of the papers, under a differently cased title and no ids.
    await other.papers.add(paper('p9999999999999999', 'attention is all you need', { origin: 'user' }));
    const r = await importText(other, text, { filename: 'b.json' });
    expect(r).toMatchObject({ format: 'backup', new: PAPERS.length - 1, merged: 1, skipped: 0 });
    const merged = await other.papers.get('p9999999999999999');
    expect(merged!.arxivId).toBe('1706.03762');
    expect(merged!.authors).toEqual(PAPERS[0]!.authors);
    // Lists keep order and read state, mapped onto the matched paper.
    const list = (await other.lists.toArray()).find((l) => l.name === 'Reading group')!;
    const items = (await other.listItems.where('listId').equals(list.id).toArray()).toSorted((a, b) => a.position - b.position);
    expect(items.map((i) => [i.paperId, i.read])).toEqual([
      ['p0000000000000003', true],
      ['p0000000000000004', false],
      ['p9999999999999999', false],
    ]);
    expect((await other.notes.get('p9999999999999999'))!.text).toContain('Key paper.');
    expect((await other.paperTags.where('paperId').equals('p9999999999999999').toArray()).map((t) => t.tag)).toEqual(['transformers']);
    expect(await other.notDuplicates.get('p0000000000000006|p9999999999999999')).toBeTruthy();
    expect(await other.sightings.count()).toBe(2);
    // Importing the same backup again adds nothing new.
    const again = await importText(other, text, { filename: 'b.json' });
    expect(again.new).toBe(0);
    expect(again.merged).toBe(PAPERS.length);
    expect((await other.papers.count())).toBe(PAPERS.length);
  });
});

describe('export → import round trips', () => {
  for (const format of ['bibtex', 'ris'] as const) {
    it(`${format}: titles, authors, ids and tags survive into an empty library`, async () => {
      const want = await liveView(db);
      const file = await exportSelection(db, { kind: 'all' }, format);
      await wipe(db);
      const r = await importText(db, file.text, { filename: file.filename });
      expect(r).toMatchObject({ format, new: PAPERS.length, merged: 0, skipped: 0 });
      expect(await liveView(db)).toEqual(want);
    });

    it(`${format}: re-importing into the same library merges, never duplicates`, async () => {
      const before = await liveView(db);
      const file = await exportSelection(db, { kind: 'all' }, format);
      const r = await importText(db, file.text, { filename: file.filename });
      expect(r).toMatchObject({ new: 0, merged: PAPERS.length, skipped: 0 });
      expect(await liveView(db)).toEqual(before);
    });
  }

  it('a reading list exported as BibTeX and imported into a list keeps the order', async () => {
    const file = await exportSelection(db, { kind: 'list', listId: 'l1' }, 'bibtex');
    const other = freshDb();
    const r = await importText(other, file.text, { filename: file.filename, listName: 'Imported' });
    expect(r.new).toBe(3);
    const list = (await other.lists.toArray())[0]!;
    const items = (await other.listItems.where('listId').equals(list.id).toArray()).toSorted((a, b) => a.position - b.position);
    const titles = await Promise.all(items.map(async (i) => (await other.papers.get(i.paperId))!.title));
    expect(titles).toEqual([PAPERS[2]!.title, PAPERS[3]!.title, PAPERS[0]!.title]);
  });
});

describe('importers', () => {
  it('BibTeX from elsewhere: merged by arXiv id, new by title, skipped with a reason, tags added', async () => {
    const bib = `@article{a, title={Attention Is All You Need for Transformers}, eprint={1706.03762v5}, archivePrefix={arXiv}, keywords={nlp}}
@inproceedings{b, title={Brand New Paper}, author={Doe, Jane and Roe, Rick}, year=2023, booktitle={NeurIPS}}
@misc{c, note={nothing to go on}}
@misc{d, eprint={2501.00001}, archivePrefix={arXiv}}
@misc{e, title={brand new paper}, doi={10.5555/XYZ}}
`;
    const r = await importText(db, bib, { filename: 'refs.bib' });
    expect(r).toMatchObject({ format: 'bibtex', new: 1, merged: 2, skipped: 2 });
    // Same title but a different arXiv id: the matcher is unsure, so it becomes a new paper flagged
    // for review, and the library's paper keeps its own id.
    const clash = await importText(db, '2411.99999 TÜLU 3: Pushing Frontiers in Open Language Model Post-Training', { format: 'plain' });
    expect(clash).toMatchObject({ new: 1, merged: 0, maybe: 1 });
    expect(clash.details[0]).toMatch(/may be a paper already in the library/);
    expect((await db.papers.get('p0000000000000003'))!.arxivId).toBe('2411.15124');
    expect(r.details.join('\n')).toMatch(/line 3: no title/);
    expect(r.details.join('\n')).toMatch(/line 4: arXiv:2501\.00001 is not in the library/);
    const tags = await db.paperTags.where('paperId').equals('p0000000000000001').toArray();
    expect(tags.map((t) => t.tag).toSorted()).toEqual(['nlp', 'transformers']);
    const p1 = (await db.papers.get('p0000000000000001'))!;
    expect(p1.aliasKeys).toContain('attentionisallyouneedfortransformers');
    // The same arXiv id under a title that is plainly another paper proves nothing: flagged, not merged.
    const sameIdOtherTitle = await importText(db, '1706.03762 A Different Title for the Transformer', { format: 'plain' });
    expect(sameIdOtherTitle).toMatchObject({ new: 1, merged: 0, maybe: 1 });
    expect((await db.papers.get('p0000000000000001'))!.aliasKeys).not.toContain('adifferenttitleforthetransformer');
    expect(p1.provenance.at(-1)).toEqual({ kind: 'import', source: 'refs.bib', line: 1 });
    const fresh = (await db.papers.where('key').equals('brandnewpaper').toArray())[0]!;
    // Accents written as TeX come back composed (NFC), as typed text would be.
    await importText(db, '@misc{u, title={Brand new paper}, author={M{\\"u}ller, J{\\"o}rg}}', { format: 'bibtex' });
    expect((await db.papers.get(fresh.id))!.authors).toEqual(['Jane Doe', 'Rick Roe']);
    const other = freshDb();
    await importText(other, '@misc{u, title={Brand new paper}, author={M{\\"u}ller, J{\\"o}rg}}', { format: 'bibtex' });
    expect((await other.papers.toArray())[0]!.authors).toEqual(['J\u00f6rg M\u00fcller']);
    expect(fresh).toMatchObject({ authors: ['Jane Doe', 'Rick Roe'], year: 2023, venue: 'NeurIPS', doi: '10.5555/xyz', origin: 'import' });
  });

  it('BibTeX parsed in batches gives what the one-shot parse gives, errors and lines included', async () => {
    const entries = Array.from({ length: 250 }, (_, i) =>
      i % 50 === 7
        ? `@string{v${i} = "Venue ${i}"}\n@inproceedings{k${i},\n  title = {Paper {${i}} with @ sign},\n  booktitle = v${i} # " 2024",\n  abstract = {x\n@notanentry{ inside braces}\n}\n}`
        : `  @misc{k${i}, title={Paper ${i}}, author={Doe, J. and Roe, R.}, keywords={t${i % 3}}}`,
    );
    const text = `% comment\n${entries.join('\n')}\n`;
    const batches: number[] = [];
    const chunked = await parseBibtexChunked(text, { batch: 20, onProgress: (d) => batches.push(d) });
    expect(chunked).toEqual(parseBibtex(text));
    expect(chunked.records).toHaveLength(250);
    expect(chunked.records[7]).toMatchObject({ title: 'Paper 7 with @ sign', venue: 'Venue 7 2024' });
    expect(batches.length).toBeGreaterThan(10);
    // An error in a late batch: the same message and line as the one-shot parser.
    const broken = text.replace('@misc{k200, title={Paper 200}', '@misc{k200, title={Paper 200');
    const oneShot = (() => {
      try {
        parseBibtex(broken);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(oneShot).toMatch(/^Line \d+: BibTeX error/);
    await expect(parseBibtexChunked(broken, { batch: 20 })).rejects.toThrow(oneShot!);
  });

  it('BibTeX syntax errors name the line', () => {
    expect(() => parseImport('@misc{a, title={ok}}\n\n@article{x,\n  title = {Broken\n  author = {A}\n}\n@misc{y, title={ok}}\n', 'bibtex')).toThrow(/^Line \d+: BibTeX error/);
  });

  it('RIS structure errors name the line', () => {
    expect(() => parseImport('TY  - JOUR\nTI  - x\nTY  - JOUR\nER  - \n', 'ris')).toThrow('Line 3: a new record starts (TY) before the record of line 1 ended (ER)');
    expect(() => parseImport('TI  - x\n', 'ris')).toThrow('Line 1: TI outside a record');
    expect(() => parseImport('TY  - JOUR\nTI  - x\n', 'ris')).toThrow(/record of line 1 has no end/);
    expect(() => parseImport('hello\nworld\n', 'ris')).toThrow(/Line 1: not a RIS line/);
    // A wrapped abstract continues the previous field.
    const r = parseImport('TY  - JOUR\nTI  - A title\nAB  - first part\n  second part\nER  - \n', 'ris');
    expect(r.records[0]!.abstract).toBe('first part second part');
  });

  it('plain lists: arXiv ids, links, DOIs and titles', async () => {
    const text = `# my list
1706.03762
https://arxiv.org/abs/2411.15124v2
arXiv:2501.99999
10.1234/ABC.DEF
https://openreview.net/forum?id=AbCdEf123
A Completely New Title
2502.00002  Another new one with an id
`;
    const r = await importText(db, text, { filename: 'list.txt', tag: 'from list' });
    expect(r).toMatchObject({ format: 'plain', new: 2, merged: 4, skipped: 1 });
    expect(r.paperIds.slice(0, 4)).toEqual(['p0000000000000001', 'p0000000000000003', 'p0000000000000002', 'p0000000000000005']);
    const tagged = await db.paperTags.where('tag').equals('from list').count();
    expect(tagged).toBe(6);
    const withId = (await db.papers.where('arxivId').equals('2502.00002').toArray())[0]!;
    expect(withId.title).toBe('Another new one with an id');
  });

  it('listing dumps through the seed parser, merged by title', async () => {
    const abstract = 'We study things. '.repeat(30).trim();
    const text = `Mar 17\n\nAttention Is All You Need\n\n${abstract}\n\nSomething Entirely New\n\n${abstract}\n`;
    expect(detectFormat(text, 'dump.txt')).toBe('listing');
    const r = await importText(db, text, { filename: 'dump.txt' });
    expect(r).toMatchObject({ format: 'listing', new: 1, merged: 1 });
    const p = (await db.papers.where('key').equals('somethingentirelynew').first())!;
    expect(p.provenance).toEqual([{ kind: 'import', source: 'dump.txt', line: 7, listingDate: 'Mar 17' }]);
  });

  it('detects formats', () => {
    expect(detectFormat('@article{x, title={a}}')).toBe('bibtex');
    expect(detectFormat('TY  - JOUR\nER  - ')).toBe('ris');
    expect(detectFormat('{"format":1}')).toBe('backup');
    expect(detectFormat('1706.03762\n')).toBe('plain');
    expect(detectFormat('anything', 'x.ris')).toBe('ris');
  });
});

function bigBib(): string {
  return Array.from({ length: 1200 }, (_, i) => `@misc{k${i}, title={Generated paper number ${i} about topic ${i % 7}}, author={Author ${i}}, year=2020, keywords={gen}}`).join('\n');
}

describe('atomicity, progress and cancel', () => {

  it('a failure midway through the write leaves the database as it was', async () => {
    const before = await snapshot(db);
    let n = 0;
    const hook = (_pk: unknown, obj: Paper) => {
      if (obj.title.includes('number 700')) throw new Error('disk full (injected)');
      n++;
    };
    db.papers.hook('creating', hook);
    await expect(importText(db, bigBib(), { format: 'bibtex' })).rejects.toThrow(/disk full/);
    db.papers.hook('creating').unsubscribe(hook);
    expect(n).toBeGreaterThan(500);
    expect(await snapshot(db)).toEqual(before);
  }, 60_000);

  it('reports progress and cancels with nothing written, in any phase', async () => {
    const before = await snapshot(db);
    for (const phase of ['parse', 'match', 'write'] as const) {
      const ctl = new AbortController();
      const seen: string[] = [];
      const p = importText(db, bigBib(), {
        format: 'bibtex',
        signal: ctl.signal,
        yieldEvery: 100,
        onProgress: (pr) => {
          seen.push(pr.phase);
          if (pr.phase === phase && pr.done >= 500) ctl.abort();
        },
      });
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen).toContain(phase);
      expect(await snapshot(db)).toEqual(before);
    }
    const progress: number[] = [];
    const r = await importText(db, bigBib(), { format: 'bibtex', onProgress: (pr) => pr.phase === 'match' && progress.push(pr.done) });
    expect(r.new).toBe(1200);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1200);
    expect(progress.length).toBeGreaterThan(3);
  }, 120_000);
});
