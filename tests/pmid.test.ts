// oxlint-disable-next-line import/no-unassigned-import -- installs IndexedDB globals for Dexie (first: Dexie reads them on load)
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plugins } from '@citation-js/core';
// oxlint-disable-next-line import/no-unassigned-import -- registers the plugin
import '@citation-js/plugin-bibtex';
// oxlint-disable-next-line import/no-unassigned-import -- registers the plugin
import '@citation-js/plugin-csl';
import type { ShelfmarkDB } from '../lib/storage/db';
import type { Paper } from '../lib/model/types';
import { MatchIndex } from '../lib/match';
import { sameClaim } from '../lib/match/claims';
import { applyOffers, forgetId, learnOffer } from '../lib/match/learn';
import { parseRequest, type EntryResult, type WireEntry } from '../lib/messaging/messages';
import { parseBibtex, parseRis, importText } from '../lib/import';
import { toBibtex } from '../lib/export/bibtex';
import { toRis } from '../lib/export/ris';
import { toCslItems } from '../lib/export/csl-json';
import { toCsv } from '../lib/export/csv';
import { addPaperFromEntry } from '../lib/actions';
import { pubmed } from '../lib/sites/pubmed';
import { toWire } from '../entrypoints/listing.content/scanner';
import { IndexStore } from '../entrypoints/background/index-store';
import { createContext, type Context, type Platform } from '../entrypoints/background/context';
import { handleMessage } from '../entrypoints/background/handlers';
import { flushSightings } from '../entrypoints/background/sightings';
import type { Sender } from '../lib/messaging/sender';
import { dropTestDb, makePaper, openTestDb } from './helpers/db';
import { loadFixture } from './sites/load-fixture';

/**
 * PubMed ids end to end: read from a page, carried on the wire, matched on (an id hit whose title
 * is plainly another paper is only a maybe), learned from sure sole claims, imported and exported.
 */

// Content words (no stop words) for generated titles; every title uses 8 distinct ones.
const WORDS = (
  'endometriosis methotrexate nanoparticles cohort randomized placebo biomarker inflammation ' +
  'lymphocyte cytokine mitochondrial oxidative hepatic renal cardiac pulmonary neonatal pediatric ' +
  'geriatric vaccine antibody receptor kinase inhibitor tumor metastasis genome transcriptome ' +
  'proteomic microbiome intestinal neuronal cortical synaptic dopamine serotonin insulin glucose ' +
  'obesity diabetes hypertension stroke sepsis infection antibiotic resistance surveillance mortality'
).split(' ');

/** A deterministic generator (tests must not depend on luck). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  paper: Paper;
  words: string[];
  pmid: string;
}

/** n papers with distinct 8-word titles and PMIDs of every length NLM has used (1 to 8 digits). */
function generate(n: number, seed = 7): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  const pmids = new Set<string>();
  while (out.length < n) {
    const pool = [...WORDS];
    const words: string[] = [];
    for (let k = 0; k < 8; k++) words.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
    // The nine one-digit PMIDs first, then lengths 2 to 8 in turn.
    const digits = out.length < 9 ? 1 : 2 + (out.length % 7);
    const pmid = digits === 1 ? String(out.length + 1) : String(Math.floor(10 ** (digits - 1) + r() * 9 * 10 ** (digits - 1)));
    if (pmids.has(pmid)) continue;
    pmids.add(pmid);
    const title = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
    out.push({ paper: makePaper(`p${out.length}`, title, { pmid }), words, pmid });
  }
  return out;
}

const entry = (title: string, pmid?: string) => ({ title, ids: pmid ? { pmid } : {} });
const risRecord = (tags: string) => `TY  - JOUR\r\nTI  - T\r\n${tags}ER  - \r\n`;
const bib = (fields: string) => `@article{k, title = {T}, ${fields}}`;

/** The title with two of its eight words dropped: a retitle (6/8 content words kept), not a typo. */
const retitle = (c: Case) => c.words.filter((_, i) => i !== 2 && i !== 5).join(' ');

describe('the match index looks PMIDs up', () => {
  const cs = generate(200);
  const RESNET = 'Deep Residual Learning for Image Recognition';
  const index = MatchIndex.build([...cs.map((c) => c.paper), makePaper('resnet', RESNET)]);
  /** A paper whose title shares at most two words with paper i's: plainly another paper. */
  const other = (i: number) => {
    const mine = new Set(cs[i]!.words);
    return cs.find((c, j) => j !== i && c.words.filter((w) => mine.has(w)).length <= 2)!;
  };

  it('an entry carrying a paper’s PMID under a retitle is a match by id; without the PMID it is not', () => {
    cs.forEach((c, i) => {
      // The PMID as pages and files write it: bare, labelled, padded.
      const raw = [c.pmid, `PMID: ${c.pmid}`, ` ${c.pmid} `][i % 3]!;
      const r = index.match({ title: retitle(c), ids: { pmid: raw } });
      expect(r, c.paper.title).toMatchObject({ status: 'match', paperId: c.paper.id, reason: 'same PMID', evidence: 'id' });
      expect(index.match({ title: retitle(c) }).status, c.paper.title).not.toBe('match');
    });
  });

  it('a PMID under a title that is plainly another paper is only a maybe; a paper’s own title with no PMID of its own still matches it', () => {
    cs.forEach((c, i) => {
      const unrelated = index.match({ title: 'A Survey of Graph Neural Networks', ids: { pmid: c.pmid } });
      expect(unrelated).toMatchObject({ status: 'maybe', paperId: c.paper.id, reason: 'same PMID, different title' });
      // A corpus paper without a PMID, by its exact title: that paper.
      expect(index.match({ title: RESNET, ids: { pmid: c.pmid } })).toMatchObject({ status: 'match', paperId: 'resnet' });
      // A corpus paper that holds another PMID, by its exact title: neither is sure.
      expect(index.match({ title: other(i).paper.title, ids: { pmid: c.pmid } }).status).toBe('maybe');
    });
  });

  it('a title match whose entry carries a different PMID than the paper’s is a maybe', () => {
    const held = new Set(cs.map((c) => c.pmid));
    cs.forEach((c, i) => {
      let pmid = 90000000 + i;
      while (held.has(String(pmid))) pmid += 1000;
      const r = index.match({ title: c.paper.title, ids: { pmid: String(pmid) } });
      expect(r).toMatchObject({ status: 'maybe', paperId: c.paper.id, reason: 'same title key, but the PMID differs' });
    });
  });

  it('PMIDs survive persisting the index (parts), the delta and removal', () => {
    const back = MatchIndex.fromParts(index.toParts());
    for (const c of cs) expect(back.match({ title: '', ids: { pmid: c.pmid } }).paperId).toBe(c.paper.id);
    const added = makePaper('new', 'Completely Different Paper About Sleep', { pmid: '99999999' });
    back.add(added);
    expect(back.match({ title: '', ids: { pmid: '99999999' } }).paperId).toBe('new');
    back.remove(cs[0]!.paper.id);
    expect(back.match({ title: '', ids: { pmid: cs[0]!.pmid } }).status).toBe('none');
    back.compact();
    expect(back.match({ title: '', ids: { pmid: '99999999' } }).paperId).toBe('new');
  });
});

describe('claims and learning', () => {
  const c = generate(40, 11);
  const pageUrl = 'https://pubmed.ncbi.nlm.nih.gov/?term=x';

  it('the same title under two PMIDs is two claims', () => {
    expect(sameClaim(entry('A Title', '123'), entry('A Title', '124'))).toBe(false);
    expect(sameClaim(entry('A Title', '123'), entry('A Title', 'PMID: 123'))).toBe(true);
  });

  it('a sure sole claim teaches its paper the PMID, with provenance; unsure or contested ones do not', () => {
    for (const x of c) {
      const bare: Paper = { ...x.paper };
      delete bare.pmid;
      const sure = { entry: entry(x.paper.title, x.pmid), result: { status: 'match' as const, paperId: bare.id, evidence: 'key' as const } };
      const offer = learnOffer(sure, [sure], pageUrl);
      expect(offer?.ids).toEqual([{ kind: 'pmid', value: x.pmid }]);
      const [learned] = applyOffers([bare], new Map([[bare.id, offer!]]), () => undefined, 5);
      expect(learned).toMatchObject({ pmid: x.pmid, learnedIds: [{ kind: 'pmid', value: x.pmid, pageUrl, via: 'key', at: 5 }] });
      // Held by another paper: not copied.
      expect(applyOffers([bare], new Map([[bare.id, offer!]]), () => 'someone-else')).toEqual([]);
      // Fuzzy evidence teaches nothing.
      const fuzzy = { ...sure, result: { ...sure.result, evidence: 'fuzzy' as const } };
      expect(learnOffer(fuzzy, [fuzzy], pageUrl)).toBeUndefined();
      // Another title on the page carrying the same PMID: the PMID proves nothing.
      const rival = { entry: entry('Something Else Entirely', x.pmid), result: { status: 'none' as const } };
      expect(learnOffer(sure, [sure, rival], pageUrl)).toBeUndefined();
      // Removed by the user: gone and never learned again.
      const forgotten = forgetId(learned!, 'pmid', x.pmid, 6);
      expect(forgotten.pmid).toBeUndefined();
      expect(applyOffers([forgotten], new Map([[bare.id, offer!]]), () => undefined)).toEqual([]);
    }
  });
});

class QuietPlatform implements Platform {
  pushResults() {}
  setBadge() {}
  async fetchTabEntries(): Promise<unknown> {
    throw new Error('no content script');
  }
  async listTabs() {
    return [];
  }
  scheduleFlush() {}
}

describe('a PubMed page, from the adapter over the wire to the background', () => {
  const { fixture, doc } = loadFixture('pubmed/search.html');
  const found = pubmed.findEntries(doc, fixture.url);
  const pilot = found[1];
  let db: ShelfmarkDB;
  let ctx: Context;
  let store: IndexStore;
  const tab: Sender = { kind: 'content', tabId: 3, url: fixture.url.href };
  beforeEach(async () => {
    db = await openTestDb('test-pmid', [
      // Holds the first result's PMID under a shorter title (a retitle the title alone cannot match).
      makePaper('living', "Living With Endometriosis: A Thematic Analysis of Women's Experiences With Irish Healthcare Services", { pmid: '37988744' }),
      // Holds the second result's PMID under another paper's title.
      makePaper('wrong', 'Attention Is All You Need', { pmid: '37987824' }),
      // The second result's own title, without ids: it learns the PMID from its sure sole claim.
      makePaper('pilot', pilot!.title),
    ]);
    store = new IndexStore(db, 5);
    ctx = createContext(db, store, new QuietPlatform());
  });
  afterEach(async () => {
    store.cancelPersist();
    await dropTestDb(db);
  });

  it('the wire carries the PMIDs (bounded and validated) and the background matches on them', async () => {
    expect(found).toHaveLength(2);
    const wire: WireEntry[] = found.map((f, i) => toWire(f, i + 1));
    expect(wire.map((w) => w.ids.pmid)).toEqual(['37988744', '37987824']);
    const msg = { type: 'match-batch', pageUrl: fixture.url.href, entries: wire, reset: true };
    expect(parseRequest(msg).ok).toBe(true);
    expect(parseRequest({ ...msg, entries: [{ ...wire[0], ids: { pmid: '1'.repeat(301) } }] }).ok).toBe(false);
    // Without its PMID, the first entry's title alone is not sure of "living".
    const noIds = (await handleMessage(ctx, { ...msg, entries: [{ ...wire[0]!, ids: {} }] }, tab)) as { ok: true; results: EntryResult[] };
    expect(noIds.results[0]!.status).not.toBe('match');
    const r = (await handleMessage(ctx, msg, tab)) as { ok: true; results: EntryResult[] };
    expect(r.ok).toBe(true);
    expect(r.results[0]).toMatchObject({ eid: 1, status: 'match', paperId: 'living' });
    // The second: its own title matches "pilot"; the PMID held by "Attention…" does not override it.
    expect(r.results[1]).toMatchObject({ eid: 2, status: 'match', paperId: 'pilot' });
    await flushSightings(ctx);
    // "pilot" learned nothing: the PMID is already another paper's.
    expect((await db.papers.get('pilot'))!.pmid).toBeUndefined();
    const sightings = await db.sightings.toArray();
    expect(sightings.map((s) => s.ids.pmid).toSorted()).toEqual(['37987824', '37988744']);
  });

  it('a paper matched by its own title learns the PMID, and the next visit is an id lookup', async () => {
    await db.papers.delete('wrong');
    const wire = found.map((f, i) => toWire(f, i + 1));
    await handleMessage(ctx, { type: 'match-batch', pageUrl: fixture.url.href, entries: wire, reset: true }, tab);
    await flushSightings(ctx);
    const p = (await db.papers.get('pilot'))!;
    expect(p.pmid).toBe('37987824');
    // The DOI of the citation line comes with it: both are the entry's own ids.
    expect(p.learnedIds).toMatchObject([
      { kind: 'doi', value: '10.1007/s00404-023-07246-8', pageUrl: fixture.url.href, via: 'key' },
      { kind: 'pmid', value: '37987824', pageUrl: fixture.url.href, via: 'key' },
    ]);
    const index = await store.get();
    expect(index.match({ title: 'Pilot study of methotrexate nanoparticles in deep endometriosis patients', ids: { pmid: '37987824' } })).toMatchObject({ status: 'match', paperId: 'pilot', evidence: 'id' });
  });

  it('adding a PubMed entry finds the paper that holds its PMID (the v7 index) instead of a duplicate', async () => {
    const r = await addPaperFromEntry(db, { title: 'A wholly different title', ids: { pmid: '37988744' } }, fixture.url.href);
    expect(r).toEqual({ paperId: 'living', created: false });
    const n = await addPaperFromEntry(db, { title: 'A new paper from PubMed', ids: { pmid: '1234' } }, fixture.url.href);
    expect(n.created).toBe(true);
    expect((await db.papers.get(n.paperId))!.pmid).toBe('1234');
    expect((await db.papers.where('pmid').equals('1234').first())!.id).toBe(n.paperId);
  });
});

describe('imports read PMIDs', () => {
  it('RIS: AN of a PubMed record (DB or DP), a labelled AN, a PubMed link; a bare AN of another database is no PMID', () => {
    const rows: [string, string | undefined][] = [
      ['AN  - 37988744\r\nDB  - PubMed\r\n', '37988744'],
      ['DP  - NLM\r\nAN  - 37988744\r\n', '37988744'],
      ['DB  - MEDLINE\r\nAN  - 37988744\r\n', '37988744'],
      ['AN  - PMID: 37988744\r\n', '37988744'],
      ['AN  - PMID37988744\r\n', '37988744'],
      ['UR  - https://pubmed.ncbi.nlm.nih.gov/37988744/\r\n', '37988744'],
      ['UR  - https://www.ncbi.nlm.nih.gov/pubmed/37988744\r\n', '37988744'],
      ['AN  - 37988744\r\n', undefined],
      ['AN  - 37988744\r\nDB  - Scopus\r\n', undefined],
      ['AN  - WOS:000123456700001\r\nDB  - PubMed\r\n', undefined],
      ['AN  - 0123\r\nDB  - PubMed\r\n', undefined],
      ['AN  - arXiv:2106.01345\r\nDB  - PubMed\r\n', undefined],
    ];
    for (const [tags, pmid] of rows) expect(parseRis(risRecord(tags)).records[0]!.ids.pmid, tags).toBe(pmid);
  });

  it('BibTeX: a pmid field, biblatex eprint with eprinttype pubmed, a PubMed url', () => {
    const rows: [string, string | undefined][] = [
      ['pmid = {37988744}', '37988744'],
      ['pmid = {PMID: 37988744}', '37988744'],
      ['eprint = {37988744}, eprinttype = {pubmed}', '37988744'],
      ['url = {https://pubmed.ncbi.nlm.nih.gov/37988744/}', '37988744'],
      ['pmid = {not a number}', undefined],
      ['eprint = {2106.01345}, eprinttype = {arxiv}', undefined],
    ];
    for (const [f, pmid] of rows) expect(parseBibtex(bib(f)).records[0]!.ids.pmid, f).toBe(pmid);
    expect(parseBibtex(bib('eprint = {37988744}, eprinttype = {pubmed}')).records[0]!.ids.arxiv).toBeUndefined();
  });

  it('an import stores the PMID and merges a later record of the same PMID under a retitle', async () => {
    const db = await openTestDb('test-pmid-import');
    try {
      await importText(db, `TY  - JOUR\r\nTI  - Living With Endometriosis: A Reflexive Thematic Analysis Examining Women's Experiences With the Irish Healthcare Services\r\nAN  - 37988744\r\nDB  - PubMed\r\nER  - \r\n`, { format: 'ris', filename: 'a.ris' });
      const [p] = await db.papers.toArray();
      expect(p!.pmid).toBe('37988744');
      const r = await importText(db, `@article{x, title = {Living With Endometriosis: Women's Experiences With the Irish Healthcare Services}, pmid = {37988744}, year = {2023}}`, { format: 'bibtex', filename: 'b.bib' });
      expect(r).toMatchObject({ new: 0, merged: 1 });
      expect(await db.papers.count()).toBe(1);
      expect((await db.papers.get(p!.id))!.year).toBe(2023);
    } finally {
      await dropTestDb(db);
    }
  });
});

describe('exports write PMIDs as each format’s readers expect', () => {
  const papers = generate(30, 3).map((c, i) => {
    const p: Paper = { ...c.paper, authors: ['Ada Lovelace'], year: 2023 };
    // Half also have an arXiv id (which takes RIS's AN and biblatex's eprint).
    if (i % 2) p.arxivId = `2301.${String(10000 + i)}`;
    return p;
  });
  const items = papers.map((paper) => ({ paper, tags: [], note: undefined }));

  it('BibTeX `pmid`, read back by our importer and by citation-js as CSL PMID', () => {
    const text = toBibtex(items);
    expect(text.match(/^ {2}pmid = \{\d+\},$/gm)).toHaveLength(papers.length);
    expect(parseBibtex(text).records.map((r) => r.ids.pmid)).toEqual(papers.map((p) => p.pmid));
    const csl = plugins.input.chain(text) as { PMID?: string }[];
    expect(csl.map((x) => x.PMID)).toEqual(papers.map((p) => p.pmid));
  });

  it('RIS: AN + DB PubMed when AN is free, the PubMed link always; read back by our importer', () => {
    const ris = toRis(items);
    const back = parseRis(ris).records;
    expect(back.map((r) => r.ids.pmid)).toEqual(papers.map((p) => p.pmid));
    expect(back.map((r) => r.ids.arxiv)).toEqual(papers.map((p) => p.arxivId));
    for (const p of papers) expect(ris).toContain(`UR  - https://pubmed.ncbi.nlm.nih.gov/${p.pmid}/`);
    expect(ris.match(/^DB {2}- PubMed\r$/gm)).toHaveLength(papers.filter((p) => !p.arxivId).length);
  });

  it('CSL-JSON `PMID`, accepted by citation-js; CSV has a pmid column', () => {
    const csl = toCslItems(items);
    expect(csl.map((x) => x.PMID)).toEqual(papers.map((p) => p.pmid));
    const parsed = plugins.input.chain(JSON.parse(JSON.stringify(csl))) as { PMID?: string }[];
    expect(parsed.map((x) => x.PMID)).toEqual(papers.map((p) => p.pmid));
    const csv = toCsv(items).split('\r\n');
    const col = csv[0]!.split(',').indexOf('pmid');
    expect(col).toBeGreaterThan(0);
    expect(csv.slice(1, -1).map((l) => l.split(',')[col])).toEqual(papers.map((p) => p.pmid));
  });
});
